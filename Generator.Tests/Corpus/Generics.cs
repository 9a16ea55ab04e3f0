// Corpus: generic kernels over the numeric types WGSL has (one WGSL module per type argument), generic math
// (T.Zero, T.One, T.Max, T.Clamp, T.CreateTruncating, operators through INumber<T>) and generic helpers.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Generics
{
    /// <summary>y = x * scale + 1 for every type WGSL has: the modules come from the attribute's list.</summary>
    [Kernel(Types = new[] { typeof(float), typeof(int), typeof(uint), typeof(Half) })]
    public static void ScaleAddOne<T>(ThreadId id, ReadOnlySpan<T> x, Span<T> y, T scale)
        where T : INumber<T>
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        y[i] = x[i] * scale + T.One;
    }

    /// <summary>A generic helper, T.Clamp and a conversion from the index; modules for the types of its calls (GenericCalls below).</summary>
    [Kernel]
    public static void ClampedSum<T>(ThreadId id, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, T lo, T hi)
        where T : INumber<T>
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        T s = Add(a[i], b[i]);
        y[i] = T.Clamp(s, lo, hi) + T.CreateTruncating(i % 3);
    }

    /// <summary>The largest element of each row, from T.MinValue, with a loop, compound assignment and T.Max.</summary>
    [Kernel(Types = new[] { typeof(float), typeof(int) })]
    public static void RowMax<T>(ThreadId id, ReadOnlySpan<T> x, Span<T> y, int columns)
        where T : INumber<T>, IMinMaxValue<T>
    {
        int row = id.X;
        if (row >= y.Length)
            return;
        T best = T.MinValue;
        T sum = T.Zero;
        for (int c = 0; c < columns; c++)
        {
            T v = x[row * columns + c];
            best = T.Max(best, v);
            sum += v;
        }
        y[row] = sum > T.Zero ? best : -best;
    }

    /// <summary>Floating-point generic math: T.Sqrt, T.Abs and a saturating conversion to int.</summary>
    [Kernel(Types = new[] { typeof(float) })]
    public static void RootsAndBuckets<T>(ThreadId id, ReadOnlySpan<T> x, Span<T> roots, Span<int> buckets)
        where T : IFloatingPoint<T>, IRootFunctions<T>
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        T v = x[i];
        roots[i] = T.Sqrt(T.Abs(v));
        buckets[i] = int.CreateSaturating(v * T.CreateTruncating(10));
    }

    /// <summary>Negation (wrapping for uint: 0u - x), T.Sign (uint has no WGSL sign()) and saturating int/uint conversions.</summary>
    [Kernel(Types = new[] { typeof(int), typeof(uint) })]
    public static void NegateSignSaturate<T>(ThreadId id, ReadOnlySpan<T> x, Span<T> negated, Span<int> signs, Span<uint> asUInt, Span<int> asInt)
        where T : IBinaryInteger<T>
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        T v = x[i];
        negated[i] = -v;
        signs[i] = T.Sign(v);
        asUInt[i] = uint.CreateSaturating(v);
        asInt[i] = int.CreateSaturating(v) + int.CreateTruncating(v);
    }

    /// <summary>A plain kernel calling a generic helper, inferred and explicit.</summary>
    [Kernel]
    public static void PlainWithGenericHelper(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<int> counts)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        y[i] = Add(x[i], 0.5f);
        counts[i] = Add<int>(i, 1);
    }

    private static T Add<T>(T a, T b)
        where T : INumber<T>
        => a + b;
}

/// <summary>Calls of generic kernels' stubs: the generator makes ClampedSum's modules for the type arguments used here.</summary>
public static class GenericCalls
{
    /// <summary>ClampedSum on floats (T inferred from the buffers).</summary>
    public static void ClampedSumFloats(GpuStream stream, GpuBuffer<float> a, GpuBuffer<float> b, GpuBuffer<float> y, float lo, float hi)
        => Generics.Gpu.ClampedSum(stream, a, b, y, lo, hi, y.Length);

    /// <summary>ClampedSum on ints (T given explicitly).</summary>
    public static void ClampedSumInts(GpuStream stream, GpuBuffer<int> a, GpuBuffer<int> b, GpuBuffer<int> y, int lo, int hi)
        => Generics.Gpu.ClampedSum<int>(stream, a, b, y, lo, hi, y.Length);
}
