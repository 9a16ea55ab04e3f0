using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Helpers.cs (helper functions become WGSL functions) on Dawn and on the CPU backend.</summary>
public class HelpersCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 201;

    [Fact]
    [CorpusCase(typeof(Helpers), nameof(Helpers.TransitiveHelpers))]
    public void TransitiveHelpers_scaled_silu_plus_sigmoid()
    {
        const float Scale = 0.75f;
        var x = new SeededInputs(601).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Helpers.Gpu.TransitiveHelpers(stream, gx, y, Scale, N);
            stream.Synchronize();
            return y.ToArray();
        });
        // Two sigmoids (exp to 3 + 2|x| <= 11 ulp, division 2.5 ulp) summed: 16 ulp, or 1e-6 where the
        // two terms cancel towards zero.
        var tolerance = new FloatTolerance(16, 1e-6f);
        ResultComparison.Close(cpu, native, tolerance, "y");
        var expected = x.Select(v => { var s = 1 / (1 + Math.Exp(-(double)v)); return (float)(Scale * v * s + s); }).ToArray();
        ResultComparison.Close(expected, native, tolerance, "y vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Helpers), nameof(Helpers.RowNormalize))]
    public void RowNormalize_gives_zero_mean_unit_variance_rows()
    {
        const int Rows = 21, Columns = 10; // 21 rows: two workgroups of 16
        var x = new SeededInputs(602).Floats(Rows * Columns);
        Array.Fill(x, 0.5f, 0, Columns); // a constant row: variance 0 takes the helper's early return
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(Rows * Columns);
            using var stream = device.CreateStream();
            Helpers.Gpu.RowNormalize(stream, gx, y, Rows, Columns, Rows);
            stream.Synchronize();
            return y.ToArray();
        });
        // Sums of 10 terms (fma contraction changes a rounding per step), WGSL's sqrt and division at
        // 2.5 ulp rather than correctly rounded: 1e-5 absolute on values of magnitude <= 3, or 8 ulp.
        var tolerance = new FloatTolerance(8, 1e-5f);
        ResultComparison.Close(cpu, native, tolerance, "y");
        var expected = x.Chunk(Columns).SelectMany(row =>
        {
            var mean = row.Average(v => (double)v);
            var variance = row.Average(v => (v - mean) * (v - mean));
            return row.Select(v => (float)((v - mean) / Math.Sqrt(variance + 1e-5)));
        }).ToArray();
        ResultComparison.Close(expected, native, new FloatTolerance(8, 2e-5f), "y vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Helpers), nameof(Helpers.ReservedNames))]
    public void ReservedNames_are_escaped_and_still_mean_the_same()
    {
        const int Select = 3;
        const float Uniforms = 0.25f;
        var fn = new SeededInputs(603).Floats(N, -2f, 2f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gfn = device.Upload<float>(fn);
            using var loop = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Helpers.Gpu.ReservedNames(stream, gfn, loop, Select, Uniforms, N);
            stream.Synchronize();
            return loop.ToArray();
        });
        // max, two correctly rounded adds and a clamp: bit-identical.
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "loop");
        var expected = fn.Select((v, i) => { var max = MathF.Max(v, Uniforms); return max + (i + Select) + Math.Clamp(max, 0f, 1f); }).ToArray();
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "loop vs C#");
    }

    [Fact]
    [CorpusCase(typeof(Helpers), nameof(Helpers.OverloadedHelpers))]
    public void OverloadedHelpers_pick_the_int_and_float_overloads()
    {
        var a = new SeededInputs(604).Ints(N, -50, 150);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<int>(a);
            using var ints = device.Allocate<int>(N);
            using var floats = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Helpers.Gpu.OverloadedHelpers(stream, ga, ints, floats, N);
            stream.Synchronize();
            return (Ints: ints.ToArray(), Floats: floats.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Ints, native.Ints, "ints");
        ResultComparison.Close(cpu.Floats, native.Floats, FloatTolerance.Exact, "floats"); // a * 0.5 * 2: exact
        var expected = a.Select(v => 2 * v + (v <= 0 ? 0 : (Math.Min(v, 100) + 9) / 10)).ToArray();
        ResultComparison.Exact<int>(expected, native.Ints, "ints vs 2a + ceil(min(a, 100) / 10)");
        ResultComparison.Close(a.Select(v => (float)v).ToArray(), native.Floats, FloatTolerance.Exact, "floats vs a");
    }
}
