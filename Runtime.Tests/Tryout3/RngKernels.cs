namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Marsaglia's xorshift32 as a mutable struct with a method.</summary>
public struct XorShift32
{
    uint state;
    public XorShift32(uint seed) => state = seed == 0 ? 0x6d2b79f5u : seed;
    public uint Next()
    {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }
    public float NextFloat() => (Next() >> 8) * (1f / 16777216f);
}

/// <summary>PCG32 (O'Neill's pcg32_random_r) with its 64-bit state and increment.</summary>
public struct Pcg32
{
    public ulong State;
    public ulong Inc;

    public Pcg32(ulong seed, ulong sequence)
    {
        State = 0;
        Inc = (sequence << 1) | 1;
        Next();
        State += seed;
        Next();
    }

    public uint Next()
    {
        var old = State;
        State = old * 6364136223846793005UL + Inc;
        var xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        var rot = (int)(old >> 59);
        return (xorShifted >> rot) | (xorShifted << (-rot & 31));
    }
}

public static partial class Rng
{
    /// <summary>SplitMix64's finaliser, the seeding function of xoshiro.</summary>
    static ulong SplitMix64(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    [Kernel]
    public static void XorShiftStream(ThreadId id, Span<uint> raw, Span<float> uniform, uint seed, int perThread)
    {
        var rng = new XorShift32(seed + (uint)id.X * 2654435761u);
        for (var k = 0; k < perThread; k++)
        {
            var o = id.X * perThread + k;
            if (o >= raw.Length) return;
            raw[o] = rng.Next();
            uniform[o] = rng.NextFloat();
        }
    }

    [Kernel]
    public static void PcgStream(ThreadId id, Span<uint> output, ulong seed, int perThread)
    {
        var rng = new Pcg32(seed, (ulong)id.X);
        for (var k = 0; k < perThread; k++)
            output[id.X * perThread + k] = rng.Next();
    }

    [Kernel]
    public static void SplitMix(ThreadId id, Span<ulong> output, ulong seed)
    {
        if (id.X >= output.Length) return;
        var x = seed + (ulong)id.X * 1000003UL;
        _ = SplitMix64(ref x);
        output[id.X] = SplitMix64(ref x);
    }

    static (uint Hi, uint Lo) MulHiLo(uint a, uint b)
    {
        var p = (ulong)a * b;
        return ((uint)(p >> 32), (uint)p);
    }

    /// <summary>Philox4x32-10 (Salmon et al.), the counter-based generator of cuRAND and JAX; counter = (id, 0, 0, 0).</summary>
    [Kernel]
    public static void Philox(ThreadId id, Span<uint> output, uint key0, uint key1)
    {
        if (4 * id.X + 3 >= output.Length) return;
        uint c0 = (uint)id.X, c1 = 0, c2 = 0, c3 = 0;
        uint k0 = key0, k1 = key1;
        for (var round = 0; round < 10; round++)
        {
            var (hi0, lo0) = MulHiLo(0xD2511F53u, c0);
            var (hi1, lo1) = MulHiLo(0xCD9E8D57u, c2);
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        output[4 * id.X] = c0;
        output[4 * id.X + 1] = c1;
        output[4 * id.X + 2] = c2;
        output[4 * id.X + 3] = c3;
    }

    /// <summary>Box-Muller normal pairs from xorshift uniforms, with MathF.SinCos.</summary>
    [Kernel]
    public static void BoxMuller(ThreadId id, Span<float> normals, uint seed)
    {
        if (2 * id.X + 1 >= normals.Length) return;
        var rng = new XorShift32(seed ^ (uint)(id.X + 1) * 0x85ebca6bu);
        var u1 = MathF.Max(rng.NextFloat(), 1e-7f);
        var u2 = rng.NextFloat();
        var r = MathF.Sqrt(-2f * MathF.Log(u1));
        (float s, float c) = MathF.SinCos(2f * MathF.PI * u2);
        normals[2 * id.X] = r * c;
        normals[2 * id.X + 1] = r * s;
    }
}
