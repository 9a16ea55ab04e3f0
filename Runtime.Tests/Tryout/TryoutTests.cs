using System.Numerics;
using KernelGen.Corpus;
using KernelGen.Runtime.Tests.CorpusTests;

namespace KernelGen.Runtime.Tests.Tryout;

/// <summary>
/// Kernels written as outside users write them (Tryout/*Kernels.cs), each run on Dawn (lavapipe) and on the CPU
/// backend: integer results bit-exact, float results within the stated tolerance, and against a host reference
/// where one is short to write.
/// </summary>
public class TryoutTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private (T Native, T Cpu) Both<T>(Func<GpuDevice, GpuStream, T> run) => ResultComparison.OnBothBackends(fixture, device =>
    {
        using var stream = device.CreateStream();
        return run(device, stream);
    });

    private static readonly FloatTolerance Arithmetic = new(4, 1e-6f);
    private static readonly FloatTolerance Transcendental = new(64, 2e-5f);

    [Fact]
    public void Image_filters_box_blur_sobel_and_gauss_agree()
    {
        const int w = 37, h = 23;
        var img = new SeededInputs(7001).Floats(w * h, 0f, 1f);
        var (native, cpu) = Both((d, s) =>
        {
            using var src = d.Upload<float>(img);
            using var blur = d.Allocate<float>(w * h);
            using var sobel = d.Allocate<float>(w * h);
            using var gauss = d.Allocate<float>(w * h);
            TryoutImage.Gpu.BoxBlur(s, src, blur, w, h, Grid.Threads(w, h));
            TryoutImage.Gpu.Sobel(s, src, sobel, w, h, Grid.Threads(w, h));
            TryoutImage.Gpu.GaussRow(s, src, gauss, w, w * h);
            s.Synchronize();
            return (blur.ToArray(), sobel.ToArray(), gauss.ToArray());
        });
        var expected = new float[w * h];
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                float sum = 0;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                        sum += img[Math.Clamp(y + dy, 0, h - 1) * w + Math.Clamp(x + dx, 0, w - 1)];
                expected[y * w + x] = sum / 9f;
            }
        ResultComparison.Close(expected, cpu.Item1, FloatTolerance.Exact, "cpu blur vs C#");
        ResultComparison.Close(cpu.Item1, native.Item1, Arithmetic, "blur");
        ResultComparison.Close(cpu.Item2, native.Item2, Arithmetic, "sobel");
        ResultComparison.Close(cpu.Item3, native.Item3, Arithmetic, "gauss");
    }

    [Fact]
    public void Packed_rgba_gamma_sepia_and_grayscale_agree()
    {
        const int n = 1000;
        var pixels = new SeededInputs(7002).AnyUInts(n);
        var (native, cpu) = Both((d, s) =>
        {
            using var src = d.Upload<uint>(pixels);
            using var gamma = d.Allocate<uint>(n);
            using var sepia = d.Allocate<uint>(n);
            using var gray = d.Allocate<float>(n);
            TryoutImage.Gpu.Gamma(s, src, gamma, 2.2f, n);
            TryoutImage.Gpu.Sepia(s, src, sepia, n);
            TryoutImage.Gpu.Grayscale(s, src, gray, n);
            s.Synchronize();
            return (gamma.ToArray(), sepia.ToArray(), gray.ToArray());
        });
        // Gamma goes through pow: a byte may round differently when pow lands next to .5; allow one unit.
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(pixels[i] >> 24, native.Item1[i] >> 24);
            for (var c = 0; c < 24; c += 8)
                Assert.True(Math.Abs((int)((native.Item1[i] >> c) & 255) - (int)((cpu.Item1[i] >> c) & 255)) <= 1, $"gamma pixel {i} channel {c / 8}");
        }
        // Sepia is products and sums before rounding to bytes: an FMA may move a value across .5.
        for (var i = 0; i < n; i++)
            for (var c = 0; c < 32; c += 8)
                Assert.True(Math.Abs((int)((native.Item2[i] >> c) & 255) - (int)((cpu.Item2[i] >> c) & 255)) <= 1, $"sepia pixel {i} channel {c / 8}");
        ResultComparison.Close(cpu.Item3, native.Item3, Arithmetic, "gray");
    }

    [Fact]
    public void Resize_threshold_and_vignette_agree()
    {
        const int sw = 19, sh = 13, dw = 31, dh = 7;
        var img = new SeededInputs(7003).Floats(sw * sh, 0f, 1f);
        var colours = new SeededInputs(7004).Floats(dw * dh * 4, 0f, 1.2f);
        var (native, cpu) = Both((d, s) =>
        {
            using var src = d.Upload<float>(img);
            using var dst = d.Allocate<float>(dw * dh);
            TryoutImage.Gpu.Resize(s, src, dst, sw, sh, dw, dh, Grid.Threads(dw, dh));
            var modes = new List<float[]>();
            foreach (var mode in Enum.GetValues<ThresholdMode>())
            {
                using var t = d.Allocate<float>(sw * sh);
                TryoutImage.Gpu.Threshold(s, src, t, 0.5f, 9f, mode, sw * sh);
                s.Synchronize();
                modes.Add(t.ToArray());
            }
            var c4 = new Vector4[dw * dh];
            for (var i = 0; i < c4.Length; i++) c4[i] = new Vector4(colours[4 * i], colours[4 * i + 1], colours[4 * i + 2], colours[4 * i + 3]);
            using var cs = d.Upload<Vector4>(c4);
            using var co = d.Allocate<Vector4>(dw * dh);
            TryoutImage.Gpu.Vignette(s, cs, co, dw, dh, 0.8f, Grid.Threads(dw, dh));
            s.Synchronize();
            return (dst.ToArray(), modes, co.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, Arithmetic, "resize");
        for (var m = 0; m < 4; m++)
            ResultComparison.Close(cpu.Item2[m], native.Item2[m], FloatTolerance.Exact, $"threshold mode {(ThresholdMode)m}");
        Assert.Equal(img.Select(v => v > 0.5f ? 9f : 0f), cpu.Item2[0]);
        Assert.Equal(img.Select(v => MathF.Min(v, 0.5f)), cpu.Item2[2]);
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(16, 1e-5f), "vignette");
    }

    [Fact]
    public void Workgroup_and_subgroup_reductions_agree()
    {
        const int n = 256 * 7 + 33;
        var x = new SeededInputs(7005).Ints(n, -1000, 1000);
        var xf = x.Select(v => v / 8f).ToArray(); // eighths: every partial sum is exact
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<float>(xf);
            using var partials = d.Allocate<float>(8);
            TryoutParallel.Gpu.ReduceSum(s, gx, partials, n);
            using var gi = d.Upload<int>(x);
            using var ip = d.Allocate<int>((n + 127) / 128);
            TryoutParallel.Gpu.SubgroupSum(s, gi, ip, Grid.Groups((n + 127) / 128));
            s.Synchronize();
            return (partials.ToArray(), ip.ToArray());
        });
        var expected = Enumerable.Range(0, 8).Select(g => xf.Skip(g * 256).Take(256).Sum()).ToArray();
        ResultComparison.Close(expected, cpu.Item1, FloatTolerance.Exact, "cpu partials");
        ResultComparison.Close(expected, native.Item1, FloatTolerance.Exact, "native partials");
        var ints = Enumerable.Range(0, (n + 127) / 128).Select(g => x.Skip(g * 128).Take(128).Sum()).ToArray();
        ResultComparison.Exact<int>(ints, cpu.Item2, "cpu subgroup sums");
        ResultComparison.Exact<int>(ints, native.Item2, "native subgroup sums");
    }

    [Fact]
    public void Scans_agree_with_prefix_sums()
    {
        const int n = 64 * 5;
        var x = new SeededInputs(7006).Ints(n, -50, 50);
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<int>(x);
            using var o = d.Allocate<int>(n);
            TryoutParallel.Gpu.InclusiveScan(s, gx, o, n);
            s.Synchronize();
            return o.ToArray();
        });
        var expected = new int[n];
        for (var i = 0; i < n; i++) expected[i] = (i % 64 == 0 ? 0 : expected[i - 1]) + x[i];
        ResultComparison.Exact<int>(expected, cpu, "cpu scan");
        ResultComparison.Exact<int>(expected, native, "native scan");
    }

    [Fact]
    public void Subgroup_exclusive_scan_matches_the_lane_layout()
    {
        var native = fixture.Device;
        Assert.True(native.Features.Subgroups, "the adapter has no subgroups: " + native.Features);
        int size = native.Features.SubgroupMaxSize;
        Assert.Equal(native.Features.SubgroupMinSize, size); // one size: the CPU can emulate it exactly
        using var cpuDevice = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu, CpuSubgroupSize = size, WaitTimeout = NativeDeviceFixture.WaitTimeout });
        const int n = 64 * 3;
        var x = new SeededInputs(7007).AnyUInts(n);
        uint[] Run(GpuDevice d)
        {
            using var s = d.CreateStream();
            using var gx = d.Upload<uint>(x);
            using var o = d.Allocate<uint>(n);
            TryoutParallel.Gpu.SubgroupExclusive(s, gx, o, n);
            s.Synchronize();
            return o.ToArray();
        }
        var expected = new uint[n];
        for (var i = 0; i < n; i++) expected[i] = (i % 64) % size == 0 ? 0u : unchecked(expected[i - 1] + x[i - 1]);
        ResultComparison.Exact<uint>(expected, Run(cpuDevice), "cpu");
        ResultComparison.Exact<uint>(expected, Run(native), "native");
    }

    [Fact]
    public void Atomics_compaction_and_histogram_agree()
    {
        const int n = 2000;
        var x = new SeededInputs(7008).Ints(n, -100, 100);
        var values = new SeededInputs(7009).AnyUInts(n);
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<int>(x);
            using var o = d.Allocate<int>(n);
            using var counter = d.Allocate<int>(1);
            TryoutParallel.Gpu.Compact(s, gx, o, counter, n);
            using var gv = d.Upload<uint>(values);
            using var bins = d.Allocate<uint>(64);
            TryoutParallel.Gpu.Histogram(s, gv, bins, n);
            s.Synchronize();
            var count = counter.ToArray()[0];
            return (o.ToArray().Take(count).Order().ToArray(), bins.ToArray());
        });
        var kept = x.Where(v => v > 0).Order().ToArray();
        ResultComparison.Exact<int>(kept, cpu.Item1, "cpu kept");
        ResultComparison.Exact<int>(kept, native.Item1, "native kept");
        var hist = new uint[64];
        foreach (var v in values) hist[v % 64]++;
        ResultComparison.Exact<uint>(hist, cpu.Item2, "cpu bins");
        ResultComparison.Exact<uint>(hist, native.Item2, "native bins");
    }

    [Fact]
    public void ArgMax_softmax_and_layernorm_agree()
    {
        const int rows = 6;
        var x = new SeededInputs(7010).Floats(rows * 64, -5f, 5f);
        x[70] = x[71] = 99f; // a tie: the lower index wins
        var gamma = new SeededInputs(7011).Floats(64, 0.5f, 1.5f);
        var beta = new SeededInputs(7012).Floats(64, -1f, 1f);
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<float>(x);
            using var am = d.Allocate<int>(rows);
            using var sm = d.Allocate<float>(rows * 64);
            using var ln = d.Allocate<float>(rows * 64);
            using var gg = d.Upload<float>(gamma);
            using var gb = d.Upload<float>(beta);
            TryoutParallel.Gpu.ArgMax(s, gx, am, rows * 64);
            TryoutParallel.Gpu.SoftmaxRows(s, gx, sm, Grid.Groups(rows));
            TryoutParallel.Gpu.LayerNorm(s, gx, ln, gg, gb, 64, 1e-5f, rows);
            s.Synchronize();
            return (am.ToArray(), sm.ToArray(), ln.ToArray());
        });
        var argmax = Enumerable.Range(0, rows).Select(r => Enumerable.Range(r * 64, 64).MaxBy(i => x[i])).ToArray();
        ResultComparison.Exact<int>(argmax, cpu.Item1, "cpu argmax");
        ResultComparison.Exact<int>(argmax, native.Item1, "native argmax");
        Assert.Equal(70, native.Item1[1]);
        ResultComparison.Close(cpu.Item2, native.Item2, Transcendental, "softmax");
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(16, 1e-5f), "layernorm");
    }

    [Fact]
    public void Tiled_matmul_and_transpose_agree()
    {
        const int m = 21, k = 35, n = 18;
        var a = new SeededInputs(7013).Ints(m * k, -8, 8).Select(v => (float)v).ToArray();
        var b = new SeededInputs(7014).Ints(k * n, -8, 8).Select(v => (float)v).ToArray();
        var (native, cpu) = Both((d, s) =>
        {
            using var ga = d.Upload<float>(a);
            using var gb = d.Upload<float>(b);
            using var gc = d.Allocate<float>(m * n);
            using var gt = d.Allocate<float>(m * k);
            TryoutParallel.Gpu.MatMulTiled(s, ga, gb, gc, m, n, k, Grid.Threads(n, m));
            TryoutParallel.Gpu.Transpose(s, ga, gt, k, m, Grid.Threads(k, m));
            s.Synchronize();
            return (gc.ToArray(), gt.ToArray());
        });
        var c = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
                for (var e = 0; e < k; e++)
                    c[i * n + j] += a[i * k + e] * b[e * n + j];
        ResultComparison.Close(c, cpu.Item1, FloatTolerance.Exact, "cpu matmul"); // small integers: exact
        ResultComparison.Close(c, native.Item1, FloatTolerance.Exact, "native matmul");
        var t = new float[m * k];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < k; j++)
                t[j * m + i] = a[i * k + j];
        ResultComparison.Close(t, cpu.Item2, FloatTolerance.Exact, "cpu transpose");
        ResultComparison.Close(t, native.Item2, FloatTolerance.Exact, "native transpose");
    }

    [Fact]
    public void Sparse_graph_and_sorting_kernels_agree()
    {
        // CSR: row r has r % 4 entries.
        const int rows = 50, cols = 40;
        var random = new Random(7015);
        var rowPtr = new List<int> { 0 };
        var colIdx = new List<int>();
        var vals = new List<float>();
        for (var r = 0; r < rows; r++)
        {
            for (var e = 0; e < r % 4; e++) { colIdx.Add(random.Next(cols)); vals.Add(random.Next(-4, 5)); }
            rowPtr.Add(colIdx.Count);
        }
        var xv = Enumerable.Range(0, cols).Select(i => (float)(i % 7 - 3)).ToArray();
        const int nodes = 13;
        var dist = new int[nodes * nodes];
        for (var i = 0; i < dist.Length; i++) dist[i] = i / nodes == i % nodes ? 0 : random.Next(4) == 0 ? random.Next(1, 20) : int.MaxValue;
        var data = new SeededInputs(7016).Ints(64, -1000, 1000);
        var (native, cpu) = Both((d, s) =>
        {
            using var rp = d.Upload<int>(rowPtr.ToArray());
            using var ci = d.Upload<int>(colIdx.ToArray());
            using var va = d.Upload<float>(vals.ToArray());
            using var gx = d.Upload<float>(xv);
            using var y = d.Allocate<float>(rows);
            TryoutParallel.Gpu.SpMV(s, rp, ci, va, gx, y, rows);
            using var gd = d.Upload<int>(dist);
            for (var k = 0; k < nodes; k++)
                TryoutParallel.Gpu.FloydWarshallStep(s, gd, nodes, k, Grid.Threads(nodes, nodes));
            using var gs = d.Upload<int>(data);
            for (var k = 2; k <= 64; k <<= 1)
                for (var j = k >> 1; j > 0; j >>= 1)
                    TryoutParallel.Gpu.BitonicStep(s, gs, j, k, 64);
            s.Synchronize();
            return (y.ToArray(), gd.ToArray(), gs.ToArray());
        });
        var spmv = new float[rows];
        for (var r = 0; r < rows; r++)
            for (var e = rowPtr[r]; e < rowPtr[r + 1]; e++) spmv[r] += vals[e] * xv[colIdx[e]];
        ResultComparison.Close(spmv, cpu.Item1, FloatTolerance.Exact, "cpu spmv");
        ResultComparison.Close(spmv, native.Item1, FloatTolerance.Exact, "native spmv");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "floyd-warshall");
        Assert.Contains(cpu.Item2, v => v != 0 && v != int.MaxValue);
        ResultComparison.Exact<int>(data.Order().ToArray(), cpu.Item3, "cpu bitonic");
        ResultComparison.Exact<int>(data.Order().ToArray(), native.Item3, "native bitonic");
    }

    [Fact]
    public void KMeans_and_convolutions_agree()
    {
        var inputs = new SeededInputs(7017);
        var pts = inputs.Floats(400, -10f, 10f);
        var points = Enumerable.Range(0, 200).Select(i => new Vector2(pts[2 * i], pts[2 * i + 1])).ToArray();
        var centroids = new[] { new Vector2(-5, -5), new Vector2(5, 5), new Vector2(0, 7), new Vector2(6, -6) };
        var signal = inputs.Floats(100);
        var weights = inputs.Floats(7);
        const int w = 17, h = 11;
        var img = inputs.Floats(w * h);
        var w9 = inputs.Floats(9);
        var (native, cpu) = Both((d, s) =>
        {
            using var gp = d.Upload<Vector2>(points);
            using var gc = d.Upload<Vector2>(centroids);
            using var ga = d.Allocate<int>(points.Length);
            TryoutParallel.Gpu.KMeansAssign(s, gp, gc, ga, points.Length);
            using var gs = d.Upload<float>(signal);
            using var gw = d.Upload<float>(weights);
            using var go = d.Allocate<float>(signal.Length);
            TryoutParallel.Gpu.Conv1D(s, gs, gw, go, signal.Length);
            using var gi = d.Upload<float>(img);
            using var g9 = d.Upload<float>(w9);
            using var g2 = d.Allocate<float>(w * h);
            TryoutParallel.Gpu.Conv2D(s, gi, g9, g2, w, h, Grid.Threads(w, h));
            s.Synchronize();
            return (ga.ToArray(), go.ToArray(), g2.ToArray());
        });
        var assign = points.Select(p => Enumerable.Range(0, 4).MinBy(c => Vector2.DistanceSquared(p, centroids[c]))).ToArray();
        ResultComparison.Exact<int>(assign, cpu.Item1, "cpu kmeans");
        ResultComparison.Exact<int>(assign, native.Item1, "native kmeans");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(16, 1e-5f), "conv1d");
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(16, 1e-5f), "conv2d");
    }

    [Fact]
    public void Simulation_kernels_agree()
    {
        var inputs = new SeededInputs(7018);
        var b = inputs.Floats(4 * 64, -3f, 3f);
        var bodies = Enumerable.Range(0, 64).Select(i => new Vector4(b[4 * i], b[4 * i + 1], b[4 * i + 2], MathF.Abs(b[4 * i + 3]))).ToArray();
        var particles = Enumerable.Range(0, 100).Select(i => new Particle
        {
            Position = new Vector3(i * 0.1f, 1f + i % 5 * 0.01f, -i * 0.2f),
            Mass = 1 + i % 3,
            Velocity = new Vector3(i % 7 - 3, -(i % 11), 0.5f),
        }).ToArray();
        const int w = 19, h = 12;
        var cells = inputs.Ints(w * h, 0, 2);
        var (native, cpu) = Both((d, s) =>
        {
            using var gb = d.Upload<Vector4>(bodies);
            using var acc = d.Allocate<Vector4>(64);
            TryoutMisc.Gpu.NBody(s, gb, acc, 64);
            using var gp = d.Upload<Particle>(particles);
            using var energy = d.Allocate<float>(particles.Length);
            TryoutMisc.Gpu.Particles(s, gp, energy, new Vector3(0, -9.81f, 0), 0.05f, 0.5f, particles.Length);
            using var c0 = d.Upload<int>(cells);
            using var c1 = d.Allocate<int>(w * h);
            TryoutMisc.Gpu.Life(s, c0, c1, w, h, Grid.Threads(w, h));
            TryoutMisc.Gpu.Life(s, c1, c0, w, h, Grid.Threads(w, h));
            s.Synchronize();
            return (acc.ToArray(), gp.ToArray(), energy.ToArray(), c0.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(64, 1e-4f), "nbody");
        ResultComparison.Close(cpu.Item2.Select(p => new Vector4(p.Position, p.Age)).ToArray(), native.Item2.Select(p => new Vector4(p.Position, p.Age)).ToArray(), Arithmetic, "particle positions");
        ResultComparison.Close(cpu.Item2.Select(p => new Vector4(p.Velocity, p.Mass)).ToArray(), native.Item2.Select(p => new Vector4(p.Velocity, p.Mass)).ToArray(), Arithmetic, "particle velocities");
        Assert.All(cpu.Item2, p => Assert.True(p.Position.Y >= 0.5f));
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(8, 1e-5f), "energy");
        ResultComparison.Exact<int>(cpu.Item4, native.Item4, "life");
        var life = (int[])cells.Clone();
        for (var gen = 0; gen < 2; gen++)
        {
            var next = new int[w * h];
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                {
                    var count = 0;
                    for (var dy = -1; dy <= 1; dy++)
                        for (var dx = -1; dx <= 1; dx++)
                            if (dx != 0 || dy != 0) count += life[(y + dy + h) % h * w + (x + dx + w) % w];
                    next[y * w + x] = count == 3 || (life[y * w + x] == 1 && count == 2) ? 1 : 0;
                }
            life = next;
        }
        ResultComparison.Exact<int>(life, cpu.Item4, "cpu life vs C#");
    }

    [Fact]
    public void Mandelbrot_and_rays_agree()
    {
        const int w = 40, h = 30;
        var dirs = new SeededInputs(7019).Floats(3 * 50, -1f, 1f);
        var dv = Enumerable.Range(0, 50).Select(i => new Vector3(dirs[3 * i] * 0.3f, dirs[3 * i + 1] * 0.3f, 1f)).ToArray();
        var (native, cpu) = Both((d, s) =>
        {
            using var img = d.Allocate<uint>(w * h);
            TryoutMisc.Gpu.Mandelbrot(s, img, w, h, 100, Grid.Threads(w, h));
            using var shade = d.Allocate<float>(w * h);
            TryoutMisc.Gpu.RaySphere(s, shade, w, h, new Vector3(0.2f, -0.1f, -4f), 1.3f, Grid.Threads(w, h));
            using var gd = d.Upload<Vector3>(dv);
            using var depth = d.Allocate<float>(dv.Length);
            TryoutMisc.Gpu.RayMarch(s, gd, depth, dv.Length);
            s.Synchronize();
            return (img.ToArray(), shade.ToArray(), depth.ToArray());
        });
        // Escape counts: an FMA can change an orbit near the boundary; nearly all must agree.
        var differing = Enumerable.Range(0, w * h).Count(i => native.Item1[i] != cpu.Item1[i]);
        Assert.True(differing <= w * h / 50, $"{differing} escape counts differ");
        Assert.Contains(cpu.Item1, v => v == 100u);
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(64, 1e-4f), "ray-sphere shade");
        Assert.Contains(cpu.Item2, v => v > 0f);
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(64, 1e-3f), "ray-march depth");
    }

    [Fact]
    public void Random_numbers_and_bit_tricks_are_bit_exact()
    {
        const int n = 300;
        var x = new SeededInputs(7020).AnyUInts(n);
        x[0] = 0; x[1] = 1; x[2] = 0x8000_0000u; x[3] = uint.MaxValue;
        var (native, cpu) = Both((d, s) =>
        {
            using var hashes = d.Allocate<uint>(n);
            using var uni = d.Allocate<float>(n);
            TryoutMisc.Gpu.Random(s, hashes, uni, 0xDEADBEEFu, n);
            using var inside = d.Allocate<int>(1);
            TryoutMisc.Gpu.MonteCarloPi(s, inside, 64, 256);
            using var gx = d.Upload<uint>(x);
            using var counts = d.Allocate<int>(4 * n);
            using var rev = d.Allocate<uint>(2 * n);
            TryoutMisc.Gpu.Bits(s, gx, counts, rev, n);
            s.Synchronize();
            return (hashes.ToArray(), uni.ToArray(), inside.ToArray()[0], counts.ToArray(), rev.ToArray());
        });
        ResultComparison.Exact<uint>(Enumerable.Range(0, n).Select(i => Rng.Pcg((uint)i ^ 0xDEADBEEFu)).ToArray(), cpu.Item1, "cpu pcg");
        ResultComparison.Exact<uint>(cpu.Item1, native.Item1, "pcg");
        ResultComparison.Close(cpu.Item2, native.Item2, FloatTolerance.Exact, "xorshift floats");
        Assert.Equal(cpu.Item3, native.Item3);
        Assert.InRange(cpu.Item3 / (64.0 * 256) * 4, 3.0, 3.3);
        ResultComparison.Exact<int>(cpu.Item4, native.Item4, "bit counts");
        ResultComparison.Exact<uint>(cpu.Item5, native.Item5, "reversed and rotated");
        Assert.Equal([0, 32, 32, 0], cpu.Item4[..4]);
        Assert.Equal(0x8000_0000u, cpu.Item5[2]); // reverse(1)
    }

    [Fact]
    public void Integer_members_popcount_log2_rotate_follow_csharp()
    {
        const int n = 200;
        var x = new SeededInputs(7030).AnyUInts(n);
        x[0] = 0; x[1] = 1; x[2] = 0x8000_0000u; x[3] = uint.MaxValue; x[4] = 64; x[5] = 0x7FFF_FFFFu;
        var (native, cpu) = Both((d, s) =>
        {
            using var gx = d.Upload<uint>(x);
            using var u = d.Allocate<uint>(5 * n);
            using var si = d.Allocate<int>(4 * n);
            TryoutMisc.Gpu.IntegerMembers(s, gx, u, si, n);
            using var gi = d.Upload<int>(x.Select(v => (int)(v >> 1)).ToArray()); // non-negative: int.Log2 of a negative value throws in C#
            using var gy = d.Allocate<int>(n);
            TryoutMisc.Gpu.GenericPopCount(s, gi, gy, n);
            using var gyu = d.Allocate<uint>(n);
            TryoutMisc.Gpu.GenericPopCount(s, gx, gyu, n);
            s.Synchronize();
            return (u.ToArray(), si.ToArray(), gy.ToArray(), gyu.ToArray());
        });
        var eu = new uint[5 * n];
        var es = new int[4 * n];
        for (var i = 0; i < n; i++)
        {
            uint v = x[i];
            int w = (int)v;
            eu[5 * i] = uint.PopCount(v);
            eu[5 * i + 1] = uint.LeadingZeroCount(v) + uint.TrailingZeroCount(v);
            eu[5 * i + 2] = uint.Log2(v);
            eu[5 * i + 3] = uint.RotateRight(v, i) ^ uint.RotateLeft(v, 3);
            eu[5 * i + 4] = uint.IsPow2(v) ? 1u : 0u;
            es[4 * i] = int.PopCount(w) - int.LeadingZeroCount(w);
            es[4 * i + 1] = int.TrailingZeroCount(w);
            es[4 * i + 2] = w >= 0 ? int.Log2(w) : -1;
            es[4 * i + 3] = int.IsPow2(w) ? 1 : 0;
        }
        ResultComparison.Exact<uint>(eu, cpu.Item1, "cpu uint members");
        ResultComparison.Exact<uint>(eu, native.Item1, "native uint members");
        ResultComparison.Exact<int>(es, cpu.Item2, "cpu int members");
        ResultComparison.Exact<int>(es, native.Item2, "native int members");
        var gi = x.Select(v => (int)(v >> 1)).Select(w => int.PopCount(w) + int.Log2(int.Abs(w))).ToArray();
        ResultComparison.Exact<int>(gi, cpu.Item3, "cpu generic int");
        ResultComparison.Exact<int>(gi, native.Item3, "native generic int");
        var gu = x.Select(v => uint.PopCount(v) + uint.Log2(v)).ToArray();
        ResultComparison.Exact<uint>(gu, cpu.Item4, "cpu generic uint");
        ResultComparison.Exact<uint>(gu, native.Item4, "native generic uint");
    }

    [Fact]
    public void Integer_division_remainder_and_shifts_follow_csharp()
    {
        const int n = 400;
        var inputs = new SeededInputs(7021);
        var a = inputs.AnyInts(n);
        var b = inputs.Ints(n, -20, 20);
        a[0] = int.MinValue; b[0] = -1; // C# throws here; the GPU gives WGSL's defined value: keep it out of the comparison
        a[0] = int.MinValue + 1;
        var (native, cpu) = Both((d, s) =>
        {
            using var ga = d.Upload<int>(a);
            using var gb = d.Upload<int>(b);
            using var o = d.Allocate<int>(8 * n);
            TryoutMisc.Gpu.IntMath(s, ga, gb, o, n);
            s.Synchronize();
            return o.ToArray();
        });
        var expected = new int[8 * n];
        for (var i = 0; i < n; i++)
        {
            int x = a[i], y = b[i] == 0 ? 1 : b[i];
            expected[8 * i] = x / y;
            expected[8 * i + 1] = x % y;
            expected[8 * i + 2] = Math.Abs(x % 1000) * Math.Sign(y);
            expected[8 * i + 3] = Math.Max(x, y) - Math.Min(x, y) / 3;
            expected[8 * i + 4] = (int)((uint)x / (uint)y);
            expected[8 * i + 5] = (int)((uint)x % (uint)y);
            expected[8 * i + 6] = x >> (y & 31);
            expected[8 * i + 7] = unchecked((int)((uint)x >> (i % 32)) + (x << (i % 7)));
        }
        ResultComparison.Exact<int>(expected, cpu, "cpu");
        ResultComparison.Exact<int>(expected, native, "native");
    }

    [Fact]
    public void Activation_switch_expression_on_an_enum_agrees()
    {
        var x = new SeededInputs(7022).Floats(500, -6f, 6f);
        foreach (var act in Enum.GetValues<Activation>())
        {
            var (native, cpu) = Both((d, s) =>
            {
                using var gx = d.Upload<float>(x);
                using var y = d.Allocate<float>(x.Length);
                TryoutMisc.Gpu.Activate(s, gx, y, act, 0.1f, x.Length);
                s.Synchronize();
                return y.ToArray();
            });
            ResultComparison.Close(cpu, native, Transcendental, act.ToString());
            if (act == Activation.Relu) Assert.Equal(x.Select(v => MathF.Max(0, v)), cpu);
        }
    }

    [Fact]
    public void Generic_kernels_run_for_float_int_and_uint()
    {
        var xf = new SeededInputs(7023).Floats(120);
        var xi = new SeededInputs(7024).Ints(120, -100, 100);
        var (native, cpu) = Both((d, s) =>
        {
            using var gxf = d.Upload<float>(xf);
            using var gyf = d.Upload<float>(xf.Reverse().ToArray());
            TryoutMisc.Gpu.Axpy(s, 0.5f, gxf, gyf, xf.Length);
            using var gxi = d.Upload<int>(xi);
            using var gyi = d.Upload<int>(xi.Reverse().ToArray());
            TryoutMisc.Gpu.Axpy(s, -3, gxi, gyi, xi.Length);
            using var su = d.Upload<uint>(xi.Select(v => (uint)(v + 100)).ToArray());
            using var sums = d.Allocate<uint>(12);
            TryoutMisc.Gpu.RowSum(s, su, sums, 10, 20u, 150u, 12);
            using var sf = d.Allocate<float>(12);
            TryoutMisc.Gpu.RowSum(s, gxf, sf, 10, -1f, 1f, 12);
            s.Synchronize();
            return (gyf.ToArray(), gyi.ToArray(), sums.ToArray(), sf.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, Arithmetic, "axpy float");
        var axpyInt = xi.Reverse().Zip(xi, (y, x) => y - 3 * x).ToArray();
        ResultComparison.Exact<int>(axpyInt, cpu.Item2, "cpu axpy int");
        ResultComparison.Exact<int>(axpyInt, native.Item2, "native axpy int");
        ResultComparison.Exact<uint>(cpu.Item3, native.Item3, "row sums uint");
        ResultComparison.Close(cpu.Item4, native.Item4, Arithmetic, "row sums float");
    }

    [Fact]
    public void Specialised_tile_sizes_and_foreach_over_a_span_agree()
    {
        var x = new SeededInputs(7025).Ints(1000, -500, 500);
        foreach (var tile in new[] { 32, 64, 128 })
        {
            var groups = (x.Length + tile - 1) / tile;
            var (native, cpu) = Both((d, s) =>
            {
                using var gx = d.Upload<int>(x);
                using var sums = d.Allocate<int>(groups);
                TryoutMisc.Gpu.TileSum(s, gx, sums, tile, Grid.Groups(groups));
                s.Synchronize();
                return sums.ToArray();
            });
            var expected = Enumerable.Range(0, groups).Select(g => x.Skip(g * tile).Take(tile).Sum()).ToArray();
            ResultComparison.Exact<int>(expected, cpu, $"cpu tile {tile}");
            ResultComparison.Exact<int>(expected, native, $"native tile {tile}");
        }
        var weights = new SeededInputs(7026).Floats(33);
        var (n2, c2) = Both((d, s) =>
        {
            using var gw = d.Upload<float>(weights);
            using var y = d.Allocate<float>(50);
            TryoutMisc.Gpu.Normalize(s, gw, y, 50);
            s.Synchronize();
            return y.ToArray();
        });
        ResultComparison.Close(c2, n2, new FloatTolerance(64, 1e-6f), "normalize");
    }

    [Fact]
    public void Per_thread_sort_and_half_buffers_agree()
    {
        var data = new SeededInputs(7027).Floats(8 * 20);
        var (native, cpu) = Both((d, s) =>
        {
            using var g = d.Upload<float>(data);
            TryoutMisc.Gpu.SortEight(s, g, 20);
            s.Synchronize();
            return g.ToArray();
        });
        var expected = data.Chunk(8).SelectMany(c => c.Order()).ToArray();
        ResultComparison.Close(expected, cpu, FloatTolerance.Exact, "cpu sort");
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "native sort");

        Assert.True(fixture.Device.Features.ShaderF16, "the adapter lacks shader-f16: " + fixture.Device.Features);
        var h = new SeededInputs(7028).Floats(100).Select(v => (Half)v).ToArray();
        var (hn, hc) = Both((d, s) =>
        {
            using var gx = d.Upload<Half>(h);
            using var gy = d.Allocate<Half>(h.Length);
            TryoutMisc.Gpu.HalfScale(s, gx, gy, 1.75f, h.Length);
            s.Synchronize();
            return gy.ToArray();
        });
        ResultComparison.Close(hc, hn, 1, "half scale");
    }
}

/// <summary>Lookup tables (Tryout/TableKernels.cs): module-scope WGSL constants on Dawn, the C# members on the CPU.</summary>
public class TryoutTableTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(LookupTables), nameof(LookupTables.Sobel))]
    [CorpusCase(typeof(LookupTables), nameof(LookupTables.Sepia))]
    [CorpusCase(typeof(LookupTables), nameof(LookupTables.Mixed))]
    [CorpusCase(typeof(LookupTables), nameof(LookupTables.TileBlur))]
    public void Lookup_tables_agree_with_local_array_forms_and_csharp()
    {
        const int w = 29, h = 17, n = 300;
        var inputs = new SeededInputs(7101);
        var img = inputs.Floats(w * h, 0f, 1f);
        var pixels = inputs.AnyUInts(n);
        var src = inputs.Floats(n);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, d =>
        {
            using var s = d.CreateStream();
            using var gi = d.Upload<float>(img);
            using var sobel = d.Allocate<float>(w * h);
            using var sobelLocal = d.Allocate<float>(w * h);
            LookupTables.Gpu.Sobel(s, gi, sobel, w, h, Grid.Threads(w, h));
            TryoutImage.Gpu.Sobel(s, gi, sobelLocal, w, h, Grid.Threads(w, h));
            using var gp = d.Upload<uint>(pixels);
            using var sepia = d.Allocate<uint>(n);
            using var sepiaLocal = d.Allocate<uint>(n);
            LookupTables.Gpu.Sepia(s, gp, sepia, n);
            TryoutImage.Gpu.Sepia(s, gp, sepiaLocal, n);
            using var gs = d.Upload<float>(src);
            using var mixed = d.Allocate<float>(n);
            using var bytes = d.Allocate<uint>(n);
            LookupTables.Gpu.Mixed(s, gs, mixed, gp, bytes, n);
            using var blur = d.Allocate<float>(n);
            LookupTables.Gpu.TileBlur(s, gs, blur, n);
            s.Synchronize();
            return (sobel.ToArray(), sobelLocal.ToArray(), sepia.ToArray(), sepiaLocal.ToArray(), mixed.ToArray(), bytes.ToArray(), blur.ToArray());
        });
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(4, 1e-6f), "sobel (tables)");
        ResultComparison.Close(native.Item2, native.Item1, FloatTolerance.Exact, "sobel tables vs local arrays, native");
        var sepia = pixels.Select(p =>
        {
            float r = p & 0xFF, g = (p >> 8) & 0xFF, b = (p >> 16) & 0xFF;
            uint result = p & 0xFF000000u;
            for (var row = 0; row < 3; row++)
                result |= (uint)Math.Clamp(MathF.Round(r * TableFilters.Sepia[3 * row] + g * TableFilters.Sepia[3 * row + 1] + b * TableFilters.Sepia[3 * row + 2]), 0f, 255f) << (8 * row);
            return result;
        }).ToArray();
        ResultComparison.Exact<uint>(sepia, cpu.Item3, "cpu sepia vs C#");
        // An FMA may move a channel across .5: within one unit per byte.
        for (var i = 0; i < n; i++)
            for (var c = 0; c < 32; c += 8)
                Assert.True(Math.Abs((int)((native.Item3[i] >> c) & 255) - (int)((cpu.Item3[i] >> c) & 255)) <= 1, $"sepia pixel {i} channel {c / 8}");
        var mixed = new float[n];
        for (var i = 0; i < n; i++)
        {
            float acc = 0.5f * src[i % n] - 0.25f * src[(i + 1) % n] + 2f * src[(i + 2) % n];
            var p = Vector2.Zero;
            foreach (var o in new[] { new Vector2(-1f, 0f), new Vector2(1f, 0f), new Vector2(0f, -1f), new Vector2(0f, 1f) }) p += o * src[i];
            mixed[i] = acc + (p.X - p.Y + src[i] * 0.375f);
        }
        ResultComparison.Close(mixed, cpu.Item5, FloatTolerance.Exact, "cpu mixed vs C#");
        ResultComparison.Close(cpu.Item5, native.Item5, new FloatTolerance(4, 1e-6f), "mixed");
        var byteSums = pixels.Select(v => (v & 255) + ((v >> 8) & 255) + ((v >> 16) & 255) + (v >> 24)).ToArray();
        ResultComparison.Exact<uint>(byteSums, cpu.Item6, "cpu byte sums");
        ResultComparison.Exact<uint>(byteSums, native.Item6, "native byte sums");
        ResultComparison.Close(cpu.Item7, native.Item7, new FloatTolerance(4, 1e-6f), "tile blur");
        Assert.Contains(cpu.Item7, v => v != 0f);
    }
}
