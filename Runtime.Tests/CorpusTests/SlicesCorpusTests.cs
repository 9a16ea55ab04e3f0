using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Slices.cs (span slices: Slice, ranges, ^k, slices in locals and helpers) on Dawn and on the CPU backend.</summary>
public class SlicesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Slices), nameof(Slices.RowStats))]
    public void RowStats_reads_and_writes_rows_through_slices_as_csharp_does()
    {
        const int Rows = 37, Width = 7;
        var x = new SeededInputs(7101).Floats(Rows * Width);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Upload<float>(Enumerable.Repeat(-99f, Rows * Width).ToArray());
            using var stats = device.Allocate<float>(Rows * 4);
            using var stream = device.CreateStream();
            Slices.Gpu.RowStats(stream, gx, y, stats, Width, Rows + 5);
            stream.Synchronize();
            return (y.ToArray(), stats.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "y");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(2, 1e-6f), "stats");
        var expectedY = new float[Rows * Width];
        var expectedStats = new float[Rows * 4];
        for (int r = 0; r < Rows; r++)
        {
            var line = x.AsSpan(r * Width, Width);
            float sum = 0f, tail = 0f, max = float.MinValue;
            for (int i = 0; i < Width; i++)
                sum += line[i];
            for (int i = 1; i < Width; i++)
                tail += line[i];
            for (int i = 0; i < Width / 2; i++)
                max = MathF.Max(max, line[i]);
            expectedStats[r * 4] = sum;
            expectedStats[r * 4 + 1] = tail;
            expectedStats[r * 4 + 2] = line[Width - 1] + Width + x[^1] * 10f;
            expectedStats[r * 4 + 3] = max;
            for (int i = 0; i < Width; i++)
                expectedY[r * Width + i] = i == 0 ? -line[0] : line[i] * 2f;
            expectedY[r * Width + Width - 1] = line[0];
        }
        ResultComparison.Close(expectedY, native.Item1, FloatTolerance.Exact, "y vs reference");
        ResultComparison.Close(expectedStats, native.Item2, new FloatTolerance(2, 1e-6f), "stats vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Slices), nameof(Slices.TileWindows))]
    public void TileWindows_sums_workgroup_slices_and_counts_in_the_buffers_tail()
    {
        const int N = 150;
        var x = new SeededInputs(7102).Ints(N, -50, 50);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Slices.Gpu.TileWindows(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        int Tile(int i) => i < N ? x[i] : 0;
        var expected = Enumerable.Range(0, N).Select(i =>
        {
            int groupStart = i / 64 * 64 + i % 64 / 8 * 8, total = 0;
            for (int k = 0; k < 8; k++)
                total += Tile(groupStart + k);
            int above = x.Skip(N - 4).Count(v => v > x[i]);
            return total * 100 + Tile(groupStart + 7) + above * 10000 + x[N - 1] * 3;
        }).ToArray();
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Slices), nameof(Slices.Moves))]
    public void Moves_copy_and_clear_slices_and_index_arrays_from_the_end()
    {
        const int N = 40;
        var x = new SeededInputs(7103).Ints(9, -50, 50);
        var start = new SeededInputs(7104).Ints(N * 6, -9, 9);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Upload<int>(start);
            using var stream = device.CreateStream();
            Slices.Gpu.Moves(stream, y, gx, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        var expected = new int[N * 6];
        for (int i = 0; i < N; i++)
        {
            expected[i * 6 + 2] = 300 + 10 + x[6] + x[7] + x[8] + x.Length;
            expected[i * 6 + 3] = x[0];
            expected[i * 6 + 4] = x[1];
            expected[i * 6 + 5] = x[2];
        }
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }
}
