// Corpus: tuple values (generated WGSL structs Tuple_f32_i32 with fields Item1..): helpers returning and taking
// tuples, element names and ItemN, deconstruction of tuple values, tuple locals assigned later, conversions, ==/!=,
// nested tuples, tuples of vectors and structs, tuple fields of local structs, per-invocation arrays of tuples,
// [GroupShared] arrays of tuples, a barrier kernel and a generic kernel.
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A local-only struct with a tuple field (tuples never cross to the host: KG0067).</summary>
public struct Interval
{
    public (float Lo, float Hi) Bounds;
    public int Count;
}

public static partial class TupleValues
{
    /// <summary>The smallest and largest of x[start..start+count), as a named tuple built in a loop.</summary>
    private static (float min, float max) MinMax(ReadOnlySpan<float> x, int start, int count)
    {
        var r = (min: float.MaxValue, max: float.MinValue);
        for (int k = start; k < start + count && k < x.Length; k++)
            r = (MathF.Min(r.min, x[k]), MathF.Max(r.max, x[k]));
        return r;
    }

    private static float Width((float lo, float hi) t) => t.hi - t.lo;

    private static (int index, float value) ArgMax((int, float) a, (int, float) b) => b.Item2 > a.Item2 ? b : a;

    /// <summary>Per-row statistics through tuple-valued helpers, deconstruction, element names and ItemN.</summary>
    [Kernel]
    public static void RowStats(ThreadId id, ReadOnlySpan<float> x, Span<float> stats, Span<int> flags, int columns)
    {
        int row = id.X;
        if (row * 4 + 3 >= stats.Length || row >= flags.Length)
            return;
        var (lo, hi) = MinMax(x, row * columns, columns);
        var r = MinMax(x, row * columns, columns / 2);
        (int index, float value) best = (-1, float.MinValue);
        for (int c = 0; c < columns; c++)
            best = ArgMax(best, (c, x[row * columns + c]));
        (float, float) half;
        if (columns > 2)
            half = (r.min, r.Item2);
        else
            half = (0f, 0f);
        stats[row * 4] = lo;
        stats[row * 4 + 1] = Width((lo, hi));
        stats[row * 4 + 2] = Width(half) + best.value;
        stats[row * 4 + 3] = best.index;
        int f = 0;
        if (MinMax(x, row * columns, columns) == (lo, hi))
            f |= 1;
        if (r != (lo, hi))
            f |= 2;
        if ((best.index, 0) == (0, 0))
            f |= 4;
        flags[row] = f;
    }

    private static int Next(Span<int> calls, int i, int v)
    {
        calls[i] = calls[i] * 10 + v;
        return v;
    }

    /// <summary>Evaluation order: tuple elements left to right once, conversions, nested tuples and comparisons of helper results.</summary>
    [Kernel]
    public static void Ordered(ThreadId id, Span<int> calls, Span<float> y)
    {
        int i = id.X;
        if (i >= calls.Length || i >= y.Length)
            return;
        calls[i] = 0;
        var t = (Next(calls, i, 1), Next(calls, i, 2) * 10);
        (float, float) p = t;
        (float a, float b) q = (Next(calls, i, 3), 4);
        ((int x, int z) pair, float w) nested = ((t.Item1, t.Item2), q.b);
        var ((nx, _), nw) = nested;
        bool same = (Next(calls, i, 5), Next(calls, i, 6)) == (5, Next(calls, i, 7) - 1);
        y[i] = p.Item1 + p.Item2 + q.a * q.b + nx + nw + nested.pair.z + (same ? 1000f : 0f);
    }

    private static (Vector2 sum, Interval range) Accumulate((Vector2 sum, Interval range) acc, Vector2 v)
    {
        acc.sum += v;
        acc.range.Bounds.Lo = MathF.Min(acc.range.Bounds.Lo, v.X);
        acc.range.Bounds = (acc.range.Bounds.Lo, MathF.Max(acc.range.Bounds.Hi, v.Y));
        acc.range.Count++;
        return acc;
    }

    /// <summary>Tuples of vectors and structs, a struct with a tuple field, a per-invocation array of tuples.</summary>
    [Kernel]
    public static void Composite(ThreadId id, ReadOnlySpan<Vector2> points, Span<Vector4> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        var acc = (sum: Vector2.Zero, range: new Interval { Bounds = (float.MaxValue, float.MinValue) });
        Span<(int, float)> picks = stackalloc (int, float)[4];
        for (int k = 0; k < 4; k++)
        {
            int j = (i + k * 7) % points.Length;
            acc = Accumulate(acc, points[j]);
            picks[k] = (j, points[j].Length());
        }
        (int at, float len) longest = picks[0];
        for (int k = 1; k < 4; k++)
        {
            if (picks[k].Item2 > longest.len)
                longest = picks[k];
        }
        y[i] = new Vector4(acc.sum, acc.range.Bounds.Hi - acc.range.Bounds.Lo, longest.at + acc.range.Count * 1000);
    }

    /// <summary>A workgroup arg-min over [GroupShared] tuples, and tuple locals across barriers (the CPU's phased form).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void GroupArgMin(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<float> x, Span<int> where, [GroupShared(64)] Span<(float value, int index)> tile)
    {
        int i = id.X;
        var mine = (value: i < x.Length ? x[i] : float.MaxValue, index: i);
        tile[local.Index] = mine;
        Workgroup.Barrier();
        for (int stride = 32; stride > 0; stride /= 2)
        {
            if (local.Index < stride)
            {
                var (v, at) = tile[local.Index + stride];
                if (v < tile[local.Index].value || (v == tile[local.Index].value && at < tile[local.Index].index))
                    tile[local.Index] = (v, at);
            }
            Workgroup.Barrier();
        }
        if (local.Index == 0 && group.X < where.Length)
            where[group.X] = tile[0].index + (mine.index == i ? 0 : 1000000);
    }

    private static (T lo, T hi) Order<T>(T a, T b) where T : INumber<T> => a < b ? (a, b) : (b, a);

    /// <summary>A generic kernel with a generic tuple-valued helper: one module per type.</summary>
    [Kernel(Types = new[] { typeof(float), typeof(int) })]
    public static void SortPairs<T>(ThreadId id, Span<T> data) where T : INumber<T>
    {
        int i = id.X;
        if (i * 2 + 1 >= data.Length)
            return;
        (T, T) sorted = Order(data[i * 2], data[i * 2 + 1]);
        (data[i * 2], data[i * 2 + 1]) = sorted;
    }
}

public static partial class TupleValues
{
    /// <summary>Tuples with byte and uint elements (two structs: a byte element keeps its range), 'with' on a tuple, element compound assignments.</summary>
    [Kernel]
    public static void Narrow(ThreadId id, ReadOnlySpan<int> x, Span<int> y)
    {
        int i = id.X;
        if (i >= x.Length || i >= y.Length)
            return;
        (byte low, int rest) split = ((byte)x[i], x[i] >> 8);
        (uint wide, int rest) same = ((uint)x[i], x[i] >> 8);
        split.low += 200;
        split.rest++;
        var shifted = split with { low = (byte)(split.low + 100) };
        same.wide += 200u;
        y[i] = shifted.low + split.low * 1000 + split.rest * 1000000 + (int)(same.wide & 0xFFFu) * 0 + (same.rest == split.rest - 1 ? 1 : 0);
    }
}
