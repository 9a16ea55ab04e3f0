using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Pixels.cs on Dawn and on the CPU backend: structs of byte fields (4- and 3-byte pixels), narrow spans,
/// a Pack = 1 struct, Vector3/Vector2 fields after a float and nested structs, all uploaded and read back in C#'s
/// layout as they are; results compared byte for byte between the backends and with C# written here.
/// </summary>
public class PixelsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 203; // odd: 3-byte and 7-byte elements end inside a word

    [Fact]
    public void Host_sizes_are_csharp_sizes()
    {
        Assert.Equal(4, Unsafe.SizeOf<Rgba32>());
        Assert.Equal(3, Unsafe.SizeOf<Bgr24>());
        Assert.Equal(28, Unsafe.SizeOf<Body>());
        Assert.Equal(12, Unsafe.SizeOf<Marker>());
        Assert.Equal(16, Unsafe.SizeOf<Sprite>());
        Assert.Equal(7, Unsafe.SizeOf<Tagged>());
        Assert.Equal(4, Pixels.Kernels.Grayscale.Bindings.First(b => b.Name == "src").ElementSize);
        Assert.Equal(3, Pixels.Kernels.Brighten.Bindings.First(b => b.Name == "pixels").ElementSize);
        Assert.Equal(28, Pixels.Kernels.Step.Bindings.First(b => b.Name == "bodies").ElementSize);
        Assert.Equal(7, Pixels.Kernels.Repack.Bindings.First(b => b.Name == "items").ElementSize);
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Grayscale))]
    public void Grayscale_reads_and_writes_whole_pixels()
    {
        var src = Rgba(new SeededInputs(901), N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var s = device.Upload<Rgba32>(src);
            using var d = device.Allocate<Rgba32>(N);
            using var stream = device.CreateStream();
            Pixels.Gpu.Grayscale(stream, s, d, N);
            stream.Synchronize();
            return d.ToArray();
        });
        var expected = src.Select(p => { byte y = (byte)((p.R * 77 + p.G * 150 + p.B * 29) >> 8); return new Rgba32(y, y, y, p.A); }).ToArray();
        Same(expected, cpu, "cpu vs C#");
        Same(cpu, native, "native vs cpu");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Invert))]
    public void Invert_writes_single_byte_fields_in_place()
    {
        var src = Rgba(new SeededInputs(902), N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Rgba32>(src);
            using var stream = device.CreateStream();
            Pixels.Gpu.Invert(stream, p, N);
            stream.Synchronize();
            return p.ToArray();
        });
        var expected = src.Select(p => new Rgba32((byte)(255 - p.R), (byte)(p.G ^ 0xFF), (byte)~p.B, (byte)(p.A + 1))).ToArray();
        Same(expected, cpu, "cpu vs C#");
        Same(cpu, native, "native vs cpu");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.BoxBlur))]
    public void BoxBlur_averages_3x3_neighbourhoods()
    {
        const int width = 37, height = 23;
        var src = Rgba(new SeededInputs(903), width * height);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var s = device.Upload<Rgba32>(src);
            using var d = device.Allocate<Rgba32>(width * height);
            using var stream = device.CreateStream();
            Pixels.Gpu.BoxBlur(stream, s, d, width, height, Grid.Threads(width, height));
            stream.Synchronize();
            return d.ToArray();
        });
        var expected = new Rgba32[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int r = 0, g = 0, b = 0, a = 0;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        var p = src[Math.Clamp(y + dy, 0, height - 1) * width + Math.Clamp(x + dx, 0, width - 1)];
                        r += p.R; g += p.G; b += p.B; a += p.A;
                    }
                }
                expected[y * width + x] = new Rgba32((byte)(r / 9), (byte)(g / 9), (byte)(b / 9), (byte)(a / 9));
            }
        }
        Same(expected, cpu, "cpu vs C#");
        Same(cpu, native, "native vs cpu");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Brighten))]
    public void Brighten_keeps_neighbouring_3_byte_pixels_intact()
    {
        var src = Bgr(new SeededInputs(904), N + 2);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Bgr24>(src);
            using var stream = device.CreateStream();
            Pixels.Gpu.Brighten(stream, p, N, 60, N);
            stream.Synchronize();
            return p.ToArray();
        });
        var expected = src.Select((p, i) => i >= N ? p : new Bgr24 { R = (byte)Math.Min(p.R + 60, 255), G = (byte)(p.G + 60), B = (byte)(p.B - 1) }).ToArray();
        Same(expected, cpu, "cpu vs C#");
        Same(cpu, native, "native vs cpu");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Swizzle))]
    public void Swizzle_converts_bgr24_and_stores_whole_3_byte_elements()
    {
        var src = Bgr(new SeededInputs(905), N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var s = device.Upload<Bgr24>(src);
            using var rgba = device.Allocate<Rgba32>(N);
            using var copy = device.Upload<Bgr24>(Enumerable.Repeat(new Bgr24 { B = 7, G = 8, R = 9 }, N + 3).ToArray());
            using var stream = device.CreateStream();
            Pixels.Gpu.Swizzle(stream, s, rgba, copy, N, N);
            stream.Synchronize();
            return (rgba.ToArray(), copy.ToArray());
        });
        Same(src.Select(p => new Rgba32(p.R, p.G, p.B, 255)).ToArray(), cpu.Item1, "cpu vs C#");
        Same(src.Select(p => new Bgr24 { B = p.R, G = p.G, R = p.B }).Concat(Enumerable.Repeat(new Bgr24 { B = 7, G = 8, R = 9 }, 3)).ToArray(), cpu.Item2, "cpu vs C#");
        Same(cpu.Item1, native.Item1, "rgba");
        Same(cpu.Item2, native.Item2, "copy");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Narrow))]
    public void Narrow_spans_and_locals_truncate_as_csharp_does()
    {
        var inputs = new SeededInputs(906);
        var x = inputs.AnyInts(N);
        x[0] = 0; x[1] = -1; x[2] = 255; x[3] = 256; x[4] = int.MinValue; x[5] = int.MaxValue; x[6] = 128; x[7] = -129;
        var f = inputs.Floats(N, -70000f, 70000f);
        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.5f, 255.9f, 256f, -128.9f, 127.99f, 65535.5f, -32768.7f, 1e10f, -1e10f];
        special.CopyTo(f, 0);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var gf = device.Upload<float>(f);
            using var b = device.Allocate<byte>(N);
            using var sb = device.Allocate<sbyte>(N);
            using var us = device.Allocate<ushort>(N);
            using var s = device.Allocate<short>(N);
            using var back = device.Allocate<int>(4 * N);
            using var stream = device.CreateStream();
            Pixels.Gpu.Narrow(stream, gx, gf, b, sb, us, s, back, N, N);
            stream.Synchronize();
            return (b.ToArray(), sb.ToArray(), us.ToArray(), s.ToArray(), back.ToArray());
        });
        Assert.Equal((byte)(x[0] + 300 + (byte)((byte)(byte)x[0] + 200 + 1)), cpu.Item1[0]);
        ResultComparison.Exact<byte>(cpu.Item1, native.Item1, "byte");
        ResultComparison.Exact<sbyte>(cpu.Item2, native.Item2, "sbyte");
        ResultComparison.Exact<ushort>(cpu.Item3, native.Item3, "ushort");
        ResultComparison.Exact<short>(cpu.Item4, native.Item4, "short");
        ResultComparison.Exact<int>(cpu.Item5, native.Item5, "back");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Step))]
    public void Step_updates_28_byte_bodies_with_vector3_fields()
    {
        var inputs = new SeededInputs(907);
        var v = inputs.Floats(7 * N);
        var bodies = Enumerable.Range(0, N).Select(i => new Body
        {
            Pos = new Vector3(v[7 * i], v[7 * i + 1], v[7 * i + 2]),
            Mass = v[7 * i + 3],
            Vel = new Vector3(v[7 * i + 4], v[7 * i + 5], v[7 * i + 6]),
        }).ToArray();
        var gravity = new Vector3(0.5f, -9.75f, 0.25f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var b = device.Upload<Body>(bodies);
            using var stream = device.CreateStream();
            Pixels.Gpu.Step(stream, b, gravity, 0.125f, N);
            stream.Synchronize();
            return b.ToArray();
        });
        var expected = bodies.Select(p =>
        {
            p.Vel += gravity * 0.125f;
            p.Pos += p.Vel * 0.125f;
            p.Mass *= 0.5f;
            p.Pos.Y = MathF.Max(p.Pos.Y, 0f);
            p.Vel.Z = p.Mass;
            return p;
        }).ToArray();
        Same(expected, cpu, "cpu vs C#");
        // Every operation is exact in binary floating point here except a*b+c, which a GPU may fuse: allow 1 ulp.
        ResultComparison.Close(Floats(cpu), Floats(native), new FloatTolerance(1, 0f), "bodies");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Animate))]
    public void Animate_writes_vector2_after_a_float_and_nested_byte_structs()
    {
        var inputs = new SeededInputs(908);
        var w = inputs.Floats(3 * N);
        var markers = Enumerable.Range(0, N).Select(i => new Marker { Weight = w[3 * i], At = new Vector2(w[3 * i + 1], w[3 * i + 2]) }).ToArray();
        var tints = Rgba(inputs, N);
        var sprites = Enumerable.Range(0, N).Select(i => new Sprite { Pos = new Vector2(i, -i), Tint = tints[i], Frame = (ushort)(65530 + i % 9) }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var m = device.Upload<Marker>(markers);
            using var s = device.Upload<Sprite>(sprites);
            using var stream = device.CreateStream();
            Pixels.Gpu.Animate(stream, m, s, N);
            stream.Synchronize();
            return (m.ToArray(), s.ToArray());
        });
        var expectedMarkers = markers.Select(m => new Marker { Weight = m.Weight, At = m.At + new Vector2(m.Weight, 1f) }).ToArray();
        var expectedSprites = sprites.Select(s =>
        {
            s.Frame++;
            s.Tint.A = (byte)(s.Tint.A / 2);
            s.Pos.Y += s.Tint.R;
            s.Tint.G = s.Tint.B;
            return s;
        }).ToArray();
        Same(expectedMarkers, cpu.Item1, "cpu vs C#");
        Same(expectedSprites, cpu.Item2, "cpu vs C#");
        Same(cpu.Item1, native.Item1, "markers");
        Same(cpu.Item2, native.Item2, "sprites");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Repack))]
    public void Repack_updates_a_pack_1_struct_whose_float_straddles_words()
    {
        var inputs = new SeededInputs(909);
        var f = inputs.Floats(N);
        var items = Enumerable.Range(0, N + 1).Select(i => new Tagged { Tag = (byte)(i * 7), Value = i < N ? f[i] : 3f, Count = (ushort)(65534 + i % 3) }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var t = device.Upload<Tagged>(items);
            using var stream = device.CreateStream();
            Pixels.Gpu.Repack(stream, t, N, N);
            stream.Synchronize();
            return t.ToArray();
        });
        var expected = items.Select((t, i) => i >= N ? t : new Tagged { Tag = (byte)(i + t.Tag), Value = t.Value * 2f, Count = (ushort)(t.Count + 1) }).ToArray();
        Same(expected, cpu, "cpu vs C#");
        Same(cpu, native, "native vs cpu");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Threshold))]
    public void Threshold_reads_byte_and_short_uniforms()
    {
        var src = new SeededInputs(910).Ints(N, 0, 256).Select(v => (byte)v).ToArray();
        var levels = new Levels { Threshold = 200, Bias = -7, Scale = -300 };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var s = device.Upload<byte>(src);
            using var d = device.Allocate<short>(N);
            using var stream = device.CreateStream();
            Pixels.Gpu.Threshold(stream, s, d, levels, 250, N, N);
            stream.Synchronize();
            return d.ToArray();
        });
        var expected = src.Select(v => v >= 200 ? (short)(v * -300 - 7) : (short)250).ToArray();
        ResultComparison.Exact<short>(expected, cpu, "cpu vs C#");
        ResultComparison.Exact<short>(cpu, native, "native vs cpu");
    }

    [Fact]
    [CorpusCase(typeof(Pixels), nameof(Pixels.Positions))]
    public void Positions_narrow_values_in_helpers_arrays_shared_memory_and_switches()
    {
        var src = Rgba(new SeededInputs(911), N);
        src[0] = new Rgba32(0, 0, 0, 0);
        src[1] = new Rgba32(255, 3, 4, 5);
        src[2] = new Rgba32(127, 0, 9, 200);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Rgba32>(src);
            using var results = device.Allocate<int>(2 * N);
            using var stream = device.CreateStream();
            Pixels.Gpu.Positions(stream, p, results, Grid.Threads(256));
            stream.Synchronize();
            return (p.ToArray(), results.ToArray());
        });
        Assert.Equal(new Rgba32(255, 0, 0, 1), cpu.Item1[0]); // R 0 - 1 wraps, A = top + 1
        Assert.Equal(10, cpu.Item2[1]);
        Assert.Equal(30 + 5, cpu.Item2[3]);
        Same(cpu.Item1, native.Item1, "pixels");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "results");
    }

    private static Rgba32[] Rgba(SeededInputs inputs, int n)
    {
        var b = inputs.Ints(4 * n, 0, 256);
        return Enumerable.Range(0, n).Select(i => new Rgba32((byte)b[4 * i], (byte)b[4 * i + 1], (byte)b[4 * i + 2], (byte)b[4 * i + 3])).ToArray();
    }

    private static Bgr24[] Bgr(SeededInputs inputs, int n)
    {
        var b = inputs.Ints(3 * n, 0, 256);
        return Enumerable.Range(0, n).Select(i => new Bgr24 { B = (byte)b[3 * i], G = (byte)b[3 * i + 1], R = (byte)b[3 * i + 2] }).ToArray();
    }

    private static float[] Floats(Body[] bodies) => MemoryMarshal.Cast<Body, float>(bodies).ToArray();

    /// <summary>The two arrays hold the same bytes (C#'s layout, padding included).</summary>
    private static void Same<T>(T[] expected, T[] actual, string what) where T : unmanaged
        => ResultComparison.Exact<byte>(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(actual.AsSpan()), what);
}
