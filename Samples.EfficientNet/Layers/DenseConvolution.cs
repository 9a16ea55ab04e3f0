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
        int kernelSize, int stride, int activation)
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
        y[yBase] = Activation.Apply(a0 + bias[o0], activation);
        if (o0 + 1 < outChannels)
        {
            y[yBase + outPlane] = Activation.Apply(a1 + bias[o0 + 1], activation);
        }
        if (o0 + 2 < outChannels)
        {
            y[yBase + 2 * outPlane] = Activation.Apply(a2 + bias[o0 + 2], activation);
        }
        if (o0 + 3 < outChannels)
        {
            y[yBase + 3 * outPlane] = Activation.Apply(a3 + bias[o0 + 3], activation);
        }
    }
}
