// Corpus: local functions. Static ones (block or expression bodied, declared before or after their use, generic,
// calling each other, inside helpers) are WGSL functions named for the method around them (Polynomials_Sq);
// capturing ones take what they capture as extra parameters: read-only locals and parameters by value (the value
// at the call, as C# reads it), written ones as ptr<function, T>, uniforms and overrides at module scope, ids
// passed on. Spans are ref structs, which C# does not let a local function capture: they are passed as parameters.

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class LocalFunctions
{
    /// <summary>Static local functions in a loop, a condition and a ?:, one calling another, one generic, one in a helper.</summary>
    [Kernel]
    public static void Polynomials(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<int> z, float scale)
    {
        static float Sq(float a) => a * a;
        int i = id.X;
        if (i >= x.Length)
            return;
        float v = x[i];
        float acc = 0f;
        for (int k = 0; k < 4; k++)
            acc += Sq(v + k) > 2f ? Cube(v) : Sq(v);
        if (Clamp01(acc) > 0.5f)
            acc = -acc;
        y[i] = Clamp01(acc * scale) + Twice(v) + Smooth(Clamp01(v));
        z[i] = Twice(i) + Twice(3);

        static float Cube(float a)
        {
            float s = Sq(a);
            return s * a;
        }

        static float Clamp01(float a)
        {
            if (a < 0f)
                return 0f;
            return a > 1f ? 1f : a;
        }

        static T Twice<T>(T a) where T : INumber<T> => a + a;
    }

    /// <summary>A helper with a local function of its own.</summary>
    public static float Smooth(float t)
    {
        return Hermite(t) * 2f;

        static float Hermite(float u) => u * u * (3f - 2f * u);
    }

    /// <summary>
    /// Capturing local functions: reading the kernel's buffers, uniforms, id and locals, writing its locals (directly and
    /// through another local function), a slice local, and a captured local changed between calls.
    /// </summary>
    [Kernel]
    public static void Captures(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<int> counts, float gain, int taps)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        float sum = 0f;
        int hits = 0;
        float offset = 0.5f;
        ReadOnlySpan<float> head = x[..4];
        for (int k = 0; k < taps; k++)
            Accumulate(x, k);
        float first = Shifted();
        offset = 2f;
        y[i] = first * 100f + sum + Shifted() + Head(head, i);
        counts[i] = hits * 10 + Index();

        // Spans cannot be captured in C# (they are ref structs): they are passed, as to helpers.
        void Accumulate(ReadOnlySpan<float> source, int k)
        {
            int j = i + k;
            if (j < source.Length)
            {
                sum += source[j] * gain;
                hits++;
            }
        }

        float Shifted() => offset + Bump();

        float Bump()
        {
            sum += 1f;
            return sum;
        }

        int Index() => id.X % 7;

        float Head(ReadOnlySpan<float> h, int j) => h[j % h.Length] + gain;
    }

    /// <summary>
    /// Local functions writing a vector local through a ref parameter of another, called in a while condition's body, as
    /// an argument of another call, and after a uniform copy changed; a [Specialize] bound read in a local function.
    /// </summary>
    [Kernel]
    public static void Counters(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float u, [Specialize] int limit)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float acc = 0f;
        int calls = 0;
        Vector2 v = new(1f, 2f);
        Add(1f);
        if (Positive(x[i]))
            Add(u);
        while (calls < limit)
            Add(Inc());
        u += 1f;
        v.X += Get();
        y[i] = acc + v.X + v.Y * 10f + u;

        void Add(float d)
        {
            acc += d;
            calls++;
            Bump(ref v);
        }

        float Inc()
        {
            Add(0.5f);
            return calls;
        }

        static bool Positive(float f) => f > 0f;
        float Get() => u + limit + i;
        static void Bump(ref Vector2 w) => w.Y += 1f;
    }

    /// <summary>A generic kernel's local functions: one capturing a T parameter, one static and generic in T.</summary>
    [Kernel(Types = new[] { typeof(float), typeof(int) })]
    public static void Scale<T>(ThreadId id, Span<T> data, T factor) where T : INumber<T>
    {
        int i = id.X;
        if (i >= data.Length)
            return;
        data[i] = Mul(data[i]) + Square(factor);

        T Mul(T v) => v * factor;
        static T Square(T v) => v * v;
    }

    /// <summary>A barrier kernel with a [Specialize] parameter whose local functions read a buffer, shared memory, the override and a local.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void BlockSums(LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> sums, [GroupShared(64)] Span<float> tile, [Specialize] int halvings)
    {
        int l = local.Index;
        int g = group.X * 64 + l;
        tile[l] = Load(x, g);
        Workgroup.Barrier();
        for (int s = 32; s > 0; s >>= 1)
        {
            if (l < s)
                tile[l] += tile[l + s];
            Workgroup.Barrier();
        }
        if (l == 0)
            sums[group.X] = Halved(tile[0]) + Peek(tile);

        static float Load(ReadOnlySpan<float> source, int j) => j < source.Length ? source[j] : 0f;

        float Halved(float v)
        {
            for (int p = 0; p < halvings; p++)
                v *= 0.5f;
            return v;
        }

        float Peek(Span<float> t) => t[1] * 0f + l * 0.001f;
    }
}
