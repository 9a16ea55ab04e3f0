namespace KernelGen.Samples.EfficientNet.Imaging;

/// <summary>
/// Decodes an image (JPEG, PNG, WebP, ... through SkiaSharp, in ImagePreprocessor.Decoding.cs) and applies torchvision's ImageNet
/// evaluation transform: <c>Resize(256)</c> (bilinear), <c>CenterCrop(224)</c>, <c>ToTensor()</c>,
/// <c>Normalize(mean, std)</c>, giving a <c>[3, 224, 224]</c> CHW float tensor.
/// </summary>
/// <remarks>
/// Resize follows PIL's antialiased bilinear resampling, which is what torchvision applies to PIL images
/// (and to tensors with <c>antialias=True</c>, the default since 0.17): a separable triangle filter whose
/// support widens by the downscale factor, horizontal pass first. Unlike PIL, the intermediate and final
/// values stay in float instead of being rounded to 8 bits; this changes pixels by at most about half a
/// grey level. The output size rule is torchvision's: the shorter side becomes 256, the longer side
/// <c>floor(256 * long / short)</c>; the crop offset is <c>round((size - 224) / 2)</c>. EXIF orientation is not
/// applied (PIL does not apply it either). Alpha is dropped, as PIL's <c>convert("RGB")</c> does.
/// </remarks>
public static partial class ImagePreprocessor
{
    /// <summary>Shorter side after resizing.</summary>
    public const int ResizeTo = 256;

    /// <summary>Side of the centre crop.</summary>
    public const int CropSize = 224;

    /// <summary>ImageNet channel means (RGB).</summary>
    public static ReadOnlySpan<float> Mean => [0.485f, 0.456f, 0.406f];

    /// <summary>ImageNet channel standard deviations (RGB).</summary>
    public static ReadOnlySpan<float> Std => [0.229f, 0.224f, 0.225f];

    /// <summary>Preprocesses RGBA8888 pixels (row-major, 4 bytes per pixel) into a <c>[3, 224, 224]</c> tensor.</summary>
    /// <remarks>
    /// Only the part of the resized image that the centre crop keeps is computed (the columns of the crop in the
    /// horizontal pass, over the source rows its vertical taps read), so memory stays near the 224 x 224 output
    /// whatever the aspect ratio: a 1 x 20000 image resizes to 256 x 5,120,000 without that image ever existing.
    /// The values are those of resizing the whole image and then cropping.
    /// </remarks>
    public static float[] Preprocess(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if (width <= 0 || height <= 0 || rgba.Length < (long)width * height * 4)
            throw new ArgumentException($"Expected {width}x{height} RGBA pixels ({(long)width * height * 4} bytes), got {rgba.Length} bytes.", nameof(rgba));

        (long outW, long outH) = ResizedSizeLong(width, height);
        long top = (long)Math.Round((outH - CropSize) / 2.0, MidpointRounding.ToEven);
        long left = (long)Math.Round((outW - CropSize) / 2.0, MidpointRounding.ToEven);

        // The output columns and rows the crop keeps (crop windows larger than the image are zero-padded, as torchvision's CenterCrop).
        long x0 = Math.Max(left, 0), x1 = Math.Min(left + CropSize, outW);
        long y0 = Math.Max(top, 0), y1 = Math.Min(top + CropSize, outH);
        int cols = (int)Math.Max(x1 - x0, 0), rows = (int)Math.Max(y1 - y0, 0);
        Taps horizontal = Coefficients(width, outW, x0, cols);
        Taps vertical = Coefficients(height, outH, y0, rows);

        // Horizontal pass over the source rows the vertical taps read: [3, rowSpan, cols].
        int firstRow = rows == 0 ? 0 : vertical.Start[0];
        int lastRow = rows == 0 ? 0 : vertical.Start[rows - 1] + vertical.Count[rows - 1];
        int rowSpan = Math.Max(lastRow - firstRow, 0);
        float[] across = new float[3 * rowSpan * cols];
        for (int c = 0; c < 3; c++)
        {
            for (int r = 0; r < rowSpan; r++)
            {
                long rowBase = (long)(firstRow + r) * width;
                for (int x = 0; x < cols; x++)
                {
                    float sum = 0f;
                    for (int t = 0; t < horizontal.Count[x]; t++)
                        sum += horizontal.Weights[x * horizontal.MaxTaps + t] * rgba[(int)(4 * (rowBase + horizontal.Start[x] + t) + c)];
                    across[(c * rowSpan + r) * cols + x] = sum;
                }
            }
        }

        float[] output = new float[3 * CropSize * CropSize];
        for (int c = 0; c < 3; c++)
        {
            float mean = Mean[c], std = Std[c];
            for (int y = 0; y < CropSize; y++)
            {
                long sy = top + y;
                for (int x = 0; x < CropSize; x++)
                {
                    long sx = left + x;
                    float v = 0f;
                    if (sy >= y0 && sy < y1 && sx >= x0 && sx < x1)
                    {
                        int oy = (int)(sy - y0), ox = (int)(sx - x0);
                        for (int t = 0; t < vertical.Count[oy]; t++)
                            v += vertical.Weights[oy * vertical.MaxTaps + t] * across[(c * rowSpan + vertical.Start[oy] + t - firstRow) * cols + ox];
                    }
                    // PIL rounds and clamps to 8 bits before ToTensor; clamp keeps the same range.
                    v = Math.Clamp(v, 0f, 255f);
                    output[(c * CropSize + y) * CropSize + x] = (v / 255f - mean) / std;
                }
            }
        }
        return output;
    }

    /// <summary>torchvision's Resize(256) output size: shorter side 256, longer side scaled and truncated.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The longer side would exceed <see cref="int.MaxValue"/> (an aspect ratio beyond 1 : 8,388,607).</exception>
    public static (int Width, int Height) ResizedSize(int width, int height)
    {
        (long w, long h) = ResizedSizeLong(width, height);
        if (w > int.MaxValue || h > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} image resizes to {w}x{h}, beyond int range.");
        return ((int)w, (int)h);
    }

    private static (long Width, long Height) ResizedSizeLong(int width, int height)
    {
        if (width <= height)
            return (ResizeTo, (long)ResizeTo * height / width);
        return ((long)ResizeTo * width / height, ResizeTo);
    }

    /// <summary>Filter taps of <see cref="Count"/>[o] source samples from <see cref="Start"/>[o], for a run of output indices.</summary>
    private sealed record Taps(int[] Start, int[] Count, float[] Weights, int MaxTaps);

    /// <summary>PIL's precompute_coeffs for the bilinear (triangle) filter, for output indices <paramref name="first"/> .. + <paramref name="count"/>.</summary>
    private static Taps Coefficients(int inSize, long outSize, long first, int count)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        int maxTaps = (int)Math.Ceiling(support) * 2 + 1;
        int[] start = new int[count];
        int[] taps = new int[count];
        float[] weights = new float[(long)count * maxTaps];
        double[] k = new double[maxTaps];
        for (int i = 0; i < count; i++)
        {
            double center = (first + i + 0.5) * scale;
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            double total = 0;
            for (int t = 0; t < xmax; t++)
            {
                double w = Triangle((t + xmin - center + 0.5) / filterScale);
                k[t] = w;
                total += w;
            }
            for (int t = 0; t < xmax; t++)
                weights[i * maxTaps + t] = (float)(total != 0 ? k[t] / total : 0);
            start[i] = xmin;
            taps[i] = Math.Max(xmax, 0);
        }
        return new Taps(start, taps, weights, maxTaps);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
