// Corpus: bit reinterpretation (Unsafe.BitCast/As, Half bits), WGSL's pack/unpack built-ins (KernelGen.Pack), rotations.
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Packing
{
    /// <summary>Unsafe.BitCast and Unsafe.As (read as a value) between float, int and uint, on locals and buffer elements.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void Reinterpret(ThreadId id, ReadOnlySpan<float> x, Span<uint> bits, Span<int> signedBits, Span<float> back)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = x[i];
        bits[i] = Unsafe.BitCast<float, uint>(v);
        back[i] = Unsafe.BitCast<uint, float>(bits[i] ^ 0x80000000u); // -v, bit for bit
        signedBits[i] = Unsafe.As<float, int>(ref v) ^ Unsafe.As<float, int>(ref back[i]) ^ Unsafe.BitCast<uint, int>(bits[i] & 0xffu);
    }

    /// <summary>Every normalised and float pack/unpack, applied to vectors and to raw words.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void PackUnpack(ThreadId id, ReadOnlySpan<Vector4> v, ReadOnlySpan<uint> words, Span<uint> packed, Span<Vector4> unpacked4, Span<Vector2> unpacked2)
    {
        int i = id.X;
        if (i >= v.Length)
            return;
        Vector4 e = v[i];
        Vector2 low = new Vector2(e.X, e.Y);
        packed[5 * i] = Pack.Pack4x8Snorm(e);
        packed[5 * i + 1] = Pack.Pack4x8Unorm(e);
        packed[5 * i + 2] = Pack.Pack2x16Snorm(low);
        packed[5 * i + 3] = Pack.Pack2x16Unorm(new Vector2(e.Z, e.W));
        packed[5 * i + 4] = Pack.Pack2x16Float(low * 1000f);
        uint w = words[i];
        unpacked4[2 * i] = Pack.Unpack4x8Snorm(w);
        unpacked4[2 * i + 1] = Pack.Unpack4x8Unorm(w);
        unpacked2[3 * i] = Pack.Unpack2x16Snorm(w);
        unpacked2[3 * i + 1] = Pack.Unpack2x16Unorm(w);
        unpacked2[3 * i + 2] = Pack.Unpack2x16Float(w & 0x7bff7bffu); // finite halves only
    }

    /// <summary>Packing four integers into bytes (wrapping and clamping) and taking bytes back out.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void PackBytes(ThreadId id, ReadOnlySpan<int> x, Span<uint> packed, Span<int> lanes)
    {
        int i = id.X;
        if (4 * i + 3 >= x.Length)
            return;
        int a = x[4 * i], b = x[4 * i + 1], c = x[4 * i + 2], d = x[4 * i + 3];
        packed[4 * i] = Pack.Pack4xI8(a, b, c, d);
        packed[4 * i + 1] = Pack.Pack4xU8((uint)a, (uint)b, (uint)c, (uint)d);
        packed[4 * i + 2] = Pack.Pack4xI8Clamp(a, b, c, d);
        packed[4 * i + 3] = Pack.Pack4xU8Clamp((uint)a, (uint)b, (uint)c, (uint)d);
        for (int lane = 0; lane < 4; lane++)
            lanes[8 * i + lane] = Pack.Unpack4xI8(packed[4 * i], lane) + (int)Pack.Unpack4xU8(packed[4 * i + 1], lane + 4) * 1000;
        lanes[8 * i + 4] = Pack.Unpack4xI8((uint)a, b);
        lanes[8 * i + 5] = (int)Pack.Unpack4xU8((uint)c, d);
        lanes[8 * i + 6] = 0;
        lanes[8 * i + 7] = 0;
    }

    /// <summary>BitOperations: rotations by any count, Log2, IsPow2 (int and uint) and RoundUpToPowerOf2.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void BitOps(ThreadId id, ReadOnlySpan<uint> x, ReadOnlySpan<int> n, Span<uint> output)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        uint v = x[i];
        output[6 * i] = BitOperations.RotateLeft(v, n[i]);
        output[6 * i + 1] = BitOperations.RotateRight(x[i] + 1u, n[i] - 3);
        output[6 * i + 2] = (uint)BitOperations.Log2(v >> (i & 31));
        output[6 * i + 3] = (BitOperations.IsPow2(v >> (i & 31)) ? 1u : 0u) | (BitOperations.IsPow2((int)v >> (i & 31)) ? 2u : 0u);
        output[6 * i + 4] = BitOperations.RoundUpToPowerOf2(v >> (i & 31));
        output[6 * i + 5] = (uint)BitOperations.Log2(BitOperations.RotateLeft(v, 7) | 1u);
    }

    /// <summary>Half bits through int and uint (WGSL has no 16-bit integers): BitConverter's Half forms.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void HalfBits(ThreadId id, ReadOnlySpan<Half> h, Span<int> bits, Span<Half> back)
    {
        int i = id.X;
        if (i >= h.Length)
            return;
        int signedBits = BitConverter.HalfToInt16Bits(h[i]);
        uint unsignedBits = BitConverter.HalfToUInt16Bits(h[i]);
        bits[2 * i] = signedBits;
        bits[2 * i + 1] = (int)unsignedBits + (int)(uint)BitConverter.HalfToInt16Bits(h[i]) * 0;
        back[2 * i] = BitConverter.UInt16BitsToHalf((ushort)(unsignedBits ^ 0x8000u));
        back[2 * i + 1] = BitConverter.Int16BitsToHalf((short)(signedBits + 1));
    }
}
