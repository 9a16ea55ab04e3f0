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

/// <summary>What a recorded command does.</summary>
internal enum CommandKind : byte
{
    /// <summary>A compute dispatch: pipeline, bindings, uniform slice, workgroup count.</summary>
    Dispatch,

    /// <summary>A buffer-to-buffer copy (buffers: source, destination).</summary>
    Copy,

    /// <summary>Zeroing a byte range (buffers: destination).</summary>
    Clear,
}

/// <summary>
/// One command of a <see cref="CommandList"/>. A dispatch names its pipeline (kernel + override constants, the
/// pipeline key), its buffers (a range of the list's buffer table), its uniform block (an offset into the list's
/// one uniform arena, -1 for none) and whether it is timed (timestamps around it).
/// </summary>
internal readonly record struct RecordedCommand(
    CommandKind Kind, CompiledPipeline? Pipeline, int FirstBuffer, int BufferCount, int UniformOffset, WorkgroupCount Groups,
    long SourceOffset, long DestinationOffset, long Bytes, bool Timed)
{
    public bool IsDispatch => Kind == CommandKind.Dispatch;

    public KernelInfo Kernel => Pipeline!.Kernel;
}

/// <summary>
/// The backend-independent command list every stream records and every graph captures: dispatches with their
/// pipeline, bindings and uniform slice from one arena, copies, clears, and which dispatches are timed. Native
/// encodes it into one Dawn command buffer at submit, the browser hands it to JavaScript in one call, the CPU
/// runs it. A stream's list has a fixed arena (full: the stream submits and starts again); a graph's grows.
/// While a stream's list holds a buffer, the buffer's release waits for the submit (<see cref="BufferStorage.Release"/>).
/// </summary>
internal sealed class CommandList
{
    private readonly int alignment;
    private readonly bool growable;
    private readonly bool holdsBuffers;
    private RecordedCommand[] commands = new RecordedCommand[64];
    private GpuBuffer[] buffers = new GpuBuffer[256];
    private byte[] arena;
    private int count;
    private int bufferCount;
    private int arenaUsed;

    /// <param name="arenaBytes">The uniform arena's (initial) size.</param>
    /// <param name="alignment">Uniform slices start at multiples of this (the device's minUniformBufferOffsetAlignment, at least 16).</param>
    /// <param name="growable">True for a graph's list (the arena grows); false for a stream's (full means submit).</param>
    /// <param name="holdsBuffers">True for a stream's list: recorded buffers are released only after the submit.</param>
    public CommandList(int arenaBytes, int alignment, bool growable, bool holdsBuffers)
    {
        this.alignment = alignment;
        this.growable = growable;
        this.holdsBuffers = holdsBuffers;
        arena = new byte[arenaBytes];
    }

    /// <summary>Commands recorded (dispatches and transfers).</summary>
    public int Count => count;

    /// <summary>Dispatches recorded.</summary>
    public int DispatchCount { get; private set; }

    /// <summary>Dispatches recorded with timestamps.</summary>
    public int TimedCount { get; private set; }

    public ReadOnlySpan<RecordedCommand> Commands => commands.AsSpan(0, count);

    /// <summary>The uniform bytes in use (rounded up to whole 4-byte words, as a queue write needs).</summary>
    public ReadOnlySpan<byte> Uniforms => arena.AsSpan(0, (arenaUsed + 3) & ~3);

    /// <summary>The buffers of one command (dispatch: its bindings; copy: source, destination; clear: destination).</summary>
    public ReadOnlySpan<GpuBuffer> BuffersOf(in RecordedCommand command) => buffers.AsSpan(command.FirstBuffer, command.BufferCount);

    /// <summary>The uniform block of a dispatch (empty when its kernel has none).</summary>
    public ReadOnlySpan<byte> UniformsOf(in RecordedCommand command)
        => command.UniformOffset < 0 ? [] : arena.AsSpan(command.UniformOffset, command.Kernel.UniformSize);

    /// <summary>The kernels of the dispatches, in order.</summary>
    public KernelInfo[] Kernels()
    {
        var kernels = new KernelInfo[DispatchCount];
        var k = 0;
        foreach (ref readonly var c in Commands)
            if (c.IsDispatch) kernels[k++] = c.Kernel;
        return kernels;
    }

    /// <summary>Appends a dispatch; false (nothing appended) when a fixed arena has no room for its uniforms.</summary>
    public bool TryAddDispatch(CompiledPipeline pipeline, ReadOnlySpan<GpuBuffer> bindings, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, bool timed)
    {
        var offset = -1;
        if (!uniforms.IsEmpty)
        {
            var slot = (uniforms.Length + alignment - 1) / alignment * alignment;
            if (arenaUsed + slot > arena.Length)
            {
                if (!growable) return false;
                Array.Resize(ref arena, Math.Max(arena.Length * 2, arenaUsed + slot));
            }
            offset = arenaUsed;
            uniforms.CopyTo(arena.AsSpan(offset));
            arena.AsSpan(offset + uniforms.Length, slot - uniforms.Length).Clear();
            arenaUsed += slot;
        }
        Add(new RecordedCommand(CommandKind.Dispatch, pipeline, AddBuffers(bindings), bindings.Length, offset, groups, 0, 0, 0, timed));
        DispatchCount++;
        if (timed) TimedCount++;
        return true;
    }

    /// <summary>Appends a copy or clear.</summary>
    public void AddTransfer(in BufferTransfer transfer)
    {
        if (transfer.Source is { } source)
        {
            ReadOnlySpan<GpuBuffer> pair = [source, transfer.Destination];
            Add(new RecordedCommand(CommandKind.Copy, null, AddBuffers(pair), 2, -1, default, transfer.SourceOffset, transfer.DestinationOffset, transfer.Bytes, false));
        }
        else
        {
            ReadOnlySpan<GpuBuffer> one = [transfer.Destination];
            Add(new RecordedCommand(CommandKind.Clear, null, AddBuffers(one), 1, -1, default, 0, transfer.DestinationOffset, transfer.Bytes, false));
        }
    }

    private void Add(in RecordedCommand command)
    {
        if (count == commands.Length) Array.Resize(ref commands, commands.Length * 2);
        commands[count++] = command;
    }

    private int AddBuffers(ReadOnlySpan<GpuBuffer> added)
    {
        var first = bufferCount;
        if (bufferCount + added.Length > buffers.Length) Array.Resize(ref buffers, Math.Max(buffers.Length * 2, bufferCount + added.Length));
        for (var i = 0; i < added.Length; i++)
        {
            buffers[bufferCount++] = added[i];
            if (holdsBuffers) added[i].RawStorage.HoldForSubmit();
        }
        return first;
    }

    /// <summary>Empties the list (after its submit): buffers whose release waited for it are released now.</summary>
    public void Reset()
    {
        var held = buffers.AsSpan(0, bufferCount);
        List<Exception>? errors = null;
        if (holdsBuffers)
        {
            foreach (var b in held)
            {
                try
                {
                    b.RawStorage.EndHoldForSubmit();
                }
                catch (Exception e)
                {
                    (errors ??= []).Add(e);
                }
            }
        }
        held.Clear();
        count = bufferCount = arenaUsed = 0;
        DispatchCount = TimedCount = 0;
        if (errors != null) throw new AggregateException("Releasing buffers disposed while their work was pending failed.", errors);
    }

    /// <summary>Throws when a buffer of a command was disposed (before a graph replays).</summary>
    public void CheckBuffers()
    {
        foreach (ref readonly var c in Commands)
        {
            var bound = BuffersOf(c);
            for (var i = 0; i < bound.Length; i++)
            {
                if (!bound[i].IsDisposed) continue;
                throw new ObjectDisposedException(bound[i].ToString(), c.IsDispatch
                    ? $"{DispatchValidation.Describe(c.Kernel)}: buffer '{c.Kernel.Bindings[i].Name}' of a captured graph was disposed; recapture the graph."
                    : $"A buffer of a captured {(c.Kind == CommandKind.Copy ? "copy" : "clear")} was disposed; recapture the graph.");
            }
        }
    }
}
