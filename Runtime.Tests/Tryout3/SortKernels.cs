using System.Threading;

namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Sorting building blocks: a global bitonic step, a shared-memory radix histogram, odd-even sort of ushort keys, rank sort.</summary>
public static partial class Sorts
{
    static void Swap(ref uint a, ref uint b) => (a, b) = (b, a);

    /// <summary>One (k, j) step of a global bitonic sort, as the CUDA/WebGPU samples write it with uint indices.</summary>
    [Kernel]
    public static void BitonicGlobal(ThreadId id, Span<uint> keys, uint j, uint k)
    {
        var i = (uint)id.X;
        if (i >= (uint)keys.Length) return;
        var ixj = i ^ j;
        if (ixj <= i) return;
        var ascending = (i & k) == 0;
        if (keys[(int)i] > keys[(int)ixj] == ascending)
            Swap(ref keys[(int)i], ref keys[(int)ixj]);
    }

    public const int RadixBins = 16;

    /// <summary>
    /// A radix-sort digit histogram: per-workgroup counts in shared memory with Interlocked.Increment, then added to the
    /// global histogram and stored per block (for the scan of block offsets).
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void RadixHistogram(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<uint> keys, Span<uint> global, Span<uint> perBlock,
        int shift, [GroupShared(RadixBins)] Span<uint> bins)
    {
        if (local.X < RadixBins) bins[local.X] = 0;
        Workgroup.Barrier();
        if (id.X < keys.Length)
        {
            var digit = (keys[id.X] >> shift) & (RadixBins - 1);
            Interlocked.Increment(ref bins[(int)digit]);
        }
        Workgroup.Barrier();
        if (local.X < RadixBins)
        {
            var c = bins[local.X];
            perBlock[group.X * RadixBins + local.X] = c;
            Interlocked.Add(ref global[local.X], c);
        }
    }

    /// <summary>Odd-even transposition sort of 64 ushort keys per workgroup (the keys in C#'s 2-byte layout).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void OddEven(LocalId local, GroupId group, ReadOnlySpan<ushort> input, Span<ushort> output, int count, [GroupShared(64)] Span<uint> s)
    {
        var t = local.X;
        var g = group.X * 64 + t;
        s[t] = g < count ? input[g] : ushort.MaxValue;
        Workgroup.Barrier();
        for (var phase = 0; phase < 64; phase++)
        {
            var partner = (phase & 1) == (t & 1) ? t + 1 : t - 1;
            uint mine = s[t], other = partner is >= 0 and < 64 ? s[partner] : mine;
            Workgroup.Barrier();
            if (partner is >= 0 and < 64)
                s[t] = t < partner ? Math.Min(mine, other) : Math.Max(mine, other);
            Workgroup.Barrier();
        }
        if (g < count) output[g] = (ushort)s[t];
    }

    /// <summary>Rank (counting) sort: each element counts the smaller ones and the equal ones before it.</summary>
    [Kernel]
    public static void RankSort(ThreadId id, ReadOnlySpan<int> input, Span<int> output)
    {
        var i = id.X;
        if (i >= input.Length) return;
        var v = input[i];
        var rank = 0;
        for (var j = 0; j < input.Length; j++)
        {
            var w = input[j];
            if (w < v || (w == v && j < i)) rank++;
        }
        output[rank] = v;
    }
}
