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
}
