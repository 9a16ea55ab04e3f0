// Corpus: atomics on fields of struct elements of buffers and [GroupShared] arrays (held as atomic 32-bit words).
using System;
using System.Threading;
using KernelGen;

namespace KernelGen.Corpus;

public struct AtomicCell
{
    public int Count;
    public float Sum;
    public uint Mask;
    public int Min;
}

public struct AtomicBin
{
    public int Count;
    public uint Max;
}

public struct AtomicGridCell
{
    public float Weight;
    public AtomicBin Bin;
}

public struct AtomicNode
{
    public int Value;
    public int Next;
}

public struct AtomicStats
{
    public int Max;
    public int Min;
    public uint UMax;
    public float Total;
}

/// <summary>A pixel-style struct (byte and short fields, so its buffer is already in C#'s byte layout) with a counter.</summary>
public struct TaggedCounter
{
    public byte Tag;
    public byte Flags;
    public short Delta;
    public int Count;
    public uint Bits;
}

public static partial class FieldAtomics
{
    /// <summary>Per-cell counts, float sums, bit masks and signed minima: Increment, Atomic.Add on a float field, Or and Atomic.Min.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void CellHistogram(ThreadId id, ReadOnlySpan<int> keys, ReadOnlySpan<float> values, Span<AtomicCell> cells)
    {
        int i = id.X;
        if (i >= keys.Length)
            return;
        int c = keys[i] % cells.Length;
        Interlocked.Increment(ref cells[c].Count);
        Atomic.Add(ref cells[c].Sum, values[i]);
        Interlocked.Or(ref cells[c].Mask, 1u << (i & 31));
        Atomic.Min(ref cells[c].Min, keys[i] - 1000);
    }

    /// <summary>One invocation per cell: the whole element copied out and back (word by word), and its mean taken, beside an atomic on a field.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void CellMeans(ThreadId id, Span<AtomicCell> cells, Span<int> seen)
    {
        int i = id.X;
        if (i >= cells.Length)
            return;
        AtomicCell c = cells[i];
        c.Sum = c.Count == 0 ? 0f : c.Sum / c.Count;
        cells[i] = c;
        seen[i] = Interlocked.Increment(ref cells[i].Count) - 1;
        cells[i].Mask ^= 1u;
    }

    /// <summary>Lock-free list pushes: each node is linked onto list (key &amp; 7) by a compare-exchange on the head node's Next field.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void PushLists(ThreadId id, ReadOnlySpan<int> keys, Span<AtomicNode> nodes)
    {
        int i = id.X;
        if (i >= keys.Length)
            return;
        int head = keys[i] & 7;
        int me = 8 + i;
        nodes[me].Value = keys[i];
        int old = nodes[head].Next;
        while (true)
        {
            nodes[me].Next = old;
            int prior = Interlocked.CompareExchange(ref nodes[head].Next, me, old);
            if (prior == old)
                break;
            old = prior;
        }
    }

    /// <summary>Signed and unsigned extremes and a float total in one struct, and nested fields (grid[b].Bin.Count) whose returned values are used.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Summaries(ThreadId id, ReadOnlySpan<int> x, Span<AtomicStats> stats, Span<AtomicGridCell> grid)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int v = x[i];
        Atomic.Max(ref stats[0].Max, v);
        Atomic.Min(ref stats[0].Min, v);
        Atomic.Max(ref stats[0].UMax, (uint)v);
        Atomic.Add(ref stats[0].Total, 0.5f);
        int b = v & 3;
        int after = Interlocked.Add(ref grid[b].Bin.Count, 2);
        Atomic.Max(ref grid[b].Bin.Max, (uint)after);
        if (Interlocked.Exchange(ref grid[b].Weight, 1f) < 0f)
            Interlocked.Decrement(ref grid[b].Bin.Count); // never: weights start at 0 or 1
        float w = grid[b].Weight;
        Interlocked.CompareExchange(ref grid[b].Weight, w + 1f, 5f); // never exchanges: the weight is 1
    }

    /// <summary>A per-workgroup count per bin in a [GroupShared] array of structs, merged into the buffer by field atomics.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void SharedBins(ThreadId id, LocalId local, ReadOnlySpan<int> x, Span<AtomicBin> result, [GroupShared(8)] Span<AtomicBin> bins)
    {
        if (local.Index < bins.Length)
            bins[local.Index] = new AtomicBin();
        Workgroup.Barrier();
        int i = id.X;
        if (i < x.Length)
        {
            int after = Interlocked.Increment(ref bins[x[i] & 7].Count);
            Atomic.Max(ref bins[x[i] & 7].Max, (uint)after);
        }
        Workgroup.Barrier();
        if (local.Index < bins.Length)
        {
            AtomicBin mine = bins[local.Index];
            Interlocked.Add(ref result[local.Index].Count, mine.Count);
            Atomic.Max(ref result[local.Index].Max, mine.Max);
        }
    }

    /// <summary>The same structs read plainly in a kernel without atomics (its own module: the same bytes).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void CopyCells(ThreadId id, ReadOnlySpan<AtomicCell> cells, Span<AtomicCell> copy)
    {
        int i = id.X;
        if (i < cells.Length)
            copy[i] = cells[i];
    }

    /// <summary>Atomics on fields inside a helper that receives the buffer.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ThroughHelper(ThreadId id, ReadOnlySpan<int> x, Span<AtomicBin> bins)
    {
        int i = id.X;
        if (i < x.Length)
            Count(bins, x[i] & 3, x[i]);
    }

    private static void Count(Span<AtomicBin> bins, int b, int v)
    {
        Interlocked.Increment(ref bins[b].Count);
        Atomic.Max(ref bins[b].Max, (uint)v);
    }

    /// <summary>Atomics on the int and uint fields of a buffer whose byte and short fields share words (C#'s byte layout), beside plain byte writes.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void TaggedCounters(ThreadId id, Span<TaggedCounter> counters, ReadOnlySpan<int> x)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int k = x[i] & 7;
        Interlocked.Add(ref counters[k].Count, counters[k].Delta);
        Interlocked.Or(ref counters[k].Bits, 1u << (x[i] >> 3 & 31));
        if (i < counters.Length)
        {
            counters[i].Tag = (byte)(i * 37);
            counters[i].Flags |= 0x80;
        }
    }

    /// <summary>A [GroupShared] array of structs whose length is a specialisation constant, updated by field atomics.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void SpecializedSharedBins(ThreadId id, LocalId local, ReadOnlySpan<int> x, Span<AtomicBin> result,
        [Specialize] int binCount, [GroupShared(nameof(binCount))] Span<AtomicBin> bins)
    {
        if (local.Index < bins.Length)
            bins[local.Index].Count = 0;
        Workgroup.Barrier();
        int i = id.X;
        if (i < x.Length)
            Interlocked.Increment(ref bins[x[i] % binCount].Count);
        Workgroup.Barrier();
        if (local.Index < bins.Length)
            Interlocked.Add(ref result[local.Index].Count, bins[local.Index].Count);
    }
}
