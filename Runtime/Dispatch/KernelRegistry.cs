namespace KernelGen;

/// <summary>Every kernel of the loaded assemblies, registered by generated module initializers.</summary>
public static class KernelRegistry
{
    private static readonly List<KernelInfo> Kernels = [];

    /// <summary>All registered kernels.</summary>
    public static IReadOnlyList<KernelInfo> All { get { lock (Kernels) return Kernels.ToArray(); } }

    /// <summary>Registers an assembly's kernels (called by generated code).</summary>
    public static void Register(IEnumerable<KernelInfo> assemblyKernels)
    {
        ArgumentNullException.ThrowIfNull(assemblyKernels);
        lock (Kernels) Kernels.AddRange(assemblyKernels);
    }
}
