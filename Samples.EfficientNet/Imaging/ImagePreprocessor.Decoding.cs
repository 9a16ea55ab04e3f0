using SkiaSharp;

namespace KernelGen.Samples.EfficientNet.Imaging;

// Decoding lives apart from the pixel arithmetic so that the web page, which decodes with the
// browser's own decoder, can compile ImagePreprocessor.cs without SkiaSharp.
public static partial class ImagePreprocessor
{
    /// <summary>Decodes and preprocesses an image file into a <c>[3, 224, 224]</c> tensor.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable image.</exception>
    public static float[] LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image not found: {path}", path);
        using SKCodec? codec = SKCodec.Create(path)
            ?? throw new InvalidDataException($"{path}: not an image SkiaSharp can decode (JPEG, PNG, WebP, GIF, BMP).");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new InvalidDataException($"{path}: decoding failed ({result}).");
        return Preprocess(bitmap.GetPixelSpan(), info.Width, info.Height);
    }
}
