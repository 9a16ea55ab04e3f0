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
}

/// <summary>
/// One invocation of a kernel on the CPU backend: its ids and typed views of its bindings. The
/// generated CPU body reads its arguments from here and calls the C# kernel method.
/// </summary>
public readonly ref struct CpuInvocation
{
    private readonly CpuDispatchData data;
    private readonly byte[][] shared;

    /// <summary>Creates an invocation.</summary>
    public CpuInvocation(CpuDispatchData data, byte[][] shared, ThreadId thread, LocalId local, GroupId group, GroupCount groups)
    {
        this.data = data;
        this.shared = shared;
        Thread = thread;
        Local = local;
        Group = group;
        Groups = groups;
    }

    /// <summary>Global invocation id.</summary>
    public ThreadId Thread { get; }

    /// <summary>Local invocation id.</summary>
    public LocalId Local { get; }

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
}
