// KernelGen differential kernel. seed: 1962
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: finding F10 (seed 1962): (int)(TrailingZeroCount(255u) ^ 255u) << 25 is no C# constant, but its WGSL was a const-expression whose shift changes the sign, which WGSL refuses at shader creation (Dawn refused the WGSL); the same for other built-ins and vector arithmetic on constants that overflow
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F10ConstantOverflowAtRunTime
{
    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        int i6 = ((int)255u ^ (int)BitOperations.TrailingZeroCount(255u)) << 25;
        uint u = (uint)BitOperations.PopCount(7u) * 2000000000u;
        int m = (int)BitOperations.LeadingZeroCount(0u) * int.MaxValue;
        Vector2 big = new Vector2(3e38f) * 10f;
        float e = MathF.Exp(100f) * MathF.Exp(100f);
        oi[t * 16] = i6 + ia[t * 4];
        oi[t * 16 + 1] = m;
        ou[t * 16] = u + ua[t * 4];
        of[t * 16] = big.X;
        of[t * 16 + 1] = e;
        of[t * 16 + 2] = MathF.Sqrt(4f) * 3e38f * 2f;
    }
}
