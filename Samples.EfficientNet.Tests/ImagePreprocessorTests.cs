using KernelGen.Samples.EfficientNet.Imaging;
using SkiaSharp;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>Decoding and torchvision's Resize(256) / CenterCrop(224) / Normalize preprocessing.</summary>
public sealed class ImagePreprocessorTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static byte[] Pixels(int w, int h, Func<int, int, (byte R, byte G, byte B)> color)
    {
        byte[] rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var (r, g, b) = color(x, y);
                int i = 4 * (y * w + x);
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = (r, g, b, 255);
            }
        return rgba;
    }

    private string Encode(byte[] rgba, int w, int h, SKEncodedImageFormat format, string name)
    {
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using SKData data = bitmap.Encode(format, 100);
        string path = dir.File(name);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    [Theory]
    [InlineData(500, 375, 341, 256)]
    [InlineData(375, 500, 256, 341)]
    [InlineData(256, 256, 256, 256)]
    [InlineData(100, 1000, 256, 2560)]
    public void Shorter_side_becomes_256_and_the_longer_side_is_truncated(int w, int h, int ew, int eh) =>
        Assert.Equal((ew, eh), ImagePreprocessor.ResizedSize(w, h));

    [Fact]
    public void Uniform_image_gives_the_normalised_colour_everywhere()
    {
        float[] t = ImagePreprocessor.Preprocess(Pixels(300, 400, (_, _) => (200, 100, 50)), 300, 400);
        Assert.Equal(3 * 224 * 224, t.Length);
        float[] expected = [(200 / 255f - 0.485f) / 0.229f, (100 / 255f - 0.456f) / 0.224f, (50 / 255f - 0.406f) / 0.225f];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 224 * 224; i++)
                Assert.Equal(expected[c], t[c * 224 * 224 + i], 1e-5f);
    }

    [Fact]
    public void Downscaling_a_linear_ramp_samples_it_at_half_pixel_centres()
    {
        // 400x300 scales by 300/256 on both axes. The red channel is the ramp v(x) = x (clamped at 255
        // beyond x = 255, outside the windows checked here).
        int w = 400, h = 300;
        float[] t = ImagePreprocessor.Preprocess(Pixels(w, h, (x, _) => ((byte)Math.Min(x, 255), 0, 0)), w, h);
        (int rw, int rh) = ImagePreprocessor.ResizedSize(w, h);
        Assert.Equal((341, 256), (rw, rh));
        double scale = (double)w / rw;
        int left = (int)Math.Round((rw - 224) / 2.0);
        Assert.Equal(58, left);
        // PIL's antialiased bilinear: output pixel o averages the source pixels i whose centres lie within
        // `support = scale` of centre = (o + 0.5) * scale, weighted by the triangle 1 - |i + 0.5 - centre| / scale.
        // (A constant-in-y image makes the vertical pass the identity.) A filter placed half a pixel off,
        // or not widened by the scale, fails this by several grey levels.
        for (int cx = 0; cx < 150; cx += 7)
        {
            int o = left + cx;
            double centre = (o + 0.5) * scale;
            double sum = 0, weights = 0;
            for (int i = (int)(centre - scale + 0.5); i < (int)(centre + scale + 0.5); i++)
            {
                double wgt = Math.Max(0, 1 - Math.Abs(i + 0.5 - centre) / scale);
                sum += wgt * i;
                weights += wgt;
            }
            float actual = t[100 * 224 + cx] * 0.229f + 0.485f;
            Assert.Equal(sum / weights / 255.0, actual, 0.01 / 255);
            Assert.Equal(((o + 0.5) * scale - 0.5) / 255.0, actual, 0.3 / 255); // close to the ramp at the mapped centre
        }
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "img.png")]
    [InlineData(SKEncodedImageFormat.Webp, "img.webp")]
    public void Lossless_files_decode_to_their_pixels(SKEncodedImageFormat format, string name)
    {
        byte[] rgba = Pixels(320, 240, (x, y) => ((byte)x, (byte)y, (byte)(x ^ y)));
        string path = Encode(rgba, 320, 240, format, name);
        float[] fromFile = ImagePreprocessor.LoadFile(path);
        float[] fromPixels = ImagePreprocessor.Preprocess(rgba, 320, 240);
        if (format == SKEncodedImageFormat.Png)
            Assert.Equal(fromPixels, fromFile);
        else
            Assert.All(fromFile.Zip(fromPixels), p => Assert.Equal(p.Second, p.First, 0.05f)); // WebP at quality 100 is near-lossless
    }

    [Fact]
    public void Jpeg_decodes_close_to_its_pixels()
    {
        byte[] rgba = Pixels(300, 260, (x, y) => ((byte)(x / 2), (byte)(y / 2), 128));
        string path = Encode(rgba, 300, 260, SKEncodedImageFormat.Jpeg, "img.jpg");
        float[] fromFile = ImagePreprocessor.LoadFile(path);
        float[] fromPixels = ImagePreprocessor.Preprocess(rgba, 300, 260);
        double mean = fromFile.Zip(fromPixels).Average(p => Math.Abs(p.First - p.Second));
        Assert.True(mean < 0.03, $"mean abs difference {mean}");
    }

    [Fact]
    public void Non_image_file_gives_a_clear_error()
    {
        string path = dir.File("notes.txt");
        File.WriteAllText(path, "not an image");
        var ex = Assert.Throws<InvalidDataException>(() => ImagePreprocessor.LoadFile(path));
        Assert.Contains("notes.txt: not an image", ex.Message);
        Assert.Throws<FileNotFoundException>(() => ImagePreprocessor.LoadFile(dir.File("absent.jpg")));
    }

    [Fact]
    public void Class_names_are_embedded_in_logit_order()
    {
        Assert.Equal(1000, ImageNetClasses.Names.Count);
        string[] fixture = File.ReadAllLines(Path.Combine(Fixture.Directory, "imagenet_classes.txt"));
        Assert.Equal(fixture.Where(l => l.Length > 0), ImageNetClasses.Names);
    }
}
