namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>Global average pooling over the spatial dimensions (squeeze-excitation and the head).</summary>
public static partial class GlobalAveragePool
{
    /// <summary>
    /// <c>y[n, c] = mean_{p} x[n, c, p]</c> over <paramref name="plane"/> = H*W positions. One invocation
    /// per (channel, image): <c>id.X</c> = channel, <c>id.Y</c> = image.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(ThreadId id, ReadOnlySpan<float> x, Span<float> y, int channels, int plane)
    {
        int c = id.X;
        int n = id.Y;
        if (c >= channels)
        {
            return;
        }
        int xBase = (n * channels + c) * plane;
        float sum = 0f;
        for (int p = 0; p < plane; p++)
        {
            sum += x[xBase + p];
        }
        y[n * channels + c] = sum / (float)plane;
    }
}
