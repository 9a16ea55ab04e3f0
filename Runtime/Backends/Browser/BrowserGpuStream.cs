using System.Runtime.Versioning;

namespace KernelGen.Backends.Browser;

/// <summary>
/// Hands a command list to JavaScript in one call per submit: the list as ints (pipeline, bind group and buffer ids
/// from the device's caches) plus the list's uniform arena, which JavaScript writes to the stream's uniform buffer
/// before it encodes one command buffer. Interop costs one call per submit, not per dispatch, which matters on the
/// WebAssembly interpreter. A graph's list is turned into ints once, with its own uniform buffer written once.
/// </summary>
[SupportedOSPlatform("browser")]
internal sealed class BrowserGpuStream : GpuStream
{
    private const int DispatchOp = 1, CopyOp = 2, ClearOp = 3;

    private readonly BrowserGpuDevice device;
    private readonly BrowserBufferStorage arena;
    private int[] commands = new int[1024];

    public BrowserGpuStream(BrowserGpuDevice device) : base(device)
    {
        this.device = device;
        arena = device.CreateBuffer(device.UniformArenaBytes, "KernelGen uniform arena", uniform: true);
    }

    public override IReadOnlyList<KernelTiming> Timings => [];

    private protected override void ExecuteCore(CommandList list, PreparedCommands? prepared)
    {
        if (prepared is BrowserPreparedGraph graph)
        {
            BrowserWebGpu.Submit(graph.Commands, graph.Uniforms?.JsId ?? 0, []);
            return;
        }
        var length = Serialize(list, arena, ref commands);
        var uniforms = list.Uniforms;
        BrowserWebGpu.Submit(commands.AsSpan(0, length), arena.JsId, System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(uniforms), uniforms.Length));
    }

    /// <summary>Writes the list as ints for kernelgen-webgpu.js's <c>submit</c>; returns how many.</summary>
    private int Serialize(CommandList list, BrowserBufferStorage? uniforms, ref int[] ints)
    {
        var n = 0;
        foreach (ref readonly var c in list.Commands)
        {
            if (n + 7 > ints.Length) Array.Resize(ref ints, ints.Length * 2);
            var buffers = list.BuffersOf(c);
            switch (c.Kind)
            {
                case CommandKind.Dispatch:
                    var pipeline = (BrowserPipeline)c.Pipeline!;
                    ints[n++] = DispatchOp;
                    ints[n++] = pipeline.JsId;
                    ints[n++] = device.GetBindGroup(pipeline, buffers, c.UniformOffset >= 0 ? uniforms : null);
                    ints[n++] = c.UniformOffset;
                    ints[n++] = (int)c.Groups.X;
                    ints[n++] = (int)c.Groups.Y;
                    ints[n++] = (int)c.Groups.Z;
                    break;
                case CommandKind.Copy:
                    ints[n++] = CopyOp;
                    ints[n++] = ((BrowserBufferStorage)buffers[0].RawStorage).JsId;
                    ints[n++] = checked((int)c.SourceOffset);
                    ints[n++] = ((BrowserBufferStorage)buffers[1].RawStorage).JsId;
                    ints[n++] = checked((int)c.DestinationOffset);
                    ints[n++] = checked((int)c.Bytes);
                    break;
                default:
                    ints[n++] = ClearOp;
                    ints[n++] = ((BrowserBufferStorage)buffers[0].RawStorage).JsId;
                    ints[n++] = checked((int)c.DestinationOffset);
                    ints[n++] = checked((int)c.Bytes);
                    break;
            }
        }
        return n;
    }

    /// <summary>A graph's own uniform buffer (written once) and its list as ints (its bind groups come from the device's cache once).</summary>
    private protected override PreparedCommands? PrepareCore(CommandList list)
    {
        var bytes = list.Uniforms;
        var uniforms = bytes.IsEmpty ? null : device.CreateBuffer(bytes.Length + 256, "KernelGen graph uniforms", uniform: true);
        try
        {
            uniforms?.Write(0, bytes);
            var ints = new int[Math.Max(16, 7 * list.Count)];
            var length = Serialize(list, uniforms, ref ints);
            return new BrowserPreparedGraph(uniforms, ints.AsSpan(0, length).ToArray());
        }
        catch
        {
            uniforms?.Release(fromFinalizer: false);
            throw;
        }
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

    private protected override void DisposeCore() => arena.Release(fromFinalizer: false);
}

/// <summary>What a captured graph gets once in the browser: its own uniform buffer and its command list as ints.</summary>
[SupportedOSPlatform("browser")]
internal sealed class BrowserPreparedGraph(BrowserBufferStorage? uniforms, int[] commands) : PreparedCommands
{
    public BrowserBufferStorage? Uniforms { get; } = uniforms;

    public int[] Commands { get; } = commands;

    /// <summary>Releases the uniform buffer, and with it the bind groups that bind it.</summary>
    public override void Release() => Uniforms?.Release(fromFinalizer: false);
}
