using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/TupleValues.cs (tuple values as generated WGSL structs) on Dawn and on the CPU backend, against C# references.</summary>
public class TupleValuesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 200;

    [Fact]
    [CorpusCase(typeof(TupleValues), nameof(TupleValues.RowStats))]
    public void RowStats_returns_deconstructs_and_compares_tuples()
    {
        const int Rows = 100, Columns = 8;
        var x = new SeededInputs(7101).Floats(Rows * Columns);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var stats = device.Allocate<float>(Rows * 4);
            using var flags = device.Allocate<int>(Rows);
            using var stream = device.CreateStream();
            TupleValues.Gpu.RowStats(stream, gx, stats, flags, Columns, Rows);
            stream.Synchronize();
            return (stats.ToArray(), flags.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "stats");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "flags");
        var expectedStats = new float[Rows * 4];
        var expectedFlags = new int[Rows];
        for (int row = 0; row < Rows; row++)
        {
            var values = x.Skip(row * Columns).Take(Columns).ToArray();
            float lo = values.Min(), hi = values.Max();
            float rMin = values.Take(Columns / 2).Min(), rMax = values.Take(Columns / 2).Max();
            int bestIndex = -1;
            float bestValue = float.MinValue;
            for (int c = 0; c < Columns; c++)
            {
                if (values[c] > bestValue)
                    (bestIndex, bestValue) = (c, values[c]);
            }
            expectedStats[row * 4] = lo;
            expectedStats[row * 4 + 1] = hi - lo;
            expectedStats[row * 4 + 2] = rMax - rMin + bestValue;
            expectedStats[row * 4 + 3] = bestIndex;
            expectedFlags[row] = 1 | (rMin != lo || rMax != hi ? 2 : 0) | (bestIndex == 0 ? 4 : 0);
        }
        ResultComparison.Close(expectedStats, native.Item1, FloatTolerance.Exact, "stats vs reference");
        ResultComparison.Exact<int>(expectedFlags, native.Item2, "flags vs reference");
        Assert.Contains(native.Item2, f => (f & 2) != 0);
        Assert.Contains(native.Item2, f => (f & 2) == 0);
    }

    [Fact]
    [CorpusCase(typeof(TupleValues), nameof(TupleValues.Ordered))]
    public void Ordered_evaluates_tuple_elements_left_to_right_once()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var calls = device.Allocate<int>(N);
            using var y = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            TupleValues.Gpu.Ordered(stream, calls, y, N);
            stream.Synchronize();
            return (calls.ToArray(), y.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "calls");
        ResultComparison.Close(cpu.Item2, native.Item2, FloatTolerance.Exact, "y");
        // Next(1), Next(2), Next(3), then both operands of == (5, 6, 7): each once, in C#'s order.
        Assert.All(native.Item1, c => Assert.Equal(123567, c));
        // t = (1, 20), q = (3, 4), nested = ((1, 20), 4), (5, 6) == (5, 6): 1 + 20 + 12 + 1 + 4 + 20 + 1000.
        Assert.All(native.Item2, v => Assert.Equal(1058f, v));
    }

    [Fact]
    [CorpusCase(typeof(TupleValues), nameof(TupleValues.Composite))]
    public void Composite_keeps_tuples_of_vectors_structs_and_arrays_of_tuples()
    {
        const int P = 37;
        var points = new SeededInputs(7103).Vector2s(P);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gp = device.Upload<Vector2>(points);
            using var y = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            TupleValues.Gpu.Composite(stream, gp, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        var expected = new Vector4[N];
        for (int i = 0; i < N; i++)
        {
            var sum = Vector2.Zero;
            float lo = float.MaxValue, hi = float.MinValue, longest = 0f;
            int at = 0;
            for (int k = 0; k < 4; k++)
            {
                var p = points[(i + k * 7) % P];
                sum += p;
                (lo, hi) = (MathF.Min(lo, p.X), MathF.Max(hi, p.Y));
                if (k == 0 || p.Length() > longest)
                    (at, longest) = ((i + k * 7) % P, p.Length());
            }
            expected[i] = new Vector4(sum, hi - lo, at + 4000);
        }
        ResultComparison.Close(Flatten(cpu), Flatten(native), new FloatTolerance(2, 1e-6f), "y");
        ResultComparison.Close(Flatten(expected), Flatten(native), new FloatTolerance(2, 1e-6f), "y vs reference");
    }

    [Fact]
    [CorpusCase(typeof(TupleValues), nameof(TupleValues.GroupArgMin))]
    public void GroupArgMin_reduces_group_shared_tuples_across_barriers()
    {
        int groups = (N + 63) / 64;
        var x = new SeededInputs(7104).Floats(N);
        x[130] = x[131] = -10f; // a tie: the lower index wins
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var where = device.Allocate<int>(groups);
            using var stream = device.CreateStream();
            TupleValues.Gpu.GroupArgMin(stream, gx, where, N);
            stream.Synchronize();
            return where.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "where");
        var expected = Enumerable.Range(0, groups).Select(g =>
        {
            int best = g * 64;
            for (int i = g * 64; i < Math.Min(N, g * 64 + 64); i++)
            {
                if (x[i] < x[best])
                    best = i;
            }
            return best;
        }).ToArray();
        ResultComparison.Exact<int>(expected, native, "where vs reference");
        Assert.Equal(130, native[2]);
    }

    [Fact]
    [CorpusCase(typeof(TupleValues), nameof(TupleValues.SortPairs) + "<float>")]
    [CorpusCase(typeof(TupleValues), nameof(TupleValues.SortPairs) + "<int>")]
    public void SortPairs_returns_tuples_from_a_generic_helper()
    {
        var floats = new SeededInputs(7105).Floats(N);
        var ints = new SeededInputs(7106).Ints(N, -50, 50);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gf = device.Upload<float>(floats);
            using var gi = device.Upload<int>(ints);
            using var stream = device.CreateStream();
            TupleValues.Gpu.SortPairs(stream, gf, N / 2);
            TupleValues.Gpu.SortPairs(stream, gi, N / 2);
            stream.Synchronize();
            return (gf.ToArray(), gi.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "floats");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "ints");
        ResultComparison.Close(floats.Chunk(2).SelectMany(p => p.Order()).ToArray(), native.Item1, FloatTolerance.Exact, "floats vs sorted");
        ResultComparison.Exact<int>(ints.Chunk(2).SelectMany(p => p.Order()).ToArray(), native.Item2, "ints vs sorted");
    }

    [Fact]
    [CorpusCase(typeof(TupleValues), nameof(TupleValues.Narrow))]
    public void Narrow_keeps_byte_elements_in_range_and_copies_with_with()
    {
        var x = new SeededInputs(7107).AnyInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            TupleValues.Gpu.Narrow(stream, gx, y, N);
            stream.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "y");
        var expected = x.Select(v =>
        {
            byte low = unchecked((byte)(byte)v);
            low = unchecked((byte)(low + 200));
            int rest = (v >> 8) + 1;
            byte shifted = unchecked((byte)(low + 100));
            return shifted + low * 1000 + rest * 1000000 + 1;
        }).ToArray();
        ResultComparison.Exact<int>(expected, native, "y vs reference");
    }

    private static float[] Flatten(Vector4[] v) => v.SelectMany(e => new[] { e.X, e.Y, e.Z, e.W }).ToArray();
}
