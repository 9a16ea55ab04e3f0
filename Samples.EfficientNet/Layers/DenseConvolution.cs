using System.Numerics;

namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>A dense KxK convolution (the stem): folded-BN bias and activation fused.</summary>
public static partial class DenseConvolution
{
    /// <summary>Output channels computed by one invocation.</summary>
    public const int ChannelsPerInvocation = 4;

    /// <summary>
    /// <c>y[n, o, oy, ox] = act(bias[o] + sum_{c,ky,kx} w[o, c, ky, kx] * x[n, c, oy*s - p + ky, ox*s - p + kx])</c>,
    /// zero padding <c>p = (k - 1) / 2</c>. Batched NCHW. Each invocation computes 4 output channels of
    /// one pixel, so every input value loaded feeds 4 outputs: <c>id.X</c> runs over
    /// <c>ceil(outChannels / 4) * outHeight * outWidth</c> (pixel fastest), <c>id.Y</c> over the batch.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int inChannels, int inHeight, int inWidth, int outChannels, int outHeight, int outWidth,
        int kernelSize, int stride, Activation activation)
    {
        int outPlane = outHeight * outWidth;
        int index = id.X;
        int n = id.Y;
        int channelGroups = (outChannels + 3) / 4;
        if (index >= channelGroups * outPlane)
        {
            return;
        }
        int o0 = (index / outPlane) * 4;
        int p = index - (index / outPlane) * outPlane;
        int oy = p / outWidth;
        int ox = p - oy * outWidth;
        int pad = (kernelSize - 1) / 2;
        int iy0 = oy * stride - pad;
        int ix0 = ox * stride - pad;
        // Clamped rows keep the weight loads in bounds when outChannels is not a multiple of 4.
        int lastOut = outChannels - 1;
        int filter = inChannels * kernelSize * kernelSize;
        int w0 = o0 * filter;
        int w1 = Math.Min(o0 + 1, lastOut) * filter;
        int w2 = Math.Min(o0 + 2, lastOut) * filter;
        int w3 = Math.Min(o0 + 3, lastOut) * filter;
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        for (int c = 0; c < inChannels; c++)
        {
            int xBase = (n * inChannels + c) * inHeight * inWidth;
            int wBase = c * kernelSize * kernelSize;
            for (int ky = 0; ky < kernelSize; ky++)
            {
                int iy = iy0 + ky;
                if (iy >= 0 && iy < inHeight)
                {
                    for (int kx = 0; kx < kernelSize; kx++)
                    {
                        int ix = ix0 + kx;
                        if (ix >= 0 && ix < inWidth)
                        {
                            float v = x[xBase + iy * inWidth + ix];
                            int k = wBase + ky * kernelSize + kx;
                            a0 += weight[w0 + k] * v;
                            a1 += weight[w1 + k] * v;
                            a2 += weight[w2 + k] * v;
                            a3 += weight[w3 + k] * v;
                        }
                    }
                }
            }
        }
        int yBase = (n * outChannels + o0) * outPlane + p;
        y[yBase] = ActivationFunction.Apply(a0 + bias[o0], activation);
        if (o0 + 1 < outChannels)
        {
            y[yBase + outPlane] = ActivationFunction.Apply(a1 + bias[o0 + 1], activation);
        }
        if (o0 + 2 < outChannels)
        {
            y[yBase + 2 * outPlane] = ActivationFunction.Apply(a2 + bias[o0 + 2], activation);
        }
        if (o0 + 3 < outChannels)
        {
            y[yBase + 3 * outPlane] = ActivationFunction.Apply(a3 + bias[o0 + 3], activation);
        }
    }
}

public static partial class DenseConvolution
{
    /// <summary>Output channels computed by one invocation of <see cref="ForwardWide"/>.</summary>
    public const int WideChannelsPerInvocation = 8;

    /// <summary>
    /// <paramref name="weight"/> (<c>[outChannels, inChannels, k, k]</c>) as <see cref="ForwardWide"/> reads it: per tap
    /// <c>t = (c * k + ky) * k + kx</c> and group of 8 output channels <c>g</c>, two <see cref="Vector4"/>s at
    /// <c>(t * groups + g) * 2</c> (channels <c>8g..8g+3</c>, <c>8g+4..8g+7</c>; zero past <paramref name="outChannels"/>).
    /// </summary>
    public static Vector4[] WideWeights(ReadOnlySpan<float> weight, int outChannels, int taps)
    {
        int groups = (outChannels + 7) / 8;
        var packed = new Vector4[taps * groups * 2];
        Span<float> flat = System.Runtime.InteropServices.MemoryMarshal.Cast<Vector4, float>(packed.AsSpan());
        for (int o = 0; o < outChannels; o++)
            for (int t = 0; t < taps; t++)
                flat[(t * groups + o / 8) * 8 + o % 8] = weight[o * taps + t];
        return packed;
    }

    /// <summary>
    /// The same function as <see cref="Forward"/> with 8 output channels per invocation and the weights read as two
    /// <see cref="Vector4"/>s per tap (<see cref="WideWeights"/>): per tap 1 input and 2 weight loads feed 8 FMAs
    /// (<see cref="Forward"/>: 5 loads for 4), for the stem, whose 27 taps make it load-bound. <c>id.X</c> runs over
    /// <c>ceil(outChannels / 8) * outHeight * outWidth</c> (pixel fastest), <c>id.Y</c> over the batch.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ForwardWide(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<Vector4> weight, ReadOnlySpan<float> bias, Span<float> y,
        int inChannels, int inHeight, int inWidth, int outChannels, int outHeight, int outWidth,
        int kernelSize, int stride, Activation activation)
    {
        int outPlane = outHeight * outWidth;
        int index = id.X;
        int n = id.Y;
        int groups = (outChannels + 7) / 8;
        if (index >= groups * outPlane)
        {
            return;
        }
        int g = index / outPlane;
        int p = index - g * outPlane;
        int oy = p / outWidth;
        int ox = p - oy * outWidth;
        int pad = (kernelSize - 1) / 2;
        int iy0 = oy * stride - pad;
        int ix0 = ox * stride - pad;
        Vector4 lo = default;
        Vector4 hi = default;
        for (int c = 0; c < inChannels; c++)
        {
            int xBase = (n * inChannels + c) * inHeight * inWidth;
            for (int ky = 0; ky < kernelSize; ky++)
            {
                int iy = iy0 + ky;
                if (iy >= 0 && iy < inHeight)
                {
                    for (int kx = 0; kx < kernelSize; kx++)
                    {
                        int ix = ix0 + kx;
                        if (ix >= 0 && ix < inWidth)
                        {
                            float v = x[xBase + iy * inWidth + ix];
                            int w = (((c * kernelSize + ky) * kernelSize + kx) * groups + g) * 2;
                            lo += weight[w] * v;
                            hi += weight[w + 1] * v;
                        }
                    }
                }
            }
        }
        int o0 = g * 8;
        int yBase = (n * outChannels + o0) * outPlane + p;
        StoreChannel(y, bias, lo.X, o0, outChannels, yBase, activation);
        StoreChannel(y, bias, lo.Y, o0 + 1, outChannels, yBase + outPlane, activation);
        StoreChannel(y, bias, lo.Z, o0 + 2, outChannels, yBase + 2 * outPlane, activation);
        StoreChannel(y, bias, lo.W, o0 + 3, outChannels, yBase + 3 * outPlane, activation);
        StoreChannel(y, bias, hi.X, o0 + 4, outChannels, yBase + 4 * outPlane, activation);
        StoreChannel(y, bias, hi.Y, o0 + 5, outChannels, yBase + 5 * outPlane, activation);
        StoreChannel(y, bias, hi.Z, o0 + 6, outChannels, yBase + 6 * outPlane, activation);
        StoreChannel(y, bias, hi.W, o0 + 7, outChannels, yBase + 7 * outPlane, activation);
    }

    /// <summary>Stores <c>act(v + bias[o])</c> at <paramref name="at"/> when channel <paramref name="o"/> exists.</summary>
    private static void StoreChannel(Span<float> y, ReadOnlySpan<float> bias, float v, int o, int outChannels, int at, Activation activation)
    {
        if (o < outChannels)
        {
            y[at] = ActivationFunction.Apply(v + bias[o], activation);
        }
    }
}
