using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Convolution.cs on Dawn and on the CPU backend, and against plain C# references computed in
/// double. Inputs are in [-1, 1).
/// </summary>
public class ConvolutionCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    // Sums of products are held to the classic bound from their own terms (SumErrorBound: each rounded
    // product and addition moves the result by at most 2^-24 * sum|terms|); native and CPU may each be
    // that far from the exact value (the GPU may contract acc + w * x into an fma, C# does not), so
    // they are compared with twice the bound. Plus 2 ulp for rounding the double reference to float.
    private static readonly FloatTolerance Rounding = new(2, 0f);

    // After the sum, SiLU: WGSL's exp is accurate to 3 + 2|x| ulp (not correctly rounded, |x| <= 10
    // here) and its division to 2.5 ulp, so up to about 26 ulp; SiLU's slope is at most 1.1, so the
    // sum's bound carries over scaled by 1.1.
    private static readonly FloatTolerance SiluRounding = new(32, 0f);

    [Fact]
    [CorpusCase(typeof(Convolution), nameof(Convolution.Pointwise))]
    public void Pointwise_matches_a_matrix_product_plus_bias()
    {
        const int InChannels = 5, OutChannels = 6, Pixels = 37;
        var inputs = new SeededInputs(301);
        var input = inputs.Floats(InChannels * Pixels, -1f, 1f);
        var weight = inputs.Floats(OutChannels * InChannels, -1f, 1f);
        var bias = inputs.Floats(OutChannels, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<float>(input);
            using var gw = device.Upload<float>(weight);
            using var gb = device.Upload<float>(bias);
            using var output = device.Allocate<float>(OutChannels * Pixels);
            using var stream = device.CreateStream();
            Convolution.Gpu.Pointwise(stream, gi, gw, gb, output, InChannels, OutChannels, Pixels, Grid.Threads(Pixels, OutChannels));
            stream.Synchronize();
            return output.ToArray();
        });
        var expected = new float[OutChannels * Pixels];
        var bound = new float[expected.Length];
        for (var oc = 0; oc < OutChannels; oc++)
            for (var p = 0; p < Pixels; p++)
            {
                double acc = bias[oc], magnitude = Math.Abs(bias[oc]);
                for (var c = 0; c < InChannels; c++)
                {
                    var term = (double)weight[oc * InChannels + c] * input[c * Pixels + p];
                    acc += term;
                    magnitude += Math.Abs(term);
                }
                expected[oc * Pixels + p] = (float)acc;
                bound[oc * Pixels + p] = ResultComparison.SumErrorBound(2 * InChannels, magnitude);
            }
        ResultComparison.Close(cpu, native, Rounding, bound.Select(b => 2 * b).ToArray(), "output");
        ResultComparison.Close(expected, native, Rounding, bound, "output vs double reference");
    }

    [Theory]
    [CorpusCase(typeof(Convolution), nameof(Convolution.Conv3x3Silu))]
    [InlineData(1)]
    [InlineData(2)]
    public void Conv3x3Silu_with_zero_padding_and_stride(int stride)
    {
        const int InChannels = 3, Height = 9, Width = 11, OutChannels = 4;
        int outHeight = (Height - 1) / stride + 1, outWidth = (Width - 1) / stride + 1;
        var inputs = new SeededInputs(302 + stride);
        var input = inputs.Floats(InChannels * Height * Width, -1f, 1f);
        var weight = inputs.Floats(OutChannels * InChannels * 9, -1f, 1f);
        var bias = inputs.Floats(OutChannels, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<float>(input);
            using var gw = device.Upload<float>(weight);
            using var gb = device.Upload<float>(bias);
            using var output = device.Allocate<float>(OutChannels * outHeight * outWidth);
            using var stream = device.CreateStream();
            Convolution.Gpu.Conv3x3Silu(stream, gi, gw, gb, output, InChannels, Height, Width, OutChannels, stride, outHeight, outWidth,
                Grid.Threads(outWidth, outHeight, OutChannels));
            stream.Synchronize();
            return output.ToArray();
        });
        var expected = new float[OutChannels * outHeight * outWidth];
        var bound = new float[expected.Length];
        for (var oc = 0; oc < OutChannels; oc++)
            for (var oy = 0; oy < outHeight; oy++)
                for (var ox = 0; ox < outWidth; ox++)
                {
                    double acc = bias[oc], magnitude = Math.Abs(bias[oc]);
                    var steps = 0;
                    for (var c = 0; c < InChannels; c++)
                        for (var ky = 0; ky < 3; ky++)
                            for (var kx = 0; kx < 3; kx++)
                            {
                                int iy = oy * stride + ky - 1, ix = ox * stride + kx - 1;
                                if (iy < 0 || iy >= Height || ix < 0 || ix >= Width) continue;
                                var term = (double)input[(c * Height + iy) * Width + ix] * weight[((oc * InChannels + c) * 3 + ky) * 3 + kx];
                                acc += term;
                                magnitude += Math.Abs(term);
                                steps += 2;
                            }
                    var o = (oc * outHeight + oy) * outWidth + ox;
                    expected[o] = (float)(acc / (1 + Math.Exp(-acc)));
                    bound[o] = 1.1f * ResultComparison.SumErrorBound(steps, magnitude);
                }
        ResultComparison.Close(cpu, native, SiluRounding, bound.Select(b => 2 * b).ToArray(), "output");
        ResultComparison.Close(expected, native, SiluRounding, bound, "output vs double reference");
    }

    [Theory]
    [CorpusCase(typeof(Convolution), nameof(Convolution.Depthwise))]
    [InlineData(3, 1, 1)]
    [InlineData(5, 2, 0)]
    public void Depthwise_with_same_padding(int kernelSize, int stride, int applySilu)
    {
        const int Channels = 3, Height = 10, Width = 7;
        var pad = (kernelSize - 1) / 2;
        int outHeight = (Height + 2 * pad - kernelSize) / stride + 1, outWidth = (Width + 2 * pad - kernelSize) / stride + 1;
        var total = Channels * outHeight * outWidth;
        var inputs = new SeededInputs(310 + kernelSize);
        var input = inputs.Floats(Channels * Height * Width, -1f, 1f);
        var weight = inputs.Floats(Channels * kernelSize * kernelSize, -1f, 1f);
        var bias = inputs.Floats(Channels, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<float>(input);
            using var gw = device.Upload<float>(weight);
            using var gb = device.Upload<float>(bias);
            using var output = device.Allocate<float>(total);
            using var stream = device.CreateStream();
            Convolution.Gpu.Depthwise(stream, gi, gw, gb, output, Channels, Height, Width, kernelSize, stride, outHeight, outWidth, applySilu, total);
            stream.Synchronize();
            return output.ToArray();
        });
        var tolerance = applySilu != 0 ? SiluRounding : Rounding;
        var expected = new float[total];
        var bound = new float[total];
        for (var c = 0; c < Channels; c++)
            for (var oy = 0; oy < outHeight; oy++)
                for (var ox = 0; ox < outWidth; ox++)
                {
                    double acc = bias[c], magnitude = Math.Abs(bias[c]);
                    var steps = 0;
                    for (var ky = 0; ky < kernelSize; ky++)
                        for (var kx = 0; kx < kernelSize; kx++)
                        {
                            int iy = oy * stride + ky - pad, ix = ox * stride + kx - pad;
                            if (iy < 0 || iy >= Height || ix < 0 || ix >= Width) continue;
                            var term = (double)input[(c * Height + iy) * Width + ix] * weight[(c * kernelSize + ky) * kernelSize + kx];
                            acc += term;
                            magnitude += Math.Abs(term);
                            steps += 2;
                        }
                    if (applySilu != 0) acc /= 1 + Math.Exp(-acc);
                    var o = (c * outHeight + oy) * outWidth + ox;
                    expected[o] = (float)acc;
                    bound[o] = (applySilu != 0 ? 1.1f : 1f) * ResultComparison.SumErrorBound(steps, magnitude);
                }
        ResultComparison.Close(cpu, native, tolerance, bound.Select(b => 2 * b).ToArray(), "output");
        ResultComparison.Close(expected, native, tolerance, bound, "output vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(Convolution), nameof(Convolution.GlobalAveragePool))]
    public void GlobalAveragePool_averages_each_plane()
    {
        const int Channels = 37, Pixels = 50; // 37 channels: two workgroups of 32, the second partly idle
        var input = new SeededInputs(320).Floats(Channels * Pixels, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<float>(input);
            using var output = device.Allocate<float>(Channels);
            using var stream = device.CreateStream();
            Convolution.Gpu.GlobalAveragePool(stream, gi, output, Channels, Pixels, Channels);
            stream.Synchronize();
            return output.ToArray();
        });
        // The sums add in the same order with correctly rounded adds (bit-identical); WGSL's f32
        // division is accurate to 2.5 ulp rather than correctly rounded: 3 ulp.
        ResultComparison.Close(cpu, native, new FloatTolerance(3, 0f), "output");
        var expected = input.Chunk(Pixels).Select(plane => (float)plane.Average(v => (double)v)).ToArray();
        // Against the exact mean: the sum's classic bound from its terms, divided by the pixel count.
        var bound = input.Chunk(Pixels).Select(plane => ResultComparison.SumErrorBound(Pixels, plane.Sum(v => Math.Abs((double)v))) / Pixels).ToArray();
        ResultComparison.Close(expected, native, new FloatTolerance(3, 0f), bound, "output vs double mean");
    }

    [Fact]
    [CorpusCase(typeof(Convolution), nameof(Convolution.SqueezeExcite))]
    public void SqueezeExcite_scales_each_channel_by_its_sigmoid_gate()
    {
        const int Channels = 7, Pixels = 13;
        var inputs = new SeededInputs(321);
        var input = inputs.Floats(Channels * Pixels);
        var gate = inputs.Floats(Channels);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<float>(input);
            using var gg = device.Upload<float>(gate);
            using var output = device.Allocate<float>(Channels * Pixels);
            using var stream = device.CreateStream();
            Convolution.Gpu.SqueezeExcite(stream, gi, gg, output, Pixels, Channels * Pixels);
            stream.Synchronize();
            return output.ToArray();
        });
        // exp(-g) with |g| < 4: 3 + 2|g| <= 11 ulp; 1/(1+e) 2.5 ulp; the product 0.5 ulp: 16 ulp.
        var tolerance = new FloatTolerance(16, 0f);
        ResultComparison.Close(cpu, native, tolerance, "output");
        var expected = input.Select((v, i) => (float)(v / (1 + Math.Exp(-gate[i / Pixels])))).ToArray();
        ResultComparison.Close(expected, native, tolerance, "output vs double reference");
    }
}
