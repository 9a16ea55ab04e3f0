namespace KernelGen.Samples.EfficientNet.Layers;

/// <summary>
/// A 1x1 (pointwise) convolution, the bulk of EfficientNet's arithmetic: expansion, projection and head.
/// Fused: folded-BN bias, activation, an optional per-(image, input channel) scale applied to the input
/// (the squeeze-excitation gate of the projection's input) and an optional residual add.
/// </summary>
public static partial class PointwiseConvolution
{
    /// <summary>Output channels computed by one invocation.</summary>
    public const int ChannelsPerInvocation = 4;

    /// <summary>Pixels computed by one invocation.</summary>
    public const int PixelsPerInvocation = 4;

    /// <summary>
    /// <c>y[n, o, p] = act(bias[o] + sum_i w[o, i] * x[n, i, p] * (useInputScale ? inputScale[n, i] : 1)) + (useResidual ? residual[n, o, p] : 0)</c>.
    /// Register-blocked: each invocation computes 4 output channels x 4 consecutive pixels (16
    /// accumulators), so each input value loaded feeds 4 outputs and each weight 4. <c>id.X</c> runs over
    /// <c>ceil(outChannels / 4) * ceil(plane / 4)</c> tiles (pixel tile fastest), <c>id.Y</c> over the batch.
    /// <paramref name="inputScale"/> and <paramref name="residual"/> are only read when their flag is
    /// non-zero (pass any small buffer otherwise).
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Forward(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> inputScale, ReadOnlySpan<float> residual, Span<float> y,
        int inChannels, int outChannels, int plane, int activation, int useInputScale, int useResidual)
    {
        int pixelTiles = (plane + 3) / 4;
        int channelTiles = (outChannels + 3) / 4;
        int tile = id.X;
        int n = id.Y;
        if (tile >= pixelTiles * channelTiles)
        {
            return;
        }
        int o0 = (tile / pixelTiles) * 4;
        int p0 = (tile - (tile / pixelTiles) * pixelTiles) * 4;

        // Clamped indices keep every load in bounds at ragged edges; the stores below are guarded.
        int last = plane - 1;
        int q0 = p0;
        int q1 = Math.Min(p0 + 1, last);
        int q2 = Math.Min(p0 + 2, last);
        int q3 = Math.Min(p0 + 3, last);
        int lastOut = outChannels - 1;
        int w0 = o0 * inChannels;
        int w1 = Math.Min(o0 + 1, lastOut) * inChannels;
        int w2 = Math.Min(o0 + 2, lastOut) * inChannels;
        int w3 = Math.Min(o0 + 3, lastOut) * inChannels;

        float a00 = 0f; float a01 = 0f; float a02 = 0f; float a03 = 0f;
        float a10 = 0f; float a11 = 0f; float a12 = 0f; float a13 = 0f;
        float a20 = 0f; float a21 = 0f; float a22 = 0f; float a23 = 0f;
        float a30 = 0f; float a31 = 0f; float a32 = 0f; float a33 = 0f;

        int xImage = n * inChannels * plane;
        for (int i = 0; i < inChannels; i++)
        {
            int xRow = xImage + i * plane;
            float s = 1f;
            if (useInputScale != 0)
            {
                s = inputScale[n * inChannels + i];
            }
            float x0 = x[xRow + q0] * s;
            float x1 = x[xRow + q1] * s;
            float x2 = x[xRow + q2] * s;
            float x3 = x[xRow + q3] * s;
            float k0 = weight[w0 + i];
            float k1 = weight[w1 + i];
            float k2 = weight[w2 + i];
            float k3 = weight[w3 + i];
            a00 += k0 * x0; a01 += k0 * x1; a02 += k0 * x2; a03 += k0 * x3;
            a10 += k1 * x0; a11 += k1 * x1; a12 += k1 * x2; a13 += k1 * x3;
            a20 += k2 * x0; a21 += k2 * x1; a22 += k2 * x2; a23 += k2 * x3;
            a30 += k3 * x0; a31 += k3 * x1; a32 += k3 * x2; a33 += k3 * x3;
        }

        int yImage = n * outChannels * plane;
        if (o0 + 0 < outChannels)
        {
            float b0 = bias[o0 + 0];
            int row0 = yImage + (o0 + 0) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a00 + b0, activation);
                if (useResidual != 0)
                {
                    v += residual[row0 + 0];
                }
                y[row0 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a01 + b0, activation);
                if (useResidual != 0)
                {
                    v += residual[row0 + 1];
                }
                y[row0 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a02 + b0, activation);
                if (useResidual != 0)
                {
                    v += residual[row0 + 2];
                }
                y[row0 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a03 + b0, activation);
                if (useResidual != 0)
                {
                    v += residual[row0 + 3];
                }
                y[row0 + 3] = v;
            }
        }
        if (o0 + 1 < outChannels)
        {
            float b1 = bias[o0 + 1];
            int row1 = yImage + (o0 + 1) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a10 + b1, activation);
                if (useResidual != 0)
                {
                    v += residual[row1 + 0];
                }
                y[row1 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a11 + b1, activation);
                if (useResidual != 0)
                {
                    v += residual[row1 + 1];
                }
                y[row1 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a12 + b1, activation);
                if (useResidual != 0)
                {
                    v += residual[row1 + 2];
                }
                y[row1 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a13 + b1, activation);
                if (useResidual != 0)
                {
                    v += residual[row1 + 3];
                }
                y[row1 + 3] = v;
            }
        }
        if (o0 + 2 < outChannels)
        {
            float b2 = bias[o0 + 2];
            int row2 = yImage + (o0 + 2) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a20 + b2, activation);
                if (useResidual != 0)
                {
                    v += residual[row2 + 0];
                }
                y[row2 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a21 + b2, activation);
                if (useResidual != 0)
                {
                    v += residual[row2 + 1];
                }
                y[row2 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a22 + b2, activation);
                if (useResidual != 0)
                {
                    v += residual[row2 + 2];
                }
                y[row2 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a23 + b2, activation);
                if (useResidual != 0)
                {
                    v += residual[row2 + 3];
                }
                y[row2 + 3] = v;
            }
        }
        if (o0 + 3 < outChannels)
        {
            float b3 = bias[o0 + 3];
            int row3 = yImage + (o0 + 3) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a30 + b3, activation);
                if (useResidual != 0)
                {
                    v += residual[row3 + 0];
                }
                y[row3 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a31 + b3, activation);
                if (useResidual != 0)
                {
                    v += residual[row3 + 1];
                }
                y[row3 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a32 + b3, activation);
                if (useResidual != 0)
                {
                    v += residual[row3 + 2];
                }
                y[row3 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a33 + b3, activation);
                if (useResidual != 0)
                {
                    v += residual[row3 + 3];
                }
                y[row3 + 3] = v;
            }
        }
    }
}
