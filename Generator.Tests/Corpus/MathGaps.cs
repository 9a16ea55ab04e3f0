// Corpus: MathF methods with polyfills beyond WGSL's built-ins: Cbrt (sign kept, one Newton step), CopySign (bits),
// ReciprocalEstimate (1 / x); Round with a MidpointRounding mode (constant: one built-in; AwayFromZero or computed:
// a function); an unchecked block (C#'s default arithmetic, so its body translates as a block); SinCos (a tuple of
// sin and cos, the argument evaluated once); float and Half to int and uint as .NET converts (saturating, NaN 0);
// Round with a mode on Half, in a helper and in a loop bound.

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class MathGaps
{
    /// <summary>Cube roots, sign copies and reciprocal estimates, through MathF and float.</summary>
    [Kernel]
    public static void CubeRoots(ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> roots, Span<float> signs, Span<float> reciprocals)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        roots[i] = MathF.Cbrt(x[i]);
        signs[i] = MathF.CopySign(x[i], y[i]) + float.CopySign(1f, y[i]) * 0f;
        reciprocals[i] = MathF.ReciprocalEstimate(x[i]) + float.Cbrt(8f);
    }

    /// <summary>Every MidpointRounding mode, constant and computed, and an unchecked hash step.</summary>
    [Kernel]
    public static void RoundingModes(ThreadId id, ReadOnlySpan<float> x, Span<float> rounded, Span<int> hashes)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = x[i];
        int o = i * 6;
        rounded[o] = MathF.Round(v, MidpointRounding.ToEven);
        rounded[o + 1] = MathF.Round(v, MidpointRounding.AwayFromZero);
        rounded[o + 2] = float.Round(v, MidpointRounding.ToZero);
        rounded[o + 3] = MathF.Round(v, MidpointRounding.ToNegativeInfinity);
        rounded[o + 4] = MathF.Round(v, MidpointRounding.ToPositiveInfinity) + MathF.Round(v);
        rounded[o + 5] = MathF.Round(v * 3f, (MidpointRounding)(i % 5));
        int h = unchecked((int)2166136261);
        unchecked
        {
            h = (h ^ i) * 16777619;
            h += (int)rounded[o + 1];
        }
        hashes[i] = h;
    }

    private static Vector2 Rotate(Vector2 v, float angle)
    {
        var (s, c) = MathF.SinCos(angle);
        return new Vector2(v.X * c - v.Y * s, v.X * s + v.Y * c);
    }

    private static float HalfOf(float a) => a * 0.5f;

    /// <summary>MathF.SinCos and float.SinCos deconstructed, as a tuple value and in a helper; an argument with a side effect runs once.</summary>
    [Kernel]
    public static void SinCosPairs(ThreadId id, ReadOnlySpan<float> x, Span<float> sines, Span<float> cosines, Span<Vector2> rotated, Span<int> reads)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int k = i;
        var (s, c) = MathF.SinCos(x[k++]);
        sines[i] = s;
        cosines[i] = c;
        (float Sin, float Cos) pair = float.SinCos(HalfOf(x[i]));
        rotated[i] = Rotate(new Vector2(pair.Cos, pair.Sin), x[i]) + new Vector2(0f, float.SinCos(x[k - 1]).Cos - c);
        reads[i] = k;
    }

    /// <summary>(int) and (uint) of floats and halves: toward zero, saturating, NaN 0 (WGSL leaves NaN indeterminate).</summary>
    [Kernel]
    public static void FloatToIntegers(ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<Half> h, Span<int> ints, Span<uint> uints)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        ints[2 * i] = (int)x[i];
        uints[2 * i] = (uint)x[i];
        ints[2 * i + 1] = (int)h[i];
        uints[2 * i + 1] = (uint)h[i];
    }

    /// <summary>
    /// Round with a MidpointRounding mode on Half (constant and computed modes), in a helper and in a loop bound.
    /// </summary>
    [Kernel]
    public static void RoundingPlaces(ThreadId id, ReadOnlySpan<Half> h, ReadOnlySpan<float> x, Span<Half> halves, Span<float> rounded, Span<int> steps)
    {
        int i = id.X;
        if (i >= h.Length || i >= x.Length)
            return;
        Half v = h[i];
        int o = i * 4;
        halves[o] = Half.Round(v, MidpointRounding.ToEven);
        halves[o + 1] = Half.Round(v, MidpointRounding.AwayFromZero);
        halves[o + 2] = Half.Round(v, MidpointRounding.ToNegativeInfinity);
        halves[o + 3] = Half.Round(v * (Half)3f, (MidpointRounding)(i % 5));
        rounded[i] = RoundAway(x[i]) + RoundIn(x[i], i % 5);
        int n = 0;
        for (int k = 0; k < (int)MathF.Round(x[i], MidpointRounding.AwayFromZero); k++)
            n++;
        steps[i] = n;
    }

    private static float RoundAway(float value) => MathF.Round(value, MidpointRounding.AwayFromZero) * 10f;

    private static float RoundIn(float value, int mode) => float.Round(value, (MidpointRounding)mode);
}
