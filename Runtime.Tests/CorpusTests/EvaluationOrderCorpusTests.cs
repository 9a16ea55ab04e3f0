using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/EvaluationOrder.cs on Dawn and on the CPU backend: operands with side effects (a helper that bumps
/// a per-invocation counter and returns it) in every intrinsic family and compound form. The values pin
/// C#'s rules independently of the backends: each operand exactly once, left to right, lazily where C# is.
/// </summary>
public class EvaluationOrderCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 70;

    [Fact]
    [CorpusCase(typeof(EvaluationOrder), nameof(EvaluationOrder.IntrinsicArguments))]
    public void IntrinsicArguments_are_evaluated_once_each_in_order()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counts = device.Upload<int>(new int[N]);
            using var y = device.Allocate<float>(8 * N);
            using var bits = device.Allocate<int>(2 * N);
            using var stream = device.CreateStream();
            EvaluationOrder.Gpu.IntrinsicArguments(stream, counts, y, bits, N, Grid.Threads(N));
            stream.Synchronize();
            return (Counts: counts.ToArray(), Y: y.ToArray(), Bits: bits.ToArray());
        });
        var expectedY = new float[8 * N];
        var expectedBits = new int[2 * N];
        for (int i = 0; i < N; i++)
        {
            expectedY[8 * i] = 4f;            // |(1,1,1,1) - 0|^2 with V called once (twice: 1*2*4 = 8)
            expectedY[8 * i + 1] = 16f;       // (2,2,2,2) . itself
            expectedY[8 * i + 2] = 40f;       // Max(3, 10 * 4)
            expectedY[8 * i + 3] = 130f;      // (5, 1) . (6, 100)
            expectedY[8 * i + 4] = 8f;        // Sign(7 - 6.5) * 8
            expectedY[8 * i + 5] = 10f;       // IsNaN(9) ? -1 : 10
            expectedBits[2 * i] = 312;        // PopCount(11) * 100 + 12
            expectedBits[2 * i + 1] = BitConverter.SingleToInt32Bits(13f) - BitConverter.SingleToInt32Bits(14f);
        }
        ResultComparison.Exact<int>(Enumerable.Repeat(14, N).ToArray(), cpu.Counts, "calls (CPU)");
        ResultComparison.Exact<int>(Enumerable.Repeat(14, N).ToArray(), native.Counts, "calls (Dawn)");
        ResultComparison.Close(expectedY, cpu.Y, FloatTolerance.Exact, "y (CPU)");
        ResultComparison.Close(expectedY, native.Y, FloatTolerance.Exact, "y (Dawn)");
        ResultComparison.Exact<int>(expectedBits, cpu.Bits, "bits (CPU)");
        ResultComparison.Exact<int>(expectedBits, native.Bits, "bits (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(EvaluationOrder), nameof(EvaluationOrder.CompoundForms))]
    public void CompoundForms_evaluate_the_target_first_and_each_part_once()
    {
        var start = Enumerable.Range(0, 2 * N).Select(k => new Vector4(k + 1, 0f, 0f, 0f)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counts = device.Upload<int>(new int[N]);
            using var y = device.Upload<int>(new int[8 * N]);
            using var v = device.Upload<Vector4>(start);
            using var stream = device.CreateStream();
            EvaluationOrder.Gpu.CompoundForms(stream, counts, y, v, N, Grid.Threads(N));
            stream.Synchronize();
            return (Counts: counts.ToArray(), Y: y.ToArray(), V: v.ToArray());
        });
        var expectedY = new int[8 * N];
        var expectedV = (Vector4[])start.Clone();
        for (int i = 0; i < N; i++)
        {
            expectedY[8 * i] = 20;     // index with the 1st call, value 10 * the 2nd
            expectedY[8 * i + 3] = 1;  // ++ at the index of the 3rd call
            expectedY[8 * i + 4] = 3;  // 5, += Bump (read 5 before it doubles the element) = 6, >>>= (5 - 4)
            expectedV[2 * i].Y = 7f;   // index with the 6th call, += the 7th
            expectedV[2 * i + 1].Z = -(2 * i + 2) * 8f;
        }
        ResultComparison.Exact<int>(Enumerable.Repeat(8, N).ToArray(), cpu.Counts, "calls (CPU)");
        ResultComparison.Exact<int>(Enumerable.Repeat(8, N).ToArray(), native.Counts, "calls (Dawn)");
        ResultComparison.Exact<int>(expectedY, cpu.Y, "y (CPU)");
        ResultComparison.Exact<int>(expectedY, native.Y, "y (Dawn)");
        ResultComparison.Close(expectedV, cpu.V, FloatTolerance.Exact, "v (CPU)");
        ResultComparison.Close(expectedV, native.V, FloatTolerance.Exact, "v (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(EvaluationOrder), nameof(EvaluationOrder.ConditionalForms))]
    public void ConditionalForms_run_helpers_only_when_and_where_csharp_does()
    {
        var start = Enumerable.Repeat(1.5f, 6 * N).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Upload<float>(start);
            using var z = device.Upload<float>(new float[6 * N]);
            using var stream = device.CreateStream();
            EvaluationOrder.Gpu.ConditionalForms(stream, y, z, N, Grid.Threads(N));
            stream.Synchronize();
            return (Y: y.ToArray(), Z: z.ToArray());
        });
        var expectedY = (float[])start.Clone();
        var expectedZ = new float[6 * N];
        for (int i = 0; i < N; i++)
        {
            bool even = i % 2 == 0;
            if (even)
            {
                expectedY[6 * i] = 2.5f;
                expectedZ[6 * i] = 1f;
            }
            expectedY[6 * i + 1] = i % 3 == 0 ? 2.5f : 1.5f;
            expectedZ[6 * i + 1] = i % 3 == 0 ? 1f : 2f;
            expectedY[6 * i + 2] = even ? 4.5f : 2.5f;
            expectedZ[6 * i + 2] = even ? 2.5f + 10f * 4.5f : 2.5f;
            expectedY[6 * i + 3] = i > 1 ? 3.5f : 1.5f;
            expectedZ[6 * i + 3] = i > 1 ? 1.5f * 3.5f : 1.5f; // the element is read before the helper changes it
            expectedY[6 * i + 4] = i > 1 ? 1.5f + 3.5f : 2.5f; // += reads the target first
            expectedY[6 * i + 5] = 2.5f;
            expectedZ[6 * i + 5] = even ? 2.5f * 2.5f : 2.5f * 2f;
        }
        ResultComparison.Close(expectedY, cpu.Y, FloatTolerance.Exact, "y (CPU)");
        ResultComparison.Close(expectedY, native.Y, FloatTolerance.Exact, "y (Dawn)");
        ResultComparison.Close(expectedZ, cpu.Z, FloatTolerance.Exact, "z (CPU)");
        ResultComparison.Close(expectedZ, native.Z, FloatTolerance.Exact, "z (Dawn)");
    }

    [Fact]
    [CorpusCase(typeof(EvaluationOrder), nameof(EvaluationOrder.InitializerOrder))]
    public void InitializerOrder_follows_the_initialisers()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counts = device.Upload<int>(new int[N]);
            using var pairs = device.Allocate<EvaluationOrder.Pair>(N);
            using var stream = device.CreateStream();
            EvaluationOrder.Gpu.InitializerOrder(stream, counts, pairs, N, Grid.Threads(N));
            stream.Synchronize();
            return pairs.ToArray().Select(p => (p.A, p.B)).ToArray();
        });
        Assert.All(cpu, p => Assert.Equal((20, 1), p));
        Assert.All(native, p => Assert.Equal((20, 1), p));
    }
}
