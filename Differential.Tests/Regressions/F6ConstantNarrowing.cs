// KernelGen differential kernel. seed: 6
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: finding F6 (seed 128 of the newer generator): (short) and (sbyte) of a value WGSL evaluates at shader creation were u32(x) << 16u, which overflows there (Dawn refused the WGSL)
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F6ConstantNarrowing
{
    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        short a = (short)Math.Clamp(5, -81, -27);
        sbyte b = (sbyte)Math.Min(-300, 7);
        short c = (short)(Math.Max(40000, t) + ia[t * 4]);
        a += (short)1;
        b--;
        oi[t * 16] = a;
        oi[t * 16 + 1] = b;
        oi[t * 16 + 2] = c;
        oi[t * 16 + 3] = (sbyte)ia[t * 4 + 1] + (short)(uint)Math.Max(70000, 3);
        ou[t * 16] = (uint)((ushort)Math.Min(-5, t) + (byte)ua[t * 4]);
    }
}
