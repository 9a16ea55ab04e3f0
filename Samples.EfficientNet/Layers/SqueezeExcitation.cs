namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>
/// The squeeze-excitation gate of an MBConv block in one dispatch: both fully connected layers (reduce
/// with SiLU, expand with sigmoid) of one image run in one workgroup, the squeezed vector kept in
/// workgroup memory. The pool before it is <see cref="GlobalAveragePool.Reduce"/>; the gate is applied
/// by the projection's input scale (<see cref="PointwiseConvolution"/>).
/// </summary>
public static partial class SqueezeExcitation
{
    /// <summary>Largest squeeze width the kernel holds in workgroup memory (EfficientNet-B0 uses at most 48).</summary>
    public const int MaxSqueezeChannels = 64;

    /// <summary>Gate outputs per workgroup of the sliced gate (one per invocation).</summary>
    public const int SliceOutputs = 256;

    /// <summary>
    /// <c>s[j] = silu(b1[j] + sum_i w1[j, i] * pooled[n, i])</c> for <c>j &lt; squeeze</c>, then
    /// <c>gate[n, o] = sigmoid(b2[o] + sum_j w2[o, j] * s[j])</c> for <c>o &lt; channels</c>. One workgroup
    /// of 256 invocations computes the squeezed vector of image <c>GroupId.Y</c> and the gate outputs
    /// <c>GroupId.X * slice</c> up to <c>(GroupId.X + 1) * slice</c> (dispatch <c>Grid.Groups(ceil(channels / slice), batch)</c>:
    /// <paramref name="slice"/> = <paramref name="channels"/> for one workgroup per image; smaller slices spread the expand
    /// over more workgroups, each repeating the small reduce). In the first
    /// phase 4 invocations share each squeeze output (each sums every 4th input), so up to 64 outputs
    /// use all 256 invocations; <paramref name="squeeze"/> must be at most <see cref="MaxSqueezeChannels"/>.
    /// <paramref name="pooled"/> holds the pooled means (<paramref name="parts"/> 1, <paramref name="inputScale"/> 1) or
    /// the pool's partial sums, <paramref name="parts"/> per channel, scaled by <paramref name="inputScale"/> = <c>1 / plane</c>
    /// (see <see cref="FullyConnected.ForwardReduce"/>).
    /// </summary>
    [Kernel(WorkgroupSize = 256)]
    public static void Gate(
        LocalId local, GroupId group, ReadOnlySpan<float> pooled, ReadOnlySpan<float> reduceWeight, ReadOnlySpan<float> reduceBias,
        ReadOnlySpan<float> expandWeight, ReadOnlySpan<float> expandBias, Span<float> gate, int channels, int squeeze,
        int parts, float inputScale, int slice, [GroupShared(256)] Span<float> partial, [GroupShared(64)] Span<float> squeezed)
    {
        int n = group.Y;
        int t = local.X;
        int j = t / 4;
        int lane = t - j * 4;
        int xBase = n * channels;
        float sum = 0f;
        if (j < squeeze)
        {
            int wBase = j * channels;
            for (int i = lane; i < channels; i += 4)
            {
                sum += reduceWeight[wBase + i] * FullyConnected.PooledInput(pooled, (xBase + i) * parts, parts, inputScale);
            }
        }
        partial[t] = sum;
        Workgroup.Barrier();
        if (lane == 0 && j < squeeze)
        {
            float v = reduceBias[j] + partial[t] + partial[t + 1] + partial[t + 2] + partial[t + 3];
            squeezed[j] = ActivationFunction.Apply(v, Activation.Silu);
        }
        Workgroup.Barrier();
        int oEnd = Math.Min(channels, (group.X + 1) * slice);
        for (int o = group.X * slice + t; o < oEnd; o += 256)
        {
            int wBase = o * squeeze;
            float acc = expandBias[o];
            for (int k = 0; k < squeeze; k++)
            {
                acc += expandWeight[wBase + k] * squeezed[k];
            }
            gate[xBase + o] = ActivationFunction.Apply(acc, Activation.Sigmoid);
        }
    }
}
