namespace KernelGen;

/// <summary>Synchronisation inside a workgroup.</summary>
public static class Workgroup
{
    /// <summary>
    /// Waits until every invocation of the workgroup reaches this point, and makes workgroup-shared
    /// writes visible (WGSL <c>workgroupBarrier()</c>). Must be reached by all invocations (uniform control flow).
    /// </summary>
    public static void Barrier() => CpuWorkgroupSync.Current?.Barrier();

    /// <summary>Orders storage-buffer accesses inside the workgroup (WGSL <c>storageBarrier()</c>).</summary>
    public static void StorageBarrier() => CpuWorkgroupSync.Current?.Barrier();
}

/// <summary>
/// The CPU backend's barrier for the workgroup the current thread runs. Null outside a CPU dispatch
/// of a kernel that uses barriers.
/// </summary>
public abstract class CpuWorkgroupSync
{
    [ThreadStatic] private static CpuWorkgroupSync? current;

    /// <summary>The synchroniser of the workgroup this thread executes, if any.</summary>
    public static CpuWorkgroupSync? Current { get => current; protected set => current = value; }

    /// <summary>Blocks until all invocations of the workgroup arrive.</summary>
    public abstract void Barrier();

    /// <summary>
    /// Hands <paramref name="value"/> to a subgroup operation and returns what every lane of the caller's subgroup
    /// handed to it (the workgroup meets twice: once after everyone wrote, once after everyone read).
    /// </summary>
    internal virtual CpuSubgroupLanes<T> GatherSubgroup<T>(T value)
        => throw new InvalidOperationException(
            "A subgroup operation ran where the CPU backend cannot run the workgroup in lockstep (the kernel's subgroup use was not recorded by the generator).");
}
