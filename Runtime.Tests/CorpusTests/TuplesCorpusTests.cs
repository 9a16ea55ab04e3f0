using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Tuples.cs (tuple swap, deconstruction, ref locals) on Dawn and on the CPU backend.</summary>
public class TuplesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 200;

    [Fact]
    [CorpusCase(typeof(Tuples), nameof(Tuples.SortFour))]
    public void SortFour_swaps_locals_and_buffer_elements_as_csharp_does()
    {
        var data = new SeededInputs(7001).Floats(N * 4);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gd = device.Upload<float>(data);
            using var swaps = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Tuples.Gpu.SortFour(stream, gd, swaps, N);
            stream.Synchronize();
            return (gd.ToArray(), swaps.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "data");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "swaps");
        var expected = data.Chunk(4).SelectMany(q => q.Order()).ToArray();
        ResultComparison.Close(expected, native.Item1, FloatTolerance.Exact, "data vs sorted");
        Assert.Contains(native.Item2, s => s > 0);
    }

    [Fact]
    [CorpusCase(typeof(Tuples), nameof(Tuples.Sequences))]
    public void Sequences_deconstruct_with_every_right_side_evaluated_first()
    {
        var n = new SeededInputs(7002).Ints(N, 0, 100);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gn = device.Upload<int>(n);
            using var fib = device.Allocate<int>(N);
            using var mixed = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Tuples.Gpu.Sequences(stream, gn, fib, mixed, N);
            stream.Synchronize();
            return (fib.ToArray(), mixed.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "fib");
        ResultComparison.Close(cpu.Item2, native.Item2, FloatTolerance.Exact, "mixed");
        var expectedFib = n.Select(v =>
        {
            int a = 0, b = 1;
            for (int k = 0; k < v % 30; k++) { int t = a + b; a = b; b = t; }
            int steps = 0;
            for (int lo = 0, hi = v; lo < hi; lo++, hi -= 2) steps++;
            return a + steps * 1000;
        }).ToArray();
        ResultComparison.Exact<int>(expectedFib, native.Item1, "fib vs reference");
        var expectedMixed = n.Select(v => ((float)(v / 3) + v * 0.5f) * 2f).ToArray();
        ResultComparison.Close(expectedMixed, native.Item2, FloatTolerance.Exact, "mixed vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Tuples), nameof(Tuples.References))]
    public void References_write_through_pointers_with_each_index_evaluated_once()
    {
        var seeds = new SeededInputs(7003);
        var x = seeds.Floats(N);
        var positions = seeds.Vector2s(N);
        var motes = Enumerable.Range(0, N).Select(i => new Mote { Position = positions[i], Mass = i * 0.25f, Kind = i % 5 }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var gm = device.Upload<Mote>(motes);
            using var calls = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Tuples.Gpu.References(stream, gx, y, gm, calls, N);
            stream.Synchronize();
            return (y.ToArray(), gm.ToArray(), calls.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(1, 0f), "y");
        Assert.Equal(cpu.Item2, native.Item2);
        ResultComparison.Exact<int>(cpu.Item3, native.Item3, "calls");
        // Next() runs once per invocation: 1, then += 10 and ++ through the pointer.
        Assert.All(native.Item3, c => Assert.Equal(12, c));
        float Acc(int i)
        {
            int j = (i % 64 + 1) % 64 + i / 64 * 64; // the neighbour's tile slot, zero past the end
            return (x[i] + (j < N ? 2f * x[j] : 0f)) * 2f;
        }
        var expectedY = x.Select((v, i) => Acc(i) + (motes[i].Mass + v) * 3f - (motes[i].Kind + 1)).ToArray();
        ResultComparison.Close(expectedY, native.Item1, new FloatTolerance(2, 1e-5f), "y vs reference");
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(motes[i].Mass + x[i], native.Item2[i].Mass);
            Assert.Equal(motes[i].Kind + 1, native.Item2[i].Kind);
            Assert.Equal(Acc(i), native.Item2[i].Position.X, 5);
            Assert.Equal(motes[i].Position.Y, native.Item2[i].Position.Y);
        }
    }
}
