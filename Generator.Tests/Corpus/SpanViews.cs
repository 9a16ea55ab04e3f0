// Corpus: span views beyond fixed slices: foreach (ref ...) over buffers, slices, per-invocation and workgroup arrays
// and pixel buffers (the loop variable is the element itself); slice starts and lengths evaluated once, in C#'s
// order, wherever the slice is used (a local, a helper argument, Length, an element, Fill); Span locals re-pointed
// within their array; spans chosen by ?: between views of one array; slices of per-invocation arrays.

using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class SpanViews
{
    /// <summary>foreach (ref ...) writing a buffer slice, a per-invocation array and a helper's slice, reading a workgroup array.</summary>
    [Kernel(WorkgroupSize = 8)]
    public static void RefLoops(ThreadId id, LocalId local, ReadOnlySpan<int> x, Span<int> y, [GroupShared(8)] Span<int> tile)
    {
        int i = id.X;
        tile[local.Index] = i < x.Length ? x[i] : 0;
        Workgroup.Barrier();
        if (i * 8 + 7 >= y.Length)
            return;
        Span<int> mine = y.Slice(i * 8, 8);
        foreach (ref int v in mine[..4])
            v += i;
        Span<int> acc = stackalloc int[4];
        foreach (ref int a in acc)
        {
            a = tile[local.Index];
            a *= 3;
        }
        foreach (ref readonly int t in tile)
            acc[0] += t;
        Twice(mine[4..]);
        int k = 0;
        foreach (ref readonly int a in acc)
            mine[4 + k++] += a;
    }

    /// <summary>foreach (ref ...) over a buffer of 4-byte pixels (C#'s byte layout): fields read and written in place.</summary>
    [Kernel]
    public static void RefPixels(ThreadId id, Span<Rgba32> pixels, int amount)
    {
        if (id.X != 0)
            return;
        foreach (ref Rgba32 p in pixels)
        {
            p.R = (byte)Math.Min(p.R + amount, 255);
            p.A = (byte)(p.G ^ p.B);
        }
    }

    /// <summary>
    /// Slice starts and lengths that call a helper (which logs the order of its calls): each evaluated once, left to
    /// right, where a slice is a local, a helper's argument, only its Length or an element is used, or it is filled.
    /// </summary>
    [Kernel]
    public static void EvaluatedOnce(ThreadId id, Span<int> y, Span<int> log)
    {
        int i = id.X;
        if ((i + 1) * 16 > y.Length || i >= log.Length)
            return;
        log[i] = 0;
        Span<int> tail = y[Tag(log, i, 1, i * 16 + 8)..];
        int a = Sum(y.Slice(Tag(log, i, 2, i * 16), 4));
        int b = y[Tag(log, i, 3, i * 16)..].Length;
        int c = y.Slice(i * 16, Tag(log, i, 4, 8))[Tag(log, i, 5, 1)];
        int d = y[^Tag(log, i, 6, 3)..].Length;
        int total = a + b * 10 + c * 100 + d * 1000 + tail.Length * 10000 + tail[0];
        y[Tag(log, i, 7, i * 16 + 12)..Tag(log, i, 8, i * 16 + 16)].Fill(total);
    }

    /// <summary>
    /// A Span local re-pointed within its buffer: walked one element at a time (row = row[1..]), set again by Slice, sliced
    /// from itself, and moved in a for loop's update; its offset and length are vars.
    /// </summary>
    [Kernel]
    public static void Walks(ThreadId id, ReadOnlySpan<int> x, Span<int> y, int width)
    {
        int i = id.X;
        if (width < 4 || (i + 1) * width > x.Length || 3 * width > x.Length || i * 4 + 3 >= y.Length)
            return;
        ReadOnlySpan<int> row = x.Slice(i * width, width);
        int peaks = 0;
        while (row.Length > 1)
        {
            if (row[0] > row[1])
                peaks++;
            row = row[1..];
        }
        int last = row[0];
        row = x.Slice(i * width, width);
        int firstHalf = Sum(row[..(width / 2)]);
        row = row.Slice(width / 2);
        int secondHalf = Sum(row);
        ReadOnlySpan<int> window = x;
        int strided = 0;
        for (int k = 0; k < 3; k++, window = window[width..])
            strided += window[i % width];
        y[i * 4] = peaks;
        y[i * 4 + 1] = last;
        y[i * 4 + 2] = firstHalf * 1000 + secondHalf;
        y[i * 4 + 3] = strided + window.Length * 1000;
    }

    /// <summary>
    /// Spans chosen by ?: between views of one array: a local, a helper's argument (only the chosen branch's bound
    /// evaluated, as C# does), Length of a chosen span, and a chosen slice of a slice written through.
    /// </summary>
    [Kernel]
    public static void Choices(ThreadId id, ReadOnlySpan<int> x, Span<int> y, Span<int> log)
    {
        int i = id.X;
        if (i * 4 + 3 >= y.Length || i >= log.Length || x.Length < 8)
            return;
        log[i] = 0;
        ReadOnlySpan<int> half = i % 2 == 0 ? x[..(x.Length / 2)] : x[(x.Length / 2)..];
        y[i * 4] = half[0] + half.Length * 1000;
        y[i * 4 + 1] = Sum(i % 3 == 0 ? x.Slice(Tag(log, i, 1, 2), 3) : x[^Tag(log, i, 2, 4)..]);
        y[i * 4 + 2] = (i > 5 ? half : x).Length;
        Span<int> mine = y.Slice(i * 4, 4);
        Span<int> cell = i % 2 == 0 ? mine[3..] : mine.Slice(2, 2);
        cell[^1] = log[i] * 10 + cell.Length;
    }

    /// <summary>
    /// Slices of a per-invocation array: helpers given one (a pointer to the array, the offset and the length) write
    /// through it and pass a slice of it on; Fill, foreach (ref ...), a slice local, a re-pointed one and a ?: between
    /// the array and a slice of it (the whole array as a ?: operand, also passed to a helper).
    /// </summary>
    [Kernel]
    public static void LocalSlices(ThreadId id, ReadOnlySpan<float> x, Span<float> y, int n)
    {
        int i = id.X;
        if (i * 4 + 3 >= y.Length || i >= x.Length || n < 0 || n > 16)
            return;
        Span<float> acc = stackalloc float[16];
        for (int k = 0; k < 16; k++)
            acc[k] = x[i] + k;
        ScaleAndBump(acc.Slice(4, 4), 2f);
        acc[..n].Fill(-1f);
        Span<float> upper = acc[8..];
        upper[1] = SumOf(upper);
        foreach (ref float v in acc[12..])
            v *= 0.5f;
        Span<float> walk = acc[..];
        float firsts = 0f;
        while (walk.Length > 12)
        {
            firsts += walk[0];
            walk = walk[1..];
        }
        y[i * 4] = SumOf(acc);
        y[i * 4 + 1] = firsts + walk.Length + (i % 3 == 0 ? acc : acc[4..]).Length * 100;
        y[i * 4 + 2] = SumOf(i % 2 == 0 ? acc : acc[8..]);
        y[i * 4 + 3] = upper[1];
    }

    /// <summary>
    /// Span parameters re-pointed: a helper walking its span (s = s[1..]) given a buffer slice, a per-invocation array
    /// and a slice of one; the kernel's own buffer parameter walked to its last three elements.
    /// </summary>
    [Kernel]
    public static void ParameterWalks(ThreadId id, ReadOnlySpan<int> x, Span<int> y)
    {
        int i = id.X;
        if (i * 2 + 1 >= y.Length || x.Length < 4)
            return;
        Span<int> a = stackalloc int[4];
        for (int k = 0; k < 4; k++)
            a[k] = x[k] * (i + 1);
        y[i * 2] = Weighted(x[(i % 4)..]) + Weighted(a[1..]) * 1000;
        while (x.Length > 3)
            x = x[1..];
        y[i * 2 + 1] = Weighted(x) + Weighted(a) * 1000;
    }

    private static int Weighted(ReadOnlySpan<int> s)
    {
        int t = 0, w = 1;
        while (!s.IsEmpty)
        {
            t += s[0] * w++;
            s = s[1..];
        }
        return t;
    }

    private static void ScaleAndBump(Span<float> s, float f)
    {
        for (int k = 0; k < s.Length; k++)
            s[k] *= f;
        Bump(s[1..]);
    }

    private static void Bump(Span<float> s)
    {
        s[0] += 100f;
        s[^1] += 1000f;
    }

    private static float SumOf(ReadOnlySpan<float> s)
    {
        float t = 0f;
        foreach (float v in s)
            t += v;
        return t;
    }

    private static void Twice(Span<int> s)
    {
        foreach (ref var v in s)
            v = v * 2 + 1;
    }

    private static int Sum(ReadOnlySpan<int> s)
    {
        int t = 0;
        foreach (int v in s)
            t += v;
        return t;
    }

    /// <summary>Appends <paramref name="tag"/> to the invocation's log (a decimal digit) and returns <paramref name="value"/>.</summary>
    private static int Tag(Span<int> log, int at, int tag, int value)
    {
        log[at] = log[at] * 10 + tag;
        return value;
    }
}
