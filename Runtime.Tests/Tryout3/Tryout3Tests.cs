using System.Numerics;
using KernelGen.Runtime.Tests.CorpusTests;

namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>
/// The third outside-user round (Tryout3/*Kernels.cs, notes in README.md): each kernel runs on Dawn (lavapipe) and on
/// the CPU backend; integer results are bit-exact, float results agree within the tolerance each test states, and a
/// host reference is checked where it is short.
/// </summary>
public class Tryout3Tests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private (T Native, T Cpu) Both<T>(Func<GpuDevice, GpuStream, T> run) => ResultComparison.OnBothBackends(fixture, device =>
    {
        using var stream = device.CreateStream();
        return run(device, stream);
    });

    private static readonly FloatTolerance Arithmetic = new(8, 1e-5f);
    private static readonly FloatTolerance Transcendental = new(256, 1e-4f);

    private static float[] Flat(Vector2[] v) => v.SelectMany(e => new[] { e.X, e.Y }).ToArray();
    private static float[] Flat(Vector3[] v) => v.SelectMany(e => new[] { e.X, e.Y, e.Z }).ToArray();
    private static float[] Flat(Vector4[] v) => v.SelectMany(e => new[] { e.X, e.Y, e.Z, e.W }).ToArray();

    [Fact]
    public void Hillis_Steele_Blelloch_and_stream_compaction_match_the_host()
    {
        const int n = 3 * 2 * Scans.Block - 37;
        var ints = new SeededInputs(9001).Ints(n, -50, 50);
        var uints = ints.Select(v => (uint)(v + 50)).ToArray();
        var values = new SeededInputs(9002).Floats(n, -1f, 1f);
        values[5] = 0f;
        const int blocks = (n + 2 * Scans.Block - 1) / (2 * Scans.Block);
        var (native, cpu) = Both((d, s) =>
        {
            using var input = d.Upload<int>(ints);
            using var inclusive = d.Allocate<int>(n);
            Scans.Gpu.HillisSteele(s, input, inclusive, Grid.Groups((n + Scans.Block - 1) / Scans.Block));
            using var u = d.Upload<uint>(uints);
            using var exclusive = d.Allocate<uint>(n);
            using var sums = d.Allocate<uint>(blocks);
            using var sumsScanned = d.Allocate<uint>(blocks);
            using var total = d.Allocate<uint>(1);
            Scans.Gpu.Blelloch(s, u, exclusive, sums, Grid.Groups(blocks));
            Scans.Gpu.Blelloch(s, sums, sumsScanned, total, Grid.Groups(1));
            Scans.Gpu.AddBlockOffsets(s, exclusive, sumsScanned, 2 * Scans.Block, n);
            // Compaction: flags, their scan (the same three passes), scatter.
            using var v = d.Upload<float>(values);
            using var flags = d.Allocate<uint>(n);
            using var slots = d.Allocate<uint>(n);
            using var kept = d.Allocate<float>(n);
            using var count = d.Allocate<uint>(1);
            Scans.Gpu.Flags(s, v, flags, -0.25f, 0.5f, n);
            Scans.Gpu.Blelloch(s, flags, slots, sums, Grid.Groups(blocks));
            Scans.Gpu.Blelloch(s, sums, sumsScanned, total, Grid.Groups(1));
            Scans.Gpu.AddBlockOffsets(s, slots, sumsScanned, 2 * Scans.Block, n);
            Scans.Gpu.Scatter(s, v, flags, slots, kept, count, n);
            s.Synchronize();
            return (inclusive.ToArray(), exclusive.ToArray(), kept.ToArray(), count.ToArray()[0]);
        });
        var expectedInclusive = new int[n];
        for (var b = 0; b < n; b += Scans.Block)
            for (int i = b, acc = 0; i < Math.Min(n, b + Scans.Block); i++) expectedInclusive[i] = acc += ints[i];
        var expectedExclusive = new uint[n];
        for (int i = 1; i < n; i++) expectedExclusive[i] = expectedExclusive[i - 1] + uints[i - 1];
        var keep = values.Where(v => v >= -0.25f && v < 0.5f && v != 0f).ToArray();
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Exact<int>(expectedInclusive, r.Item1, what + "hillis-steele");
            ResultComparison.Exact<uint>(expectedExclusive, r.Item2, what + "blelloch");
            Assert.Equal((uint)keep.Length, r.Item4);
            ResultComparison.Exact<float>(keep, r.Item3.AsSpan(0, keep.Length), what + "compacted");
        }
    }

    [Fact]
    public void Bitonic_radix_histogram_odd_even_and_rank_sorts_sort()
    {
        const int n = 512;
        var keys = new SeededInputs(9003).AnyUInts(n);
        var shorts = new SeededInputs(9004).Ints(200, 0, 65536).Select(v => (ushort)v).ToArray();
        var ints = new SeededInputs(9005).Ints(150, -20, 20);
        var (native, cpu) = Both((d, s) =>
        {
            using var k = d.Upload<uint>(keys);
            for (uint size = 2; size <= n; size <<= 1)
                for (var j = size >> 1; j > 0; j >>= 1)
                    Sorts.Gpu.BitonicGlobal(s, k, j, size, n);
            using var input = d.Upload<uint>(keys);
            using var global = d.Allocate<uint>(Sorts.RadixBins);
            using var perBlock = d.Allocate<uint>(Sorts.RadixBins * n / 64);
            Sorts.Gpu.RadixHistogram(s, input, global, perBlock, 8, n);
            using var si = d.Upload<ushort>(shorts);
            using var so = d.Allocate<ushort>(shorts.Length);
            Sorts.Gpu.OddEven(s, si, so, shorts.Length, Grid.Groups((shorts.Length + 63) / 64));
            using var ri = d.Upload<int>(ints);
            using var ro = d.Allocate<int>(ints.Length);
            Sorts.Gpu.RankSort(s, ri, ro, ints.Length);
            s.Synchronize();
            return (k.ToArray(), global.ToArray(), perBlock.ToArray(), so.ToArray(), ro.ToArray());
        });
        var sorted = keys.OrderBy(v => v).ToArray();
        var hist = new uint[Sorts.RadixBins];
        var blockHist = new uint[Sorts.RadixBins * n / 64];
        for (var i = 0; i < n; i++)
        {
            var digit = (keys[i] >> 8) & 15;
            hist[digit]++;
            blockHist[i / 64 * 16 + digit]++;
        }
        var shortSorted = new ushort[shorts.Length];
        for (var b = 0; b < shorts.Length; b += 64)
        {
            var chunk = shorts.Skip(b).Take(64).OrderBy(v => v).ToArray();
            chunk.CopyTo(shortSorted, b);
        }
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Exact<uint>(sorted, r.Item1, what + "bitonic");
            ResultComparison.Exact<uint>(hist, r.Item2, what + "radix histogram");
            ResultComparison.Exact<uint>(blockHist, r.Item3, what + "per-block histogram");
            ResultComparison.Exact<ushort>(shortSorted, r.Item4, what + "odd-even ushort");
            ResultComparison.Exact<int>(ints.OrderBy(v => v).ToArray(), r.Item5, what + "rank sort");
        }
    }

    private static byte HostToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);

    [Fact]
    public void YCbCr_round_trip_on_three_byte_pixels_matches_the_host()
    {
        const int n = 301;
        var bytes = new byte[3 * n];
        new Random(9006).NextBytes(bytes);
        var pixels = Enumerable.Range(0, n).Select(i => new Rgb24(bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2])).ToArray();
        var (native, cpu) = Both((d, s) =>
        {
            using var src = d.Upload<Rgb24>(pixels);
            using var ycc = d.Allocate<Rgb24>(n);
            using var back = d.Allocate<Rgb24>(n);
            Images.Gpu.YCbCr(s, src, ycc, n, false, n);
            Images.Gpu.YCbCr(s, ycc, back, n, true, n);
            s.Synchronize();
            return (ycc.ToArray(), back.ToArray());
        });
        var expected = pixels.Select(p =>
        {
            float r = p.R, g = p.G, b = p.B;
            return new Rgb24(HostToByte(0.299f * r + 0.587f * g + 0.114f * b), HostToByte(128f - 0.168736f * r - 0.331264f * g + 0.5f * b),
                HostToByte(128f + 0.5f * r - 0.418688f * g - 0.081312f * b));
        }).ToArray();
        static int[] Bytes(Rgb24[] p) => p.SelectMany(e => new int[] { e.R, e.G, e.B }).ToArray();
        ResultComparison.Exact<int>(Bytes(expected), Bytes(cpu.Item1), "cpu ycbcr");
        // A sum of three products may be fused or reordered on the GPU: a value at a .5 rounding edge may land one step away.
        var forward = Bytes(native.Item1).Zip(Bytes(cpu.Item1), (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(forward.Max() <= 1 && forward.Count(e => e != 0) <= n / 50, $"ycbcr: {forward.Count(e => e != 0)} bytes differ, max {forward.Max()}");
        var inverse = Bytes(native.Item2).Zip(Bytes(cpu.Item2), (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(inverse.Max() <= 2 && inverse.Count(e => e != 0) <= n / 25, $"inverse: {inverse.Count(e => e != 0)} bytes differ, max {inverse.Max()}");
        // The round trip is within a few levels of the original.
        var trip = Bytes(cpu.Item2).Zip(Bytes(pixels), (a, b) => Math.Abs(a - b)).Max();
        Assert.True(trip <= 3, $"round trip off by {trip}");
    }

    [Fact]
    public void Convolution_with_every_border_mode_bilinear_and_canny_are_exact()
    {
        const int w = 23, h = 17;
        var image = new SeededInputs(9007).Ints(w * h, 0, 256);
        int[] kernel = [1, 2, -1, 0, 3, 1, -2, 1, 1];
        var gray = image.Select(v => (byte)v).ToArray();
        // A smooth image with a step, so that the edge thresholds matter.
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                gray[y * w + x] = (byte)(x * 5 + (x + y > 20 ? 120 : 0) + (image[y * w + x] & 7));
        var src = new SeededInputs(9008).Floats(w * h, 0f, 1f);
        const int dw = 37, dh = 11;
        var (native, cpu) = Both((d, s) =>
        {
            using var img = d.Upload<int>(image);
            using var k = d.Upload<int>(kernel);
            var outputs = new List<int[]>();
            foreach (var border in Enum.GetValues<Border>())
            {
                using var o = d.Allocate<int>(w * h);
                Images.Gpu.Convolve3x3(s, img, k, o, w, h, border, Grid.Threads(w, h));
                s.Synchronize();
                outputs.Add(o.ToArray());
            }
            using var fsrc = d.Upload<float>(src);
            using var resized = d.Allocate<float>(dw * dh);
            Images.Gpu.Bilinear(s, fsrc, resized, w, h, dw, dh, Grid.Threads(dw, dh));
            using var g = d.Upload<byte>(gray);
            using var edges = d.Allocate<int>(w * h);
            Images.Gpu.CannyNms(s, g, edges, w, h, 20, 60, Grid.Threads(w, h));
            s.Synchronize();
            return (outputs, resized.ToArray(), edges.ToArray());
        });
        int Fix(int c, int n, Border b) => b switch
        {
            Border.Clamp => Math.Clamp(c, 0, n - 1),
            Border.Mirror => c < 0 ? -c - 1 : c >= n ? 2 * n - c - 1 : c,
            Border.Wrap => (c % n + n) % n,
            _ => c,
        };
        foreach (var border in Enum.GetValues<Border>())
        {
            var expected = new int[w * h];
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                {
                    var acc = 0;
                    for (var ky = -1; ky <= 1; ky++)
                        for (var kx = -1; kx <= 1; kx++)
                        {
                            int sx = Fix(x + kx, w, border), sy = Fix(y + ky, h, border);
                            if (sx < 0 || sx >= w || sy < 0 || sy >= h) continue;
                            acc += image[sy * w + sx] * kernel[(ky + 1) * 3 + kx + 1];
                        }
                    expected[y * w + x] = acc;
                }
            ResultComparison.Exact<int>(expected, cpu.Item1[(int)border], $"cpu conv {border}");
            ResultComparison.Exact<int>(expected, native.Item1[(int)border], $"conv {border}");
        }
        ResultComparison.Close(cpu.Item2, native.Item2, Arithmetic, "bilinear");
        Assert.InRange(cpu.Item2.Min(), src.Min(), src.Max());
        ResultComparison.Exact<int>(cpu.Item3, native.Item3, "canny");
        Assert.Contains(2, cpu.Item3);
        Assert.Contains(0, cpu.Item3);
    }

    [Fact]
    public void Histogram_equalisation_of_a_byte_image_matches_the_host()
    {
        const int n = 3001;
        var rng = new Random(9009);
        // A low-contrast image: values 60..120.
        var image = Enumerable.Range(0, n).Select(_ => (byte)(60 + rng.Next(61) * rng.Next(61) / 60)).ToArray();
        var (native, cpu) = Both((d, s) =>
        {
            using var img = d.Upload<byte>(image);
            using var hist = d.Allocate<uint>(256);
            Images.Gpu.Histogram256(s, img, n, hist, Grid.Groups(4));
            using var lut = d.Allocate<byte>(256);
            Images.Gpu.EqualizeTable(s, hist, lut, Grid.Groups(1));
            using var output = d.Allocate<byte>(n);
            Images.Gpu.ApplyTable(s, img, lut, output, n, n);
            s.Synchronize();
            return (hist.ToArray(), lut.ToArray(), output.ToArray());
        });
        var histogram = new uint[256];
        foreach (var b in image) histogram[b]++;
        var cdf = new uint[256];
        for (int i = 0, acc = 0; i < 256; i++) cdf[i] = (uint)(acc += (int)histogram[i]);
        var min = cdf.First(c => c != 0);
        var table = cdf.Select((c, t) => (byte)(c < min ? 0u : (c - min) * 255u / Math.Max((uint)n - min, 1u))).ToArray();
        var equalised = image.Select(b => table[b]).ToArray();
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Exact<uint>(histogram, r.Item1, what + "histogram");
            ResultComparison.Exact<byte>(table, r.Item2, what + "table");
            ResultComparison.Exact<byte>(equalised, r.Item3, what + "equalised");
        }
        Assert.Equal(255, equalised.Max());
    }

    [Fact]
    public void Escape_time_fractals_and_newton_roots_agree()
    {
        const int w = 48, h = 32;
        var (native, cpu) = Both((d, s) =>
        {
            var counts = new List<int[]>();
            foreach (var kind in Enum.GetValues<Fractal>())
            {
                using var it = d.Allocate<int>(w * h);
                Fractals.Gpu.EscapeTime(s, it, w, h, kind, 80, Grid.Threads(w, h));
                s.Synchronize();
                counts.Add(it.ToArray());
            }
            using var root = d.Allocate<int>(w * h);
            using var steps = d.Allocate<int>(w * h);
            Fractals.Gpu.Newton(s, root, steps, w, h, Grid.Threads(w, h));
            s.Synchronize();
            return (counts, root.ToArray(), steps.ToArray());
        });
        // Orbits near a boundary are chaotic: an FMA or a division within 2.5 ulp may change a long orbit's count (the burning
        // ship's fine structure gives ~2% such pixels); orbits that escape within 16 steps must agree exactly.
        foreach (var kind in Enum.GetValues<Fractal>())
        {
            var gpu = native.Item1[(int)kind];
            var host = cpu.Item1[(int)kind];
            var early = Enumerable.Range(0, w * h).Where(i => host[i] <= 16).ToArray();
            Assert.True(early.Length > w * h / 4, $"{kind}: {early.Length} early escapes");
            ResultComparison.Exact<int>(early.Select(i => host[i]).ToArray(), early.Select(i => gpu[i]).ToArray(), $"{kind} early escapes");
            var differ = Enumerable.Range(0, w * h).Count(i => gpu[i] != host[i]);
            Assert.True(differ <= w * h / 25, $"{kind}: {differ} counts differ");
            Assert.Contains(80, host);
            Assert.Contains(1, host);
        }
        Assert.False(cpu.Item1[0].SequenceEqual(cpu.Item1[1]), "burning ship differs from mandelbrot");
        var rootsDiffer = Enumerable.Range(0, w * h).Count(i => native.Item2[i] != cpu.Item2[i]);
        Assert.True(rootsDiffer <= w * h / 50, $"{rootsDiffer} newton roots differ");
        foreach (var r in new[] { 0, 1, 2 }) Assert.Contains(r, cpu.Item2);
    }

    [Fact]
    public void Particles_boids_and_verlet_agree()
    {
        const int n = 97;
        var f = new SeededInputs(9010).Floats(n * 7, -2f, 2f);
        var particles = Enumerable.Range(0, n).Select(i => new Particle
        {
            Position = new(f[7 * i], MathF.Abs(f[7 * i + 1]) * 0.05f, f[7 * i + 2]),
            Velocity = new(f[7 * i + 3], f[7 * i + 4] * 3f, f[7 * i + 5]),
            Life = i % 10 == 0 ? 0f : 1f + f[7 * i + 6],
        }).ToArray();
        var positions = new SeededInputs(9011).Floats(3 * n, -3f, 3f);
        var pos = Enumerable.Range(0, n).Select(i => new Vector3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2])).ToArray();
        var vel = Enumerable.Range(0, n).Select(i => new Vector3(positions[(3 * i + 5) % (3 * n)], 0.5f, -positions[3 * i])).ToArray();
        var chain = Enumerable.Range(0, n).Select(i => new Vector4(i * 0.1f, 1f, 0f, i == 0 ? 0f : 1f)).ToArray();
        var (native, cpu) = Both((d, s) =>
        {
            using var p = d.Upload<Particle>(particles);
            for (var step = 0; step < 5; step++)
                Particles.Gpu.Update(s, p, new Vector3(0f, -9.8f, 0f), 0.1f, 0.6f, 0.02f, n);
            using var gp = d.Upload<Vector3>(pos);
            using var gv = d.Upload<Vector3>(vel);
            using var nv = d.Allocate<Vector3>(n);
            Particles.Gpu.Boids(s, gp, gv, nv, 1.5f, 2f, n);
            using var cur = d.Upload<Vector4>(chain);
            using var prev = d.Upload<Vector4>(chain);
            for (var step = 0; step < 3; step++)
                Particles.Gpu.Verlet(s, cur, prev, new Vector3(0f, -9.8f, 0f), 0.05f, n);
            s.Synchronize();
            return (p.ToArray(), nv.ToArray(), cur.ToArray(), prev.ToArray());
        });
        var hostParticles = (Particle[])particles.Clone();
        for (var step = 0; step < 5; step++)
            for (var i = 0; i < n; i++)
            {
                ref var q = ref hostParticles[i];
                if (q.Life <= 0f) continue;
                q.Velocity += new Vector3(0f, -9.8f, 0f) * 0.02f;
                q.Velocity *= 1f - 0.1f * 0.02f;
                q.Position += q.Velocity * 0.02f;
                if (q.Position.Y < 0f) { q.Position.Y = -q.Position.Y; q.Velocity.Y *= -0.6f; }
                q.Life -= 0.02f;
            }
        float[] Fields(Particle[] ps) => ps.SelectMany(q => new[] { q.Position.X, q.Position.Y, q.Position.Z, q.Velocity.X, q.Velocity.Y, q.Velocity.Z, q.Life }).ToArray();
        ResultComparison.Close(Fields(hostParticles), Fields(cpu.Item1), Arithmetic, "cpu particles vs host");
        ResultComparison.Close(Fields(cpu.Item1), Fields(native.Item1), Arithmetic, "particles");
        Assert.Contains(hostParticles, q => q.Velocity.Y > 0f && particles.Any(o => o.Velocity.Y < 0f));
        ResultComparison.Close(Flat(cpu.Item2), Flat(native.Item2), new FloatTolerance(64, 1e-4f), "boids");
        ResultComparison.Close(Flat(cpu.Item3), Flat(native.Item3), Arithmetic, "verlet current");
        ResultComparison.Close(Flat(cpu.Item4), Flat(native.Item4), Arithmetic, "verlet previous");
        Assert.Equal(chain[0], native.Item3[0]);
        Assert.True(native.Item3[5].Y < 1f);
    }

    [Fact]
    public void Box_sphere_rays_projection_rotation_and_sdf_shapes_agree()
    {
        const int w = 40, h = 30;
        var verts = new SeededInputs(9012).Floats(4 * 60, -1f, 1f);
        var vertices = Enumerable.Range(0, 60).Select(i => new Vector4(verts[4 * i], verts[4 * i + 1], verts[4 * i + 2], 1f)).ToArray();
        var model = Matrix4x4.CreateRotationY(0.3f) * Matrix4x4.CreateTranslation(0f, 0f, 3f);
        var viewProjection = Matrix4x4.CreatePerspectiveFieldOfView(1f, (float)w / h, 0.1f, 10f);
        Shape[] shapes =
        [
            new() { Kind = ShapeKind.Sphere, Size = 0.5f, Centre = new(-0.8f, 0f, 0f, 0f) },
            new() { Kind = ShapeKind.Box, Size = 0.35f, Centre = new(0.6f, 0.2f, 0.3f, 0f) },
            new() { Kind = ShapeKind.Torus, Size = 0.5f, Thickness = 0.15f, Centre = new(0f, -0.6f, 0.5f, 0f) },
        ];
        var (native, cpu) = Both((d, s) =>
        {
            using var hit = d.Allocate<int>(w * h);
            using var shade = d.Allocate<float>(w * h);
            Render3.Gpu.BoxAndSphere(s, hit, shade, w, h, new Vector3(1f, 1f, -1f), Grid.Threads(w, h));
            using var v = d.Upload<Vector4>(vertices);
            using var screen = d.Allocate<Vector2>(vertices.Length);
            using var pixel = d.Allocate<int>(vertices.Length);
            Render3.Gpu.ProjectVertices(s, v, screen, pixel, model, viewProjection, w, h, vertices.Length);
            using var moved = d.Allocate<Vector4>(vertices.Length);
            Render3.Gpu.RotateTranslate(s, v, moved, 0.7f, new Vector3(1f, 2f, 3f), vertices.Length);
            using var sh = d.Upload<Shape>(shapes);
            using var depth = d.Allocate<float>(w * h);
            using var steps = d.Allocate<int>(w * h);
            Render3.Gpu.MarchShapes(s, sh, depth, steps, w, h, Grid.Threads(w, h));
            s.Synchronize();
            return (hit.ToArray(), shade.ToArray(), screen.ToArray(), pixel.ToArray(), moved.ToArray(), depth.ToArray(), steps.ToArray());
        });
        var hitsDiffer = Enumerable.Range(0, w * h).Count(i => native.Item1[i] != cpu.Item1[i]);
        Assert.True(hitsDiffer <= 2, $"{hitsDiffer} hit ids differ (silhouette pixels only)");
        foreach (var k in new[] { 0, 1, 2 }) Assert.Contains(k, cpu.Item1);
        var same = Enumerable.Range(0, w * h).Where(i => native.Item1[i] == cpu.Item1[i]).ToArray();
        ResultComparison.Close(same.Select(i => cpu.Item2[i]).ToArray(), same.Select(i => native.Item2[i]).ToArray(), new FloatTolerance(64, 1e-4f), "shade");
        var hostScreen = vertices.Select(p =>
        {
            var clip = Vector4.Transform(Vector4.Transform(p, model), viewProjection);
            var ndc = new Vector2(clip.X, clip.Y) / clip.W;
            return new Vector2((ndc.X * 0.5f + 0.5f) * w, (0.5f - ndc.Y * 0.5f) * h);
        }).ToArray();
        ResultComparison.Close(Flat(hostScreen), Flat(cpu.Item3), Arithmetic, "cpu screen vs host");
        ResultComparison.Close(Flat(cpu.Item3), Flat(native.Item3), new FloatTolerance(64, 1e-4f), "screen");
        var pixelsDiffer = Enumerable.Range(0, vertices.Length).Count(i => native.Item4[i] != cpu.Item4[i]);
        Assert.True(pixelsDiffer <= 1, $"{pixelsDiffer} pixels differ");
        var m = Matrix4x4.CreateRotationZ(0.7f) * Matrix4x4.CreateTranslation(1f, 2f, 3f);
        var hostMoved = vertices.Select(p => new Vector4(Vector3.Transform(new Vector3(p.X, p.Y, p.Z), m), Vector3.TransformNormal(Vector3.UnitX, m).X)).ToArray();
        ResultComparison.Close(Flat(hostMoved), Flat(cpu.Item5), Arithmetic, "cpu rotate vs host");
        ResultComparison.Close(Flat(cpu.Item5), Flat(native.Item5), new FloatTolerance(64, 1e-5f), "rotate");
        var stepsDiffer = Enumerable.Range(0, w * h).Count(i => Math.Abs(native.Item7[i] - cpu.Item7[i]) > 1);
        Assert.True(stepsDiffer <= w * h / 50, $"{stepsDiffer} march step counts differ by more than one");
        var both = Enumerable.Range(0, w * h).Where(i => cpu.Item6[i] > 0f && native.Item6[i] > 0f).ToArray();
        Assert.True(both.Length > w * h / 10);
        ResultComparison.Close(both.Select(i => cpu.Item6[i]).ToArray(), both.Select(i => native.Item6[i]).ToArray(), new FloatTolerance(256, 2e-3f), "march depth");
    }

    [Fact]
    public void Gemv_rmsnorm_rope_online_softmax_and_cross_entropy_agree_with_the_host()
    {
        const int rows = 9, cols = 150, dim = 32, classes = 11;
        var a = new SeededInputs(9013).Floats(rows * cols, -1f, 1f);
        var x = new SeededInputs(9014).Floats(cols, -1f, 1f);
        var bias = new SeededInputs(9015).Floats(rows, -1f, 1f);
        var act = new SeededInputs(9016).Floats(rows * dim, -3f, 3f);
        var weight = new SeededInputs(9017).Floats(dim, 0.5f, 1.5f);
        var logits = new SeededInputs(9018).Floats(rows * classes, -8f, 8f);
        int[] targets = [0, 3, -1, 10, 5, 5, 2, -1, 7];
        var (native, cpu) = Both((d, s) =>
        {
            using var ga = d.Upload<float>(a);
            using var gx = d.Upload<float>(x);
            using var gb = d.Upload<float>(bias);
            using var y = d.Allocate<float>(rows);
            Ml3.Gpu.Gemv(s, ga, gx, gb, y, cols, Grid.Groups(rows));
            using var gin = d.Upload<float>(act);
            using var gw = d.Upload<float>(weight);
            using var normed = d.Allocate<float>(rows * dim);
            Ml3.Gpu.RmsNorm(s, gin, gw, normed, dim, 1e-5f, rows);
            using var q = d.Upload<float>(act);
            Ml3.Gpu.Rope(s, q, dim, 10000f, rows * dim / 2);
            using var gl = d.Upload<float>(logits);
            using var probs = d.Allocate<float>(rows * classes);
            Ml3.Gpu.OnlineSoftmax(s, gl, probs, classes, rows);
            using var gt = d.Upload<int>(targets);
            using var loss = d.Allocate<float>(rows);
            Ml3.Gpu.CrossEntropy(s, gl, gt, loss, classes, rows);
            s.Synchronize();
            return (y.ToArray(), normed.ToArray(), q.ToArray(), probs.ToArray(), loss.ToArray());
        });
        var gemv = Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, cols).Sum(c => a[r * cols + c] * x[c]) + bias[r]).ToArray();
        var bounds = Enumerable.Range(0, rows).Select(r => 1e-5f * Enumerable.Range(0, cols).Sum(c => MathF.Abs(a[r * cols + c] * x[c]))).ToArray();
        ResultComparison.Close(gemv, cpu.Item1, Arithmetic, bounds, "cpu gemv vs host");
        ResultComparison.Close(cpu.Item1, native.Item1, Arithmetic, bounds, "gemv");
        var rms = new float[rows * dim];
        for (var r = 0; r < rows; r++)
        {
            var ss = 0f;
            for (var i = 0; i < dim; i++) ss += act[r * dim + i] * act[r * dim + i];
            var scale = 1f / MathF.Sqrt(ss / dim + 1e-5f);
            for (var i = 0; i < dim; i++) rms[r * dim + i] = act[r * dim + i] * scale * weight[i];
        }
        ResultComparison.Close(rms, cpu.Item2, FloatTolerance.Exact, "cpu rmsnorm vs host");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(16, 1e-5f), "rmsnorm");
        var rope = (float[])act.Clone();
        for (var pair = 0; pair < rows * dim / 2; pair++)
        {
            var position = 2 * pair / dim;
            var i = pair % (dim / 2);
            var angle = position * (1f / MathF.Pow(10000f, 2f * i / dim));
            float av = act[2 * pair], bv = act[2 * pair + 1];
            rope[2 * pair] = av * MathF.Cos(angle) - bv * MathF.Sin(angle);
            rope[2 * pair + 1] = av * MathF.Sin(angle) + bv * MathF.Cos(angle);
        }
        ResultComparison.Close(rope, cpu.Item3, Arithmetic, "cpu rope vs host");
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(256, 1e-4f), "rope");
        var softmax = new float[rows * classes];
        for (var r = 0; r < rows; r++)
        {
            var row = logits.Skip(r * classes).Take(classes).ToArray();
            var e = row.Select(v => MathF.Exp(v - row.Max())).ToArray();
            for (var c = 0; c < classes; c++) softmax[r * classes + c] = e[c] / e.Sum();
        }
        ResultComparison.Close(softmax, cpu.Item4, Transcendental, "cpu softmax vs host");
        ResultComparison.Close(cpu.Item4, native.Item4, Transcendental, "online softmax");
        Assert.All(Enumerable.Range(0, rows), r => Assert.InRange(native.Item4.Skip(r * classes).Take(classes).Sum(), 0.9999f, 1.0001f));
        var ce = targets.Select((t, r) => t < 0 ? 0f : -MathF.Log(softmax[r * classes + t])).ToArray();
        ResultComparison.Close(ce, cpu.Item5, Transcendental, "cpu cross-entropy vs host");
        ResultComparison.Close(cpu.Item5, native.Item5, Transcendental, "cross-entropy");
    }

    [Fact]
    public void Ell_coo_and_jacobi_sparse_kernels_match_the_host()
    {
        const int n = 60;
        var rng = new Random(9019);
        // A diagonally dominant matrix with 1..4 off-diagonal entries a row, small integer values.
        var entries = new List<(int Row, int Col, float Value)>();
        for (var r = 0; r < n; r++)
        {
            var cols = Enumerable.Range(0, rng.Next(1, 5)).Select(_ => rng.Next(n)).Where(c => c != r).Distinct().ToList();
            foreach (var c in cols) entries.Add((r, c, rng.Next(-3, 4)));
            entries.Add((r, r, 20f + rng.Next(5)));
        }
        entries = entries.OrderBy(e => e.Row).ThenBy(e => e.Col).ToList();
        var x = Enumerable.Range(0, n).Select(_ => (float)rng.Next(-5, 6)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)rng.Next(-50, 51)).ToArray();
        var slots = entries.GroupBy(e => e.Row).Max(g => g.Count());
        var ellCols = Enumerable.Repeat(-1, slots * n).ToArray();
        var ellVals = new float[slots * n];
        foreach (var g in entries.GroupBy(e => e.Row))
        {
            var k = 0;
            foreach (var e in g) { ellCols[k * n + e.Row] = e.Col; ellVals[k * n + e.Row] = e.Value; k++; }
        }
        var rowStart = new int[n + 1];
        foreach (var e in entries) rowStart[e.Row + 1]++;
        for (var r = 0; r < n; r++) rowStart[r + 1] += rowStart[r];
        var (native, cpu) = Both((d, s) =>
        {
            using var ec = d.Upload<int>(ellCols);
            using var ev = d.Upload<float>(ellVals);
            using var gx = d.Upload<float>(x);
            using var yEll = d.Allocate<float>(n);
            Sparse.Gpu.EllSpMV(s, ec, ev, gx, yEll, slots, n);
            using var ri = d.Upload<int>(entries.Select(e => e.Row).ToArray());
            using var ci = d.Upload<int>(entries.Select(e => e.Col).ToArray());
            using var vi = d.Upload<float>(entries.Select(e => e.Value).ToArray());
            using var yCoo = d.Allocate<float>(n);
            Sparse.Gpu.CooSpMV(s, ri, ci, vi, gx, yCoo, entries.Count);
            using var rs = d.Upload<int>(rowStart);
            using var gb = d.Upload<float>(b);
            using var x0 = d.Allocate<float>(n);
            using var x1 = d.Allocate<float>(n);
            for (var it = 0; it < 10; it++)
            {
                Sparse.Gpu.JacobiCsr(s, rs, ci, vi, gb, x0, x1, n);
                Sparse.Gpu.JacobiCsr(s, rs, ci, vi, gb, x1, x0, n);
            }
            s.Synchronize();
            return (yEll.ToArray(), yCoo.ToArray(), x0.ToArray());
        });
        var y = new float[n];
        foreach (var e in entries) y[e.Row] += e.Value * x[e.Col];
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Close(y, r.Item1, FloatTolerance.Exact, what + "ell");
            ResultComparison.Close(y, r.Item2, FloatTolerance.Exact, what + "coo");
        }
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(64, 1e-5f), "jacobi");
        // Converged: A x ≈ b.
        var residual = new float[n];
        foreach (var e in entries) residual[e.Row] += e.Value * native.Item3[e.Col];
        for (var r = 0; r < n; r++) Assert.InRange(residual[r] - b[r], -1e-3f, 1e-3f);
    }

    private static uint HostPhiloxWord(uint counter, uint key0, uint key1, int word)
    {
        uint c0 = counter, c1 = 0, c2 = 0, c3 = 0, k0 = key0, k1 = key1;
        for (var round = 0; round < 10; round++)
        {
            var p0 = (ulong)0xD2511F53u * c0;
            var p1 = (ulong)0xCD9E8D57u * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        return word switch { 0 => c0, 1 => c1, 2 => c2, _ => c3 };
    }

    [Fact]
    public void Xorshift_pcg_splitmix_philox_and_box_muller_are_bit_exact()
    {
        const int threads = 64, per = 5;
        var (native, cpu) = Both((d, s) =>
        {
            using var raw = d.Allocate<uint>(threads * per);
            using var uni = d.Allocate<float>(threads * per);
            Rng.Gpu.XorShiftStream(s, raw, uni, 12345u, per, threads);
            using var pcg = d.Allocate<uint>(threads * per);
            Rng.Gpu.PcgStream(s, pcg, 42UL, per, threads);
            using var sm = d.Allocate<ulong>(threads);
            Rng.Gpu.SplitMix(s, sm, 0xDEADBEEFCAFEUL, threads);
            using var ph = d.Allocate<uint>(4 * threads);
            Rng.Gpu.Philox(s, ph, 0x12345678u, 0x9abcdef0u, threads);
            using var normals = d.Allocate<float>(2 * threads);
            Rng.Gpu.BoxMuller(s, normals, 777u, threads);
            s.Synchronize();
            return (raw.ToArray(), uni.ToArray(), pcg.ToArray(), sm.ToArray(), ph.ToArray(), normals.ToArray());
        });
        // Host references: the same structs run on the host, and Philox from its definition.
        var hostRaw = new uint[threads * per];
        var hostPcg = new uint[threads * per];
        for (var t = 0; t < threads; t++)
        {
            var a = new XorShift32(12345u + (uint)t * 2654435761u);
            for (var k = 0; k < per; k++) { hostRaw[t * per + k] = a.Next(); a.NextFloat(); }
            var p = new Pcg32(42UL, (ulong)t);
            for (var k = 0; k < per; k++) hostPcg[t * per + k] = p.Next();
        }
        var hostPhilox = Enumerable.Range(0, 4 * threads).Select(i => HostPhiloxWord((uint)(i / 4), 0x12345678u, 0x9abcdef0u, i % 4)).ToArray();
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Exact<uint>(hostRaw, r.Item1, what + "xorshift");
            ResultComparison.Exact<uint>(hostPcg, r.Item3, what + "pcg32");
            ResultComparison.Exact<uint>(hostPhilox, r.Item5, what + "philox");
        }
        ResultComparison.Close(cpu.Item2, native.Item2, FloatTolerance.Exact, "xorshift floats");
        ResultComparison.Exact<ulong>(cpu.Item4, native.Item4, "splitmix64");
        // The published first output of pcg32 with seed 42, sequence 54 is 0xa15c02b7; check the generator against it.
        Assert.Equal(0xa15c02b7u, new Pcg32(42UL, 54UL).Next());
        ResultComparison.Close(cpu.Item6, native.Item6, new FloatTolerance(256, 1e-4f), "box-muller");
        var mean = cpu.Item6.Average();
        Assert.InRange(mean, -0.3, 0.3);
    }

    [Fact]
    public void Bit_tricks_morton_codes_and_integer_roots_match_the_host()
    {
        const int n = 200;
        var v = new SeededInputs(9020).AnyUInts(n);
        uint[] specials = [0, 1, 2, 3, 0x80000000u, uint.MaxValue, 0x7fffffffu, 0xf0000000u, 1000000000u, 999999999u, 4294967295u, 16u];
        specials.CopyTo(v, 0);
        var xs = new SeededInputs(9021).AnyUInts(n);
        var ys = new SeededInputs(9022).AnyUInts(n);
        var (native, cpu) = Both((d, s) =>
        {
            using var input = d.Upload<uint>(v);
            using var tricks = d.Allocate<uint>(8 * n);
            Bits3.Gpu.Tricks(s, input, tricks, n);
            using var gx = d.Upload<uint>(xs);
            using var gy = d.Upload<uint>(ys);
            using var codes = d.Allocate<uint>(n);
            using var trip = d.Allocate<uint>(n);
            Bits3.Gpu.Morton(s, gx, gy, codes, trip, n);
            using var roots = d.Allocate<uint>(n);
            using var logs = d.Allocate<int>(n);
            Bits3.Gpu.IntegerRoots(s, input, roots, logs, n);
            s.Synchronize();
            return (tricks.ToArray(), codes.ToArray(), trip.ToArray(), roots.ToArray(), logs.ToArray());
        });
        var expected = new uint[8 * n];
        for (var i = 0; i < n; i++)
        {
            var x = v[i];
            var rev = 0u;
            for (var b = 0; b < 32; b++) if ((x & (1u << b)) != 0) rev |= 1u << (31 - b);
            expected[8 * i] = rev;
            expected[8 * i + 1] = (uint)(BitOperations.PopCount(x) & 1);
            expected[8 * i + 2] = x ^ (x >> 1);
            expected[8 * i + 3] = x == 0 ? 0 : 1u << BitOperations.Log2(x);
            expected[8 * i + 4] = x == 0 ? 0 : 1u << BitOperations.TrailingZeroCount(x);
            expected[8 * i + 5] = (uint)(BitOperations.LeadingZeroCount(x) + BitOperations.TrailingZeroCount(x));
            // Next larger with the same popcount, by search for small cases and by the identity for the rest.
            uint c = x & (0u - x), r = x + c;
            expected[8 * i + 6] = c == 0 || r == 0 ? 0u : (((r ^ x) >> 2) / c) | r;
            expected[8 * i + 7] = (uint)(((int)x >>> 7) ^ ((int)x >> 7));
        }
        Assert.Equal(5u, expected[8 * 3 + 6]); // 3 = 0b11 -> 0b101
        var morton = Enumerable.Range(0, n).Select(i =>
        {
            var code = 0u;
            for (var b = 0; b < 16; b++) code |= ((xs[i] >> b) & 1) << (2 * b) | ((ys[i] >> b) & 1) << (2 * b + 1);
            return code;
        }).ToArray();
        var isqrt = v.Select(x => (uint)Math.Floor(Math.Sqrt(x))).ToArray();
        var log10 = v.Select(x => x == 0 ? 0 : (int)Math.Floor(Math.Log10(x))).ToArray();
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Exact<uint>(expected, r.Item1, what + "tricks");
            ResultComparison.Exact<uint>(morton, r.Item2, what + "morton");
            Assert.All(r.Item3, t => Assert.Equal(1u, t));
            ResultComparison.Exact<uint>(isqrt, r.Item4, what + "isqrt");
            ResultComparison.Exact<int>(log10, r.Item5, what + "log10");
        }
    }

    [Fact]
    public void Fixed_point_oscillator_and_table_sine_are_bit_exact()
    {
        const int n = 100;
        var start = new SeededInputs(9023).Ints(n, -5 << 16, 5 << 16);
        var (native, cpu) = Both((d, s) =>
        {
            using var st = d.Upload<int>(start);
            using var pos = d.Allocate<int>(n);
            FixedPoint.Gpu.Oscillator(s, st, pos, 200, n);
            using var samples = d.Allocate<int>(300);
            using var pcm = d.Allocate<short>(300);
            FixedPoint.Gpu.SineSynth(s, samples, pcm, 37, 40, 300);
            s.Synchronize();
            return (pos.ToArray(), samples.ToArray(), pcm.ToArray());
        });
        var hostPos = start.Select(x0 =>
        {
            var x = new Fix16(x0);
            var v = Fix16.FromInt(0);
            var k = new Fix16(Fix16.One / 10);
            var damping = new Fix16(Fix16.One - Fix16.One / 64);
            for (var t = 0; t < 200; t++) { v = (v + -(k * x)) * damping; x += v; }
            return x.Raw;
        }).ToArray();
        ResultComparison.Exact<int>(hostPos, cpu.Item1, "cpu oscillator vs host");
        ResultComparison.Exact<int>(hostPos, native.Item1, "oscillator");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "table sine");
        ResultComparison.Exact<short>(cpu.Item3, native.Item3, "pcm");
        Assert.Contains(cpu.Item3, p => p == short.MaxValue);
        Assert.Contains(cpu.Item3, p => p == short.MinValue);
        // The table sine is within 1% of full scale of MathF.Sin.
        for (var i = 0; i < 300; i++)
            Assert.InRange(cpu.Item2[i] - 32767 * MathF.Sin(i * 37 / 256f * 2f * MathF.PI / 64f), -330f, 330f);
    }

    [Fact]
    public void Half_storage_kernels_match_the_host()
    {
        const int n = 120, channels = 6;
        var x = new SeededInputs(9024).Floats(n, -4f, 4f).Select(v => (Half)v).ToArray();
        var scale = new SeededInputs(9025).Floats(channels, 0.5f, 2f);
        var bias = new SeededInputs(9026).Floats(channels, -1f, 1f);
        var vf = new SeededInputs(9027).Floats(4 * 30, -10f, 10f);
        var vertices = Enumerable.Range(0, 30).Select(i => new HalfVertex { X = (Half)vf[4 * i], Y = (Half)vf[4 * i + 1], Z = (Half)vf[4 * i + 2], W = (Half)1f }).ToArray();
        var transform = Matrix4x4.CreateScale(2f) * Matrix4x4.CreateTranslation(1f, -1f, 0.5f);
        var big = new SeededInputs(9028).Floats(n, -100000f, 100000f);
        big[0] = 65504f;
        big[1] = 65520f;
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<Half>(x);
            using var gs = d.Upload<float>(scale);
            using var gb = d.Upload<float>(bias);
            using var gy = d.Allocate<Half>(n);
            Halves.Gpu.ScaleBias(s, gx, gs, gb, gy, channels, n);
            using var gv = d.Upload<HalfVertex>(vertices);
            using var go = d.Allocate<Vector4>(vertices.Length);
            Halves.Gpu.Decode(s, gv, go, transform, vertices.Length);
            using var big1 = d.Upload<float>(big);
            using var q = d.Allocate<Half>(n);
            using var sat = d.Allocate<int>(n);
            Halves.Gpu.Quantize(s, big1, q, sat, n);
            s.Synchronize();
            return (gy.ToArray(), go.ToArray(), q.ToArray(), sat.ToArray());
        });
        var expected = x.Select((h, i) => (Half)((float)h * scale[i % channels] + bias[i % channels])).ToArray();
        // One float multiply-add then a rounding to half: an FMA can move a value on a half rounding edge by one half ulp.
        static float[] F(Half[] h) => h.Select(v => (float)v).ToArray();
        ResultComparison.Close(F(expected), F(cpu.Item1), FloatTolerance.Exact, "cpu scale-bias vs host");
        var differ = Enumerable.Range(0, n).Count(i => native.Item1[i] != cpu.Item1[i]);
        Assert.True(differ <= 2, $"{differ} halves differ");
        var hostDecoded = vertices.Select(v => Vector4.Transform(new Vector4((float)v.X, (float)v.Y, (float)v.Z, (float)v.W), transform)).ToArray();
        ResultComparison.Close(Flat(hostDecoded), Flat(cpu.Item2), Arithmetic, "cpu decode vs host");
        ResultComparison.Close(Flat(cpu.Item2), Flat(native.Item2), Arithmetic, "decode");
        var hostQ = big.Select(v => (Half)Math.Clamp(v, -65504f, 65504f)).ToArray();
        ResultComparison.Close(F(hostQ), F(cpu.Item3), FloatTolerance.Exact, "cpu quantize");
        ResultComparison.Close(F(hostQ), F(native.Item3), FloatTolerance.Exact, "quantize");
        ResultComparison.Exact<int>(big.Select(v => Math.Abs(v) > 65504f ? 1 : 0).ToArray(), native.Item4, "saturated");
    }

    [Fact]
    public void Generic_number_kernels_and_specialised_box_filter_agree()
    {
        const int rows = 21, dim = 7, n = 500;
        var fa = new SeededInputs(9029).Floats(rows * dim, -3f, 3f);
        var fb = new SeededInputs(9030).Floats(rows * dim, -3f, 3f);
        var ia = new SeededInputs(9031).Ints(rows * dim, -1000, 1000);
        var ib = new SeededInputs(9032).Ints(rows * dim, -1000, 1000);
        var signal = new SeededInputs(9033).Floats(n, -1f, 1f);
        var (native, cpu) = Both((d, s) =>
        {
            using var a = d.Upload<float>(fa);
            using var b = d.Upload<float>(fb);
            using var r = d.Allocate<float>(rows);
            Generic3.Gpu.SquaredDistance(s, a, b, r, dim, rows);
            using var ai = d.Upload<int>(ia);
            using var bi = d.Upload<int>(ib);
            using var ri = d.Allocate<int>(rows);
            Generic3.Gpu.SquaredDistance(s, ai, bi, ri, dim, rows);
            using var ci = d.Upload<int>(ia);
            using var clipped = d.Allocate<int>(ia.Length);
            Generic3.Gpu.ClampCount(s, ci, clipped, -500, 600, ia.Length);
            using var cf = d.Upload<float>(fa);
            using var clippedF = d.Allocate<int>(fa.Length);
            Generic3.Gpu.ClampCount(s, cf, clippedF, -1f, 2f, fa.Length);
            using var x = d.Upload<float>(signal);
            using var y = d.Allocate<float>(n);
            Generic3.Gpu.BoxFilter(s, x, y, 64, 3, Grid.Groups((n + 63) / 64));
            using var y2 = d.Allocate<float>(n);
            Generic3.Gpu.BoxFilter(s, x, y2, 128, 5, Grid.Groups((n + 127) / 128));
            s.Synchronize();
            return (r.ToArray(), ri.ToArray(), ci.ToArray(), clipped.ToArray(), cf.ToArray(), clippedF.ToArray(), y.ToArray(), y2.ToArray());
        });
        var hostInt = Enumerable.Range(0, rows).Select(r => Enumerable.Range(0, dim).Sum(i => (ia[r * dim + i] - ib[r * dim + i]) * (ia[r * dim + i] - ib[r * dim + i]))).ToArray();
        ResultComparison.Exact<int>(hostInt, native.Item2, "int squared distance");
        ResultComparison.Exact<int>(hostInt, cpu.Item2, "cpu int squared distance");
        ResultComparison.Close(cpu.Item1, native.Item1, Arithmetic, "float squared distance");
        ResultComparison.Exact<int>(ia.Select(v => Math.Clamp(v, -500, 600)).ToArray(), native.Item3, "int clamp");
        ResultComparison.Exact<int>(ia.Select(v => v < -500 || v > 600 ? 1 : 0).ToArray(), native.Item4, "int clipped");
        ResultComparison.Close(fa.Select(v => Math.Clamp(v, -1f, 2f)).ToArray(), native.Item5, FloatTolerance.Exact, "float clamp");
        ResultComparison.Exact<int>(fa.Select(v => v < -1f || v > 2f ? 1 : 0).ToArray(), native.Item6, "float clipped");
        float[] Box(int radius) => Enumerable.Range(0, n).Select(i =>
        {
            var sum = 0f;
            for (var r = -radius; r <= radius; r++) sum += i + r >= 0 && i + r < n ? signal[i + r] : 0f;
            return sum / (2 * radius + 1);
        }).ToArray();
        ResultComparison.Close(Box(3), cpu.Item7, FloatTolerance.Exact, "cpu box 3");
        ResultComparison.Close(Box(5), cpu.Item8, FloatTolerance.Exact, "cpu box 5");
        ResultComparison.Close(cpu.Item7, native.Item7, Arithmetic, "box 3");
        ResultComparison.Close(cpu.Item8, native.Item8, Arithmetic, "box 5");
    }

    [Fact]
    public void Median_polynomials_row_stats_runs_and_sort3_match_the_host()
    {
        const int n = 150, rows = 20, stride = 6, cols = 13;
        var x = new SeededInputs(9034).Floats(n, -5f, 5f);
        var coefficients = new SeededInputs(9035).Floats(rows * stride, -2f, 2f);
        var degrees = new SeededInputs(9036).Ints(rows, 0, stride);
        var xs = new SeededInputs(9037).Floats(rows, -1.5f, 1.5f);
        var table = new SeededInputs(9038).Floats(rows * cols, -3f, 3f);
        var runData = new SeededInputs(9039).Ints(rows * cols, 0, 3);
        var triples = Enumerable.Range(0, 40).Select(i => new Vector3(x[i], x[i + 40], i % 5 == 0 ? x[i] : x[i + 80])).ToArray();
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<float>(x);
            using var gy = d.Allocate<float>(n);
            Modern.Gpu.Median5(s, gx, gy, n);
            using var gc = d.Upload<float>(coefficients);
            using var gd = d.Upload<int>(degrees);
            using var gxs = d.Upload<float>(xs);
            using var gys = d.Allocate<float>(rows);
            Modern.Gpu.Polynomials(s, gc, gd, gxs, gys, stride, rows);
            using var gt = d.Upload<float>(table);
            using var stats = d.Allocate<Stats>(rows);
            using var ends = d.Allocate<Vector2>(rows);
            Modern.Gpu.RowStats(s, gt, stats, ends, cols, rows);
            using var gr = d.Upload<int>(runData);
            using var runs = d.Allocate<int>(rows);
            using var longest = d.Allocate<int>(rows);
            Modern.Gpu.Runs(s, gr, runs, longest, cols, rows);
            using var gv = d.Upload<Vector3>(triples);
            using var sorted = d.Allocate<Vector3>(triples.Length);
            using var order = d.Allocate<int>(triples.Length);
            Modern.Gpu.Sort3(s, gv, sorted, order, triples.Length);
            s.Synchronize();
            return (gy.ToArray(), gys.ToArray(), stats.ToArray(), ends.ToArray(), runs.ToArray(), longest.ToArray(), sorted.ToArray(), order.ToArray());
        });
        var median = Enumerable.Range(0, n).Select(i => Enumerable.Range(-2, 5).Select(k => x[Math.Clamp(i + k, 0, n - 1)]).OrderBy(v => v).ElementAt(2)).ToArray();
        var poly = Enumerable.Range(0, rows).Select(r =>
        {
            var acc = 0f;
            for (var k = degrees[r]; k >= 0; k--) acc = acc * xs[r] + coefficients[r * stride + k];
            return acc;
        }).ToArray();
        var runCounts = new int[rows];
        var longestRuns = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            int count = 1, current = 1, best = 1;
            for (var k = 1; k < cols; k++)
            {
                if (runData[r * cols + k] != runData[r * cols + k - 1]) { count++; current = 1; }
                else best = Math.Max(best, ++current);
            }
            runCounts[r] = count;
            longestRuns[r] = best;
        }
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Close(median, r.Item1, FloatTolerance.Exact, what + "median5");
            ResultComparison.Exact<int>(runCounts, r.Item5, what + "runs");
            ResultComparison.Exact<int>(longestRuns, r.Item6, what + "longest run");
            for (var i = 0; i < rows; i++)
            {
                var row = table.Skip(i * cols).Take(cols).ToArray();
                Assert.Equal(row.Min(), r.Item3[i].Min);
                Assert.Equal(row.Max(), r.Item3[i].Max);
                Assert.Equal(cols, r.Item3[i].Count);
                Assert.Equal(new Vector2(row[0], row[^1]), r.Item4[i]);
            }
            for (var i = 0; i < triples.Length; i++)
            {
                var t = triples[i];
                var byValue = new[] { (t.X, 0), (t.Y, 1), (t.Z, 2) };
                var sortedValues = byValue.Select(p => p.Item1).OrderBy(v => v).ToArray();
                Assert.Equal(new Vector3(sortedValues[0], sortedValues[1], sortedValues[2]), r.Item7[i]);
                var o = r.Item8[i];
                Assert.Equal(r.Item7[i].X, byValue[o & 15].Item1);
                Assert.Equal(r.Item7[i].Y, byValue[(o >> 4) & 15].Item1);
                Assert.Equal(r.Item7[i].Z, byValue[(o >> 8) & 15].Item1);
            }
        }
        ResultComparison.Close(poly, cpu.Item2, FloatTolerance.Exact, "cpu horner vs host");
        ResultComparison.Close(cpu.Item2, native.Item2, Arithmetic, "horner");
        ResultComparison.Close(cpu.Item3.Select(st => st.Mean).ToArray(), native.Item3.Select(st => st.Mean).ToArray(), Arithmetic, "means");
        ResultComparison.Exact<int>(cpu.Item8, native.Item8, "sort3 order");
    }

    [Fact]
    public void Special_values_through_max_min_clamp_and_conversions()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e10f, -1e10f, 3e9f, -1.5f, 2.5f, 0.5f, -2.5f, 4294967296f, 2147483648f, -2147483904f];
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<float>(x);
            using var f = d.Allocate<float>(4 * x.Length);
            using var n = d.Allocate<int>(4 * x.Length);
            Edges.Gpu.Specials(s, gx, f, n, x.Length);
            s.Synchronize();
            return (f.ToArray(), n.ToArray());
        });
        var expectedF = x.SelectMany(v => new[] { MathF.Max(v, 0f), MathF.Min(v, 1f), Math.Clamp(v, -1f, 1f), float.Lerp(0f, 2f, v) }).ToArray();
        var expectedN = x.SelectMany(v => new[] { (int)v, (int)(uint)v, (int)MathF.Round(v), MathF.Sign(float.IsNaN(v) ? 0f : v) }).ToArray();
        ResultComparison.Close(expectedF, cpu.Item1, FloatTolerance.Exact, "cpu floats");
        ResultComparison.Exact<int>(expectedN, cpu.Item2, "cpu conversions");
        ResultComparison.Exact<int>(expectedN, native.Item2, "conversions");
        // Finite inputs (±0 and out-of-range ones included) agree exactly. NaN through MathF.Max/Min/Math.Clamp and
        // an infinite Lerp amount do not: WGSL's max/min/clamp return the other operand for NaN (C#: NaN) and mix
        // gives ±inf for an infinite amount (C#: NaN). Reported in README.md (finding 2), not fixed here.
        var finite = Enumerable.Range(0, 4 * x.Length).Where(k => float.IsFinite(x[k / 4])).ToArray();
        ResultComparison.Close(finite.Select(k => expectedF[k]).ToArray(), finite.Select(k => native.Item1[k]).ToArray(), FloatTolerance.Exact, "max/min/clamp/lerp");
        // Infinite inputs through max/min/clamp are exact too.
        var infinite = Enumerable.Range(0, 4 * x.Length).Where(k => float.IsInfinity(x[k / 4]) && k % 4 != 3).ToArray();
        ResultComparison.Close(infinite.Select(k => expectedF[k]).ToArray(), infinite.Select(k => native.Item1[k]).ToArray(), FloatTolerance.Exact, "max/min/clamp of infinities");
    }

    [Fact]
    public void Byte_row_reversal_pixel_field_updates_and_short_circuit_scans_match_the_host()
    {
        const int rows = 13, rowLength = 11, count = 77;
        var rng = new Random(9040);
        var data = new byte[rows * rowLength];
        rng.NextBytes(data);
        var raw = new byte[3 * count];
        rng.NextBytes(raw);
        raw[0] = 255; raw[3] = 0; raw[5] = 255; raw[8] = 255;
        var pixels = Enumerable.Range(0, count).Select(i => new Rgb24(raw[3 * i], raw[3 * i + 1], raw[3 * i + 2])).ToArray();
        var (native, cpu) = Both((d, s) =>
        {
            using var g = d.Upload<byte>(data);
            Bytes3.Gpu.ReverseRows(s, g, rowLength, rows, rows);
            using var p = d.Upload<Rgb24>(pixels);
            Bytes3.Gpu.Adjust(s, p, count, 200, count);
            using var orig = d.Upload<byte>(data);
            using var run = d.Allocate<int>(rows);
            using var stop = d.Allocate<int>(rows);
            Bytes3.Gpu.LeadingRun(s, orig, run, stop, rowLength, 40, rows);
            s.Synchronize();
            return (g.ToArray(), p.ToArray(), run.ToArray(), stop.ToArray());
        });
        var reversed = new byte[data.Length];
        for (var r = 0; r < rows; r++)
            for (var k = 0; k < rowLength; k++) reversed[r * rowLength + k] = data[r * rowLength + rowLength - 1 - k];
        var adjusted = pixels.Select(q =>
        {
            var oldR = q.R;
            q.R += 200;
            q.G = (byte)Math.Min(q.G + 200, 255);
            q.B++;
            (q.B, oldR) = (oldR, q.B);
            if (oldR == 0) q.G ^= 0x80;
            return q;
        }).ToArray();
        var runs = new int[rows];
        var stops = new int[rows];
        for (var r = 0; r < rows; r++)
        {
            int i = r * rowLength, end = i + rowLength, n = 0;
            while (i < end && data[i++] > 40) n++;
            runs[r] = n;
            stops[r] = i - r * rowLength;
        }
        static int[] P(Rgb24[] p) => p.SelectMany(e => new int[] { e.R, e.G, e.B }).ToArray();
        foreach (var (r, what) in new[] { (cpu, "cpu "), (native, "") })
        {
            ResultComparison.Exact<byte>(reversed, r.Item1, what + "reversed rows");
            ResultComparison.Exact<int>(P(adjusted), P(r.Item2), what + "adjusted pixels");
            ResultComparison.Exact<int>(runs, r.Item3, what + "runs");
            ResultComparison.Exact<int>(stops, r.Item4, what + "stops");
        }
        Assert.Contains(adjusted, q => q.G < 128); // a B that wrapped to 0 flipped G's top bit (G is at least 200 otherwise)
    }
}

