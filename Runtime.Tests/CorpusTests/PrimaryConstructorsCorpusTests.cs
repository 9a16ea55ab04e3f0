using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/PrimaryConstructors.cs (struct primary constructors, a constructor chaining to one) on Dawn and on the CPU backend.</summary>
public class PrimaryConstructorsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(PrimaryConstructors), nameof(PrimaryConstructors.BuildStrokes))]
    public void BuildStrokes_runs_the_field_initializers_with_the_primary_constructors_arguments()
    {
        const int N = 90;
        var rays = new SeededInputs(7201).Vector4s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gr = device.Upload<Vector4>(rays);
            using var strokes = device.Allocate<Stroke>(N);
            using var stream = device.CreateStream();
            PrimaryConstructors.Gpu.BuildStrokes(stream, gr, strokes, N);
            stream.Synchronize();
            return strokes.ToArray();
        });
        Assert.Equal(cpu, native);
        for (int i = 0; i < N; i++)
        {
            var r = rays[i];
            var expected = i % 3 == 0 ? new Stroke(r.X) : new Stroke(new Vector2(r.X, r.Y), new Vector2(r.Z, r.W), r.X - r.W);
            Assert.Equal(expected, native[i]);
            Assert.Equal(i % 3 == 0 ? -1 : 7, native[i].Tag);
        }
    }
}
