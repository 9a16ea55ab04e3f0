// Tryout: reductions, scans, atomics, sorting and linear algebra, written as CUDA / ILGPU users write them.
using System;
using System.Numerics;
using System.Threading;
using KernelGen;

namespace KernelGen.Runtime.Tests.Tryout;

public static partial class TryoutParallel
{
    public const int BlockSize = 256;
    private const int Tile = 16;
    private const int Bins = 64;

    /// <summary>Classic shared-memory tree reduction, one partial sum per workgroup.</summary>
    [Kernel(WorkgroupSize = BlockSize)]
    public static void ReduceSum(ThreadId id, LocalId lid, GroupId gid, ReadOnlySpan<float> input, Span<float> partials, [GroupShared(BlockSize)] Span<float> cache)
    {
        var tid = lid.X;
        var i = id.X;
        cache[tid] = i < input.Length ? input[i] : 0f;
        Workgroup.Barrier();
        for (var s = BlockSize / 2; s > 0; s >>= 1)
        {
            if (tid < s)
                cache[tid] += cache[tid + s];
            Workgroup.Barrier();
        }
        if (tid == 0) partials[gid.X] = cache[0];
    }

    /// <summary>Integer sum with subgroups, then one shared slot per subgroup.</summary>
    [Kernel(WorkgroupSize = 128)]
    public static void SubgroupSum(ThreadId id, LocalId lid, GroupId gid, SubgroupId sg, ReadOnlySpan<int> input, Span<int> partials, [GroupShared(128)] Span<int> perSubgroup)
    {
        int v = id.X < input.Length ? input[id.X] : 0;
        int s = Subgroup.Add(v);
        int subgroupIndex = lid.Index / sg.Size;
        if (sg.Lane == 0) perSubgroup[subgroupIndex] = s;
        Workgroup.Barrier();
        if (lid.Index == 0)
        {
            int total = 0;
            int count = (128 + sg.Size - 1) / sg.Size;
            for (int k = 0; k < count; k++) total += perSubgroup[k];
            partials[gid.X] = total;
        }
    }

    /// <summary>Hillis-Steele inclusive scan inside a workgroup with ping-pong buffers.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void InclusiveScan(ThreadId id, LocalId lid, ReadOnlySpan<int> input, Span<int> output, [GroupShared(128)] Span<int> temp)
    {
        int n = 64;
        int t = lid.X;
        int pout = 0, pin = 1;
        temp[t] = id.X < input.Length ? input[id.X] : 0;
        Workgroup.Barrier();
        for (int offset = 1; offset < n; offset *= 2)
        {
            pout = 1 - pout;
            pin = 1 - pout;
            if (t >= offset)
                temp[pout * n + t] = temp[pin * n + t] + temp[pin * n + t - offset];
            else
                temp[pout * n + t] = temp[pin * n + t];
            Workgroup.Barrier();
        }
        if (id.X < output.Length) output[id.X] = temp[pout * n + t];
    }

    /// <summary>Exclusive scan with subgroup ops (per subgroup).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void SubgroupExclusive(ThreadId id, ReadOnlySpan<uint> input, Span<uint> output)
    {
        uint v = id.X < input.Length ? input[id.X] : 0u;
        uint e = Subgroup.ExclusiveAdd(v);
        if (id.X < output.Length) output[id.X] = e;
    }

    /// <summary>Stream compaction: keep the positive values, slot from an atomic counter.</summary>
    [Kernel]
    public static void Compact(ThreadId id, ReadOnlySpan<int> input, Span<int> output, Span<int> counter)
    {
        var i = id.X;
        if (i >= input.Length) return;
        var v = input[i];
        if (v is > 0)
        {
            var slot = Interlocked.Increment(ref counter[0]) - 1;
            output[slot] = v;
        }
    }

    /// <summary>Histogram: private bins in shared memory, merged with Interlocked.Add.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Histogram(ThreadId id, LocalId lid, ReadOnlySpan<uint> values, Span<uint> bins, [GroupShared(64)] Span<uint> local)
    {
        local[lid.X] = 0;
        Workgroup.Barrier();
        if (id.X < values.Length)
        {
            uint b = values[id.X] % (uint)Bins;
            Interlocked.Increment(ref local[(int)b]);
        }
        Workgroup.Barrier();
        if (local[lid.X] != 0)
            Interlocked.Add(ref bins[lid.X], local[lid.X]);
    }

    /// <summary>Argmax per block: values and indices in shared memory, ties to the lower index.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ArgMax(ThreadId id, LocalId lid, GroupId gid, ReadOnlySpan<float> x, Span<int> result, [GroupShared(64)] Span<float> vals, [GroupShared(64)] Span<int> idx)
    {
        int t = lid.X;
        vals[t] = id.X < x.Length ? x[id.X] : float.NegativeInfinity;
        idx[t] = id.X;
        Workgroup.Barrier();
        for (int s = 32; s >= 1; s /= 2)
        {
            if (t < s)
            {
                float a = vals[t], b = vals[t + s];
                if (b > a || (b == a && idx[t + s] < idx[t]))
                {
                    vals[t] = b;
                    idx[t] = idx[t + s];
                }
            }
            Workgroup.Barrier();
        }
        if (t == 0) result[gid.X] = idx[0];
    }

    /// <summary>Softmax of each row of 64: one workgroup per row, max and sum through shared memory.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void SoftmaxRows(LocalId lid, GroupId gid, ReadOnlySpan<float> x, Span<float> y, [GroupShared(64)] Span<float> red)
    {
        int row = gid.X, t = lid.X;
        int cols = 64;
        float v = x[row * cols + t];
        red[t] = v;
        Workgroup.Barrier();
        for (int s = cols / 2; s > 0; s /= 2)
        {
            if (t < s) red[t] = MathF.Max(red[t], red[t + s]);
            Workgroup.Barrier();
        }
        float max = red[0];
        Workgroup.Barrier();
        float e = MathF.Exp(v - max);
        red[t] = e;
        Workgroup.Barrier();
        for (int s = cols / 2; s > 0; s /= 2)
        {
            if (t < s) red[t] += red[t + s];
            Workgroup.Barrier();
        }
        y[row * cols + t] = e / red[0];
    }

    /// <summary>LayerNorm of rows, one invocation per row (naive), Math and MathF mixed.</summary>
    [Kernel]
    public static void LayerNorm(ThreadId id, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, int cols, float eps)
    {
        int row = id.X;
        if (row * cols >= x.Length) return;
        var baseIndex = row * cols;
        float mean = 0f;
        for (int c = 0; c < cols; c++) mean += x[baseIndex + c];
        mean /= cols;
        float variance = 0f;
        for (int c = 0; c < cols; c++)
        {
            var d = x[baseIndex + c] - mean;
            variance += d * d;
        }
        variance /= cols;
        float inv = 1f / MathF.Sqrt(variance + eps);
        for (int c = 0; c < cols; c++)
            y[baseIndex + c] = (x[baseIndex + c] - mean) * inv * gamma[c] + beta[c];
    }

    /// <summary>Tiled matmul C = A * B with 16x16 shared tiles (n a multiple of 16 not required).</summary>
    [Kernel(WorkgroupSize = Tile, WorkgroupSizeY = Tile)]
    public static void MatMulTiled(ThreadId id, LocalId lid, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        [GroupShared(Tile * Tile)] Span<float> tileA, [GroupShared(Tile * Tile)] Span<float> tileB)
    {
        int row = id.Y, col = id.X;
        int tx = lid.X, ty = lid.Y;
        float acc = 0;
        int tiles = (k + Tile - 1) / Tile;
        for (int t = 0; t < tiles; t++)
        {
            int aCol = t * Tile + tx;
            int bRow = t * Tile + ty;
            tileA[ty * Tile + tx] = row < m && aCol < k ? a[row * k + aCol] : 0f;
            tileB[ty * Tile + tx] = bRow < k && col < n ? b[bRow * n + col] : 0f;
            Workgroup.Barrier();
            for (int e = 0; e < Tile; ++e)
                acc += tileA[ty * Tile + e] * tileB[e * Tile + tx];
            Workgroup.Barrier();
        }
        if (row < m && col < n)
            c[row * n + col] = acc;
    }

    /// <summary>Transpose through a padded shared tile (17 columns to avoid bank conflicts).</summary>
    [Kernel(WorkgroupSize = 16, WorkgroupSizeY = 16)]
    public static void Transpose(LocalId lid, GroupId gid, ReadOnlySpan<float> src, Span<float> dst, int width, int height, [GroupShared(16 * 17)] Span<float> tile)
    {
        int x = gid.X * 16 + lid.X;
        int y = gid.Y * 16 + lid.Y;
        if (x < width && y < height)
            tile[lid.Y * 17 + lid.X] = src[y * width + x];
        Workgroup.Barrier();
        x = gid.Y * 16 + lid.X;
        y = gid.X * 16 + lid.Y;
        if (x < height && y < width)
            dst[y * height + x] = tile[lid.X * 17 + lid.Y];
    }

    /// <summary>CSR sparse matrix-vector product with a two-variable for.</summary>
    [Kernel]
    public static void SpMV(ThreadId id, ReadOnlySpan<int> rowPtr, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> y)
    {
        int row = id.X;
        if (row >= y.Length) return;
        float dot = 0;
        for (int k = rowPtr[row], end = rowPtr[row + 1]; k < end; k++)
            dot += values[k] * x[colIdx[k]];
        y[row] = dot;
    }

    /// <summary>One Floyd-Warshall relaxation step for intermediate vertex k.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void FloydWarshallStep(ThreadId id, Span<int> dist, int n, int k)
    {
        int i = id.Y, j = id.X;
        if (i >= n || j >= n) return;
        int ik = dist[i * n + k], kj = dist[k * n + j];
        if (ik == int.MaxValue || kj == int.MaxValue) return;
        var via = ik + kj;
        ref int d = ref dist[i * n + j];
        if (via < d) d = via;
    }

    /// <summary>Bitonic sort step (j, k as in the GPU Gems formulation); tuple swap.</summary>
    [Kernel]
    public static void BitonicStep(ThreadId id, Span<int> data, int j, int k)
    {
        int i = id.X;
        int ixj = i ^ j;
        if (ixj <= i || ixj >= data.Length) return;
        bool ascending = (i & k) == 0;
        if ((data[i] > data[ixj]) == ascending)
            (data[i], data[ixj]) = (data[ixj], data[i]);
    }

    /// <summary>k-means assignment with Vector2 points; out parameter helper.</summary>
    [Kernel]
    public static void KMeansAssign(ThreadId id, ReadOnlySpan<Vector2> points, ReadOnlySpan<Vector2> centroids, Span<int> assignment)
    {
        var i = id.X;
        if (i >= points.Length) return;
        assignment[i] = Nearest(points[i], centroids);
    }

    private static int Nearest(Vector2 p, ReadOnlySpan<Vector2> centroids)
    {
        var best = 0;
        var bestDistance = float.MaxValue;
        for (var c = 0; c < centroids.Length; c++)
        {
            var d = Vector2.DistanceSquared(p, centroids[c]);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /// <summary>1-D convolution with a kernel buffer and zero padding; foreach-free inner loop with continue.</summary>
    [Kernel]
    public static void Conv1D(ThreadId id, ReadOnlySpan<float> signal, ReadOnlySpan<float> weights, Span<float> output)
    {
        int i = id.X;
        if (i >= output.Length) return;
        int half = weights.Length / 2;
        float acc = 0f;
        for (int t = 0; t < weights.Length; t++)
        {
            int s = i + t - half;
            if (s < 0 || s >= signal.Length) continue;
            acc += signal[s] * weights[t];
        }
        output[i] = acc;
    }

    /// <summary>3x3 2-D convolution, weights in a per-invocation array read from the buffer.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Conv2D(ThreadId id, ReadOnlySpan<float> img, ReadOnlySpan<float> w9, Span<float> output, int width, int height)
    {
        int x = id.X, y = id.Y;
        if (x >= width | y >= height) return;
        Span<float> w = stackalloc float[9];
        for (int k = 0; k < 9; k++) w[k] = w9[k];
        float acc = 0;
        int k2 = 0;
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++, k2++)
            {
                int sx = x + dx, sy = y + dy;
                if ((uint)sx < (uint)width && (uint)sy < (uint)height)
                    acc += img[sy * width + sx] * w[k2];
            }
        output[y * width + x] = acc;
    }
}
