using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Tests.Reference;

/// <summary>
/// The oracle: EfficientNet-B0 as straightforward float32 loops over an unfolded torchvision state dict
/// (explicit BatchNorm, grouped convolution, separate activations, SE and residual), accumulating in
/// double. Deliberately shares nothing with the kernels but the block configuration.
/// </summary>
internal static class ReferenceEfficientNet
{
    /// <summary>An NCHW activation.</summary>
    public sealed record Activations(float[] Data, int N, int C, int H, int W);

    public static float[] Forward(IReadOnlyDictionary<string, HostTensor> sd, float[] input, int n)
    {
        float[] T(string name) => sd[name].Data;
        var x = new Activations(input, n, 3, EfficientNetB0Config.ImageSize, EfficientNetB0Config.ImageSize);
        x = ConvBnAct(sd, x, "features.0.0", "features.0.1", stride: 2, groups: 1, silu: true);
        foreach (MBConvBlockSpec b in EfficientNetB0Config.Blocks)
        {
            Activations input0 = x;
            if (b.HasExpansion)
                x = ConvBnAct(sd, x, $"{b.Prefix}.0.0", $"{b.Prefix}.0.1", 1, 1, true);
            x = ConvBnAct(sd, x, $"{b.Prefix}.{b.DepthwiseIndex}.0", $"{b.Prefix}.{b.DepthwiseIndex}.1", b.Stride, x.C, true);
            string se = $"{b.Prefix}.{b.SqueezeExcitationIndex}";
            x = SqueezeExcitation(x, T($"{se}.fc1.weight"), T($"{se}.fc1.bias"), T($"{se}.fc2.weight"), T($"{se}.fc2.bias"), b.SqueezeChannels);
            x = ConvBnAct(sd, x, $"{b.Prefix}.{b.ProjectionIndex}.0", $"{b.Prefix}.{b.ProjectionIndex}.1", 1, 1, false);
            if (b.HasResidual)
                x = Add(x, input0);
        }
        x = ConvBnAct(sd, x, "features.8.0", "features.8.1", 1, 1, true);
        float[] pooled = GlobalAveragePool(x);
        return Linear(pooled, n, T("classifier.1.weight"), T("classifier.1.bias"), EfficientNetB0Config.HeadChannels, EfficientNetB0Config.Classes);
    }

    private static Activations ConvBnAct(IReadOnlyDictionary<string, HostTensor> sd, Activations x, string conv, string bn, int stride, int groups, bool silu)
    {
        HostTensor w = sd[conv + ".weight"];
        Activations y = Conv2d(x, w.Data, w.Shape[0], w.Shape[2], stride, groups);
        y = BatchNorm(y, sd[bn + ".weight"].Data, sd[bn + ".bias"].Data, sd[bn + ".running_mean"].Data, sd[bn + ".running_var"].Data);
        return silu ? Map(y, Silu) : y;
    }

    /// <summary>Grouped 2-D convolution, symmetric zero padding (k - 1) / 2, no bias.</summary>
    public static Activations Conv2d(Activations x, float[] weight, int outC, int k, int stride, int groups)
    {
        int pad = (k - 1) / 2;
        int oh = (x.H + 2 * pad - k) / stride + 1, ow = (x.W + 2 * pad - k) / stride + 1;
        int inPerGroup = x.C / groups, outPerGroup = outC / groups;
        float[] y = new float[x.N * outC * oh * ow];
        Parallel.For(0, x.N * outC, nc =>
        {
            int n = nc / outC, o = nc % outC, g = o / outPerGroup;
            for (int oy = 0; oy < oh; oy++)
                for (int ox = 0; ox < ow; ox++)
                {
                    double acc = 0;
                    for (int ci = 0; ci < inPerGroup; ci++)
                    {
                        int c = g * inPerGroup + ci;
                        for (int ky = 0; ky < k; ky++)
                        {
                            int iy = oy * stride - pad + ky;
                            if (iy < 0 || iy >= x.H) continue;
                            for (int kx = 0; kx < k; kx++)
                            {
                                int ix = ox * stride - pad + kx;
                                if (ix < 0 || ix >= x.W) continue;
                                acc += (double)weight[((o * inPerGroup + ci) * k + ky) * k + kx] * x.Data[((n * x.C + c) * x.H + iy) * x.W + ix];
                            }
                        }
                    }
                    y[((n * outC + o) * oh + oy) * ow + ox] = (float)acc;
                }
        });
        return new Activations(y, x.N, outC, oh, ow);
    }

    /// <summary>Eval-mode BatchNorm, eps 1e-5: (x - mean) / sqrt(var + eps) * gamma + beta.</summary>
    public static Activations BatchNorm(Activations x, float[] gamma, float[] beta, float[] mean, float[] variance)
    {
        float[] y = new float[x.Data.Length];
        int plane = x.H * x.W;
        for (int i = 0; i < y.Length; i++)
        {
            int c = i / plane % x.C;
            y[i] = (float)((x.Data[i] - (double)mean[c]) / Math.Sqrt(variance[c] + 1e-5) * gamma[c] + beta[c]);
        }
        return x with { Data = y };
    }

    public static float Silu(float v) => (float)(v / (1.0 + Math.Exp(-v)));

    public static float Sigmoid(float v) => (float)(1.0 / (1.0 + Math.Exp(-v)));

    public static Activations Map(Activations x, Func<float, float> f) => x with { Data = x.Data.Select(f).ToArray() };

    public static Activations Add(Activations a, Activations b) => a with { Data = a.Data.Zip(b.Data, (p, q) => p + q).ToArray() };

    /// <summary>Mean over H*W per (n, c): <c>[N, C]</c>.</summary>
    public static float[] GlobalAveragePool(Activations x)
    {
        int plane = x.H * x.W;
        float[] y = new float[x.N * x.C];
        for (int i = 0; i < y.Length; i++)
        {
            double s = 0;
            for (int p = 0; p < plane; p++) s += x.Data[i * plane + p];
            y[i] = (float)(s / plane);
        }
        return y;
    }

    /// <summary><c>y[n, o] = b[o] + sum_i w[o, i] x[n, i]</c>.</summary>
    public static float[] Linear(float[] x, int n, float[] weight, float[] bias, int inF, int outF)
    {
        float[] y = new float[n * outF];
        for (int b = 0; b < n; b++)
            for (int o = 0; o < outF; o++)
            {
                double acc = bias[o];
                for (int i = 0; i < inF; i++) acc += (double)weight[o * inF + i] * x[b * inF + i];
                y[b * outF + o] = (float)acc;
            }
        return y;
    }

    /// <summary>torchvision SqueezeExcitation: pool, fc1, SiLU, fc2, sigmoid, scale.</summary>
    public static Activations SqueezeExcitation(Activations x, float[] w1, float[] b1, float[] w2, float[] b2, int squeeze)
    {
        float[] gate = SqueezeExcitationGate(x, w1, b1, w2, b2, squeeze);
        int plane = x.H * x.W;
        float[] y = new float[x.Data.Length];
        for (int i = 0; i < y.Length; i++) y[i] = x.Data[i] * gate[i / plane];
        return x with { Data = y };
    }

    /// <summary>The SE gate <c>[N, C]</c>: sigmoid(fc2(silu(fc1(pool(x))))).</summary>
    public static float[] SqueezeExcitationGate(Activations x, float[] w1, float[] b1, float[] w2, float[] b2, int squeeze)
    {
        float[] pooled = GlobalAveragePool(x);
        float[] s = Linear(pooled, x.N, w1, b1, x.C, squeeze).Select(Silu).ToArray();
        return Linear(s, x.N, w2, b2, squeeze, x.C).Select(Sigmoid).ToArray();
    }
}
