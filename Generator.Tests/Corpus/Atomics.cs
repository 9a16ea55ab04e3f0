// Corpus: atomics (Interlocked and KernelGen.Atomic) on buffers and workgroup-shared arrays.
using System;
using System.Threading;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Atomics
{
    /// <summary>A histogram of byte values (0..255) with one atomic increment per input.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Histogram(ThreadId id, ReadOnlySpan<int> values, Span<int> bins)
    {
        int i = id.X;
        if (i >= values.Length)
            return;
        Interlocked.Increment(ref bins[values[i] & 255]);
    }

    /// <summary>Stream compaction: the positive inputs, each at a slot taken from a counter (Increment returns the new count).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void CompactPositive(ThreadId id, ReadOnlySpan<float> x, Span<float> kept, Span<int> count)
    {
        int i = id.X;
        if (i < x.Length && x[i] > 0f)
        {
            int slot = Interlocked.Increment(ref count[0]) - 1;
            kept[slot] = x[i];
        }
    }

    /// <summary>Minimum and maximum of ints and of uints, and their sums, through KernelGen.Atomic and Interlocked.Add.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void MinMaxSum(ThreadId id, ReadOnlySpan<int> x, Span<int> range, Span<uint> unsignedRange, Span<uint> sums)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int v = x[i];
        Atomic.Min(ref range[0], v);
        Atomic.Max(ref range[1], v);
        uint u = (uint)v;
        Atomic.Min(ref unsignedRange[0], u);
        Atomic.Max(ref unsignedRange[1], u);
        Interlocked.Add(ref sums[0], u);
        Interlocked.Add(ref sums[1], u * u + 1u);
    }

    /// <summary>The product of all inputs (mod 2^32) through a compare-exchange loop, as C# code writes one.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ProductByCompareExchange(ThreadId id, ReadOnlySpan<int> x, Span<int> product)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int seen = product[0];
        while (true)
        {
            int old = seen;
            seen = Interlocked.CompareExchange(ref product[0], old * x[i], old);
            if (seen == old)
                break;
        }
    }

    /// <summary>A per-workgroup histogram in shared memory, added to the global one: atomics on [GroupShared] ints.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void SharedHistogram(ThreadId id, LocalId local, ReadOnlySpan<int> values, Span<int> bins, [GroupShared(16)] Span<int> partial)
    {
        int i = id.X;
        if (i < values.Length)
            Interlocked.Increment(ref partial[values[i] & 15]);
        Workgroup.Barrier();
        if (local.Index < partial.Length && partial[local.Index] != 0)
            Interlocked.Add(ref bins[local.Index], partial[local.Index]);
    }

    /// <summary>Atomics inside helpers that receive the buffer, results used in conditions and as helper arguments.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void TicketsThroughHelpers(ThreadId id, ReadOnlySpan<int> wanted, Span<int> tickets, Span<int> granted)
    {
        int i = id.X;
        if (i >= wanted.Length)
            return;
        // The first tickets[1] units requested (in any order) are granted; the rest are counted in tickets[2].
        if (Take(tickets, wanted[i]) <= tickets[1])
            Interlocked.Increment(ref granted[0]);
        else
            GiveBack(tickets, wanted[i]);
        Interlocked.Add(ref granted[1], Math.Max(Interlocked.Decrement(ref granted[2]), 0) * 0 + wanted[i]);
    }

    private static int Take(Span<int> tickets, int n) => Interlocked.Add(ref tickets[0], n);

    private static void GiveBack(Span<int> tickets, int n) => Interlocked.Add(ref tickets[2], n);

    /// <summary>Bit sets with Or and And, Exchange of each invocation's own slot, then plain updates of the atomic slots.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void FlagsAndExchange(ThreadId id, Span<uint> set, Span<uint> cleared, Span<int> slots, Span<int> previous)
    {
        int i = id.X;
        if (i >= slots.Length)
            return;
        uint bit = 1u << (i & 31);
        if (i % 3 == 0)
            Interlocked.Or(ref set[i >> 5], bit);
        else
            Interlocked.And(ref cleared[i >> 5], ~bit);
        previous[i] = Interlocked.Exchange(ref slots[i], i * 2) + slots[i];
        slots[i] += 10;
        slots[i] *= 3;
        slots[i]++;
        slots[i] <<= 1;
        slots[i] ^= 5;
        slots[i]--;
        slots[i] -= previous[i] & 1;
        slots[i ^ 0] |= 0; // an index that is an expression: computed once
        slots[i * 1 + 0] %= 1000; // read and written: the index is bound first
    }

    /// <summary>Float sums through Atomic.Add (a compare-exchange loop on the bits) and a float Exchange.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void FloatAccumulate(ThreadId id, ReadOnlySpan<float> x, Span<float> sums, Span<float> swapped)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        Atomic.Add(ref sums[i & 3], x[i]);
        float after = Atomic.Add(ref sums[4], 1f);
        if (after > x.Length)
            sums[5] = -1f; // never: each invocation adds 1 and there are x.Length of them
        swapped[i] = Interlocked.Exchange(ref swapped[i], x[i] * 2f) + swapped[i];
        Interlocked.CompareExchange(ref sums[6], (float)x.Length, 0f); // the first to come sets it; the others see it set
    }

    /// <summary>Atomics in a for update, a loop condition, a conditional's branch, an assignment target's index and a uint compare-exchange loop.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Positions(ThreadId id, ReadOnlySpan<int> x, Span<int> counters, Span<int> got, Span<int> arrivals, Span<uint> best)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        for (int k = 0; k < x[i]; Interlocked.Increment(ref counters[0]))
            k++;
        int t = 0;
        while (Interlocked.Add(ref counters[1], 2) % 2 == 0 && t < x[i])
            t++;
        got[i] = x[i] > 2 ? Interlocked.Increment(ref counters[2]) * 0 + 1 : 0;
        arrivals[Interlocked.Increment(ref counters[3]) - 1] = x[i];
        uint mine = (uint)x[i];
        uint seen = best[0];
        while (seen < mine)
        {
            uint prior = Interlocked.CompareExchange(ref best[0], mine, seen);
            if (prior == seen)
                break;
            seen = prior;
        }
    }

    /// <summary>
    /// Assignments, compound assignments and ++/-- on elements of atomic arrays used as values: each is the value this
    /// thread stored (or read, postfix), never a reload; slot 0 is written by every thread at once.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void UpdateValues(ThreadId id, Span<int> c, Span<uint> u, Span<float> f, Span<int> seen)
    {
        int i = id.X;
        if (i * 8 + 7 >= seen.Length || i + 2 >= c.Length || i >= u.Length || i >= f.Length)
            return;
        Interlocked.Increment(ref c[1]);
        Interlocked.Or(ref u[0], 0u);
        Atomic.Add(ref f[0], 0f);
        int v = (c[0] = i * 3 + 1);
        int k = i + 2;
        seen[i * 8] = v;
        seen[i * 8 + 1] = (c[k] += 5) * 2;
        seen[i * 8 + 2] = c[k]++ + 100 * ++c[k];
        seen[i * 8 + 3] = --c[k] - (c[k] ^= 3);
        seen[i * 8 + 4] = Twice(c[k] *= 3);
        uint w = (u[i] |= 0x10u) + u[i]--;
        seen[i * 8 + 5] = (int)w;
        float g = (f[i] += 0.5f) + f[i]++ * 10f;
        seen[i * 8 + 6] = (int)(g * 4f);
        for (int n = 0; (c[k] -= 7) > 0 && n < 4; n++)
            seen[i * 8 + 7] = n + 1;
    }

    private static int Twice(int value) => value * 2;
}
