using System.Diagnostics;

namespace KernelGen.Backends.Cpu;

/// <summary>A stream of the CPU backend: each dispatch runs when recorded, so results are visible at once.</summary>
internal sealed class CpuGpuStream(CpuGpuDevice device) : GpuStream(device)
{
    private readonly List<KernelTiming> pendingTimings = [];
    private readonly CpuDispatcher dispatcher = new();
    private List<(KernelInfo Kernel, GpuBuffer[] Buffers, byte[] Uniforms, WorkgroupCount Groups)>? capture;

    public override int PendingDispatches => 0;

    private IReadOnlyList<KernelTiming> timings = [];

    public override IReadOnlyList<KernelTiming> Timings => timings;

    private protected override void DispatchCore(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups)
    {
        var memories = new Memory<byte>[buffers.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            var storage = (CpuBufferStorage)buffers[i].Storage;
            memories[i] = storage.Data.AsMemory(0, checked((int)storage.SizeInBytes));
        }
        var start = IsProfiling ? Stopwatch.GetTimestamp() : 0;
        var data = new CpuDispatchData(memories, uniforms.ToArray());
        var workers = kernel.UsesBarriers ? device.BarrierWorkers : null;
        try
        {
            dispatcher.Run(cancel => CpuKernelRunner.Run(kernel, data, groups, device.Threads, workers!, cancel), device.WaitTimeout,
                DispatchValidation.Describe(kernel));
        }
        catch (GpuTimeoutException e)
        {
            device.MarkTimedOut(e.Message);
            throw;
        }
        if (IsProfiling)
            pendingTimings.Add(new KernelTiming(kernel.Name, Stopwatch.GetElapsedTime(start).TotalMicroseconds));
    }

    private protected override void CaptureDispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups)
        => capture!.Add((kernel, buffers.ToArray(), uniforms.ToArray(), groups));

    private protected override void BeginCaptureCore() => capture = [];

    private protected override GpuGraph EndCaptureCore()
    {
        var graph = new CpuGpuGraph(this, capture!);
        capture = null;
        return graph;
    }

    internal void Replay(List<(KernelInfo Kernel, GpuBuffer[] Buffers, byte[] Uniforms, WorkgroupCount Groups)> dispatches)
    {
        foreach (var d in dispatches) DispatchCore(d.Kernel, d.Buffers, d.Uniforms, d.Groups);
    }

    private protected override void SubmitCore() { }

    private protected override void SynchronizeCore()
    {
        timings = pendingTimings.ToArray();
        pendingTimings.Clear();
    }

    private protected override void ReleaseFromFinalizer() => dispatcher.Dispose();

    private protected override void DisposeCore() => dispatcher.Dispose();
}

/// <summary>A captured sequence on the CPU backend: replays the same dispatches with the same uniform bytes.</summary>
internal sealed class CpuGpuGraph : GpuGraph
{
    private readonly CpuGpuStream stream;
    private readonly List<(KernelInfo Kernel, GpuBuffer[] Buffers, byte[] Uniforms, WorkgroupCount Groups)> dispatches;

    public CpuGpuGraph(CpuGpuStream stream, List<(KernelInfo Kernel, GpuBuffer[] Buffers, byte[] Uniforms, WorkgroupCount Groups)> dispatches)
        : base(stream, dispatches.Select(d => d.Kernel).ToArray())
    {
        this.stream = stream;
        this.dispatches = dispatches;
    }

    private protected override void ReplayCore()
    {
        CheckBuffers(dispatches.Select(d => (d.Kernel, d.Buffers)).ToList());
        stream.Replay(dispatches);
    }

    private protected override void DisposeCore() { }
}
