namespace KernelGen;

/// <summary>Every kernel of the loaded assemblies, registered by generated module initializers.</summary>
public static class KernelRegistry
{
    // A kernel of a collectible assembly (a plug-in, an in-memory build) is held weakly, so that the assembly can still
    // unload: its own catalog holds its kernels while it is loaded. Every other kernel is held for the process.
    private static readonly List<KernelInfo> Kernels = [];
    private static readonly List<WeakReference<KernelInfo>> Collectible = [];

    /// <summary>All registered kernels (of collectible assemblies: those still loaded).</summary>
    public static IReadOnlyList<KernelInfo> All
    {
        get
        {
            lock (Kernels)
            {
                var all = new List<KernelInfo>(Kernels.Count + Collectible.Count);
                all.AddRange(Kernels);
                foreach (var weak in Collectible)
                    if (weak.TryGetTarget(out var kernel)) all.Add(kernel);
                return all.ToArray();
            }
        }
    }

    /// <summary>Registers an assembly's kernels (called by generated code).</summary>
    public static void Register(IEnumerable<KernelInfo> assemblyKernels)
    {
        ArgumentNullException.ThrowIfNull(assemblyKernels);
        lock (Kernels)
        {
            Collectible.RemoveAll(weak => !weak.TryGetTarget(out _));
            foreach (var kernel in assemblyKernels)
            {
                if (kernel.Cpu.Method.Module.Assembly.IsCollectible) Collectible.Add(new WeakReference<KernelInfo>(kernel));
                else Kernels.Add(kernel);
            }
        }
    }
}
