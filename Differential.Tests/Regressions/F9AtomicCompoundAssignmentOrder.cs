// KernelGen differential kernel. seed: 1278
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
// fixed: finding F9 (seeds 1022, 1278): x[i] += v on a buffer atomics use was atomicAdd(&x[i], v) also when v writes x[i] (Interlocked.Exchange(ref x[i], ..)): C# reads x[i] before v runs, the read-modify-write after; such a v now takes a load, v, and a store
using System;
using System.Numerics;
using System.Threading;
using KernelGen;

namespace KernelGen.Differential.Generated;

public static partial class F9AtomicCompoundAssignmentOrder
{
    static int Note(Span<int> log, int slot, int v)
    {
        log[slot] = log[slot] * 31 + v;
        return v;
    }

    [Kernel]
    public static void Run(ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s)
    {
        int t = id.X;
        if (t * 4 >= ia.Length)
            return;
        ou[t * 16 + 3] = ua[t * 4 + 2];
        ou[t * 16 + 3] += Interlocked.Exchange(ref ou[t * 16 + 3], 255u) + (t >= 5 ? ua[t * 4] ^ 0x80000000u : ua[t * 4 + 1]);
        ou[t * 16 + 4] = ua[t * 4 + 3];
        ou[t * 16 + (Note(log, t * 8, ia[t * 4]) & 1) + 4] ^= ((uint)ia[t * 4 + 2] & 3u) switch
        {
            0u => Interlocked.Exchange(ref ou[t * 16 + (Note(log, t * 8 + 1, ia[t * 4 + 1]) & 1) + 4], ua[t * 4] + (uint)t),
            1u => ua[t * 4 + 1],
            _ => Interlocked.Add(ref ou[t * 16 + 4], 3u),
        };
        ou[t * 16 + 6] = ua[t * 4 + 1];
        ou[t * 16 + 6] -= ua[t * 4] | 1u;
        oi[t * 16] = ia[t * 4];
        oi[t * 16] -= Interlocked.Exchange(ref oi[t * 16], 5) * 2;
    }
}
