namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Prefix sums as the GPU Gems 3 chapter and CUDA samples write them, and a stream compaction on top.</summary>
public static partial class Scans
{
    public const int Block = 128;

    /// <summary>Hillis-Steele inclusive scan of one block, double-buffered in shared memory (pout/pin ping-pong).</summary>
    [Kernel(WorkgroupSize = Block)]
    public static void HillisSteele(LocalId local, GroupId group, ReadOnlySpan<int> input, Span<int> output,
        [GroupShared(2 * Block)] Span<int> temp)
    {
        int thid = local.X;
        int gi = group.X * Block + thid;
        int pout = 0, pin = 1;
        temp[pout * Block + thid] = gi < input.Length ? input[gi] : 0;
        Workgroup.Barrier();
        for (int offset = 1; offset < Block; offset *= 2)
        {
            pout = 1 - pout;
            pin = 1 - pout;
            temp[pout * Block + thid] = temp[pin * Block + thid] + (thid >= offset ? temp[pin * Block + thid - offset] : 0);
            Workgroup.Barrier();
        }
        if (gi < output.Length) output[gi] = temp[pout * Block + thid];
    }

    /// <summary>
    /// Blelloch work-efficient exclusive scan (uint), two elements per thread, up-sweep and down-sweep with uint loop
    /// counters; the block total goes to <paramref name="sums"/>.
    /// </summary>
    [Kernel(WorkgroupSize = Block)]
    public static void Blelloch(LocalId local, GroupId group, ReadOnlySpan<uint> input, Span<uint> output, Span<uint> sums,
        [GroupShared(2 * Block)] Span<uint> temp)
    {
        const uint n = 2 * Block;
        var thid = (uint)local.X;
        var baseIndex = (uint)group.X * n;
        temp[(int)(2 * thid)] = baseIndex + 2 * thid < (uint)input.Length ? input[(int)(baseIndex + 2 * thid)] : 0u;
        temp[(int)(2 * thid + 1)] = baseIndex + 2 * thid + 1 < (uint)input.Length ? input[(int)(baseIndex + 2 * thid + 1)] : 0u;
        uint offset = 1;
        for (uint d = n >> 1; d > 0; d >>= 1)
        {
            Workgroup.Barrier();
            if (thid < d)
            {
                var ai = offset * (2 * thid + 1) - 1;
                var bi = offset * (2 * thid + 2) - 1;
                temp[(int)bi] += temp[(int)ai];
            }
            offset *= 2;
        }
        if (thid == 0)
        {
            sums[group.X] = temp[(int)(n - 1)];
            temp[^1] = 0;
        }
        for (uint d = 1; d < n; d *= 2)
        {
            offset >>= 1;
            Workgroup.Barrier();
            if (thid < d)
            {
                var ai = (int)(offset * (2 * thid + 1) - 1);
                var bi = (int)(offset * (2 * thid + 2) - 1);
                (temp[ai], temp[bi]) = (temp[bi], temp[ai] + temp[bi]);
            }
        }
        Workgroup.Barrier();
        for (var k = 0u; k < 2; k++)
        {
            var gi = baseIndex + 2 * thid + k;
            if (gi < (uint)output.Length) output[(int)gi] = temp[(int)(2 * thid + k)];
        }
    }

    /// <summary>Adds each block's scanned offset to its elements (the third pass of a multi-block scan).</summary>
    [Kernel]
    public static void AddBlockOffsets(ThreadId id, Span<uint> data, ReadOnlySpan<uint> blockOffsets, int elementsPerBlock)
    {
        if (id.X >= data.Length) return;
        data[id.X] += blockOffsets[id.X / elementsPerBlock];
    }

    /// <summary>Stream compaction's flag pass: 1 where the element is kept (a pattern with `is not` and a range).</summary>
    [Kernel]
    public static void Flags(ThreadId id, ReadOnlySpan<float> values, Span<uint> flags, float low, float high)
    {
        var i = id.X;
        if (i >= values.Length) return;
        var v = values[i];
        flags[i] = v >= low && v < high && v is not 0f ? 1u : 0u;
    }

    /// <summary>Stream compaction's scatter: the kept element goes to its exclusive-scan slot; the last thread writes the count.</summary>
    [Kernel]
    public static void Scatter(ThreadId id, ReadOnlySpan<float> values, ReadOnlySpan<uint> flags, ReadOnlySpan<uint> slots, Span<float> kept, Span<uint> count)
    {
        var i = id.X;
        if (i >= values.Length) return;
        if (flags[i] == 1) kept[(int)slots[i]] = values[i];
        if (i == values.Length - 1) count[0] = slots[^1] + flags[^1];
    }
}
