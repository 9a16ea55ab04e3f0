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

    [Fact]
    [CorpusCase(typeof(SpanViews), nameof(SpanViews.Walks))]
    public void Walks_repoint_a_span_local_within_its_buffer()
    {
        const int Rows = 23, Width = 9;
        var x = new SeededInputs(7205).Ints(Rows * Width, -50, 50);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Upload<int>(new int[Rows * 4]);
            using var stream = device.CreateStream();
            SpanViews.Gpu.Walks(stream, gx, y, Width, Rows + 3);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        var expected = new int[Rows * 4];
        for (int i = 0; i < Rows; i++)
        {
            var row = x.AsSpan(i * Width, Width);
            int peaks = 0, first = 0, second = 0;
            for (int j = 0; j + 1 < Width; j++)
                peaks += row[j] > row[j + 1] ? 1 : 0;
            for (int j = 0; j < Width; j++)
                (j < Width / 2 ? ref first : ref second) += row[j];
            int strided = x[i % Width] + x[Width + i % Width] + x[2 * Width + i % Width];
            expected[i * 4] = peaks;
            expected[i * 4 + 1] = row[Width - 1];
            expected[i * 4 + 2] = first * 1000 + second;
            expected[i * 4 + 3] = strided + (x.Length - 3 * Width) * 1000;
        }
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(SpanViews), nameof(SpanViews.Choices))]
    public void Choices_pick_one_view_of_an_array_and_evaluate_only_its_bounds()
    {
        const int N = 30, L = 21;
        var x = new SeededInputs(7206).Ints(L, -50, 50);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Upload<int>(new int[N * 4]);
            using var log = device.Upload<int>(Enumerable.Repeat(-1, N).ToArray());
            using var stream = device.CreateStream();
            SpanViews.Gpu.Choices(stream, gx, y, log, N);
            stream.Synchronize();
            return (y.ToArray(), log.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "y");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "log");
        var expectedLog = Enumerable.Range(0, N).Select(i => i % 3 == 0 ? 1 : 2).ToArray();
        ResultComparison.Exact<int>(expectedLog, native.Item2, "log vs C# (only the chosen branch's bound called)");
        var expected = new int[N * 4];
        for (int i = 0; i < N; i++)
        {
            int halfStart = i % 2 == 0 ? 0 : L / 2, halfLength = i % 2 == 0 ? L / 2 : L - L / 2;
            expected[i * 4] = x[halfStart] + halfLength * 1000;
            expected[i * 4 + 1] = i % 3 == 0 ? x[2] + x[3] + x[4] : x[L - 4] + x[L - 3] + x[L - 2] + x[L - 1];
            expected[i * 4 + 2] = i > 5 ? halfLength : L;
            expected[i * 4 + 3] = expectedLog[i] * 10 + (i % 2 == 0 ? 1 : 2);
        }
        ResultComparison.Exact<int>(expected, native.Item1, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(SpanViews), nameof(SpanViews.LocalSlices))]
    public void LocalSlices_write_through_slices_of_a_per_invocation_array()
    {
        const int N = 26, Fill = 3;
        var x = new SeededInputs(7207).Ints(N, -20, 20).Select(v => (float)v).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Upload<float>(new float[N * 4]);
            using var stream = device.CreateStream();
            SpanViews.Gpu.LocalSlices(stream, gx, y, Fill, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "y");
        var expected = new float[N * 4];
        for (int i = 0; i < N; i++)
        {
            var acc = Enumerable.Range(0, 16).Select(k => x[i] + k).ToArray();
            for (int k = 4; k < 8; k++)
                acc[k] *= 2f;
            acc[5] += 100f;
            acc[7] += 1000f;
            for (int k = 0; k < Fill; k++)
                acc[k] = -1f;
            acc[9] = acc[8..].Sum();
            for (int k = 12; k < 16; k++)
                acc[k] *= 0.5f;
            expected[i * 4] = acc.Sum();
            expected[i * 4 + 1] = acc[0] + acc[1] + acc[2] + acc[3] + 12 + (i % 3 == 0 ? 16 : 12) * 100;
            expected[i * 4 + 2] = i % 2 == 0 ? acc.Sum() : acc[8..].Sum();
            expected[i * 4 + 3] = acc[9];
        }
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(SpanViews), nameof(SpanViews.ParameterWalks))]
    public void ParameterWalks_repoint_span_parameters_of_helpers_and_of_the_kernel()
    {
        const int N = 33, L = 11;
        var x = new SeededInputs(7208).Ints(L, -9, 9);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Upload<int>(new int[N * 2]);
            using var stream = device.CreateStream();
            SpanViews.Gpu.ParameterWalks(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        static int Weighted(ReadOnlySpan<int> s)
        {
            int t = 0;
            for (int j = 0; j < s.Length; j++)
                t += s[j] * (j + 1);
            return t;
        }
        var expected = new int[N * 2];
        for (int i = 0; i < N; i++)
        {
            var a = x.Take(4).Select(v => v * (i + 1)).ToArray();
            expected[i * 2] = Weighted(x.AsSpan(i % 4)) + Weighted(a.AsSpan(1)) * 1000;
            expected[i * 2 + 1] = Weighted(x.AsSpan(L - 3)) + Weighted(a) * 1000;
        }
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }
}
