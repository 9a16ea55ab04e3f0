using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/SmallEnums.cs on Dawn and on the CPU backend: enums on byte, sbyte, ushort and short as uniforms,
/// specialisation constants, buffer elements and struct fields in C#'s bytes, with C#'s wrapping arithmetic,
/// against results computed here on the underlying integers.
/// </summary>
public class SmallEnumsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(SmallEnums), nameof(SmallEnums.Step))]
    public void Step_switches_turns_and_truncates_small_enums_in_structs()
    {
        const int N = 301;
        var inputs = new SeededInputs(7201);
        var raw = inputs.AnyInts(N);
        var x = inputs.Ints(N, -100000, 100000);
        x[0] = 10;   // (byte)(260) = 4, then ++: 5
        x[1] = 5;    // (byte)255 ++: wraps to 0
        x[2] = 33;   // (short)33000 = -32536
        var tiles = raw.Select((r, i) => new Tile
        {
            Kind = (i % 5) switch { 0 => PixelKind.Glass, 1 => PixelKind.Edge, _ => (PixelKind)(byte)r },
            Heading = (i % 7) switch { 0 => Direction.Jump, 1 => Direction.Back, 2 => (Direction)127, _ => (Direction)(sbyte)(r >> 8) },
            Layers = (Layers)(ushort)(r >> 16),
            Level = (Level)(short)(r * 7),
        }).ToArray();
        const PixelKind Wanted = PixelKind.Solid;
        const Layers Mask = (Layers)0xF1FF;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gt = device.Upload<Tile>(tiles);
            using var gx = device.Upload<int>(x);
            using var next = device.Allocate<Tile>(N);
            using var score = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            SmallEnums.Gpu.Step(stream, gt, gx, next, score, Wanted, Mask, N);
            stream.Synchronize();
            return (next.ToArray(), score.ToArray());
        });
        var expectedTiles = new Tile[N];
        var expectedScores = new int[N];
        for (int i = 0; i < N; i++)
        {
            var t = tiles[i];
            byte kind = (byte)t.Kind;
            int s = (kind switch { 0 => 0, 7 => 1, 200 => 2, 255 => 3, _ => kind + 10 }) + (kind == (byte)Wanted ? 1000 : 0);
            sbyte h = (sbyte)t.Heading;
            sbyte d = h switch { -1 => 1, 1 => -1, 100 => -100, _ => unchecked((sbyte)(h + 1)) };
            ushort l = (ushort)t.Layers;
            if ((l & 2) == 2)
                l |= 0x100;
            l &= (ushort)Mask;
            l ^= 0x8000;
            byte k = unchecked((byte)(x[i] + 250));
            k++;
            short lv = unchecked((short)(x[i] * 1000));
            if (lv > 0)
                s += 1;
            expectedTiles[i] = new Tile { Kind = (PixelKind)k, Heading = (Direction)unchecked((sbyte)(d * 3)), Layers = (Layers)l, Level = (Level)lv };
            expectedScores[i] = s + d * 10 + l + h;
        }
        Assert.Equal((PixelKind)5, expectedTiles[0].Kind);
        Assert.Equal((PixelKind)0, expectedTiles[1].Kind);
        Assert.Equal((Level)(-32536), expectedTiles[2].Level);
        foreach (var (name, (next, score)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(expectedScores, score, name + " scores");
            ResultComparison.Exact<byte>(expectedTiles.Select(t => (byte)t.Kind).ToArray(), next.Select(t => (byte)t.Kind).ToArray(), name + " kinds");
            ResultComparison.Exact<sbyte>(expectedTiles.Select(t => (sbyte)t.Heading).ToArray(), next.Select(t => (sbyte)t.Heading).ToArray(), name + " headings");
            ResultComparison.Exact<ushort>(expectedTiles.Select(t => (ushort)t.Layers).ToArray(), next.Select(t => (ushort)t.Layers).ToArray(), name + " layers");
            ResultComparison.Exact<short>(expectedTiles.Select(t => (short)t.Level).ToArray(), next.Select(t => (short)t.Level).ToArray(), name + " levels");
        }
    }

    [Theory]
    [InlineData(PixelKind.Glass, Direction.Forward, Level.Low)]
    [InlineData(PixelKind.Edge, Direction.Jump, Level.High)]
    [InlineData(PixelKind.Empty, Direction.Back, Level.Mid)]
    [CorpusCase(typeof(SmallEnums), nameof(SmallEnums.Specialized))]
    public void Specialized_takes_small_enums_as_override_constants(PixelKind kind, Direction direction, Level level)
    {
        const int N = 70;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            SmallEnums.Gpu.Specialized(stream, y, kind, direction, level, N);
            stream.Synchronize();
            return y.ToArray();
        });
        int v = 0;
        for (int d = -1; d <= (sbyte)direction && d < 100; d++)
            v += d + 2;
        var expected = Enumerable.Range(0, N).Select(i => v * 1000 + (kind == PixelKind.Glass ? 1 : 0) + (byte)kind * 10 + ((short)level < 0 ? -1 : 1) * i).ToArray();
        ResultComparison.Exact<int>(expected, native, "native");
        ResultComparison.Exact<int>(expected, cpu, "cpu");
    }

    [Fact]
    [CorpusCase(typeof(SmallEnums), nameof(SmallEnums.Elements))]
    public void Elements_keep_one_and_two_byte_enum_buffers_in_csharp_bytes()
    {
        const int N = 203; // not a multiple of 4: the last word is partly padding
        var input = new SeededInputs(7203).AnyInts(N).Select(r => (Direction)(sbyte)r).ToArray();
        input[0] = (Direction)(-128); // -(-128) wraps to -128
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<Direction>(input);
            using var flipped = device.Upload<Direction>(Enumerable.Repeat(Direction.Jump, N + 1).ToArray()); // one beyond: untouched
            using var layers = device.Allocate<Layers>(N);
            using var stream = device.CreateStream();
            SmallEnums.Gpu.Elements(stream, gi, flipped, layers, N, N);
            stream.Synchronize();
            return (flipped.ToArray(), layers.ToArray());
        });
        var expectedFlipped = input.Select(d => (sbyte)unchecked((sbyte)(-(sbyte)d))).Append((sbyte)100).ToArray();
        var expectedLayers = Enumerable.Range(0, N).Select(i => (ushort)((1 << (i & 15)) | 1)).ToArray();
        foreach (var (name, (flipped, layers)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<sbyte>(expectedFlipped, flipped.Select(d => (sbyte)d).ToArray(), name + " flipped");
            ResultComparison.Exact<ushort>(expectedLayers, layers.Select(l => (ushort)l).ToArray(), name + " layers");
        }
    }
}
