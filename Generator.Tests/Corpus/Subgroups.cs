// Corpus: subgroup operations (KernelGen.Subgroup, SubgroupId): reductions, scans, lane reads, votes.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Subgroups
{
    /// <summary>Sum of each subgroup's values, written by its first lane; the lane and size come from SubgroupId.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void SubgroupSums(ThreadId id, SubgroupId sg, ReadOnlySpan<float> x, Span<float> sums)
    {
        int i = id.X;
        float v = i < x.Length ? x[i] : 0f;
        float total = Subgroup.Add(v);
        if (sg.Lane == 0 && i < x.Length)
            sums[i / sg.Size] = total;
    }

    /// <summary>Every integer reduction, each invocation writing what its subgroup computed.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void IntReductions(ThreadId id, ReadOnlySpan<int> x, Span<int> ints, Span<uint> uints)
    {
        int i = id.X;
        int v = i < x.Length ? x[i] : 1;
        uint u = (uint)v * 2654435761u;
        int o = i * 7;
        bool inside = i < x.Length;
        int add = Subgroup.Add(v), mul = Subgroup.Mul(v), min = Subgroup.Min(v), max = Subgroup.Max(v);
        int and = Subgroup.And(v), or = Subgroup.Or(v), xor = Subgroup.Xor(v);
        uint uadd = Subgroup.Add(u), umin = Subgroup.Min(u), umax = Subgroup.Max(u), uxor = Subgroup.Xor(u);
        if (inside)
        {
            ints[o] = add;
            ints[o + 1] = mul;
            ints[o + 2] = min;
            ints[o + 3] = max;
            ints[o + 4] = and;
            ints[o + 5] = or;
            ints[o + 6] = xor;
            uints[i * 4] = uadd;
            uints[i * 4 + 1] = umin;
            uints[i * 4 + 2] = umax;
            uints[i * 4 + 3] = uxor;
        }
    }

    /// <summary>Float and vector reductions and the four scans (integer-valued floats: every order rounds alike).</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void ScansAndVectors(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<Vector4> v)
    {
        int i = id.X;
        float a = i < x.Length ? x[i] : 0f;
        var p = new Vector4(a, 1f, -a, (float)(i % 3));
        y[i * 8] = Subgroup.InclusiveAdd(a);
        y[i * 8 + 1] = Subgroup.ExclusiveAdd(a);
        y[i * 8 + 2] = Subgroup.InclusiveMul(a % 3f + 1f);
        y[i * 8 + 3] = Subgroup.ExclusiveMul(a % 3f + 1f);
        y[i * 8 + 4] = Subgroup.Min(a);
        y[i * 8 + 5] = Subgroup.Max(a);
        y[i * 8 + 6] = Subgroup.Mul(a % 2f + 1f);
        y[i * 8 + 7] = (float)Subgroup.InclusiveAdd(1u) + (float)Subgroup.ExclusiveMul(2);
        v[i * 4] = Subgroup.Add(p);
        v[i * 4 + 1] = Subgroup.InclusiveAdd(p);
        v[i * 4 + 2] = Subgroup.Max(p);
        v[i * 4 + 3] = new Vector4(Subgroup.Add(new Vector2(a, 2f)), Subgroup.Min(new Vector3(a, -a, 0f)).Y, 0f);
    }

    /// <summary>Reads of other lanes, inside and beyond the subgroup (those keep the invocation's own value).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void LaneReads(ThreadId id, SubgroupId sg, ReadOnlySpan<int> x, Span<int> y, int lane)
    {
        int i = id.X;
        int v = x[i];
        int o = i * 10;
        y[o] = Subgroup.Broadcast(v, 3);
        y[o + 1] = Subgroup.Broadcast(v, lane);
        y[o + 2] = Subgroup.BroadcastFirst(v);
        y[o + 3] = Subgroup.Shuffle(v, sg.Size - 1 - sg.Lane);
        y[o + 4] = Subgroup.ShuffleXor(v, 1);
        y[o + 5] = Subgroup.ShuffleUp(v, 1);
        y[o + 6] = Subgroup.ShuffleDown(v, 2);
        y[o + 7] = Subgroup.Shuffle(v, sg.Lane + 5);
        y[o + 8] = Subgroup.ShuffleXor(v, 200) + Subgroup.ShuffleDown(v, -1) + Subgroup.Broadcast(v, 127);
        y[o + 9] = (int)Subgroup.Shuffle((uint)v, 2) + (int)Subgroup.Shuffle((float)v, i % 4) + (int)Subgroup.ShuffleDown(new Vector2(v, 0f), 1).X;
    }

    /// <summary>Ballot, elect, all and any, in conditions and as values.</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void Votes(ThreadId id, ReadOnlySpan<int> x, Span<uint> y)
    {
        int i = id.X;
        bool positive = x[i] > 0;
        uint ballot = Subgroup.Ballot(positive);
        uint high = Subgroup.Ballot(positive, 1);
        bool first = Subgroup.Elect();
        bool all = Subgroup.All(positive);
        bool any = Subgroup.Any(x[i] > 90);
        y[i * 4] = ballot;
        y[i * 4 + 1] = high;
        y[i * 4 + 2] = first ? 1u : 0u;
        y[i * 4 + 3] = (all ? 2u : 0u) | (any ? 1u : 0u);
    }

    /// <summary>
    /// A workgroup sum from subgroup sums: a Kogge-Stone scan with ShuffleUp in a helper (a loop bounded by the
    /// subgroup size), then the subgroup totals through shared memory and a barrier.
    /// </summary>
    [Kernel(WorkgroupSize = 128)]
    public static void BlockPrefixSum(ThreadId id, LocalId local, SubgroupId sg, GroupId group, ReadOnlySpan<float> x, Span<float> prefix, Span<float> totals,
        [GroupShared(32)] Span<float> subgroupTotals)
    {
        int i = id.X;
        float v = i < x.Length ? x[i] : 0f;
        float scan = ScanUp(v, sg.Lane, sg.Size);
        int subgroup = local.Index / sg.Size;
        if (sg.Lane == sg.Size - 1)
            subgroupTotals[subgroup] = scan;
        Workgroup.Barrier();
        float before = 0f;
        for (int s = 0; s < subgroup; s++)
            before += subgroupTotals[s];
        if (i < x.Length)
            prefix[i] = before + scan;
        if (local.Index == 127)
            totals[group.X] = before + scan;
    }

    private static float ScanUp(float v, int lane, int size)
    {
        for (int d = 1; d < size; d *= 2)
        {
            float n = Subgroup.ShuffleUp(v, d);
            if (lane >= d)
                v += n;
        }
        return v;
    }
}
