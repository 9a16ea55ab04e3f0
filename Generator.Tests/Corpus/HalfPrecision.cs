// Corpus: Half (f16) buffers and uniforms; the WGSL enables f16 and the kernels need shader-f16.
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class HalfPrecision
{
    /// <summary>Half in, Half out, arithmetic in f16 with a Half uniform.</summary>
    [Kernel]
    public static void ScaleHalf(ThreadId id, ReadOnlySpan<Half> x, Span<Half> y, Half scale)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        y[i] = x[i] * scale + (Half)1f;
    }

    /// <summary>Widening Half to float, computing in f32 and narrowing back.</summary>
    [Kernel]
    public static void HalfToFloatSilu(ThreadId id, ReadOnlySpan<Half> x, Span<float> wide, Span<Half> narrow)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = (float)x[i];
        float s = v / (1f + MathF.Exp(-v));
        wide[i] = s;
        narrow[i] = (Half)s;
    }
}
