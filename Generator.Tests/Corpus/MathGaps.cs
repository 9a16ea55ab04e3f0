// Corpus: MathF methods with polyfills beyond WGSL's built-ins: Cbrt (sign kept, one Newton step), CopySign (bits),
// ReciprocalEstimate (1 / x).

using System;
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
}
