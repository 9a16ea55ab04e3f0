// Corpus: workgroup-shared memory and barriers (reductions, tiled matrix multiply).
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Workgroups
{
    /// <summary>Sum of each 64-element block with a shared-memory tree reduction.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void BlockSum(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> sums, [GroupShared(64)] Span<float> partial)
    {
        int i = id.X;
        partial[local.X] = i < x.Length ? x[i] : 0f;
        Workgroup.Barrier();
        for (int stride = partial.Length / 2; stride > 0; stride >>= 1)
        {
            if (local.X < stride)
                partial[local.X] += partial[local.X + stride];
            Workgroup.Barrier();
        }
        if (local.X == 0)
            sums[group.X] = partial[0];
    }

    /// <summary>Mean of each 64-element block; the reduction is a helper over the shared array (with barriers).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void BlockMean(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> means, [GroupShared(64)] Span<float> lanes)
    {
        int i = id.X;
        lanes[local.Index] = i < x.Length ? x[i] : 0f;
        float total = ReduceSum(lanes, local.Index);
        if (local.Index == 0)
            means[group.X] = total / lanes.Length;
    }

    private static float ReduceSum(Span<float> lanes, int lane)
    {
        Workgroup.Barrier();
        for (int stride = lanes.Length / 2; stride > 0; stride /= 2)
        {
            if (lane < stride)
                lanes[lane] += lanes[lane + stride];
            Workgroup.Barrier();
        }
        return lanes[0];
    }

    /// <summary>Maximum of each block of ints, two shared arrays (values and their indices).</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void BlockArgMax(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<int> x, Span<int> best, [GroupShared(32)] Span<int> values, [GroupShared(32)] Span<int> indices)
    {
        int i = id.X;
        values[local.Index] = i < x.Length ? x[i] : int.MinValue;
        indices[local.Index] = i;
        Workgroup.Barrier();
        for (int stride = 16; stride > 0; stride /= 2)
        {
            if (local.Index < stride)
            {
                int other = local.Index + stride;
                if (values[other] > values[local.Index] || values[other] == values[local.Index] && indices[other] < indices[local.Index])
                {
                    values[local.Index] = values[other];
                    indices[local.Index] = indices[other];
                }
            }
            Workgroup.Barrier();
        }
        if (local.Index == 0)
            best[group.X] = indices[0];
    }

    /// <summary>C = A x B with 8x8 shared tiles (A is m x k, B is k x n).</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void TiledMatMul(ThreadId id, LocalId local, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n,
        [GroupShared(64)] Span<float> tileA, [GroupShared(64)] Span<float> tileB)
    {
        const int Tile = 8;
        int row = id.Y, column = id.X;
        float acc = 0f;
        int tiles = (k + Tile - 1) / Tile;
        for (int t = 0; t < tiles; t++)
        {
            int aColumn = t * Tile + local.X;
            int bRow = t * Tile + local.Y;
            tileA[local.Y * Tile + local.X] = row < m && aColumn < k ? a[row * k + aColumn] : 0f;
            tileB[local.Y * Tile + local.X] = bRow < k && column < n ? b[bRow * n + column] : 0f;
            Workgroup.Barrier();
            for (int j = 0; j < Tile; j++)
                acc += tileA[local.Y * Tile + j] * tileB[j * Tile + local.X];
            Workgroup.Barrier();
        }
        if (row < m && column < n)
            c[row * n + column] = acc;
    }

    /// <summary>Per-row softmax, one workgroup per row: shared max and sum reductions.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void RowSoftmax(LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> y, int columns, [GroupShared(64)] Span<float> scratch)
    {
        int row = group.X;
        float localMax = -3.4e38f;
        for (int c = local.X; c < columns; c += 64)
            localMax = MathF.Max(localMax, x[row * columns + c]);
        scratch[local.X] = localMax;
        Workgroup.Barrier();
        for (int s = 32; s > 0; s >>= 1)
        {
            if (local.X < s)
                scratch[local.X] = MathF.Max(scratch[local.X], scratch[local.X + s]);
            Workgroup.Barrier();
        }
        float rowMax = scratch[0];
        Workgroup.Barrier();
        float localSum = 0f;
        for (int c = local.X; c < columns; c += 64)
            localSum += MathF.Exp(x[row * columns + c] - rowMax);
        scratch[local.X] = localSum;
        Workgroup.Barrier();
        for (int s = 32; s > 0; s >>= 1)
        {
            if (local.X < s)
                scratch[local.X] += scratch[local.X + s];
            Workgroup.Barrier();
        }
        float total = scratch[0];
        for (int c = local.X; c < columns; c += 64)
            y[row * columns + c] = MathF.Exp(x[row * columns + c] - rowMax) / total;
    }
}
