namespace KernelGen.Samples.EfficientNet.Layers;

public static partial class PointwiseConvolution
{
    /// <summary>Output channels computed by one invocation of <see cref="ForwardWide"/>.</summary>
    public const int WideChannelsPerInvocation = 8;

    /// <summary>
    /// The same function as <see cref="Forward"/> with an 8-channel x 4-pixel register block (32
    /// accumulators): per input channel, 4 input and 8 weight loads feed 32 FMAs (Forward: 8 loads, 16 FMAs).
    /// For software adapters (lavapipe), where every load is a gather across SIMD lanes. <c>id.X</c> runs
    /// over <c>ceil(outChannels / 8) * ceil(plane / 4)</c> tiles (pixel tile fastest), <c>id.Y</c> over the batch.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ForwardWide(
        ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        ReadOnlySpan<float> inputScale, ReadOnlySpan<float> residual, Span<float> y,
        int inChannels, int outChannels, int plane, int activation, int useInputScale, int useResidual)
    {
        int pixelTiles = (plane + 3) / 4;
        int channelTiles = (outChannels + 7) / 8;
        int tile = id.X;
        int n = id.Y;
        if (tile >= pixelTiles * channelTiles)
        {
            return;
        }
        int o0 = (tile / pixelTiles) * 8;
        int p0 = (tile - (tile / pixelTiles) * pixelTiles) * 4;
        int last = plane - 1;
        int lastOut = outChannels - 1;
        int q0 = p0;
        int q1 = Math.Min(p0 + 1, last);
        int q2 = Math.Min(p0 + 2, last);
        int q3 = Math.Min(p0 + 3, last);
        int w0 = o0 * inChannels;
        int w1 = Math.Min(o0 + 1, lastOut) * inChannels;
        int w2 = Math.Min(o0 + 2, lastOut) * inChannels;
        int w3 = Math.Min(o0 + 3, lastOut) * inChannels;
        int w4 = Math.Min(o0 + 4, lastOut) * inChannels;
        int w5 = Math.Min(o0 + 5, lastOut) * inChannels;
        int w6 = Math.Min(o0 + 6, lastOut) * inChannels;
        int w7 = Math.Min(o0 + 7, lastOut) * inChannels;
        float a00 = 0f; float a01 = 0f; float a02 = 0f; float a03 = 0f;
        float a10 = 0f; float a11 = 0f; float a12 = 0f; float a13 = 0f;
        float a20 = 0f; float a21 = 0f; float a22 = 0f; float a23 = 0f;
        float a30 = 0f; float a31 = 0f; float a32 = 0f; float a33 = 0f;
        float a40 = 0f; float a41 = 0f; float a42 = 0f; float a43 = 0f;
        float a50 = 0f; float a51 = 0f; float a52 = 0f; float a53 = 0f;
        float a60 = 0f; float a61 = 0f; float a62 = 0f; float a63 = 0f;
        float a70 = 0f; float a71 = 0f; float a72 = 0f; float a73 = 0f;
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
            float k4 = weight[w4 + i];
            float k5 = weight[w5 + i];
            float k6 = weight[w6 + i];
            float k7 = weight[w7 + i];
            a00 += k0 * x0; a01 += k0 * x1; a02 += k0 * x2; a03 += k0 * x3;
            a10 += k1 * x0; a11 += k1 * x1; a12 += k1 * x2; a13 += k1 * x3;
            a20 += k2 * x0; a21 += k2 * x1; a22 += k2 * x2; a23 += k2 * x3;
            a30 += k3 * x0; a31 += k3 * x1; a32 += k3 * x2; a33 += k3 * x3;
            a40 += k4 * x0; a41 += k4 * x1; a42 += k4 * x2; a43 += k4 * x3;
            a50 += k5 * x0; a51 += k5 * x1; a52 += k5 * x2; a53 += k5 * x3;
            a60 += k6 * x0; a61 += k6 * x1; a62 += k6 * x2; a63 += k6 * x3;
            a70 += k7 * x0; a71 += k7 * x1; a72 += k7 * x2; a73 += k7 * x3;
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
        if (o0 + 4 < outChannels)
        {
            float b4 = bias[o0 + 4];
            int row4 = yImage + (o0 + 4) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a40 + b4, activation);
                if (useResidual != 0)
                {
                    v += residual[row4 + 0];
                }
                y[row4 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a41 + b4, activation);
                if (useResidual != 0)
                {
                    v += residual[row4 + 1];
                }
                y[row4 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a42 + b4, activation);
                if (useResidual != 0)
                {
                    v += residual[row4 + 2];
                }
                y[row4 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a43 + b4, activation);
                if (useResidual != 0)
                {
                    v += residual[row4 + 3];
                }
                y[row4 + 3] = v;
            }
        }
        if (o0 + 5 < outChannels)
        {
            float b5 = bias[o0 + 5];
            int row5 = yImage + (o0 + 5) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a50 + b5, activation);
                if (useResidual != 0)
                {
                    v += residual[row5 + 0];
                }
                y[row5 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a51 + b5, activation);
                if (useResidual != 0)
                {
                    v += residual[row5 + 1];
                }
                y[row5 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a52 + b5, activation);
                if (useResidual != 0)
                {
                    v += residual[row5 + 2];
                }
                y[row5 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a53 + b5, activation);
                if (useResidual != 0)
                {
                    v += residual[row5 + 3];
                }
                y[row5 + 3] = v;
            }
        }
        if (o0 + 6 < outChannels)
        {
            float b6 = bias[o0 + 6];
            int row6 = yImage + (o0 + 6) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a60 + b6, activation);
                if (useResidual != 0)
                {
                    v += residual[row6 + 0];
                }
                y[row6 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a61 + b6, activation);
                if (useResidual != 0)
                {
                    v += residual[row6 + 1];
                }
                y[row6 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a62 + b6, activation);
                if (useResidual != 0)
                {
                    v += residual[row6 + 2];
                }
                y[row6 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a63 + b6, activation);
                if (useResidual != 0)
                {
                    v += residual[row6 + 3];
                }
                y[row6 + 3] = v;
            }
        }
        if (o0 + 7 < outChannels)
        {
            float b7 = bias[o0 + 7];
            int row7 = yImage + (o0 + 7) * plane + p0;
            if (p0 + 0 < plane)
            {
                float v = Activation.Apply(a70 + b7, activation);
                if (useResidual != 0)
                {
                    v += residual[row7 + 0];
                }
                y[row7 + 0] = v;
            }
            if (p0 + 1 < plane)
            {
                float v = Activation.Apply(a71 + b7, activation);
                if (useResidual != 0)
                {
                    v += residual[row7 + 1];
                }
                y[row7 + 1] = v;
            }
            if (p0 + 2 < plane)
            {
                float v = Activation.Apply(a72 + b7, activation);
                if (useResidual != 0)
                {
                    v += residual[row7 + 2];
                }
                y[row7 + 2] = v;
            }
            if (p0 + 3 < plane)
            {
                float v = Activation.Apply(a73 + b7, activation);
                if (useResidual != 0)
                {
                    v += residual[row7 + 3];
                }
                y[row7 + 3] = v;
            }
        }
    }
}
