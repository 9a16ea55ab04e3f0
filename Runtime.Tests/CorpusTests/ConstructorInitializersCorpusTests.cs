using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/ConstructorInitializers.cs (a constructor call with an object initializer) on Dawn and on the CPU backend.</summary>
public class ConstructorInitializersCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 70;

    [Fact]
    [CorpusCase(typeof(ConstructorInitializers), nameof(ConstructorInitializers.Assemble))]
    public void Assemble_runs_the_constructor_then_each_initializer_in_order_each_value_once()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counts = device.Upload<int>(new int[N]);
            using var tallies = device.Allocate<Tally>(2 * N);
            using var extents = device.Allocate<Extent2>(N);
            using var sums = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            ConstructorInitializers.Gpu.Assemble(stream, counts, tallies, extents, sums, N, Grid.Threads(N));
            stream.Synchronize();
            return (Counts: counts.ToArray(),
                Tallies: tallies.ToArray().Select(t => (t.A, t.B, t.Sum)).ToArray(),
                Extents: extents.ToArray().Select(e => (e.X, e.Y, e.Z)).ToArray(),
                Sums: sums.ToArray());
        });
        foreach (var result in new[] { cpu, native })
        {
            for (int i = 0; i < N; i++)
            {
                bool even = i % 2 == 0;
                // Tally(1, 10 * 2) { Clamped = 100 * 3 (Sum = min(300, 50) + A), A = 4 }
                Assert.Equal((4, 200, 51), result.Tallies[2 * i]);
                // Tally(i, 5) { B = 6, Clamped = 7 (Sum = 7 + A) }
                Assert.Equal((i, 6, 7 + i), result.Tallies[2 * i + 1]);
                // Extent2(8, 2 * 9) { Z = 3 * 10, X = 4 * 11 }, then Y += new Tally { Clamped = 15 or 13 (Sum = that + A, A = 0), B = 2 }.Sum
                Assert.Equal((44, 18 + (even ? 15 : 13), 30), result.Extents[i]);
                // even: Total(Tally(12, 1) { A = 13 }) = 13 + 10 + 13, then + 14; odd: -1 + 12
                Assert.Equal(even ? 50 : 11, result.Sums[i]);
                Assert.Equal(even ? 15 : 13, result.Counts[i]);
            }
        }
        Assert.Equal(cpu.Sums, native.Sums);
    }
}
