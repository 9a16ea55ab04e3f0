// Tryout: image kernels written the way ComputeSharp / WebGPU-tutorial users write them first.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Runtime.Tests.Tryout;

public enum ThresholdMode { Binary, Inverse, Truncate, ToZero }

/// <summary>A pixel as users write one: a struct with helpers over packed RGBA (R in the low byte).</summary>
public struct Rgba
{
    public float R;
    public float G;
    public float B;
    public float A;

    public Rgba(float r, float g, float b, float a) { R = r; G = g; B = b; A = a; }

    public static Rgba Unpack(uint p) => new(p & 0xFF, (p >> 8) & 0xFF, (p >> 16) & 0xFF, p >> 24);

    public static uint Pack(Rgba c) => ToByte(c.R) | (ToByte(c.G) << 8) | (ToByte(c.B) << 16) | (ToByte(c.A) << 24);

    public static float Luma(Rgba c) => 0.299f * c.R + 0.587f * c.G + 0.114f * c.B;

    private static uint ToByte(float v) => (uint)Math.Clamp(MathF.Round(v), 0f, 255f);
}

public static class ImageMath
{
    public const float Inv255 = 1f / 255f;

    public static int ClampIndex(int v, int max) => v < 0 ? 0 : v >= max ? max - 1 : v;

    public static float Smoothstep(float e0, float e1, float x)
    {
        var t = Math.Clamp((x - e0) / (e1 - e0), 0f, 1f);
        return t * t * (3f - 2f * t);
    }
}

public static partial class TryoutImage
{
    private const int Radius = 1;

    /// <summary>3x3 box blur with clamped edges.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void BoxBlur(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int width, int height)
    {
        var x = id.X;
        var y = id.Y;
        if (x >= width || y >= height) return;
        var sum = 0f;
        for (var dy = -Radius; dy <= Radius; dy++)
        {
            for (var dx = -Radius; dx <= Radius; dx++)
            {
                var sx = Math.Clamp(x + dx, 0, width - 1);
                var sy = Math.Clamp(y + dy, 0, height - 1);
                sum += src[sy * width + sx];
            }
        }
        dst[y * width + x] = sum / 9f;
    }

    /// <summary>Sobel magnitude with the kernels as lookup-table properties.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Sobel(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int width, int height)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height)
            return;
        ReadOnlySpan<int> SobelX = stackalloc int[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 };
        int[] SobelY = { -1, -2, -1, 0, 0, 0, 1, 2, 1 };
        float gx = 0, gy = 0;
        for (int k = 0; k < 9; k++)
        {
            int sx = ImageMath.ClampIndex(x + k % 3 - 1, width);
            int sy = ImageMath.ClampIndex(y + k / 3 - 1, height);
            float v = src[sy * width + sx];
            gx += SobelX[k] * v;
            gy += SobelY[k] * v;
        }
        dst[y * width + x] = MathF.Sqrt(gx * gx + gy * gy);
    }

    /// <summary>Gamma on packed RGBA: bytes out by shifts, MathF.Pow, packed back; alpha kept.</summary>
    [Kernel]
    public static void Gamma(ThreadId id, ReadOnlySpan<uint> src, Span<uint> dst, float gamma)
    {
        int i = id.X;
        if (i >= src.Length) return;
        uint p = src[i];
        uint result = p & 0xFF000000u;
        for (int c = 0; c < 3; c++)
        {
            int shift = c * 8;
            float v = ((p >> shift) & 0xFFu) * ImageMath.Inv255;
            float g = MathF.Pow(v, 1f / gamma);
            uint b = (uint)(g * 255f + 0.5f);
            if (b > 255) b = 255;
            result |= b << shift;
        }
        dst[i] = result;
    }

    /// <summary>Sepia through the Rgba struct and a static readonly matrix.</summary>
    [Kernel]
    public static void Sepia(ThreadId id, ReadOnlySpan<uint> src, Span<uint> dst)
    {
        var i = id.X;
        if (i >= dst.Length) return;
        var c = Rgba.Unpack(src[i]);
        float[] m = { 0.393f, 0.769f, 0.189f, 0.349f, 0.686f, 0.168f, 0.272f, 0.534f, 0.131f };
        var o = new Rgba(
            c.R * m[0] + c.G * m[1] + c.B * m[2],
            c.R * m[3] + c.G * m[4] + c.B * m[5],
            c.R * m[6] + c.G * m[7] + c.B * m[8],
            c.A);
        dst[i] = Rgba.Pack(o);
    }

    /// <summary>Grayscale through a struct property.</summary>
    [Kernel]
    public static void Grayscale(ThreadId id, ReadOnlySpan<uint> src, Span<float> dst)
    {
        if (id.X < src.Length)
            dst[id.X] = Rgba.Luma(Rgba.Unpack(src[id.X])) * ImageMath.Inv255;
    }

    /// <summary>Bilinear resize (align corners = false).</summary>
    [Kernel(WorkgroupSize = 16, WorkgroupSizeY = 16)]
    public static void Resize(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int srcW, int srcH, int dstW, int dstH)
    {
        int x = id.X, y = id.Y;
        if (x >= dstW || y >= dstH) return;
        float fx = (x + 0.5f) * srcW / dstW - 0.5f;
        float fy = (y + 0.5f) * srcH / dstH - 0.5f;
        int x0 = (int)MathF.Floor(fx), y0 = (int)MathF.Floor(fy);
        float tx = fx - x0, ty = fy - y0;
        int x1 = Math.Min(x0 + 1, srcW - 1), y1 = Math.Min(y0 + 1, srcH - 1);
        x0 = Math.Max(x0, 0);
        y0 = Math.Max(y0, 0);
        float top = src[y0 * srcW + x0] * (1 - tx) + src[y0 * srcW + x1] * tx;
        float bottom = src[y1 * srcW + x0] * (1 - tx) + src[y1 * srcW + x1] * tx;
        dst[y * dstW + x] = top + (bottom - top) * ty;
    }

    /// <summary>Separable 5-tap Gaussian along rows with a weights table.</summary>
    [Kernel]
    public static void GaussRow(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int width)
    {
        int i = id.X;
        if (i >= src.Length) return;
        int row = i / width, col = i % width;
        Span<float> Gauss5 = [0.0625f, 0.25f, 0.375f, 0.25f, 0.0625f];
        float acc = 0f;
        for (int t = -2; t <= 2; t++)
        {
            int c = Math.Clamp(col + t, 0, width - 1);
            acc += Gauss5[t + 2] * src[row * width + c];
        }
        dst[i] = acc;
    }

    /// <summary>Threshold modes, OpenCV-style, with a switch statement that falls out by break.</summary>
    [Kernel]
    public static void Threshold(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, float thresh, float maxValue, ThresholdMode mode)
    {
        int i = id.X;
        if (i >= src.Length) return;
        float v = src[i];
        float r;
        switch (mode)
        {
            case ThresholdMode.Binary:
                r = v > thresh ? maxValue : 0f;
                break;
            case ThresholdMode.Inverse:
                r = v > thresh ? 0f : maxValue;
                break;
            case ThresholdMode.Truncate:
                r = MathF.Min(v, thresh);
                break;
            default:
                r = v > thresh ? v : 0;
                break;
        }
        dst[i] = r;
    }

    /// <summary>Vignette with a smoothstep helper in another static class, Vector2 math and Vector4 clamp.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Vignette(ThreadId id, ReadOnlySpan<Vector4> src, Span<Vector4> dst, int width, int height, float strength)
    {
        if (id.X >= width || id.Y >= height) return;
        var uv = new Vector2((id.X + 0.5f) / width, (id.Y + 0.5f) / height);
        var d = Vector2.Distance(uv, new Vector2(0.5f));
        var k = 1f - strength * ImageMath.Smoothstep(0.3f, 0.75f, d);
        var idx = id.Y * width + id.X;
        var c = src[idx];
        dst[idx] = Vector4.Clamp(new Vector4(c.X * k, c.Y * k, c.Z * k, c.W), Vector4.Zero, Vector4.One);
    }
}
