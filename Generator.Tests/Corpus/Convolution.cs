// Corpus: convolutions over NCHW float buffers, the EfficientNet building blocks.
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Convolution
{
    /// <summary>1x1 (pointwise) convolution with bias: out[oc, p] = b[oc] + sum_c w[oc, c] * in[c, p].</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Pointwise(ThreadId id, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        int inChannels, int outChannels, int pixels)
    {
        int p = id.X;
        int oc = id.Y;
        if (p >= pixels || oc >= outChannels)
            return;
        float acc = bias[oc];
        for (int c = 0; c < inChannels; c++)
            acc += weight[oc * inChannels + c] * input[c * pixels + p];
        output[oc * pixels + p] = acc;
    }

    /// <summary>3x3 convolution, stride and zero padding from uniforms, fused SiLU.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Conv3x3Silu(ThreadId id, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        int inChannels, int height, int width, int outChannels, int stride, int outHeight, int outWidth)
    {
        int ox = id.X, oy = id.Y, oc = id.Z;
        if (ox >= outWidth || oy >= outHeight || oc >= outChannels)
            return;
        float acc = bias[oc];
        for (int c = 0; c < inChannels; c++)
        {
            for (int ky = 0; ky < 3; ky++)
            {
                int iy = oy * stride + ky - 1;
                if (iy < 0 || iy >= height)
                    continue;
                for (int kx = 0; kx < 3; kx++)
                {
                    int ix = ox * stride + kx - 1;
                    if (ix < 0 || ix >= width)
                        continue;
                    acc += input[(c * height + iy) * width + ix] * weight[((oc * inChannels + c) * 3 + ky) * 3 + kx];
                }
            }
        }
        output[(oc * outHeight + oy) * outWidth + ox] = acc / (1f + MathF.Exp(-acc));
    }

    /// <summary>Depthwise KxK convolution (one filter per channel), 'same' padding, optional SiLU.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Depthwise(ThreadId id, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> output,
        int channels, int height, int width, int kernelSize, int stride, int outHeight, int outWidth, int applySilu)
    {
        int index = id.X;
        int total = channels * outHeight * outWidth;
        if (index >= total)
            return;
        int ox = index % outWidth;
        int oy = index / outWidth % outHeight;
        int c = index / (outWidth * outHeight);
        int pad = (kernelSize - 1) / 2;
        float acc = bias[c];
        for (int ky = 0; ky < kernelSize; ky++)
        {
            int iy = oy * stride + ky - pad;
            for (int kx = 0; kx < kernelSize; kx++)
            {
                int ix = ox * stride + kx - pad;
                bool inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                if (inside)
                    acc += input[(c * height + iy) * width + ix] * weight[(c * kernelSize + ky) * kernelSize + kx];
            }
        }
        if (applySilu != 0)
            acc /= 1f + MathF.Exp(-acc);
        output[index] = acc;
    }

    /// <summary>Global average pooling: one thread per channel sums its plane.</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void GlobalAveragePool(ThreadId id, ReadOnlySpan<float> input, Span<float> output, int channels, int pixels)
    {
        int c = id.X;
        if (c >= channels)
            return;
        float sum = 0f;
        int p = 0;
        while (p < pixels)
        {
            sum += input[c * pixels + p];
            p++;
        }
        output[c] = sum / pixels;
    }

    /// <summary>Squeeze-and-excitation scaling: x[c, p] * sigmoid(gate[c]) (helper call).</summary>
    [Kernel]
    public static void SqueezeExcite(ThreadId id, ReadOnlySpan<float> input, ReadOnlySpan<float> gate, Span<float> output, int pixels)
    {
        int i = id.X;
        if (i >= output.Length)
            return;
        output[i] = input[i] * Activation.Sigmoid(gate[i / pixels]);
    }

    /// <summary>2x2 max pooling with stride 2; a helper reads the input buffer (zero outside the plane).</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void MaxPool2x2(ThreadId id, ReadOnlySpan<float> input, Span<float> output, int channels, int height, int width)
    {
        int ox = id.X, oy = id.Y, c = id.Z;
        int outHeight = height / 2, outWidth = width / 2;
        if (ox >= outWidth || oy >= outHeight || c >= channels)
            return;
        float best = PixelOrZero(input, c, oy * 2, ox * 2, height, width);
        best = MathF.Max(best, PixelOrZero(input, c, oy * 2, ox * 2 + 1, height, width));
        best = MathF.Max(best, PixelOrZero(input, c, oy * 2 + 1, ox * 2, height, width));
        best = MathF.Max(best, PixelOrZero(input, c, oy * 2 + 1, ox * 2 + 1, height, width));
        output[(c * outHeight + oy) * outWidth + ox] = best;
    }

    private static float PixelOrZero(ReadOnlySpan<float> planes, int c, int y, int x, int height, int width)
        => y < 0 || y >= height || x < 0 || x >= width ? 0f : planes[(c * height + y) * width + x];
}

/// <summary>Helper functions shared by kernels (become WGSL functions).</summary>
public static class Activation
{
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public static float Silu(float x) => x * Sigmoid(x);
}
