namespace KernelGen;

/// <summary>A buffer copy or clear recorded on a stream (byte offsets and size, all multiples of 4).</summary>
internal readonly record struct BufferTransfer(GpuBuffer? Source, long SourceOffset, GpuBuffer Destination, long DestinationOffset, long Bytes)
{
    /// <summary>True for a clear (no source): the range is zeroed.</summary>
    public bool IsClear => Source is null;

    public override string ToString() => IsClear
        ? $"clear of {Bytes} bytes at {DestinationOffset} of {Destination}"
        : $"copy of {Bytes} bytes from {Source} at {SourceOffset} to {Destination} at {DestinationOffset}";
}

/// <summary>One command of a backend-independent command list: a dispatch (with its own uniform bytes) or a transfer.</summary>
internal readonly record struct RecordedCommand(KernelInfo? Kernel, GpuBuffer[] Buffers, byte[] Uniforms, WorkgroupCount Groups, BufferTransfer Transfer, PipelineConstants? Constants)
{
    public static RecordedCommand Dispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, PipelineConstants constants)
        => new(kernel, buffers.ToArray(), uniforms.ToArray(), groups, default, constants);

    public static RecordedCommand Of(in BufferTransfer transfer)
        => new(null, transfer.Source is null ? [transfer.Destination] : [transfer.Source, transfer.Destination], [], default, transfer, null);

    public bool IsDispatch => Kernel is not null;
}

/// <summary>
/// A captured command list replayed by re-recording it on its stream and submitting once: the graph of the
/// backends whose recording is already a cheap list (CPU, browser). The native backend prebuilds bind groups
/// and uniforms instead (<c>NativeGpuGraph</c>).
/// </summary>
internal sealed class RecordedGraph : GpuGraph
{
    private readonly GpuStream stream;
    private readonly RecordedCommand[] commands;

    public RecordedGraph(GpuStream stream, List<RecordedCommand> commands)
        : base(stream, commands.Where(c => c.IsDispatch).Select(c => c.Kernel!).ToArray())
    {
        this.stream = stream;
        this.commands = [.. commands];
    }

    private protected override void ReplayCore()
    {
        CheckCommands(commands);
        stream.Replay(commands);
    }

    private protected override void DisposeCore() { }

    /// <summary>Throws when a buffer of a captured command was disposed.</summary>
    internal static void CheckCommands(ReadOnlySpan<RecordedCommand> commands)
    {
        foreach (var c in commands)
        {
            for (var i = 0; i < c.Buffers.Length; i++)
            {
                if (!c.Buffers[i].IsDisposed) continue;
                throw new ObjectDisposedException(c.Buffers[i].ToString(), c.IsDispatch
                    ? $"{DispatchValidation.Describe(c.Kernel!)}: buffer '{c.Kernel!.Bindings[i].Name}' of a captured graph was disposed; recapture the graph."
                    : $"A buffer of a captured {c.Transfer} was disposed; recapture the graph.");
            }
        }
    }
}
