// Corpus (Integers64Math): long and ulong division and remainder, conversions to and from float and Half, and the
// Math, BitOperations and long/ulong members, bit for bit with C# (two u32 words on the GPU, exact polyfills).
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Integers64Math
{
    /// <summary>Floor division from C#'s truncating / and %: one less where the remainder is nonzero and the signs differ.</summary>
    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return a % b != 0 && (a < 0) != (b < 0) ? q - 1 : q;
    }

    /// <summary>/ and % of long and ulong: operators, constants, compound assignments, a helper, a ternary, a loop, a local function.</summary>
    [Kernel]
    public static void Division(ThreadId id, ReadOnlySpan<long> a, ReadOnlySpan<long> b, Span<long> output)
    {
        int i = id.X;
        if (i >= a.Length || i >= b.Length || i * 12 + 11 >= output.Length)
            return;
        long x = a[i], y = b[i];
        ulong ux = (ulong)x, uy = (ulong)y;
        int o = i * 12;
        output[o] = x / y;
        output[o + 1] = x % y;
        output[o + 2] = (long)(ux / uy);
        output[o + 3] = (long)(ux % uy);
        output[o + 4] = x / 10 + x % 1_000_000_007L;
        output[o + 5] = (long)(ux / 3UL ^ ux % 0x1_0000_0001UL);
        long z = x;
        z /= y;
        z %= 1_000_000;
        output[o + 6] = z;
        output[o + 7] = FloorDiv(x, y);
        output[o + 8] = (long)(ux % uy == 0 ? ux / uy : uy / (ux % uy));
        int digits = 0;
        for (ulong v = ux; v != 0; v /= 10)
            digits++;
        output[o + 9] = digits;
        output[o + 10] = (long)Gcd(ux, uy);
        output[o + 11] = y / 7 > 0 ? x / (y / 7) : -x / 3;

        static ulong Gcd(ulong p, ulong q)
        {
            while (q != 0)
            {
                ulong t = p % q;
                p = q;
                q = t;
            }
            return p;
        }
    }

    /// <summary>long and ulong to float (rounded once, to nearest even) and float to long and ulong (toward zero, saturating, NaN 0).</summary>
    [Kernel]
    public static void FloatConversions(ThreadId id, ReadOnlySpan<long> values, ReadOnlySpan<float> floats, Span<float> toFloat, Span<long> fromFloat)
    {
        int i = id.X;
        if (i >= values.Length || i >= floats.Length || i * 4 + 3 >= toFloat.Length || i * 4 + 3 >= fromFloat.Length)
            return;
        long x = values[i];
        ulong u = (ulong)x;
        float f = floats[i];
        toFloat[i * 4] = x;
        toFloat[i * 4 + 1] = (float)u;
        float sum = 0.5f;
        sum += x >> 3;
        toFloat[i * 4 + 2] = sum;
        toFloat[i * 4 + 3] = Scaled(u >> (i & 63)) + (x < 0 ? (float)(x / 3) : 0f);
        fromFloat[i * 4] = (long)f;
        fromFloat[i * 4 + 1] = (long)(ulong)f;
        long l = x >> 40;
        l += (long)(f * 0.5f);
        fromFloat[i * 4 + 2] = l * 3 / 2;
        ulong w = (ulong)(f * 4294967296f);
        fromFloat[i * 4 + 3] = (long)w;
    }

    private static float Scaled(ulong v) => v * 0.25f;

    /// <summary>long and ulong to Half (rounded once; from 65520 up infinity) and Half to long and ulong (toward zero, saturating).</summary>
    [Kernel]
    public static void HalfConversions(ThreadId id, ReadOnlySpan<long> values, ReadOnlySpan<Half> halves, Span<Half> toHalf, Span<long> fromHalf)
    {
        int i = id.X;
        if (i >= values.Length || i >= halves.Length || i * 2 + 1 >= toHalf.Length || i * 2 + 1 >= fromHalf.Length)
            return;
        long x = values[i];
        toHalf[i * 2] = (Half)x;
        toHalf[i * 2 + 1] = (Half)(ulong)x;
        Half h = halves[i];
        fromHalf[i * 2] = (long)h;
        fromHalf[i * 2 + 1] = (long)(ulong)h;
    }

    private static long Bounded(long v, long limit) => Math.Clamp(v, -limit, limit);

    /// <summary>Math.Max, Min, Clamp, Abs, Sign and BigMul, CompareTo, and the bit members of BitOperations, long and ulong.</summary>
    [Kernel]
    public static void MathMembers(ThreadId id, ReadOnlySpan<long> a, ReadOnlySpan<long> b, Span<long> output)
    {
        int i = id.X;
        if (i >= a.Length || i >= b.Length || i * 16 + 15 >= output.Length)
            return;
        long x = a[i], y = b[i];
        ulong ux = (ulong)x, uy = (ulong)y;
        int o = i * 16;
        output[o] = Math.Max(x, y);
        output[o + 1] = Math.Min(x, y);
        output[o + 2] = (long)Math.Max(ux, uy) ^ (long)Math.Min(ux, uy);
        output[o + 3] = Math.Clamp(x, -(1L << 40), 1L << 41) + Bounded(y, 1L << 33);
        output[o + 4] = (long)Math.Clamp(ux, Math.Min(uy, 1000UL), Math.Max(uy, 1UL << 50));
        output[o + 5] = Math.Abs(x >> 1) + long.Abs(y / 2);
        output[o + 6] = Math.Sign(x) + 3 * Math.Sign(y) + 9 * long.Sign(x - y);
        output[o + 7] = x.CompareTo(y) + 3 * ux.CompareTo(uy) + 9 * y.CompareTo(x);
        output[o + 8] = Math.BigMul((int)x, (int)y);
        output[o + 9] = (long)Math.BigMul((uint)x, (uint)y);
        output[o + 10] = BitOperations.Log2(ux) + 64 * long.Log2(x & long.MaxValue) + 4096 * (long)ulong.Log2(uy);
        output[o + 11] = (BitOperations.IsPow2(ux) ? 1 : 0) | (BitOperations.IsPow2(x) ? 2 : 0) | (long.IsPow2(y) ? 4 : 0) | (ulong.IsPow2(uy) ? 8 : 0);
        output[o + 12] = long.PopCount(x) + 128 * (long)ulong.LeadingZeroCount(uy) + 65536 * long.TrailingZeroCount(y);
        output[o + 13] = long.RotateLeft(x, (int)y) ^ (long)ulong.RotateRight(uy, (int)x);
        output[o + 14] = long.Max(x, y) - long.Min(x, y) + long.Clamp(x, -5, 5);
        output[o + 15] = Math.Max(x, y) > 0 ? Math.Min(x, 100) : Math.BigMul(i, -i);
    }

    /// <summary>
    /// Math.DivRem's tuple (int, uint, long, ulong), int.RotateLeft/RotateRight, int.CopySign, long.CopySign, int.BigMul, uint.BigMul and the IsNegative, IsPositive,
    /// IsEvenInteger and IsOddInteger tests, in expressions, a deconstruction, a condition and a helper.
    /// </summary>
    [Kernel]
    public static void DivRemRotateCopySign(ThreadId id, ReadOnlySpan<long> a, ReadOnlySpan<long> b, Span<long> output)
    {
        int i = id.X;
        if (i >= a.Length || i >= b.Length || i * 10 + 9 >= output.Length)
            return;
        long x = a[i], y = b[i];
        int o = i * 10;
        var (q, r) = Math.DivRem(x, y);
        output[o] = q ^ r << 1;
        (ulong uq, ulong ur) = ulong.DivRem((ulong)x, (ulong)y);
        output[o + 1] = (long)(uq + ur * 3);
        (int iq, int ir) = Math.DivRem((int)x, (int)y);
        output[o + 2] = iq * 65536L + ir;
        var unsignedPair = uint.DivRem((uint)x, (uint)y);
        output[o + 3] = unsignedPair.Quotient - (long)unsignedPair.Remainder;
        output[o + 4] = int.RotateLeft((int)x, (int)y) + 4294967296L * int.RotateRight((int)y, (int)(x >> 32));
        output[o + 5] = int.CopySign((int)(x >> 1), (int)y) + 4294967296L * int.CopySign((int)y | 1, (int)(x >> 40));
        output[o + 6] = Remainder(x, y) + int.DivRem((int)y, 7).Remainder;
        output[o + 7] = long.DivRem(x, y).Quotient;
        int flags = (int.IsNegative((int)x) ? 1 : 0) | (int.IsPositive((int)y) ? 2 : 0) | (int.IsEvenInteger((int)x) ? 4 : 0)
            | (uint.IsOddInteger((uint)y) ? 8 : 0) | (long.IsNegative(x) ? 16 : 0) | (long.IsPositive(y) ? 32 : 0)
            | (ulong.IsEvenInteger((ulong)x) ? 64 : 0) | (long.IsOddInteger(y) ? 128 : 0) | (uint.IsEvenInteger((uint)x) ? 256 : 0);
        if (long.IsNegative(x - y) && int.IsOddInteger((int)y))
            flags |= 512;
        output[o + 8] = flags;
        output[o + 9] = long.CopySign(x >> 1, y) ^ int.BigMul((int)x, (int)(y >> 32)) ^ (long)uint.BigMul((uint)y, (uint)(x >> 16));
    }

    private static long Remainder(long x, long y) => Math.DivRem(x, y).Remainder;
}
