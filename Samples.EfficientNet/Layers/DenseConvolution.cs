namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>A dense KxK convolution (the stem): folded-BN bias and activation fused.</summary>
public static partial class DenseConvolution
{
    /// <summary>
    /// <c>y[n, o, oy, ox] = act(bias[o] + sum_{c,ky,kx} w[o, c, ky, kx] * x[n, c, oy*s - p + ky, ox*s - p + kx])</c>,
    /// zero padding <c>p = (k - 1) / 2</c>. Batched NCHW. One invocation per output element:
    /// <c>id.X</c> runs over <c>outChannels * outHeight * outWidth</c>, <c>id.Y</c> over the batch.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int inChannels, int inHeight, int inWidth, int outChannels, int outHeight, int outWidth,
        int kernelSize, int stride, int activation)
    {
        int outPlane = outHeight * outWidth;
        int index = id.X;
        int n = id.Y;
        if (index >= outChannels * outPlane)
        {
            return;
        }
        int o = index / outPlane;
        int p = index - o * outPlane;
        int oy = p / outWidth;
        int ox = p - oy * outWidth;
        int pad = (kernelSize - 1) / 2;
        int iy0 = oy * stride - pad;
        int ix0 = ox * stride - pad;
        float acc = bias[o];
        for (int c = 0; c < inChannels; c++)
        {
            int xBase = (n * inChannels + c) * inHeight * inWidth;
            int wBase = (o * inChannels + c) * kernelSize * kernelSize;
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
                            acc += weight[wBase + ky * kernelSize + kx] * x[xBase + iy * inWidth + ix];
                        }
                    }
                }
            }
        }
        y[(n * outChannels + o) * outPlane + p] = Activation.Apply(acc, activation);
    }

    /// <summary>Output channels computed by one invocation of <see cref="ForwardBlocked"/>.</summary>
    public const int ChannelsPerInvocation = 4;

    /// <summary>
    /// The same function as <see cref="Forward"/>, 4 output channels per invocation: each input value
    /// (and its bounds check) is loaded once for 4 filters. <c>id.X</c> runs over
    /// <c>ceil(outChannels / 4) * outHeight * outWidth</c> (pixel fastest, so adjacent invocations read
    /// adjacent inputs), <c>id.Y</c> over the batch.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ForwardBlocked(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int inChannels, int inHeight, int inWidth, int outChannels, int outHeight, int outWidth,
        int kernelSize, int stride, int activation)
    {
        int outPlane = outHeight * outWidth;
        int index = id.X;
        int n = id.Y;
        int groups = (outChannels + 3) / 4;
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
        int o0 = g * 4;
        int last = outChannels - 1;
        int filter = inChannels * kernelSize * kernelSize;
        int f0 = o0 * filter;
        int f1 = Math.Min(o0 + 1, last) * filter;
        int f2 = Math.Min(o0 + 2, last) * filter;
        int f3 = Math.Min(o0 + 3, last) * filter;
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        for (int c = 0; c < inChannels; c++)
        {
            int xBase = (n * inChannels + c) * inHeight * inWidth;
            int wc = c * kernelSize * kernelSize;
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
                            int w = wc + ky * kernelSize + kx;
                            a0 += weight[f0 + w] * v;
                            a1 += weight[f1 + w] * v;
                            a2 += weight[f2 + w] * v;
                            a3 += weight[f3 + w] * v;
                        }
                    }
                }
            }
        }
        int yBase = n * outChannels * outPlane + p;
        y[yBase + o0 * outPlane] = Activation.Apply(a0 + bias[o0], activation);
        if (o0 + 1 < outChannels)
        {
            y[yBase + (o0 + 1) * outPlane] = Activation.Apply(a1 + bias[o0 + 1], activation);
        }
        if (o0 + 2 < outChannels)
        {
            y[yBase + (o0 + 2) * outPlane] = Activation.Apply(a2 + bias[o0 + 2], activation);
        }
        if (o0 + 3 < outChannels)
        {
            y[yBase + (o0 + 3) * outPlane] = Activation.Apply(a3 + bias[o0 + 3], activation);
        }
    }
}
