using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/MathGaps.cs (Cbrt, CopySign, ReciprocalEstimate) on Dawn and on the CPU backend, with Cbrt's error measured.</summary>
public class MathGapsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 1 << 18;

    [Fact]
    [CorpusCase(typeof(MathGaps), nameof(MathGaps.CubeRoots))]
    public void CubeRoots_are_within_two_ulp_of_csharp_over_every_magnitude()
    {
        var random = new Random(8201);
        var x = new float[N];
        var y = new float[N];
        for (int i = 0; i < N; i++)
        {
            // Bit patterns over every normal magnitude and both signs, then the special values.
            float v;
            do
                v = BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
            while (!float.IsNormal(v) || !float.IsNormal(MathF.Cbrt(v)));
            x[i] = v;
            y[i] = random.Next(2) == 0 ? -1.5f : 2f;
        }
        float[] specials = [0f, -0f, 1f, -1f, 8f, -27f, 1e-30f, float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0.001f, 1000f];
        specials.CopyTo(x, 0);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var gy = device.Upload<float>(y);
            using var roots = device.Allocate<float>(N);
            using var signs = device.Allocate<float>(N);
            using var reciprocals = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            MathGaps.Gpu.CubeRoots(stream, gx, gy, roots, signs, reciprocals, N);
            stream.Synchronize();
            return (roots.ToArray(), signs.ToArray(), reciprocals.ToArray());
        });
        long worst = 0;
        for (int i = 0; i < N; i++)
        {
            float expected = MathF.Cbrt(x[i]);
            Assert.Equal(expected, cpu.Item1[i]);
            float actual = native.Item1[i];
            if (float.IsNaN(expected) || float.IsInfinity(expected) || expected == 0f)
            {
                Assert.True(expected.Equals(actual), $"Cbrt({x[i]:R}) = {actual:R} on the GPU, {expected:R} in C#");
                continue;
            }
            long ulps = Math.Abs((long)BitConverter.SingleToInt32Bits(expected) - BitConverter.SingleToInt32Bits(actual));
            worst = Math.Max(worst, ulps);
        }
        Assert.True(worst <= 2, $"Cbrt is {worst} ulp from C# somewhere (documented bound: 2)");
        Assert.Equal(2f, native.Item1[4]);
        Assert.Equal(-3f, native.Item1[5]);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(native.Item1[1]));
        for (int i = 0; i < N; i++)
        {
            float sign = MathF.CopySign(x[i], y[i]);
            Assert.True(sign.Equals(native.Item2[i]) || (float.IsNaN(sign) && float.IsNaN(native.Item2[i])), $"CopySign({x[i]:R}, {y[i]:R}) = {native.Item2[i]:R}, C# {sign:R}");
        }
        ResultComparison.Exact<float>(cpu.Item2, native.Item2, "signs (CPU)");
        // ReciprocalEstimate is an estimate in .NET too: within WGSL's 2.5 ulp of 1 / x where that is a normal float.
        var expectedReciprocals = x.Select(v => 1f / v + 2f).ToArray();
        var finite = Enumerable.Range(0, N).Where(i => float.IsNormal(1f / x[i])).ToArray();
        ResultComparison.Close(finite.Select(i => expectedReciprocals[i]).ToArray(), finite.Select(i => native.Item3[i]).ToArray(), new FloatTolerance(3, 0f), "reciprocals");
    }

    [Fact]
    [CorpusCase(typeof(MathGaps), nameof(MathGaps.RoundingModes))]
    public void Every_midpoint_rounding_mode_and_an_unchecked_block_match_csharp_bit_for_bit()
    {
        // Halves, quarters, near-halves, large values past 2^23, zeros, infinities and NaN.
        var x = new List<float>();
        for (int k = -40; k <= 40; k++)
            x.Add(k * 0.25f);
        x.AddRange([0.49999997f, -0.49999997f, 0.50000006f, 2.5f, -2.5f, 3.5f, -3.5f, 8388607.5f, -8388607.5f, 8388609f,
            1e10f, -1e10f, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, 1.4999999f]);
        var xs = x.ToArray();
        int n = xs.Length;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(xs);
            using var rounded = device.Allocate<float>(n * 6);
            using var hashes = device.Allocate<int>(n);
            using var stream = device.CreateStream();
            MathGaps.Gpu.RoundingModes(stream, gx, rounded, hashes, n);
            stream.Synchronize();
            return (rounded.ToArray(), hashes.ToArray());
        });
        for (int i = 0; i < n; i++)
        {
            float v = xs[i];
            float[] expected =
            [
                MathF.Round(v, MidpointRounding.ToEven), MathF.Round(v, MidpointRounding.AwayFromZero), MathF.Round(v, MidpointRounding.ToZero),
                MathF.Round(v, MidpointRounding.ToNegativeInfinity), MathF.Round(v, MidpointRounding.ToPositiveInfinity) + MathF.Round(v),
                MathF.Round(v * 3f, (MidpointRounding)(i % 5)),
            ];
            for (int m = 0; m < 6; m++)
            {
                Assert.True(expected[m].Equals(cpu.Item1[i * 6 + m]), $"CPU: slot {m} of {v:R}: {cpu.Item1[i * 6 + m]:R}, C# {expected[m]:R}");
                // Vulkan does not promise the sign of zero: +0 and -0 are equal here, everything else bit for bit.
                float actual = native.Item1[i * 6 + m];
                Assert.True(expected[m].Equals(actual) || (expected[m] == 0f && actual == 0f), $"Dawn: slot {m} of {v:R}: {actual:R}, C# {expected[m]:R}");
            }
            int h = unchecked((int)2166136261);
            h = unchecked((h ^ i) * 16777619);
            float away = expected[1];
            h = unchecked(h + (int)away);
            if (float.IsFinite(away) && Math.Abs(away) < 2e9f)
            {
                Assert.Equal(h, cpu.Item2[i]);
                Assert.Equal(h, native.Item2[i]);
            }
        }
    }

    [Fact]
    [CorpusCase(typeof(MathGaps), nameof(MathGaps.SinCosPairs))]
    public void SinCos_is_the_pair_of_sin_and_cos_with_its_argument_read_once()
    {
        const int n = 500;
        var x = new SeededInputs(8211).Floats(n, -10f, 10f);
        x[0] = 0f;
        x[1] = MathF.PI / 2f;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var sines = device.Allocate<float>(n);
            using var cosines = device.Allocate<float>(n);
            using var rotated = device.Allocate<System.Numerics.Vector2>(n);
            using var reads = device.Allocate<int>(n);
            using var stream = device.CreateStream();
            MathGaps.Gpu.SinCosPairs(stream, gx, sines, cosines, rotated, reads, n);
            stream.Synchronize();
            return (sines.ToArray(), cosines.ToArray(), rotated.ToArray(), reads.ToArray());
        });
        var expectedReads = Enumerable.Range(1, n).ToArray();
        ResultComparison.Exact<int>(expectedReads, cpu.Item4, "reads (CPU)");
        ResultComparison.Exact<int>(expectedReads, native.Item4, "reads: x[k++] evaluated once");
        ResultComparison.Exact<float>(x.Select(MathF.Sin).ToArray(), cpu.Item1, "sines (CPU)");
        ResultComparison.Exact<float>(x.Select(MathF.Cos).ToArray(), cpu.Item2, "cosines (CPU)");
        // WGSL's sin and cos have an absolute error bound (2^-11 on [-pi, pi]; lavapipe is far closer).
        var tolerance = new FloatTolerance(64, 2e-6f);
        ResultComparison.Close(cpu.Item1, native.Item1, tolerance, "sines");
        ResultComparison.Close(cpu.Item2, native.Item2, tolerance, "cosines");
        // rotated = R(x) (cos x/2, sin x/2) = (cos 3x/2, sin 3x/2), the extra cos term cancelling.
        var expected = x.SelectMany(v => new[] { MathF.Cos(1.5f * v), MathF.Sin(1.5f * v) }).ToArray();
        ResultComparison.Close(expected, cpu.Item3.SelectMany(v => new[] { v.X, v.Y }).ToArray(), new FloatTolerance(64, 1e-5f), "rotated (CPU)");
        ResultComparison.Close(cpu.Item3.SelectMany(v => new[] { v.X, v.Y }).ToArray(), native.Item3.SelectMany(v => new[] { v.X, v.Y }).ToArray(), new FloatTolerance(64, 1e-5f), "rotated");
    }

    [Fact]
    [CorpusCase(typeof(MathGaps), nameof(MathGaps.FloatToIntegers))]
    public void Float_and_half_to_int_and_uint_saturate_with_NaN_zero_as_dotnet_converts()
    {
        // Every half bit pattern (NaNs and infinities among them) beside floats: specials, limits and random bits.
        const int n = 1 << 16;
        var random = new Random(8212);
        float[] specials = [float.NaN, -float.NaN, BitConverter.Int32BitsToSingle(0x7f800001), float.PositiveInfinity, float.NegativeInfinity,
            -0f, 0.99999994f, -0.99999994f, 2147483520f, 2147483648f, -2147483648f, -2147483904f, 4294967040f, 4294967296f, 1e20f, -1e20f, -1f];
        var x = Enumerable.Range(0, n).Select(k => k < specials.Length ? specials[k] : BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))).ToArray();
        var h = Enumerable.Range(0, n).Select(bits => BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var gh = device.Upload<Half>(h);
            using var ints = device.Allocate<int>(2 * n);
            using var uints = device.Allocate<uint>(2 * n);
            using var stream = device.CreateStream();
            MathGaps.Gpu.FloatToIntegers(stream, gx, gh, ints, uints, n);
            stream.Synchronize();
            return (ints.ToArray(), uints.ToArray());
        });
        var expectedInts = Enumerable.Range(0, 2 * n).Select(k => k % 2 == 0 ? (int)x[k / 2] : (int)h[k / 2]).ToArray();
        var expectedUints = Enumerable.Range(0, 2 * n).Select(k => k % 2 == 0 ? (uint)x[k / 2] : (uint)h[k / 2]).ToArray();
        Assert.Equal(0, expectedInts[0]); // (int)float.NaN is 0 in .NET
        ResultComparison.Exact<int>(expectedInts, cpu.Item1, "ints (CPU)");
        ResultComparison.Exact<uint>(expectedUints, cpu.Item2, "uints (CPU)");
        ResultComparison.Exact<int>(expectedInts, native.Item1, "ints (Dawn)");
        ResultComparison.Exact<uint>(expectedUints, native.Item2, "uints (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(MathGaps), nameof(MathGaps.RoundingPlaces))]
    public void Midpoint_rounding_in_half_in_a_helper_and_in_a_loop_bound_matches_csharp_bit_for_bit()
    {
        var x = new List<float>();
        for (int k = -40; k <= 40; k++)
            x.Add(k * 0.25f);
        x.AddRange([0.49999997f, -0.49999997f, 2.5f, -2.5f, 3.5f, 6.5f, 7.5f, 1000.5f, 1025.5f, -0f, 65504f]);
        var xs = x.ToArray();
        // Half halves and quarters round in f16 (up to 2048 every half is exact; 1025.5 rounds to even).
        var hs = xs.Select(v => (Half)v).Concat([Half.PositiveInfinity, Half.NegativeInfinity, Half.NaN, Half.Epsilon, (Half)2047.5f, (Half)(-1023.5f)]).ToArray();
        xs = [.. xs, 0.5f, -0.5f, 1.5f, 4.5f, -4.5f, 5.5f];
        int n = xs.Length;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gh = device.Upload<Half>(hs);
            using var gx = device.Upload<float>(xs);
            using var halves = device.Allocate<Half>(n * 4);
            using var rounded = device.Allocate<float>(n);
            using var steps = device.Allocate<int>(n);
            using var stream = device.CreateStream();
            MathGaps.Gpu.RoundingPlaces(stream, gh, gx, halves, rounded, steps, n);
            stream.Synchronize();
            return (halves.ToArray(), rounded.ToArray(), steps.ToArray());
        });
        for (int i = 0; i < n; i++)
        {
            Half v = hs[i];
            Half[] expected =
            [
                Half.Round(v, MidpointRounding.ToEven), Half.Round(v, MidpointRounding.AwayFromZero),
                Half.Round(v, MidpointRounding.ToNegativeInfinity), Half.Round(v * (Half)3f, (MidpointRounding)(i % 5)),
            ];
            for (int m = 0; m < 4; m++)
            {
                Assert.True(expected[m].Equals(cpu.Item1[i * 4 + m]), $"CPU: slot {m} of {v}: {cpu.Item1[i * 4 + m]}, C# {expected[m]}");
                // Vulkan does not promise the sign of zero: +0 and -0 are equal here, everything else bit for bit.
                Half actual = native.Item1[i * 4 + m];
                Assert.True(expected[m].Equals(actual) || (expected[m] == Half.Zero && actual == Half.Zero), $"Dawn: slot {m} of {v}: {actual}, C# {expected[m]}");
            }
            float r = MathF.Round(xs[i], MidpointRounding.AwayFromZero) * 10f + MathF.Round(xs[i], (MidpointRounding)(i % 5));
            Assert.True(r.Equals(cpu.Item2[i]), $"CPU: rounded {xs[i]:R}: {cpu.Item2[i]:R}, C# {r:R}");
            Assert.True(r.Equals(native.Item2[i]) || (r == 0f && native.Item2[i] == 0f), $"Dawn: rounded {xs[i]:R}: {native.Item2[i]:R}, C# {r:R}");
            int steps = Math.Max(0, (int)MathF.Round(xs[i], MidpointRounding.AwayFromZero));
            Assert.Equal(steps, cpu.Item3[i]);
            Assert.Equal(steps, native.Item3[i]);
        }
    }
}
