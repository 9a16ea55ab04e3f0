// KernelGen differential kernel. seed: 209
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: UnmaskedConstantShiftCount (finding F3: 255 >> Math.Sign(-1) is a WGSL const-expression with count >= 32; Dawn refuses it)
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F3UnmaskedConstantShiftCount
{
    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        oi[t * 16] = ia[t * 4] + (255 >> Math.Sign(-1));
    }
}
