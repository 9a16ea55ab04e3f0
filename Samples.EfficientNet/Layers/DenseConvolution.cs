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
}
