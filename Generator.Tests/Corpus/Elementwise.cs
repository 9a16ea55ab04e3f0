// Corpus: elementwise kernels (activations, scaling, casts). Compiled by Generator.Tests (WGSL
// snapshots) and by Runtime.Tests (executed on WebGPU and on the CPU backend).
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Elementwise
{
    /// <summary>y = x * sigmoid(x), the EfficientNet activation.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Silu(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float v = x[i];
        y[i] = v / (1f + MathF.Exp(-v));
    }

    /// <summary>y = max(x, 0).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Relu(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i < y.Length)
            y[i] = MathF.Max(x[i], 0f);
    }

    /// <summary>y = a * x + b with uniform a, b (an axpy with a scalar offset).</summary>
    [Kernel(WorkgroupSize = 128)]
    public static void ScaleShift(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float scale, float shift)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        y[i] = scale * x[i] + shift;
    }

    /// <summary>Clamps into [lo, hi] with a ternary and with Math.Clamp (two outputs that must agree).</summary>
    [Kernel]
    public static void ClampBoth(ThreadId id, ReadOnlySpan<float> x, Span<float> viaTernary, Span<float> viaClamp, float lo, float hi)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = x[i];
        viaTernary[i] = v < lo ? lo : v > hi ? hi : v;
        viaClamp[i] = Math.Clamp(v, lo, hi);
    }

    /// <summary>Hard-swish: x * relu6(x + 3) / 6.</summary>
    [Kernel]
    public static void HardSwish(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float v = x[i];
        float relu6 = MathF.Min(MathF.Max(v + 3f, 0f), 6f);
        y[i] = v * relu6 * (1f / 6f);
    }

    /// <summary>Tanh-approximated GELU; exercises Pow, Tanh, Sqrt and float constants.</summary>
    [Kernel]
    public static void Gelu(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float v = x[i];
        float inner = MathF.Sqrt(2f / MathF.PI) * (v + 0.044715f * MathF.Pow(v, 3f));
        y[i] = 0.5f * v * (1f + MathF.Tanh(inner));
    }

    /// <summary>Implicit and explicit conversions between int, uint and float.</summary>
    [Kernel]
    public static void Conversions(ThreadId id, ReadOnlySpan<int> ints, ReadOnlySpan<uint> uints, Span<float> sums, Span<int> truncated, Span<uint> wrapped)
    {
        int i = id.X;
        if (i >= sums.Length)
            return;
        int n = ints[i];
        uint u = uints[i];
        float f = n;                  // implicit int -> float
        sums[i] = f + u * 0.5f;       // implicit uint -> float
        truncated[i] = (int)(f * 1.75f);
        wrapped[i] = (uint)n + u;     // explicit int -> uint reinterprets the bits
    }

    /// <summary>Rounding functions.</summary>
    [Kernel]
    public static void Rounding(ThreadId id, ReadOnlySpan<float> x, Span<float> floor, Span<float> ceiling, Span<float> round, Span<float> truncate, Span<int> sign)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = x[i];
        floor[i] = MathF.Floor(v);
        ceiling[i] = MathF.Ceiling(v);
        round[i] = MathF.Round(v);
        truncate[i] = MathF.Truncate(v);
        sign[i] = MathF.Sign(v);
    }

    /// <summary>Transcendental functions with their inputs kept in range.</summary>
    [Kernel]
    public static void Transcendentals(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = x[i];
        float positive = MathF.Abs(v) + 1f;
        y[i] = MathF.Log(positive) + MathF.Log2(positive) + MathF.Sin(v) * MathF.Cos(v)
            + MathF.Atan2(v, positive) + MathF.Exp(-v * v) + MathF.FusedMultiplyAdd(v, 2f, 1f);
    }
}
