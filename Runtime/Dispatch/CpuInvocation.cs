using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen;

/// <summary>The data of one CPU dispatch: buffer contents, uniform bytes, workgroup-shared arrays.</summary>
public sealed class CpuDispatchData
{
    /// <summary>Creates the data of a dispatch.</summary>
    public CpuDispatchData(Memory<byte>[] buffers, byte[] uniforms)
        : this(buffers, uniforms, PipelineConstants.Empty)
    {
    }

    /// <summary>The data of one dispatch with values for the kernel's override constants.</summary>
    public CpuDispatchData(Memory<byte>[] buffers, byte[] uniforms, PipelineConstants constants)
    {
        Buffers = buffers;
        Uniforms = uniforms;
        Constants = constants;
    }

    /// <summary>The values of the kernel's WGSL <c>override</c> constants given at the dispatch.</summary>
    public PipelineConstants Constants { get; }

    /// <summary>Storage buffer contents, by binding.</summary>
    public Memory<byte>[] Buffers { get; }

    /// <summary>The uniform block, laid out as in WGSL.</summary>
    public byte[] Uniforms { get; }

    /// <summary>The lanes of a subgroup the CPU backend emulates (<see cref="GpuDeviceOptions.CpuSubgroupSize"/>).</summary>
    public int SubgroupSize { get; init; } = CpuSubgroups.DefaultSize;

    /// <summary>Buffer views of the phased CPU form, made once per dispatch and binding (they are immutable).</summary>
    internal object?[] Views => views ??= new object?[Buffers.Length];

    private object?[]? views;
}

/// <summary>
/// One invocation of a kernel on the CPU backend: its ids and typed views of its bindings. The
/// generated CPU body reads its arguments from here and calls the C# kernel method.
/// </summary>
public readonly ref struct CpuInvocation
{
    private readonly CpuDispatchData data;
    private readonly byte[][] shared;
    private readonly object?[]? sharedViews;

    /// <summary>Creates an invocation.</summary>
    public CpuInvocation(CpuDispatchData data, byte[][] shared, ThreadId thread, LocalId local, GroupId group, GroupCount groups)
        : this(data, shared, null, thread, local, group, groups)
    {
    }

    /// <summary>Creates an invocation whose shared-array views are cached in <paramref name="sharedViews"/> (one slot per shared array).</summary>
    internal CpuInvocation(CpuDispatchData data, byte[][] shared, object?[]? sharedViews, ThreadId thread, LocalId local, GroupId group, GroupCount groups)
    {
        this.data = data;
        this.shared = shared;
        this.sharedViews = sharedViews;
        Thread = thread;
        Local = local;
        Group = group;
        Groups = groups;
    }

    /// <summary>Global invocation id.</summary>
    public ThreadId Thread { get; }

    /// <summary>Local invocation id.</summary>
    public LocalId Local { get; }

    /// <summary>The invocation's lane and the subgroup size: lane <c>Local.Index % size</c> (see <see cref="Subgroup"/>).</summary>
    public SubgroupId Subgroup => new(Local.Index % data.SubgroupSize, data.SubgroupSize);

    /// <summary>Workgroup id.</summary>
    public GroupId Group { get; }

    /// <summary>Number of workgroups.</summary>
    public GroupCount Groups { get; }

    /// <summary>A read-write storage buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Buffer<T>(int binding) where T : unmanaged => MemoryMarshal.Cast<byte, T>(data.Buffers[binding].Span);

    /// <summary>A read-only storage buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<T> ReadOnlyBuffer<T>(int binding) where T : unmanaged => MemoryMarshal.Cast<byte, T>(data.Buffers[binding].Span);

    /// <summary>A value of the uniform block at a byte offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Uniform<T>(int offset) where T : unmanaged => MemoryMarshal.Read<T>(data.Uniforms.AsSpan(offset));

    /// <summary>The value of override constant <paramref name="name"/> given at the dispatch, else <paramref name="defaultValue"/> (the WGSL default).</summary>
    public double Constant(string name, double defaultValue) => data.Constants.Find(name) ?? defaultValue;

    /// <summary>The workgroup-shared array with this index (parameter order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<T> Shared<T>(int index) where T : unmanaged => MemoryMarshal.Cast<byte, T>(shared[index].AsSpan());

    /// <summary>A read-write storage buffer for the phased CPU form (<see cref="KernelInfo.CpuPhased"/>).</summary>
    public CpuSpan<T> BufferView<T>(int binding) where T : unmanaged
    {
        var views = data.Views;
        if (views[binding] is not CpuSpan<T> view) views[binding] = view = new CpuSpan<T>(data.Buffers[binding]);
        return view;
    }

    /// <summary>A read-only storage buffer for the phased CPU form (<see cref="KernelInfo.CpuPhased"/>).</summary>
    public CpuReadOnlySpan<T> ReadOnlyBufferView<T>(int binding) where T : unmanaged
    {
        var views = data.Views;
        if (views[binding] is not CpuReadOnlySpan<T> view) views[binding] = view = new CpuReadOnlySpan<T>(data.Buffers[binding]);
        return view;
    }

    /// <summary>A workgroup-shared array for the phased CPU form (<see cref="KernelInfo.CpuPhased"/>).</summary>
    public CpuSpan<T> SharedView<T>(int index) where T : unmanaged
    {
        if (sharedViews is null) return new CpuSpan<T>(shared[index]);
        if (sharedViews[index] is not CpuSpan<T> view) sharedViews[index] = view = new CpuSpan<T>(shared[index]);
        return view;
    }
}
