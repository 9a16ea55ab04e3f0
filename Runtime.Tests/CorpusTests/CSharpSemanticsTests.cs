namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Kernels pinning C# semantics that WGSL's built-ins do not have, beyond what the corpus covers.</summary>
public static partial class SemanticsKernels
{
    /// <summary>(int) and (uint) of floats, in and beyond range.</summary>
    [Kernel]
    public static void FloatToIntegers(ThreadId id, ReadOnlySpan<float> x, Span<int> ints, Span<uint> uints)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        ints[i] = (int)x[i];
        uints[i] = (uint)x[i];
    }

    /// <summary>MathF.Pow with runtime operands (a constant exponent lets some drivers expand pow into multiplies).</summary>
    [Kernel]
    public static void Powers(ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> result)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        result[i] = MathF.Pow(x[i], y[i]);
    }

    /// <summary>Half.Pow: the same in f16.</summary>
    [Kernel]
    public static void HalfPowers(ThreadId id, ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, Span<Half> result)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        result[i] = Half.Pow(x[i], y[i]);
    }

    /// <summary>float % with the operator and the compound assignment.</summary>
    [Kernel]
    public static void Remainders(ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> viaOperator, Span<float> viaCompound)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        viaOperator[i] = x[i] % y[i];
        float r = x[i];
        r %= y[i];
        viaCompound[i] = r;
    }

    /// <summary>Half %.</summary>
    [Kernel]
    public static void HalfRemainders(ThreadId id, ReadOnlySpan<Half> x, ReadOnlySpan<Half> y, Span<Half> result)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        result[i] = x[i] % y[i];
    }

    /// <summary>Half.Log10: its WGSL must stay in f16 (a f32 constant made Dawn refuse the module).</summary>
    [Kernel]
    public static void HalfLog10(ThreadId id, ReadOnlySpan<Half> x, Span<Half> result)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        result[i] = Half.Log10(x[i]);
    }
}

/// <summary>C# semantics the generator must spell out in WGSL, checked on Dawn and on the CPU backend.</summary>
public class CSharpSemanticsTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    // Negative bases with non-integral exponents are NaN in C# and undefined in WGSL: not inputs here.
    private static readonly (float X, float Y)[] PowerCases =
    [
        (-2f, 3f), (-2f, 2f), (-0.5f, -3f), (-3f, 4f), (-2f, 13f), (-1f, 1e8f), (-5.5f, 2f),
        (0f, 0f), (0f, 2f), (0f, -1f), (7f, 0f), (-7f, 0f),
        (2f, -1f), (5.5f, 2f), (3f, 0.001f), (12345.678f, 0.01f), (1.5f, 2.5f), (1f, 1e8f),
    ];

    [Fact]
    public void Float_to_int_and_uint_saturate_like_CSharp()
    {
        // WGSL's i32() and u32() clamp to the largest f32 below 2^31 and 2^32 (2147483520, 4294967040):
        // the generator must give int.MaxValue/uint.MaxValue itself from 2^31 (2^32) up.
        float[] x =
        [
            0f, -0.5f, 1.9f, -1.9f, 2147483520f, 2147483648f, 3e9f, -2147483648f, -3e9f,
            4294967040f, 4294967296f, 5e9f, 1e20f, -1e20f, 16777217f, -123456.7f,
        ];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var ints = device.Allocate<int>(x.Length);
            using var uints = device.Allocate<uint>(x.Length);
            using var stream = device.CreateStream();
            SemanticsKernels.Gpu.FloatToIntegers(stream, gx, ints, uints, x.Length);
            stream.Synchronize();
            return (Ints: ints.ToArray(), UInts: uints.ToArray());
        });
        var expectedInts = x.Select(v => (int)v).ToArray();
        var expectedUInts = x.Select(v => (uint)v).ToArray();
        Assert.Equal(int.MaxValue, expectedInts[5]); // .NET saturates (since .NET 9, on every platform)
        Assert.Equal(uint.MaxValue, expectedUInts[10]);
        ResultComparison.Exact<int>(expectedInts, cpu.Ints, "ints (CPU)");
        ResultComparison.Exact<uint>(expectedUInts, cpu.UInts, "uints (CPU)");
        ResultComparison.Exact<int>(expectedInts, native.Ints, "ints (Dawn)");
        ResultComparison.Exact<uint>(expectedUInts, native.UInts, "uints (Dawn)");
    }

    [Fact]
    public void Pow_of_negative_and_zero_bases_is_CSharps()
    {
        var x = PowerCases.Select(c => c.X).ToArray();
        var y = PowerCases.Select(c => c.Y).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var gy = device.Upload<float>(y);
            using var result = device.Allocate<float>(x.Length);
            using var stream = device.CreateStream();
            SemanticsKernels.Gpu.Powers(stream, gx, gy, result, x.Length);
            stream.Synchronize();
            return result.ToArray();
        });
        var expected = PowerCases.Select(c => MathF.Pow(c.X, c.Y)).ToArray();
        Assert.Equal([-8f, 4f, -8f, 81f, -8192f, 1f], expected[..6]);
        Assert.Equal([1f, 0f, float.PositiveInfinity, 1f, 1f], expected[7..12]);
        ResultComparison.Close(expected, cpu, FloatTolerance.Exact, "Pow (CPU)");
        // WGSL's pow is exp2(y * log2(x)), accurate to about 2 + 2|y log2 x| ulp (|y log2 x| <= 13 here);
        // measured on lavapipe: 2 ulp at most.
        ResultComparison.Close(expected, native, new FloatTolerance(32, 0f), "Pow (Dawn)");
    }

    [Fact]
    public void Half_Pow_of_negative_and_zero_bases_is_CSharps()
    {
        var cases = PowerCases.Where(c => Math.Abs(MathF.Pow(c.X, c.Y)) < 60000f && Math.Abs(c.Y) < 60000f).ToArray();
        var x = cases.Select(c => (Half)c.X).ToArray();
        var y = cases.Select(c => (Half)c.Y).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<Half>(x);
            using var gy = device.Upload<Half>(y);
            using var result = device.Allocate<Half>(x.Length);
            using var stream = device.CreateStream();
            SemanticsKernels.Gpu.HalfPowers(stream, gx, gy, result, x.Length);
            stream.Synchronize();
            return result.ToArray();
        });
        var expected = x.Zip(y, Half.Pow).ToArray();
        ResultComparison.Close(expected, cpu, 0, "Half.Pow (CPU)");
        // pow through exp2/log2 in f16 is not correctly rounded: a few f16 ulp (measured on lavapipe: 1).
        ResultComparison.Close(expected, native, 4, "Half.Pow (Dawn)");
    }

    [Fact]
    public void Half_Log10_compiles_and_computes_in_f16()
    {
        Half[] x = [(Half)0.01f, (Half)0.1f, (Half)0.3f, (Half)2.5f, (Half)10f, (Half)1000f, (Half)60000f];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<Half>(x);
            using var result = device.Allocate<Half>(x.Length);
            using var stream = device.CreateStream();
            SemanticsKernels.Gpu.HalfLog10(stream, gx, result, x.Length);
            stream.Synchronize();
            return result.ToArray();
        });
        var expected = x.Select(Half.Log10).ToArray();
        ResultComparison.Close(expected, cpu, 0, "Half.Log10 (CPU)");
        // f16 log is accurate to 3 ulp away from 1 (inputs avoid [0.5, 2]), the scaling adds one rounding.
        ResultComparison.Close(expected, native, 4, "Half.Log10 (Dawn)");
    }

    [Fact]
    public void Float_remainder_is_exact_like_CSharp()
    {
        // C#'s % is fmod: exact. WGSL's x - y * trunc(x / y) is off by a whole |y| where x / y rounds to
        // an integer, and loses digits where x / y is large; the generator emits an exact remainder.
        (float X, float Y)[] edges =
        [
            (-8f, 1f / 3), (1e7f, 0.3f), (12345.678f, 0.01f), (3f, 0.001f), (5.5f, 2f), (-5.5f, 2f), (-5.5f, -2f),
            (1e30f, 3f), (-1e-3f, 7f), (3e38f, 1.5e-30f), (float.MaxValue, 0.75f), (7f, 7f), (-14f, 7f), (0f, 5f),
        ];
        var inputs = new SeededInputs(1101);
        var randomX = inputs.Floats(100, -1e6f, 1e6f);
        var randomY = inputs.Floats(100, -10f, 10f).Select(v => v == 0f ? 1f : v).ToArray();
        var x = edges.Select(e => e.X).Concat(randomX).ToArray();
        var y = edges.Select(e => e.Y).Concat(randomY).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var gy = device.Upload<float>(y);
            using var viaOperator = device.Allocate<float>(x.Length);
            using var viaCompound = device.Allocate<float>(x.Length);
            using var stream = device.CreateStream();
            SemanticsKernels.Gpu.Remainders(stream, gx, gy, viaOperator, viaCompound, x.Length);
            stream.Synchronize();
            return (Operator: viaOperator.ToArray(), Compound: viaCompound.ToArray());
        });
        var expected = x.Zip(y, (a, b) => a % b).ToArray();
        Assert.Equal(-0.3333331f, expected[0]);
        ResultComparison.Close(expected, cpu.Operator, FloatTolerance.Exact, "x % y (CPU)");
        ResultComparison.Close(expected, native.Operator, FloatTolerance.Exact, "x % y (Dawn)");
        ResultComparison.Close(expected, native.Compound, FloatTolerance.Exact, "r %= y (Dawn)");
    }

    [Fact]
    public void Half_remainder_is_exact_like_CSharp()
    {
        var inputs = new SeededInputs(1102);
        var x = inputs.Floats(60, -2000f, 2000f).Select(v => (Half)v).Append((Half)(-8f)).Append((Half)60000f).ToArray();
        var y = inputs.Floats(60, 0.01f, 10f).Select(v => (Half)v).Append((Half)(1f / 3)).Append((Half)0.01f).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<Half>(x);
            using var gy = device.Upload<Half>(y);
            using var result = device.Allocate<Half>(x.Length);
            using var stream = device.CreateStream();
            SemanticsKernels.Gpu.HalfRemainders(stream, gx, gy, result, x.Length);
            stream.Synchronize();
            return result.ToArray();
        });
        var expected = x.Zip(y, (a, b) => a % b).ToArray();
        ResultComparison.Close(expected, cpu, 0, "x % y (CPU)");
        ResultComparison.Close(expected, native, 0, "x % y (Dawn)");
    }
}
