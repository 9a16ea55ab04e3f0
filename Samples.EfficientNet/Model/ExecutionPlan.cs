using System.Globalization;
using System.Text;
using KernelGen.Tuning;

namespace KernelGen.Samples.EfficientNet.Model;

/// <summary>The stem's kernels (see <see cref="Layers.DenseConvolution"/>).</summary>
public enum StemKernel
{
    /// <summary><see cref="Layers.DenseConvolution.Forward"/>: 4 output channels per invocation.</summary>
    DenseConvolution,

    /// <summary><see cref="Layers.DenseConvolution.ForwardWide"/>: 8 output channels per invocation, weights packed as <see cref="System.Numerics.Vector4"/>s.</summary>
    DenseConvolutionWide,
}

/// <summary>The specialisations of the pointwise (1x1) convolution kernels (see <see cref="Layers.PointwiseConvolution"/>).</summary>
public enum PointwiseKernel
{
    /// <summary><see cref="Layers.PointwiseConvolution.Forward"/> specialised to 4 channels x 4 pixels per invocation, no barriers.</summary>
    Block4x4,

    /// <summary><see cref="Layers.PointwiseConvolution.Forward"/> specialised to 8 channels x 4 pixels per invocation, no barriers.</summary>
    Wide8x4,

    /// <summary><see cref="Layers.PointwiseConvolution.ForwardTile"/> with <see cref="Layers.PointwiseTile.Square"/>: 64 channels x 64 columns per workgroup.</summary>
    Tiled64x64,

    /// <summary><see cref="Layers.PointwiseConvolution.ForwardTile"/> with <see cref="Layers.PointwiseTile.Large"/>: 64 channels x 128 columns over the batch, prefetching, split-K optional.</summary>
    Large64x128,

    /// <summary><see cref="Layers.PointwiseConvolution.ForwardTile"/> with <see cref="Layers.PointwiseTile.Narrow"/>: 32 channels x 256 columns, for at most 32 output channels.</summary>
    Narrow32x256,
}

/// <summary>A pointwise kernel and how many workgroups share each output tile's input channels (split-K; 1 = none).</summary>
/// <param name="Kernel">The kernel.</param>
/// <param name="Splits">Input-channel splits (only <see cref="PointwiseKernel.Large64x128"/> splits; the partial sums are added by <see cref="Layers.PointwiseConvolution.SumSplits"/>).</param>
/// <param name="ExpandFolded">
/// A block's projection only (<see cref="PointwiseKernel.Large64x128"/>, after a <see cref="GateKernel.ReduceThenExpand"/> gate): the
/// squeeze-excitation expand is computed in the projection's weight loads
/// (<see cref="Layers.PointwiseConvolution.ForwardTile"/> specialised with <c>gateFromSqueezed</c>) instead of its own dispatch.
/// </param>
public readonly record struct PointwiseChoice(PointwiseKernel Kernel, int Splits = 1, bool ExpandFolded = false)
{
    /// <inheritdoc/>
    public override string ToString() => (Splits > 1 ? $"{Kernel}/split{Splits}" : Kernel.ToString()) + (ExpandFolded ? "+expand" : "");
}

/// <summary>The depthwise convolution kernels (see <see cref="Layers.DepthwiseConvolution"/>).</summary>
public enum DepthwiseKernel
{
    /// <summary><see cref="Layers.DepthwiseConvolution.Forward"/>: 4 outputs of a row per invocation, per tap loads.</summary>
    PerTap,

    /// <summary><see cref="Layers.DepthwiseConvolution.Forward"/> specialised with <c>slidingRows</c>: each input row loaded once into registers.</summary>
    Sliding,

    /// <summary><see cref="Layers.DepthwiseConvolution.ForwardPooled"/>: one workgroup per channel plane, the squeeze-excitation pool fused in (never tuned: only when forced).</summary>
    Pooled,

    /// <summary>
    /// <see cref="Layers.DepthwiseConvolution.Forward"/> specialised with <c>slidingRows</c> and <c>writePartialPool</c>: <see cref="Sliding"/> whose epilogue writes the
    /// squeeze-excitation pool's partial sums (one per 64 row segments), which the gate adds: no pool dispatch.
    /// </summary>
    SlidingPartialPool,
}

/// <summary>A block's depthwise kernel and the pool dispatched after it (null: the kernel pools itself).</summary>
/// <param name="Kernel">The depthwise kernel.</param>
/// <param name="Pool">The pool kernel run on its output, or null for <see cref="DepthwiseKernel.Pooled"/> and <see cref="DepthwiseKernel.SlidingPartialPool"/>.</param>
public readonly record struct DepthwiseChoice(DepthwiseKernel Kernel, PoolKernel? Pool)
{
    /// <inheritdoc/>
    public override string ToString() => Pool is PoolKernel p ? $"{Kernel}, pool {p}" : Kernel.ToString();
}

/// <summary>The global average pool kernels (see <see cref="Layers.GlobalAveragePool"/>).</summary>
public enum PoolKernel
{
    /// <summary><see cref="Layers.GlobalAveragePool.Forward"/>: one invocation per (channel, image).</summary>
    Serial,

    /// <summary><see cref="Layers.GlobalAveragePool.Reduce"/>: one workgroup per (channel, image).</summary>
    Workgroup,
}

/// <summary>The squeeze-excitation gate (both fully connected layers) of a block.</summary>
public enum GateKernel
{
    /// <summary>Two <see cref="Layers.FullyConnected.Forward"/> dispatches (one invocation per output).</summary>
    Serial,

    /// <summary><see cref="Layers.SqueezeExcitation.Gate"/>: both layers in one workgroup per image.</summary>
    Fused,

    /// <summary><see cref="Layers.SqueezeExcitation.Gate"/> over one workgroup per 256 gate outputs of an image, each repeating the reduce: one dispatch, the expand spread out.</summary>
    FusedSliced,

    /// <summary><see cref="Layers.FullyConnected.ForwardReduce"/> (one workgroup per squeezed output), then <see cref="Layers.FullyConnected.Forward"/>.</summary>
    ReduceThenExpand,
}

/// <summary>The classifier's kernel.</summary>
public enum ClassifierKernel
{
    /// <summary><see cref="Layers.FullyConnected.Forward"/>: one invocation per logit.</summary>
    Serial,

    /// <summary><see cref="Layers.FullyConnected.ForwardReduce"/>: one workgroup per logit.</summary>
    Reduce,
}

/// <summary>
/// Forces choices of an <see cref="ExecutionPlan"/> (for tests, benchmarks and experiments) and says how to tune the rest.
/// A forced choice applies to every layer it fits (a narrow tile only where there are at most 32 output channels, a
/// sliding depthwise only for kernels it handles); elsewhere the plan chooses as usual.
/// </summary>
public sealed record ExecutionPlanOptions
{
    /// <summary>How the plan is tuned on the device. Default <see cref="TuneMode.Off"/> (choices from the device's type and limits).</summary>
    public TuneMode Tune { get; init; } = TuneMode.Off;

    /// <summary>The tuning cache file; null: the user's cache folder (<see cref="KernelTuner.DefaultCacheFile"/>).</summary>
    public string? TuneCacheFile { get; init; }

    /// <summary>Forces the stem's kernel.</summary>
    public StemKernel? Stem { get; init; }

    /// <summary>Forces the pointwise kernel.</summary>
    public PointwiseKernel? Pointwise { get; init; }

    /// <summary>Forces the split-K count of the 64x128 tile (1: no split).</summary>
    public int? Splits { get; init; }

    /// <summary>Forces the depthwise kernel.</summary>
    public DepthwiseKernel? Depthwise { get; init; }

    /// <summary>Forces the pool kernel (squeeze-excitation and head).</summary>
    public PoolKernel? Pool { get; init; }

    /// <summary>Forces the squeeze-excitation gate kernel.</summary>
    public GateKernel? Gate { get; init; }

    /// <summary>
    /// Forces the squeeze-excitation expand into the projection (<see cref="PointwiseChoice.ExpandFolded"/>): true where it fits
    /// (a 64x128-tile projection after a reduce-then-expand gate, batch 1 or planes of whole tiles), false never; null: tuned.
    /// </summary>
    public bool? FoldExpand { get; init; }

    /// <summary>
    /// Whether a split-K projection leaves its partial sums to its consumers (the next expand or the head, and the next
    /// projection's residual, which add them as they load) instead of finishing them in its own dispatch. True: yes; null or false: no.
    /// Off by default: on the H200 it saved 8 dispatches of about 5 us each but the consumers' loads, each a chain of up to 15
    /// dependent reads, cost more (batch 1 1.81 ms against 1.35, batch 64 7.90 against 5.53; 2026-12-02).
    /// </summary>
    public bool? DeferSplitSums { get; init; }

    /// <summary>Forces the classifier kernel.</summary>
    public ClassifierKernel? Classifier { get; init; }
}

/// <summary>Where a plan's choice for a layer came from.</summary>
public enum PlanSource
{
    /// <summary>From the device's type and limits (no tuning).</summary>
    Heuristic,

    /// <summary>Forced by <see cref="ExecutionPlanOptions"/>.</summary>
    Forced,

    /// <summary>Measured on the device now.</summary>
    Tuned,

    /// <summary>Measured earlier on this adapter and driver (tuning cache).</summary>
    Cached,
}

/// <summary>One dispatch group of a plan: a layer, its shape, the chosen kernel and its grid.</summary>
/// <param name="Layer">The layer (for example <c>blocks.5.0.project</c>).</param>
/// <param name="Shape">Input and output shape, e.g. <c>n1 192->1152 7x7</c>.</param>
/// <param name="Kernel">The chosen kernel (and its split).</param>
/// <param name="Grid">The grid of its main dispatch.</param>
/// <param name="Source">How it was chosen.</param>
/// <param name="Microseconds">Measured time of the choice per run, when tuned or cached.</param>
public sealed record PlannedLayer(string Layer, string Shape, string Kernel, Grid Grid, PlanSource Source, double? Microseconds);

/// <summary>
/// How <see cref="EfficientNetB0"/> runs one batch size on one device: for every layer the kernel, its configuration
/// and its grid, chosen when the batch size is first prepared from the device's type and limits (workgroup storage,
/// workgroups per dimension), then, with <see cref="ExecutionPlanOptions.Tune"/>, by timing the candidates of each
/// distinct layer shape once on the device (<see cref="KernelTuner"/>, cached per adapter and driver). The forward
/// pass is recorded from the plan; tests, benchmarks, the command line and the web page all run through one.
/// </summary>
public sealed class ExecutionPlan
{
    internal ExecutionPlan(int batch, TuneMode tune, string? cacheFile, IReadOnlyList<PlannedLayer> layers)
    {
        Batch = batch;
        Tune = tune;
        CacheFile = cacheFile;
        Layers = layers;
    }

    /// <summary>The batch size the plan is for.</summary>
    public int Batch { get; }

    /// <summary>How it was tuned.</summary>
    public TuneMode Tune { get; }

    /// <summary>The tuning cache file, when tuned.</summary>
    public string? CacheFile { get; }

    /// <summary>The layers in dispatch order (a split layer's finishing dispatch is part of its entry).</summary>
    public IReadOnlyList<PlannedLayer> Layers { get; }

    /// <summary>How many layers were chosen each way.</summary>
    public IReadOnlyDictionary<PlanSource, int> Sources => Layers.GroupBy(l => l.Source).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The plan as a Markdown table.</summary>
    public string Describe()
    {
        var s = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        string sources = string.Join(", ", Sources.Select(kv => $"{kv.Value} {kv.Key.ToString().ToLowerInvariant()}"));
        s.AppendLine(c, $"Execution plan, batch {Batch}, tune {Tune.ToString().ToLowerInvariant()}{(CacheFile is null ? "" : $" (cache {CacheFile})")}: {sources}");
        s.AppendLine();
        s.AppendLine("| layer | shape | kernel | grid | source | us |");
        s.AppendLine("| --- | --- | --- | --- | --- | ---: |");
        foreach (PlannedLayer l in Layers)
            s.AppendLine(c, $"| {l.Layer} | {l.Shape} | {l.Kernel} | {l.Grid} | {l.Source.ToString().ToLowerInvariant()} | {(l.Microseconds is double us ? us.ToString("F1", c) : "")} |");
        return s.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => Describe();
}
