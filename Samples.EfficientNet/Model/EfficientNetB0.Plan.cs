using KernelGen.Samples.EfficientNet.Layers;
using KernelGen.Tuning;

namespace KernelGen.Samples.EfficientNet.Model;

// The forward pass as a list of steps (one per layer), each with its candidate kernels; the plan picks one per step
// (heuristic, forced or tuned) and the captured graph records the picks.
public sealed partial class EfficientNetB0
{
    /// <summary>Names this network's kernel set in the tuning cache; change it when a kernel changes.</summary>
    private const string TuningScope = "EfficientNetB0-v5";

    /// <summary>Most output tiles times splits a split-K candidate may have (beyond that the tiles alone fill a GPU).</summary>
    private const int MaxSplitTiles = 2048;

    /// <summary>The heuristic splits while tiles times splits stay within this (about two workgroups per multiprocessor of a large GPU).</summary>
    private const int HeuristicSplitTiles = 256;

    private bool Software => Device.Info.AdapterType is GpuAdapterType.Cpu;

    private bool Fits(long groups) => groups >= 1 && groups <= Device.Limits.MaxComputeWorkgroupsPerDimension;

    private bool HasStorage(int bytes) => Device.Limits.MaxComputeWorkgroupStorageSize >= bytes;

    private static long Ceil(long a, long b) => (a + b - 1) / b;

    private static int DepthwiseSegments(int width) => (width + DepthwiseConvolution.PixelsPerInvocation - 1) / DepthwiseConvolution.PixelsPerInvocation;

    /// <summary>The first of the three activation buffers that is neither <paramref name="a"/> nor <paramref name="b"/>.</summary>
    private static int Other(int a, int b)
    {
        for (int i = 0; i < 3; i++)
            if (i != a && i != b) return i;
        throw new InvalidOperationException("unreachable");
    }

    private List<Step> Steps(BatchBuffers a)
    {
        int n = a.Batch;
        var steps = new List<Step>();
        int size = EfficientNetB0Config.ImageSize;
        int h = EfficientNetB0Config.ConvOutputSize(size, 3, 2);
        int c = EfficientNetB0Config.StemChannels;
        steps.Add(new StemStep($"n{n} 3->{c} {size}x{size}/2", a, stem, n, size, h, c));
        int current = 0;
        // The step that wrote a.Ping[current] when it is a projection (its split-K sums may be left to its consumers), and
        // the slot of a.Deferred the next projection leaves them in (two, alternating: a projection reads the previous one's as
        // its residual).
        PointwiseStep? producer = null;
        bool defer = PlanOptions.DeferSplitSums == true; // off by default: slower on the H200 (Benchmarks/results/h200-2026-12-02-effnet.md)
        int slot = 0;
        foreach (DeviceBlock b in blocks)
        {
            MBConvBlockSpec s = b.Spec;
            int e = s.ExpandedChannels;
            int expanded = current;
            if (b.Expansion is not null)
            {
                expanded = Other(current, current);
                steps.Add(new PointwiseStep($"{s.Prefix}.expand", a, a.Ping[current], b.Expansion, unused, unused, a.Ping[expanded],
                    n, c, e, h * h, Activation.Silu, false, false, $"{h}x{h}") { InputFrom = producer });
            }
            else if (producer is not null)
            {
                throw new InvalidOperationException($"{s.Prefix}: a block without expansion after the first reads a projection's output; the plan only leaves split-K sums to pointwise consumers.");
            }
            int oh = EfficientNetB0Config.ConvOutputSize(h, s.KernelSize, s.Stride);
            int depthwise = Other(current, expanded);
            var dw = new DepthwiseStep($"{s.Prefix}.depthwise", a, a.Ping[expanded], b.Depthwise, a.Ping[depthwise], n, e, h, oh, s.KernelSize, s.Stride);
            steps.Add(dw);
            h = oh;
            var gate = new GateStep($"{s.Prefix}.gate", a, b, dw, n, e, s.SqueezeChannels);
            steps.Add(gate);
            int output = Other(current, depthwise);
            var projection = new PointwiseStep($"{s.Prefix}.project", a, a.Ping[depthwise], b.Projection, a.Gate, s.HasResidual ? a.Ping[current] : unused, a.Ping[output],
                n, e, s.OutChannels, h * h, Activation.None, true, s.HasResidual, $"{h}x{h}", gate)
            {
                ResidualFrom = s.HasResidual ? producer : null,
                DeferSlot = defer ? slot : -1,
            };
            gate.Projection = projection;
            steps.Add(projection);
            producer = projection;
            slot = 1 - slot;
            current = output;
            c = s.OutChannels;
        }
        int headOut = Other(current, current);
        steps.Add(new PointwiseStep("head", a, a.Ping[current], head, unused, unused, a.Ping[headOut], n, c, EfficientNetB0Config.HeadChannels, h * h,
            Activation.Silu, false, false, $"{h}x{h}") { InputFrom = producer });
        steps.Add(new PoolStep("head.pool", a.Ping[headOut], a.Pooled, n, EfficientNetB0Config.HeadChannels, h));
        steps.Add(new ClassifierStep("classifier", a, classifier, n));
        return steps;
    }

    private ExecutionPlan Plan(List<Step> steps, int batch)
    {
        KernelTuner? tuner = PlanOptions.Tune is TuneMode.Off ? null : new KernelTuner(Device, PlanOptions.Tune, TuningScope, PlanOptions.TuneCacheFile);
        try
        {
            var layers = new List<PlannedLayer>(steps.Count);
            foreach (Step st in steps)
            {
                IReadOnlyList<object> candidates = st.Candidates(this, out bool forced);
                object choice = candidates[0];
                PlanSource source = forced ? PlanSource.Forced : PlanSource.Heuristic;
                double? us = null;
                if (tuner is not null && !forced && candidates.Count > 1)
                {
                    var named = candidates.Select(k => new TuneCandidate(k.ToString()!, s => st.RecordTimed(this, s, k))).ToList();
                    TuneResult r = tuner.Choose(st.TuneKey, named);
                    choice = candidates[named.FindIndex(t => t.Name == r.Choice)];
                    source = r.Source switch { TuneSource.Measured => PlanSource.Tuned, TuneSource.Cached => PlanSource.Cached, _ => PlanSource.Heuristic };
                    us = r.Microseconds.TryGetValue(r.Choice, out double v) ? v : null;
                }
                st.Chosen = choice;
                layers.Add(new PlannedLayer(st.Layer, st.Shape, st.Describe(choice), st.GridFor(this, choice), source, us));
            }
            var plan = new ExecutionPlan(batch, PlanOptions.Tune, tuner?.CacheFile, layers);
            progress?.Report($"Plan for batch {batch}: " + string.Join(", ", plan.Sources.Select(kv => $"{kv.Value} {kv.Key.ToString().ToLowerInvariant()}")));
            return plan;
        }
        finally
        {
            tuner?.Dispose();
        }
    }

    /// <summary>One layer of the forward pass: its candidates (the first is the heuristic choice) and how to record one.</summary>
    private abstract class Step(string layer, string shape)
    {
        public string Layer { get; } = layer;

        public string Shape { get; } = shape;

        public abstract string Kind { get; }

        /// <summary>Names the step's candidates in the tuning cache (kind and shape; more where an earlier choice changes the inputs).</summary>
        public virtual string TuneKey => $"{Kind} {Shape}";

        /// <summary>The plan's pick, set before recording.</summary>
        public object? Chosen { get; set; }

        public abstract IReadOnlyList<object> Candidates(EfficientNetB0 m, out bool forced);

        public abstract Grid GridFor(EfficientNetB0 m, object choice);

        public abstract void Record(EfficientNetB0 m, GpuStream s, object choice);

        /// <summary>What the tuner times for a candidate: <see cref="Record"/>, plus any dispatch of another step that the candidate makes unnecessary.</summary>
        public virtual void RecordTimed(EfficientNetB0 m, GpuStream s, object choice) => Record(m, s, choice);

        /// <summary>Floats of split-K scratch the largest candidate needs.</summary>
        public virtual long ScratchFloats(EfficientNetB0 m) => 0;

        /// <summary>Floats of split-K partial sums the largest candidate leaves to its consumers (in <c>a.Deferred</c>).</summary>
        public virtual long DeferredFloats(EfficientNetB0 m) => 0;

        /// <summary>The choice as the printed plan names it.</summary>
        public virtual string Describe(object choice) => choice.ToString()!;
    }

    private sealed class StemStep(string shape, BatchBuffers a, DeviceLayer l, int n, int size, int h, int c) : Step("stem", shape)
    {
        public override string Kind => "stem";

        public override IReadOnlyList<object> Candidates(EfficientNetB0 m, out bool forced)
        {
            forced = m.PlanOptions.Stem is not null;
            if (m.PlanOptions.Stem is StemKernel f) return [f];
            return m.Software ? [StemKernel.DenseConvolution, StemKernel.DenseConvolutionWide] : [StemKernel.DenseConvolutionWide, StemKernel.DenseConvolution];
        }

        public override Grid GridFor(EfficientNetB0 m, object choice) => (StemKernel)choice is StemKernel.DenseConvolutionWide
            ? Grid.Threads((c + DenseConvolution.WideChannelsPerInvocation - 1) / DenseConvolution.WideChannelsPerInvocation * h * h, n)
            : Grid.Threads((c + DenseConvolution.ChannelsPerInvocation - 1) / DenseConvolution.ChannelsPerInvocation * h * h, n);

        public override void Record(EfficientNetB0 m, GpuStream s, object choice)
        {
            if ((StemKernel)choice is StemKernel.DenseConvolutionWide)
                DenseConvolution.Gpu.ForwardWide(s, a.Input, m.stemWide, l.Bias, a.Ping[0], EfficientNetB0Config.InputChannels, size, size, c, h, h, 3, 2,
                    Activation.Silu, GridFor(m, choice));
            else
                DenseConvolution.Gpu.Forward(s, a.Input, l.Weight, l.Bias, a.Ping[0], EfficientNetB0Config.InputChannels, size, size, c, h, h, 3, 2,
                    Activation.Silu, GridFor(m, choice));
        }
    }

    private sealed class PointwiseStep(
        string layer, BatchBuffers a, GpuBuffer<float> x, DeviceLayer l, GpuBuffer<float> scale, GpuBuffer<float> residual, GpuBuffer<float> y,
        int n, int inC, int outC, int plane, Activation activation, bool useScale, bool useResidual, string planeText, GateStep? gate = null)
        : Step(layer, $"n{n} {inC}->{outC} {planeText}{(activation == Activation.Silu ? " silu" : "")}{(useScale ? " scaled" : "")}{(useResidual ? " +residual" : "")}")
    {
        /// <summary>
        /// Whether this projection may compute its gate's expand (<see cref="PointwiseChoice.ExpandFolded"/>): its gate chose
        /// <see cref="GateKernel.ReduceThenExpand"/> (the squeezed vector is in <c>a.Squeezed</c>) and every 128-column tile lies in
        /// one image.
        /// </summary>
        private bool FoldFits => gate is not null && useScale && gate.Chosen is GateKernel.ReduceThenExpand
            && (n == 1 || plane % PointwiseTile.Large.Columns == 0);

        /// <summary>The projection that wrote this step's input (its partial sums are read when it left them).</summary>
        public PointwiseStep? InputFrom { get; init; }

        /// <summary>The projection that wrote this step's residual.</summary>
        public PointwiseStep? ResidualFrom { get; init; }

        /// <summary>
        /// A projection's slot in <c>a.Deferred</c> (0 or 1), or -1: with a split-K choice it leaves its partial sums there and
        /// its consumers (the next expand or the head, and the next projection's residual) add them as they load
        /// (<see cref="PointwiseConvolution.ForwardTile"/>'s <c>inputPartials</c>), which saves the <see cref="PointwiseConvolution.SumSplits"/> dispatch.
        /// </summary>
        public int DeferSlot { get; init; } = -1;

        private bool Defers(object choice) => DeferSlot >= 0 && choice is PointwiseChoice { Splits: > 1 };

        /// <summary>Where this step's output lies as partial sums (buffer, splits, floats between them), or null: finished in <c>y</c>.</summary>
        public (GpuBuffer<float> Buffer, int Splits, int Stride)? Partials =>
            Chosen is PointwiseChoice c && Defers(c) ? (a.Deferred[DeferSlot], c.Splits, (int)Count) : null;

        private (GpuBuffer<float> Buffer, int Splits, int Stride)? InputPartials => InputFrom?.Partials;

        private (GpuBuffer<float> Buffer, int Splits, int Stride)? ResidualPartials => useResidual ? ResidualFrom?.Partials : null;

        public override string TuneKey
        {
            get
            {
                string key = FoldFits ? $"{base.TuneKey} expand foldable" : base.TuneKey;
                if (InputPartials is { } i) key += $" input from {i.Splits} partials";
                if (ResidualPartials is { } r) key += $" residual from {r.Splits} partials";
                return key;
            }
        }

        public override string Describe(object choice) => Defers(choice) ? $"{choice}+deferred" : choice.ToString()!;

        private long Columns => (long)n * plane;

        private long Count => (long)n * outC * plane;

        private long LargeTiles => Ceil(Columns, PointwiseTile.Large.Columns) * Ceil(outC, PointwiseTile.Large.Channels);

        public override string Kind => "pointwise";

        private bool IndicesFit => (long)n * Math.Max(inC, outC) * plane <= int.MaxValue;

        private bool Valid(EfficientNetB0 m, PointwiseChoice c) => (!c.ExpandFolded || (c.Kernel is PointwiseKernel.Large64x128 && FoldFits)) && c.Kernel switch
        {
            PointwiseKernel.Large64x128 => TileFits(m, PointwiseTile.Large)
                && (c.Splits == 1 || (c.Splits > 1 && m.Fits(c.Splits) && KChunk(c.Splits) >= 32 && ActualSplits(c.Splits) == c.Splits
                    && LargeTiles * c.Splits <= MaxSplitTiles && Count * c.Splits <= int.MaxValue)),
            PointwiseKernel.Narrow32x256 => c.Splits == 1 && outC <= PointwiseTile.Narrow.Channels && TileFits(m, PointwiseTile.Narrow),
            PointwiseKernel.Tiled64x64 => c.Splits == 1 && TileFits(m, PointwiseTile.Square),
            PointwiseKernel.Wide8x4 or PointwiseKernel.Block4x4 => c.Splits == 1 && m.Fits(n)
                && m.Fits(Ceil(Ceil(outC, ChannelsPerInvocation(c.Kernel)) * Ceil(plane, PointwiseConvolution.PixelsPerInvocation), 64)),
            _ => false,
        };

        private bool TileFits(EfficientNetB0 m, PointwiseTile tile) => IndicesFit && m.HasStorage(tile.SharedBytes)
            && m.Fits(Ceil(Columns, tile.Columns)) && m.Fits(Ceil(outC, tile.Channels));

        /// <summary>The per-invocation kernel's register block: 8 channels (software adapters) or 4.</summary>
        private static int ChannelsPerInvocation(PointwiseKernel k) => k is PointwiseKernel.Wide8x4 ? 8 : 4;

        /// <summary>The tiled kernel's shape for a tiled choice.</summary>
        private static PointwiseTile TileOf(PointwiseKernel k) => k switch
        {
            PointwiseKernel.Large64x128 => PointwiseTile.Large,
            PointwiseKernel.Narrow32x256 => PointwiseTile.Narrow,
            _ => PointwiseTile.Square,
        };

        /// <summary>Input channels per split: a multiple of the 16-channel step.</summary>
        private int KChunk(int splits) => (int)Ceil(Ceil(inC, 16), splits) * 16;

        /// <summary>How many splits of <see cref="KChunk"/> channels cover the input channels (at most <paramref name="splits"/>).</summary>
        private int ActualSplits(int splits) => (int)Ceil(inC, KChunk(splits));

        /// <summary>A split-K request as the splits it really makes (e.g. 16 requested over 1,152 channels: 15 of 80).</summary>
        private PointwiseChoice Normalized(PointwiseChoice c) =>
            c.Kernel is PointwiseKernel.Large64x128 && c.Splits > 1 ? c with { Splits = ActualSplits(c.Splits) } : c;

        private PointwiseChoice Heuristic(EfficientNetB0 m)
        {
            if (m.Software) return new PointwiseChoice(PointwiseKernel.Wide8x4);
            var narrow = new PointwiseChoice(PointwiseKernel.Narrow32x256);
            if (Valid(m, narrow)) return narrow;
            if (Valid(m, new PointwiseChoice(PointwiseKernel.Large64x128)))
            {
                int splits = 1;
                while (splits < 16 && LargeTiles * splits * 2 <= HeuristicSplitTiles && Valid(m, Normalized(new PointwiseChoice(PointwiseKernel.Large64x128, splits * 2))))
                    splits *= 2;
                return Normalized(new PointwiseChoice(PointwiseKernel.Large64x128, splits));
            }
            return Valid(m, new PointwiseChoice(PointwiseKernel.Tiled64x64)) ? new PointwiseChoice(PointwiseKernel.Tiled64x64) : new PointwiseChoice(PointwiseKernel.Block4x4);
        }

        public override IReadOnlyList<object> Candidates(EfficientNetB0 m, out bool forced)
        {
            IReadOnlyList<PointwiseChoice> list = Unfolded(m, out forced);
            bool? fold = m.PlanOptions.FoldExpand;
            if (!FoldFits || fold == false) return list.Cast<object>().ToList();
            // The folded twins of the 64x128-tile candidates (same splits, so the same split-K scratch).
            var folded = list.Where(c => c.Kernel is PointwiseKernel.Large64x128).Select(c => c with { ExpandFolded = true }).Where(c => Valid(m, c)).ToList();
            if (fold == true && folded.Count > 0)
            {
                forced = true;
                return [folded[0]];
            }
            return forced ? list.Cast<object>().ToList() : list.Concat(folded).Cast<object>().ToList();
        }

        public override void RecordTimed(EfficientNetB0 m, GpuStream s, object choice)
        {
            // A candidate that leaves the expand to its own dispatch is timed with it, against the folded ones.
            if (FoldFits && choice is PointwiseChoice { ExpandFolded: false }) gate!.RecordExpand(s);
            Record(m, s, choice);
            // A candidate that leaves its sums to the consumers is timed with a finishing pass all the same (their loads
            // take its place): splits are ranked as when this step finishes them, and the plan then saves the dispatch.
            if (Defers(choice))
                PointwiseConvolution.Gpu.SumSplits(s, a.Deferred[DeferSlot], y, outC * plane, (int)Count, ((PointwiseChoice)choice).Splits, activation,
                    Grid.Threads(outC * plane, n));
        }

        private List<PointwiseChoice> Unfolded(EfficientNetB0 m, out bool forced)
        {
            ExecutionPlanOptions o = m.PlanOptions;
            if (o.Pointwise is PointwiseKernel k)
            {
                var f = Normalized(new PointwiseChoice(k, k is PointwiseKernel.Large64x128 ? o.Splits ?? 1 : 1));
                if (Valid(m, f) || Valid(m, f = f with { Splits = 1 }))
                {
                    forced = true;
                    return [f];
                }
            }
            else if (o.Splits is int forcedSplits && Normalized(new PointwiseChoice(PointwiseKernel.Large64x128, forcedSplits)) is var fs && Valid(m, fs))
            {
                forced = true;
                return [fs];
            }
            forced = false;
            var list = new List<PointwiseChoice> { Heuristic(m) };
            IEnumerable<PointwiseChoice> others = m.Software
                ? [new(PointwiseKernel.Block4x4)]
                : [new(PointwiseKernel.Large64x128, 1), new(PointwiseKernel.Large64x128, 2), new(PointwiseKernel.Large64x128, 4),
                   new(PointwiseKernel.Large64x128, 8), new(PointwiseKernel.Large64x128, 16), new(PointwiseKernel.Narrow32x256), new(PointwiseKernel.Tiled64x64),
                   // Barrier-free kernels: on GPUs for the few-input-channel layers (16-40 on 56x56-112x112 planes), where a
                   // tile's K loop is one or two steps and its barriers and staging dominate.
                   new(PointwiseKernel.Wide8x4), new(PointwiseKernel.Block4x4)];
            foreach (PointwiseChoice c in others.Select(Normalized))
                if (!list.Contains(c) && Valid(m, c)) list.Add(c);
            return list;
        }

        public override long ScratchFloats(EfficientNetB0 m) => DeferSlot >= 0 ? 0 : SplitFloats(m);

        public override long DeferredFloats(EfficientNetB0 m) => DeferSlot >= 0 ? SplitFloats(m) : 0;

        private long SplitFloats(EfficientNetB0 m) =>
            Candidates(m, out _).Cast<PointwiseChoice>().Where(c => c.Splits > 1).Select(c => Count * c.Splits).DefaultIfEmpty(0).Max();

        public override Grid GridFor(EfficientNetB0 m, object choice)
        {
            var c = (PointwiseChoice)choice;
            if (c.Kernel is PointwiseKernel.Wide8x4 or PointwiseKernel.Block4x4)
                return Grid.Threads((int)(Ceil(outC, ChannelsPerInvocation(c.Kernel)) * Ceil(plane, PointwiseConvolution.PixelsPerInvocation)), n);
            PointwiseTile tile = TileOf(c.Kernel);
            return Grid.Groups((int)Ceil(Columns, tile.Columns), (int)Ceil(outC, tile.Channels), c.Splits);
        }

        public override void Record(EfficientNetB0 m, GpuStream s, object choice)
        {
            var c = (PointwiseChoice)choice;
            Grid grid = GridFor(m, c);
            // The input and residual as their producers left them: finished, or partial sums added here as they load.
            var xp = InputPartials;
            var rp = ResidualPartials;
            GpuBuffer<float> input = xp?.Buffer ?? x, res = rp?.Buffer ?? residual;
            int xSplits = xp?.Splits ?? 1, xStride = xp?.Stride ?? 0, rSplits = rp?.Splits ?? 1, rStride = rp?.Stride ?? 0;
            if (c.Kernel is PointwiseKernel.Wide8x4 or PointwiseKernel.Block4x4)
            {
                PointwiseConvolution.Gpu.Forward(s, input, l.Weight, l.Bias, scale, res, y, inC, outC, plane, xSplits, xStride, rSplits, rStride,
                    ChannelsPerInvocation(c.Kernel), activation, useScale, useResidual, xp is not null, rp is not null, grid);
                return;
            }
            PointwiseTile t = TileOf(c.Kernel);
            bool split = c.Splits > 1;
            bool defer = Defers(c);
            GpuBuffer<float> partial = defer ? a.Deferred[DeferSlot] : a.Partial;
            DeviceLayer expand = c.ExpandFolded ? gate!.Block.SqueezeExpand : l;
            PointwiseConvolution.Gpu.ForwardTile(s, input, l.Weight, l.Bias, scale, c.ExpandFolded ? a.Squeezed : scale, expand.Weight, expand.Bias,
                res, split ? partial : y, inC, outC, plane, (int)Columns, c.ExpandFolded ? gate!.Squeeze : 0, KChunk(c.Splits), split ? (int)Count : 0,
                xSplits, xStride, rSplits, rStride,
                t.ColumnThreads, t.ColumnBlocks, t.KStep, t.Prefetch, (split ? Activation.None : activation), useScale && !c.ExpandFolded, c.ExpandFolded,
                useResidual, xp is not null, rp is not null, t.WeightTileLength, t.InputTileLength, grid);
            if (split && !defer)
                PointwiseConvolution.Gpu.SumSplits(s, a.Partial, y, outC * plane, (int)Count, c.Splits, activation, Grid.Threads(outC * plane, n));
        }
    }

    /// <summary>
    /// A block's depthwise convolution and the squeeze-excitation pool of its output: a depthwise kernel then a pool
    /// dispatch, or one kernel that pools too (<see cref="DepthwiseKernel.SlidingPartialPool"/>: partial sums for the gate
    /// to add; <see cref="DepthwiseKernel.Pooled"/>: the means). Tuned together, so a fused kernel is timed against the two
    /// dispatches it replaces.
    /// </summary>
    private sealed class DepthwiseStep(string layer, BatchBuffers a, GpuBuffer<float> x, DeviceLayer l, GpuBuffer<float> y,
        int n, int channels, int h, int oh, int k, int stride)
        : Step(layer, $"n{n} {channels}ch {h}x{h} k{k}/{stride}")
    {
        public override string Kind => "depthwise+pool";

        private bool SlidingFits => k <= DepthwiseConvolution.SlidingMaxKernelSize && stride is 1 or 2;

        /// <summary>Partial pool sums per channel plane written by <see cref="DepthwiseKernel.SlidingPartialPool"/>.</summary>
        public int Parts => DepthwiseConvolution.PartialPoolParts(oh, oh);

        /// <summary>Output pixels per channel plane.</summary>
        public int OutPlane => oh * oh;

        public long PartialFloats => (long)n * channels * Parts;

        /// <summary>Where the gate reads the pool: the partial sums (<see cref="Parts"/> per plane) or the means.</summary>
        public bool WritesPartials => Chosen is DepthwiseChoice { Kernel: DepthwiseKernel.SlidingPartialPool };

        private List<DepthwiseChoice> All(EfficientNetB0 m)
        {
            bool groupsFit = m.Fits(channels) && m.Fits(n);
            PoolKernel[] pools = !groupsFit ? [PoolKernel.Serial] : m.Software ? [PoolKernel.Serial, PoolKernel.Workgroup] : [PoolKernel.Workgroup, PoolKernel.Serial];
            DepthwiseKernel[] kernels = !SlidingFits ? [DepthwiseKernel.PerTap] : m.Software ? [DepthwiseKernel.Sliding, DepthwiseKernel.PerTap] : [DepthwiseKernel.PerTap, DepthwiseKernel.Sliding];
            var partial = new DepthwiseChoice(DepthwiseKernel.SlidingPartialPool, null);
            bool partialFits = SlidingFits && groupsFit && m.Fits(Parts);
            var all = new List<DepthwiseChoice>();
            if (partialFits && !m.Software) all.Add(partial);
            foreach (DepthwiseKernel kernel in kernels)
                foreach (PoolKernel pool in pools)
                    all.Add(new DepthwiseChoice(kernel, pool));
            if (partialFits && m.Software) all.Add(partial);
            if (groupsFit) all.Add(new DepthwiseChoice(DepthwiseKernel.Pooled, null));
            return all;
        }

        public override IReadOnlyList<object> Candidates(EfficientNetB0 m, out bool forced)
        {
            List<DepthwiseChoice> all = All(m);
            ExecutionPlanOptions o = m.PlanOptions;
            if (o.Depthwise is not null || o.Pool is not null)
            {
                // Forced parts narrow the list; a forced part that does not fit this layer is ignored.
                List<DepthwiseChoice> f = all;
                if (o.Depthwise is DepthwiseKernel d && f.Where(c => c.Kernel == d).ToList() is { Count: > 0 } byKernel) f = byKernel;
                if (o.Pool is PoolKernel p && f.Where(c => c.Pool == p).ToList() is { Count: > 0 } byPool) f = byPool;
                if (!ReferenceEquals(f, all))
                {
                    forced = true;
                    return [f[0]];
                }
            }
            forced = false;
            // The workgroup-per-plane kernel is only run when forced (slower than the others on the H200, 2026-11-29).
            return all.Where(c => c.Kernel is not DepthwiseKernel.Pooled).Cast<object>().ToList();
        }

        public override Grid GridFor(EfficientNetB0 m, object choice) => ((DepthwiseChoice)choice).Kernel switch
        {
            DepthwiseKernel.Pooled => Grid.Groups(channels, n),
            DepthwiseKernel.SlidingPartialPool => Grid.Groups(Parts, channels, n),
            _ => Grid.Threads(channels * oh * DepthwiseSegments(oh), n),
        };

        public override void Record(EfficientNetB0 m, GpuStream s, object choice)
        {
            var c = (DepthwiseChoice)choice;
            Grid grid = GridFor(m, c);
            if (c.Kernel is DepthwiseKernel.Pooled)
                DepthwiseConvolution.Gpu.ForwardPooled(s, x, l.Weight, l.Bias, y, a.Pooled, channels, h, h, oh, oh, k, stride, Activation.Silu, grid);
            else
                DepthwiseConvolution.Gpu.Forward(s, x, l.Weight, l.Bias, y, a.PoolPartials, channels, h, h, oh, oh, k, stride, Activation.Silu,
                    c.Kernel is not DepthwiseKernel.PerTap, c.Kernel is DepthwiseKernel.SlidingPartialPool, grid);
            if (c.Pool is PoolKernel.Workgroup)
                GlobalAveragePool.Gpu.Reduce(s, y, a.Pooled, channels, oh * oh, Grid.Groups(channels, n));
            else if (c.Pool is PoolKernel.Serial)
                GlobalAveragePool.Gpu.Forward(s, y, a.Pooled, channels, oh * oh, Grid.Threads(channels, n));
        }
    }

    private sealed class PoolStep(string layer, GpuBuffer<float> x, GpuBuffer<float> pooled, int n, int channels, int h)
        : Step(layer, $"n{n} {channels}ch {h}x{h}")
    {
        public override string Kind => "pool";

        public override IReadOnlyList<object> Candidates(EfficientNetB0 m, out bool forced)
        {
            bool groupsFit = m.Fits(channels) && m.Fits(n);
            if (m.PlanOptions.Pool is PoolKernel f && (f is PoolKernel.Serial || groupsFit))
            {
                forced = true;
                return [f];
            }
            forced = false;
            if (!groupsFit) return [PoolKernel.Serial];
            return m.Software ? [PoolKernel.Serial, PoolKernel.Workgroup] : [PoolKernel.Workgroup, PoolKernel.Serial];
        }

        public override Grid GridFor(EfficientNetB0 m, object choice) =>
            (PoolKernel)choice is PoolKernel.Workgroup ? Grid.Groups(channels, n) : Grid.Threads(channels, n);

        public override void Record(EfficientNetB0 m, GpuStream s, object choice)
        {
            if ((PoolKernel)choice is PoolKernel.Workgroup)
                GlobalAveragePool.Gpu.Reduce(s, x, pooled, channels, h * h, GridFor(m, choice));
            else
                GlobalAveragePool.Gpu.Forward(s, x, pooled, channels, h * h, GridFor(m, choice));
        }
    }

    private sealed class GateStep(string layer, BatchBuffers a, DeviceBlock b, DepthwiseStep pool, int n, int channels, int squeeze)
        : Step(layer, $"n{n} {channels}->{squeeze}->{channels}")
    {
        public override string Kind => "gate";

        /// <summary>The block's weights.</summary>
        public DeviceBlock Block => b;

        /// <summary>The squeeze width.</summary>
        public int Squeeze => squeeze;

        /// <summary>The block's projection: when it folds the expand in, <see cref="GateKernel.ReduceThenExpand"/> records the reduce only.</summary>
        public PointwiseStep? Projection { get; set; }

        /// <summary>The expand of <see cref="GateKernel.ReduceThenExpand"/>: the gate from the squeezed vector.</summary>
        public void RecordExpand(GpuStream s) =>
            FullyConnected.Gpu.Forward(s, a.Squeezed, b.SqueezeExpand.Weight, b.SqueezeExpand.Bias, a.Gate, squeeze, channels, Activation.Sigmoid, Grid.Threads(channels, n));

        /// <summary>The pool's output as the gate reads it: the partial sums of the depthwise epilogue, or the means.</summary>
        private (GpuBuffer<float> Input, int Parts, float Scale) Pooled =>
            pool.WritesPartials ? (a.PoolPartials, pool.Parts, 1f / pool.OutPlane) : (a.Pooled, 1, 1f);

        public override string TuneKey => pool.WritesPartials ? $"{base.TuneKey} from {pool.Parts} partial sums" : base.TuneKey;

        private bool Valid(EfficientNetB0 m, GateKernel g) => g switch
        {
            GateKernel.Fused => squeeze <= SqueezeExcitation.MaxSqueezeChannels && m.Fits(n),
            GateKernel.FusedSliced => squeeze <= SqueezeExcitation.MaxSqueezeChannels && m.Fits(n) && channels > SqueezeExcitation.SliceOutputs,
            GateKernel.ReduceThenExpand => m.Fits(squeeze) && m.Fits(n),
            _ => m.Fits(n) && !pool.WritesPartials, // FullyConnected.Forward reads the means
        };

        public override IReadOnlyList<object> Candidates(EfficientNetB0 m, out bool forced)
        {
            if (m.PlanOptions.Gate is GateKernel f && Valid(m, f))
            {
                forced = true;
                return [f];
            }
            forced = false;
            GateKernel[] order = m.Software
                ? [GateKernel.Serial, GateKernel.ReduceThenExpand, GateKernel.Fused, GateKernel.FusedSliced]
                : [GateKernel.ReduceThenExpand, GateKernel.FusedSliced, GateKernel.Fused, GateKernel.Serial];
            return order.Where(g => Valid(m, g)).Cast<object>().ToList();
        }

        public override Grid GridFor(EfficientNetB0 m, object choice) => (GateKernel)choice switch
        {
            GateKernel.Fused => Grid.Groups(1, n),
            GateKernel.FusedSliced => Grid.Groups((int)Ceil(channels, SqueezeExcitation.SliceOutputs), n),
            GateKernel.ReduceThenExpand => Grid.Groups(squeeze, n),
            _ => Grid.Threads(squeeze, n),
        };

        public override void Record(EfficientNetB0 m, GpuStream s, object choice)
        {
            (GpuBuffer<float> input, int parts, float scale) = Pooled;
            switch ((GateKernel)choice)
            {
                case GateKernel.Fused or GateKernel.FusedSliced:
                    SqueezeExcitation.Gpu.Gate(s, input, b.SqueezeReduce.Weight, b.SqueezeReduce.Bias, b.SqueezeExpand.Weight, b.SqueezeExpand.Bias,
                        a.Gate, channels, squeeze, parts, scale, (GateKernel)choice is GateKernel.Fused ? channels : SqueezeExcitation.SliceOutputs, GridFor(m, choice));
                    break;
                case GateKernel.ReduceThenExpand:
                    FullyConnected.Gpu.ForwardReduce(s, input, b.SqueezeReduce.Weight, b.SqueezeReduce.Bias, a.Squeezed,
                        channels, squeeze, Activation.Silu, parts, scale, GridFor(m, choice));
                    if (Projection?.Chosen is not PointwiseChoice { ExpandFolded: true }) RecordExpand(s);
                    break;
                default:
                    FullyConnected.Gpu.Forward(s, a.Pooled, b.SqueezeReduce.Weight, b.SqueezeReduce.Bias, a.Squeezed,
                        channels, squeeze, Activation.Silu, GridFor(m, choice));
                    FullyConnected.Gpu.Forward(s, a.Squeezed, b.SqueezeExpand.Weight, b.SqueezeExpand.Bias, a.Gate,
                        squeeze, channels, Activation.Sigmoid, Grid.Threads(channels, n));
                    break;
            }
        }
    }

    private sealed class ClassifierStep(string layer, BatchBuffers a, DeviceLayer l, int n)
        : Step(layer, $"n{n} {EfficientNetB0Config.HeadChannels}->{EfficientNetB0Config.Classes}")
    {
        public override string Kind => "classifier";

        public override IReadOnlyList<object> Candidates(EfficientNetB0 m, out bool forced)
        {
            bool groupsFit = m.Fits(EfficientNetB0Config.Classes) && m.Fits(n);
            if (m.PlanOptions.Classifier is ClassifierKernel f && (f is ClassifierKernel.Serial || groupsFit))
            {
                forced = true;
                return [f];
            }
            forced = false;
            if (!groupsFit) return [ClassifierKernel.Serial];
            return m.Software ? [ClassifierKernel.Serial, ClassifierKernel.Reduce] : [ClassifierKernel.Reduce, ClassifierKernel.Serial];
        }

        public override Grid GridFor(EfficientNetB0 m, object choice) => (ClassifierKernel)choice is ClassifierKernel.Reduce
            ? Grid.Groups(EfficientNetB0Config.Classes, n)
            : Grid.Threads(EfficientNetB0Config.Classes, n);

        public override void Record(EfficientNetB0 m, GpuStream s, object choice)
        {
            const int inF = EfficientNetB0Config.HeadChannels, outF = EfficientNetB0Config.Classes;
            if ((ClassifierKernel)choice is ClassifierKernel.Reduce)
                FullyConnected.Gpu.ForwardReduce(s, a.Pooled, l.Weight, l.Bias, a.Logits, inF, outF, Activation.None, 1, 1f, GridFor(m, choice));
            else
                FullyConnected.Gpu.Forward(s, a.Pooled, l.Weight, l.Bias, a.Logits, inF, outF, Activation.None, GridFor(m, choice));
        }
    }
}
