using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// A float tolerance: a value passes when it is within <paramref name="Ulps"/> units in the last place
/// of the expected value, or within <paramref name="Absolute"/> of it (for results near zero after
/// cancellation, and for functions whose GPU accuracy is specified as an absolute error).
/// </summary>
internal readonly record struct FloatTolerance(int Ulps, float Absolute)
{
    /// <summary>Bit-identical results (correctly rounded operations only).</summary>
    public static FloatTolerance Exact { get; } = new(0, 0f);

    public override string ToString() => $"{Ulps} ulp or {Absolute:G3} absolute";
}

/// <summary>Runs one case on both backends and compares what they computed.</summary>
internal static class ResultComparison
{
    /// <summary>Runs <paramref name="run"/> on the native (Dawn) device, then on the CPU backend.</summary>
    public static (T Native, T Cpu) OnBothBackends<T>(NativeDeviceFixture fixture, Func<GpuDevice, T> run) =>
        (run(fixture.Device), run(fixture.Cpu));

    /// <summary>Asserts two integer-like arrays are equal, naming the first differing element.</summary>
    public static void Exact<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
        where T : IEquatable<T>
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} elements, expected {expected.Length}.");
        var report = new StringBuilder();
        var mismatches = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].Equals(actual[i])) continue;
            if (++mismatches <= 8) report.Append($"\n  [{i}]: {actual[i]}, expected {expected[i]}");
        }
        Assert.True(mismatches == 0, $"{what}: {mismatches} of {expected.Length} elements differ:{report}");
    }

    /// <summary>Asserts two float arrays agree within <paramref name="tolerance"/> (NaN must meet NaN, infinities must be equal).</summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, FloatTolerance tolerance, string what) =>
        Close(expected, actual, tolerance, default, what);

    /// <summary>
    /// As <see cref="Close(ReadOnlySpan{float}, ReadOnlySpan{float}, FloatTolerance, string)"/>, with a
    /// per-element absolute bound added to the tolerance's (the error bound of a sum, from its terms).
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, FloatTolerance tolerance, ReadOnlySpan<float> bounds, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} elements, expected {expected.Length}.");
        Assert.True(bounds.IsEmpty || bounds.Length == expected.Length, $"{what}: {bounds.Length} bounds for {expected.Length} elements.");
        var report = new StringBuilder();
        var mismatches = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            var ulps = UlpDistance(e, a);
            var elementTolerance = bounds.IsEmpty ? tolerance : tolerance with { Absolute = tolerance.Absolute + bounds[i] };
            if (Within(e, a, ulps, elementTolerance)) continue;
            if (++mismatches <= 8) report.Append($"\n  [{i}]: {a:R}, expected {e:R} ({ulps} ulp, |diff| {Math.Abs((double)a - e):G3}, allowed {elementTolerance})");
        }
        Assert.True(mismatches == 0, $"{what}: {mismatches} of {expected.Length} elements beyond {tolerance}{(bounds.IsEmpty ? "" : " plus their sum bounds")}:{report}");
    }

    /// <summary>
    /// The classic bound on the rounding error of a float sum of <paramref name="steps"/> rounded products
    /// and additions: steps * 2^-24 * sum|terms| (each step rounds a partial result at most that far).
    /// </summary>
    public static float SumErrorBound(int steps, double sumOfMagnitudes) => (float)(steps * Math.ScaleB(1.0, -24) * sumOfMagnitudes);

    /// <inheritdoc cref="Close(ReadOnlySpan{float}, ReadOnlySpan{float}, FloatTolerance, string)"/>
    public static void Close(ReadOnlySpan<Vector4> expected, ReadOnlySpan<Vector4> actual, FloatTolerance tolerance, string what) =>
        Close(MemoryMarshal.Cast<Vector4, float>(expected), MemoryMarshal.Cast<Vector4, float>(actual), tolerance, what + " (as floats, 4 per element)");

    /// <inheritdoc cref="Close(ReadOnlySpan{float}, ReadOnlySpan{float}, FloatTolerance, string)"/>
    public static void Close(ReadOnlySpan<Vector2> expected, ReadOnlySpan<Vector2> actual, FloatTolerance tolerance, string what) =>
        Close(MemoryMarshal.Cast<Vector2, float>(expected), MemoryMarshal.Cast<Vector2, float>(actual), tolerance, what + " (as floats, 2 per element)");

    /// <summary>Asserts two Half arrays agree within <paramref name="ulps"/> f16 units in the last place.</summary>
    public static void Close(ReadOnlySpan<Half> expected, ReadOnlySpan<Half> actual, int ulps, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} elements, expected {expected.Length}.");
        var report = new StringBuilder();
        var mismatches = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var distance = Math.Abs(OrderedBits(expected[i]) - OrderedBits(actual[i]));
            var same = Half.IsNaN(expected[i]) ? Half.IsNaN(actual[i]) : distance <= ulps;
            if (same) continue;
            if (++mismatches <= 8) report.Append($"\n  [{i}]: {actual[i]}, expected {expected[i]} ({distance} f16 ulp)");
        }
        Assert.True(mismatches == 0, $"{what}: {mismatches} of {expected.Length} elements beyond {ulps} f16 ulp:{report}");
    }

    /// <summary>The number of representable floats between <paramref name="a"/> and <paramref name="b"/> (0 for +0 and -0).</summary>
    public static long UlpDistance(float a, float b) => Math.Abs(OrderedBits(a) - OrderedBits(b));

    private static bool Within(float expected, float actual, long ulps, FloatTolerance tolerance)
    {
        if (float.IsNaN(expected) || float.IsNaN(actual)) return float.IsNaN(expected) && float.IsNaN(actual);
        if (float.IsInfinity(expected) || float.IsInfinity(actual)) return expected == actual;
        return ulps <= tolerance.Ulps || Math.Abs((double)actual - expected) <= tolerance.Absolute;
    }

    // Maps the sign-magnitude bit pattern onto a line where neighbouring floats differ by one.
    private static long OrderedBits(float value)
    {
        long bits = BitConverter.SingleToInt32Bits(value);
        return bits < 0 ? int.MinValue - bits : bits;
    }

    private static long OrderedBits(Half value)
    {
        long bits = BitConverter.HalfToInt16Bits(value);
        return bits < 0 ? short.MinValue - bits : bits;
    }
}
