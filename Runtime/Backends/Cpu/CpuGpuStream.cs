using System.Diagnostics;

namespace KernelGen.Backends.Cpu;

/// <summary>A stream of the CPU backend: each dispatch runs when recorded, so results are visible at once.</summary>
internal sealed class CpuGpuStream(CpuGpuDevice device) : GpuStream(device)
{
    private readonly List<KernelTiming> pendingTimings = [];
    private readonly CpuDispatcher dispatcher = new();

    public override int PendingDispatches => 0;

    private IReadOnlyList<KernelTiming> timings = [];

    public override IReadOnlyList<KernelTiming> Timings => timings;

    private protected override void DispatchCore(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, PipelineConstants constants)
    {
        var memories = new Memory<byte>[buffers.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            var storage = (CpuBufferStorage)buffers[i].Storage;
            memories[i] = storage.Data.AsMemory(0, checked((int)storage.SizeInBytes));
        }
        var start = IsProfiling ? Stopwatch.GetTimestamp() : 0;
        var data = new CpuDispatchData(memories, uniforms.ToArray(), constants) { SubgroupSize = device.SubgroupSize };
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
        if (IsProfiling)
            pendingTimings.Add(new KernelTiming(kernel.Name, Stopwatch.GetElapsedTime(start).TotalMicroseconds));
    }

    private protected override void TransferCore(in BufferTransfer transfer)
    {
        var destination = ((CpuBufferStorage)transfer.Destination.Storage).Data.AsSpan(checked((int)transfer.DestinationOffset), checked((int)transfer.Bytes));
        if (transfer.Source is null) destination.Clear();
        else ((CpuBufferStorage)transfer.Source.Storage).Data.AsSpan(checked((int)transfer.SourceOffset), destination.Length).CopyTo(destination);
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
