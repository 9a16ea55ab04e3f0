using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout2;

public struct Rgba8
{
    public byte R, G, B, A;
}

public static class ColorSpace
{
    public static Vector3 RgbToHsv(Vector3 c)
    {
        var max = MathF.Max(c.X, MathF.Max(c.Y, c.Z));
        var min = MathF.Min(c.X, MathF.Min(c.Y, c.Z));
        var delta = max - min;
        var h = 0f;
        if (delta > 0f)
        {
            if (max == c.X) h = (c.Y - c.Z) / delta % 6f;
            else if (max == c.Y) h = (c.Z - c.X) / delta + 2f;
            else h = (c.X - c.Y) / delta + 4f;
            h *= 60f;
            if (h < 0f) h += 360f;
        }
        var s = max > 0f ? delta / max : 0f;
        return new(h, s, max);
    }

    public static Vector3 HsvToRgb(Vector3 hsv)
    {
        var (h, s, v) = (hsv.X, hsv.Y, hsv.Z);
        var c = v * s;
        var hp = h / 60f;
        var x = c * (1f - MathF.Abs(hp % 2f - 1f));
        var sector = (int)hp;
        var rgb = sector switch
        {
            0 => new Vector3(c, x, 0f),
            1 => new Vector3(x, c, 0f),
            2 => new Vector3(0f, c, x),
            3 => new Vector3(0f, x, c),
            4 => new Vector3(x, 0f, c),
            _ => new Vector3(c, 0f, x),
        };
        return rgb + new Vector3(v - c);
    }

    public static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v), 0, 255);
}

public static partial class Imaging
{
    /// <summary>RGB -> HSV -> hue rotation -> RGB.</summary>
    [Kernel]
    public static void HueShift(ThreadId id, ReadOnlySpan<Vector4> src, Span<Vector4> dst, Span<Vector4> hsvOut, float degrees)
    {
        var i = id.X;
        if (i >= src.Length) return;
        var rgba = src[i];
        var hsv = ColorSpace.RgbToHsv(new Vector3(rgba.X, rgba.Y, rgba.Z));
        hsvOut[i] = new Vector4(hsv, 0f);
        hsv.X = (hsv.X + degrees) % 360f;
        dst[i] = new Vector4(ColorSpace.HsvToRgb(hsv), rgba.W);
    }

    /// <summary>NV12 (Y plane, interleaved UV at half resolution) to RGBA8 with BT.601 integer maths.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Nv12ToRgba(ThreadId id, ReadOnlySpan<byte> luma, ReadOnlySpan<byte> chroma, Span<Rgba8> rgba, int width, int height)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height) return;
        var c = luma[y * width + x] - 16;
        var uvIndex = (y / 2) * width + (x & ~1);
        var d = chroma[uvIndex] - 128;
        var e = chroma[uvIndex + 1] - 128;
        var r = (298 * c + 409 * e + 128) >> 8;
        var g = (298 * c - 100 * d - 208 * e + 128) >> 8;
        var b = (298 * c + 516 * d + 128) >> 8;
        rgba[y * width + x] = new Rgba8 { R = (byte)Math.Clamp(r, 0, 255), G = (byte)Math.Clamp(g, 0, 255), B = (byte)Math.Clamp(b, 0, 255), A = 255 };
    }

    static void Order(ref float a, ref float b)
    {
        if (a > b) (a, b) = (b, a);
    }

    /// <summary>3x3 median with the classic 19-exchange sorting network on a stackalloc array.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Median3x3(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int width, int height)
    {
        var (x, y) = (id.X, id.Y);
        if (x >= width || y >= height) return;
        Span<float> p = stackalloc float[9];
        var n = 0;
        for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
                p[n++] = src[Math.Clamp(y + dy, 0, height - 1) * width + Math.Clamp(x + dx, 0, width - 1)];
        Order(ref p[1], ref p[2]); Order(ref p[4], ref p[5]); Order(ref p[7], ref p[8]);
        Order(ref p[0], ref p[1]); Order(ref p[3], ref p[4]); Order(ref p[6], ref p[7]);
        Order(ref p[1], ref p[2]); Order(ref p[4], ref p[5]); Order(ref p[7], ref p[8]);
        Order(ref p[0], ref p[3]); Order(ref p[5], ref p[8]); Order(ref p[4], ref p[7]);
        Order(ref p[3], ref p[6]); Order(ref p[1], ref p[4]); Order(ref p[2], ref p[5]);
        Order(ref p[4], ref p[7]); Order(ref p[4], ref p[2]); Order(ref p[6], ref p[4]);
        Order(ref p[4], ref p[2]);
        dst[y * width + x] = p[4];
    }

    /// <summary>Bilateral filter: spatial Gaussian times range Gaussian.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Bilateral(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int width, int height, int radius, float sigmaSpace, float sigmaRange)
    {
        if (id.X >= width || id.Y >= height) return;
        var center = src[id.Y * width + id.X];
        float sum = 0, norm = 0;
        var invS = -0.5f / (sigmaSpace * sigmaSpace);
        var invR = -0.5f / (sigmaRange * sigmaRange);
        for (var dy = -radius; dy <= radius; dy++)
        {
            var yy = Math.Clamp(id.Y + dy, 0, height - 1);
            for (var dx = -radius; dx <= radius; dx++)
            {
                var xx = Math.Clamp(id.X + dx, 0, width - 1);
                var v = src[yy * width + xx];
                var w = MathF.Exp((dx * dx + dy * dy) * invS + (v - center) * (v - center) * invR);
                sum += w * v;
                norm += w;
            }
        }
        dst[id.Y * width + id.X] = sum / norm;
    }

    public enum Morph { Dilate, Erode }

    /// <summary>Dilate or erode a byte mask with a square structuring element; [Specialize] chooses which.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Morphology(ThreadId id, ReadOnlySpan<byte> src, Span<byte> dst, int width, int height, [Specialize] Morph op, [Specialize] int radius)
    {
        if (id.X >= width || id.Y >= height) return;
        int acc = op == Morph.Dilate ? 0 : 255;
        for (var dy = -radius; dy <= radius; dy++)
            for (var dx = -radius; dx <= radius; dx++)
            {
                var xx = id.X + dx;
                var yy = id.Y + dy;
                if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
                var v = src[yy * width + xx];
                acc = op is Morph.Dilate ? Math.Max(acc, v) : Math.Min(acc, v);
            }
        dst[id.Y * width + id.X] = (byte)acc;
    }

    /// <summary>Integral image, pass 1: inclusive prefix sums of each row (one invocation per row).</summary>
    [Kernel(WorkgroupSize = 16)]
    public static void RowPrefix(ThreadId id, ReadOnlySpan<byte> src, Span<uint> sums, int width, int height)
    {
        var y = id.X;
        if (y >= height) return;
        var running = 0u;
        var row = sums.Slice(y * width, width);
        for (var x = 0; x < width; x++)
        {
            running += src[y * width + x];
            row[x] = running;
        }
    }

    /// <summary>Integral image, pass 2: prefix sums down each column, in place.</summary>
    [Kernel(WorkgroupSize = 16)]
    public static void ColumnPrefix(ThreadId id, Span<uint> sums, int width, int height)
    {
        var x = id.X;
        if (x >= width) return;
        for (var y = 1; y < height; y++)
            sums[y * width + x] += sums[(y - 1) * width + x];
    }

    static ReadOnlySpan<byte> Bayer4 => new byte[] { 0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5 };

    /// <summary>Ordered (Bayer 4x4) dithering of a grey image to 1 bit, packed 32 pixels a word with Interlocked.Or.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Dither(ThreadId id, ReadOnlySpan<float> gray, Span<uint> bits, int width, int height)
    {
        if (id.X >= width || id.Y >= height) return;
        var i = id.Y * width + id.X;
        var threshold = (Bayer4[(id.Y & 3) * 4 + (id.X & 3)] + 0.5f) / 16f;
        if (gray[i] > threshold)
            System.Threading.Interlocked.Or(ref bits[i >> 5], 1u << (i & 31));
    }
}

public static partial class Noise
{
    static readonly int[] Perm =
    {
        151,160,137,91,90,15,131,13,201,95,96,53,194,233,7,225,140,36,103,30,69,142,8,99,37,240,21,10,23,190,6,148,
        247,120,234,75,0,26,197,62,94,252,219,203,117,35,11,32,57,177,33,88,237,149,56,87,174,20,125,136,171,168,68,175,
        74,165,71,134,139,48,27,166,77,146,158,231,83,111,229,122,60,211,133,230,220,105,92,41,55,46,245,40,244,102,143,54,
        65,25,63,161,1,216,80,73,209,76,132,187,208,89,18,169,200,196,135,130,116,188,159,86,164,100,109,198,173,186,3,64,
        52,217,226,250,124,123,5,202,38,147,118,126,255,82,85,212,207,206,59,227,47,16,58,17,182,189,28,42,223,183,170,213,
        119,248,152,2,44,154,163,70,221,153,101,155,167,43,172,9,129,22,39,253,19,98,108,110,79,113,224,232,178,185,112,104,
        218,246,97,228,251,34,242,193,238,210,144,12,191,179,162,241,81,51,145,235,249,14,239,107,49,192,214,31,181,199,106,157,
        184,84,204,176,115,121,50,45,127,4,150,254,138,236,205,93,222,114,67,29,24,72,243,141,128,195,78,66,215,61,156,180,
    };

    static int P(int i) => Perm[i & 255];
    static float Fade(float t) => t * t * t * (t * (t * 6f - 15f) + 10f);

    static float Grad(int hash, float x, float y) => (hash & 7) switch
    {
        0 => x + y,
        1 => -x + y,
        2 => x - y,
        3 => -x - y,
        4 => x,
        5 => -x,
        6 => y,
        _ => -y,
    };

    public static float Perlin(float x, float y)
    {
        var xi = (int)MathF.Floor(x);
        var yi = (int)MathF.Floor(y);
        var xf = x - xi;
        var yf = y - yi;
        var u = Fade(xf);
        var v = Fade(yf);
        var aa = P(P(xi) + yi);
        var ab = P(P(xi) + yi + 1);
        var ba = P(P(xi + 1) + yi);
        var bb = P(P(xi + 1) + yi + 1);
        var x1 = float.Lerp(Grad(aa, xf, yf), Grad(ba, xf - 1, yf), u);
        var x2 = float.Lerp(Grad(ab, xf, yf - 1), Grad(bb, xf - 1, yf - 1), u);
        return float.Lerp(x1, x2, v);
    }

    /// <summary>Fractal Perlin noise (fBm) with a [Specialize]d octave count.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Fbm(ThreadId id, Span<float> dst, int width, int height, float scale, [Specialize] int octaves)
    {
        if (id.X >= width || id.Y >= height) return;
        float sum = 0, amp = 0.5f, freq = 1;
        for (var o = 0; o < octaves; o++)
        {
            sum += amp * Perlin(id.X * scale * freq, id.Y * scale * freq);
            amp *= 0.5f;
            freq *= 2f;
        }
        dst[id.Y * width + id.X] = sum;
    }

    /// <summary>Voronoi: nearest and second-nearest seed distances and the nearest seed's index.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Voronoi(ThreadId id, ReadOnlySpan<Vector2> seeds, Span<Vector2> distances, Span<int> cell, int width, int height)
    {
        if (id.X >= width || id.Y >= height) return;
        var p = new Vector2(id.X, id.Y) / new Vector2(width, height);
        float f1 = float.MaxValue, f2 = float.MaxValue;
        var nearest = -1;
        for (var s = 0; s < seeds.Length; s++)
        {
            var d = Vector2.Distance(p, seeds[s]);
            if (d < f1) { f2 = f1; f1 = d; nearest = s; }
            else if (d < f2) f2 = d;
        }
        var i = id.Y * width + id.X;
        distances[i] = new(f1, f2);
        cell[i] = nearest;
    }
}
