using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Elementwise.cs on Dawn and on the CPU backend, and against C# computed in double where useful.</summary>
public class ElementwiseCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 517; // not a multiple of 64 or 128: every kernel's bounds guard is exercised

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.Silu))]
    public void Silu_within_exp_accuracy()
    {
        var x = new SeededInputs(401).Floats(N, -8f, 8f);
        var (native, cpu) = RunUnary(x, (stream, gx, y) => Elementwise.Gpu.Silu(stream, gx, y, N));
        // WGSL's exp is accurate to 3 + 2|x| ulp (|x| < 8: 19 ulp), not correctly rounded as .NET's is;
        // 1 + e and the division add 3.5 ulp: 24 ulp.
        var tolerance = new FloatTolerance(24, 0f);
        ResultComparison.Close(cpu, native, tolerance, "y");
        ResultComparison.Close(x.Select(v => (float)(v / (1 + Math.Exp(-(double)v)))).ToArray(), native, tolerance, "y vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.Relu))]
    public void Relu_is_exact()
    {
        var x = new SeededInputs(402).Floats(N);
        var (native, cpu) = RunUnary(x, (stream, gx, y) => Elementwise.Gpu.Relu(stream, gx, y, N));
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "y");
        ResultComparison.Close(x.Select(v => v > 0 ? v : 0f).ToArray(), native, FloatTolerance.Exact, "y vs max(x, 0)");
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.ScaleShift))]
    public void ScaleShift_is_an_affine_map()
    {
        const float Scale = 1.7f, Shift = -0.3f;
        var x = new SeededInputs(403).Floats(N);
        var (native, cpu) = RunUnary(x, (stream, gx, y) => Elementwise.Gpu.ScaleShift(stream, gx, y, Scale, Shift, N));
        // scale * x + shift may be contracted into an fma on the GPU (one rounding instead of two):
        // they differ by at most half an ulp of scale * x (|scale * x| < 7, so 4.2e-7) plus 1 ulp of the sum.
        var tolerance = new FloatTolerance(1, 4.5e-7f);
        ResultComparison.Close(cpu, native, tolerance, "y");
        ResultComparison.Close(x.Select(v => (float)((double)Scale * v + Shift)).ToArray(), native, tolerance, "y vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.ClampBoth))]
    public void ClampBoth_ternary_and_Math_Clamp_agree()
    {
        const float Lo = -1f, Hi = 2f;
        var x = new SeededInputs(404).Floats(N);
        x[0] = Lo; x[1] = Hi;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var ternary = device.Allocate<float>(N);
            using var clamp = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Elementwise.Gpu.ClampBoth(stream, gx, ternary, clamp, Lo, Hi, N);
            stream.Synchronize();
            return (Ternary: ternary.ToArray(), Clamp: clamp.ToArray());
        });
        ResultComparison.Close(cpu.Ternary, native.Ternary, FloatTolerance.Exact, "viaTernary");
        ResultComparison.Close(cpu.Clamp, native.Clamp, FloatTolerance.Exact, "viaClamp");
        ResultComparison.Close(native.Ternary, native.Clamp, FloatTolerance.Exact, "viaClamp vs viaTernary");
        ResultComparison.Close(x.Select(v => Math.Clamp(v, Lo, Hi)).ToArray(), native.Clamp, FloatTolerance.Exact, "viaClamp vs Math.Clamp");
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.HardSwish))]
    public void HardSwish_within_two_ulp()
    {
        var x = new SeededInputs(405).Floats(N, -5f, 5f);
        var (native, cpu) = RunUnary(x, (stream, gx, y) => Elementwise.Gpu.HardSwish(stream, gx, y, N));
        // Correctly rounded adds, min/max and multiplies, but the GPU compiler may reorder the product
        // v * relu6 * (1/6) (Mesa's NIR moves constants together in non-exact multiplies; measured: 1 ulp
        // in a quarter of the elements), and each ordering is within an ulp per product: 2 ulp.
        var tolerance = new FloatTolerance(2, 0f);
        ResultComparison.Close(cpu, native, tolerance, "y");
        var expected = x.Select(v => (float)(v * Math.Clamp(v + 3.0, 0, 6) / 6)).ToArray();
        ResultComparison.Close(expected, native, tolerance, "y vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.Gelu))]
    public void Gelu_within_pow_and_tanh_accuracy_for_negative_inputs_too()
    {
        var x = new SeededInputs(406).Floats(N, -3f, 3f);
        var (native, cpu) = RunUnary(x, (stream, gx, y) => Elementwise.Gpu.Gelu(stream, gx, y, N));
        // pow is exp2(y * log2(x)) on GPUs and tanh is not correctly rounded; near the zero of 1 + tanh
        // (x -> -3) the relative error grows, so an absolute bound of 2e-6 (about 16 ulp of 0.1) joins 16 ulp.
        var tolerance = new FloatTolerance(16, 2e-6f);
        ResultComparison.Close(cpu, native, tolerance, "y");
        var expected = x.Select(v => (float)(0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))))).ToArray();
        ResultComparison.Close(expected, native, tolerance, "y vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.Conversions))]
    public void Conversions_saturate_float_to_int_and_wrap_int_to_uint()
    {
        var inputs = new SeededInputs(407);
        var ints = inputs.AnyInts(N); // |n| * 1.75 beyond int range saturates in .NET and in WGSL
        var uints = inputs.AnyUInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<int>(ints);
            using var gu = device.Upload<uint>(uints);
            using var sums = device.Allocate<float>(N);
            using var truncated = device.Allocate<int>(N);
            using var wrapped = device.Allocate<uint>(N);
            using var stream = device.CreateStream();
            Elementwise.Gpu.Conversions(stream, gi, gu, sums, truncated, wrapped, N);
            stream.Synchronize();
            return (Sums: sums.ToArray(), Truncated: truncated.ToArray(), Wrapped: wrapped.ToArray());
        });
        // Conversions are correctly rounded and * 0.5 is exact, so a contracted fma changes nothing.
        ResultComparison.Close(cpu.Sums, native.Sums, FloatTolerance.Exact, "sums");
        ResultComparison.Exact<int>(cpu.Truncated, native.Truncated, "truncated");
        ResultComparison.Exact<uint>(cpu.Wrapped, native.Wrapped, "wrapped");
        Assert.Contains(int.MaxValue, native.Truncated);
        Assert.Contains(int.MinValue, native.Truncated);
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.Rounding))]
    public void Rounding_rounds_half_to_even_like_MathF_Round()
    {
        var x = new SeededInputs(408).Floats(N, -10f, 10f);
        float[] ties = [-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 0f, -0f, -0.4f, 3.999f];
        ties.CopyTo(x, 0);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var floor = device.Allocate<float>(N);
            using var ceiling = device.Allocate<float>(N);
            using var round = device.Allocate<float>(N);
            using var truncate = device.Allocate<float>(N);
            using var sign = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Elementwise.Gpu.Rounding(stream, gx, floor, ceiling, round, truncate, sign, N);
            stream.Synchronize();
            return (Floor: floor.ToArray(), Ceiling: ceiling.ToArray(), Round: round.ToArray(), Truncate: truncate.ToArray(), Sign: sign.ToArray());
        });
        ResultComparison.Close(cpu.Floor, native.Floor, FloatTolerance.Exact, "floor");
        ResultComparison.Close(cpu.Ceiling, native.Ceiling, FloatTolerance.Exact, "ceiling");
        ResultComparison.Close(cpu.Round, native.Round, FloatTolerance.Exact, "round");
        ResultComparison.Close(cpu.Truncate, native.Truncate, FloatTolerance.Exact, "truncate");
        ResultComparison.Exact<int>(cpu.Sign, native.Sign, "sign");
        Assert.Equal([-2f, -2f, -0f, 0f, 2f, 2f], native.Round[..6]);
    }

    [Fact]
    [CorpusCase(typeof(Elementwise), nameof(Elementwise.Transcendentals))]
    public void Transcendentals_within_the_WGSL_accuracy_bounds()
    {
        var x = new SeededInputs(409).Floats(N, -3f, 3f);
        var (native, cpu) = RunUnary(x, (stream, gx, y) => Elementwise.Gpu.Transcendentals(stream, gx, y, N));
        // WGSL specifies sin and cos only to an absolute error of 2^-11 on [-pi, pi]; log and log2 to
        // 2^-21 absolute near 1 and 3 ulp elsewhere; atan2 to 4096 ulp; exp to 3 + 2|x| ulp. The sum
        // (magnitude < 6) is held to 2^-10 absolute, the sin*cos bound dominating.
        var tolerance = new FloatTolerance(0, 1f / 1024);
        ResultComparison.Close(cpu, native, tolerance, "y");
        var expected = x.Select(v =>
        {
            double p = Math.Abs(v) + 1.0;
            return (float)(Math.Log(p) + Math.Log2(p) + Math.Sin(v) * Math.Cos(v) + Math.Atan2(v, p) + Math.Exp(-(double)v * v) + (2.0 * v + 1));
        }).ToArray();
        ResultComparison.Close(expected, native, tolerance, "y vs double reference");
    }

    private (float[] Native, float[] Cpu) RunUnary(float[] x, Action<GpuStream, GpuBuffer<float>, GpuBuffer<float>> dispatch) =>
        ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(x.Length);
            using var stream = device.CreateStream();
            dispatch(stream, gx, y);
            stream.Synchronize();
            return y.ToArray();
        });
}
