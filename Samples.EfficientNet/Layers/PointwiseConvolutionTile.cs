using System.Numerics;

namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>
/// The tile shape of one <see cref="PointwiseConvolution.ForwardTile"/> specialisation: 256 invocations as
/// <see cref="ColumnThreads"/> x (256 / <see cref="ColumnThreads"/>), each computing 4 output channels x 4 *
/// <see cref="ColumnBlocks"/> columns; input channels staged <see cref="KStep"/> at a time, with the next step's loads
/// issued before this step's arithmetic when <see cref="Prefetch"/> is set.
/// </summary>
/// <param name="ColumnThreads">Invocations along the columns: 16, 32 or 64.</param>
/// <param name="ColumnBlocks">4-column blocks per invocation: 1 or 2 (at <see cref="ColumnThreads"/> apart).</param>
/// <param name="KStep">Input channels per step: a multiple of 256 / (<see cref="ColumnThreads"/> x <see cref="ColumnBlocks"/>), at most 4 of those.</param>
/// <param name="Prefetch">Software pipelining of the device loads.</param>
public readonly record struct PointwiseTile(int ColumnThreads, int ColumnBlocks, int KStep, bool Prefetch)
{
    /// <summary>Invocations of one workgroup.</summary>
    public const int WorkgroupSize = 256;

    /// <summary>64 channels x 128 columns, 16 input channels a step, prefetching: large layers, split-K at small planes.</summary>
    public static readonly PointwiseTile Large = new(16, 2, 16, true);

    /// <summary>32 channels x 256 columns, 8 input channels a step: layers of at most 32 output channels.</summary>
    public static readonly PointwiseTile Narrow = new(32, 2, 8, false);

    /// <summary>64 channels x 64 columns, 16 input channels a step: the few-input-channel layers on large planes.</summary>
    public static readonly PointwiseTile Square = new(16, 1, 16, false);

    private int ChannelGroups => WorkgroupSize / ColumnThreads;

    private int ColumnVectors => ColumnThreads * ColumnBlocks;

    /// <summary>Output channels of one tile.</summary>
    public int Channels => 4 * ChannelGroups;

    /// <summary>Output columns (pixels over the whole batch) of one tile.</summary>
    public int Columns => 4 * ColumnVectors;

    /// <summary><see cref="Vector4"/>s of the weight slice (rows padded by one so the transposing stores do not collide).</summary>
    public int WeightTileLength => KStep * (ChannelGroups + 1);

    /// <summary><see cref="Vector4"/>s of the input slice.</summary>
    public int InputTileLength => KStep * ColumnVectors;

    /// <summary>Workgroup memory of one workgroup in bytes.</summary>
    public int SharedBytes => 16 * (WeightTileLength + InputTileLength);

    /// <summary>Whether the kernel supports this shape (each invocation stages whole rows; one pass stages the weights).</summary>
    public bool IsValid => ColumnThreads is 16 or 32 or 64 && ColumnBlocks is 1 or 2 && KStep > 0
        && WorkgroupSize % ColumnVectors == 0 && KStep % (WorkgroupSize / ColumnVectors) == 0
        && KStep / (WorkgroupSize / ColumnVectors) <= PointwiseConvolution.MaxTileInputLoads && KStep * ChannelGroups <= WorkgroupSize;

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}x{Columns} k{KStep}{(Prefetch ? " prefetch" : "")}";
}

public static partial class PointwiseConvolution
{
    /// <summary>Most input rows one invocation stages per step of <see cref="ForwardTile"/>.</summary>
    public const int MaxTileInputLoads = 4;

    /// <summary>
    /// The same function as <see cref="Forward"/> as a shared-memory tiled matrix product, one kernel specialised by the tile
    /// shape (<paramref name="columnThreads"/>, <paramref name="columnBlocks"/>, <paramref name="kStep"/>, <paramref name="prefetch"/>:
    /// a <see cref="PointwiseTile"/>) and the epilogue. The pixels of all images form one column axis (column <c>j</c> = image
    /// <c>j / plane</c>, pixel <c>j % plane</c>, so 7x7 layers of a batch fill whole tiles); <c>GroupId.X</c> = column tile,
    /// <c>GroupId.Y</c> = channel tile, <c>GroupId.Z</c> = split. Workgroup memory holds the slices as <see cref="Vector4"/>s
    /// (weights: 4 channels per element; inputs: 4 columns per element), so each invocation reads 1 + <paramref name="columnBlocks"/>
    /// vectors per input channel for 16 x <paramref name="columnBlocks"/> FMAs into its block (channels <c>4ty..4ty+3</c>, columns
    /// <c>4(tx + b columnThreads)..+3</c>).
    /// <para>
    /// Input scale: <paramref name="scaleInput"/> multiplies the inputs by <c>inputScale[image, k]</c> on the way into workgroup
    /// memory; <paramref name="gateFromSqueezed"/> instead computes each input channel's squeeze-excitation gate
    /// <c>sigmoid(expandBias[k] + sum_j expandWeight[k, j] * squeezed[image, j])</c> (<paramref name="squeeze"/> values per image)
    /// and scales the weights by it, which needs every column of a tile in one image (batch 1, or a plane that is a multiple of
    /// the tile's columns: the plan checks). Split-K: workgroup <c>z</c> sums input channels <c>z * kChunk</c> up to
    /// <c>(z + 1) * kChunk</c> (<paramref name="kChunk"/> a multiple of <paramref name="kStep"/>; at least <paramref name="inChannels"/>
    /// for one split) and writes at <c>y[z * splitStride + ...]</c>; bias and residual are added by split 0 only, so with several
    /// splits specialise <see cref="Activation.None"/> and let <see cref="SumSplits"/> add the partial outputs and activate.
    /// </para>
    /// <para>
    /// Inputs as partial sums: with <paramref name="inputPartials"/> the input tensor is the unfinished output of a split-K
    /// layer without activation, <paramref name="inputSplits"/> partial tensors <paramref name="inputSplitStride"/> floats apart,
    /// summed on load in split order (the order of <see cref="SumSplits"/>, so the values are the same); likewise
    /// <paramref name="residualPartials"/> for the residual. That saves the producer's <see cref="SumSplits"/> dispatch.
    /// </para>
    /// </summary>
    [Kernel(WorkgroupSize = PointwiseTile.WorkgroupSize)]
    public static void ForwardTile(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> inputScale, ReadOnlySpan<float> squeezed, ReadOnlySpan<float> expandWeight, ReadOnlySpan<float> expandBias,
        ReadOnlySpan<float> residual, Span<float> y,
        int inChannels, int outChannels, int plane, int columns, int squeeze, int kChunk, int splitStride,
        int inputSplits, int inputSplitStride, int residualSplits, int residualSplitStride,
        [Specialize] int columnThreads, [Specialize] int columnBlocks, [Specialize] int kStep, [Specialize] bool prefetch,
        [Specialize] Activation activation, [Specialize] bool scaleInput, [Specialize] bool gateFromSqueezed, [Specialize] bool addResidual,
        [Specialize] bool inputPartials, [Specialize] bool residualPartials, [Specialize] int weightTileLength, [Specialize] int inputTileLength,
        [GroupShared(nameof(weightTileLength))] Span<Vector4> wTile, [GroupShared(nameof(inputTileLength))] Span<Vector4> xTile)
    {
        int t = local.X;
        int groups = PointwiseTile.WorkgroupSize / columnThreads;
        int tx = t % columnThreads;
        int ty = t / columnThreads;
        int columnVectors = columnThreads * columnBlocks;
        int colBase = group.X * 4 * columnVectors;
        int cBase = group.Y * 4 * groups;
        int split = group.Z;
        int kBegin = split * kChunk;
        int kEnd = Math.Min(kBegin + kChunk, inChannels);

        // Staging roles (fixed over the K loop): inputs: 4 columns (t % columnVectors) of rows t / columnVectors + j * rowStride;
        // weights (the first kStep * groups invocations): row t % kStep (consecutive invocations read consecutive input
        // channels) of channels 4 * (t / kStep).
        int lc = t % columnVectors;
        int lk = t / columnVectors;
        int rowStride = PointwiseTile.WorkgroupSize / columnVectors;
        int inputLoads = kStep / rowStride;
        Span<int> xOff = stackalloc int[4];
        Span<int> sOff = stackalloc int[4];
        for (int j = 0; j < 4; j++)
        {
            int col = colBase + lc * 4 + j;
            xOff[j] = -1;
            if (col < columns)
            {
                int img = col / plane;
                xOff[j] = img * inChannels * plane + col - img * plane;
                sOff[j] = img * inChannels;
            }
        }
        int wk = t % kStep;
        int wg = t / kStep;
        int wo = cBase + wg * 4;
        // The tile's image when the gate is computed here (all its columns share it): its squeezed vector starts here.
        int sBase = Math.Min(colBase, columns - 1) / plane * squeeze;

        Span<Vector4> acc = stackalloc Vector4[8];
        Span<Vector4> nx = stackalloc Vector4[MaxTileInputLoads];
        Vector4 nw = default;
        if (prefetch)
        {
            for (int j = 0; j < inputLoads; j++)
            {
                nx[j] = LoadTileInputs(x, inputScale, xOff, sOff, kBegin + lk + j * rowStride, kEnd, plane, scaleInput, inputPartials, inputSplits, inputSplitStride);
            }
            if (wg < groups)
            {
                nw = LoadTileWeights(weight, squeezed, expandWeight, expandBias, gateFromSqueezed, sBase, squeeze, wo, kBegin + wk, inChannels, kEnd, outChannels);
            }
        }
        for (int k0 = kBegin; k0 < kEnd; k0 += kStep)
        {
            if (!prefetch)
            {
                for (int j = 0; j < inputLoads; j++)
                {
                    nx[j] = LoadTileInputs(x, inputScale, xOff, sOff, k0 + lk + j * rowStride, kEnd, plane, scaleInput, inputPartials, inputSplits, inputSplitStride);
                }
                if (wg < groups)
                {
                    nw = LoadTileWeights(weight, squeezed, expandWeight, expandBias, gateFromSqueezed, sBase, squeeze, wo, k0 + wk, inChannels, kEnd, outChannels);
                }
            }
            for (int j = 0; j < inputLoads; j++)
            {
                xTile[(lk + j * rowStride) * columnVectors + lc] = nx[j];
            }
            if (wg < groups)
            {
                wTile[wk * (groups + 1) + wg] = nw;
            }
            Workgroup.Barrier();
            if (prefetch)
            {
                // The next slice's device loads are issued before this slice's FMAs, which hide their latency.
                int kn = k0 + kStep;
                for (int j = 0; j < inputLoads; j++)
                {
                    nx[j] = LoadTileInputs(x, inputScale, xOff, sOff, kn + lk + j * rowStride, kEnd, plane, scaleInput, inputPartials, inputSplits, inputSplitStride);
                }
                if (wg < groups)
                {
                    nw = LoadTileWeights(weight, squeezed, expandWeight, expandBias, gateFromSqueezed, sBase, squeeze, wo, kn + wk, inChannels, kEnd, outChannels);
                }
            }
            for (int kk = 0; kk < kStep; kk++)
            {
                Vector4 w = wTile[kk * (groups + 1) + ty];
                for (int b = 0; b < columnBlocks; b++)
                {
                    Vector4 xv = xTile[kk * columnVectors + b * columnThreads + tx];
                    acc[b] += w.X * xv;
                    acc[2 + b] += w.Y * xv;
                    acc[4 + b] += w.Z * xv;
                    acc[6 + b] += w.W * xv;
                }
            }
            Workgroup.Barrier();
        }

        for (int b = 0; b < columnBlocks; b++)
        {
            int col0 = colBase + 4 * (b * columnThreads + tx);
            for (int i = 0; i < 4; i++)
            {
                int column = col0 + i;
                if (column < columns)
                {
                    int img = column / plane;
                    int at = img * outChannels * plane + column - img * plane;
                    for (int r = 0; r < 4; r++)
                    {
                        int o = cBase + ty * 4 + r;
                        if (o < outChannels)
                        {
                            float v = acc[2 * r + b][i];
                            if (split == 0)
                            {
                                v += bias[o];
                            }
                            v = ActivationFunction.Apply(v, activation);
                            if (addResidual && split == 0)
                            {
                                v += PartialSums.Load(residual, at + o * plane, residualPartials, residualSplits, residualSplitStride);
                            }
                            y[split * splitStride + at + o * plane] = v;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Input row <paramref name="k"/> at 4 columns (offsets -1: outside), scaled when asked; zero from <paramref name="kEnd"/> on.</summary>
    private static Vector4 LoadTileInputs(
        ReadOnlySpan<float> x, ReadOnlySpan<float> inputScale, Span<int> xOff, Span<int> sOff, int k, int kEnd, int plane, bool scale,
        bool partials, int splits, int splitStride)
    {
        if (k >= kEnd)
        {
            return default;
        }
        int rowOff = k * plane;
        return new Vector4(
            LoadTileInput(x, inputScale, xOff[0], sOff[0] + k, rowOff, scale, partials, splits, splitStride),
            LoadTileInput(x, inputScale, xOff[1], sOff[1] + k, rowOff, scale, partials, splits, splitStride),
            LoadTileInput(x, inputScale, xOff[2], sOff[2] + k, rowOff, scale, partials, splits, splitStride),
            LoadTileInput(x, inputScale, xOff[3], sOff[3] + k, rowOff, scale, partials, splits, splitStride));
    }

    private static float LoadTileInput(
        ReadOnlySpan<float> x, ReadOnlySpan<float> inputScale, int xOff, int sAt, int rowOff, bool scale, bool partials, int splits, int splitStride)
    {
        float v = 0f;
        if (xOff >= 0)
        {
            v = PartialSums.Load(x, xOff + rowOff, partials, splits, splitStride);
            if (scale)
            {
                v *= inputScale[sAt];
            }
        }
        return v;
    }

    /// <summary>
    /// Weights of input channel <paramref name="k"/> for output channels <paramref name="wo"/>..+3, zero outside (from <paramref name="kEnd"/>
    /// on); times the channel's gate computed from the squeezed vector at <paramref name="sBase"/> when <paramref name="gate"/> is set.
    /// </summary>
    private static Vector4 LoadTileWeights(
        ReadOnlySpan<float> weight, ReadOnlySpan<float> squeezed, ReadOnlySpan<float> expandWeight, ReadOnlySpan<float> expandBias,
        bool gate, int sBase, int squeeze, int wo, int k, int inChannels, int kEnd, int outChannels)
    {
        if (k >= kEnd)
        {
            return default;
        }
        Vector4 wv = new Vector4(
            LoadTileWeight(weight, wo, k, inChannels, outChannels), LoadTileWeight(weight, wo + 1, k, inChannels, outChannels),
            LoadTileWeight(weight, wo + 2, k, inChannels, outChannels), LoadTileWeight(weight, wo + 3, k, inChannels, outChannels));
        if (gate)
        {
            int eBase = k * squeeze;
            float g = expandBias[k];
            for (int j = 0; j < squeeze; j++)
            {
                g += expandWeight[eBase + j] * squeezed[sBase + j];
            }
            wv *= ActivationFunction.Apply(g, Activation.Sigmoid);
        }
        return wv;
    }

    private static float LoadTileWeight(ReadOnlySpan<float> weight, int o, int k, int inChannels, int outChannels) =>
        o < outChannels ? weight[o * inChannels + k] : 0f;
}
