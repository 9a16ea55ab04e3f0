using System.Numerics;
using System.Threading;

namespace KernelGen.Runtime.Tests.Tryout2;

/// <summary>Integer hashing and checksums written as a CUDA or ILGPU user writes them.</summary>
public static class HashMath
{
    public const uint Murmur1 = 0xcc9e2d51;
    public const uint Murmur2 = 0x1b873593;

    public static uint Fmix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }

    public static uint Rotr(uint x, int n) => (x >> n) | (x << (32 - n));

    public static uint Ch(uint x, uint y, uint z) => (x & y) ^ (~x & z);
    public static uint Maj(uint x, uint y, uint z) => (x & y) ^ (x & z) ^ (y & z);
}

public static partial class Hashes
{
    static ReadOnlySpan<uint> Sha256K => new uint[]
    {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    };

    static readonly uint[] Sha256Init = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

    /// <summary>One SHA-256 compression of a 16-word block per invocation (block words already big-endian ints).</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void Sha256Block(ThreadId id, ReadOnlySpan<uint> blocks, Span<uint> digests)
    {
        var b = id.X;
        if (b * 8 >= digests.Length) return;
        Span<uint> w = stackalloc uint[64];
        for (var t = 0; t < 16; t++) w[t] = blocks[b * 16 + t];
        for (var t = 16; t < 64; t++)
        {
            var s0 = HashMath.Rotr(w[t - 15], 7) ^ HashMath.Rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
            var s1 = BitOperations.RotateRight(w[t - 2], 17) ^ BitOperations.RotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint a = Sha256Init[0], bb = Sha256Init[1], c = Sha256Init[2], d = Sha256Init[3];
        uint e = Sha256Init[4], f = Sha256Init[5], g = Sha256Init[6], h = Sha256Init[7];
        for (var t = 0; t < 64; t++)
        {
            var S1 = uint.RotateRight(e, 6) ^ uint.RotateRight(e, 11) ^ uint.RotateRight(e, 25);
            var t1 = h + S1 + HashMath.Ch(e, f, g) + Sha256K[t] + w[t];
            var S0 = uint.RotateRight(a, 2) ^ uint.RotateRight(a, 13) ^ uint.RotateRight(a, 22);
            var t2 = S0 + HashMath.Maj(a, bb, c);
            (h, g, f, e, d, c, bb, a) = (g, f, e, d + t1, c, bb, a, t1 + t2);
        }
        var o = b * 8;
        digests[o + 0] = Sha256Init[0] + a;
        digests[o + 1] = Sha256Init[1] + bb;
        digests[o + 2] = Sha256Init[2] + c;
        digests[o + 3] = Sha256Init[3] + d;
        digests[o + 4] = Sha256Init[4] + e;
        digests[o + 5] = Sha256Init[5] + f;
        digests[o + 6] = Sha256Init[6] + g;
        digests[o + 7] = Sha256Init[7] + h;
    }

    /// <summary>MurmurHash3_x86_32 of each key's four little-endian words, with a per-call seed.</summary>
    [Kernel]
    public static void Murmur3(ThreadId id, ReadOnlySpan<uint> words, Span<uint> hashes, uint seed)
    {
        int i = id.X;
        if (i >= hashes.Length) return;
        var h = seed;
        foreach (var k0 in words.Slice(i * 4, 4))
        {
            var k = k0 * HashMath.Murmur1;
            k = BitOperations.RotateLeft(k, 15);
            k *= HashMath.Murmur2;
            h ^= k;
            h = BitOperations.RotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        h ^= 16u;
        hashes[i] = HashMath.Fmix(h);
    }

    /// <summary>CRC-32 (IEEE) of each row of bytes, table passed as a buffer.</summary>
    [Kernel(WorkgroupSize = 16)]
    public static void Crc32Rows(ThreadId id, ReadOnlySpan<byte> data, ReadOnlySpan<uint> table, Span<uint> crcs, int rowLength)
    {
        var row = id.X;
        if (row >= crcs.Length) return;
        var crc = 0xFFFFFFFFu;
        // data.Slice(row * rowLength, rowLength) of a byte buffer is KG0051 (Generator.Tests: Tryout2Diagnostics).
        var start = row * rowLength;
        for (int i = 0; i < rowLength; i++)
            crc = table[(int)((crc ^ data[start + i]) & 0xFF)] ^ (crc >> 8);
        crcs[row] = ~crc;
    }

    /// <summary>CRC-32 without a table: the bitwise form, helper in another class.</summary>
    [Kernel(WorkgroupSize = 16)]
    public static void Crc32Bitwise(ThreadId id, ReadOnlySpan<byte> data, Span<uint> crcs, int rowLength)
    {
        var row = id.X;
        if (row >= crcs.Length) return;
        uint crc = uint.MaxValue;
        for (var i = 0; i < rowLength; i++)
        {
            crc ^= data[row * rowLength + i];
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        crcs[row] = crc ^ uint.MaxValue;
    }

    /// <summary>FNV-1a over a row of bytes, with a switch expression choosing the prime by variant.</summary>
    [Kernel]
    public static void Fnv1a(ThreadId id, ReadOnlySpan<byte> data, Span<uint> hashes, int rowLength, int variant)
    {
        int r = id.X;
        if (r >= hashes.Length) return;
        var prime = variant switch { 0 => 16777619u, 1 => 0x01000193u, _ => 0x01000193u ^ 2u };
        var hash = 2166136261u;
        for (var i = 0; i < rowLength; i++)
        {
            hash ^= data[r * rowLength + i];
            hash *= prime;
        }
        hashes[r] = hash;
    }
}
