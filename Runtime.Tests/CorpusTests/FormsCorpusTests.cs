using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Forms.cs (syntactic forms, nested struct uniforms, integer Math) on Dawn and on the CPU backend.</summary>
public class FormsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.Squares))]
    public void Squares_through_an_expression_body_and_a_void_helper()
    {
        const int N = 77;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Forms.Gpu.Squares(stream, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        ResultComparison.Exact<int>(Enumerable.Range(0, N).Select(i => i * i).ToArray(), native, "y vs i * i");
    }

    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.ApplyAffine))]
    public void ApplyAffine_reads_a_struct_nested_in_the_uniform_block()
    {
        const int Buffer = 60, Count = 55; // parameters.Count bounds the work
        var inputs = new SeededInputs(1201);
        var input = inputs.Vector4s(Buffer);
        var parameters = new AffineParameters
        {
            Transform = new Affine { Scale = new Vector4(0.5f, -2f, 1.25f, 3f), Offset = new Vector4(1f, 0.25f, -0.75f, -1.5f) },
            Count = Count,
        };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<Vector4>(input);
            using var output = device.Allocate<Vector4>(Buffer);
            using var weighted = device.Allocate<float>(Buffer);
            using var stream = device.CreateStream();
            Forms.Gpu.ApplyAffine(stream, gi, output, weighted, parameters, Buffer);
            stream.Synchronize();
            return (Output: output.ToArray(), Weighted: weighted.ToArray());
        });
        // input * scale + offset may be one fma on the GPU: within an ulp of the result plus half an ulp of
        // the product (|product| < 12: 5e-7).
        var affine = new FloatTolerance(1, 5e-7f);
        ResultComparison.Close(cpu.Output, native.Output, affine, "output");
        // sum of v[k] * k: the components' differences (above) times k (sum of k: 6), plus the sum's
        // rounding bound, 6 * 2^-24 * sum|v[k] * k| with sum|v[k] * k| < 6 * 13: 3e-6 + 2.8e-5.
        var weightedTolerance = new FloatTolerance(2, 3.1e-5f);
        ResultComparison.Close(cpu.Weighted, native.Weighted, weightedTolerance, "weighted");
        var expected = input.Take(Count).Select(v => v * parameters.Transform.Scale + parameters.Transform.Offset).ToArray();
        ResultComparison.Close(expected, native.Output.AsSpan(0, Count), affine, "output vs System.Numerics");
        ResultComparison.Close(expected.Select(v => (float)((double)v.Y + 2.0 * v.Z + 3.0 * v.W)).ToArray(), native.Weighted.AsSpan(0, Count), weightedTolerance, "weighted vs double reference");
        Assert.All(native.Output.Skip(Count), v => Assert.Equal(Vector4.Zero, v)); // beyond Count nothing is written
    }

    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.ContinueForms))]
    public void ContinueForms_continue_in_do_while_and_in_a_switch()
    {
        const int N = 95;
        var x = new SeededInputs(1202).Ints(N, -1000, 1000);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var oddSum = device.Allocate<int>(N);
            using var tally = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Forms.Gpu.ContinueForms(stream, gx, oddSum, tally, N);
            stream.Synchronize();
            return (OddSum: oddSum.ToArray(), Tally: tally.ToArray());
        });
        ResultComparison.Exact<int>(cpu.OddSum, native.OddSum, "oddSum");
        ResultComparison.Exact<int>(cpu.Tally, native.Tally, "tally");
        // The do/while sums the odd numbers below n = |x| % 20 (and -1 when n is 0: the body runs once).
        var expected = x.Select(v =>
        {
            var n = Math.Abs(v) % 20;
            return n == 0 ? -1 : Enumerable.Range(0, n).Where(k => k % 2 == 1).Sum();
        }).ToArray();
        ResultComparison.Exact<int>(expected, native.OddSum, "oddSum vs odd numbers below n");
    }

    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.IntegerMath))]
    public void IntegerMath_matches_System_Math_on_int_and_uint()
    {
        const int N = 130;
        var inputs = new SeededInputs(1203);
        var a = inputs.AnyInts(N);
        var b = inputs.AnyUInts(N);
        int[] edges = [0, 1, -1, 7, -7, 10, 11, -10, -11, int.MaxValue];
        edges.CopyTo(a, 0);
        b[0] = 0; b[1] = 3; b[2] = 100; b[3] = 500; b[4] = uint.MaxValue;
        // Math.Abs(int.MinValue) throws OverflowException in C# (WGSL's abs wraps): not a kernel input here.
        for (var i = 0; i < N; i++) if (a[i] == int.MinValue) a[i] = 5;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<int>(a);
            using var gb = device.Upload<uint>(b);
            using var output = device.Allocate<int>(N * 4);
            using var stream = device.CreateStream();
            Forms.Gpu.IntegerMath(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "output");
        var expected = a.Zip(b, (v, u) => new[]
        {
            unchecked(Math.Abs(v) + Math.Min(v, 7) + Math.Max(v, -7)),
            unchecked((int)(Math.Clamp(u, 10u, 500u) + Math.Max(u, 3u) - Math.Min(u, 100u))),
            v > 10 ? 1 : v < -10 ? -1 : Math.Sign(v) * 2,
            unchecked(v + v + v),
        }).SelectMany(x => x).ToArray();
        ResultComparison.Exact<int>(expected, native, "output vs System.Math");
    }
}
