// Corpus: span slices of buffers and workgroup arrays (Slice(start[, length]), ranges a..b with ^k bounds, index from
// the end ^k, Length/IsEmpty of a slice), stored in Span locals, passed to helpers (which slice them again, pass them
// on, read, write and enumerate them): lowered to the array plus an offset and a length.

using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Slices
{
    /// <summary>Per-row statistics through helpers given rows as slices; a row of the output written through a slice local.</summary>
    [Kernel]
    public static void RowStats(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<float> stats, int width)
    {
        int row = id.X;
        if (width < 2 || (row + 1) * width > x.Length || (row + 1) * width > y.Length || row * 4 + 3 >= stats.Length)
            return;
        ReadOnlySpan<float> line = x.Slice(row * width, width);
        stats[row * 4] = Sum(line);
        stats[row * 4 + 1] = Sum(x[(row * width + 1)..((row + 1) * width)]);
        stats[row * 4 + 2] = line[^1] + line.Length + x[^1] * 10f;
        stats[row * 4 + 3] = MaxOf(line[..(width / 2)]);
        Span<float> outRow = y.Slice(row * width, width);
        Copy(line, outRow);
        Scale(outRow[1..], 2f);
        outRow[0] = -outRow[0];
        outRow.Slice(width - 1).Fill(line[0]);
    }

    /// <summary>Windows of a workgroup array and the buffer's tail: foreach over a slice, ^k on a slice (the CPU's phased form).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void TileWindows(ThreadId id, LocalId local, ReadOnlySpan<int> x, Span<int> y, [GroupShared(64)] Span<int> tile)
    {
        int i = id.X;
        tile[local.Index] = i < x.Length ? x[i] : 0;
        Workgroup.Barrier();
        if (i >= y.Length || x.Length < 4)
            return;
        Span<int> group = tile.Slice(local.Index / 8 * 8, 8);
        int total = 0;
        foreach (int v in group)
            total += v;
        ReadOnlySpan<int> tail = x.Slice(x.Length - 4);
        y[i] = total * 100 + group[^1] + (group.IsEmpty ? 1000 : 0) + CountAbove(tail[..], x[i]) * 10000 + tail[^1] * 3;
    }

    /// <summary>^k on per-invocation arrays, a Span local naming a whole buffer, CopyTo and Clear between slices.</summary>
    [Kernel]
    public static void Moves(ThreadId id, Span<int> y, ReadOnlySpan<int> x)
    {
        int i = id.X;
        if (i * 6 + 5 >= y.Length || x.Length < 6)
            return;
        int[] weights = { 1, 2, 3 };
        Span<int> bias = stackalloc int[] { 10, 20 };
        ReadOnlySpan<int> all = x;
        Span<int> mine = y.Slice(i * 6, 6);
        x[..3].CopyTo(mine[3..]);
        mine[..2].Clear();
        mine[2] = weights[^1] * 100 + bias[^2] + Sum3(all[^3..]) + all.Length;
    }

    private static float Sum(ReadOnlySpan<float> s)
    {
        float t = 0f;
        for (int i = 0; i < s.Length; i++)
            t += s[i];
        return t;
    }

    private static float MaxOf(ReadOnlySpan<float> s)
    {
        float m = float.MinValue;
        foreach (float v in s)
            m = MathF.Max(m, v);
        return m;
    }

    private static void Copy(ReadOnlySpan<float> from, Span<float> to)
    {
        for (int i = 0; i < from.Length; i++)
            to[i] = from[i];
    }

    private static void Scale(Span<float> s, float f)
    {
        ScaleAll(s.Slice(0, s.Length / 2), f);
        ScaleAll(s[(s.Length / 2)..], f);
    }

    private static void ScaleAll(Span<float> s, float f)
    {
        for (int i = 0; i < s.Length; i++)
            s[i] *= f;
    }

    private static int Sum3(ReadOnlySpan<int> s) => s[0] + s[1] + s[^1];

    private static int CountAbove(ReadOnlySpan<int> s, int v)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] > v)
                n++;
        }
        return n;
    }
}
