using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/LocalFunctions.cs (static and capturing local functions) on Dawn and on the CPU backend, against C# references.</summary>
public class LocalFunctionsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 200;

    [Fact]
    [CorpusCase(typeof(LocalFunctions), nameof(LocalFunctions.Polynomials))]
    public void Polynomials_call_static_local_functions_in_loops_conditions_and_helpers()
    {
        var x = new SeededInputs(8101).Floats(N, -2f, 2f);
        const float scale = 0.75f;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var z = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            LocalFunctions.Gpu.Polynomials(stream, gx, y, z, scale, N);
            stream.Synchronize();
            return (y.ToArray(), z.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(4, 1e-6f), "y");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "z");
        static float Sq(float a) => a * a;
        static float Clamp01(float a) => a < 0f ? 0f : a > 1f ? 1f : a;
        var expected = x.Select(v =>
        {
            float acc = 0f;
            for (int k = 0; k < 4; k++)
                acc += Sq(v + k) > 2f ? Sq(v) * v : Sq(v);
            if (Clamp01(acc) > 0.5f)
                acc = -acc;
            float t = Clamp01(v);
            return Clamp01(acc * scale) + (v + v) + t * t * (3f - 2f * t) * 2f;
        }).ToArray();
        ResultComparison.Close(expected, native.Item1, new FloatTolerance(4, 1e-6f), "y vs reference");
        ResultComparison.Exact<int>(Enumerable.Range(0, N).Select(i => 2 * i + 6).ToArray(), native.Item2, "z vs reference");
        Assert.Contains(native.Item1, v => v < 0f); // the negated branch ran
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    [CorpusCase(typeof(LocalFunctions), nameof(LocalFunctions.Captures))]
    public void Captures_read_values_at_call_time_and_write_the_kernels_locals(int taps)
    {
        var x = new SeededInputs(8102 + taps).Floats(N, -1f, 1f);
        const float gain = 1.5f;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var counts = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            LocalFunctions.Gpu.Captures(stream, gx, y, counts, gain, taps, N);
            stream.Synchronize();
            return (y.ToArray(), counts.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(4, 1e-5f), "y");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "counts");
        var expectedY = new float[N];
        var expectedCounts = new int[N];
        for (int i = 0; i < N; i++)
        {
            float sum = 0f;
            int hits = 0;
            for (int k = 0; k < taps; k++)
            {
                if (i + k < N)
                {
                    sum += x[i + k] * gain;
                    hits++;
                }
            }
            sum += 1f;
            float first = 0.5f + sum;
            float before = sum; // C# reads sum before the second Shifted() changes it
            sum += 1f;
            float second = 2f + sum;
            expectedY[i] = first * 100f + before + second + (x[i % 4] + gain);
            expectedCounts[i] = hits * 10 + i % 7;
        }
        ResultComparison.Close(expectedY, native.Item1, new FloatTolerance(4, 1e-4f), "y vs reference");
        ResultComparison.Exact<int>(expectedCounts, native.Item2, "counts vs reference");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [CorpusCase(typeof(LocalFunctions), nameof(LocalFunctions.Counters))]
    public void Counters_write_captured_locals_through_nested_local_functions(int limit)
    {
        var x = new SeededInputs(8106).Floats(N, -1f, 1f);
        const float u = 0.25f;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            LocalFunctions.Gpu.Counters(stream, gx, y, u, limit, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "y");
        var expected = new float[N];
        for (int i = 0; i < N; i++)
        {
            float acc = 0f, vx = 1f, vy = 2f, uu = u;
            int calls = 0;
            void Add(float d) { acc += d; calls++; vy += 1f; }
            Add(1f);
            if (x[i] > 0f)
                Add(uu);
            while (calls < limit)
            {
                Add(0.5f);
                Add(calls);
            }
            uu += 1f;
            vx += uu + limit + i;
            expected[i] = acc + vx + vy * 10f + uu;
        }
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(LocalFunctions), nameof(LocalFunctions.Scale) + "<float>")]
    [CorpusCase(typeof(LocalFunctions), nameof(LocalFunctions.Scale) + "<int>")]
    public void Scale_runs_local_functions_of_a_generic_kernel_for_each_type()
    {
        var floats = new SeededInputs(8103).Floats(N, -3f, 3f);
        var ints = new SeededInputs(8104).Ints(N, -1000, 1000);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gf = device.Upload<float>(floats);
            using var gi = device.Upload<int>(ints);
            using var stream = device.CreateStream();
            LocalFunctions.Gpu.Scale(stream, gf, 1.25f, N);
            LocalFunctions.Gpu.Scale(stream, gi, -3, N);
            stream.Synchronize();
            return (gf.ToArray(), gi.ToArray());
        });
        // lavapipe fuses v * f + c into one fma, .NET rounds twice: a few ulps apart.
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(4, 1e-6f), "floats");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "ints");
        ResultComparison.Close(floats.Select(v => v * 1.25f + 1.5625f).ToArray(), native.Item1, new FloatTolerance(4, 1e-6f), "floats vs reference");
        ResultComparison.Exact<int>(ints.Select(v => v * -3 + 9).ToArray(), native.Item2, "ints vs reference");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [CorpusCase(typeof(LocalFunctions), nameof(LocalFunctions.BlockSums))]
    public void BlockSums_local_functions_in_a_barrier_kernel_read_buffers_shared_memory_and_overrides(int halvings)
    {
        const int Count = 64 * 5 - 17;
        int blocks = (Count + 63) / 64;
        var x = new SeededInputs(8105).Floats(Count, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var sums = device.Upload<float>(Enumerable.Repeat(-99f, blocks).ToArray());
            using var stream = device.CreateStream();
            LocalFunctions.Gpu.BlockSums(stream, gx, sums, halvings, blocks * 64);
            stream.Synchronize();
            return sums.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "sums");
        float factor = MathF.Pow(0.5f, halvings);
        var expected = x.Chunk(64).Select(b => (float)b.Sum(v => (double)v) * factor).ToArray();
        var bound = x.Chunk(64).Select(b => ResultComparison.SumErrorBound(6, b.Sum(v => Math.Abs((double)v))) * factor).ToArray();
        ResultComparison.Close(expected, native, new FloatTolerance(1, 0f), bound, "sums vs double sum");
    }
}
