using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Patterns.cs (switch expressions, is-patterns, pattern cases) on Dawn and on the CPU backend.</summary>
public class PatternsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 300;

    private static int[] EdgeInts()
    {
        var edge = new[] { -1001, -200, -1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 20, 30, 31, 50, 99, 100, 101, 102, 150, 151, 199, 200, 1000, 1001 };
        return edge.Concat(new SeededInputs(6001).Ints(N - edge.Length, -2000, 2000)).ToArray();
    }

    [Theory]
    [CorpusCase(typeof(Patterns), nameof(Patterns.Classify))]
    [InlineData(BlendMode.Add)]
    [InlineData(BlendMode.Multiply)]
    [InlineData(BlendMode.Min)]
    public void Classify_switch_expressions_and_is_patterns_match_csharp(BlendMode mode)
    {
        var x = EdgeInts();
        var edgeFloats = new[] { -5f, -1f, -0.5f, 0f, 0.5f, 1.99f, 2f, 3f, float.PositiveInfinity, float.NegativeInfinity };
        var f = edgeFloats.Concat(new SeededInputs(6002).Floats(N - edgeFloats.Length, -4f, 4f)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var gf = device.Upload<float>(f);
            using var y = device.Allocate<int>(N);
            using var z = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Patterns.Gpu.Classify(stream, gx, gf, y, z, mode, N);
            stream.Synchronize();
            return (y.ToArray(), z.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "y");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(1, 0f), "z");
        // The reference, without patterns.
        var expectedY = x.Select(v =>
        {
            int c = v < 0 ? -1 : v == 0 ? 0 : v < 10 ? 1 : v == 10 || v == 20 || v == 30 ? 2 : 3;
            if (v > 0 && v < 8) c += 100;
            if (v == 3 || v == 5 || v > 1000) c += 1000;
            if (v != 0 && (v & 1) == 1) c += 10000;
            int m = v % 4;
            return c * 10 + (m == 0 ? 1 : m == 1 || m == -1 ? 2 : 3) + 2 * (v >= 100 ? 5 : 6);
        }).ToArray();
        ResultComparison.Exact<int>(expectedY, native.Item1, "y vs reference");
        float scale = mode == BlendMode.Add ? 1f : mode == BlendMode.Multiply ? 2f : 3f;
        var expectedZ = f.Select((g, i) => scale * (g < -1f ? -1f : g < 0f ? g * 2f : float.IsPositiveInfinity(g) ? 7f : !(g >= 2f) ? g : x[i] > 0 ? MathF.Sqrt(g) : 0f)).ToArray();
        ResultComparison.Close(expectedZ, native.Item2, new FloatTolerance(1, 0f), "z vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Patterns), nameof(Patterns.PatternCases))]
    public void PatternCases_try_labels_in_order_with_guards_and_keep_break_and_continue()
    {
        var x = EdgeInts();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Patterns.Gpu.PatternCases(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        var expected = x.Select(xi =>
        {
            int total = 0;
            for (int k = 0; k < 6; k++)
            {
                int v = xi + k * 37, s = v % 200;
                if (s < 0) total -= 1;
                else if (s == 0 || s == 1) { total += 2; continue; }
                else if (s > 100 && (v & 1) == 0) { total += 3; if (v <= 150) total += 30; }
                else if (s > 100 || s == 50) total += 4;
                else total += 5;
                total *= 2;
            }
            float r = xi * 0.5f;
            if (r < 10f && r > -10f) total += 1000000;
            else if (r == 20f) total += 2000000;
            return total;
        }).ToArray();
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Patterns), nameof(Patterns.SideEffects))]
    public void SideEffects_helper_arms_run_only_when_chosen_and_the_governing_helper_once()
    {
        var seeds = new SeededInputs(6003);
        var positions = seeds.Vector2s(N);
        var masses = seeds.Floats(N, -1f, 2f);
        var motes = Enumerable.Range(0, N).Select(i => new Mote { Position = positions[i], Mass = i % 7 == 0 ? 0f : masses[i], Kind = i % 3 }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gm = device.Upload<Mote>(motes);
            using var counter = device.Allocate<int>(N);
            using var y = device.Allocate<float>(N);
            using var moved = device.Allocate<Mote>(N);
            using var stream = device.CreateStream();
            Patterns.Gpu.SideEffects(stream, gm, counter, y, moved, N);
            stream.Synchronize();
            return (counter.ToArray(), y.ToArray(), moved.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "counter");
        ResultComparison.Close(cpu.Item2, native.Item2, FloatTolerance.Exact, "y");
        Assert.Equal(cpu.Item3, native.Item3);
        // Kind 0: no helper arm runs; kind 1 adds 1, kind 2 adds 2; the governing Count(4) runs once for all.
        var expectedCounter = motes.Select(m => 4 + (m.Kind == 1 ? 1 : m.Kind == 2 ? 2 : 0)).ToArray();
        ResultComparison.Exact<int>(expectedCounter, native.Item1, "counter vs reference");
        var expectedY = motes.Select(m =>
        {
            float w = m.Kind == 0 ? m.Mass : m.Kind == 1 ? 1 + m.Mass : 0f;
            if ((m.Position.X > 0f && m.Position.Y < 0f) || m.Mass == 0f) w += 100f;
            if (m.Position.X < 0f && m.Position.Y < 0f) w -= 100f;
            return w + 1;
        }).ToArray();
        ResultComparison.Close(expectedY, native.Item2, FloatTolerance.Exact, "y vs reference");
        Assert.Equal(motes.Select(m => m.Kind == 0 ? m : m.Kind == 1 ? new Mote { Position = m.Position * 2f, Mass = m.Mass, Kind = 9 } : default), native.Item3);
    }

    [Fact]
    [CorpusCase(typeof(Patterns), nameof(Patterns.NaNPatterns))]
    public void NaNPatterns_match_every_nan_as_csharp_does()
    {
        // NaNs of both signs, quiet and signalling, infinities, both zeros, and numbers around the patterns' limits.
        uint[] bits = [0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff812345u, 0x7fffffffu, 0x7f800000u, 0xff800000u, 0u, 0x80000000u];
        float[] numbers = [1f, -1f, -1.5f, -2f, 0.5f, 2f, 1e-45f, -1e-45f, float.MaxValue, float.MinValue];
        var edge = bits.Select(BitConverter.UInt32BitsToSingle).Concat(numbers).ToArray();
        var f = edge.Concat(new SeededInputs(6004).Floats(N - edge.Length, -3f, 3f)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gf = device.Upload<float>(f);
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Patterns.Gpu.NaNPatterns(stream, gf, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        // The reference, with float.IsNaN for each NaN pattern.
        var expected = f.Select((g, i) =>
        {
            float next = f[(i + 1) % N], after = f[(i + 2) % N];
            int c = float.IsNaN(g) ? 1 : float.IsPositiveInfinity(g) ? 2 : float.IsNegativeInfinity(g) ? 3 : g == 0f ? 4 : g > 0f ? 5 : 6;
            if (!float.IsNaN(g) && !(g >= 1f)) c += 10;
            if (float.IsNaN(next) || next == 1f) c += 100;
            if (float.IsNaN(g)) c += 1000;
            c += float.IsNaN(g) ? 20000 : g < -1f ? 30000 : g == 0f ? 40000 : 0;
            // g, then the next element, then the one after it (the third step ends the loop).
            c += (float.IsNaN(g) ? 0 : float.IsNaN(next) ? 1 : float.IsNaN(after) ? 2 : 3) * 100000;
            if (!(g < 0f || g > 0f)) c += 1000000;
            return c;
        }).ToArray();
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Patterns), nameof(Patterns.TuplePatterns))]
    public void TuplePatterns_test_elements_and_bind_variables_as_csharp_does()
    {
        var x = EdgeInts();
        var seeds = new SeededInputs(6005);
        var positions = seeds.Vector2s(N);
        var motes = Enumerable.Range(0, N).Select(i => new Mote { Position = positions[i], Mass = 1f, Kind = i % 5 }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var gm = device.Upload<Mote>(motes);
            using var counter = device.Allocate<int>(N);
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Patterns.Gpu.TuplePatterns(stream, gx, gm, counter, y, N);
            stream.Synchronize();
            return (counter.ToArray(), y.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "counter");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "y");
        // The governing helper runs once per thread.
        ResultComparison.Exact<int>(Enumerable.Repeat(1, N).ToArray(), native.Item1, "counter vs reference");
        var expected = x.Select((xi, i) =>
        {
            int a = xi % 5, b = xi / 5 % 7;
            int c = a == 0 ? 1 : b > 3 ? 2 : a == b ? 3 + a : a > 2 ? 10 + b : 4;
            if (a == 0 && b == 0) c += 100;
            if ((b > 1 && a < 3) || (b == 0 && a == 4)) c += 200;
            var m = motes[i];
            if (m.Position.X > 0f && m.Kind < 3) c += 1000 * (m.Kind + 1);
            if (m.Position.Y > 0f) c += m.Position.X > 1f ? 10000 : 20000;
            if (xi > 0) c += xi % 3;
            c += 100000;
            int n = xi - 50;
            if (n > 900) c += 300000;
            else if (n < -900) c += n < -1000 ? 400000 : 500000;
            if (xi > 100) c += 1000000;
            int steps = 0;
            for (int k = 0; (xi + k) % 16 != 0 && k < 20; k++) steps++;
            c += steps * 10000000;
            return xi % 2 == 1 ? c : -c;
        }).ToArray();
        ResultComparison.Exact<int>(expected, native.Item2, "y vs reference");
    }
}
