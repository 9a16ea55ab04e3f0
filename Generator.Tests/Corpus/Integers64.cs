// Corpus (Integers64): long and ulong, emulated on two u32 words (vec2<u32>: x the low word, y the high word), bit for bit with C#.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Integers64
{
    /// <summary>PCG32 (O'Neill's pcg32_random_r): a 64-bit LCG state and an xorshift-rotate output of 32 bits.</summary>
    [Kernel]
    public static void Pcg32(ThreadId id, ReadOnlySpan<ulong> seeds, Span<uint> output)
    {
        int i = id.X;
        if (i >= seeds.Length || i * 4 + 3 >= output.Length)
            return;
        ulong state = seeds[i];
        ulong inc = (seeds[i] << 1) | 1UL;
        for (int k = 0; k < 4; k++)
        {
            ulong old = state;
            state = old * 6364136223846793005UL + inc;
            uint xorshifted = (uint)(((old >> 18) ^ old) >> 27);
            int rot = (int)(old >> 59);
            output[i * 4 + k] = (xorshifted >> rot) | (xorshifted << ((-rot) & 31));
        }
    }

    private static ulong Mix64(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>SplitMix64 through a helper taking and returning a ulong; the state advances by the golden gamma.</summary>
    [Kernel]
    public static void SplitMix64(ThreadId id, ReadOnlySpan<ulong> seeds, Span<ulong> output)
    {
        int i = id.X;
        if (i >= seeds.Length || i * 3 + 2 >= output.Length)
            return;
        ulong state = seeds[i];
        for (int k = 0; k < 3; k++)
        {
            state += 0x9E3779B97F4A7C15UL;
            output[i * 3 + k] = Mix64(state);
        }
    }

    /// <summary>FNV-1a 64 over the bytes of four uints, and MurmurHash3's fmix64 of the result, and xorshift64*.</summary>
    [Kernel]
    public static void Hashes(ThreadId id, ReadOnlySpan<uint> words, Span<ulong> output)
    {
        int i = id.X;
        if (i * 4 + 3 >= words.Length || i * 3 + 2 >= output.Length)
            return;
        ulong h = 0xcbf29ce484222325UL;
        for (int w = 0; w < 4; w++)
        {
            uint word = words[i * 4 + w];
            for (int b = 0; b < 4; b++)
            {
                h ^= (byte)(word >> (8 * b));
                h *= 0x100000001b3UL;
            }
        }
        output[i * 3] = h;
        ulong k = h;
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdUL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53UL;
        k ^= k >> 33;
        output[i * 3 + 1] = k;
        ulong x = h | 1UL;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        output[i * 3 + 2] = x * 0x2545F4914F6CDD1DUL;
    }

    /// <summary>Every long operator, compound assignments, ++ and -- on a local, a buffer element and a ternary.</summary>
    [Kernel]
    public static void ArithmeticMix(ThreadId id, ReadOnlySpan<long> a, ReadOnlySpan<long> b, Span<long> output)
    {
        int i = id.X;
        if (i >= a.Length || i * 12 + 11 >= output.Length)
            return;
        long x = a[i], y = b[i];
        int o = i * 12;
        output[o] = x + y;
        output[o + 1] = x - y;
        output[o + 2] = x * y;
        output[o + 3] = -x;
        output[o + 4] = ~x & y | x ^ y;
        long z = x;
        z += y;
        z *= 3;
        z -= 1L << 40;
        z ^= y;
        z |= 5;
        z &= ~0xF0L;
        z <<= 3;
        z >>= 1;
        z >>>= 2;
        z++;
        output[o + 5] = z;
        output[o + 6] = x;
        output[o + 6]--;
        output[o + 6] += y * 7 + (x < y ? 1 : -1);
        output[o + 7] = x > y ? x : y;
        output[o + 8] = x * -1 + y * long.MinValue + long.MaxValue;
        output[o + 9] = (x == y ? 1 : 0) + (x != y ? 10 : 0) + (x < 0 ? 100 : 0);
        ulong ux = (ulong)x;
        ux *= (ulong)y;
        ux += 0xFFFF_FFFF_FFFF_FFFFUL;
        output[o + 10] = (long)ux;
        long w = -(long)int.MaxValue;
        for (long n = 0; n < 3; n++)
            w -= n * x;
        output[o + 11] = w;
    }

    /// <summary>Shifts by 0, 31, 32, 33 and 63 and by variable counts (negative and above 64: C# masks them to 0..63).</summary>
    [Kernel]
    public static void Shifts(ThreadId id, ReadOnlySpan<ulong> values, ReadOnlySpan<int> counts, Span<ulong> output)
    {
        int i = id.X;
        if (i >= values.Length || i >= counts.Length || i * 20 + 19 >= output.Length)
            return;
        ulong u = values[i];
        long s = (long)u;
        int n = counts[i];
        int o = i * 20;
        output[o] = u << 0;
        output[o + 1] = u << 31;
        output[o + 2] = u << 32;
        output[o + 3] = u << 33;
        output[o + 4] = u << 63;
        output[o + 5] = u >> 31;
        output[o + 6] = u >> 32;
        output[o + 7] = u >> 33;
        output[o + 8] = u >> 63;
        output[o + 9] = (ulong)(s >> 0);
        output[o + 10] = (ulong)(s >> 31);
        output[o + 11] = (ulong)(s >> 32);
        output[o + 12] = (ulong)(s >> 33);
        output[o + 13] = (ulong)(s >> 63);
        output[o + 14] = u << n;
        output[o + 15] = u >> n;
        output[o + 16] = (ulong)(s >> n);
        output[o + 17] = (ulong)(s >>> n);
        output[o + 18] = u << 65 | u >> -1;
        output[o + 19] = (ulong)(s << (n + 32));
    }

    /// <summary>Signed and unsigned comparisons, values differing only in the low or high word, bits packed into an int.</summary>
    [Kernel]
    public static void Comparisons(ThreadId id, ReadOnlySpan<long> a, ReadOnlySpan<long> b, Span<int> output)
    {
        int i = id.X;
        if (i >= a.Length || i >= output.Length)
            return;
        long x = a[i], y = b[i];
        ulong ux = (ulong)x, uy = (ulong)y;
        int bits = 0;
        if (x < y) bits |= 1;
        if (x <= y) bits |= 2;
        if (x > y) bits |= 4;
        if (x >= y) bits |= 8;
        if (x == y) bits |= 16;
        if (x != y) bits |= 32;
        if (ux < uy) bits |= 64;
        if (ux <= uy) bits |= 128;
        if (ux > uy) bits |= 256;
        if (ux >= uy) bits |= 512;
        bits |= x switch { 0 => 1024, long.MinValue => 2048, > 0 => 4096, _ => 0 };
        bits |= ux is > 0xFFFF_FFFFUL and < 0x1_0000_0002UL ? 8192 : 0;
        // C# compares a uint with an int as two longs (the int sign-extended): a negative int is below every uint.
        uint lowWord = (uint)x;
        int highInt = (int)(y >> 32);
        if (lowWord < highInt) bits |= 16384;
        switch (y)
        {
            case 0:
                bits |= 32768;
                break;
            case -1:
            case 1:
                bits |= 65536;
                break;
        }
        output[i] = bits;
    }

    /// <summary>int, uint, short, byte and sbyte to and from long and ulong: sign- and zero-extension, truncation, the same bits.</summary>
    [Kernel]
    public static void Conversions(ThreadId id, ReadOnlySpan<int> ints, ReadOnlySpan<uint> uints, Span<long> wide, Span<int> narrow)
    {
        int i = id.X;
        if (i >= ints.Length || i >= uints.Length || i * 8 + 7 >= wide.Length || i * 8 + 7 >= narrow.Length)
            return;
        int v = ints[i];
        uint u = uints[i];
        wide[i * 8] = v;
        wide[i * 8 + 1] = u;
        wide[i * 8 + 2] = (long)(ulong)v;
        wide[i * 8 + 3] = (short)v;
        wide[i * 8 + 4] = (byte)v;
        wide[i * 8 + 5] = (sbyte)u;
        wide[i * 8 + 6] = (long)v * u;
        wide[i * 8 + 7] = (long)((ulong)u << 32 | (uint)v);
        long l = (long)v << 20 ^ u;
        narrow[i * 8] = (int)l;
        narrow[i * 8 + 1] = (int)(uint)(l >> 32);
        narrow[i * 8 + 2] = (short)l;
        narrow[i * 8 + 3] = (byte)l;
        narrow[i * 8 + 4] = (sbyte)(ulong)l;
        narrow[i * 8 + 5] = (ushort)(l >> 7);
        narrow[i * 8 + 6] = (int)(uint)((ulong)l >> 40);
        narrow[i * 8 + 7] = (int)(l >>> 63);
    }

    /// <summary>BitOperations on ulong: PopCount, LeadingZeroCount, TrailingZeroCount, RotateLeft and RotateRight.</summary>
    [Kernel]
    public static void BitCounts(ThreadId id, ReadOnlySpan<ulong> values, ReadOnlySpan<int> counts, Span<ulong> output)
    {
        int i = id.X;
        if (i >= values.Length || i >= counts.Length || i * 7 + 6 >= output.Length)
            return;
        ulong v = values[i];
        int n = counts[i];
        output[i * 7] = (ulong)BitOperations.PopCount(v);
        output[i * 7 + 1] = (ulong)BitOperations.LeadingZeroCount(v);
        output[i * 7 + 2] = (ulong)BitOperations.TrailingZeroCount(v);
        output[i * 7 + 3] = BitOperations.RotateLeft(v, n);
        output[i * 7 + 4] = BitOperations.RotateRight(v, n);
        output[i * 7 + 5] = BitOperations.RotateLeft(v, 32) ^ BitOperations.RotateRight(v, 7);
        output[i * 7 + 6] = (ulong)BitOperations.TrailingZeroCount((long)v >> 40);
    }

    public struct Counter
    {
        public ulong Total;
        public int Id;
        public int Steps;
    }

    public struct Limits
    {
        public long Low;
        public long High;
    }

    private static long Clamp64(long value, Limits limits) => value < limits.Low ? limits.Low : value > limits.High ? limits.High : value;

    /// <summary>
    /// ulong and long in a buffer struct's field (++ and += on it), a uniform ulong and a uniform struct of longs, a
    /// per-invocation long[] and a const.
    /// </summary>
    [Kernel]
    public static void Places(ThreadId id, Span<Counter> counters, ulong step, Limits limits, Span<long> output)
    {
        int i = id.X;
        if (i >= counters.Length || i * 2 + 1 >= output.Length)
            return;
        const long Scale = 1_000_000_007L;
        long[] history = new long[4];
        for (int k = 0; k < history.Length; k++)
        {
            counters[i].Total += step;
            counters[i].Steps++;
            history[k] = (long)counters[i].Total * Scale;
        }
        counters[i].Total++;
        long sum = 0;
        foreach (long h in history)
            sum ^= h;
        output[i * 2] = Clamp64(sum, limits);
        output[i * 2 + 1] = history[3] - history[0];
    }
}
