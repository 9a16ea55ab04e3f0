using System.Runtime.InteropServices;
using SkiaSharp;

namespace KernelGen.Samples.EfficientNet.Imaging;

/// <summary>How <see cref="ImagePreprocessor.Decode"/> treats damaged and very large images.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>Default <see cref="MaxDecodedPixels"/>: 50 megapixels (200 MB of RGBA).</summary>
    public const long DefaultMaxDecodedPixels = 50_000_000;

    /// <summary>Images that declare more pixels than this are refused outright: decoding them would take minutes.</summary>
    public const long MaxDeclaredPixels = 1L << 30;

    /// <summary>Neither side may exceed this (a row of pixels is then at most 1 MB).</summary>
    public const int MaxSide = 1 << 18;

    /// <summary>Decode a truncated or corrupt file as far as it goes (the rest is black) instead of refusing it.</summary>
    public bool AllowTruncated { get; init; }

    /// <summary>
    /// Larger images are downscaled while decoding, so their full size is never held: JPEG by the codec (at 1/2,
    /// 1/4, 1/8) or by averaging blocks of rows as they arrive. Formats whose decoder cannot work at a reduced size
    /// or row by row (PNG, WebP and GIF in this SkiaSharp) are refused above it.
    /// </summary>
    public long MaxDecodedPixels { get; init; } = DefaultMaxDecodedPixels;
}

/// <summary>A decoded and preprocessed image.</summary>
/// <param name="Tensor">The <c>[3, 224, 224]</c> input tensor.</param>
/// <param name="Width">Width the file declares.</param>
/// <param name="Height">Height the file declares.</param>
/// <param name="DecodedWidth">Width decoded (smaller than <paramref name="Width"/> when downscaled at decode).</param>
/// <param name="DecodedHeight">Height decoded.</param>
/// <param name="Truncated">The file ended early or was corrupt and <see cref="ImageDecodeOptions.AllowTruncated"/> let it through.</param>
public sealed record DecodedImage(float[] Tensor, int Width, int Height, int DecodedWidth, int DecodedHeight, bool Truncated);

// Decoding lives apart from the pixel arithmetic so that the web page, which decodes with the
// browser's own decoder, can compile ImagePreprocessor.cs without SkiaSharp.
public static partial class ImagePreprocessor
{
    /// <summary>Decodes and preprocesses an image file into a <c>[3, 224, 224]</c> tensor, refusing truncated files.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable image, is truncated or corrupt, or is too large.</exception>
    public static float[] LoadFile(string path) => Decode(path).Tensor;

    /// <summary>Decodes and preprocesses an image file with bounded memory (see <see cref="ImageDecodeOptions"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a decodable image, is truncated or corrupt (unless allowed), or is too large.</exception>
    public static DecodedImage Decode(string path, ImageDecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ImageDecodeOptions();
        if (options.MaxDecodedPixels < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxDecodedPixels must be positive.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image not found: {path}", path);
        string file = Path.GetFileName(path);
        // Opening it first turns a permission or I/O problem into its own error rather than "not an image".
        using (File.OpenRead(path)) { }
        using SKCodec? codec = SKCodec.Create(path)
            ?? throw new InvalidDataException($"{path}: not an image SkiaSharp can decode (JPEG, PNG, WebP, GIF, BMP).");
        int width = codec.Info.Width, height = codec.Info.Height;
        long pixels = (long)width * height;
        if (width <= 0 || height <= 0 || width > ImageDecodeOptions.MaxSide || height > ImageDecodeOptions.MaxSide || pixels > ImageDecodeOptions.MaxDeclaredPixels)
            throw new InvalidDataException(
                $"{file}: declares {width}x{height} pixels; images are accepted up to {ImageDecodeOptions.MaxSide} on a side and {ImageDecodeOptions.MaxDeclaredPixels / 1_000_000} megapixels.");

        (byte[] rgba, int w, int h, SKCodecResult result) = pixels <= options.MaxDecodedPixels
            ? DecodeWhole(codec, width, height)
            : DecodeReduced(codec, file, width, height, options.MaxDecodedPixels);
        bool damaged = result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput;
        if (result is not SKCodecResult.Success && !damaged)
            throw new InvalidDataException($"{file}: decoding failed ({result}).");
        if (damaged && !options.AllowTruncated)
            throw new InvalidDataException($"{file}: the image is truncated or corrupt ({result}); pass --allow-truncated to classify what decodes.");
        return new DecodedImage(Preprocess(rgba, w, h), width, height, w, h, damaged);
    }

    private static (byte[] Rgba, int Width, int Height, SKCodecResult Result) DecodeWhole(SKCodec codec, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        byte[] rgba = new byte[(long)width * height * 4];
        GCHandle pin = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            return (rgba, width, height, codec.GetPixels(info, pin.AddrOfPinnedObject()));
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>
    /// Decodes at most <paramref name="maxPixels"/>: at a reduced scale where the codec supports it (JPEG decodes at
    /// 1/2, 1/4, 1/8 directly), otherwise row by row, averaging f x f blocks as the rows arrive.
    /// </summary>
    private static (byte[] Rgba, int Width, int Height, SKCodecResult Result) DecodeReduced(SKCodec codec, string file, int width, int height, long maxPixels)
    {
        SKSizeI scaled = codec.GetScaledDimensions((float)Math.Sqrt((double)maxPixels / ((long)width * height)));
        if (scaled.Width > 0 && scaled.Height > 0 && (long)scaled.Width * scaled.Height <= maxPixels)
        {
            (byte[] rgba, _, _, SKCodecResult result) = DecodeWhole(codec, scaled.Width, scaled.Height);
            if (result is not SKCodecResult.InvalidScale)
                return (rgba, scaled.Width, scaled.Height, result);
        }

        int f = (int)Math.Ceiling(Math.Sqrt((double)width * height / maxPixels));
        while ((long)((width + f - 1) / f) * ((height + f - 1) / f) > maxPixels) f++;
        int outW = (width + f - 1) / f, outH = (height + f - 1) / f;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        SKCodecResult start = codec.StartScanlineDecode(info);
        if (start != SKCodecResult.Success)
            throw new InvalidDataException(
                $"{file}: {width}x{height} ({(long)width * height:N0} pixels) is over the decode limit of {maxPixels:N0} pixels, and {codec.EncodedFormat} cannot be decoded at a reduced size; downscale the image first.");

        bool bottomUp = codec.ScanlineOrder == SKCodecScanlineOrder.BottomUp;
        byte[] output = new byte[(long)outW * outH * 4];
        ulong[] sums = new ulong[outW * 4];
        byte[] row = new byte[width * 4];
        int decoded = 0;
        GCHandle pin = GCHandle.Alloc(row, GCHandleType.Pinned);
        try
        {
            for (int band = 0; band < outH; band++)
            {
                Array.Clear(sums);
                int rowsInBand = Math.Min(f, height - band * f);
                for (int r = 0; r < rowsInBand && decoded == band * f + r; r++)
                {
                    if (codec.GetScanlines(pin.AddrOfPinnedObject(), 1, row.Length) != 1)
                        break; // truncated: the rest stays black
                    decoded++;
                    for (int x = 0; x < width; x++)
                    {
                        int o = x / f * 4;
                        for (int c = 0; c < 4; c++) sums[o + c] += row[x * 4 + c];
                    }
                }
                int outRow = bottomUp ? outH - 1 - band : band;
                for (int ox = 0; ox < outW; ox++)
                {
                    int blockW = Math.Min(f, width - ox * f);
                    ulong n = (ulong)blockW * (ulong)rowsInBand;
                    for (int c = 0; c < 4; c++)
                        output[((long)outRow * outW + ox) * 4 + c] = (byte)((sums[ox * 4 + c] + n / 2) / n);
                }
            }
        }
        finally
        {
            pin.Free();
        }
        return (output, outW, outH, decoded == height ? SKCodecResult.Success : SKCodecResult.IncompleteInput);
    }
}
