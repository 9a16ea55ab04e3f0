using System.Numerics;
using System.Threading;

namespace KernelGen.Runtime.Tests.Tryout3;

public struct Rgb24
{
    public byte R, G, B;
    public Rgb24(byte r, byte g, byte b) => (R, G, B) = (r, g, b);
}

public enum Border { Clamp, Mirror, Wrap, Zero }

/// <summary>Image kernels as ComputeSharp and WebGPU-tutorial users write them: byte pixels, borders, resampling, edges.</summary>
public static partial class Images
{
    static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);

    /// <summary>RGB to YCbCr (BT.601 full range) on 3-byte pixels, and back, in one kernel (mode chooses).</summary>
    [Kernel]
    public static void YCbCr(ThreadId id, ReadOnlySpan<Rgb24> src, Span<Rgb24> dst, int count, bool inverse)
    {
        var i = id.X;
        if (i >= count) return;
        var p = src[i];
        if (!inverse)
        {
            float r = p.R, g = p.G, b = p.B;
            var y = 0.299f * r + 0.587f * g + 0.114f * b;
            var cb = 128f - 0.168736f * r - 0.331264f * g + 0.5f * b;
            var cr = 128f + 0.5f * r - 0.418688f * g - 0.081312f * b;
            dst[i] = new(ToByte(y), ToByte(cb), ToByte(cr));
        }
        else
        {
            float y = p.R, cb = p.G - 128, cr = p.B - 128;
            dst[i] = new Rgb24
            {
                R = ToByte(y + 1.402f * cr),
                G = ToByte(y - 0.344136f * cb - 0.714136f * cr),
                B = ToByte(y + 1.772f * cb),
            };
        }
    }

    /// <summary>3x3 convolution on an int image with a border mode chosen by an enum switch inside a local function.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Convolve3x3(ThreadId id, ReadOnlySpan<int> image, ReadOnlySpan<int> kernel, Span<int> output, int width, int height, Border border)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height) return;

        int Fix(int c, int n) => border switch
        {
            Border.Clamp => Math.Clamp(c, 0, n - 1),
            Border.Mirror => c < 0 ? -c - 1 : c >= n ? 2 * n - c - 1 : c,
            Border.Wrap => (c % n + n) % n,
            _ => c,
        };

        var acc = 0;
        for (var ky = -1; ky <= 1; ky++)
        {
            for (var kx = -1; kx <= 1; kx++)
            {
                int sx = Fix(x + kx, width), sy = Fix(y + ky, height);
                if (border == Border.Zero && (sx < 0 || sx >= width || sy < 0 || sy >= height)) continue;
                acc += image[sy * width + sx] * kernel[(ky + 1) * 3 + kx + 1];
            }
        }
        output[y * width + x] = acc;
    }

    static float Tap(ReadOnlySpan<float> src, int w, int h, int x, int y) => src[Math.Clamp(y, 0, h - 1) * w + Math.Clamp(x, 0, w - 1)];

    /// <summary>Bilinear resampling with pixel-centre mapping, (int)MathF.Floor and clamped taps.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Bilinear(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int srcW, int srcH, int dstW, int dstH)
    {
        if (id.X >= dstW || id.Y >= dstH) return;
        var sx = (id.X + 0.5f) * srcW / dstW - 0.5f;
        var sy = (id.Y + 0.5f) * srcH / dstH - 0.5f;
        var x0 = (int)MathF.Floor(sx);
        var y0 = (int)MathF.Floor(sy);
        float fx = sx - x0, fy = sy - y0;
        var top = float.Lerp(Tap(src, srcW, srcH, x0, y0), Tap(src, srcW, srcH, x0 + 1, y0), fx);
        var bottom = float.Lerp(Tap(src, srcW, srcH, x0, y0 + 1), Tap(src, srcW, srcH, x0 + 1, y0 + 1), fx);
        dst[id.Y * dstW + id.X] = float.Lerp(top, bottom, fy);
    }

    static (int Gx, int Gy) Gradient(ReadOnlySpan<byte> image, int width, int cx, int cy)
    {
        int P(ReadOnlySpan<byte> img, int dx, int dy) => img[(cy + dy) * width + cx + dx];
        var gx = -P(image, -1, -1) - 2 * P(image, -1, 0) - P(image, -1, 1) + P(image, 1, -1) + 2 * P(image, 1, 0) + P(image, 1, 1);
        var gy = -P(image, -1, -1) - 2 * P(image, 0, -1) - P(image, 1, -1) + P(image, -1, 1) + 2 * P(image, 0, 1) + P(image, 1, 1);
        return (gx, gy);
    }

    /// <summary>
    /// Canny's gradient and non-maximum suppression on a byte image, in integers: Sobel gradients, the direction
    /// quantised by comparing |gy| with tan(22.5°)|gx| and tan(67.5°)|gx| in fixed point, the squared magnitude kept
    /// where it is a local maximum along that direction, then a double threshold (0 / 1 weak / 2 strong).
    /// </summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void CannyNms(ThreadId id, ReadOnlySpan<byte> image, Span<int> edges, int width, int height, int weak, int strong)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height) return;
        if (x == 0 || y == 0 || x == width - 1 || y == height - 1) { edges[y * width + x] = 0; return; }

        int Magnitude(ReadOnlySpan<byte> img, int cx, int cy)
        {
            if (cx <= 0 || cy <= 0 || cx >= width - 1 || cy >= height - 1) return 0;
            var (a, b) = Gradient(img, width, cx, cy);
            return a * a + b * b;
        }

        var (gx, gy) = Gradient(image, width, x, y);
        var m = gx * gx + gy * gy;
        int ax = Math.Abs(gx), ay = Math.Abs(gy);
        // tan(22.5°) ≈ 106/256, tan(67.5°) ≈ 618/256.
        var (dx, dy) = (ay * 256 <= ax * 106) ? (1, 0)
            : (ay * 256 >= ax * 618) ? (0, 1)
            : (gx ^ gy) >= 0 ? (1, 1) : (1, -1);
        var keep = m >= Magnitude(image, x + dx, y + dy) && m > Magnitude(image, x - dx, y - dy);
        edges[y * width + x] = !keep ? 0 : m switch
        {
            _ when m >= strong * strong => 2,
            _ when m >= weak * weak => 1,
            _ => 0,
        };
    }

    /// <summary>Histogram equalisation, pass 1: a 256-bin histogram of a byte image, per workgroup in shared memory.</summary>
    [Kernel(WorkgroupSize = 256)]
    public static void Histogram256(ThreadId id, LocalId local, ReadOnlySpan<byte> image, int length, Span<uint> histogram, [GroupShared(256)] Span<uint> bins)
    {
        bins[local.X] = 0;
        Workgroup.Barrier();
        for (var i = id.X; i < length; i += 256 * 4)
            Interlocked.Increment(ref bins[image[i]]);
        Workgroup.Barrier();
        if (bins[local.X] != 0) Interlocked.Add(ref histogram[local.X], bins[local.X]);
    }

    /// <summary>Pass 2 (one workgroup): the CDF by a shared inclusive scan, then the equalisation lookup table.</summary>
    [Kernel(WorkgroupSize = 256)]
    public static void EqualizeTable(LocalId local, ReadOnlySpan<uint> histogram, Span<byte> lut, [GroupShared(256)] Span<uint> cdf, [GroupShared(1)] Span<uint> cdfMin)
    {
        var t = local.X;
        cdf[t] = histogram[t];
        Workgroup.Barrier();
        for (var offset = 1; offset < 256; offset <<= 1)
        {
            var add = t >= offset ? cdf[t - offset] : 0u;
            Workgroup.Barrier();
            cdf[t] += add;
            Workgroup.Barrier();
        }
        // The first non-zero CDF value: the smallest index whose histogram is non-zero.
        if (histogram[t] != 0 && (t == 0 || cdf[t - 1] == 0)) cdfMin[0] = cdf[t];
        Workgroup.Barrier();
        var total = cdf[255];
        var min = cdfMin[0];
        var scaled = cdf[t] < min ? 0u : (cdf[t] - min) * 255u / Math.Max(total - min, 1u);
        lut[t] = total == min ? (byte)t : (byte)scaled;
    }

    /// <summary>Pass 3: apply the table to each pixel (a byte buffer written by many invocations per word).</summary>
    [Kernel]
    public static void ApplyTable(ThreadId id, ReadOnlySpan<byte> image, ReadOnlySpan<byte> lut, Span<byte> output, int length)
    {
        if (id.X < length) output[id.X] = lut[image[id.X]];
    }
}
