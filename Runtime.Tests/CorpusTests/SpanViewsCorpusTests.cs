using System.Runtime.InteropServices;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/SpanViews.cs (foreach (ref ...), slice bounds evaluated once) on Dawn and on the CPU backend, exact.</summary>
public class SpanViewsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(SpanViews), nameof(SpanViews.RefLoops))]
    public void RefLoops_write_through_the_loop_variable_into_slices_and_arrays()
    {
        const int N = 40;
        var x = new SeededInputs(7201).Ints(N, -50, 50);
        var start = new SeededInputs(7202).Ints(N * 8, -50, 50);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Upload<int>(start);
            using var stream = device.CreateStream();
            SpanViews.Gpu.RefLoops(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        var expected = new int[N * 8];
        for (int i = 0; i < N; i++)
        {
            int group = i / 8 * 8, tileSum = 0;
            for (int k = 0; k < 8; k++)
                tileSum += x[group + k];
            var acc = new[] { x[i] * 3 + tileSum, x[i] * 3, x[i] * 3, x[i] * 3 };
            for (int j = 0; j < 4; j++)
                expected[i * 8 + j] = start[i * 8 + j] + i;
            for (int j = 4; j < 8; j++)
                expected[i * 8 + j] = start[i * 8 + j] * 2 + 1 + acc[j - 4];
        }
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(SpanViews), nameof(SpanViews.RefPixels))]
    public void RefPixels_writes_byte_fields_of_each_element_in_place()
    {
        const int N = 37, Amount = 60;
        var b = new SeededInputs(7203).Ints(4 * N, 0, 256);
        var src = Enumerable.Range(0, N).Select(i => new Rgba32((byte)b[4 * i], (byte)b[4 * i + 1], (byte)b[4 * i + 2], (byte)b[4 * i + 3])).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Rgba32>(src);
            using var stream = device.CreateStream();
            SpanViews.Gpu.RefPixels(stream, p, Amount, N);
            stream.Synchronize();
            return MemoryMarshal.AsBytes(p.ToArray().AsSpan()).ToArray();
        });
        ResultComparison.Exact<byte>(cpu, native, "pixels");
        var expected = new byte[4 * N];
        for (int i = 0; i < N; i++)
        {
            expected[4 * i] = (byte)Math.Min(b[4 * i] + Amount, 255);
            expected[4 * i + 1] = (byte)b[4 * i + 1];
            expected[4 * i + 2] = (byte)b[4 * i + 2];
            expected[4 * i + 3] = (byte)(b[4 * i + 1] ^ b[4 * i + 2]);
        }
        ResultComparison.Exact<byte>(expected, native, "pixels vs reference");
    }

    [Fact]
    [CorpusCase(typeof(SpanViews), nameof(SpanViews.EvaluatedOnce))]
    public void EvaluatedOnce_calls_each_slice_bound_once_in_csharps_order()
    {
        const int N = 20;
        var start = new SeededInputs(7204).Ints(N * 16, -50, 50);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Upload<int>(start);
            using var log = device.Upload<int>(Enumerable.Repeat(-1, N).ToArray());
            using var stream = device.CreateStream();
            SpanViews.Gpu.EvaluatedOnce(stream, y, log, N);
            stream.Synchronize();
            return (y.ToArray(), log.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "y");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "log");
        ResultComparison.Exact<int>(Enumerable.Repeat(12345678, N).ToArray(), native.Item2, "log vs C#'s order");
        var expected = (int[])start.Clone();
        for (int i = 0; i < N; i++)
        {
            int row = i * 16;
            int a = start[row] + start[row + 1] + start[row + 2] + start[row + 3];
            int b = N * 16 - row, c = start[row + 1], d = 3, tailLength = N * 16 - row - 8;
            int total = a + b * 10 + c * 100 + d * 1000 + tailLength * 10000 + start[row + 8];
            for (int j = 12; j < 16; j++)
                expected[row + j] = total;
        }
        ResultComparison.Exact<int>(expected, native.Item1, "y vs reference");
    }
}
