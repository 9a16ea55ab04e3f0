using System.Numerics;

namespace KernelGen;

/// <summary>
/// WGSL's data packing built-ins for kernels (<c>pack4x8snorm</c>, <c>unpack2x16float</c>, <c>pack4xI8</c>, ...): in a
/// kernel each call becomes the built-in; on the CPU backend it computes what the WGSL specification defines, bit for
/// bit: normalised values are clamped, scaled and rounded as <c>floor(0.5 + scale * clamp(e))</c>, and component
/// <c>i</c> sits in bits <c>8i</c> (or <c>16i</c>) up. (GPUs implement these with their own pack instructions, which
/// may round an exact tie such as <c>127 * e == k + 0.5</c> to even instead; WGSL leaves the f16 conversion of values
/// outside f16's finite range undefined, where the CPU gives infinity.)
/// </summary>
public static class Pack
{
    /// <summary>WGSL <c>pack4x8snorm</c>: each component clamped to [-1, 1], scaled by 127 and rounded into a signed byte.</summary>
    /// <param name="value">The four components (X in the low byte).</param>
    /// <returns>The packed bytes.</returns>
    public static uint Pack4x8Snorm(Vector4 value)
        => Snorm8(value.X) | Snorm8(value.Y) << 8 | Snorm8(value.Z) << 16 | Snorm8(value.W) << 24;

    /// <summary>WGSL <c>pack4x8unorm</c>: each component clamped to [0, 1], scaled by 255 and rounded into a byte.</summary>
    /// <param name="value">The four components (X in the low byte).</param>
    /// <returns>The packed bytes.</returns>
    public static uint Pack4x8Unorm(Vector4 value)
        => Unorm8(value.X) | Unorm8(value.Y) << 8 | Unorm8(value.Z) << 16 | Unorm8(value.W) << 24;

    /// <summary>WGSL <c>pack2x16snorm</c>: each component clamped to [-1, 1], scaled by 32767 and rounded into a signed 16-bit integer.</summary>
    /// <param name="value">The two components (X in the low half).</param>
    /// <returns>The packed halves.</returns>
    public static uint Pack2x16Snorm(Vector2 value) => Snorm16(value.X) | Snorm16(value.Y) << 16;

    /// <summary>WGSL <c>pack2x16unorm</c>: each component clamped to [0, 1], scaled by 65535 and rounded into 16 bits.</summary>
    /// <param name="value">The two components (X in the low half).</param>
    /// <returns>The packed halves.</returns>
    public static uint Pack2x16Unorm(Vector2 value) => Unorm16(value.X) | Unorm16(value.Y) << 16;

    /// <summary>WGSL <c>pack2x16float</c>: each component converted to a binary16 (rounded to nearest even).</summary>
    /// <param name="value">The two components (X in the low half).</param>
    /// <returns>The two halves' bits.</returns>
    public static uint Pack2x16Float(Vector2 value)
        => System.BitConverter.HalfToUInt16Bits((System.Half)value.X) | (uint)System.BitConverter.HalfToUInt16Bits((System.Half)value.Y) << 16;

    /// <summary>WGSL <c>unpack4x8snorm</c>: each signed byte <c>v</c> as <c>max(v / 127, -1)</c>.</summary>
    /// <param name="packed">Four signed bytes (X in the low byte).</param>
    /// <returns>The four components.</returns>
    public static Vector4 Unpack4x8Snorm(uint packed)
        => new(FromSnorm8(packed), FromSnorm8(packed >> 8), FromSnorm8(packed >> 16), FromSnorm8(packed >> 24));

    /// <summary>WGSL <c>unpack4x8unorm</c>: each byte <c>v</c> as <c>v / 255</c>.</summary>
    /// <param name="packed">Four bytes (X in the low byte).</param>
    /// <returns>The four components.</returns>
    public static Vector4 Unpack4x8Unorm(uint packed)
        => new((packed & 0xff) / 255f, (packed >> 8 & 0xff) / 255f, (packed >> 16 & 0xff) / 255f, (packed >> 24) / 255f);

    /// <summary>WGSL <c>unpack2x16snorm</c>: each signed 16-bit <c>v</c> as <c>max(v / 32767, -1)</c>.</summary>
    /// <param name="packed">Two signed 16-bit integers (X in the low half).</param>
    /// <returns>The two components.</returns>
    public static Vector2 Unpack2x16Snorm(uint packed)
        => new(System.MathF.Max((short)packed / 32767f, -1f), System.MathF.Max((short)(packed >> 16) / 32767f, -1f));

    /// <summary>WGSL <c>unpack2x16unorm</c>: each 16-bit <c>v</c> as <c>v / 65535</c>.</summary>
    /// <param name="packed">Two 16-bit integers (X in the low half).</param>
    /// <returns>The two components.</returns>
    public static Vector2 Unpack2x16Unorm(uint packed) => new((packed & 0xffff) / 65535f, (packed >> 16) / 65535f);

    /// <summary>WGSL <c>unpack2x16float</c>: each binary16 as a float (exact).</summary>
    /// <param name="packed">Two halves' bits (X in the low half).</param>
    /// <returns>The two components.</returns>
    public static Vector2 Unpack2x16Float(uint packed)
        => new((float)System.BitConverter.UInt16BitsToHalf((ushort)packed), (float)System.BitConverter.UInt16BitsToHalf((ushort)(packed >> 16)));

    /// <summary>WGSL <c>pack4xI8(vec4&lt;i32&gt;(x, y, z, w))</c>: the low byte of each (X in the low byte).</summary>
    /// <param name="x">Byte 0.</param>
    /// <param name="y">Byte 1.</param>
    /// <param name="z">Byte 2.</param>
    /// <param name="w">Byte 3.</param>
    /// <returns>The packed bytes.</returns>
    public static uint Pack4xI8(int x, int y, int z, int w)
        => ((uint)x & 0xff) | ((uint)y & 0xff) << 8 | ((uint)z & 0xff) << 16 | (uint)w << 24;

    /// <summary>WGSL <c>pack4xU8(vec4&lt;u32&gt;(x, y, z, w))</c>: the low byte of each (X in the low byte).</summary>
    /// <param name="x">Byte 0.</param>
    /// <param name="y">Byte 1.</param>
    /// <param name="z">Byte 2.</param>
    /// <param name="w">Byte 3.</param>
    /// <returns>The packed bytes.</returns>
    public static uint Pack4xU8(uint x, uint y, uint z, uint w) => (x & 0xff) | (y & 0xff) << 8 | (z & 0xff) << 16 | w << 24;

    /// <summary>WGSL <c>pack4xI8Clamp</c>: each clamped to [-128, 127] first.</summary>
    /// <param name="x">Byte 0.</param>
    /// <param name="y">Byte 1.</param>
    /// <param name="z">Byte 2.</param>
    /// <param name="w">Byte 3.</param>
    /// <returns>The packed bytes.</returns>
    public static uint Pack4xI8Clamp(int x, int y, int z, int w)
        => Pack4xI8(System.Math.Clamp(x, -128, 127), System.Math.Clamp(y, -128, 127), System.Math.Clamp(z, -128, 127), System.Math.Clamp(w, -128, 127));

    /// <summary>WGSL <c>pack4xU8Clamp</c>: each clamped to [0, 255] first.</summary>
    /// <param name="x">Byte 0.</param>
    /// <param name="y">Byte 1.</param>
    /// <param name="z">Byte 2.</param>
    /// <param name="w">Byte 3.</param>
    /// <returns>The packed bytes.</returns>
    public static uint Pack4xU8Clamp(uint x, uint y, uint z, uint w)
        => Pack4xU8(System.Math.Min(x, 255u), System.Math.Min(y, 255u), System.Math.Min(z, 255u), System.Math.Min(w, 255u));

    /// <summary>WGSL <c>unpack4xI8(packed)[lane]</c>: byte <paramref name="lane"/> (taken modulo 4) sign-extended.</summary>
    /// <param name="packed">Four signed bytes.</param>
    /// <param name="lane">Which byte: 0 is the low one (only its two low bits count).</param>
    /// <returns>The byte as an int.</returns>
    public static int Unpack4xI8(uint packed, int lane) => (sbyte)(packed >> ((lane & 3) * 8));

    /// <summary>WGSL <c>unpack4xU8(packed)[lane]</c>: byte <paramref name="lane"/> (taken modulo 4).</summary>
    /// <param name="packed">Four bytes.</param>
    /// <param name="lane">Which byte: 0 is the low one (only its two low bits count).</param>
    /// <returns>The byte as a uint.</returns>
    public static uint Unpack4xU8(uint packed, int lane) => packed >> ((lane & 3) * 8) & 0xff;

    private static uint Snorm8(float e) => (uint)(int)System.MathF.Floor(0.5f + 127f * System.Math.Clamp(e, -1f, 1f)) & 0xff;

    private static uint Unorm8(float e) => (uint)System.MathF.Floor(0.5f + 255f * System.Math.Clamp(e, 0f, 1f));

    private static uint Snorm16(float e) => (uint)(int)System.MathF.Floor(0.5f + 32767f * System.Math.Clamp(e, -1f, 1f)) & 0xffff;

    private static uint Unorm16(float e) => (uint)System.MathF.Floor(0.5f + 65535f * System.Math.Clamp(e, 0f, 1f));

    private static float FromSnorm8(uint bits) => System.MathF.Max((sbyte)bits / 127f, -1f);
}
