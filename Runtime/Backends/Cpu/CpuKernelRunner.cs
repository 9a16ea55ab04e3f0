using System.Runtime.ExceptionServices;

namespace KernelGen.Backends.Cpu;

/// <summary>
/// Runs one dispatch on the CPU: every invocation of every workgroup calls <see cref="KernelInfo.Cpu"/>
/// with its ids. Workgroups run in parallel; a kernel with barriers runs the invocations of a
/// workgroup from its phased form (<see cref="CpuPhasedRunner"/>) or, without one, concurrently on
/// <see cref="CpuBarrierWorkers"/>, one thread each, meeting at <see cref="Workgroup.Barrier"/>.
/// </summary>
internal static class CpuKernelRunner
{
    /// <summary>Most invocations per workgroup the barrier execution runs (one thread each).</summary>
    public const int MaxBarrierWorkgroupSize = 1024;

    // cancel: signalled when the caller stopped waiting (a timeout): no further workgroup starts.
    public static void Run(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, int threads, CpuBarrierWorkers workers, CancellationToken cancel = default)
    {
        var total = (long)groups.X * groups.Y * groups.Z;
        if (total == 0) return;
        if (kernel.UsesSubgroups) RunInLockstep(kernel, data, groups, total, workers, cancel);
        else if (kernel.UsesBarriers) RunWithBarriers(kernel, data, groups, total, threads, workers, cancel);
        else RunIndependent(kernel, data, groups, total, threads, cancel);
    }

    private static void RunIndependent(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, long total, int threads, CancellationToken cancel)
    {
        var size = kernel.InvocationsPerWorkgroup;
        try
        {
            Parallel.For(0L, total, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel },
                () => AllocateShared(kernel),
                (g, _, shared) =>
                {
                    ClearShared(shared);
                    for (var t = 0; t < size; t++) Invoke(kernel, data, shared, groups, g, t);
                    return shared;
                },
                _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static void RunWithBarriers(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, long total, int threads, CpuBarrierWorkers workers, CancellationToken cancel)
    {
        if (kernel.CpuPhased is not null)
        {
            CpuPhasedRunner.Run(kernel, data, groups, total, threads, cancel);
            return;
        }
        RunInLockstep(kernel, data, groups, total, workers, cancel);
    }

    // Subgroup operations exchange values in the middle of expressions, so such kernels always take the threaded path,
    // whose invocations meet at each operation as they do at a barrier (CpuWorkgroupBaton.GatherSubgroup).
    private static void RunInLockstep(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, long total, CpuBarrierWorkers workers, CancellationToken cancel)
    {
        var size = kernel.InvocationsPerWorkgroup;
        if (size > MaxBarrierWorkgroupSize)
        {
            throw new NotSupportedException(
                $"{DispatchValidation.Describe(kernel)} uses barriers or subgroup operations with {size} invocations per workgroup; the CPU backend runs such a " +
                $"workgroup as one thread per invocation and allows at most {MaxBarrierWorkgroupSize}. Use a smaller workgroup to run it on the CPU.");
        }
        workers.Run(kernel, data, groups, total, cancel);
    }

    internal static void Invoke(KernelInfo kernel, CpuDispatchData data, byte[][] shared, WorkgroupCount groups, long group, int localIndex)
    {
        var invocation = Invocation(kernel, data, shared, groups, group, localIndex);
        try
        {
            kernel.Cpu(in invocation);
        }
        catch (Exception e) when (e is not OperationCanceledException and not GpuKernelException)
        {
            throw Fault(kernel, invocation.Thread, e);
        }
    }

    /// <summary>The ids and bindings of invocation <paramref name="localIndex"/> of workgroup <paramref name="group"/>.</summary>
    internal static CpuInvocation Invocation(KernelInfo kernel, CpuDispatchData data, byte[][] shared, WorkgroupCount groups, long group, int localIndex,
        object?[]? sharedViews = null)
    {
        var gx = (int)(group % groups.X);
        var gy = (int)(group / groups.X % groups.Y);
        var gz = (int)(group / ((long)groups.X * groups.Y));
        var lx = localIndex % kernel.WorkgroupSizeX;
        var ly = localIndex / kernel.WorkgroupSizeX % kernel.WorkgroupSizeY;
        var lz = localIndex / (kernel.WorkgroupSizeX * kernel.WorkgroupSizeY);
        var thread = new ThreadId(gx * kernel.WorkgroupSizeX + lx, gy * kernel.WorkgroupSizeY + ly, gz * kernel.WorkgroupSizeZ + lz);
        return new CpuInvocation(data, shared, sharedViews, thread, new LocalId(lx, ly, lz, localIndex), new GroupId(gx, gy, gz),
            new GroupCount((int)groups.X, (int)groups.Y, (int)groups.Z));
    }

    /// <summary>The error for an exception a kernel threw at <paramref name="thread"/>.</summary>
    internal static GpuKernelException Fault(KernelInfo kernel, ThreadId thread, Exception e)
        => new($"{DispatchValidation.Describe(kernel)} threw {e.GetType().Name} on the CPU backend at thread ({thread.X}, {thread.Y}, {thread.Z}): {e.Message}", e)
        { KernelName = kernel.Name };

    internal static byte[][] AllocateShared(KernelInfo kernel)
    {
        var shared = new byte[kernel.SharedArrays.Length][];
        for (var i = 0; i < shared.Length; i++) shared[i] = new byte[kernel.SharedArrays[i].ElementSize * kernel.SharedArrays[i].Length];
        return shared;
    }

    // WGSL zero-initialises workgroup memory for every workgroup.
    internal static void ClearShared(byte[][] shared)
    {
        foreach (var array in shared) Array.Clear(array);
    }
}

