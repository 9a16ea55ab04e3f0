using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus kernels whose helpers take Span parameters (one WGSL function per bound buffer), on Dawn and on the CPU backend.</summary>
public class SpanHelperCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Convolution), nameof(Convolution.MaxPool2x2))]
    public void MaxPool2x2_takes_the_maximum_of_each_2x2_window()
    {
        const int Channels = 3, Height = 7, Width = 9, OutHeight = Height / 2, OutWidth = Width / 2;
        var input = new SeededInputs(1301).Floats(Channels * Height * Width);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<float>(input);
            using var output = device.Allocate<float>(Channels * OutHeight * OutWidth);
            using var stream = device.CreateStream();
            Convolution.Gpu.MaxPool2x2(stream, gi, output, Channels, Height, Width, Grid.Threads(OutWidth, OutHeight, Channels));
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "output");
        var expected = new float[Channels * OutHeight * OutWidth];
        for (int c = 0; c < Channels; c++)
        for (int y = 0; y < OutHeight; y++)
        for (int x = 0; x < OutWidth; x++)
        {
            float At(int yy, int xx) => input[(c * Height + yy) * Width + xx];
            expected[(c * OutHeight + y) * OutWidth + x] = Math.Max(Math.Max(At(2 * y, 2 * x), At(2 * y, 2 * x + 1)), Math.Max(At(2 * y + 1, 2 * x), At(2 * y + 1, 2 * x + 1)));
        }
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "output vs window maxima");
    }

    [Fact]
    [CorpusCase(typeof(Helpers), nameof(Helpers.AddNeighbours))]
    public void AddNeighbours_one_helper_reads_each_of_two_buffers()
    {
        const int N = 77;
        var seeded = new SeededInputs(1302);
        var a = seeded.Floats(N);
        var b = seeded.Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<float>(a);
            using var gb = device.Upload<float>(b);
            using var sum = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Helpers.Gpu.AddNeighbours(stream, ga, gb, sum, N);
            stream.Synchronize();
            return sum.ToArray();
        });
        // Three adds and WGSL's 2.5-ulp division per average, then one add: 8 ulp, or 1e-5 after cancellation.
        var tolerance = new FloatTolerance(8, 1e-5f);
        ResultComparison.Close(cpu, native, tolerance, "sum");
        double Average(float[] v, int i) => (v[Math.Max(i - 1, 0)] + (double)v[i] + v[Math.Min(i + 1, N - 1)]) / 3;
        var expected = Enumerable.Range(0, N).Select(i => (float)(Average(a, i) + Average(b, i))).ToArray();
        ResultComparison.Close(expected, native, tolerance, "sum vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Workgroups), nameof(Workgroups.BlockMean))]
    public void BlockMean_reduces_in_a_helper_over_the_shared_array_with_barriers()
    {
        const int N = 300, Blocks = (N + 63) / 64;
        var x = new SeededInputs(1303).Floats(N, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var means = device.Allocate<float>(Blocks);
            using var stream = device.CreateStream();
            Workgroups.Gpu.BlockMean(stream, gx, means, N);
            stream.Synchronize();
            return means.ToArray();
        });
        // Same tree, same order on both backends; dividing by 64 is exact.
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "means");
        var expected = x.Chunk(64).Select(block => (float)(block.Sum(v => (double)v) / 64)).ToArray();
        ResultComparison.Close(expected, native, new FloatTolerance(0, 1e-6f), "means vs double mean");
    }
}
