using System.Runtime.ExceptionServices;

namespace KernelGen.Backends.Cpu;

/// <summary>
/// Runs kernels with barriers from their phased CPU form (<see cref="KernelInfo.CpuPhased"/>): each
/// invocation of a workgroup is an iterator that stops at every barrier, and one thread steps the
/// workgroup's invocations round-robin in local index order, one phase at a time. That is exactly the
/// schedule of the threaded path (<see cref="CpuBarrierWorkers"/>: one invocation at a time, the turn
/// passed on at each barrier to the next invocation that has not returned), so results are the same,
/// without a thread and two context switches per invocation and barrier. Workgroups run in parallel.
/// </summary>
internal static class CpuPhasedRunner
{
    // cancel: signalled when the caller stopped waiting (a timeout): no further workgroup starts, and running
    // workgroups stop at their next barrier, as the threaded path's batons do.
    public static void Run(KernelInfo kernel, CpuDispatchData data, WorkgroupCount groups, long total, int threads, CancellationToken cancel = default)
    {
        var phased = kernel.CpuPhased ?? throw new InvalidOperationException($"{DispatchValidation.Describe(kernel)} has no phased CPU form.");
        try
        {
            Parallel.For(0L, total, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel },
                () => new Lane(kernel),
                (g, state, lane) =>
                {
                    lane.RunWorkgroup(kernel, phased, data, groups, g, state, cancel);
                    return lane;
                },
                _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>The per-thread state: shared memory and the invocations of the current workgroup.</summary>
    private sealed class Lane(KernelInfo kernel)
    {
        private readonly byte[][] shared = CpuKernelRunner.AllocateShared(kernel);
        private readonly object?[] sharedViews = new object?[kernel.SharedArrays.Length];
        private readonly IEnumerator<int>?[] invocations = new IEnumerator<int>?[kernel.InvocationsPerWorkgroup];

        public void RunWorkgroup(KernelInfo kernel, CpuPhasedKernelBody phased, CpuDispatchData data, WorkgroupCount groups, long group, ParallelLoopState state, CancellationToken cancel)
        {
            CpuKernelRunner.ClearShared(shared);
            var size = invocations.Length;
            var previous = CpuWorkgroupSync.Current;
            CpuPhasedGuard.Enter(kernel);
            try
            {
                for (var t = 0; t < size; t++)
                {
                    var invocation = CpuKernelRunner.Invocation(kernel, data, shared, groups, group, t, sharedViews);
                    invocations[t] = phased(in invocation);
                }
                var active = size;
                while (active > 0)
                {
                    // Another workgroup failed, or the wait timed out: stop at this barrier, as the threaded path does.
                    if (state.ShouldExitCurrentIteration || cancel.IsCancellationRequested) return;
                    for (var t = 0; t < size; t++)
                    {
                        var invocation = invocations[t];
                        if (invocation is null) continue;
                        bool reachedBarrier;
                        try
                        {
                            reachedBarrier = invocation.MoveNext();
                        }
                        catch (Exception e) when (e is not OperationCanceledException and not GpuKernelException)
                        {
                            throw CpuKernelRunner.Fault(kernel, CpuKernelRunner.Invocation(kernel, data, shared, groups, group, t).Thread, e);
                        }
                        if (reachedBarrier) continue;
                        invocation.Dispose();
                        invocations[t] = null;
                        active--;
                    }
                }
            }
            finally
            {
                Array.Clear(invocations);
                CpuPhasedGuard.Exit(previous);
            }
        }
    }
}

/// <summary>
/// The barrier seen by helpers while a phased form runs. The generator only gives a kernel a phased
/// form when every barrier is in the kernel body itself (each became a yield), so reaching this is a
/// generator bug: fail loudly instead of silently skipping the synchronisation.
/// </summary>
internal sealed class CpuPhasedGuard : CpuWorkgroupSync
{
    [ThreadStatic] private static CpuPhasedGuard? guard;
    private KernelInfo? kernel;

    public static void Enter(KernelInfo kernel)
    {
        guard ??= new CpuPhasedGuard();
        guard.kernel = kernel;
        Current = guard;
    }

    public static void Exit(CpuWorkgroupSync? previous) => Current = previous;

    public override void Barrier()
        => throw new InvalidOperationException(
            $"{(kernel is null ? "A kernel" : DispatchValidation.Describe(kernel))} reached a barrier outside its kernel body while running its phased CPU form; " +
            "the generator should have kept it on the threaded path.");
}
