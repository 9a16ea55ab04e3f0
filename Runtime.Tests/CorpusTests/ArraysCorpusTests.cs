using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Arrays.cs (per-invocation arrays, helpers taking them by pointer) on Dawn and on the CPU backend, against plain C#.</summary>
public class ArraysCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.RegisterTileMatMul))]
    public void RegisterTileMatMul_matches_the_plain_product()
    {
        const int M = 7, K = 13, N = 10; // neither a multiple of the 2 x 4 tile
        var inputs = new SeededInputs(1501);
        var a = inputs.Floats(M * K, -1f, 1f);
        var b = inputs.Floats(K * N, -1f, 1f);
        int tiles = (M + 1) / 2 * ((N + 3) / 4);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<float>(a);
            using var gb = device.Upload<float>(b);
            using var c = device.Upload<float>(Enumerable.Repeat(-99f, M * N).ToArray());
            using var stream = device.CreateStream();
            Arrays.Gpu.RegisterTileMatMul(stream, ga, gb, c, M, K, N, tiles);
            stream.Synchronize();
            return c.ToArray();
        });
        var expected = new float[M * N];
        for (var i = 0; i < M; i++)
            for (var j = 0; j < N; j++)
            {
                double acc = 0;
                for (var p = 0; p < K; p++)
                    acc += (double)a[i * K + p] * b[p * N + j];
                expected[i * N + j] = (float)acc;
            }
        // Every element written (no -99 left), the same K products summed in the same order on both backends
        // (fma contraction may round differently: 13 terms of magnitude <= 1, 2e-6).
        ResultComparison.Close(cpu, native, new FloatTolerance(4, 2e-6f), "c");
        ResultComparison.Close(expected, native, new FloatTolerance(4, 4e-6f), "c vs double product");
    }

    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.SortEight))]
    public void SortEight_sorts_each_group_of_eight()
    {
        const int Groups = 45;
        var x = new SeededInputs(1502).Floats(Groups * 8);
        x[3] = x[4]; // ties
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var sorted = device.Allocate<float>(Groups * 8);
            using var stream = device.CreateStream();
            Arrays.Gpu.SortEight(stream, gx, sorted, Groups);
            stream.Synchronize();
            return sorted.ToArray();
        });
        var expected = x.Chunk(8).SelectMany(g => g.Order()).ToArray();
        ResultComparison.Exact<float>(expected, cpu, "sorted (CPU)");
        ResultComparison.Exact<float>(expected, native, "sorted (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.InitializedArrays))]
    public void InitializedArrays_blur_with_initialised_weights()
    {
        const int N = 150;
        var x = new SeededInputs(1503).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Arrays.Gpu.InitializedArrays(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        var expected = new float[N];
        for (var i = 0; i < N; i++)
        {
            float sum = 0.25f * x[Math.Max(i - 1, 0)];
            sum += 0.5f * x[i];
            sum += 0.25f * x[Math.Min(i + 1, N - 1)];
            expected[i] = sum * ((i & 1) == 0 ? 2f : 1f) + 0.5f;
        }
        // Weights are powers of two: every product exact, so only the sums round (fma cannot change them).
        ResultComparison.Exact<float>(expected, cpu, "y (CPU)");
        ResultComparison.Exact<float>(expected, native, "y (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.StructAndVectorArrays))]
    public void StructAndVectorArrays_write_fields_components_and_counts()
    {
        const int N = 70;
        var x = new SeededInputs(1504).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var points = device.Allocate<Vector4>(N);
            using var keys = device.Allocate<float>(N);
            using var counts = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Arrays.Gpu.StructAndVectorArrays(stream, gx, points, keys, counts, N);
            stream.Synchronize();
            return (points.ToArray(), keys.ToArray(), counts.ToArray());
        });
        var expectedPoints = x.Select(v => new Vector4(v + 1f, 2f, 3f, 4f + 4f)).ToArray();
        var expectedKeys = x.Select(v => v * 1 + v * 2 + v * 3).ToArray();
        var expectedCounts = Enumerable.Repeat(1 + 2 + 30, N).ToArray();
        ResultComparison.Close(expectedPoints, cpu.Item1, FloatTolerance.Exact, "points (CPU)");
        ResultComparison.Close(expectedPoints, native.Item1, FloatTolerance.Exact, "points (Dawn)");
        ResultComparison.Exact<float>(cpu.Item2, native.Item2, "keys");
        ResultComparison.Close(expectedKeys, native.Item2, new FloatTolerance(1, 0f), "keys vs C#");
        ResultComparison.Exact<int>(expectedCounts, cpu.Item3, "counts (CPU)");
        ResultComparison.Exact<int>(expectedCounts, native.Item3, "counts (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.SmallHistogram))]
    public void SmallHistogram_counts_bins_and_takes_medians()
    {
        const int Threads = 33;
        var x = new SeededInputs(1505).Ints(Threads * 4, -50, 50);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var bins = device.Allocate<int>(Threads * 4);
            using var medians = device.Allocate<int>(Threads);
            using var stream = device.CreateStream();
            Arrays.Gpu.SmallHistogram(stream, gx, bins, medians, Threads);
            stream.Synchronize();
            return (bins.ToArray(), medians.ToArray());
        });
        var expectedBins = new int[Threads * 4];
        var expectedMedians = new int[Threads];
        for (var i = 0; i < Threads; i++)
        {
            for (var t = 0; t < 4; t++)
                expectedBins[i * 4 + (x[i * 4 + t] & 3)]++;
            expectedMedians[i] = new[] { x[i * 4], x[i * 4 + 1], x[i * 4 + 2] }.Order().ElementAt(1);
        }
        ResultComparison.Exact<int>(expectedBins, cpu.Item1, "bins (CPU)");
        ResultComparison.Exact<int>(expectedBins, native.Item1, "bins (Dawn)");
        ResultComparison.Exact<int>(expectedMedians, cpu.Item2, "medians (CPU)");
        ResultComparison.Exact<int>(expectedMedians, native.Item2, "medians (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.ForEachLoops))]
    public void ForEachLoops_weigh_and_count_with_continue_and_break()
    {
        const int N = 90;
        var x = new SeededInputs(1506).Ints(N, 0, 6); // many repeats: counts reach the break at 3
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var weighted = device.Allocate<float>(N);
            using var equal = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Arrays.Gpu.ForEachLoops(stream, gx, weighted, equal, N);
            stream.Synchronize();
            return (weighted.ToArray(), equal.ToArray());
        });
        var expectedWeighted = x.Select(v => 6f * v).ToArray();
        var expectedEqual = x.Select(v => Math.Min(3, x.Count(u => u == v))).ToArray();
        ResultComparison.Exact<float>(expectedWeighted, cpu.Item1, "weighted (CPU)");
        ResultComparison.Exact<float>(expectedWeighted, native.Item1, "weighted (Dawn)");
        ResultComparison.Exact<int>(expectedEqual, cpu.Item2, "equal (CPU)");
        ResultComparison.Exact<int>(expectedEqual, native.Item2, "equal (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.SpanMethods))]
    public void SpanMethods_fill_copy_and_clear()
    {
        const int N = 70;
        var x = new SeededInputs(1507).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Arrays.Gpu.SpanMethods(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        var expected = x.Select(v => v + 0f + v + 0f + 1f).ToArray();
        ResultComparison.Exact<float>(expected, cpu, "y (CPU)");
        ResultComparison.Exact<float>(expected, native, "y (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(Arrays), nameof(Arrays.PointerWriteOrder))]
    public void PointerWriteOrder_reads_the_array_before_the_helper_writes_it()
    {
        const int N = 64;
        var x = new SeededInputs(1508).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Arrays.Gpu.PointerWriteOrder(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        var expected = x.Select(v =>
        {
            float a0 = v, a1 = 0f;
            float y = a0 + (v > 0f ? (a0 += 10f) : 0.5f);
            float bumped = a0 += 10f;
            a1 += bumped * a0;
            return y + a1;
        }).ToArray();
        ResultComparison.Exact<float>(expected, cpu, "y (CPU)");
        ResultComparison.Close(expected, native, new FloatTolerance(2, 0f), "y (Dawn)");
    }
}
