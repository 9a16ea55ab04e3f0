// KernelGen differential kernel. seed: 6
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: CompoundUnsignedShiftRight (finding F1: the count of >>>= is not converted to u32; Dawn refuses the WGSL)
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F1CompoundUnsignedShiftRight
{
    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        int x = ia[t * 4];
        x >>>= t & 31;
        oi[t * 16] = x;
    }
}
