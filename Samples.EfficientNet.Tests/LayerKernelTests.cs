using KernelGen.Samples.EfficientNet.Layers;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Tests.Reference;
using static KernelGen.Samples.EfficientNet.Tests.Reference.ReferenceEfficientNet;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// Each [Kernel] layer, called directly on the CPU for every invocation, against the reference layer
/// (unfolded BatchNorm, separate activation), on ragged sizes that exercise the bounds guards.
/// </summary>
public sealed class LayerKernelTests
{
    private const float Tolerance = 2e-5f;

    private static float[] RandomArray(Random rng, int n, float scale = 1f, float offset = 0f)
    {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = offset + scale * (float)(rng.NextDouble() * 2 - 1);
        return a;
    }

    private sealed record Bn(float[] Gamma, float[] Beta, float[] Mean, float[] Var);

    private static Bn RandomBn(Random rng, int c) =>
        new(RandomArray(rng, c, 0.5f, 1f), RandomArray(rng, c, 0.3f), RandomArray(rng, c, 0.3f), RandomArray(rng, c, 0.4f, 0.8f));

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        int worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]) / Math.Max(1.0, Math.Abs(expected[i]));
            if (d > max) { max = d; worst = i; }
        }
        Assert.True(max <= Tolerance, $"element {worst}: expected {expected[worst]}, got {actual[worst]} (rel diff {max:G3})");
    }

    [Fact]
    public void Dense_stem_convolution_with_folded_bn_and_silu()
    {
        var rng = new Random(1);
        int n = 2, c = 3, h = 15, w = 17, outC = 10, k = 3, s = 2; // 10: a partial group of 4 channels
        float[] x = RandomArray(rng, n * c * h * w), weight = RandomArray(rng, outC * c * k * k, 0.5f);
        Bn bn = RandomBn(rng, outC);
        Activations expected = Map(BatchNorm(Conv2d(new Activations(x, n, c, h, w), weight, outC, k, s, 1), bn.Gamma, bn.Beta, bn.Mean, bn.Var), Silu);
        FoldedLayer folded = BatchNormFolding.Fold(weight, bn.Gamma, bn.Beta, bn.Mean, bn.Var);
        float[] actual = DirectKernelNetwork.Dense(x, folded, n, c, h, w, outC, expected.H, expected.W, k, s, Activation.Silu);
        Assert.Equal((8, 9), (expected.H, expected.W));
        AssertClose(expected.Data, actual);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    public void Depthwise_convolution_with_folded_bn_and_silu(int k, int s)
    {
        var rng = new Random(10 * k + s);
        int n = 2, c = 6, h = 9, w = 11;
        float[] x = RandomArray(rng, n * c * h * w), weight = RandomArray(rng, c * k * k, 0.5f);
        Bn bn = RandomBn(rng, c);
        Activations expected = Map(BatchNorm(Conv2d(new Activations(x, n, c, h, w), weight, c, k, s, groups: c), bn.Gamma, bn.Beta, bn.Mean, bn.Var), Silu);
        FoldedLayer folded = BatchNormFolding.Fold(weight, bn.Gamma, bn.Beta, bn.Mean, bn.Var);
        float[] actual = DirectKernelNetwork.Depthwise(x, folded, n, c, h, w, expected.H, expected.W, k, s, Activation.Silu);
        AssertClose(expected.Data, actual);
    }

    [Theory]
    [InlineData(Activation.Silu, false, false)] // expansion and head
    [InlineData(Activation.None, true, false)] // projection with the SE gate on its input
    [InlineData(Activation.None, true, true)] // projection with SE gate and residual add
    [InlineData(Activation.None, false, true)]
    public void Pointwise_convolution_with_fused_epilogues_on_ragged_tiles(Activation activation, bool useScale, bool useResidual)
    {
        var rng = new Random((int)activation * 4 + (useScale ? 2 : 0) + (useResidual ? 1 : 0));
        // 10 output channels and a 7x5 plane: neither is a multiple of the 4x4 register tile.
        int n = 3, inC = 13, outC = 10, h = 7, w = 5, plane = h * w;
        float[] x = RandomArray(rng, n * inC * plane), weight = RandomArray(rng, outC * inC, 0.4f);
        float[] gate = RandomArray(rng, n * inC, 0.5f, 0.5f), residual = RandomArray(rng, n * outC * plane);
        Bn bn = RandomBn(rng, outC);

        var input = new Activations(x, n, inC, h, w);
        if (useScale)
            input = input with { Data = x.Select((v, i) => v * gate[i / plane]).ToArray() };
        Activations expected = BatchNorm(Conv2d(input, weight, outC, 1, 1, 1), bn.Gamma, bn.Beta, bn.Mean, bn.Var);
        if (activation == Activation.Silu) expected = Map(expected, Silu);
        if (useResidual) expected = Add(expected, new Activations(residual, n, outC, h, w));

        FoldedLayer folded = BatchNormFolding.Fold(weight, bn.Gamma, bn.Beta, bn.Mean, bn.Var);
        float[] actual = DirectKernelNetwork.Pointwise(x, folded, useScale ? gate : new float[4], useResidual ? residual : new float[4],
            n, inC, outC, plane, activation, useScale, useResidual);
        AssertClose(expected.Data, actual);
    }

    [Fact]
    public void Global_average_pool()
    {
        var rng = new Random(7);
        int n = 2, c = 5, h = 7, w = 3;
        float[] x = RandomArray(rng, n * c * h * w);
        AssertClose(GlobalAveragePool(new Activations(x, n, c, h, w)), DirectKernelNetwork.Pool(x, n, c, h * w));
    }

    [Theory]
    [InlineData(Activation.None)]
    [InlineData(Activation.Silu)]
    [InlineData(Activation.Sigmoid)]
    public void Fully_connected_with_activation(Activation activation)
    {
        var rng = new Random(20 + (int)activation);
        int n = 3, inF = 37, outF = 70;
        float[] x = RandomArray(rng, n * inF), weight = RandomArray(rng, outF * inF, 0.3f), bias = RandomArray(rng, outF, 0.2f);
        float[] expected = Linear(x, n, weight, bias, inF, outF);
        Func<float, float> f = activation switch { Activation.Silu => Silu, Activation.Sigmoid => Sigmoid, _ => v => v };
        expected = expected.Select(f).ToArray();
        AssertClose(expected, DirectKernelNetwork.FullyConnectedLayer(x, new FoldedLayer(weight, bias), n, inF, outF, activation));
    }

    [Fact]
    public void Squeeze_excitation_gate_from_pool_and_two_fully_connected_kernels()
    {
        var rng = new Random(30);
        int n = 2, c = 24, squeeze = 4, h = 6, w = 6;
        float[] x = RandomArray(rng, n * c * h * w);
        float[] w1 = RandomArray(rng, squeeze * c, 0.5f), b1 = RandomArray(rng, squeeze, 0.2f);
        float[] w2 = RandomArray(rng, c * squeeze, 0.5f), b2 = RandomArray(rng, c, 0.2f);
        float[] expected = SqueezeExcitationGate(new Activations(x, n, c, h, w), w1, b1, w2, b2, squeeze);
        float[] pooled = DirectKernelNetwork.Pool(x, n, c, h * w);
        float[] squeezed = DirectKernelNetwork.FullyConnectedLayer(pooled, new FoldedLayer(w1, b1), n, c, squeeze, Activation.Silu);
        float[] gate = DirectKernelNetwork.FullyConnectedLayer(squeezed, new FoldedLayer(w2, b2), n, squeeze, c, Activation.Sigmoid);
        AssertClose(expected, gate);
    }
}
