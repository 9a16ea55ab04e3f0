using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/FloatExtremes.cs on Dawn and on the CPU backend: .NET's NaN and signed-zero rules of Max, Min and Clamp, and
/// Lerp's fused rounding, over every pair of special values and random ones, bit for bit (any NaN equals any NaN).
/// </summary>
public class FloatExtremesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static readonly float[] Specials = [float.NaN, -float.NaN, 0f, -0f, 1f, -1f, 0.5f, -2.5f, 6f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon, 1e-30f];

    private static (float[] A, float[] B, float[] T) Inputs(int random, int seed)
    {
        var rng = new Random(seed);
        var a = new List<float>();
        var b = new List<float>();
        foreach (float x in Specials)
        {
            foreach (float y in Specials)
            {
                a.Add(x);
                b.Add(y);
            }
        }
        for (int i = 0; i < random; i++)
        {
            a.Add((float)(rng.NextDouble() * 200 - 100));
            b.Add(rng.Next(8) == 0 ? a[^1] : (float)(rng.NextDouble() * 200 - 100));
        }
        var t = new float[a.Count];
        for (int i = 0; i < t.Length; i++)
            t[i] = i < Specials.Length * Specials.Length ? Specials[i % Specials.Length] : (float)(rng.NextDouble() * 2 - 0.5);
        return (a.ToArray(), b.ToArray(), t);
    }

    private static bool Same(float x, float y) => (float.IsNaN(x) && float.IsNaN(y)) || BitConverter.SingleToInt32Bits(x) == BitConverter.SingleToInt32Bits(y);

    private static void AssertSame(float[] expected, float[] actual, int perItem, string[] names, float[] a, float[] b, string backend, int[]? zeroSignFree = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            int i = k / perItem;
            bool zeros = expected[k] == 0f && actual[k] == 0f && zeroSignFree is not null && Array.IndexOf(zeroSignFree, k % perItem) >= 0;
            Assert.True(zeros || Same(expected[k], actual[k]),
                $"{backend}: {names[k % perItem]} of ({a[i]:R}, {b[i]:R}) is {actual[k]:R} (bits {BitConverter.SingleToInt32Bits(actual[k]):x8}), C# {expected[k]:R} (bits {BitConverter.SingleToInt32Bits(expected[k]):x8})");
        }
    }

    [Fact]
    [CorpusCase(typeof(FloatExtremes), nameof(FloatExtremes.MaxMinClampLerp))]
    public void Max_min_clamp_and_lerp_keep_dotnets_nan_signed_zero_and_rounding_rules()
    {
        var (a, b, t) = Inputs(4096, 6151);
        int n = a.Length;
        var expected = new float[n * 12];
        for (int i = 0; i < n; i++)
        {
            float x = a[i], y = b[i], z = t[i];
            var e = expected.AsSpan(i * 12, 12);
            e[0] = MathF.Max(x, y);
            e[1] = MathF.Min(x, y);
            e[2] = float.Min(Math.Max(x, 0f), y);
            e[3] = Math.Clamp(x, y, y + 1f);
            e[4] = float.Clamp(x, y, y + 1f);
            e[5] = float.Lerp(x, y, z);
            Vector4 p = new(x, y, z, -x), q = new(y, x, -z, z);
            Vector4 max = Vector4.Max(p, q), min = Vector4.Min(p, q);
            e[6] = max.X;
            e[7] = min.W;
            e[8] = Vector4.Clamp(p, min, max + Vector4.One).Y;
            e[9] = Vector4.Lerp(p, q, z).X;
            e[10] = Vector4.Lerp(p, q, q).Z;
            e[11] = MathF.Max(MathF.Min(x, 6f), 0f);
        }
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<float>(a);
            using var gb = device.Upload<float>(b);
            using var gt = device.Upload<float>(t);
            using var r = device.Allocate<float>(n * 12);
            using var stream = device.CreateStream();
            FloatExtremes.Gpu.MaxMinClampLerp(stream, ga, gb, gt, r, n);
            stream.Synchronize();
            return r.ToArray();
        });
        string[] names = ["MathF.Max", "MathF.Min", "float.Min(Math.Max(x, 0), y)", "Math.Clamp", "float.Clamp", "float.Lerp",
            "Vector4.Max", "Vector4.Min", "Vector4.Clamp", "Vector4.Lerp (scalar amount)", "Vector4.Lerp (vector amount)", "Max(Min(x, 6), 0)"];
        AssertSame(expected, cpu, 12, names, a, b, "CPU");
        // Lerp is fma(value1, 1 - amount, value2 * amount), as .NET computes it where the CPU has FMA. WGSL lets fma()
        // and the sum round each product separately and in any order (lavapipe does), so on Dawn each Lerp is compared
        // within three roundings (1 - amount, a product, the sum) of its terms' magnitudes, where both terms are finite (an overflowing product is
        // inf or NaN depending on that order). Max, Min and Clamp decide NaN and zeros on the bits and are compared
        // bit for bit.
        int lerps = 0;
        for (int i = 0; i < n; i++)
        {
            float x = a[i], y = b[i], z = t[i];
            Vector4 p = new(x, y, z, -x), q = new(y, x, -z, z);
            foreach (var (column, u, v, w) in new[] { (5, x, y, z), (9, p.X, q.X, z), (10, p.Z, q.Z, q.Z) })
            {
                int k = i * 12 + column;
                double first = (double)u * (1.0 - w), second = (double)v * w;
                if (double.IsFinite(first) && double.IsFinite(second) && Math.Abs(first) < float.MaxValue && Math.Abs(second) < float.MaxValue)
                {
                    double bound = 4 * Math.ScaleB(1.0, -24) * (Math.Abs(first) + Math.Abs(second)) + float.Epsilon;
                    Assert.True(Math.Abs(native[k] - (first + second)) <= bound,
                        $"Dawn: {names[column]} of ({u:R}, {v:R}, {w:R}) is {native[k]:R}, exactly {first + second:R}");
                    lerps++;
                }
                native[k] = expected[k];
            }
        }
        Assert.True(lerps > 3 * 4096, $"only {lerps} Lerps compared");
        AssertSame(expected, native, 12, names, a, b, "Dawn");
        // The cases WGSL's built-ins got wrong on lavapipe.
        int nanZero = 0 * Specials.Length + 2;      // (NaN, 0)
        Assert.True(float.IsNaN(native[nanZero * 12]));
        Assert.True(float.IsNaN(native[nanZero * 12 + 3]));
        int negZeroZero = 3 * Specials.Length + 2;  // (-0, 0)
        Assert.Equal(0, BitConverter.SingleToInt32Bits(native[negZeroZero * 12]));
        Assert.Equal(int.MinValue, BitConverter.SingleToInt32Bits(native[negZeroZero * 12 + 1]));
    }

    [Fact]
    [CorpusCase(typeof(FloatExtremes), nameof(FloatExtremes.HalfMaxMin))]
    public void Half_max_min_and_clamp_keep_dotnets_nan_and_signed_zero_rules()
    {
        var (a, b, _) = Inputs(1024, 6152);
        int n = a.Length;
        var expected = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            Half x = (Half)a[i], y = (Half)b[i];
            expected[i * 3] = (float)Half.Max(x, y);
            expected[i * 3 + 1] = (float)Half.Min(x, y);
            expected[i * 3 + 2] = (float)Half.Clamp(x, y, y + (Half)1f);
        }
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<float>(a);
            using var gb = device.Upload<float>(b);
            using var r = device.Allocate<float>(n * 3);
            using var stream = device.CreateStream();
            FloatExtremes.Gpu.HalfMaxMin(stream, ga, gb, r, n);
            stream.Synchronize();
            return r.ToArray();
        });
        string[] names = ["Half.Max", "Half.Min", "Half.Clamp"];
        AssertSame(expected, cpu, 3, names, a, b, "CPU");
        AssertSame(expected, native, 3, names, a, b, "Dawn");
    }
}
