namespace KernelGen.Samples.EfficientNet.Layers;

public static partial class DepthwiseConvolution
{
    /// <summary>Invocations of one <see cref="ForwardPooled"/> workgroup (one channel plane of one image).</summary>
    public const int PooledWorkgroupSize = 128;

    /// <summary>
    /// <see cref="Forward"/> with the global average pool of its output fused in: one workgroup of 128
    /// invocations per channel plane (<c>GroupId.X</c> = channel, <c>GroupId.Y</c> = image) computes the
    /// plane's outputs (invocation <c>i</c> the outputs <c>i, i + 128, ...</c>: consecutive invocations on
    /// consecutive pixels), writes them to <paramref name="y"/> and sums them in registers, then a workgroup
    /// tree reduction writes the plane's mean to <c>pooled[n * channels + c]</c>, so the pool does not read
    /// the output back from memory in a second dispatch.
    /// </summary>
    [Kernel(WorkgroupSize = 128)]
    public static void ForwardPooled(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Span<float> pooled,
        int channels, int inHeight, int inWidth, int outHeight, int outWidth, int kernelSize, int stride, Activation activation,
        [GroupShared(128)] Span<float> partial)
    {
        int c = group.X;
        int n = group.Y;
        int pad = (kernelSize - 1) / 2;
        int xBase = (n * channels + c) * inHeight * inWidth;
        int yBase = (n * channels + c) * outHeight * outWidth;
        int wBase = c * kernelSize * kernelSize;
        float b = bias[c];
        int outPlane = outHeight * outWidth;
        float sum = 0f;
        for (int p = local.X; p < outPlane; p += 128)
        {
            int oy = p / outWidth;
            int ox = p - oy * outWidth;
            int iy0 = oy * stride - pad;
            int ix0 = ox * stride - pad;
            float a = b;
            for (int ky = 0; ky < kernelSize; ky++)
            {
                int iy = iy0 + ky;
                if (iy >= 0 && iy < inHeight)
                {
                    int row = xBase + iy * inWidth;
                    int wRow = wBase + ky * kernelSize;
                    for (int kx = 0; kx < kernelSize; kx++)
                    {
                        int ix = ix0 + kx;
                        if (ix >= 0 && ix < inWidth)
                        {
                            a += weight[wRow + kx] * x[row + ix];
                        }
                    }
                }
            }
            float v = ActivationFunction.Apply(a, activation);
            y[yBase + p] = v;
            sum += v;
        }
        partial[local.X] = sum;
        Workgroup.Barrier();
        for (int s = 64; s > 0; s >>= 1)
        {
            if (local.X < s)
            {
                partial[local.X] += partial[local.X + s];
            }
            Workgroup.Barrier();
        }
        if (local.X == 0)
        {
            pooled[n * channels + c] = partial[0] / (float)outPlane;
        }
    }
}
