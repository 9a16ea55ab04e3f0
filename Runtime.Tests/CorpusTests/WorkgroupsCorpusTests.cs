using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Workgroups.cs (shared memory and barriers) on Dawn and on the CPU backend, whose workgroup
/// invocations run concurrently, and against plain C# reductions, matrix product and softmax.
/// </summary>
public class WorkgroupsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Workgroups), nameof(Workgroups.BlockSum))]
    public void BlockSum_reduces_each_block_of_64()
    {
        const int N = 300, Blocks = (N + 63) / 64; // the last block is partial: padded with zeros
        var x = new SeededInputs(1001).Floats(N, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var sums = device.Allocate<float>(Blocks);
            using var stream = device.CreateStream();
            Workgroups.Gpu.BlockSum(stream, gx, sums, N);
            stream.Synchronize();
            return sums.ToArray();
        });
        // The tree adds the same pairs in the same order on both backends, each add correctly rounded.
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "sums");
        // Against the exact sum: a tree of 6 levels rounds each term's contribution at most 6 times.
        var expected = x.Chunk(64).Select(block => (float)block.Sum(v => (double)v)).ToArray();
        var bound = x.Chunk(64).Select(block => ResultComparison.SumErrorBound(6, block.Sum(v => Math.Abs((double)v)))).ToArray();
        ResultComparison.Close(expected, native, new FloatTolerance(1, 0f), bound, "sums vs double sum");
    }

    [Fact]
    [CorpusCase(typeof(Workgroups), nameof(Workgroups.BlockArgMax))]
    public void BlockArgMax_returns_the_first_index_of_each_block_maximum()
    {
        const int N = 150, Blocks = (N + 31) / 32;
        var x = new SeededInputs(1002).Ints(N, -20, 20); // a small range: ties, broken by the lower index
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var best = device.Allocate<int>(Blocks);
            using var stream = device.CreateStream();
            Workgroups.Gpu.BlockArgMax(stream, gx, best, N);
            stream.Synchronize();
            return best.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "best");
        var expected = x.Chunk(32).Select((block, b) => b * 32 + Array.IndexOf(block, block.Max())).ToArray();
        ResultComparison.Exact<int>(expected, native, "best vs first index of the maximum");
    }

    [Fact]
    [CorpusCase(typeof(Workgroups), nameof(Workgroups.TiledMatMul))]
    public void TiledMatMul_matches_the_plain_product()
    {
        const int M = 13, K = 19, N = 11; // none a multiple of the 8x8 tile
        var inputs = new SeededInputs(1003);
        var a = inputs.Floats(M * K, -1f, 1f);
        var b = inputs.Floats(K * N, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<float>(a);
            using var gb = device.Upload<float>(b);
            using var c = device.Allocate<float>(M * N);
            using var stream = device.CreateStream();
            Workgroups.Gpu.TiledMatMul(stream, ga, gb, c, M, K, N, Grid.Threads(N, M));
            stream.Synchronize();
            return c.ToArray();
        });
        var expected = new float[M * N];
        var bound = new float[M * N];
        for (var i = 0; i < M; i++)
            for (var j = 0; j < N; j++)
            {
                double acc = 0, magnitude = 0;
                for (var k = 0; k < K; k++)
                {
                    var term = (double)a[i * K + k] * b[k * N + j];
                    acc += term;
                    magnitude += Math.Abs(term);
                }
                expected[i * N + j] = (float)acc;
                bound[i * N + j] = ResultComparison.SumErrorBound(2 * K, magnitude);
            }
        // Sums of K products: within the classic bound from their terms of the exact value (twice that
        // between backends: the GPU may contract acc + a * b into an fma), plus 2 ulp for the reference's rounding.
        var tolerance = new FloatTolerance(2, 0f);
        ResultComparison.Close(cpu, native, tolerance, bound.Select(x => 2 * x).ToArray(), "c");
        ResultComparison.Close(expected, native, tolerance, bound, "c vs double product");
    }

    [Fact]
    [CorpusCase(typeof(Workgroups), nameof(Workgroups.RowSoftmax))]
    public void RowSoftmax_rows_are_distributions()
    {
        const int Rows = 5, Columns = 150; // 150 columns: threads loop 2-3 times, some idle in the last pass
        var x = new SeededInputs(1004).Floats(Rows * Columns, -6f, 6f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(Rows * Columns);
            using var stream = device.CreateStream();
            Workgroups.Gpu.RowSoftmax(stream, gx, y, Columns, Grid.Groups(Rows));
            stream.Synchronize();
            return y.ToArray();
        });
        // exp of x - max (in [-12, 0]) is accurate to 3 + 2 * 12 = 27 ulp in WGSL; the sum of 150 such
        // terms carries their relative error, and the division adds 2.5 ulp: 64 ulp.
        var tolerance = new FloatTolerance(64, 1e-9f);
        ResultComparison.Close(cpu, native, tolerance, "y");
        var expected = x.Chunk(Columns).SelectMany(row =>
        {
            var max = row.Max();
            var total = row.Sum(v => Math.Exp(v - max));
            return row.Select(v => (float)(Math.Exp(v - max) / total));
        }).ToArray();
        ResultComparison.Close(expected, native, tolerance, "y vs double softmax");
        Assert.All(native.Chunk(Columns), row => Assert.InRange(row.Sum(v => (double)v), 1 - 1e-5, 1 + 1e-5));
    }
}
