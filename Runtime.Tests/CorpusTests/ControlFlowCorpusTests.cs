using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/ControlFlow.cs on Dawn and on the CPU backend (loops, switch, early return).</summary>
public class ControlFlowCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.SwitchOnCode))]
    public void SwitchOnCode_maps_grouped_cases_and_default()
    {
        const int N = 150;
        var codes = new SeededInputs(201).Ints(N, -3, 5);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gc = device.Upload<int>(codes);
            using var values = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.SwitchOnCode(stream, gc, values, N);
            stream.Synchronize();
            return values.ToArray();
        });
        // Constants only: bit-identical.
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "values");
        var expected = codes.Select(c => c switch { 0 => 1f, 1 or 2 => 2.5f, -1 => -1f, _ => 0f }).ToArray();
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "values vs switch table");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.SwitchWithoutDefault))]
    public void SwitchWithoutDefault_keeps_the_initial_value_and_returns_from_a_case()
    {
        const int N = 99;
        var codes = new SeededInputs(202).Ints(N, 0, 7).Select(c => (uint)c).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gc = device.Upload<uint>(codes);
            using var output = device.Allocate<uint>(N);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.SwitchWithoutDefault(stream, gc, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<uint>(cpu, native, "output");
        ResultComparison.Exact<uint>(codes.Select(c => c switch { 3u => 30u, 4u => 40u, _ => 7u }).ToArray(), native, "output vs switch table");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.CollatzSteps))]
    public void CollatzSteps_stop_at_one_or_at_the_step_limit()
    {
        const int N = 130, MaxSteps = 150;
        var start = new SeededInputs(203).Ints(N, -5, 3000); // 0 and negatives never reach 1: they hit the limit
        start[0] = 27; start[1] = 1; start[2] = 0;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gs = device.Upload<int>(start);
            using var steps = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.CollatzSteps(stream, gs, steps, MaxSteps, N);
            stream.Synchronize();
            return steps.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "steps");
        Assert.Equal([111, 0, MaxSteps], native[..3]); // 27 takes 111 steps
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.DigitSum))]
    public void DigitSum_of_any_int_but_MinValue()
    {
        const int N = 140;
        var values = new SeededInputs(204).AnyInts(N);
        values[0] = 0; values[1] = -905; values[2] = int.MaxValue;
        // Math.Abs(int.MinValue) throws in C# (WGSL's abs wraps): not a kernel input here.
        for (var i = 0; i < N; i++) if (values[i] == int.MinValue) values[i] = 17;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<int>(values);
            using var sums = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.DigitSum(stream, gv, sums, N);
            stream.Synchronize();
            return sums.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "sums");
        var expected = values.Select(v => Math.Abs((long)v).ToString(System.Globalization.CultureInfo.InvariantCulture).Sum(ch => ch - '0')).ToArray();
        ResultComparison.Exact<int>(expected, native, "sums vs decimal digits");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.CountPrimes))]
    public void CountPrimes_matches_a_sieve()
    {
        const int N = 70, Largest = 400;
        var limits = new SeededInputs(205).Ints(N, 0, Largest);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gl = device.Upload<int>(limits);
            using var counts = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.CountPrimes(stream, gl, counts, N);
            stream.Synchronize();
            return counts.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "counts");
        var composite = new bool[Largest];
        for (var p = 2; p * p < Largest; p++)
            if (!composite[p]) for (var q = p * p; q < Largest; q += p) composite[q] = true;
        var expected = limits.Select(l => Enumerable.Range(2, Math.Max(0, l - 2)).Count(n => !composite[n])).ToArray();
        ResultComparison.Exact<int>(expected, native, "counts vs sieve");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.ReverseCopy))]
    public void ReverseCopy_reverses_each_row()
    {
        const int Rows = 45, RowLength = 7;
        var x = new SeededInputs(206).Floats(Rows * RowLength);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(Rows * RowLength);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.ReverseCopy(stream, gx, y, RowLength, Rows); // 64 threads: rows 45..63 are guarded
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "y"); // copies only
        var expected = x.Chunk(RowLength).SelectMany(row => row.Reverse()).ToArray();
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "y vs reversed rows");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.CompoundAssignments))]
    public void CompoundAssignments_update_ints_and_floats_in_place()
    {
        const int N = 99;
        var inputs = new SeededInputs(207);
        var ints = inputs.Ints(N, -1000, 1000); // negatives exercise truncating /= and sign-keeping %=
        var floats = inputs.Floats(N, -100f, 100f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<int>(ints);
            using var gf = device.Upload<float>(floats);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.CompoundAssignments(stream, gi, gf, N);
            stream.Synchronize();
            return (Ints: gi.ToArray(), Floats: gf.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Ints, native.Ints, "ints");
        // (f + 1) * 0.5 + k - 0.25: each operation is correctly rounded on both backends, and * 0.5 is exact,
        // so even a contracted fma gives the same bits.
        ResultComparison.Close(cpu.Floats, native.Floats, FloatTolerance.Exact, "floats");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.AssignToParameter))]
    public void AssignToParameter_changes_only_the_invocation_copy()
    {
        const int N = 77, Offset = -5;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var output = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.AssignToParameter(stream, output, Offset, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "output");
        ResultComparison.Exact<int>(Enumerable.Range(Offset, N).ToArray(), native, "output vs offset + i");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.FirstAboveThreshold))]
    public void FirstAboveThreshold_finds_the_first_column_or_minus_one()
    {
        const int Rows = 50, RowLength = 9;
        const float Threshold = 0.85f;
        var rows = new SeededInputs(208).Floats(Rows * RowLength, 0f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gr = device.Upload<float>(rows);
            using var first = device.Allocate<int>(Rows);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.FirstAboveThreshold(stream, gr, first, RowLength, Threshold, Rows);
            stream.Synchronize();
            return first.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "firstIndex");
        var expected = rows.Chunk(RowLength).Select(row => Array.FindIndex(row, v => v > Threshold)).ToArray();
        ResultComparison.Exact<int>(expected, native, "firstIndex vs Array.FindIndex");
        Assert.Contains(-1, native);
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.Constants))]
    public void Constants_are_emitted_with_their_exact_values()
    {
        const int Count = 10;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ints = device.Allocate<int>(Count * 3);
            using var floats = device.Allocate<float>(Count);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.Constants(stream, ints, floats, Count);
            stream.Synchronize();
            return (Ints: ints.ToArray(), Floats: floats.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Ints, native.Ints, "ints");
        ResultComparison.Close(cpu.Floats, native.Floats, FloatTolerance.Exact, "floats");
        ResultComparison.Exact<int>(Enumerable.Repeat(new[] { int.MaxValue, int.MinValue, 48 }, Count).SelectMany(x => x).ToArray(), native.Ints, "ints vs constants");
        ResultComparison.Close(Enumerable.Repeat(0.5f * 1.5e10f + 1e-7f, Count).ToArray(), native.Floats, FloatTolerance.Exact, "floats vs constants");
    }

    [Fact]
    [CorpusCase(typeof(ControlFlow), nameof(ControlFlow.GotoCase))]
    public void GotoCase_runs_the_target_section_in_place_as_csharp_does()
    {
        const int Count = 256;
        int[] edge = [-5, -1, 0, 1, 2, 3, 4, 5, 6, 7, 50, 51, 90, 91, 95, 100];
        var x = edge.Concat(new SeededInputs(7101).Ints(Count - edge.Length, -20, 120)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Allocate<int>(Count);
            using var stream = device.CreateStream();
            ControlFlow.Gpu.GotoCase(stream, gx, y, Count);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        // The reference, each jump written out.
        var expected = x.Select(xi =>
        {
            int total = 0;
            for (int k = 0; k < 4; k++)
            {
                int v = (xi + k) % 7;
                bool skip = false;
                if (v == 0) { total += 1 + 100 + 1000; skip = xi > 50; }
                else if (v == 1) { total += 10; if (k == 1) total += 10000; }
                else if (v == 2) { total += 100 + 1000; skip = xi > 50; }
                else if (v == 3) { total += 1000; skip = xi > 50; }
                else total += 10000;
                if (!skip)
                    total *= 2;
            }
            if (xi < 0) total = -total + 3;
            else if (xi == 5) total += 3;
            else total += 7;
            return total;
        }).ToArray();
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }
}
