using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Forms.cs (syntactic forms) on Dawn and on the CPU backend.</summary>
public class FormsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 123;

    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.Squares))]
    public void Squares_expression_bodied_kernel_writes_through_a_void_helper()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Forms.Gpu.Squares(stream, y, N + 40); // extra threads: the helper's guard returns
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        ResultComparison.Exact<int>(Enumerable.Range(0, N).Select(i => i * i).ToArray(), native, "y vs i*i");
    }

    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.ApplyAffine))]
    public void ApplyAffine_reads_a_struct_inside_the_uniform_struct_and_vector_components_by_index()
    {
        var input = new SeededInputs(1201).Vector4s(N);
        var parameters = new AffineParameters
        {
            Transform = new Affine { Scale = new Vector4(0.5f, -2f, 1.5f, 3f), Offset = new Vector4(1f, 0.25f, -1f, 2f) },
            Count = N - 3, // the last three stay zero
        };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<Vector4>(input);
            using var output = device.Allocate<Vector4>(N);
            using var weighted = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Forms.Gpu.ApplyAffine(stream, gi, output, weighted, parameters, N);
            stream.Synchronize();
            return (output.ToArray(), weighted.ToArray());
        });
        // v * scale + offset may be contracted to one fma on the GPU: 1 ulp, or 1e-6 near zero.
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(1, 1e-6f), "output");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(4, 1e-5f), "weighted");
        var expected = input.Select((v, i) => i < parameters.Count ? v * parameters.Transform.Scale + parameters.Transform.Offset : Vector4.Zero).ToArray();
        ResultComparison.Close(expected, native.Item1, new FloatTolerance(1, 1e-6f), "output vs scale and offset");
        var expectedWeighted = expected.Select((v, i) => i < parameters.Count ? v.Y + 2 * v.Z + 3 * v.W : 0f).ToArray();
        ResultComparison.Close(expectedWeighted, native.Item2, new FloatTolerance(4, 1e-5f), "weighted vs y + 2z + 3w");
    }

    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.ContinueForms))]
    public void ContinueForms_continue_in_do_while_retests_the_condition_and_in_switch_continues_the_loop()
    {
        var x = new SeededInputs(1202).Ints(N, -40, 40);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var oddSum = device.Allocate<int>(N);
            using var tally = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Forms.Gpu.ContinueForms(stream, gx, oddSum, tally, N);
            stream.Synchronize();
            return (oddSum.ToArray(), tally.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "oddSum");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "tally");
        // n = |x| % 20; the do/while visits n-1 down to 0 (at least once) and adds the odd ones.
        var expectedOdd = x.Select(v => { int n = Math.Abs(v) % 20, s = 0; do { n--; if (n % 2 != 0) s += n; } while (n > 0); return s; }).ToArray();
        ResultComparison.Exact<int>(expectedOdd, native.Item1, "oddSum vs reference");
        var expectedTally = x.Select(v =>
        {
            int count = 0;
            for (int k = 0; k < 8; k++)
            {
                int c = (k + v) & 3;
                if (c == 0)
                    continue;
                count = (c == 1 ? count + 10 : count + 1) * 2;
            }
            return count;
        }).ToArray();
        ResultComparison.Exact<int>(expectedTally, native.Item2, "tally vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Forms), nameof(Forms.IntegerMath))]
    public void IntegerMath_abs_min_max_clamp_sign_and_negations_match_csharp()
    {
        var seeded = new SeededInputs(1203);
        var a = seeded.Ints(N, -1000, 1000);
        var b = seeded.AnyUInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<int>(a);
            using var gb = device.Upload<uint>(b);
            using var output = device.Allocate<int>(4 * N);
            using var stream = device.CreateStream();
            Forms.Gpu.IntegerMath(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "output");
        var expected = a.Zip(b).SelectMany(p =>
        {
            var (v, u) = p;
            return new[]
            {
                Math.Abs(v) + Math.Min(v, 7) + Math.Max(v, -7),
                unchecked((int)(Math.Clamp(u, 10u, 500u) + Math.Max(u, 3u) - Math.Min(u, 100u))),
                v > 10 ? 1 : v < -10 ? -1 : Math.Sign(v) * 2,
                v + v + v,
            };
        }).ToArray();
        ResultComparison.Exact<int>(expected, native, "output vs C#");
    }
}
