namespace KernelGen;

/// <summary>What a backend prepared once for a captured command list (natively: its uniform buffer and bind groups).</summary>
internal abstract class PreparedCommands
{
    /// <summary>Releases it (once; on a thread that uses the device).</summary>
    public abstract void Release();
}

/// <summary>
/// The graph of every backend: the captured <see cref="CommandList"/> (its own uniform arena) and what the backend
/// prepared for it. <see cref="GpuGraph.Replay"/> submits the stream's pending work, then the list, in one call into
/// the backend (natively one command buffer; in the browser one interop call; on the CPU, run in order).
/// </summary>
internal sealed class CommandGraph : GpuGraph
{
    private readonly CommandList list;
    private readonly PreparedCommands? prepared;

    public CommandGraph(GpuStream stream, CommandList list, PreparedCommands? prepared) : base(stream, list.Kernels())
    {
        this.list = list;
        this.prepared = prepared;
    }

    private protected override void ReplayCore()
    {
        list.CheckBuffers();
        Stream.Replay(list, prepared);
    }

    private protected override void ReleaseFromFinalizer()
    {
        if (prepared is { } p) Stream.Device.Releases.Defer(p.Release);
    }

    private protected override void DisposeCore() => prepared?.Release();
}
