using System.Diagnostics;

namespace KernelGen.Backends.Cpu;

/// <summary>
/// A stream of the CPU backend: runs the command list, each command as it is recorded (results are visible at once,
/// a kernel's exception surfaces at its dispatch), and a graph's captured list in order at its replay.
/// </summary>
internal sealed class CpuGpuStream(CpuGpuDevice device) : GpuStream(device)
{
    private readonly List<KernelTiming> pendingTimings = [];
    private readonly CpuDispatcher dispatcher = new();

    private IReadOnlyList<KernelTiming> timings = [];

    public override IReadOnlyList<KernelTiming> Timings => timings;

    private protected override bool ExecutesAtRecord => true;

    private protected override void ExecuteCore(CommandList list, PreparedCommands? prepared)
    {
        foreach (ref readonly var c in list.Commands)
        {
            var buffers = list.BuffersOf(c);
            if (c.Kind == CommandKind.Dispatch) Run(c.Pipeline!, buffers, list.UniformsOf(c), c.Groups, c.Timed || IsProfiling);
            else if (c.Kind == CommandKind.Copy) Data(buffers[0], c.SourceOffset, c.Bytes).CopyTo(Data(buffers[1], c.DestinationOffset, c.Bytes));
            else Data(buffers[0], c.DestinationOffset, c.Bytes).Clear();
        }
    }

    private static Span<byte> Data(GpuBuffer buffer, long offset, long bytes)
        => ((CpuBufferStorage)buffer.RawStorage).Data.AsSpan(checked((int)offset), checked((int)bytes));

    private void Run(CompiledPipeline pipeline, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, bool timed)
    {
        var kernel = pipeline.Kernel;
        var memories = new Memory<byte>[buffers.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            var storage = (CpuBufferStorage)buffers[i].RawStorage;
            memories[i] = storage.Data.AsMemory(0, checked((int)storage.SizeInBytes));
        }
        var start = timed ? Stopwatch.GetTimestamp() : 0;
        var data = new CpuDispatchData(memories, uniforms.ToArray(), pipeline.Constants) { SubgroupSize = device.SubgroupSize };
        var workers = kernel.UsesBarriers || kernel.UsesSubgroups ? device.BarrierWorkers : null;
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
        if (timed) pendingTimings.Add(new KernelTiming(kernel.Name, Stopwatch.GetElapsedTime(start).TotalMicroseconds));
    }

    private protected override void SynchronizeCore()
    {
        timings = pendingTimings.ToArray();
        pendingTimings.Clear();
    }

    private protected override void ReleaseFromFinalizer() => dispatcher.Dispose();

    private protected override void DisposeCore() => dispatcher.Dispose();
}
