// KernelGen differential kernel. seed: 5
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: finding F5 (seeds 14, 45, 69, 99, 105 of the newer generator): a tuple target and a ref/out argument that are elements of a buffer atomics use were plain WGSL stores and loads (Dawn refused them)
using System;
using System.Numerics;
using System.Threading;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F5AtomicArrayPlaces
{
    static int Note(Span<int> log, int slot, int v)
    {
        log[slot] = log[slot] * 31 + v;
        return v;
    }

    static int Bump(ref int x, out uint y, int v)
    {
        x = x * 3 + v;
        y = (uint)x ^ 5u;
        return x >> 1;
    }

    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        Interlocked.Add(ref oi[t * 16 + 0], ia[t * 4]);
        Interlocked.Or(ref ou[t * 16 + 1], ua[t * 4]);
        (oi[t * 16 + 1], oi[t * 16 + (Note(log, t * 8, 2) & 3)]) = (oi[t * 16 + 0] + 1, ia[t * 4 + 1]);
        (ou[t * 16 + 2], ou[t * 16 + 1]) = (ou[t * 16 + 1], 7u);
        Bump(ref oi[t * 16 + (Note(log, t * 8 + 1, 4) & 7)], out ou[t * 16 + 3], ia[t * 4 + 2]);
        int r = oi[t * 16 + 4] - 1;
        var (a, b) = (Interlocked.Exchange(ref oi[t * 16 + 5], r), oi[t * 16 + 5]);
        oi[t * 16 + 8] = a * 7 + b;
    }
}
