// KernelGen differential kernel. seed: 1001
// float-tolerance: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Differential.Generated;

// Hand-written: evaluation order and single evaluation of side effects in operands, indices,
// compound assignments, short-circuits and ternaries (the log records each call in order).
public static partial class SideEffectsInOrder
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
        int a = ia[t * 4];
        oi[t * 16] = Note(log, t * 8, 1) - Note(log, t * 8, 2) * Note(log, t * 8, 3);
        oi[t * 16 + (Note(log, t * 8 + 1, a) & 7)] += Note(log, t * 8 + 1, 5);
        bool c = a > 0 && Note(log, t * 8 + 2, 7) > 0 || Note(log, t * 8 + 2, 9) < 0;
        oi[t * 16 + 8] = c ? Note(log, t * 8 + 3, 11) : Note(log, t * 8 + 3, 13);
        oi[t * 16 + 9] = Math.Max(Note(log, t * 8 + 4, a), Note(log, t * 8 + 4, -a));
    }
}
