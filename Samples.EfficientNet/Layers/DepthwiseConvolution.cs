namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>A depthwise KxK convolution (one filter per channel): folded-BN bias and activation fused.</summary>
public static partial class DepthwiseConvolution
{
    /// <summary>
    /// <c>y[n, c, oy, ox] = act(bias[c] + sum_{ky,kx} w[c, ky, kx] * x[n, c, oy*s - p + ky, ox*s - p + kx])</c>,
    /// zero padding <c>p = (k - 1) / 2</c>. One invocation per output element: <c>id.X</c> runs over
    /// <c>channels * outHeight * outWidth</c>, <c>id.Y</c> over the batch.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int channels, int inHeight, int inWidth, int outHeight, int outWidth, int kernelSize, int stride, int activation)
    {
        int outPlane = outHeight * outWidth;
        int index = id.X;
        int n = id.Y;
        if (index >= channels * outPlane)
        {
            return;
        }
        int c = index / outPlane;
        int p = index - c * outPlane;
        int oy = p / outWidth;
        int ox = p - oy * outWidth;
        int pad = (kernelSize - 1) / 2;
        int iy0 = oy * stride - pad;
        int ix0 = ox * stride - pad;
        int xBase = (n * channels + c) * inHeight * inWidth;
        int wBase = c * kernelSize * kernelSize;
        float acc = bias[c];
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
        y[(n * channels + c) * outPlane + p] = Activation.Apply(acc, activation);
    }
}
