// KernelGen differential kernel. seed: 16
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: CompoundXorOnBool (finding F2: bool ^= is emitted as WGSL ^=, undefined for bool; Dawn refuses the WGSL)
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F2CompoundXorOnBool
{
    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        bool b = ia[t * 4] > 0;
        b ^= t > 3;
        oi[t * 16] = b ? 1 : 0;
    }
}
