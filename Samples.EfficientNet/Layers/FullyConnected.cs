namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>
/// A fully connected layer with a fused activation: the squeeze-excitation FCs (1x1 convolutions on a
/// pooled vector, SiLU then sigmoid) and the classifier (no activation).
/// </summary>
public static partial class FullyConnected
{
    /// <summary>
    /// <c>y[n, o] = act(bias[o] + sum_i w[o, i] * x[n, i])</c>. One invocation per output:
    /// <c>id.X</c> = output feature, <c>id.Y</c> = image.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int inFeatures, int outFeatures, int activation)
    {
        int o = id.X;
        int n = id.Y;
        if (o >= outFeatures)
        {
            return;
        }
        int xBase = n * inFeatures;
        int wBase = o * inFeatures;
        float acc = bias[o];
        for (int i = 0; i < inFeatures; i++)
        {
            acc += weight[wBase + i] * x[xBase + i];
        }
        y[n * outFeatures + o] = Activation.Apply(acc, activation);
    }
}
