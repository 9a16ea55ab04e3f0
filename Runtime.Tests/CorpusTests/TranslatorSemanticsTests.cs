using System.Numerics;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Kernels written the natural way whose WGSL once ran wrong or was refused by Dawn: special float values,
/// evaluation order with side-effecting operands, names WGSL reserves, and forms WGSL spells differently.
/// </summary>
public static partial class TranslatorKernels
{
    /// <summary>float's classification functions, one flag each per input (on the bits: a driver cannot fold them).</summary>
    [Kernel]
    public static void ClassifyFloats(ThreadId id, ReadOnlySpan<float> x, Span<int> flags)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = x[i];
        flags[i * 8] = float.IsNaN(v) ? 1 : 0;
        flags[i * 8 + 1] = float.IsInfinity(v) ? 1 : 0;
        flags[i * 8 + 2] = float.IsFinite(v) ? 1 : 0;
        flags[i * 8 + 3] = float.IsNegative(v) ? 1 : 0;
        flags[i * 8 + 4] = float.IsPositiveInfinity(v) ? 1 : 0;
        flags[i * 8 + 5] = float.IsNegativeInfinity(v) ? 1 : 0;
        flags[i * 8 + 6] = float.IsNormal(v) ? 1 : 0;
        flags[i * 8 + 7] = float.IsSubnormal(v) ? 1 : 0;
    }

    /// <summary>Half's classification functions.</summary>
    [Kernel]
    public static void ClassifyHalves(ThreadId id, ReadOnlySpan<Half> x, Span<int> flags)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        Half v = x[i];
        flags[i * 8] = Half.IsNaN(v) ? 1 : 0;
        flags[i * 8 + 1] = Half.IsInfinity(v) ? 1 : 0;
        flags[i * 8 + 2] = Half.IsFinite(v) ? 1 : 0;
        flags[i * 8 + 3] = Half.IsNegative(v) ? 1 : 0;
        flags[i * 8 + 4] = Half.IsPositiveInfinity(v) ? 1 : 0;
        flags[i * 8 + 5] = Half.IsNegativeInfinity(v) ? 1 : 0;
        flags[i * 8 + 6] = Half.IsNormal(v) ? 1 : 0;
        flags[i * 8 + 7] = Half.IsSubnormal(v) ? 1 : 0;
    }

    /// <summary>Constants at the edges of f32: out of decimal range, subnormal, infinite and NaN.</summary>
    [Kernel]
    public static void FloatConstants(ThreadId id, Span<float> y)
    {
        if (id.X != 0)
            return;
        y[0] = float.MaxValue;
        y[1] = float.MinValue;
        y[2] = float.Epsilon;
        y[3] = float.PositiveInfinity;
        y[4] = float.NegativeInfinity;
        y[5] = float.NaN;
        y[6] = 1.17549435e-38f;
        y[7] = -0f;
        y[8] = 3.4028233e38f;
        y[9] = float.IsNaN(float.NaN) ? 1f : 0f;
    }

    /// <summary>Half constants: C#'s conversion (65519 rounds to 65504), the static properties, infinities.</summary>
    [Kernel]
    public static void HalfConstants(ThreadId id, Span<Half> y)
    {
        if (id.X != 0)
            return;
        y[0] = (Half)65519f;
        y[1] = (Half)65520f;
        y[2] = Half.MaxValue;
        y[3] = Half.MinValue;
        y[4] = Half.Epsilon;
        y[5] = Half.PositiveInfinity;
        y[6] = Half.NegativeInfinity;
        y[7] = Half.NaN;
        y[8] = (Half)0.1f;
        y[9] = (Half)1e-7f;
    }

    private static int Next(Span<int> counter)
    {
        counter[0] += 1;
        return counter[0];
    }

    private static float NextF(Span<int> counter)
    {
        counter[0] += 1;
        return counter[0];
    }

    private static Vector4 NextV(Span<int> counter)
    {
        counter[0] += 1;
        return new Vector4(counter[0]);
    }

    /// <summary>Each operand that writes the counter runs once, in C#'s order; results and the counter are compared.</summary>
    [Kernel]
    public static void EvaluationOrder(ThreadId id, Span<int> counter, Span<float> f, Span<int> n, Span<Vector4> v)
    {
        if (id.X != 0)
            return;
        // Vector intrinsics that use an argument twice.
        f[0] = Vector4.DistanceSquared(NextV(counter), Vector4.Zero);
        f[1] = NextV(counter).LengthSquared();
        // Math intrinsics, left to right.
        f[2] = MathF.Max(NextF(counter), NextF(counter) * 0.5f);
        f[3] = MathF.Log(NextF(counter) * 4f, NextF(counter));
        // Compound assignments, ++ on buffer elements, with side-effecting indices and values.
        n[Next(counter) - 7] += 10;
        n[Next(counter) - 7]++;
        n[Next(counter) - 7] = Next(counter);
        f[Next(counter) - 7] %= NextF(counter);
        // A conditional whose condition writes the buffer a branch reads.
        f[8] = Next(counter) > 0 ? counter[0] * 10f : 0f;
        // Vector swizzle writes.
        v[Next(counter) - 14].Y = NextF(counter);
        v[Next(counter) - 16].X += NextF(counter);
        n[6] = counter[0];
    }

    /// <summary>Forms Dawn once refused: >>>= on int, while (true) left by return, names WGSL reserves.</summary>
    [Kernel]
    public static void SpelledForms(ThreadId id, ReadOnlySpan<int> x, Span<int> y)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int a = x[i];
        a >>>= 1;
        a += 255 >> Math.Sign(-1); // a count WGSL evaluates at shader creation: C# masks -1 to 31
        bool odd = (x[i] & 1) == 1;
        odd ^= true;
        a += odd ? 0 : 7;
        a >>>= i & 31;
        int _ = 5;
        int fn = 1;
        int fn_ = 2;
        int u_ = 3;
        int k = 0;
        while (true)
        {
            k++;
            if (k >= 3)
            {
                y[i] = a + _ * 1000 + fn * 100 + fn_ * 10 + u_ + k * 10000;
                return;
            }
        }
    }
}

/// <summary>A kernel struct with a constructor and operators, as a C# author writes it.</summary>
public struct Complex
{
    public float Re;
    public float Im;

    public Complex(float re, float im)
    {
        Re = re;
        if (im == 0f)
            return;
        Im = im;
    }

    public static Complex operator +(Complex a, Complex b) => new Complex(a.Re + b.Re, a.Im + b.Im);

    public static Complex operator *(Complex a, Complex b) => new(a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);

    public static Complex operator -(Complex a) => new Complex(-a.Re, -a.Im);

    public static bool operator ==(Complex a, Complex b) => a.Re == b.Re && a.Im == b.Im;

    public static bool operator !=(Complex a, Complex b) => !(a == b);

    public static explicit operator float(Complex c) => c.Re * c.Re + c.Im * c.Im;

    public override readonly bool Equals(object? obj) => obj is Complex c && this == c;

    public override readonly int GetHashCode() => HashCode.Combine(Re, Im);
}

public static partial class TranslatorKernels
{
    /// <summary>z = -(a * b + a), its squared magnitude, and == / != on the results.</summary>
    [Kernel]
    public static void ComplexArithmetic(ThreadId id, ReadOnlySpan<Complex> a, ReadOnlySpan<Complex> b, Span<Complex> z, Span<float> magnitude, Span<int> same)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        Complex r = -(a[i] * b[i] + a[i]);
        r += new Complex(1f, 0f);
        z[i] = r;
        magnitude[i] = (float)r;
        same[i] = (r == new Complex(1f, 0f) ? 1 : 0) + (r != b[i] ? 2 : 0);
    }
}

public class TranslatorSemanticsTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static readonly float[] Specials =
    [
        0f, -0f, 1f, -1f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 1.17549435e-38f, 1e-40f,
        float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(0x7fc00001), BitConverter.Int32BitsToSingle(unchecked((int)0xffffffff)),
        123.5f, -7e30f, 3e-39f,
    ];

    private static int[] Flags(float v) =>
    [
        float.IsNaN(v) ? 1 : 0, float.IsInfinity(v) ? 1 : 0, float.IsFinite(v) ? 1 : 0, float.IsNegative(v) ? 1 : 0,
        float.IsPositiveInfinity(v) ? 1 : 0, float.IsNegativeInfinity(v) ? 1 : 0, float.IsNormal(v) ? 1 : 0, float.IsSubnormal(v) ? 1 : 0,
    ];

    private static int[] Flags(Half v) =>
    [
        Half.IsNaN(v) ? 1 : 0, Half.IsInfinity(v) ? 1 : 0, Half.IsFinite(v) ? 1 : 0, Half.IsNegative(v) ? 1 : 0,
        Half.IsPositiveInfinity(v) ? 1 : 0, Half.IsNegativeInfinity(v) ? 1 : 0, Half.IsNormal(v) ? 1 : 0, Half.IsSubnormal(v) ? 1 : 0,
    ];

    [Fact]
    public void Float_classification_is_CSharps_for_every_kind_of_value()
    {
        // 1,000 values with NaNs, infinities and subnormals mixed in (v != v was folded away natively).
        var random = new Random(10);
        var x = Enumerable.Range(0, 1000).Select(k => k < Specials.Length ? Specials[k] : BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var flags = device.Allocate<int>(x.Length * 8);
            using var stream = device.CreateStream();
            TranslatorKernels.Gpu.ClassifyFloats(stream, gx, flags, x.Length);
            stream.Synchronize();
            return flags.ToArray();
        });
        var expected = x.SelectMany(Flags).ToArray();
        Assert.Contains(1, expected.Where((_, k) => k % 8 == 0)); // NaNs are among the inputs
        ResultComparison.Exact<int>(expected, cpu, "float flags (CPU)");
        ResultComparison.Exact<int>(expected, native, "float flags (Dawn)");
    }

    [Fact]
    public void Half_classification_is_CSharps_for_every_kind_of_value()
    {
        var x = Enumerable.Range(0, 1 << 16).Select(bits => BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<Half>(x);
            using var flags = device.Allocate<int>(x.Length * 8);
            using var stream = device.CreateStream();
            TranslatorKernels.Gpu.ClassifyHalves(stream, gx, flags, x.Length);
            stream.Synchronize();
            return flags.ToArray();
        });
        var expected = x.SelectMany(Flags).ToArray();
        ResultComparison.Exact<int>(expected, cpu, "Half flags (CPU)");
        ResultComparison.Exact<int>(expected, native, "Half flags (Dawn)");
    }

    [Fact]
    public void Float_constants_at_the_edges_keep_their_bits()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Allocate<float>(10);
            using var stream = device.CreateStream();
            TranslatorKernels.Gpu.FloatConstants(stream, y, 1);
            stream.Synchronize();
            return y.ToArray();
        });
        float[] expected = [float.MaxValue, float.MinValue, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1.17549435e-38f, -0f, 3.4028233e38f, 1f];
        foreach (var (actual, backend) in new[] { (cpu, "CPU"), (native, "Dawn") })
        {
            for (int k = 0; k < expected.Length; k++)
            {
                if (float.IsNaN(expected[k]))
                    Assert.True(float.IsNaN(actual[k]), $"{backend} [{k}]: {actual[k]}, expected NaN");
                else
                    Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(actual[k]), $"{backend} [{k}]: {actual[k]:R}, expected {expected[k]:R}");
            }
        }
    }

    [Fact]
    public void Half_constants_are_CSharps_conversions()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Allocate<Half>(10);
            using var stream = device.CreateStream();
            TranslatorKernels.Gpu.HalfConstants(stream, y, 1);
            stream.Synchronize();
            return y.ToArray();
        });
        Half[] expected = [(Half)65519f, (Half)65520f, Half.MaxValue, Half.MinValue, Half.Epsilon, Half.PositiveInfinity, Half.NegativeInfinity, Half.NaN, (Half)0.1f, (Half)1e-7f];
        Assert.Equal((Half)65504f, expected[0]);
        foreach (var (actual, backend) in new[] { (cpu, "CPU"), (native, "Dawn") })
        {
            for (int k = 0; k < expected.Length; k++)
            {
                if (Half.IsNaN(expected[k]))
                    Assert.True(Half.IsNaN(actual[k]), $"{backend} [{k}]: {actual[k]}, expected NaN");
                else
                    Assert.True(BitConverter.HalfToUInt16Bits(expected[k]) == BitConverter.HalfToUInt16Bits(actual[k]), $"{backend} [{k}]: {actual[k]}, expected {expected[k]}");
            }
        }
    }

    [Fact]
    public void Side_effecting_operands_run_once_in_CSharp_order()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counter = device.Allocate<int>(1);
            using var f = device.Upload<float>([0f, 0f, 0f, 0f, 30.5f, 0f, 0f, 0f, 0f, 0f]);
            using var n = device.Allocate<int>(8);
            using var v = device.Allocate<Vector4>(4);
            using var stream = device.CreateStream();
            TranslatorKernels.Gpu.EvaluationOrder(stream, counter, f, n, v, 1);
            stream.Synchronize();
            return (Counter: counter.ToArray(), F: f.ToArray(), N: n.ToArray(), V: v.ToArray());
        });
        // C# itself, on the host, is the reference: the CPU backend runs the same method.
        var expectedF = new float[] { 4f, 16f, 3f, MathF.Log(20f, 6f), 30.5f % 12f, 0f, 0f, 0f, 130f, 0f };
        var expectedN = new[] { 10, 1, 10, 0, 0, 0, 17, 0 };
        Assert.Equal(17, cpu.Counter[0]);
        ResultComparison.Exact<int>(expectedN, cpu.N, "ints (C# reference)");
        ResultComparison.Close(expectedF, cpu.F, FloatTolerance.Exact, "floats (C# reference)");
        Assert.Equal(new Vector4(17f, 15f, 0f, 0f), cpu.V[0]);
        foreach (var (result, backend) in new[] { (cpu, "CPU"), (native, "Dawn") })
        {
            Assert.True(result.Counter[0] == 17, $"{backend}: the counter is {result.Counter[0]}, expected 17 (each operand once)");
            ResultComparison.Exact<int>(cpu.N, result.N, $"ints ({backend})");
            ResultComparison.Close(cpu.F, result.F, new FloatTolerance(2, 0f), $"floats ({backend})");
            Assert.Equal(cpu.V, result.V);
        }
    }

    [Fact]
    public void Forms_once_refused_by_Dawn_run_as_in_CSharp()
    {
        int[] x = [0, 1, -1, -8, int.MinValue, int.MaxValue, 12345];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Allocate<int>(x.Length);
            using var stream = device.CreateStream();
            TranslatorKernels.Gpu.SpelledForms(stream, gx, y, x.Length);
            stream.Synchronize();
            return y.ToArray();
        });
        var expected = x.Select((a, i) => (((a >>> 1) + (255 >> Math.Sign(-1)) + ((a & 1) == 1 ? 7 : 0)) >>> (i & 31)) + 5000 + 100 + 20 + 3 + 30000).ToArray();
        ResultComparison.Exact<int>(expected, cpu, "CPU");
        ResultComparison.Exact<int>(expected, native, "Dawn");
    }

    [Fact]
    public void Struct_operators_and_constructors_run_as_their_CSharp_bodies()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 64).Select(k => new Complex(random.Next(-8, 8), k % 5 == 0 ? 0f : random.Next(-8, 8))).ToArray();
        var b = Enumerable.Range(0, 64).Select(k => k % 7 == 0 ? new Complex(-1f, 0f) : new Complex(random.Next(-8, 8), random.Next(-8, 8))).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<Complex>(a);
            using var gb = device.Upload<Complex>(b);
            using var z = device.Allocate<Complex>(a.Length);
            using var m = device.Allocate<float>(a.Length);
            using var same = device.Allocate<int>(a.Length);
            using var stream = device.CreateStream();
            TranslatorKernels.Gpu.ComplexArithmetic(stream, ga, gb, z, m, same, a.Length);
            stream.Synchronize();
            return (Z: z.ToArray(), M: m.ToArray(), Same: same.ToArray());
        });
        var expected = a.Zip(b, (x, y) => -(x * y + x) + new Complex(1f, 0f)).ToArray();
        Assert.Equal(expected, cpu.Z);
        Assert.Equal(expected, native.Z);
        ResultComparison.Exact<float>(expected.Select(c => (float)c).ToArray(), native.M, "magnitudes (Dawn)");
        ResultComparison.Exact<int>(cpu.Same, native.Same, "== and != (Dawn)");
        Assert.Contains(1, cpu.Same.Select(v => v & 1)); // b = -1 gives r = (1, 0)
    }
}
