// KernelGen differential kernel. seed: 1052
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: finding F8 (seed 1052): ~ of a ushort or byte widened to uint (~(uint)(ushort)x) complemented only the small type's bits, as for a ushort enum (the IR keeps the narrow type on a widening that WGSL needs no conversion for); the operator's own type decides now
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F8ComplementOfWidenedSmallInteger
{
    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        ou[t * 16] = ~(uint)(ushort)ua[t * 4];
        ou[t * 16 + 1] = ~(uint)(byte)ia[t * 4 + 1];
        ushort h = (ushort)ua[t * 4 + 2];
        ou[t * 16 + 2] = ~(uint)h * 3u + ~(uint)(ushort)(h + 1);
        ref uint r = ref ou[t * 16 + 3];
        r = ua[t * 4 + 3];
        r = r * 3 + ~(uint)(ushort)r;
        oi[t * 16] = ~(int)(short)ia[t * 4 + 2] + ~(byte)ia[t * 4 + 3];
    }
}
