// Corpus: .NET's float Max and Min (NaN when either operand is NaN, +0 above -0: IEEE 754-2019), Math.Clamp (its
// comparisons: NaN and -0 kept), float.Clamp and Vector4.Clamp (Min(Max(value, min), max)) and Lerp (value1 * (1 -
// amount) fused with value2 * amount), on float, Vector4 and Half. WGSL's max/min/clamp/mix differ on NaN, on the
// sign of zero and in the last bit of mix.

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class FloatExtremes
{
    /// <summary>Every float Max/Min/Clamp/Lerp form on one pair (and an amount) per invocation: 12 results.</summary>
    [Kernel]
    public static void MaxMinClampLerp(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> t, Span<float> r)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        float x = a[i], y = b[i], z = t[i];
        int o = i * 12;
        r[o] = MathF.Max(x, y);
        r[o + 1] = MathF.Min(x, y);
        r[o + 2] = float.Min(Math.Max(x, 0f), y);
        r[o + 3] = Math.Clamp(x, y, y + 1f);
        r[o + 4] = float.Clamp(x, y, y + 1f);
        r[o + 5] = float.Lerp(x, y, z);
        Vector4 p = new(x, y, z, -x), q = new(y, x, -z, z);
        Vector4 max = Vector4.Max(p, q), min = Vector4.Min(p, q);
        r[o + 6] = max.X;
        r[o + 7] = min.W;
        Vector4 clamped = Vector4.Clamp(p, min, max + Vector4.One);
        r[o + 8] = clamped.Y;
        Vector4 lerped = Vector4.Lerp(p, q, z);
        r[o + 9] = lerped.X;
        r[o + 10] = Vector4.Lerp(p, q, q).Z;
        r[o + 11] = MathF.Max(MathF.Min(x, 6f), 0f);
    }

    /// <summary>Half.Max, Half.Min and Half.Clamp (widened to f32 for the bits), stored as float.</summary>
    [Kernel]
    public static void HalfMaxMin(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> r)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        Half x = (Half)a[i], y = (Half)b[i];
        r[i * 3] = (float)Half.Max(x, y);
        r[i * 3 + 1] = (float)Half.Min(x, y);
        r[i * 3 + 2] = (float)Half.Clamp(x, y, y + (Half)1f);
    }
}
