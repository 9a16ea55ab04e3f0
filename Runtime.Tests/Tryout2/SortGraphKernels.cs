using System.Threading;

namespace KernelGen.Runtime.Tests.Tryout2;

public static partial class Sorting
{
    const int Block = 256;

    /// <summary>Full bitonic sort of each 256-key block in workgroup memory.</summary>
    [Kernel(WorkgroupSize = Block)]
    public static void BitonicBlock(ThreadId id, LocalId local, GroupId group, Span<uint> keys, [GroupShared(Block)] Span<uint> tile)
    {
        var t = local.X;
        var baseIndex = group.X * Block;
        tile[t] = keys[baseIndex + t];
        Workgroup.Barrier();
        for (var k = 2; k <= Block; k <<= 1)
        {
            for (var j = k >> 1; j > 0; j >>= 1)
            {
                var partner = t ^ j;
                if (partner > t)
                {
                    var ascending = (t & k) == 0;
                    var (a, b) = (tile[t], tile[partner]);
                    if ((a > b) == ascending)
                        (tile[t], tile[partner]) = (b, a);
                }
                Workgroup.Barrier();
            }
        }
        keys[baseIndex + t] = tile[t];
    }

    /// <summary>Radix-sort pass 1: per-workgroup 16-bin digit histogram in shared memory, added to the global one.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void DigitHistogram(ThreadId id, LocalId local, ReadOnlySpan<uint> keys, Span<uint> histogram, [GroupShared(16)] Span<uint> bins, int shift)
    {
        if (local.X < 16) bins[local.X] = 0;
        Workgroup.Barrier();
        if (id.X < keys.Length)
        {
            var digit = (keys[id.X] >> shift) & 0xF;
            Interlocked.Increment(ref bins[(int)digit]);
        }
        Workgroup.Barrier();
        if (local.X < 16)
        {
            var count = bins[local.X];
            if (count != 0) Interlocked.Add(ref histogram[local.X], count);
        }
    }

    /// <summary>Radix-sort pass 2: one invocation per digit scatters its keys, in input order (stable).</summary>
    [Kernel(WorkgroupSize = 16)]
    public static void DigitScatter(ThreadId id, ReadOnlySpan<uint> keys, ReadOnlySpan<uint> offsets, Span<uint> sorted, int shift)
    {
        var digit = (uint)id.X;
        if (digit >= 16) return;
        var dst = (int)offsets[(int)digit];
        foreach (var key in keys)
        {
            if (((key >> shift) & 15u) == digit)
                sorted[dst++] = key;
        }
    }

    /// <summary>Top-k (largest) of each row by insertion into a per-invocation sorted array.</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void TopK(ThreadId id, ReadOnlySpan<float> scores, Span<float> topValues, Span<int> topIndices, int rowLength)
    {
        const int K = 4;
        var row = id.X;
        if (row * K >= topValues.Length) return;
        Span<float> best = stackalloc float[K];
        Span<int> where = stackalloc int[K];
        best.Fill(float.NegativeInfinity);
        where.Fill(-1);
        var values = scores.Slice(row * rowLength, rowLength);
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v <= best[K - 1]) continue;
            var p = K - 1;
            while (p > 0 && best[p - 1] < v)
            {
                best[p] = best[p - 1];
                where[p] = where[p - 1];
                p--;
            }
            best[p] = v;
            where[p] = i;
        }
        for (var j = 0; j < K; j++)
        {
            topValues[row * K + j] = best[j];
            topIndices[row * K + j] = where[j];
        }
    }

    public struct MinResult
    {
        public float Value;
        public int Index;
        public MinResult(float value, int index) { Value = value; Index = index; }
    }

    static MinResult ArgMin(ReadOnlySpan<float> row)
    {
        MinResult best = new(float.PositiveInfinity, -1);
        for (var i = 0; i < row.Length; i++)
            if (row[i] < best.Value) best = new(row[i], i);
        return best;
    }

    /// <summary>Argmin of each row through a helper returning a struct (value, index).</summary>
    [Kernel]
    public static void RowArgMin(ThreadId id, ReadOnlySpan<float> data, Span<float> minValues, Span<int> minIndices, int rowLength)
    {
        var r = id.X;
        if (r >= minValues.Length) return;
        var m = ArgMin(data.Slice(r * rowLength, rowLength));
        minValues[r] = m.Value;
        minIndices[r] = m.Index;
    }
}

public static partial class Graphs
{
    /// <summary>BFS frontier expansion over a CSR graph: claim unvisited neighbours with CompareExchange.</summary>
    [Kernel]
    public static void BfsStep(ThreadId id, ReadOnlySpan<int> rowStart, ReadOnlySpan<int> columns, Span<int> level, Span<int> frontierCount, int depth)
    {
        var v = id.X;
        if (v >= level.Length || level[v] != depth) return;
        for (var e = rowStart[v]; e < rowStart[v + 1]; e++)
        {
            var u = columns[e];
            if (Interlocked.CompareExchange(ref level[u], depth + 1, -1) == -1)
                Interlocked.Increment(ref frontierCount[0]);
        }
    }

    /// <summary>Connected components by label propagation over an edge list (Atomic.Min both ways).</summary>
    [Kernel]
    public static void PropagateLabels(ThreadId id, ReadOnlySpan<int> edgeFrom, ReadOnlySpan<int> edgeTo, Span<int> labels, Span<int> changed)
    {
        var e = id.X;
        if (e >= edgeFrom.Length) return;
        int a = edgeFrom[e], b = edgeTo[e];
        var la = labels[a];
        var lb = labels[b];
        if (la == lb) return;
        var low = Math.Min(la, lb);
        if (Atomic.Min(ref labels[a], low) > low | Atomic.Min(ref labels[b], low) > low)
            Interlocked.Exchange(ref changed[0], 1);
    }
}
