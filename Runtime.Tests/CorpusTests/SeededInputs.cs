namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Reproducible random inputs (fixed seed per test, so a failure can be replayed).</summary>
internal sealed class SeededInputs(int seed)
{
    private readonly Random random = new(seed);

    /// <summary>Uniform floats in [min, max).</summary>
    public float[] Floats(int length, float min = -4f, float max = 4f)
    {
        var result = new float[length];
        for (var i = 0; i < length; i++) result[i] = min + (max - min) * random.NextSingle();
        return result;
    }

    /// <summary>Uniform ints in [min, max).</summary>
    public int[] Ints(int length, int min, int max)
    {
        var result = new int[length];
        for (var i = 0; i < length; i++) result[i] = random.Next(min, max);
        return result;
    }

    /// <summary>Ints over the whole 32-bit range.</summary>
    public int[] AnyInts(int length)
    {
        var result = new int[length];
        for (var i = 0; i < length; i++) result[i] = (int)(uint)random.NextInt64(0, 1L << 32);
        return result;
    }

    /// <summary>uints over the whole 32-bit range.</summary>
    public uint[] AnyUInts(int length)
    {
        var result = new uint[length];
        for (var i = 0; i < length; i++) result[i] = (uint)random.NextInt64(0, 1L << 32);
        return result;
    }

    /// <summary>Vector4s with components in [min, max).</summary>
    public System.Numerics.Vector4[] Vector4s(int length, float min = -4f, float max = 4f)
    {
        var f = Floats(length * 4, min, max);
        var result = new System.Numerics.Vector4[length];
        for (var i = 0; i < length; i++) result[i] = new(f[4 * i], f[4 * i + 1], f[4 * i + 2], f[4 * i + 3]);
        return result;
    }

    /// <summary>Vector2s with components in [min, max).</summary>
    public System.Numerics.Vector2[] Vector2s(int length, float min = -4f, float max = 4f)
    {
        var f = Floats(length * 2, min, max);
        var result = new System.Numerics.Vector2[length];
        for (var i = 0; i < length; i++) result[i] = new(f[2 * i], f[2 * i + 1]);
        return result;
    }
}
