// Corpus: helper methods (emitted as WGSL functions), names that are WGSL keywords, constants.
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Helpers
{
    private const float Epsilon = 1e-5f;

    /// <summary>Transitive helpers (SiluScaled -> Activation.Silu -> Activation.Sigmoid), each emitted once.</summary>
    [Kernel]
    public static void TransitiveHelpers(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float scale)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        y[i] = SiluScaled(x[i], scale) + Activation.Sigmoid(x[i]);
    }

    /// <summary>Layer normalisation of one row per thread; a helper with loops and early return.</summary>
    [Kernel(WorkgroupSize = 16)]
    public static void RowNormalize(ThreadId id, ReadOnlySpan<float> x, Span<float> y, int rows, int columns)
    {
        int row = id.X;
        if (row >= rows)
            return;
        float mean = 0f;
        for (int c = 0; c < columns; c++)
            mean += x[row * columns + c];
        mean /= columns;
        float variance = 0f;
        for (int c = 0; c < columns; c++)
            variance += Square(x[row * columns + c] - mean);
        variance /= columns;
        float inverse = InverseStandardDeviation(variance);
        for (int c = 0; c < columns; c++)
            y[row * columns + c] = (x[row * columns + c] - mean) * inverse;
    }

    /// <summary>C# names that are WGSL keywords or built-ins are escaped (loop, var, select, max, Uniforms...).</summary>
    [Kernel]
    public static void ReservedNames(ThreadId id, ReadOnlySpan<float> @fn, Span<float> loop, int select, float uniforms)
    {
        int var = id.X;
        if (var >= loop.Length)
            return;
        float max = MathF.Max(@fn[var], uniforms);
        int let = var + select;
        loop[var] = max + let + Clamp01(max);
    }

    /// <summary>A helper that writes to its parameter, and an overloaded helper (two WGSL names).</summary>
    [Kernel]
    public static void OverloadedHelpers(ThreadId id, ReadOnlySpan<int> a, Span<int> ints, Span<float> floats)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        ints[i] = Twice(a[i]) + CountDown(a[i]);
        floats[i] = Twice(a[i] * 0.5f);
    }

    /// <summary>One helper over two different buffers: two WGSL functions, each reading its buffer.</summary>
    [Kernel]
    public static void AddNeighbours(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> sum)
    {
        int i = id.X;
        if (i >= sum.Length)
            return;
        sum[i] = NeighbourAverage(a, i) + NeighbourAverage(b, i);
    }

    private static float NeighbourAverage(ReadOnlySpan<float> values, int i)
    {
        int last = values.Length - 1;
        float left = values[Math.Max(i - 1, 0)];
        float right = values[Math.Min(i + 1, last)];
        return (left + values[Math.Min(i, last)] + right) / 3f;
    }

    private static float SiluScaled(float v, float scale) => scale * Activation.Silu(v);

    private static float Square(float v) => v * v;

    private static float InverseStandardDeviation(float variance)
    {
        if (variance <= 0f)
            return 1f / MathF.Sqrt(Epsilon);
        return 1f / MathF.Sqrt(variance + Epsilon);
    }

    private static float Clamp01(float select) => Math.Clamp(select, 0f, 1f);

    private static int Twice(int v) => v * 2;

    private static float Twice(float v) => v * 2f;

    private static int CountDown(int n)
    {
        int steps = 0;
        n = Math.Min(n, 100);
        while (n > 0)
        {
            n -= 10;
            steps++;
        }
        return steps;
    }
}
