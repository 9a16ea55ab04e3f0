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
    public static float[] Preprocess(ReadOnlySpan<byte> rgba, int width, int height)
    {
        if (width <= 0 || height <= 0 || rgba.Length < (long)width * height * 4)
            throw new ArgumentException($"Expected {width}x{height} RGBA pixels ({(long)width * height * 4} bytes), got {rgba.Length} bytes.", nameof(rgba));

        (int outW, int outH) = ResizedSize(width, height);

        // Planar float RGB of the source.
        float[] src = new float[3 * width * height];
        for (int i = 0; i < width * height; i++)
            for (int c = 0; c < 3; c++)
                src[c * width * height + i] = rgba[4 * i + c];

        float[] horizontal = ResampleAxis(src, width, height, outW, horizontalPass: true);
        float[] resized = ResampleAxis(horizontal, outW, height, outH, horizontalPass: false);

        int top = (int)Math.Round((outH - CropSize) / 2.0, MidpointRounding.ToEven);
        int left = (int)Math.Round((outW - CropSize) / 2.0, MidpointRounding.ToEven);
        float[] output = new float[3 * CropSize * CropSize];
        for (int c = 0; c < 3; c++)
        {
            float mean = Mean[c], std = Std[c];
            for (int y = 0; y < CropSize; y++)
            {
                for (int x = 0; x < CropSize; x++)
                {
                    int sy = top + y, sx = left + x;
                    // Crop windows larger than the image are zero-padded, as torchvision's CenterCrop.
                    float v = sy >= 0 && sy < outH && sx >= 0 && sx < outW ? resized[(c * outH + sy) * outW + sx] : 0f;
                    // PIL rounds and clamps to 8 bits before ToTensor; clamp keeps the same range.
                    v = Math.Clamp(v, 0f, 255f);
                    output[(c * CropSize + y) * CropSize + x] = (v / 255f - mean) / std;
                }
            }
        }
        return output;
    }

    /// <summary>torchvision's Resize(256) output size: shorter side 256, longer side scaled and truncated.</summary>
    public static (int Width, int Height) ResizedSize(int width, int height)
    {
        if (width <= height)
            return (ResizeTo, (int)((long)ResizeTo * height / width));
        return ((int)((long)ResizeTo * width / height), ResizeTo);
    }

    /// <summary>PIL-style antialiased bilinear resampling along one axis of a planar 3-channel image.</summary>
    private static float[] ResampleAxis(float[] src, int width, int height, int newSize, bool horizontalPass)
    {
        int inSize = horizontalPass ? width : height;
        (int[] start, int[] count, float[] weights, int maxTaps) = Coefficients(inSize, newSize);
        int outW = horizontalPass ? newSize : width;
        int outH = horizontalPass ? height : newSize;
        float[] dst = new float[3 * outW * outH];
        for (int c = 0; c < 3; c++)
        {
            int srcPlane = c * width * height, dstPlane = c * outW * outH;
            for (int y = 0; y < outH; y++)
            {
                for (int x = 0; x < outW; x++)
                {
                    int o = horizontalPass ? x : y;
                    float sum = 0f;
                    for (int t = 0; t < count[o]; t++)
                    {
                        int s = start[o] + t;
                        float v = horizontalPass ? src[srcPlane + y * width + s] : src[srcPlane + s * width + x];
                        sum += weights[o * maxTaps + t] * v;
                    }
                    dst[dstPlane + y * outW + x] = sum;
                }
            }
        }
        return dst;
    }

    /// <summary>PIL's precompute_coeffs for the bilinear (triangle) filter.</summary>
    private static (int[] Start, int[] Count, float[] Weights, int MaxTaps) Coefficients(int inSize, int outSize)
    {
        double scale = (double)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = 1.0 * filterScale;
        int maxTaps = (int)Math.Ceiling(support) * 2 + 1;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        float[] weights = new float[outSize * maxTaps];
        double[] k = new double[maxTaps];
        for (int o = 0; o < outSize; o++)
        {
            double center = (o + 0.5) * scale;
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
                weights[o * maxTaps + t] = (float)(total != 0 ? k[t] / total : 0);
            start[o] = xmin;
            count[o] = xmax;
        }
        return (start, count, weights, maxTaps);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
