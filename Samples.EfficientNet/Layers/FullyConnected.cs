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
        int inFeatures, int outFeatures, Activation activation)
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
        y[n * outFeatures + o] = ActivationFunction.Apply(acc, activation);
    }

    /// <summary>Invocations of <see cref="ForwardReduce"/> per output.</summary>
    public const int ReduceWorkgroupSize = 64;

    /// <summary>
    /// The same function as <see cref="Forward"/> with one workgroup of 64 invocations per output: <c>GroupId.X</c> =
    /// output feature, <c>GroupId.Y</c> = image (dispatch <c>Grid.Groups(outFeatures, batch)</c>). The invocations sum
    /// strided slices of the input (adjacent invocations read adjacent weights), then a shared-memory tree adds the
    /// 64 partial sums. For the classifier (1,280 inputs) and the squeeze-excitation reduce (up to 1,152 inputs),
    /// where one invocation per output leaves a GPU almost idle at batch 1. Input <c>x[n, i]</c> is
    /// <c>inputScale * sum_{g &lt; parts} x[(n * inFeatures + i) * parts + g]</c>: with <paramref name="parts"/> 1 and
    /// <paramref name="inputScale"/> 1 the vector itself; with the pool's partial sums of
    /// <see cref="DepthwiseConvolution.Forward"/> (<c>writePartialPool</c>) and <c>1 / plane</c>, the pooled mean.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ForwardReduce(
        LocalId local, GroupId group, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        int inFeatures, int outFeatures, Activation activation, int parts, float inputScale, [GroupShared(64)] Span<float> partial)
    {
        int o = group.X;
        int n = group.Y;
        int t = local.X;
        int xBase = n * inFeatures;
        int wBase = o * inFeatures;
        float sum = 0f;
        for (int i = t; i < inFeatures; i += 64)
        {
            sum += weight[wBase + i] * PooledInput(x, (xBase + i) * parts, parts, inputScale);
        }
        partial[t] = sum;
        Workgroup.Barrier();
        for (int s = 32; s > 0; s >>= 1)
        {
            if (t < s)
            {
                partial[t] += partial[t + s];
            }
            Workgroup.Barrier();
        }
        if (t == 0)
        {
            y[n * outFeatures + o] = ActivationFunction.Apply(bias[o] + partial[0], activation);
        }
    }

    /// <summary><c>scale * sum_{g &lt; parts} x[at + g]</c>: a pooled input from its partial sums (one value when <paramref name="parts"/> is 1).</summary>
    public static float PooledInput(ReadOnlySpan<float> x, int at, int parts, float scale)
    {
        float v = x[at];
        for (int g = 1; g < parts; g++)
        {
            v += x[at + g];
        }
        return v * scale;
    }
}
