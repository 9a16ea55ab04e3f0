using KernelGen.Samples.EfficientNet.Layers;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Tests.Reference;
using Activations = KernelGen.Samples.EfficientNet.Tests.Reference.ReferenceEfficientNet.Activations;
using Xunit.Abstractions;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// The alternative kernels the model picks (<see cref="GlobalAveragePool.Reduce"/>, the fused
/// <see cref="SqueezeExcitation.Gate"/>, every <see cref="PointwiseConvolution.ForwardTile"/> shape (with split-K and the folded expand), <see cref="FullyConnected.ForwardReduce"/>, the specialisations of <see cref="PointwiseConvolution.Forward"/> and <see cref="DepthwiseConvolution.Forward"/>, <see cref="DepthwiseConvolution.ForwardPooled"/>): against the C#
/// reference on both backends, and the whole network with them forced on against the fixture's float64 logits.
/// </summary>
public sealed class AlternativeKernelTests(ITestOutputHelper output)
{
    private static float[] RandomArray(Random rng, int n, float scale = 1f)
    {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = scale * (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    private static void AssertClose(float[] expected, float[] actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [InlineData(GpuBackend.Cpu)]
    [InlineData(GpuBackend.Native)]
    public void Pool_and_fused_squeeze_excitation_match_the_reference(GpuBackend backend)
    {
        var rng = new Random(41);
        // plane 150 is not a multiple of 64 (ragged strided sums); 70 channels and squeeze 17 are not multiples of 4.
        int n = 2, c = 70, squeeze = 17, h = 10, w = 15;
        float[] x = RandomArray(rng, n * c * h * w);
        float[] w1 = RandomArray(rng, squeeze * c, 0.5f), b1 = RandomArray(rng, squeeze, 0.2f);
        float[] w2 = RandomArray(rng, c * squeeze, 0.5f), b2 = RandomArray(rng, c, 0.2f);

        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), pooled = device.Allocate<float>(n * c), gate = device.Allocate<float>(n * c);
        using GpuBuffer<float> dw1 = device.Upload<float>(w1), db1 = device.Upload<float>(b1), dw2 = device.Upload<float>(w2), db2 = device.Upload<float>(b2);
        Layers.GlobalAveragePool.Gpu.Reduce(stream, dx, pooled, c, h * w, Grid.Groups(c, n));
        Layers.SqueezeExcitation.Gpu.Gate(stream, pooled, dw1, db1, dw2, db2, gate, c, squeeze, 1, 1f, c, Grid.Groups(1, n));
        stream.Synchronize();

        AssertClose(ReferenceEfficientNet.GlobalAveragePool(new Activations(x, n, c, h, w)), pooled.ToArray());
        AssertClose(ReferenceEfficientNet.SqueezeExcitationGate(new Activations(x, n, c, h, w), w1, b1, w2, b2, squeeze), gate.ToArray());
    }

    /// <summary>
    /// Native only (the CPU backend runs barrier kernels with one thread per invocation: minutes for the network; the
    /// layer tests cover it): every plan choice forced over the whole network, against the fixture's float64 logits.
    /// </summary>
    public static TheoryData<string> ForcedPlans => new(ForcedPlanOptions.Keys);

    private static readonly Dictionary<string, ExecutionPlanOptions> ForcedPlanOptions = new()
    {
        ["large tile, no split; fused gate; workgroup pool; reduce classifier"] = new() { Pointwise = PointwiseKernel.Large64x128, Splits = 1, Gate = GateKernel.Fused, Pool = PoolKernel.Workgroup, Classifier = ClassifierKernel.Reduce },
        ["large tile split 4 where it fits; reduce-then-expand gate"] = new() { Pointwise = PointwiseKernel.Large64x128, Splits = 4, Gate = GateKernel.ReduceThenExpand },
        ["split 16 where it fits (heuristic kernels elsewhere)"] = new() { Splits = 16 },
        ["large tile split 4 where it fits, projections' split-K sums left to the consumers' loads"] = new() { Pointwise = PointwiseKernel.Large64x128, Splits = 4, DeferSplitSums = true },
        ["split 4 where it fits, heuristic kernels elsewhere (per-invocation ones on software adapters, adding the projections' partial sums)"] = new() { Splits = 4, DeferSplitSums = true },
        ["narrow tile where it fits; serial gate, pool and classifier"] = new() { Pointwise = PointwiseKernel.Narrow32x256, Gate = GateKernel.Serial, Pool = PoolKernel.Serial, Classifier = ClassifierKernel.Serial },
        ["64x64 tile; pooled depthwise"] = new() { Pointwise = PointwiseKernel.Tiled64x64, Depthwise = DepthwiseKernel.Pooled },
        ["4x4 pointwise; sliding depthwise"] = new() { Pointwise = PointwiseKernel.Block4x4, Depthwise = DepthwiseKernel.Sliding },
        ["8x4 pointwise; per-tap depthwise"] = new() { Pointwise = PointwiseKernel.Wide8x4, Depthwise = DepthwiseKernel.PerTap },
        ["pool partial sums from the depthwise; reduce-then-expand gate; 8-channel stem"] = new() { Stem = StemKernel.DenseConvolutionWide, Depthwise = DepthwiseKernel.SlidingPartialPool, Gate = GateKernel.ReduceThenExpand },
        ["pool partial sums from the depthwise; fused gate; 64x64 tile"] = new() { Pointwise = PointwiseKernel.Tiled64x64, Depthwise = DepthwiseKernel.SlidingPartialPool, Gate = GateKernel.Fused },
        ["per-tap depthwise, serial pool; sliced fused gate"] = new() { Depthwise = DepthwiseKernel.PerTap, Pool = PoolKernel.Serial, Gate = GateKernel.FusedSliced },
        ["SE expand folded into the large-tile projections (split 4 where it fits)"] = new() { Pointwise = PointwiseKernel.Large64x128, Splits = 4, Gate = GateKernel.ReduceThenExpand, FoldExpand = true },
        ["SE expand folded into the large-tile projections, no split; partial-sum pool"] = new() { Pointwise = PointwiseKernel.Large64x128, Splits = 1, Depthwise = DepthwiseKernel.SlidingPartialPool, Gate = GateKernel.ReduceThenExpand, FoldExpand = true },
    };

    [Theory]
    [MemberData(nameof(ForcedPlans))]
    public void Network_with_forced_plan_choices_matches_the_PyTorch_logits(string name)
    {
        ExecutionPlanOptions options = ForcedPlanOptions[name];
        const int images = 1; // the slowest passes of the suite on lavapipe; batching is covered by ModelFixtureTests
        using GpuDevice device = TestDevices.Create(GpuBackend.Native);
        using var model = new EfficientNetB0(device, EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture"), plan: options);
        ExecutionPlan plan = model.PlanFor(images);
        output.WriteLine(plan.Describe());
        Assert.Contains(plan.Layers, l => l.Source == PlanSource.Forced);
        if (options.Pointwise is PointwiseKernel forced && forced is not PointwiseKernel.Narrow32x256)
            Assert.All(plan.Layers.Where(l => l.Layer.EndsWith(".expand", StringComparison.Ordinal) || l.Layer.EndsWith(".project", StringComparison.Ordinal) || l.Layer == "head"),
                l => Assert.StartsWith(forced.ToString(), l.Kernel, StringComparison.Ordinal));
        if (options.Splits is int splits and > 1)
            Assert.Contains(plan.Layers, l => l.Kernel.StartsWith("Large64x128/split", StringComparison.Ordinal) && l.Source == PlanSource.Forced);
        if (options.Stem is StemKernel stemKernel)
            Assert.Equal(stemKernel.ToString(), plan.Layers.Single(l => l.Layer == "stem").Kernel);
        if (options.Depthwise is DepthwiseKernel d)
            Assert.All(plan.Layers.Where(l => l.Layer.EndsWith(".depthwise", StringComparison.Ordinal)), l => Assert.StartsWith(d.ToString(), l.Kernel, StringComparison.Ordinal));
        if (options.Pool is PoolKernel p && options.Depthwise is not (DepthwiseKernel.Pooled or DepthwiseKernel.SlidingPartialPool))
            Assert.All(plan.Layers.Where(l => l.Layer.EndsWith(".depthwise", StringComparison.Ordinal)), l => Assert.EndsWith($"pool {p}", l.Kernel, StringComparison.Ordinal));
        if (options.FoldExpand == true)
            Assert.All(plan.Layers.Where(l => l.Layer.EndsWith(".project", StringComparison.Ordinal)), l => Assert.Contains("+expand", l.Kernel, StringComparison.Ordinal));
        // Split-K projections leave their sums to the consumers only when asked ("+deferred" in the plan).
        if (options.Splits is int deferSplits and > 1)
        {
            if (options.DeferSplitSums != true)
                Assert.DoesNotContain(plan.Layers, l => l.Kernel.EndsWith("+deferred", StringComparison.Ordinal));
            else
                Assert.Contains(plan.Layers, l => l.Layer.EndsWith(".project", StringComparison.Ordinal) && l.Kernel.EndsWith("+deferred", StringComparison.Ordinal));
        }
        if (options.Gate is GateKernel g)
            Assert.Contains(plan.Layers, l => l.Layer.EndsWith(".gate", StringComparison.Ordinal) && l.Kernel == g.ToString() && l.Source == PlanSource.Forced);
        float[] logits = model.Forward(Fixture.Inputs(images), images);
        float[] expected = Fixture.ReferenceTensors["logits"].Data.AsSpan(0, images * 1000).ToArray();
        (double max, int top1) = LogitComparison.Compare(logits, expected, images, 1000);
        output.WriteLine($"{device}: max_abs_diff={max:G4} top1_match={top1}/{images}");
        Assert.Equal(images, top1);
        Assert.True(max <= 1e-4, $"max abs diff {max}");
    }

    /// <summary>The operands of one pointwise problem on a device, shared by the kernel variants under test.</summary>
    private sealed record PointwiseOperands(
        GpuBuffer<float> X, GpuBuffer<float> Weight, GpuBuffer<float> Bias, GpuBuffer<float> Scale, GpuBuffer<float> Residual,
        GpuBuffer<float> Partial, int Images, int InChannels, int OutChannels, int Plane);

    /// <summary>Records one pointwise kernel variant writing <paramref name="output"/> with the given epilogue.</summary>
    private delegate void PointwiseVariant(GpuStream stream, PointwiseOperands o, GpuBuffer<float> output, Activation activation, bool useScale, bool useResidual);

    /// <summary>
    /// Runs the 4x4 per-invocation kernel and every variant on the same seeded problem, with SiLU alone and with the SE
    /// scale and residual epilogues, and asserts each variant equals the 4x4 kernel.
    /// </summary>
    private static void AssertVariantsEqualThe4x4Kernel(GpuBackend backend, int seed, int n, int inC, int outC, int plane, params PointwiseVariant[] variants)
    {
        Assert.NotEmpty(variants);
        var rng = new Random(seed);
        float[] x = RandomArray(rng, n * inC * plane), w = RandomArray(rng, outC * inC, 0.3f), b = RandomArray(rng, outC, 0.2f);
        float[] scale = RandomArray(rng, n * inC), residual = RandomArray(rng, n * outC * plane);
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dw = device.Upload<float>(w), db = device.Upload<float>(b);
        using GpuBuffer<float> ds = device.Upload<float>(scale), dr = device.Upload<float>(residual);
        using GpuBuffer<float> expected = device.Allocate<float>(n * outC * plane), actual = device.Allocate<float>(n * outC * plane);
        using GpuBuffer<float> partial = device.Allocate<float>(MaxTestSplits * n * outC * plane);
        var operands = new PointwiseOperands(dx, dw, db, ds, dr, partial, n, inC, outC, plane);
        foreach ((Activation activation, bool useScale, bool useResidual) in new[] { (Activation.Silu, false, false), (Activation.None, true, true) })
        {
            int tiles = (outC + 3) / 4 * ((plane + 3) / 4);
            PointwiseConvolution.Gpu.Forward(stream, dx, dw, db, ds, dr, expected, inC, outC, plane, 1, 0, 1, 0, 4, activation, useScale, useResidual, false, false, Grid.Threads(tiles, n));
            foreach (PointwiseVariant variant in variants)
            {
                actual.Upload(new float[n * outC * plane]);
                variant(stream, operands, actual, activation, useScale, useResidual);
                stream.Synchronize();
                AssertClose(expected.ToArray(), actual.ToArray());
            }
        }
    }

    /// <summary>
    /// <see cref="PointwiseConvolution.ForwardTile"/> of shape <paramref name="t"/>; with <paramref name="splits"/> &gt; 1 its input
    /// channels split over that many workgroups of <paramref name="kChunk"/>, then <see cref="PointwiseConvolution.SumSplits"/>.
    /// </summary>
    private static void Tile(GpuStream s, PointwiseOperands o, GpuBuffer<float> y, PointwiseTile t, Activation act, bool sc, bool res, int kChunk = 0, int splits = 1)
    {
        Assert.True(t.IsValid, t.ToString());
        Assert.InRange(splits, 1, MaxTestSplits);
        int count = o.Images * o.OutChannels * o.Plane;
        bool split = splits > 1;
        PointwiseConvolution.Gpu.ForwardTile(s, o.X, o.Weight, o.Bias, o.Scale, o.Scale, o.Weight, o.Bias, o.Residual, split ? o.Partial : y,
            o.InChannels, o.OutChannels, o.Plane, o.Images * o.Plane, 0, split ? kChunk : o.InChannels, split ? count : 0, 1, 0, 1, 0,
            t.ColumnThreads, t.ColumnBlocks, t.KStep, t.Prefetch, (split ? Activation.None : act), sc, false, res, false, false, t.WeightTileLength, t.InputTileLength,
            TileGroups(t, o.Images * o.Plane, o.OutChannels, splits));
        if (split)
            PointwiseConvolution.Gpu.SumSplits(s, o.Partial, y, o.OutChannels * o.Plane, count, splits, act, Grid.Threads(o.OutChannels * o.Plane, o.Images));
    }

    private static Grid TileGroups(PointwiseTile t, int columns, int outChannels, int splits = 1) =>
        Grid.Groups((columns + t.Columns - 1) / t.Columns, (outChannels + t.Channels - 1) / t.Channels, splits);

    /// <summary>The per-invocation kernel with <paramref name="channels"/> channels per invocation.</summary>
    private static void Block(GpuStream s, PointwiseOperands o, GpuBuffer<float> y, int channels, Activation act, bool sc, bool res) =>
        PointwiseConvolution.Gpu.Forward(s, o.X, o.Weight, o.Bias, o.Scale, o.Residual, y, o.InChannels, o.OutChannels, o.Plane, 1, 0, 1, 0, channels, act, sc, res, false, false,
            Grid.Threads((o.OutChannels + channels - 1) / channels * ((o.Plane + 3) / 4), o.Images));

    // Inputs and residuals left as split-K partial sums (3 input partials, 2 residual partials) read by the 4x4 kernel, the
    // 64x128 tile (also split-K itself) and the 64x64 tile, against the 4x4 kernel on the sums added in the same order.
    [Theory]
    [InlineData(GpuBackend.Cpu)]
    [InlineData(GpuBackend.Native)]
    public void Inputs_and_residuals_as_partial_sums_equal_the_finished_tensors(GpuBackend backend)
    {
        const int n = 2, inC = 37, outC = 70, plane = 75, xs = 3, rs = 2;
        int xCount = n * inC * plane, count = n * outC * plane;
        var rng = new Random(61);
        float[] xp = RandomArray(rng, xs * xCount), rp = RandomArray(rng, rs * count);
        float[] w = RandomArray(rng, outC * inC, 0.3f), b = RandomArray(rng, outC, 0.2f), scale = RandomArray(rng, n * inC);
        float[] x = new float[xCount], residual = new float[count];
        for (int i = 0; i < xCount; i++)
            for (int z = 0; z < xs; z++) x[i] += xp[z * xCount + i];
        for (int i = 0; i < count; i++)
            for (int z = 0; z < rs; z++) residual[i] += rp[z * count + i];
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dr = device.Upload<float>(residual), dxp = device.Upload<float>(xp), drp = device.Upload<float>(rp);
        using GpuBuffer<float> dw = device.Upload<float>(w), db = device.Upload<float>(b), ds = device.Upload<float>(scale);
        using GpuBuffer<float> expected = device.Allocate<float>(count), actual = device.Allocate<float>(count), partial = device.Allocate<float>(2 * count);
        foreach ((Activation activation, bool useScale, bool useResidual) in new[] { (Activation.Silu, false, false), (Activation.None, true, true) })
        {
            int tiles = (outC + 3) / 4 * ((plane + 3) / 4);
            PointwiseConvolution.Gpu.Forward(stream, dx, dw, db, ds, dr, expected, inC, outC, plane, 1, 0, 1, 0, 4, activation, useScale, useResidual, false, false,
                Grid.Threads(tiles, n));
            stream.Synchronize();
            float[] want = expected.ToArray();

            actual.Upload(new float[count]);
            PointwiseConvolution.Gpu.Forward(stream, dxp, dw, db, ds, drp, actual, inC, outC, plane, xs, xCount, rs, count, 4, activation, useScale, useResidual,
                true, useResidual, Grid.Threads(tiles, n));
            stream.Synchronize();
            AssertClose(want, actual.ToArray());

            foreach ((PointwiseTile t, int splits) in new[] { (PointwiseTile.Large, 1), (PointwiseTile.Square, 1), (PointwiseTile.Large, 2) })
            {
                actual.Upload(new float[count]);
                bool split = splits > 1;
                PointwiseConvolution.Gpu.ForwardTile(stream, dxp, dw, db, ds, ds, dw, db, drp, split ? partial : actual, inC, outC, plane, n * plane, 0,
                    split ? 32 : inC, split ? count : 0, xs, xCount, rs, count,
                    t.ColumnThreads, t.ColumnBlocks, t.KStep, t.Prefetch, (split ? Activation.None : activation), useScale, false, useResidual,
                    true, useResidual, t.WeightTileLength, t.InputTileLength, TileGroups(t, n * plane, outC, splits));
                if (split)
                    PointwiseConvolution.Gpu.SumSplits(stream, partial, actual, outC * plane, count, splits, activation, Grid.Threads(outC * plane, n));
                stream.Synchronize();
                AssertClose(want, actual.ToArray());
            }
        }
    }

    private const int MaxTestSplits = 4;

    /// <summary>The plan's tile shapes and others the kernel supports: 16, 32 and 64 column threads, 1 and 2 blocks, K steps 4 to 16, with and without prefetch.</summary>
    public static TheoryData<GpuBackend, int, int, int, bool> TileShapes()
    {
        var data = new TheoryData<GpuBackend, int, int, int, bool>();
        PointwiseTile[] shapes = [PointwiseTile.Large, PointwiseTile.Narrow, PointwiseTile.Square, new(16, 1, 16, true), new(32, 2, 8, true), new(32, 1, 16, false), new(64, 1, 4, true), new(64, 2, 8, false)];
        foreach (GpuBackend backend in new[] { GpuBackend.Cpu, GpuBackend.Native })
            foreach (PointwiseTile t in shapes)
                data.Add(backend, t.ColumnThreads, t.ColumnBlocks, t.KStep, t.Prefetch);
        return data;
    }

    // 70 output channels (ragged channel tiles; 70 is not a multiple of 4), 37 input channels (ragged K steps), 3 images of
    // plane 50: 150 columns = ragged column tiles, and 4-column groups that straddle images (columns 48..51).
    [Theory]
    [MemberData(nameof(TileShapes))]
    public void Every_tile_shape_equals_the_4x4_kernel_with_every_epilogue(GpuBackend backend, int columnThreads, int columnBlocks, int kStep, bool prefetch)
    {
        var t = new PointwiseTile(columnThreads, columnBlocks, kStep, prefetch);
        AssertVariantsEqualThe4x4Kernel(backend, seed: 53, n: 3, inC: 37, outC: 70, plane: 50, (s, o, y, act, sc, res) => Tile(s, o, y, t, act, sc, res));
    }

    [Fact]
    public void Tile_shapes_the_kernel_cannot_stage_are_invalid()
    {
        Assert.True(PointwiseTile.Large.IsValid && PointwiseTile.Narrow.IsValid && PointwiseTile.Square.IsValid);
        Assert.Equal((64, 128, 272, 512), (PointwiseTile.Large.Channels, PointwiseTile.Large.Columns, PointwiseTile.Large.WeightTileLength, PointwiseTile.Large.InputTileLength));
        Assert.Equal((32, 256, 72, 512), (PointwiseTile.Narrow.Channels, PointwiseTile.Narrow.Columns, PointwiseTile.Narrow.WeightTileLength, PointwiseTile.Narrow.InputTileLength));
        Assert.False(new PointwiseTile(64, 2, 16, true).IsValid); // 8 input rows per invocation and step
        Assert.False(new PointwiseTile(16, 2, 4, false).IsValid); // one pass stages 8 rows: more than the step
        Assert.False(new PointwiseTile(8, 1, 16, false).IsValid); // 32 channel groups x 16 weight rows: more than one pass
        Assert.False(new PointwiseTile(16, 3, 16, false).IsValid);
    }

    // The same problem through the per-invocation kernel with 8, 3 and 1 channels per invocation, and the large tile split over
    // the input channels: 16 + 16 + 5 and 32 + 5 (the last split ragged).
    [Theory]
    [InlineData(GpuBackend.Cpu)]
    [InlineData(GpuBackend.Native)]
    public void Per_invocation_blocks_and_split_K_equal_the_4x4_kernel_with_every_epilogue(GpuBackend backend) =>
        AssertVariantsEqualThe4x4Kernel(backend, seed: 52, n: 2, inC: 37, outC: 70, plane: 75,
            (s, o, y, act, sc, res) => Block(s, o, y, 8, act, sc, res),
            (s, o, y, act, sc, res) => Block(s, o, y, 3, act, sc, res),
            (s, o, y, act, sc, res) => Block(s, o, y, 1, act, sc, res),
            (s, o, y, act, sc, res) => Tile(s, o, y, PointwiseTile.Large, act, sc, res, kChunk: 16, splits: 3),
            (s, o, y, act, sc, res) => Tile(s, o, y, PointwiseTile.Large, act, sc, res, kChunk: 32, splits: 2));

    // The SE expand folded into the 64x128 tile's weight loads, against the expand dispatch + the 4x4 kernel scaling its inputs:
    // 70 output channels (ragged tiles), 37 input channels (ragged 16-steps), squeeze 5; one image of plane 75 (a ragged
    // tile) and two images of plane 128 (one tile per image); without split-K and with 2 splits of 32 + 5 channels.
    [Theory]
    [InlineData(GpuBackend.Cpu, 1, 75)]
    [InlineData(GpuBackend.Native, 1, 75)]
    [InlineData(GpuBackend.Cpu, 2, 128)]
    [InlineData(GpuBackend.Native, 2, 128)]
    public void Large_tile_with_the_expand_folded_in_equals_the_expand_then_the_scaled_4x4_kernel(GpuBackend backend, int n, int plane)
    {
        const int inC = 37, outC = 70, squeeze = 5;
        var rng = new Random(57);
        float[] x = RandomArray(rng, n * inC * plane), w = RandomArray(rng, outC * inC, 0.3f), b = RandomArray(rng, outC, 0.2f);
        float[] sq = RandomArray(rng, n * squeeze), ew = RandomArray(rng, inC * squeeze), eb = RandomArray(rng, inC, 0.5f);
        float[] residual = RandomArray(rng, n * outC * plane);
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dw = device.Upload<float>(w), db = device.Upload<float>(b), dr = device.Upload<float>(residual);
        using GpuBuffer<float> dsq = device.Upload<float>(sq), dew = device.Upload<float>(ew), deb = device.Upload<float>(eb);
        using GpuBuffer<float> gate = device.Allocate<float>(n * inC), partial = device.Allocate<float>(2 * n * outC * plane);
        using GpuBuffer<float> expected = device.Allocate<float>(n * outC * plane), actual = device.Allocate<float>(n * outC * plane);
        int count = n * outC * plane;
        PointwiseTile t = PointwiseTile.Large;
        foreach ((Activation activation, bool useResidual) in new[] { (Activation.Silu, false), (Activation.None, true) })
        {
            FullyConnected.Gpu.Forward(stream, dsq, dew, deb, gate, squeeze, inC, Activation.Sigmoid, Grid.Threads(inC, n));
            PointwiseConvolution.Gpu.Forward(stream, dx, dw, db, gate, dr, expected, inC, outC, plane, 1, 0, 1, 0, 4, activation, true, useResidual, false, false,
                Grid.Threads((outC + 3) / 4 * ((plane + 3) / 4), n));
            actual.Upload(new float[count]);
            PointwiseConvolution.Gpu.ForwardTile(stream, dx, dw, db, dsq, dsq, dew, deb, dr, actual, inC, outC, plane, n * plane, squeeze, 48, 0, 1, 0, 1, 0,
                t.ColumnThreads, t.ColumnBlocks, t.KStep, t.Prefetch, activation, false, true, useResidual, false, false, t.WeightTileLength, t.InputTileLength,
                TileGroups(t, n * plane, outC));
            stream.Synchronize();
            AssertClose(expected.ToArray(), actual.ToArray());
            actual.Upload(new float[count]);
            PointwiseConvolution.Gpu.ForwardTile(stream, dx, dw, db, dsq, dsq, dew, deb, dr, partial, inC, outC, plane, n * plane, squeeze, 32, count, 1, 0, 1, 0,
                t.ColumnThreads, t.ColumnBlocks, t.KStep, t.Prefetch, Activation.None, false, true, useResidual, false, false, t.WeightTileLength, t.InputTileLength,
                TileGroups(t, n * plane, outC, 2));
            PointwiseConvolution.Gpu.SumSplits(stream, partial, actual, outC * plane, count, 2, activation, Grid.Threads(outC * plane, n));
            stream.Synchronize();
            AssertClose(expected.ToArray(), actual.ToArray());
        }
    }

    [Theory]
    [InlineData(GpuBackend.Cpu)]
    [InlineData(GpuBackend.Native)]
    public void Fully_connected_workgroup_reduction_equals_the_per_output_kernel(GpuBackend backend)
    {
        var rng = new Random(61);
        // 150 inputs: ragged 64-strided sums; 33 outputs, 3 images.
        int n = 3, inF = 150, outF = 33;
        float[] x = RandomArray(rng, n * inF), w = RandomArray(rng, outF * inF, 0.3f), b = RandomArray(rng, outF, 0.2f);
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dw = device.Upload<float>(w), db = device.Upload<float>(b);
        using GpuBuffer<float> expected = device.Allocate<float>(n * outF), actual = device.Allocate<float>(n * outF);
        foreach (Activation activation in new[] { Activation.None, Activation.Silu, Activation.Sigmoid })
        {
            FullyConnected.Gpu.Forward(stream, dx, dw, db, expected, inF, outF, activation, Grid.Threads(outF, n));
            FullyConnected.Gpu.ForwardReduce(stream, dx, dw, db, actual, inF, outF, activation, 1, 1f, Grid.Groups(outF, n));
            stream.Synchronize();
            AssertClose(expected.ToArray(), actual.ToArray());
        }
    }

    // 22 output channels (ragged in a 32-channel tile, not a multiple of 4), 37 input channels (ragged 8-steps),
    // 6 images of plane 50: 300 columns = two 256-column tiles, 4-column groups straddling images.
    [Theory]
    [InlineData(GpuBackend.Cpu)]
    [InlineData(GpuBackend.Native)]
    public void Narrow_tile_pointwise_equals_the_4x4_kernel_with_every_epilogue(GpuBackend backend) =>
        AssertVariantsEqualThe4x4Kernel(backend, seed: 54, n: 6, inC: 37, outC: 22, plane: 50,
            (s, o, y, act, sc, res) => Tile(s, o, y, PointwiseTile.Narrow, act, sc, res));

    [Theory]
    [InlineData(GpuBackend.Cpu, 3, 1)]
    [InlineData(GpuBackend.Cpu, 5, 2)]
    [InlineData(GpuBackend.Native, 3, 1)]
    [InlineData(GpuBackend.Native, 3, 2)]
    [InlineData(GpuBackend.Native, 5, 1)]
    [InlineData(GpuBackend.Native, 5, 2)]
    public void Pooled_depthwise_equals_the_per_row_kernel_and_the_pool(GpuBackend backend, int k, int stride)
    {
        var rng = new Random(90 + 10 * k + stride);
        // size 13: 169 outputs at stride 1 (more than one 128-invocation sweep), ragged; padding at both edges.
        int n = 2, c = 3, size = 13, outSize = (size + 2 * ((k - 1) / 2) - k) / stride + 1, outPlane = outSize * outSize;
        float[] x = RandomArray(rng, n * c * size * size), w = RandomArray(rng, c * k * k, 0.4f), b = RandomArray(rng, c, 0.2f);
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dw = device.Upload<float>(w), db = device.Upload<float>(b);
        using GpuBuffer<float> expected = device.Allocate<float>(n * c * outPlane), actual = device.Allocate<float>(n * c * outPlane);
        using GpuBuffer<float> expectedPool = device.Allocate<float>(n * c), actualPool = device.Allocate<float>(n * c);
        using GpuBuffer<float> unused = device.Allocate<float>(4);
        DepthwiseConvolution.Gpu.Forward(stream, dx, dw, db, expected, unused, c, size, size, outSize, outSize, k, stride, Activation.Silu, false, false,
            Grid.Threads(c * outSize * ((outSize + 3) / 4), n));
        Layers.GlobalAveragePool.Gpu.Forward(stream, expected, expectedPool, c, outPlane, Grid.Threads(c, n));
        DepthwiseConvolution.Gpu.ForwardPooled(stream, dx, dw, db, actual, actualPool, c, size, size, outSize, outSize, k, stride, Activation.Silu,
            Grid.Groups(c, n));
        stream.Synchronize();
        AssertClose(expected.ToArray(), actual.ToArray());
        AssertClose(expectedPool.ToArray(), actualPool.ToArray());
    }

    [Theory]
    [InlineData(GpuBackend.Cpu, 3, 1)]
    [InlineData(GpuBackend.Cpu, 5, 2)]
    [InlineData(GpuBackend.Native, 3, 1)]
    [InlineData(GpuBackend.Native, 3, 2)]
    [InlineData(GpuBackend.Native, 5, 1)]
    [InlineData(GpuBackend.Native, 5, 2)]
    public void Sliding_depthwise_equals_the_per_tap_kernel(GpuBackend backend, int k, int stride)
    {
        var rng = new Random(70 + 10 * k + stride);
        // width 13: ragged 4-output segments and padding at both edges.
        int n = 2, c = 3, size = 13, outSize = (size + 2 * ((k - 1) / 2) - k) / stride + 1;
        float[] x = RandomArray(rng, n * c * size * size), w = RandomArray(rng, c * k * k, 0.4f), b = RandomArray(rng, c, 0.2f);
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dw = device.Upload<float>(w), db = device.Upload<float>(b);
        using GpuBuffer<float> expected = device.Allocate<float>(n * c * outSize * outSize), actual = device.Allocate<float>(n * c * outSize * outSize);
        var grid = Grid.Threads(c * outSize * ((outSize + 3) / 4), n);
        using GpuBuffer<float> unused = device.Allocate<float>(4);
        DepthwiseConvolution.Gpu.Forward(stream, dx, dw, db, expected, unused, c, size, size, outSize, outSize, k, stride, Activation.Silu, false, false, grid);
        DepthwiseConvolution.Gpu.Forward(stream, dx, dw, db, actual, unused, c, size, size, outSize, outSize, k, stride, Activation.Silu, true, false, grid);
        stream.Synchronize();
        AssertClose(expected.ToArray(), actual.ToArray());
    }

    /// <summary>
    /// The depthwise kernel that writes the pool's partial sums: its output equals the per-tap kernel's, the partial sums
    /// of each plane add up to the pool (times the plane), and both gate kernels reading the partial sums equal the
    /// same kernels reading the pooled means.
    /// </summary>
    [Theory]
    [InlineData(GpuBackend.Cpu, 3, 1, 13)]
    [InlineData(GpuBackend.Cpu, 5, 2, 13)]
    [InlineData(GpuBackend.Native, 3, 1, 13)]
    [InlineData(GpuBackend.Native, 3, 2, 40)]
    [InlineData(GpuBackend.Native, 5, 1, 30)]
    [InlineData(GpuBackend.Native, 5, 2, 13)]
    public void Sliding_depthwise_with_partial_pool_sums_feeds_both_gates(GpuBackend backend, int k, int stride, int size)
    {
        var rng = new Random(110 + 10 * k + stride);
        // size 13: 1 part per plane, ragged segments; 30 at stride 1: 30 x 8 = 240 segments = 4 parts (the last ragged);
        // 40 at stride 2: 20 x 5 = 100 segments = 2 parts. 70 channels, squeeze 17: not multiples of 4 or 64.
        int n = 2, c = 70, squeeze = 17, outSize = (size + 2 * ((k - 1) / 2) - k) / stride + 1, outPlane = outSize * outSize;
        int parts = DepthwiseConvolution.PartialPoolParts(outSize, outSize);
        Assert.Equal((outSize * ((outSize + 3) / 4) + 63) / 64, parts);
        float[] x = RandomArray(rng, n * c * size * size), w = RandomArray(rng, c * k * k, 0.4f), b = RandomArray(rng, c, 0.2f);
        float[] w1 = RandomArray(rng, squeeze * c, 0.5f), b1 = RandomArray(rng, squeeze, 0.2f);
        float[] w2 = RandomArray(rng, c * squeeze, 0.5f), b2 = RandomArray(rng, c, 0.2f);
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dw = device.Upload<float>(w), db = device.Upload<float>(b);
        using GpuBuffer<float> dw1 = device.Upload<float>(w1), db1 = device.Upload<float>(b1), dw2 = device.Upload<float>(w2), db2 = device.Upload<float>(b2);
        using GpuBuffer<float> expected = device.Allocate<float>(n * c * outPlane), actual = device.Allocate<float>(n * c * outPlane);
        using GpuBuffer<float> pooled = device.Allocate<float>(n * c), partials = device.Allocate<float>(n * c * parts);
        using GpuBuffer<float> squeezedA = device.Allocate<float>(n * squeeze), squeezedB = device.Allocate<float>(n * squeeze);
        using GpuBuffer<float> gateA = device.Allocate<float>(n * c), gateB = device.Allocate<float>(n * c);
        DepthwiseConvolution.Gpu.Forward(stream, dx, dw, db, expected, partials, c, size, size, outSize, outSize, k, stride, Activation.Silu, false, false,
            Grid.Threads(c * outSize * ((outSize + 3) / 4), n));
        Layers.GlobalAveragePool.Gpu.Forward(stream, expected, pooled, c, outPlane, Grid.Threads(c, n));
        DepthwiseConvolution.Gpu.Forward(stream, dx, dw, db, actual, partials, c, size, size, outSize, outSize, k, stride, Activation.Silu, true, true,
            Grid.Groups(parts, c, n));
        float scale = 1f / outPlane;
        FullyConnected.Gpu.ForwardReduce(stream, pooled, dw1, db1, squeezedA, c, squeeze, Activation.Silu, 1, 1f, Grid.Groups(squeeze, n));
        FullyConnected.Gpu.ForwardReduce(stream, partials, dw1, db1, squeezedB, c, squeeze, Activation.Silu, parts, scale, Grid.Groups(squeeze, n));
        Layers.SqueezeExcitation.Gpu.Gate(stream, pooled, dw1, db1, dw2, db2, gateA, c, squeeze, 1, 1f, c, Grid.Groups(1, n));
        Layers.SqueezeExcitation.Gpu.Gate(stream, partials, dw1, db1, dw2, db2, gateB, c, squeeze, parts, scale, 32, Grid.Groups(3, n));
        stream.Synchronize();
        AssertClose(expected.ToArray(), actual.ToArray());
        float[] means = pooled.ToArray(), sums = partials.ToArray();
        for (int i = 0; i < n * c; i++)
            Assert.True(Math.Abs(sums.AsSpan(i * parts, parts).ToArray().Sum() * scale - means[i]) <= 1e-5 * (1 + Math.Abs(means[i])), $"plane {i}");
        AssertClose(squeezedA.ToArray(), squeezedB.ToArray());
        AssertClose(gateA.ToArray(), gateB.ToArray());
    }

    /// <summary>The 8-channel stem kernel (weights packed by <see cref="DenseConvolution.WideWeights"/>) equals the 4-channel one.</summary>
    [Theory]
    [InlineData(GpuBackend.Cpu, 3, 2)]
    [InlineData(GpuBackend.Native, 3, 2)]
    [InlineData(GpuBackend.Native, 5, 1)]
    public void Wide_stem_convolution_equals_the_4_channel_kernel(GpuBackend backend, int k, int stride)
    {
        var rng = new Random(130 + k + stride);
        // 22 output channels: a ragged group of 8 (and of 4); size 15: padding at both edges.
        int n = 2, inC = 3, outC = 22, size = 15, outSize = (size + 2 * ((k - 1) / 2) - k) / stride + 1, outPlane = outSize * outSize;
        float[] x = RandomArray(rng, n * inC * size * size), w = RandomArray(rng, outC * inC * k * k, 0.4f), b = RandomArray(rng, outC, 0.2f);
        using GpuDevice device = TestDevices.Create(backend);
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> dx = device.Upload<float>(x), dw = device.Upload<float>(w), db = device.Upload<float>(b);
        using GpuBuffer<System.Numerics.Vector4> packed = device.Upload<System.Numerics.Vector4>(DenseConvolution.WideWeights(w, outC, inC * k * k));
        using GpuBuffer<float> expected = device.Allocate<float>(n * outC * outPlane), actual = device.Allocate<float>(n * outC * outPlane);
        DenseConvolution.Gpu.Forward(stream, dx, dw, db, expected, inC, size, size, outC, outSize, outSize, k, stride, Activation.Silu,
            Grid.Threads((outC + 3) / 4 * outPlane, n));
        DenseConvolution.Gpu.ForwardWide(stream, dx, packed, db, actual, inC, size, size, outC, outSize, outSize, k, stride, Activation.Silu,
            Grid.Threads((outC + 7) / 8 * outPlane, n));
        stream.Synchronize();
        AssertClose(expected.ToArray(), actual.ToArray());
    }
}
