using System.Buffers.Binary;
using System.IO.Compression;
using KernelGen.Samples.EfficientNet.Imaging;
using KernelGen.Samples.EfficientNet.Weights;
using SkiaSharp;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// Images built to exhaust memory or overflow the preprocessor (absurd sizes and aspect ratios, lying headers)
/// and damaged files: each decodes within bounded memory or is refused with a clear message. Made here, never committed.
/// </summary>
public sealed class HostileImageTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static byte[] Pixels(int w, int h, Func<int, int, (byte R, byte G, byte B)> color)
    {
        byte[] rgba = new byte[(long)w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = color(x, y);
                long i = 4 * ((long)y * w + x);
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, 255);
            }
        return rgba;
    }

    private string Encode(byte[] rgba, int w, int h, SKEncodedImageFormat format, string name)
    {
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using SKData data = bitmap.Encode(format, 95);
        string path = dir.File(name);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>A hand-made PNG: 1-bit greyscale, <paramref name="rows"/> rows of zeros (all may be fewer than declared).</summary>
    private string CraftedPng(string name, int width, int height, int rows)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 1; // bit depth 1
        ihdr[9] = 0; // greyscale
        Chunk(png, "IHDR", ihdr);
        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            byte[] row = new byte[1 + (width + 7) / 8];
            for (int i = 0; i < rows; i++) z.Write(row);
        }
        Chunk(png, "IDAT", idat.ToArray());
        if (rows == height) Chunk(png, "IEND", []);
        string path = dir.File(name);
        File.WriteAllBytes(path, png.ToArray());
        return path;

        static void Chunk(Stream s, string type, byte[] data)
        {
            byte[] head = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
            System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
            s.Write(head);
            s.Write(data);
            var crc = new ZipCrc32();
            crc.Append(head.AsSpan(4));
            crc.Append(data);
            byte[] c = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(c, crc.Value);
            s.Write(c);
        }
    }

    /// <summary>torchvision's transform computed the obvious way, in double: whole resize, then crop (no clamping needed for these inputs).</summary>
    private static double[] ReferencePreprocess(byte[] rgba, int w, int h)
    {
        (int ow, int oh) = w <= h ? (256, (int)(256L * h / w)) : ((int)(256L * w / h), 256);
        static (int Lo, double[] W) Taps(int inSize, int outSize, int o)
        {
            double scale = (double)inSize / outSize, fs = Math.Max(scale, 1), centre = (o + 0.5) * scale, total = 0;
            int lo = Math.Max((int)(centre - fs + 0.5), 0), hi = Math.Min((int)(centre + fs + 0.5), inSize);
            double[] w = new double[hi - lo];
            for (int i = lo; i < hi; i++) total += w[i - lo] = Math.Max(0, 1 - Math.Abs((i - centre + 0.5) / fs));
            for (int i = 0; i < w.Length; i++) w[i] /= total;
            return (lo, w);
        }
        int top = (int)Math.Round((oh - 224) / 2.0, MidpointRounding.ToEven), left = (int)Math.Round((ow - 224) / 2.0, MidpointRounding.ToEven);
        double[] mean = [0.485, 0.456, 0.406], std = [0.229, 0.224, 0.225];
        var result = new double[3 * 224 * 224];
        for (int y = 0; y < 224; y++)
        {
            (int ylo, double[] wy) = Taps(h, oh, top + y);
            for (int x = 0; x < 224; x++)
            {
                (int xlo, double[] wx) = Taps(w, ow, left + x);
                for (int c = 0; c < 3; c++)
                {
                    double v = 0;
                    for (int j = 0; j < wy.Length; j++)
                    {
                        double across = 0;
                        for (int i = 0; i < wx.Length; i++) across += wx[i] * rgba[4 * ((long)(ylo + j) * w + xlo + i) + c];
                        v += wy[j] * across;
                    }
                    result[(c * 224 + y) * 224 + x] = (v / 255 - mean[c]) / std[c];
                }
            }
        }
        return result;
    }

    [Theory]
    [InlineData(1, 20000)]
    [InlineData(20000, 1)]
    [InlineData(3, 4000)]
    [InlineData(2000, 7)]
    public void Extreme_aspect_ratios_preprocess_in_bounded_memory_and_match_resize_then_crop(int w, int h)
    {
        byte[] rgba = Pixels(w, h, (x, y) => ((byte)(x * 7 + y), (byte)(y * 3), (byte)((x ^ y) * 5)));
        long before = GC.GetAllocatedBytesForCurrentThread();
        float[] t = ImagePreprocessor.Preprocess(rgba, w, h);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The whole 256 x 5,120,000 resize of a 1 x 20000 image would be 15 GB; the crop needs about 1 MB.
        Assert.InRange(allocated, 0, 16 << 20);
        double[] expected = ReferencePreprocess(rgba, w, h);
        for (int i = 0; i < t.Length; i++)
            Assert.True(Math.Abs(t[i] - expected[i]) < 1e-3, $"element {i}: {t[i]} vs {expected[i]}");
    }

    [Fact]
    public void A_1_x_20000_png_classifies_without_overflow()
    {
        string path = Encode(Pixels(1, 20000, (_, y) => ((byte)y, 128, 64)), 1, 20000, SKEncodedImageFormat.Png, "thin.png");
        DecodedImage d = ImagePreprocessor.Decode(path);
        Assert.Equal((1, 20000, false), (d.Width, d.Height, d.Truncated));
        Assert.Equal(3 * 224 * 224, d.Tensor.Length);
        Assert.All(d.Tensor, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_small_file_declaring_40000_x_40000_is_refused_before_decoding()
    {
        string path = CraftedPng("huge.png", 40000, 40000, rows: 10);
        Assert.InRange(new FileInfo(path).Length, 0, 4096);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.Decode(path));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Contains("huge.png: declares 40000x40000 pixels", ex.Message);
    }

    [Fact]
    public void A_20000_x_20000_png_is_refused_without_allocating_its_size()
    {
        // 1.6 GB of RGBA; this SkiaSharp's PNG decoder cannot decode at a reduced size or row by row.
        string path = CraftedPng("big.png", 20000, 20000, rows: 20000);
        Assert.InRange(new FileInfo(path).Length, 0, 1 << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.Decode(path));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Contains("big.png: 20000x20000 (400,000,000 pixels) is over the decode limit of 50,000,000 pixels, and Png cannot be decoded at a reduced size", ex.Message);
    }

    [Fact]
    public void A_jpeg_beyond_what_the_codec_scales_is_box_downscaled_row_by_row()
    {
        // 2400 x 1600 over a budget of 10,000 pixels: even 1/8 (300 x 200) is too big, so rows are averaged in
        // 20 x 20 blocks as they arrive (120 x 80). The result is the block average of the full decode.
        byte[] rgba = Pixels(2400, 1600, (x, y) => ((byte)(x / 10), (byte)(y / 7), (byte)((x + y) / 16)));
        string path = Encode(rgba, 2400, 1600, SKEncodedImageFormat.Jpeg, "budget.jpg");
        long before = GC.GetAllocatedBytesForCurrentThread();
        DecodedImage d = ImagePreprocessor.Decode(path, new ImageDecodeOptions { MaxDecodedPixels = 10_000 });
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 2 << 20); // the full decode would be 15 MB
        Assert.Equal((2400, 1600, 120, 80), (d.Width, d.Height, d.DecodedWidth, d.DecodedHeight));
        Assert.Equal(ImagePreprocessor.Preprocess(BoxAverage(FullDecode(path), 2400, 1600, 20), 120, 80), d.Tensor);
    }

    [Fact]
    public void A_png_over_the_budget_is_refused_with_the_reason()
    {
        string path = Encode(Pixels(600, 450, (x, y) => ((byte)x, (byte)y, 0)), 600, 450, SKEncodedImageFormat.Png, "budget.png");
        var ex = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.Decode(path, new ImageDecodeOptions { MaxDecodedPixels = 40_000 }));
        Assert.Contains("budget.png: 600x450 (270,000 pixels) is over the decode limit of 40,000 pixels", ex.Message);
        Assert.Equal((600, 450), (ImagePreprocessor.Decode(path).DecodedWidth, 450)); // within the default budget it decodes whole
    }

    private static byte[] FullDecode(string path)
    {
        using SKCodec codec = SKCodec.Create(path);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        Assert.Equal(SKCodecResult.Success, codec.GetPixels(info, bitmap.GetPixels()));
        return bitmap.Bytes;
    }

    [Fact]
    public void A_jpeg_over_the_budget_is_decoded_at_a_reduced_scale()
    {
        byte[] rgba = Pixels(800, 600, (x, y) => ((byte)(x / 4), (byte)(y / 3), 100));
        string path = Encode(rgba, 800, 600, SKEncodedImageFormat.Jpeg, "big.jpg");
        DecodedImage d = ImagePreprocessor.Decode(path, new ImageDecodeOptions { MaxDecodedPixels = 100_000 });
        Assert.True((long)d.DecodedWidth * d.DecodedHeight <= 100_000, $"{d.DecodedWidth}x{d.DecodedHeight}");
        Assert.Equal((800, 600), (d.Width, d.Height));
        float[] full = ImagePreprocessor.LoadFile(path);
        double mean = full.Zip(d.Tensor).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(mean < 0.05, $"mean abs difference {mean}");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg, "cut.jpg")]
    [InlineData(SKEncodedImageFormat.Png, "cut.png")]
    public void A_truncated_file_is_refused_unless_allowed(SKEncodedImageFormat format, string name)
    {
        string path = Encode(Pixels(300, 260, (x, y) => ((byte)x, (byte)y, (byte)(x * y))), 300, 260, format, name);
        byte[] whole = File.ReadAllBytes(path);
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.LoadFile(path));
        Assert.Contains($"{name}: the image is truncated or corrupt", ex.Message);
        DecodedImage d = ImagePreprocessor.Decode(path, new ImageDecodeOptions { AllowTruncated = true });
        Assert.True(d.Truncated);
        Assert.Equal(3 * 224 * 224, d.Tensor.Length);
    }

    private static byte[] BoxAverage(byte[] rgba, int w, int h, int f)
    {
        int ow = (w + f - 1) / f, oh = (h + f - 1) / f;
        byte[] result = new byte[ow * oh * 4];
        for (int oy = 0; oy < oh; oy++)
            for (int ox = 0; ox < ow; ox++)
                for (int c = 0; c < 4; c++)
                {
                    int sum = 0, n = 0;
                    for (int y = oy * f; y < Math.Min(h, oy * f + f); y++)
                        for (int x = ox * f; x < Math.Min(w, ox * f + f); x++) { sum += rgba[4 * (y * w + x) + c]; n++; }
                    result[4 * (oy * ow + ox) + c] = (byte)((sum + n / 2) / n);
                }
        return result;
    }

    /// <summary>A 24-bit BMP, stored bottom-up as BMPs are.</summary>
    private static byte[] Bmp24(byte[] rgba, int w, int h)
    {
        int stride = (w * 3 + 3) & ~3;
        byte[] b = new byte[54 + stride * h];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), b.Length);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), w);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), h);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(34), stride * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int src = 4 * (y * w + x), dst = 54 + (h - 1 - y) * stride + 3 * x;
                (b[dst], b[dst + 1], b[dst + 2]) = (rgba[src + 2], rgba[src + 1], rgba[src]);
            }
        return b;
    }
}
