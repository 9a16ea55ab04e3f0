using System.Numerics;

namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>
/// A 1x1 (pointwise) convolution, the bulk of EfficientNet's arithmetic: expansion, projection and head.
/// Fused: folded-BN bias, activation, an optional per-(image, input channel) scale applied to the input
/// (the squeeze-excitation gate of the projection's input) and an optional residual add. Two kernels, each
/// specialised by constants: <see cref="Forward"/> (a register block per invocation, no barriers) and
/// <see cref="ForwardTile"/> (a workgroup tile staged in workgroup memory, see <see cref="PointwiseTile"/>).
/// </summary>
public static partial class PointwiseConvolution
{
    /// <summary>Pixels computed by one invocation of <see cref="Forward"/>.</summary>
    public const int PixelsPerInvocation = 4;

    /// <summary>Most output channels one invocation of <see cref="Forward"/> computes.</summary>
    public const int MaxChannelsPerInvocation = 8;

    /// <summary>
    /// <c>y[n, o, p] = act(bias[o] + sum_i w[o, i] * x[n, i, p] * (scaleInput ? inputScale[n, i] : 1)) + (addResidual ? residual[n, o, p] : 0)</c>.
    /// Register-blocked: each invocation computes <paramref name="channelsPerInvocation"/> output channels (1 to
    /// <see cref="MaxChannelsPerInvocation"/>) x 4 consecutive pixels, so each input value loaded feeds that many outputs and each
    /// weight 4. 4 channels suit GPUs, 8 software adapters (lavapipe), where every load is a gather across SIMD lanes.
    /// <c>id.X</c> runs over <c>ceil(outChannels / channelsPerInvocation) * ceil(plane / 4)</c> tiles (pixel tile fastest),
    /// <c>id.Y</c> over the batch. <paramref name="inputScale"/> and <paramref name="residual"/> are only read when their
    /// constant is true (pass any small buffer otherwise). <paramref name="inputPartials"/> / <paramref name="residualPartials"/>:
    /// that tensor is the unfinished output of a split-K <see cref="ForwardTile"/> (see there), summed on load.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> inputScale, ReadOnlySpan<float> residual, Span<float> y,
        int inChannels, int outChannels, int plane, int inputSplits, int inputSplitStride, int residualSplits, int residualSplitStride,
        [Specialize] int channelsPerInvocation, [Specialize] Activation activation, [Specialize] bool scaleInput, [Specialize] bool addResidual,
        [Specialize] bool inputPartials, [Specialize] bool residualPartials)
    {
        int pixelTiles = (plane + 3) / 4;
        int channelTiles = (outChannels + channelsPerInvocation - 1) / channelsPerInvocation;
        int tile = id.X;
        int n = id.Y;
        if (tile >= pixelTiles * channelTiles)
        {
            return;
        }
        int o0 = (tile / pixelTiles) * channelsPerInvocation;
        int p0 = (tile - (tile / pixelTiles) * pixelTiles) * 4;

        // Clamped indices keep every load in bounds at ragged edges; the stores below are guarded.
        int last = plane - 1;
        int q1 = Math.Min(p0 + 1, last);
        int q2 = Math.Min(p0 + 2, last);
        int q3 = Math.Min(p0 + 3, last);
        Span<int> wRow = stackalloc int[MaxChannelsPerInvocation];
        for (int r = 0; r < channelsPerInvocation; r++)
        {
            wRow[r] = Math.Min(o0 + r, outChannels - 1) * inChannels;
        }
        Span<Vector4> acc = stackalloc Vector4[MaxChannelsPerInvocation];
        int xImage = n * inChannels * plane;
        for (int i = 0; i < inChannels; i++)
        {
            int xRow = xImage + i * plane;
            Vector4 xv = new Vector4(
                PartialSums.Load(x, xRow + p0, inputPartials, inputSplits, inputSplitStride), PartialSums.Load(x, xRow + q1, inputPartials, inputSplits, inputSplitStride),
                PartialSums.Load(x, xRow + q2, inputPartials, inputSplits, inputSplitStride), PartialSums.Load(x, xRow + q3, inputPartials, inputSplits, inputSplitStride));
            if (scaleInput)
            {
                xv *= inputScale[n * inChannels + i];
            }
            for (int r = 0; r < channelsPerInvocation; r++)
            {
                acc[r] += weight[wRow[r] + i] * xv;
            }
        }

        int yImage = n * outChannels * plane;
        for (int r = 0; r < channelsPerInvocation; r++)
        {
            int o = o0 + r;
            if (o < outChannels)
            {
                float b = bias[o];
                int row = yImage + o * plane + p0;
                Vector4 a = acc[r];
                for (int j = 0; j < 4; j++)
                {
                    if (p0 + j < plane)
                    {
                        float v = ActivationFunction.Apply(a[j] + b, activation);
                        if (addResidual)
                        {
                            v += PartialSums.Load(residual, row + j, residualPartials, residualSplits, residualSplitStride);
                        }
                        y[row + j] = v;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Finishes a split-K <see cref="ForwardTile"/>: <c>y[i] = act(sum_z partial[z * count + i])</c> for the
    /// <paramref name="count"/> = images x channels x plane outputs; <c>id.X</c> = output within an image
    /// (<paramref name="perImage"/> of them), <c>id.Y</c> = image.
    /// </summary>
    [Kernel(WorkgroupSize = 256)]
    public static void SumSplits(ThreadId id, ReadOnlySpan<float> partial, Span<float> y, int perImage, int count, int splits, Activation activation)
    {
        if (id.X >= perImage)
        {
            return;
        }
        int i = id.Y * perImage + id.X;
        float sum = 0f;
        for (int z = 0; z < splits; z++)
        {
            sum += partial[z * count + i];
        }
        y[i] = ActivationFunction.Apply(sum, activation);
    }
}

/// <summary>Reads a tensor that may be left as split-K partial sums (a kernel helper).</summary>
public static class PartialSums
{
    /// <summary>
    /// <c>t[at]</c>, or with <paramref name="partials"/> <c>t[at] + t[stride + at] + ...</c> over <paramref name="splits"/> partial
    /// tensors, added from 0 in split order as <see cref="PointwiseConvolution.SumSplits"/> adds them.
    /// </summary>
    public static float Load(ReadOnlySpan<float> t, int at, bool partials, int splits, int stride)
    {
        if (!partials)
        {
            return t[at];
        }
        float sum = 0f;
        for (int z = 0; z < splits; z++)
        {
            sum += t[z * stride + at];
        }
        return sum;
    }
}
