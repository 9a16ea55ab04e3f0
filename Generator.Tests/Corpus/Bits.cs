// Corpus: integer semantics (bit operations, shifts, division and modulo of negatives, uint wrap).
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Bits
{
    /// <summary>&amp;, |, ^, ~ and shifts on int and uint, including &gt;&gt;&gt; and shift counts masked to 5 bits.</summary>
    [Kernel]
    public static void BitwiseOperators(ThreadId id, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> output)
    {
        int i = id.X;
        if (i >= a.Length || i * 8 + 7 >= output.Length)
            return;
        int x = a[i], y = b[i];
        int shift = y & 31;
        uint ux = (uint)x;
        output[i * 8] = x & y;
        output[i * 8 + 1] = x | y;
        output[i * 8 + 2] = x ^ y;
        output[i * 8 + 3] = ~x;
        output[i * 8 + 4] = x << shift;
        output[i * 8 + 5] = x >> shift;
        output[i * 8 + 6] = x >>> shift;
        output[i * 8 + 7] = (int)(ux >> 3) + (x << 33);
    }

    /// <summary>C# integer division truncates toward zero and % keeps the dividend's sign (as WGSL).</summary>
    [Kernel]
    public static void DivisionAndModulo(ThreadId id, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> quotient, Span<int> remainder)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        int d = b[i];
        if (d == 0)
            d = 1;
        quotient[i] = a[i] / d;
        remainder[i] = a[i] % d;
    }

    /// <summary>uint arithmetic wraps around; hashing with multiply and xor-shift.</summary>
    [Kernel]
    public static void HashUInt(ThreadId id, ReadOnlySpan<uint> seeds, Span<uint> hashes)
    {
        int i = id.X;
        if (i >= seeds.Length)
            return;
        uint h = seeds[i] + 0x9E3779B9u;
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        h ^= h >> 16;
        hashes[i] = h;
    }

    /// <summary>Population count and leading/trailing zeros (System.Numerics.BitOperations).</summary>
    [Kernel]
    public static void BitCounts(ThreadId id, ReadOnlySpan<uint> values, Span<int> counts)
    {
        int i = id.X;
        if (i >= values.Length || i * 3 + 2 >= counts.Length)
            return;
        uint v = values[i];
        counts[i * 3] = BitOperations.PopCount(v);
        counts[i * 3 + 1] = BitOperations.LeadingZeroCount(v);
        counts[i * 3 + 2] = v == 0u ? 32 : BitOperations.TrailingZeroCount(v);
    }

    /// <summary>bool locals combined with &amp;, |, ^ and !, stored as 0/1 ints.</summary>
    [Kernel]
    public static void BoolLogic(ThreadId id, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> output)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        bool p = a[i] > 0;
        bool q = b[i] > 0;
        bool both = p & q;
        bool either = p | q;
        bool exactlyOne = p ^ q;
        bool neither = !(p || q);
        output[i] = (both ? 1 : 0) + (either ? 2 : 0) + (exactlyOne ? 4 : 0) + (neither ? 8 : 0);
    }
}
