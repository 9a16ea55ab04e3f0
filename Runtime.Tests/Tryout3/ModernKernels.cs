using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout3;

public struct Stats
{
    public float Min, Max, Mean;
    public int Count;
}

/// <summary>Modern C# as the IDE suggests it: ranges, slices to helpers, stackalloc scratch, tuples, ref locals, `with`, patterns.</summary>
public static partial class Modern
{
    static void InsertionSort(Span<float> s)
    {
        for (var i = 1; i < s.Length; i++)
        {
            var key = s[i];
            var j = i - 1;
            while (j >= 0 && s[j] > key)
            {
                s[j + 1] = s[j];
                j--;
            }
            s[j + 1] = key;
        }
    }

    /// <summary>A 5-tap median filter with a stackalloc window sorted by a helper taking Span&lt;float&gt;.</summary>
    [Kernel]
    public static void Median5(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        var i = id.X;
        if (i >= x.Length) return;
        Span<float> window = stackalloc float[5];
        for (var k = -2; k <= 2; k++) window[k + 2] = x[Math.Clamp(i + k, 0, x.Length - 1)];
        InsertionSort(window);
        y[i] = window[2];
    }

    static float Horner(ReadOnlySpan<float> coefficients, float x)
    {
        var acc = 0f;
        for (var k = coefficients.Length - 1; k >= 0; k--) acc = acc * x + coefficients[k];
        return acc;
    }

    /// <summary>Polynomials of per-row degree: the row's coefficients passed on as a range of a slice.</summary>
    [Kernel]
    public static void Polynomials(ThreadId id, ReadOnlySpan<float> coefficients, ReadOnlySpan<int> degrees, ReadOnlySpan<float> xs, Span<float> ys, int stride)
    {
        var r = id.X;
        if (r >= ys.Length) return;
        var row = coefficients.Slice(r * stride, stride);
        ys[r] = Horner(row[..(degrees[r] + 1)], xs[r]);
    }

    static (float Min, float Max) MinMax(ReadOnlySpan<float> v)
    {
        (float min, float max) = (float.MaxValue, float.MinValue);
        foreach (var e in v) (min, max) = (MathF.Min(min, e), MathF.Max(max, e));
        return (min, max);
    }

    /// <summary>Per-row statistics into a struct with `with`, min/max from a tuple-returning helper, the first and last via ^1.</summary>
    [Kernel]
    public static void RowStats(ThreadId id, ReadOnlySpan<float> x, Span<Stats> stats, Span<Vector2> ends, int cols)
    {
        var r = id.X;
        if (r >= stats.Length) return;
        var row = x.Slice(r * cols, cols);
        var (min, max) = MinMax(row);
        var sum = 0f;
        foreach (var v in row) sum += v;
        Stats s = new() { Count = cols };
        s = s with { Min = min, Max = max, Mean = sum / cols };
        stats[r] = s;
        ends[r] = new(row[0], row[^1]);
    }

    /// <summary>Run lengths along a row: counting value changes with a ref local to the counter and an `is not` pattern.</summary>
    [Kernel]
    public static void Runs(ThreadId id, ReadOnlySpan<int> x, Span<int> runs, Span<int> longest, int cols)
    {
        var r = id.X;
        if (r >= runs.Length) return;
        ref var count = ref runs[r];
        count = 1;
        int current = 1, best = 1;
        var row = x.Slice(r * cols, cols);
        var rest = row[1..];
        for (var k = 0; k < rest.Length; k++)
        {
            if (rest[k] != row[k]) { count++; current = 1; }
            else best = Math.Max(best, ++current);
        }
        longest[r] = best;
    }

    /// <summary>Sorting three values per element with tuple swaps and returning their ranks as a packed int.</summary>
    [Kernel]
    public static void Sort3(ThreadId id, ReadOnlySpan<Vector3> v, Span<Vector3> sorted, Span<int> order)
    {
        var i = id.X;
        if (i >= v.Length) return;
        var (a, b, c) = (v[i].X, v[i].Y, v[i].Z);
        var (ia, ib, ic) = (0, 1, 2);
        if (a > b) { (a, b) = (b, a); (ia, ib) = (ib, ia); }
        if (b > c) { (b, c) = (c, b); (ib, ic) = (ic, ib); }
        if (a > b) { (a, b) = (b, a); (ia, ib) = (ib, ia); }
        sorted[i] = new(a, b, c);
        order[i] = ia | ib << 4 | ic << 8;
    }
}
