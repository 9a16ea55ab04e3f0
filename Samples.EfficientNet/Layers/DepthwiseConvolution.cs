namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>A depthwise KxK convolution (one filter per channel): folded-BN bias and activation fused.</summary>
public static partial class DepthwiseConvolution
{
    /// <summary>Adjacent output pixels of one row computed by one invocation.</summary>
    public const int PixelsPerInvocation = 4;

    /// <summary>
    /// <c>y[n, c, oy, ox] = act(bias[c] + sum_{ky,kx} w[c, ky, kx] * x[n, c, oy*s - p + ky, ox*s - p + kx])</c>,
    /// zero padding <c>p = (k - 1) / 2</c>. Each invocation computes 4 horizontally adjacent outputs of one
    /// row, so each weight load and the row bounds check serve 4 outputs. <c>id.X</c> runs over
    /// <c>channels * outHeight * ceil(outWidth / 4)</c> row segments, <c>id.Y</c> over the batch.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int channels, int inHeight, int inWidth, int outHeight, int outWidth, int kernelSize, int stride, int activation)
    {
        int segments = (outWidth + 3) / 4;
        int planeSegments = outHeight * segments;
        int index = id.X;
        int n = id.Y;
        if (index >= channels * planeSegments)
        {
            return;
        }
        int c = index / planeSegments;
        int r = index - c * planeSegments;
        int oy = r / segments;
        int ox0 = (r - oy * segments) * 4;
        int pad = (kernelSize - 1) / 2;
        int iy0 = oy * stride - pad;
        int ix0 = ox0 * stride - pad;
        int xBase = (n * channels + c) * inHeight * inWidth;
        int wBase = c * kernelSize * kernelSize;
        float b = bias[c];
        float a0 = b;
        float a1 = b;
        float a2 = b;
        float a3 = b;
        for (int ky = 0; ky < kernelSize; ky++)
        {
            int iy = iy0 + ky;
            if (iy >= 0 && iy < inHeight)
            {
                int row = xBase + iy * inWidth;
                int wRow = wBase + ky * kernelSize;
                for (int kx = 0; kx < kernelSize; kx++)
                {
                    float w = weight[wRow + kx];
                    int i0 = ix0 + kx;
                    int i1 = i0 + stride;
                    int i2 = i1 + stride;
                    int i3 = i2 + stride;
                    if (i0 >= 0 && i0 < inWidth)
                    {
                        a0 += w * x[row + i0];
                    }
                    if (i1 >= 0 && i1 < inWidth)
                    {
                        a1 += w * x[row + i1];
                    }
                    if (i2 >= 0 && i2 < inWidth)
                    {
                        a2 += w * x[row + i2];
                    }
                    if (i3 >= 0 && i3 < inWidth)
                    {
                        a3 += w * x[row + i3];
                    }
                }
            }
        }
        int yRow = ((n * channels + c) * outHeight + oy) * outWidth + ox0;
        y[yRow] = Activation.Apply(a0, activation);
        if (ox0 + 1 < outWidth)
        {
            y[yRow + 1] = Activation.Apply(a1, activation);
        }
        if (ox0 + 2 < outWidth)
        {
            y[yRow + 2] = Activation.Apply(a2, activation);
        }
        if (ox0 + 3 < outWidth)
        {
            y[yRow + 3] = Activation.Apply(a3, activation);
        }
    }
}
