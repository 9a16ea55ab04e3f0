namespace KernelGen.Samples.EfficientNet.Model;

/// <summary>Folds an eval-mode BatchNorm into the convolution before it.</summary>
public static class BatchNormFolding
{
    /// <summary>
    /// Returns <c>w'[o, ...] = w[o, ...] * s[o]</c> and <c>b'[o] = beta[o] - mean[o] * s[o]</c> with
    /// <c>s = gamma / sqrt(var + eps)</c> (computed in double), so that <c>conv'(x) = BN(conv(x))</c>.
    /// </summary>
    /// <param name="weight">Convolution weights, output channel first (no bias: torchvision's convs before a BN have none).</param>
    /// <param name="gamma">BN weight.</param>
    /// <param name="beta">BN bias.</param>
    /// <param name="mean">BN running mean.</param>
    /// <param name="variance">BN running variance.</param>
    /// <param name="epsilon">BN epsilon (torchvision EfficientNet: 1e-5).</param>
    public static FoldedLayer Fold(float[] weight, float[] gamma, float[] beta, float[] mean, float[] variance, double epsilon = EfficientNetB0Config.BatchNormEpsilon)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(beta);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(variance);
        int outChannels = gamma.Length;
        if (outChannels == 0 || weight.Length % outChannels != 0 || beta.Length != outChannels || mean.Length != outChannels || variance.Length != outChannels)
            throw new ArgumentException($"BatchNorm of {outChannels} channels does not fit a weight of {weight.Length} values.", nameof(weight));
        int perChannel = weight.Length / outChannels;
        float[] w = new float[weight.Length];
        float[] b = new float[outChannels];
        for (int o = 0; o < outChannels; o++)
        {
            double scale = gamma[o] / Math.Sqrt(variance[o] + epsilon);
            for (int i = 0; i < perChannel; i++)
                w[o * perChannel + i] = (float)(weight[o * perChannel + i] * scale);
            b[o] = (float)(beta[o] - mean[o] * scale);
        }
        return new FoldedLayer(w, b);
    }
}
