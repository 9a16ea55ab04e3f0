// Corpus: instance methods and computed properties of kernel structs (by value, or by pointer when they change
// the struct, as C# changes the caller's variable), and ref/out parameters of helpers.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A xorshift generator as users write one: a struct local whose methods advance its state.</summary>
public struct XorShift
{
    public uint State;

    public XorShift(uint seed) => State = seed == 0 ? 0x9E3779B9u : seed;

    public uint Next()
    {
        State ^= State << 13;
        State ^= State >> 17;
        State ^= State << 5;
        return State;
    }

    /// <summary>Calls a member that changes the struct, so it changes it too.</summary>
    public float NextFloat() => (Next() >> 8) * (1f / 16777216f);

    public readonly bool IsZero => State == 0;
}

public struct Complex
{
    public float Re;
    public float Im;

    public Complex(float re, float im)
    {
        Re = re;
        Im = im;
    }

    public readonly Complex Times(Complex other) => new(Re * other.Re - Im * other.Im, Re * other.Im + Im * other.Re);

    public Complex Plus(Complex other) => new(Re + other.Re, Im + other.Im);

    public float MagnitudeSquared => Re * Re + Im * Im;

    public static Complex Zero => new(0f, 0f);

    public void Scale(float by)
    {
        Re *= by;
        Im *= by;
    }
}

public struct Mover
{
    public Vector2 Position;
    public Vector2 Velocity;

    public void Advance(float dt, Vector2 force)
    {
        Velocity += force * dt;
        Position += Velocity * dt;
    }

    public readonly float Speed => Velocity.Length();
}

public static partial class StructMembers
{
    [Kernel]
    public static void Random(ThreadId id, Span<uint> bits, Span<float> unit, Span<int> zero)
    {
        int i = id.X;
        if (i >= bits.Length)
            return;
        var rng = new XorShift((uint)i * 747796405u + 1u);
        uint first = rng.Next();
        float u = rng.NextFloat() + rng.NextFloat() * 0f;
        bits[i] = first ^ rng.Next();
        unit[i] = u;
        zero[i] = rng.IsZero ? 1 : 0;
    }

    [Kernel]
    public static void Mandelbrot(ThreadId id, Span<int> iterations, Span<float> magnitudes, int width, int height)
    {
        if (id.X >= width || id.Y >= height)
            return;
        var c = new Complex(-2f + 3f * id.X / width, -1.5f + 3f * id.Y / height);
        Complex z = Complex.Zero;
        int n = 0;
        while (n < 64 && z.MagnitudeSquared <= 4f)
        {
            z = z.Times(z).Plus(c);
            n++;
        }
        z.Scale(0.5f);
        iterations[id.Y * width + id.X] = n;
        magnitudes[id.Y * width + id.X] = z.MagnitudeSquared;
    }

    [Kernel]
    public static void Integrate(ThreadId id, Span<Mover> bodies, Span<float> speeds, float dt)
    {
        int i = id.X;
        if (i >= bodies.Length)
            return;
        bodies[i].Advance(dt, new Vector2(0f, -9.8f));
        var copy = bodies[i];
        copy.Advance(dt, new Vector2(1f, 0f));
        speeds[i] = copy.Speed + bodies[i].Speed;
    }

    private static void Swap(ref float a, ref float b)
    {
        float t = a;
        a = b;
        b = t;
    }

    private static bool TryDivide(float numerator, float denominator, out float quotient)
    {
        if (denominator == 0f)
        {
            quotient = 0f;
            return false;
        }
        quotient = numerator / denominator;
        return true;
    }

    private static void Accumulate(ref Vector2 sum, ref int count, Vector2 value)
    {
        sum += value;
        count++;
    }

    [Kernel]
    public static void References(ThreadId id, Span<float> data, ReadOnlySpan<Vector2> points, Span<float> results)
    {
        int i = id.X;
        if (2 * i + 1 >= data.Length || i >= results.Length)
            return;
        float lo = data[2 * i], hi = data[2 * i + 1];
        if (lo > hi)
            Swap(ref lo, ref hi);
        Swap(ref data[2 * i], ref data[2 * i + 1]);
        Vector2 sum = Vector2.Zero;
        int count = 0;
        for (int k = 0; k < 4; k++)
            Accumulate(ref sum, ref count, points[(i + k) % points.Length]);
        float ratio = TryDivide(hi - lo, sum.X, out var q) ? q : -1f;
        TryDivide(1f, 0f, out _);
        results[i] = ratio + count + lo * 0.25f;
    }

    /// <summary>A helper whose result depends on whether its two references are one place (C# sees the first write through both).</summary>
    private static void AddBoth(ref float a, ref float b)
    {
        a += 1f;
        b += a;
    }

    [Kernel]
    public static void Aliasing(ThreadId id, Span<float> pairs, ReadOnlySpan<int> partner)
    {
        int i = id.X;
        if (i >= partner.Length)
            return;
        AddBoth(ref pairs[2 * i], ref pairs[2 * i + partner[i]]);
    }

    /// <summary>A helper that advances a generator it is given by reference (a pointer passed on to the member).</summary>
    private static uint Skip(ref XorShift rng, int count)
    {
        uint last = 0;
        for (int k = 0; k < count; k++)
            last = rng.Next();
        return last;
    }

    private static float Spread(Complex z) => z.Times(z.Plus(Complex.Zero)).MagnitudeSquared;

    /// <summary>Struct members in other positions: loop bounds and conditions, helpers, a uniform struct, nested calls, array elements.</summary>
    [Kernel]
    public static void Positions(ThreadId id, Span<float> output, Complex scale)
    {
        int i = id.X;
        if (i >= output.Length)
            return;
        var rng = new XorShift((uint)i + 7u);
        int steps = 0;
        while (rng.Next() % 4u != 0u && steps < 32)
            steps++;
        uint skipped = Skip(ref rng, 3);
        var z = new Complex(i * 0.01f, 0.5f);
        float sum = 0f;
        for (int k = 0; k < (int)(z.Times(scale).MagnitudeSquared * 10f) % 5 + 1; k++)
            sum += Spread(z.Times(new Complex(k, 1f)));
        Span<XorShift> pool = stackalloc XorShift[2];
        pool[0] = new XorShift(skipped);
        pool[1] = rng;
        pool[i & 1].Next();
        output[i] = sum + steps + scale.MagnitudeSquared + (pool[0].State & 255u) + (pool[1].IsZero ? 1f : 0f);
    }
}

