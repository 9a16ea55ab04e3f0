using System.Runtime.Versioning;

namespace KernelGen.Backends.Browser;

/// <summary>
/// Records dispatches as a compact command list (ints) plus a uniform arena (bytes) in .NET, and hands
/// both to JavaScript once per submit, which encodes them into one compute pass: interop costs one call
/// per submit, not per dispatch, which matters on the WebAssembly interpreter.
/// </summary>
[SupportedOSPlatform("browser")]
internal sealed class BrowserGpuStream : GpuStream
{
    private const int ArenaBytes = 1 << 20;
    private const int HeaderInts = 6;

    private readonly BrowserGpuDevice device;
    private readonly int id;
    private readonly byte[] arena = new byte[ArenaBytes];
    private int[] commands = new int[1024];
    private int commandCount;
    private int arenaUsed;
    private int pending;

    public BrowserGpuStream(BrowserGpuDevice device) : base(device)
    {
        this.device = device;
        id = device.NextId();
        BrowserWebGpu.CreateStream(id, ArenaBytes);
    }

    public override int PendingDispatches => pending;

    public override IReadOnlyList<KernelTiming> Timings => [];

    private protected override void DispatchCore(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, PipelineConstants constants)
    {
        var pipeline = device.GetPipeline(kernel, constants);
        var offset = -1;
        if (kernel.UniformSize > 0)
        {
            var slot = (kernel.UniformSize + device.UniformAlignment - 1) / device.UniformAlignment * device.UniformAlignment;
            if (arenaUsed + slot > arena.Length) SubmitCore();
            offset = arenaUsed;
            uniforms.CopyTo(arena.AsSpan(arenaUsed));
            arenaUsed += slot;
        }
        var needed = commandCount + HeaderInts + buffers.Length;
        if (needed > commands.Length) Array.Resize(ref commands, Math.Max(needed, commands.Length * 2));
        var c = commands.AsSpan(commandCount);
        c[0] = pipeline;
        c[1] = offset;
        c[2] = (int)groups.X;
        c[3] = (int)groups.Y;
        c[4] = (int)groups.Z;
        c[5] = buffers.Length;
        for (var i = 0; i < buffers.Length; i++)
        {
            var storage = buffers[i].Storage;
            c[HeaderInts + i] = ((BrowserBufferStorage)storage).JsId;
            storage.LastStream = this;
        }
        commandCount = needed;
        pending++;
    }

    private protected override void SubmitCore()
    {
        if (pending == 0) return;
        device.RunDeferredReleases();
        var uniformBytes = (arenaUsed + 3) / 4 * 4;
        BrowserWebGpu.Submit(id, commands.AsSpan(0, commandCount), arena.AsSpan(0, uniformBytes));
        commandCount = 0;
        arenaUsed = 0;
        pending = 0;
    }

    private protected override void SynchronizeCore() =>
        throw new PlatformNotSupportedException(
            "GpuStream.Synchronize cannot wait in the browser (WebGPU completes work asynchronously and the page's thread must not block). " +
            "Use await stream.SynchronizeAsync().");

    private protected override async Task SynchronizeCoreAsync()
    {
        SubmitCore();
        device.ThrowFor(await BrowserWebGpu.Synchronize().ConfigureAwait(true));
    }

    private protected override void CaptureDispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, PipelineConstants constants)
    {
        device.GetPipeline(kernel, constants); // compiled at capture, as natively
        base.CaptureDispatch(kernel, buffers, uniforms, groups, constants);
    }

    /// <summary>Transfers are commands of the same list: a negative opcode where a dispatch has its pipeline id.</summary>
    private protected override void TransferCore(in BufferTransfer transfer)
    {
        const int copy = -1, clear = -2;
        var needed = commandCount + 6;
        if (needed > commands.Length) Array.Resize(ref commands, Math.Max(needed, commands.Length * 2));
        var c = commands.AsSpan(commandCount);
        var destination = (BrowserBufferStorage)transfer.Destination.Storage;
        if (transfer.Source is { } source)
        {
            var from = (BrowserBufferStorage)source.Storage;
            c[0] = copy;
            c[1] = from.JsId;
            c[2] = checked((int)transfer.SourceOffset);
            c[3] = destination.JsId;
            c[4] = checked((int)transfer.DestinationOffset);
            c[5] = checked((int)transfer.Bytes);
            from.LastStream = this;
            commandCount += 6;
        }
        else
        {
            c[0] = clear;
            c[1] = destination.JsId;
            c[2] = checked((int)transfer.DestinationOffset);
            c[3] = checked((int)transfer.Bytes);
            commandCount += 4;
        }
        destination.LastStream = this;
        pending++;
    }

    private protected override void ReleaseFromFinalizer() => device.Defer(DisposeCore);

    private protected override void DisposeCore()
    {
        commandCount = arenaUsed = pending = 0;
        if (!device.IsDisposed) BrowserWebGpu.DestroyStream(id);
    }
}
