using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Enums.cs (enums and bool uniforms) on Dawn and on the CPU backend.</summary>
public class EnumsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 77;

    [Theory]
    [CorpusCase(typeof(Enums), nameof(Enums.Blend))]
    [InlineData(BlendMode.Add, Channels.None)]
    [InlineData(BlendMode.Multiply, Channels.Red | Channels.Blue)]
    [InlineData(BlendMode.Max, Channels.All)]
    [InlineData(BlendMode.Min, Channels.Green)]
    [InlineData((BlendMode)3, Channels.Red | Channels.Green)] // no case: the default section
    [InlineData((BlendMode)(-7), (Channels)0xfffffff0u)]
    public void Blend_switches_on_an_enum_uniform_and_tests_flags(BlendMode mode, Channels channels)
    {
        var seeds = new SeededInputs(5001);
        var a = seeds.Floats(N);
        var b = seeds.Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<float>(a);
            using var gb = device.Upload<float>(b);
            using var y = device.Allocate<float>(N);
            using var touched = device.Allocate<uint>(N);
            using var stream = device.CreateStream();
            Enums.Gpu.Blend(stream, ga, gb, y, touched, mode, channels, N);
            stream.Synchronize();
            return (y.ToArray(), touched.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "y");
        ResultComparison.Exact<uint>(cpu.Item2, native.Item2, "touched");
        // The reference, written without enums.
        int m = (int)mode;
        uint c = (uint)channels;
        var expected = a.Select((v, i) => (m switch
        {
            0 => v + b[i],
            1 => v * b[i],
            5 => MathF.Max(v, b[i]),
            6 => MathF.Min(v, b[i]),
            _ => -1f,
        }) + ((m > 1 ? 5 : m) + 1) * 100 + (float)m).ToArray();
        ResultComparison.Close(expected, native.Item1, FloatTolerance.Exact, "y vs reference");
        uint picked = (c & 1u) | (c & 2u) | ((c & 7u) == 7u ? 8u : 0u);
        picked ^= ~c & 4u;
        Assert.All(native.Item2, t => Assert.Equal(picked, t));
    }

    [Fact]
    [CorpusCase(typeof(Enums), nameof(Enums.Interpret))]
    public void Interpret_reads_and_writes_enum_buffer_elements_through_helpers()
    {
        var codes = new[] { OpCode.Nop, OpCode.Add, OpCode.Sub, OpCode.Neg, (OpCode)40, (OpCode)7 };
        var ops = Enumerable.Range(0, N).Select(i => codes[i % codes.Length]).ToArray();
        var x = new SeededInputs(5002).Ints(N, -1000, 1000);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gops = device.Upload<OpCode>(ops);
            using var gx = device.Upload<int>(x);
            using var y = device.Allocate<int>(N);
            using var next = device.Allocate<OpCode>(N);
            using var stream = device.CreateStream();
            Enums.Gpu.Interpret(stream, gops, gx, y, next, N);
            stream.Synchronize();
            return (y.ToArray(), next.ToArray().Select(o => (int)o).ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "y");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "next");
        var expectedY = x.Select((v, i) => (int)ops[i] switch { 10 => v + 1, 20 => v - 1, 30 => -v, _ => v }).ToArray();
        var expectedNext = ops.Select(o => (int)o switch { 30 => -1, -1 => 10, var k => k + 10 }).ToArray();
        ResultComparison.Exact<int>(expectedY, native.Item1, "y vs reference");
        ResultComparison.Exact<int>(expectedNext, native.Item2, "next vs reference");
    }

    [Theory]
    [CorpusCase(typeof(Enums), nameof(Enums.Flags))]
    [InlineData(false, false, false, false, true, BlendMode.Add)]
    [InlineData(true, false, true, false, true, BlendMode.Multiply)]
    [InlineData(false, true, false, true, true, BlendMode.Add)]
    [InlineData(true, true, true, true, true, BlendMode.Multiply)]
    [InlineData(true, false, false, true, false, BlendMode.Add)]
    public void Flags_reads_bool_uniforms_and_bool_fields_of_nested_uniform_structs(bool negate, bool twice, bool invert, bool clamp, bool enabled, BlendMode mode)
    {
        var x = new SeededInputs(5003).Floats(N, 0.25f, 3f);
        var settings = new OuterSettings
        {
            Enabled = enabled,
            Bias = 0.5f,
            Inner = new BlendSettings { Scale = 1.5f, Mode = mode, Invert = invert, Clamp = clamp, Count = N - 5 },
        };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Enums.Gpu.Flags(stream, gx, y, negate, twice, settings, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Close(cpu, native, new FloatTolerance(1, 0f), "y");
        var expected = x.Select((v, i) =>
        {
            if (i >= N - 5)
                return 0f;
            float r = v * 1.5f;
            if (negate) r = -r;
            if (invert) r = 1f / r;
            if (clamp && !twice) r = Math.Clamp(r, -1f, 1f);
            if (twice && r > 0f) r *= 2f;
            return enabled ? (mode == BlendMode.Add ? r + 0.5f : r * 0.5f) : 0f;
        }).ToArray();
        ResultComparison.Close(expected, native, new FloatTolerance(1, 0f), "y vs reference");
    }
}
