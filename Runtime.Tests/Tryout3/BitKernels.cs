using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Bit tricks from Hacker's Delight and the "Bit Twiddling Hacks" page, as CUDA users port them.</summary>
public static partial class Bits3
{
    static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }

    static uint Part1By1(uint x)
    {
        x &= 0x0000ffff;
        x = (x ^ (x << 8)) & 0x00ff00ff;
        x = (x ^ (x << 4)) & 0x0f0f0f0f;
        x = (x ^ (x << 2)) & 0x33333333;
        x = (x ^ (x << 1)) & 0x55555555;
        return x;
    }

    static uint Compact1By1(uint x)
    {
        x &= 0x55555555;
        x = (x ^ (x >> 1)) & 0x33333333;
        x = (x ^ (x >> 2)) & 0x0f0f0f0f;
        x = (x ^ (x >> 4)) & 0x00ff00ff;
        x = (x ^ (x >> 8)) & 0x0000ffff;
        return x;
    }

    /// <summary>Eight bit functions of each word, one output row of eight per input.</summary>
    [Kernel]
    public static void Tricks(ThreadId id, ReadOnlySpan<uint> input, Span<uint> output)
    {
        var i = id.X;
        if (i >= input.Length) return;
        var v = input[i];
        var o = output.Slice(8 * i, 8);
        o[0] = ReverseBits(v);
        o[1] = (uint)BitOperations.PopCount(v) & 1u;                  // parity
        o[2] = v ^ (v >> 1);                                            // Gray code
        o[3] = v == 0 ? 0u : 1u << (31 - BitOperations.LeadingZeroCount(v)); // highest set bit
        o[4] = v & (uint)-(int)v;                                       // lowest set bit
        o[5] = uint.LeadingZeroCount(v) + uint.TrailingZeroCount(v);
        // Gosper's hack: the next larger number with the same number of set bits (0 when there is none).
        var c = v & (0u - v);
        var r = v + c;
        o[6] = c == 0 || r == 0 ? 0u : (((r ^ v) >> 2) / c) | r;
        var s = (int)v;
        o[7] = (uint)((s >>> 7) ^ (s >> 7));
    }

    /// <summary>2-D Morton (Z-order) codes and their inverse, with the decoded pair as a tuple.</summary>
    [Kernel]
    public static void Morton(ThreadId id, ReadOnlySpan<uint> xs, ReadOnlySpan<uint> ys, Span<uint> codes, Span<uint> roundTrip)
    {
        var i = id.X;
        if (i >= codes.Length) return;
        var code = (Part1By1(ys[i]) << 1) | Part1By1(xs[i]);
        codes[i] = code;
        var (x, y) = (Compact1By1(code), Compact1By1(code >> 1));
        roundTrip[i] = x == (xs[i] & 0xffff) && y == (ys[i] & 0xffff) ? 1u : 0u;
    }

    /// <summary>Integer square root and integer log10, bit by bit.</summary>
    [Kernel]
    public static void IntegerRoots(ThreadId id, ReadOnlySpan<uint> input, Span<uint> roots, Span<int> log10)
    {
        var i = id.X;
        if (i >= input.Length) return;
        var n = input[i];
        uint res = 0, bit = 1u << 30;
        while (bit > n) bit >>= 2;
        while (bit != 0)
        {
            if (n >= res + bit) { n -= res + bit; res = (res >> 1) + bit; }
            else res >>= 1;
            bit >>= 2;
        }
        roots[i] = res;
        var v = input[i];
        log10[i] = v switch
        {
            >= 1000000000 => 9,
            >= 100000000 => 8,
            >= 10000000 => 7,
            >= 1000000 => 6,
            >= 100000 => 5,
            >= 10000 => 4,
            >= 1000 => 3,
            >= 100 => 2,
            >= 10 => 1,
            _ => 0,
        };
    }
}
