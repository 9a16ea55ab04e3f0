using KernelGen.Samples.EfficientNet.Layers;
using KernelGen.Samples.EfficientNet.Model;

namespace KernelGen.Samples.EfficientNet.Tests.Reference;

/// <summary>
/// EfficientNet-B0 composed from the [Kernel] layer methods called directly on the CPU (one call per
/// invocation through <see cref="CpuKernelGrid"/>), with folded weights: the whole kernel set checked
/// without the generator or a device.
/// </summary>
internal static class DirectKernelNetwork
{
    private static readonly float[] Unused = new float[4];

    public static float[] Forward(EfficientNetB0Weights w, float[] input, int n)
    {
        int size = EfficientNetB0Config.ImageSize;
        int h = EfficientNetB0Config.ConvOutputSize(size, 3, 2);
        float[] x = Dense(input, w.Stem, n, 3, size, size, EfficientNetB0Config.StemChannels, h, h, 3, 2, Activation.Silu);
        int c = EfficientNetB0Config.StemChannels;
        foreach (MBConvBlockWeights b in w.Blocks)
        {
            MBConvBlockSpec s = b.Spec;
            float[] blockInput = x;
            int e = s.ExpandedChannels;
            if (b.Expansion is not null)
                x = Pointwise(x, b.Expansion, Unused, Unused, n, c, e, h * h, Activation.Silu, false, false);
            int oh = EfficientNetB0Config.ConvOutputSize(h, s.KernelSize, s.Stride);
            x = Depthwise(x, b.Depthwise, n, e, h, h, oh, oh, s.KernelSize, s.Stride, Activation.Silu);
            h = oh;
            float[] pooled = Pool(x, n, e, h * h);
            float[] squeezed = FullyConnectedLayer(pooled, b.SqueezeReduce, n, e, s.SqueezeChannels, Activation.Silu);
            float[] gate = FullyConnectedLayer(squeezed, b.SqueezeExpand, n, s.SqueezeChannels, e, Activation.Sigmoid);
            x = Pointwise(x, b.Projection, gate, s.HasResidual ? blockInput : Unused, n, e, s.OutChannels, h * h, Activation.None, true, s.HasResidual);
            c = s.OutChannels;
        }
        x = Pointwise(x, w.Head, Unused, Unused, n, c, EfficientNetB0Config.HeadChannels, h * h, Activation.Silu, false, false);
        float[] features = Pool(x, n, EfficientNetB0Config.HeadChannels, h * h);
        return FullyConnectedLayer(features, w.Classifier, n, EfficientNetB0Config.HeadChannels, EfficientNetB0Config.Classes, Activation.None);
    }

    public static float[] Dense(float[] x, FoldedLayer l, int n, int inC, int inH, int inW, int outC, int outH, int outW, int k, int stride, Activation act)
    {
        float[] y = new float[n * outC * outH * outW];
        CpuKernelGrid.Run((outC + 3) / 4 * outH * outW, n, id => DenseConvolution.Forward(id, x, l.Weight, l.Bias, y, inC, inH, inW, outC, outH, outW, k, stride, act));
        return y;
    }

    public static float[] Depthwise(float[] x, FoldedLayer l, int n, int c, int inH, int inW, int outH, int outW, int k, int stride, Activation act)
    {
        float[] y = new float[n * c * outH * outW];
        CpuKernelGrid.Run(c * outH * ((outW + 3) / 4), n, id => DepthwiseConvolution.Forward(new LocalId(id.X % 64, 0, 0, id.X % 64), new GroupId(id.X / 64, id.Y, 0), x, l.Weight, l.Bias, y, new float[4],
            c, inH, inW, outH, outW, k, stride, act, false, false, new float[64]));
        return y;
    }

    public static float[] Pointwise(float[] x, FoldedLayer l, float[] scale, float[] residual, int n, int inC, int outC, int plane, Activation act, bool useScale, bool useResidual)
    {
        float[] y = new float[n * outC * plane];
        int tiles = (outC + 3) / 4 * ((plane + 3) / 4);
        CpuKernelGrid.Run(tiles, n, id => PointwiseConvolution.Forward(id, x, l.Weight, l.Bias, scale, residual, y, inC, outC, plane, 1, 0, 1, 0, 4, act, useScale, useResidual, false, false));
        return y;
    }

    public static float[] Pool(float[] x, int n, int c, int plane)
    {
        float[] y = new float[n * c];
        CpuKernelGrid.Run(c, n, id => GlobalAveragePool.Forward(id, x, y, c, plane));
        return y;
    }

    public static float[] FullyConnectedLayer(float[] x, FoldedLayer l, int n, int inF, int outF, Activation act)
    {
        float[] y = new float[n * outF];
        CpuKernelGrid.Run(outF, n, id => FullyConnected.Forward(id, x, l.Weight, l.Bias, y, inF, outF, act));
        return y;
    }
}
