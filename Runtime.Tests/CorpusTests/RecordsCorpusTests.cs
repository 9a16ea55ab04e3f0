using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Records.cs (record structs: construction, with, deconstruction, member-wise ==) on Dawn and on the CPU backend.</summary>
public class RecordsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Records), nameof(Records.CompareSamples))]
    public void CompareSamples_compares_members_as_CSharps_record_equality_does_NaN_equal_to_NaN_and_zero_to_minus_zero()
    {
        const int N = 64;
        var inputs = new SeededInputs(7401);
        var where = inputs.Vector2s(N);
        var values = inputs.Floats(N);
        var tags = inputs.Ints(N, 0, 4);
        var a = new Reading[N];
        var b = new Reading[N];
        for (int i = 0; i < N; i++)
        {
            a[i] = new Reading(where[i], values[i]) { Tag = tags[i] };
            b[i] = (i % 8) switch
            {
                0 => a[i],
                1 => a[i] with { Tag = a[i].Tag + 1 },
                2 => (a[i] = a[i] with { Value = float.NaN }) with { },
                3 => (a[i] = a[i] with { Value = 0f }) with { Value = -0f },
                4 => a[i] with { Value = float.NaN },
                5 => (a[i] = a[i] with { Where = new Vector2(where[i].X, float.NaN) }) with { Where = new Vector2(where[i].X, -float.NaN) },
                6 => a[i] with { Where = where[i] + Vector2.One },
                _ => (a[i] = a[i] with { Where = new Vector2(-0f, 0f) }) with { Where = new Vector2(0f, -0f) },
            };
        }
        var probe = a[0];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<Reading>(a);
            using var gb = device.Upload<Reading>(b);
            using var flags = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Records.Gpu.CompareSamples(stream, ga, gb, flags, probe, N);
            stream.Synchronize();
            return flags.ToArray();
        });
        Assert.Equal(cpu, native);
        for (int i = 0; i < N; i++)
        {
            var x = a[i];
            int expected = (x == b[i] ? 1 : 0) | (x != probe ? 2 : 0) | (x.Equals(b[i]) ? 4 : 0)
                | (x with { Tag = 0 } == b[i] with { Tag = 0 } ? 8 : 0) | 16;
            Assert.Equal(expected, native[i]);
        }
        // The cases C#'s float.Equals decides: NaN == NaN and 0 == -0 are equal, NaN and a number are not.
        Assert.Equal(13, native[2] & 13);
        Assert.Equal(13, native[3] & 13);
        Assert.Equal(0, native[4] & 13);
        Assert.Equal(13, native[5] & 13);
        Assert.Equal(13, native[7] & 13);
        Assert.Equal(8, native[1] & 13);
    }

    [Fact]
    [CorpusCase(typeof(Records), nameof(Records.MoveCells))]
    public void MoveCells_deconstructs_constructs_and_copies_readonly_record_structs()
    {
        const int N = 50;
        const int Width = 7;
        var inputs = new SeededInputs(7402);
        var rows = inputs.Ints(N, -20, 20);
        var columns = inputs.Ints(N, -20, 20);
        var cells = Enumerable.Range(0, N).Select(i => new Cell(rows[i], columns[i])).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gc = device.Upload<Cell>(cells);
            using var moved = device.Allocate<Cell>(N);
            using var indices = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Records.Gpu.MoveCells(stream, gc, moved, indices, Width, N);
            stream.Synchronize();
            return (Moved: moved.ToArray(), Indices: indices.ToArray());
        });
        Assert.Equal(cpu.Moved, native.Moved);
        Assert.Equal(cpu.Indices, native.Indices);
        for (int i = 0; i < N; i++)
        {
            var (row, column) = cells[i];
            var c = new Cell(row + 1, column - 1);
            var m = new Cell(c.Row, c.Column + Width % 3);
            Assert.Equal(m, native.Moved[i]);
            // c differs from cells[i] (its Row is one more) and moved[i] from c (its Column is Width % 3 = 1 more).
            Assert.Equal(c.Row * Width + c.Column + m.Row + 10000, native.Indices[i]);
        }
    }

    [Fact]
    [CorpusCase(typeof(Records), nameof(Records.TintPixels))]
    public void TintPixels_updates_record_structs_held_in_CSharps_bytes_and_leaves_the_neighbours_alone()
    {
        const int N = 45; // 135 bytes: elements straddle 32-bit words
        var bytes = new SeededInputs(7403).Ints(3 * N, 0, 256);
        var pixels = Enumerable.Range(0, N).Select(i => new Rgb8((byte)bytes[3 * i], (byte)bytes[3 * i + 1], (byte)bytes[3 * i + 2])).ToArray();
        pixels[4] = new Rgb8(0, 250, 0); // G wraps to 1, then equals: B set
        pixels[9] = new Rgb8(0, 3, 0);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Rgb8>(pixels);
            using var stream = device.CreateStream();
            Records.Gpu.TintPixels(stream, p, N - 1, N - 1); // the last pixel is left alone
            stream.Synchronize();
            return p.ToArray();
        });
        Assert.Equal(cpu, native);
        for (int i = 0; i < N; i++)
        {
            var (r, g, b) = pixels[i];
            var expected = i == N - 1 ? pixels[i] : new Rgb8(b, (byte)(g + 7), r);
            if (i < N - 1 && expected == new Rgb8(0, (byte)(g + 7), 0))
                expected = expected with { B = 255 };
            Assert.Equal(expected, native[i]);
        }
        Assert.Equal(new Rgb8(0, 1, 255), native[4]);
        Assert.Equal(new Rgb8(0, 10, 255), native[9]);
    }
}
