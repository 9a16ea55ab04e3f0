// Corpus: lookup tables as users declare them (static readonly arrays, ReadOnlySpan properties of this or another class).
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static class TableFilters
{
    public static readonly float[] Sepia = { 0.393f, 0.769f, 0.189f, 0.349f, 0.686f, 0.168f, 0.272f, 0.534f, 0.131f };

    public static ReadOnlySpan<int> SobelX => new int[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 };

    public static ReadOnlySpan<int> SobelY => [-1, -2, -1, 0, 0, 0, 1, 2, 1];

    /// <summary>A helper that reads a table of another class.</summary>
    public static float Tap(ReadOnlySpan<float> src, int i) => src[i] * Gauss5[2];

    public static ReadOnlySpan<float> Gauss5 => new[] { 0.0625f, 0.25f, 0.375f, 0.25f, 0.0625f };
}

public static partial class LookupTables
{
    private static readonly Vector2[] Offsets = { new(-1f, 0f), new(1f, 0f), new(0f, -1f), new(0f, 1f) };
    private static readonly uint[] Masks = { 0xFFu, 0xFF00u, 0xFF0000u, 0xFF000000u };

    private static ReadOnlySpan<float> Weights
    {
        get { return new float[] { 0.5f, -0.25f, 2f }; }
    }

    /// <summary>Sobel magnitude with the kernels as ReadOnlySpan properties of another class.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Sobel(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, int width, int height)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height) return;
        float gx = 0, gy = 0;
        for (int k = 0; k < TableFilters.SobelX.Length; k++)
        {
            int sx = Math.Clamp(x + k % 3 - 1, 0, width - 1);
            int sy = Math.Clamp(y + k / 3 - 1, 0, height - 1);
            float v = src[sy * width + sx];
            gx += TableFilters.SobelX[k] * v;
            gy += TableFilters.SobelY[k] * v;
        }
        dst[y * width + x] = MathF.Sqrt(gx * gx + gy * gy);
    }

    /// <summary>Sepia with a static readonly matrix, indexed directly.</summary>
    [Kernel]
    public static void Sepia(ThreadId id, ReadOnlySpan<uint> src, Span<uint> dst)
    {
        var i = id.X;
        if (i >= dst.Length) return;
        uint p = src[i];
        float r = p & 0xFF, g = (p >> 8) & 0xFF, b = (p >> 16) & 0xFF;
        uint result = p & 0xFF000000u;
        for (int row = 0; row < 3; row++)
        {
            float v = r * TableFilters.Sepia[3 * row] + g * TableFilters.Sepia[3 * row + 1] + b * TableFilters.Sepia[3 * row + 2];
            result |= (uint)Math.Clamp(MathF.Round(v), 0f, 255f) << (8 * row);
        }
        dst[i] = result;
    }

    /// <summary>foreach over tables, a vector table, a uint table and a getter-bodied property; a helper reads a table too.</summary>
    [Kernel]
    public static void Mixed(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, ReadOnlySpan<uint> packed, Span<uint> bytes)
    {
        int i = id.X;
        if (i >= dst.Length) return;
        float acc = 0f;
        int t = 0;
        foreach (var w in Weights)
        {
            acc += w * src[(i + t) % src.Length];
            t++;
        }
        var p = Vector2.Zero;
        foreach (var o in Offsets)
            p += o * src[i];
        acc += p.X - p.Y + TableFilters.Tap(src, i);
        dst[i] = acc;
        uint sum = 0;
        for (int m = 0; m < Masks.Length; m++)
            sum += (packed[i] & Masks[m]) >> (8 * m);
        bytes[i] = sum;
    }

    /// <summary>A barrier kernel (the CPU's phased form) that reads a table: 5-tap blur of a workgroup tile.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void TileBlur(ThreadId id, LocalId lid, ReadOnlySpan<float> src, Span<float> dst, [GroupShared(68)] Span<float> tile)
    {
        int i = id.X, l = lid.X;
        tile[l + 2] = i < src.Length ? src[i] : 0f;
        if (l < 2)
        {
            tile[l] = i >= 2 && i - 2 < src.Length ? src[i - 2] : 0f;
            tile[l + 66] = i + 64 < src.Length ? src[i + 64] : 0f;
        }
        Workgroup.Barrier();
        float acc = 0f;
        float Gauss5 = 0f; // a local named as the table: renamed, so that it cannot hide the table
        for (int k = 0; k < 5; k++)
        {
            Gauss5 += TableFilters.Gauss5[k];
            acc += TableFilters.Gauss5[k] * tile[l + k];
        }
        acc /= Gauss5;
        if (i < dst.Length) dst[i] = acc;
    }
}
