using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Constructors.cs (primary and chained constructors, field initializers, with) on Dawn and on the CPU backend.</summary>
public class ConstructorsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 150;

    [Fact]
    [CorpusCase(typeof(Constructors), nameof(Constructors.Build))]
    public void Build_runs_field_initializers_chained_and_primary_constructors_and_with_copies()
    {
        var points = new SeededInputs(8001).Vector2s(N + 1);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gp = device.Upload<Vector2>(points);
            using var samples = device.Allocate<Sample>(N);
            using var lengths = device.Allocate<float>(N);
            using var counter = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Constructors.Gpu.Build(stream, gp, samples, lengths, counter, N);
            stream.Synchronize();
            return (samples.ToArray(), lengths.ToArray(), counter.ToArray());
        });
        Assert.Equal(cpu.Item1.Select(s => (s.Value, s.Weight, s.Tag)), native.Item1.Select(s => (s.Value, s.Weight, s.Tag)));
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(2, 1e-6f), "lengths");
        ResultComparison.Exact<int>(cpu.Item3, native.Item3, "counter");
        for (int i = 0; i < N; i++)
        {
            // a = Sample(x): (x, 1, Tag (7 + 1) * 10); b = (y, 0.5, 8); c = (x + 6, 4, 8); e = (1, 1, 88).
            Assert.Equal((1f, 1f, 88), (native.Item1[i].Value, native.Item1[i].Weight, native.Item1[i].Tag));
            Assert.Equal(1, native.Item3[i]);
            float length = Vector2.Distance(points[i], points[i + 1]);
            Assert.Equal(length + 0.5f + 1f + 88f, native.Item2[i], 4);
        }
    }
}
