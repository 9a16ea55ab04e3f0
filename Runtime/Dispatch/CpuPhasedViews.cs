using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen;

/// <summary>
/// Runs one invocation of a barrier kernel on the CPU backend as a sequence of phases: the generated
/// iterator runs the kernel body up to its next <see cref="Workgroup.Barrier"/> on each
/// <see cref="System.Collections.IEnumerator.MoveNext"/> (the value yielded is the barrier's ordinal in the body).
/// </summary>
public delegate IEnumerator<int> CpuPhasedKernelBody(in CpuInvocation invocation);

/// <summary>
/// A read-write storage buffer or workgroup-shared array seen from the phased CPU form of a kernel
/// (an iterator cannot hold a <see cref="Span{T}"/>): indexes like a span, converts to one for helper calls.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class CpuSpan<T> where T : unmanaged
{
    private readonly byte[]? array;
    private readonly int offset;
    private readonly Memory<byte> memory;

    internal CpuSpan(Memory<byte> memory)
    {
        this.memory = memory;
        Length = memory.Length / Unsafe.SizeOf<T>();
        if (MemoryMarshal.TryGetArray<byte>(memory, out var segment))
        {
            array = segment.Array;
            offset = segment.Offset;
        }
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>True when there are no elements.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The element at <paramref name="index"/>, by reference; throws <see cref="IndexOutOfRangeException"/> outside the buffer.</summary>
    public ref T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length) ThrowIndex();
            if (array is null) return ref MemoryMarshal.Cast<byte, T>(memory.Span)[index];
            return ref Unsafe.Add(ref Unsafe.As<byte, T>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset)), index);
        }
    }

    /// <summary>The elements as a span.</summary>
    public Span<T> AsSpan() => MemoryMarshal.Cast<byte, T>(memory.Span);

    /// <summary>A slice from <paramref name="start"/> to the end, as <see cref="Span{T}.Slice(int)"/>.</summary>
    public Span<T> Slice(int start) => AsSpan().Slice(start);

    /// <summary>A slice, as <see cref="Span{T}.Slice(int, int)"/>.</summary>
    public Span<T> Slice(int start, int length) => AsSpan().Slice(start, length);

    /// <summary>Enumerates the elements by reference, as a span does.</summary>
    public Span<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    /// <summary>The elements as a span.</summary>
    public static implicit operator Span<T>(CpuSpan<T> view) => view is null ? default : view.AsSpan();

    /// <summary>The elements as a read-only span.</summary>
    public static implicit operator ReadOnlySpan<T>(CpuSpan<T> view) => view is null ? default : view.AsSpan();

    [MethodImpl(MethodImplOptions.NoInlining)]
#pragma warning disable CA2201 // The same exception a span throws, so errors read the same on both CPU paths.
    private static void ThrowIndex() => throw new IndexOutOfRangeException();
#pragma warning restore CA2201
}

/// <summary>A read-only storage buffer seen from the phased CPU form of a kernel; see <see cref="CpuSpan{T}"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class CpuReadOnlySpan<T> where T : unmanaged
{
    private readonly byte[]? array;
    private readonly int offset;
    private readonly Memory<byte> memory;

    internal CpuReadOnlySpan(Memory<byte> memory)
    {
        this.memory = memory;
        Length = memory.Length / Unsafe.SizeOf<T>();
        if (MemoryMarshal.TryGetArray<byte>(memory, out var segment))
        {
            array = segment.Array;
            offset = segment.Offset;
        }
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>True when there are no elements.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The element at <paramref name="index"/>; throws <see cref="IndexOutOfRangeException"/> outside the buffer.</summary>
    public ref readonly T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length) ThrowIndex();
            if (array is null) return ref MemoryMarshal.Cast<byte, T>(memory.Span)[index];
            return ref Unsafe.Add(ref Unsafe.As<byte, T>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset)), index);
        }
    }

    /// <summary>The elements as a read-only span.</summary>
    public ReadOnlySpan<T> AsSpan() => MemoryMarshal.Cast<byte, T>(memory.Span);

    /// <summary>A slice from <paramref name="start"/> to the end, as <see cref="ReadOnlySpan{T}.Slice(int)"/>.</summary>
    public ReadOnlySpan<T> Slice(int start) => AsSpan().Slice(start);

    /// <summary>A slice, as <see cref="ReadOnlySpan{T}.Slice(int, int)"/>.</summary>
    public ReadOnlySpan<T> Slice(int start, int length) => AsSpan().Slice(start, length);

    /// <summary>Enumerates the elements, as a read-only span does.</summary>
    public ReadOnlySpan<T>.Enumerator GetEnumerator() => AsSpan().GetEnumerator();

    /// <summary>The elements as a read-only span.</summary>
    public static implicit operator ReadOnlySpan<T>(CpuReadOnlySpan<T> view) => view is null ? default : view.AsSpan();

    [MethodImpl(MethodImplOptions.NoInlining)]
#pragma warning disable CA2201 // The same exception a span throws, so errors read the same on both CPU paths.
    private static void ThrowIndex() => throw new IndexOutOfRangeException();
#pragma warning restore CA2201
}
