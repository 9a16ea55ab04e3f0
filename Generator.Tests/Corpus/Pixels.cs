// Corpus: small fields in C#'s byte layout. Pixel structs of byte fields (4-byte Rgba32, 3-byte Bgr24), Span<byte>,
// <sbyte>, <ushort>, <short> buffers, a Pack = 1 struct whose float straddles two words, structs with Vector3 and
// Vector2 fields after a float (C# packs them; WGSL would align them), nested structs, byte/short uniforms and
// locals with C#'s truncating conversions. Buffers are bound as their 32-bit words; stores that cover part of a
// word clear and set just their bits with atomics, so invocations writing neighbouring bytes keep each other's.
using System;
using System.Numerics;
using System.Runtime.InteropServices;
using KernelGen;

namespace KernelGen.Corpus;

public struct Rgba32
{
    public byte R, G, B, A;

    public Rgba32(byte r, byte g, byte b, byte a)
    {
        R = r;
        G = g;
        B = b;
        A = a;
    }
}

public struct Bgr24
{
    public byte B, G, R;
}

public struct Body
{
    public Vector3 Pos;
    public float Mass;
    public Vector3 Vel;
}

public struct Marker
{
    public float Weight;
    public Vector2 At;
}

public struct Sprite
{
    public Vector2 Pos;
    public Rgba32 Tint;
    public ushort Frame;
}

[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct Tagged
{
    public byte Tag;
    public float Value;
    public ushort Count;
}

public struct Levels
{
    public byte Threshold;
    public sbyte Bias;
    public short Scale;
}

public static partial class Pixels
{
    /// <summary>Rec. 601 luma, in integers: each pixel read whole and written whole through a constructor.</summary>
    [Kernel]
    public static void Grayscale(ThreadId id, ReadOnlySpan<Rgba32> src, Span<Rgba32> dst)
    {
        int i = id.X;
        if (i >= src.Length)
            return;
        Rgba32 p = src[i];
        byte y = (byte)((p.R * 77 + p.G * 150 + p.B * 29) >> 8);
        dst[i] = new Rgba32(y, y, y, p.A);
    }

    /// <summary>In place, field by field: assignment, compound assignment, ~ and ++ on byte fields.</summary>
    [Kernel]
    public static void Invert(ThreadId id, Span<Rgba32> pixels)
    {
        int i = id.X;
        if (i >= pixels.Length)
            return;
        pixels[i].R = (byte)(255 - pixels[i].R);
        pixels[i].G ^= 0xFF;
        pixels[i].B = (byte)~pixels[i].B;
        pixels[i].A++;
    }

    /// <summary>3x3 box blur with clamped edges over a width x height image.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void BoxBlur(ThreadId id, ReadOnlySpan<Rgba32> src, Span<Rgba32> dst, int width, int height)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height)
            return;
        int r = 0, g = 0, b = 0, a = 0;
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                int sx = Math.Clamp(x + dx, 0, width - 1);
                int sy = Math.Clamp(y + dy, 0, height - 1);
                Rgba32 p = src[sy * width + sx];
                r += p.R;
                g += p.G;
                b += p.B;
                a += p.A;
            }
        }
        dst[y * width + x] = new Rgba32((byte)(r / 9), (byte)(g / 9), (byte)(b / 9), (byte)(a / 9));
    }

    /// <summary>3-byte pixels: elements straddle words, each store touches bytes its neighbours write at the same time.</summary>
    [Kernel]
    public static void Brighten(ThreadId id, Span<Bgr24> pixels, int count, int amount)
    {
        int i = id.X;
        if (i >= count)
            return;
        pixels[i].R = (byte)Math.Min(pixels[i].R + amount, 255);
        pixels[i].G += (byte)amount;
        pixels[i].B--;
    }

    /// <summary>Bgr24 to Rgba32, and whole 3-byte element stores back.</summary>
    [Kernel]
    public static void Swizzle(ThreadId id, ReadOnlySpan<Bgr24> src, Span<Rgba32> rgba, Span<Bgr24> copy, int count)
    {
        int i = id.X;
        if (i >= count)
            return;
        Bgr24 p = src[i];
        rgba[i] = new Rgba32(p.R, p.G, p.B, 255);
        Bgr24 q;
        q.B = p.R;
        q.G = p.G;
        q.R = p.B;
        copy[i] = q;
    }

    /// <summary>Span&lt;byte&gt;, &lt;sbyte&gt;, &lt;ushort&gt;, &lt;short&gt; and narrow locals: C#'s truncating and saturating conversions.</summary>
    [Kernel]
    public static void Narrow(ThreadId id, ReadOnlySpan<int> x, ReadOnlySpan<float> f, Span<byte> b, Span<sbyte> sb, Span<ushort> us, Span<short> s, Span<int> back, int count)
    {
        int i = id.X;
        if (i >= count)
            return;
        b[i] = (byte)(x[i] + 300);
        sb[i] = (sbyte)x[i];
        us[i] = (ushort)(x[i] * 1000);
        s[i] = (short)(x[i] * 1000);
        byte t = (byte)x[i];
        t += 200;
        t++;
        sbyte u = (sbyte)(t - 3);
        u--;
        short w = (short)(u * 300);
        w <<= 4;
        b[i] += t;
        sb[i] ^= u;
        s[i] -= w;
        us[i]++;
        back[4 * i] = t + u + w + b[i] + sb[i] + us[i] + s[i];
        back[4 * i + 1] = (byte)f[i] + (sbyte)f[i] * 1000;
        back[4 * i + 2] = (ushort)f[i] + (short)(f[i] * 100f);
        back[4 * i + 3] = (uint)(byte)-x[i] == 0u ? -1 : (ushort)(sbyte)x[i];
    }

    /// <summary>Vector3 after a float: 28-byte C# elements, whole reads, whole writes and field updates.</summary>
    [Kernel]
    public static void Step(ThreadId id, Span<Body> bodies, Vector3 gravity, float dt)
    {
        int i = id.X;
        if (i >= bodies.Length)
            return;
        bodies[i].Vel += gravity * dt;
        bodies[i].Pos += bodies[i].Vel * dt;
        bodies[i].Mass *= 0.5f;
        Body p = bodies[i];
        p.Pos.Y = MathF.Max(p.Pos.Y, 0f);
        bodies[i] = p;
        bodies[i].Vel.Z = bodies[i].Mass;
    }

    /// <summary>Vector2 after a float (at byte 4 in C#, 8 in WGSL), and a nested struct of bytes with a ushort after it.</summary>
    [Kernel]
    public static void Animate(ThreadId id, Span<Marker> markers, Span<Sprite> sprites)
    {
        int i = id.X;
        if (i < markers.Length)
            markers[i].At += new Vector2(markers[i].Weight, 1f);
        if (i < sprites.Length)
        {
            sprites[i].Frame++;
            sprites[i].Tint.A = (byte)(sprites[i].Tint.A / 2);
            sprites[i].Pos[1] += sprites[i].Tint.R;
            Rgba32 tint = sprites[i].Tint;
            tint.G = tint.B;
            sprites[i].Tint = tint;
        }
    }

    /// <summary>[StructLayout(Pack = 1)]: a 7-byte element whose float sits at byte 1 (straddling words).</summary>
    [Kernel]
    public static void Repack(ThreadId id, Span<Tagged> items, int count)
    {
        int i = id.X;
        if (i >= count)
            return;
        items[i].Value *= 2f;
        items[i].Count += 1;
        items[i].Tag = (byte)(i + items[i].Tag);
    }

    /// <summary>byte, sbyte and short in the uniform block (widened by the stub) and in a struct uniform.</summary>
    [Kernel]
    public static void Threshold(ThreadId id, ReadOnlySpan<byte> src, Span<short> dst, Levels levels, byte fill, int count)
    {
        int i = id.X;
        if (i >= count)
            return;
        dst[i] = src[i] >= levels.Threshold ? (short)(src[i] * levels.Scale + levels.Bias) : fill;
    }

    /// <summary>
    /// Narrow values in every position: a helper taking and returning bytes and a pixel buffer, a per-invocation
    /// byte array, a [GroupShared] ushort array across a barrier, a switch on a byte, and a helper reading Length.
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Positions(ThreadId id, LocalId local, Span<Rgba32> pixels, Span<int> results, [GroupShared(64)] Span<ushort> tile)
    {
        int i = id.X;
        int n = Count(pixels);
        Rgba32 p = i < n ? pixels[i] : new Rgba32(1, 2, 3, 4);
        byte top = 0, alpha;
        {
            // A span local may not live across a barrier in the CPU's phased form: this one ends before it.
            Span<byte> lanes = stackalloc byte[4];
            lanes[0] = p.R;
            lanes[1] = p.G;
            lanes[2] = p.B;
            lanes[3] = p.A;
            for (int k = 0; k < 4; k++)
                top = Max(top, lanes[k]);
            alpha = lanes[3];
        }
        tile[local.X] = (ushort)(top * 300);
        Workgroup.Barrier();
        ushort neighbour = tile[(local.X + 1) % 64];
        int kind = top switch
        {
            0 => 10,
            < 128 => 20,
            255 => 30,
            _ => 40,
        };
        if (i < n)
        {
            Tint(pixels, i, top);
            results[2 * i] = neighbour;
            results[2 * i + 1] = kind + alpha;
        }
    }

    private static byte Max(byte a, byte b) => a > b ? a : b;

    private static int Count(Span<Rgba32> pixels) => pixels.Length;

    private static void Tint(Span<Rgba32> pixels, int i, byte top)
    {
        pixels[i].A = (byte)(top + 1);
        pixels[i].R -= 1;
    }
}
