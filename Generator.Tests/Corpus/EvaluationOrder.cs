// Corpus: operands with side effects. Each helper call bumps a per-invocation counter and returns its new
// value, so every result says how often and in which order C# evaluated the operands: exactly once each,
// left to right, short-circuits and conditionals lazy. WGSL must give the same numbers.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class EvaluationOrder
{
    /// <summary>Intrinsics that use an argument twice (DistanceSquared, LengthSquared) and one of each family, with counted arguments.</summary>
    [Kernel]
    public static void IntrinsicArguments(ThreadId id, Span<int> counts, Span<float> y, Span<int> bits, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        y[8 * i] = Vector4.DistanceSquared(V(counts, i), Vector4.Zero);
        y[8 * i + 1] = V(counts, i).LengthSquared();
        y[8 * i + 2] = MathF.Max(T(counts, i), 10f * T(counts, i));
        y[8 * i + 3] = Vector2.Dot(new Vector2(T(counts, i), 1f), new Vector2(T(counts, i), 100f));
        y[8 * i + 4] = MathF.Sign(T(counts, i) - 6.5f) * T(counts, i);
        y[8 * i + 5] = float.IsNaN(T(counts, i)) ? -1f : T(counts, i);
        bits[2 * i] = BitOperations.PopCount((uint)Tick(counts, i)) * 100 + Tick(counts, i);
        bits[2 * i + 1] = BitConverter.SingleToInt32Bits(T(counts, i)) - BitConverter.SingleToInt32Bits(T(counts, i));
    }

    /// <summary>Compound assignments and ++ on buffer elements whose index and value both have side effects.</summary>
    [Kernel]
    public static void CompoundForms(ThreadId id, Span<int> counts, Span<int> y, Span<Vector4> v, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        y[8 * i + Tick(counts, i) - 1] += 10 * Tick(counts, i);
        y[8 * i + Tick(counts, i)]++;
        y[8 * i + 4] = 5;
        y[8 * i + 4] += Bump(y, 8 * i + 4);
        y[8 * i + Tick(counts, i)] >>>= Tick(counts, i) - 4;
        v[2 * i + Tick(counts, i) - 6].Y += Tick(counts, i);
        v[2 * i + 1].Z -= v[2 * i + 1].X * Tick(counts, i);
    }

    /// <summary>Conditionals and short-circuits whose helpers must run only when C# runs them, in C#'s order.</summary>
    [Kernel]
    public static void ConditionalForms(ThreadId id, Span<float> y, Span<float> z, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        if (n > 0 && (i % 2 == 0 ? Add(y, 6 * i, 1f) > 0f : false))
            z[6 * i] = 1f;
        z[6 * i + 1] = n < 0 || (i % 3 == 0 ? Add(y, 6 * i + 1, 1f) > 0f : false) ? 1f : 2f;
        z[6 * i + 2] = Add(y, 6 * i + 2, 1f) + (i % 2 == 0 ? 10f * Add(y, 6 * i + 2, 2f) : 0f);
        z[6 * i + 3] = y[6 * i + 3] * (i > 1 ? Add(y, 6 * i + 3, 2f) : 1f);
        y[6 * i + 4] += i > 1 ? Add(y, 6 * i + 4, 2f) : 1f;
        z[6 * i + 5] = Add(y, 6 * i + 5, 1f) * (i % 2 == 1 ? Add(z, 6 * i + 5, 2f) : y[6 * i + 5]);
    }

    /// <summary>A struct initializer evaluates its values in the initialisers' order, not the fields'.</summary>
    [Kernel]
    public static void InitializerOrder(ThreadId id, Span<int> counts, Span<Pair> pairs, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        pairs[i] = new Pair { B = Tick(counts, i), A = 10 * Tick(counts, i) };
    }

    public struct Pair
    {
        public int A;
        public int B;
    }

    private static int Tick(Span<int> counts, int slot)
    {
        counts[slot] += 1;
        return counts[slot];
    }

    private static float T(Span<int> counts, int slot) => Tick(counts, slot);

    private static Vector4 V(Span<int> counts, int slot) => new Vector4(Tick(counts, slot));

    /// <summary>Doubles the element and returns 1: a compound assignment to it must have read it first.</summary>
    private static int Bump(Span<int> y, int slot)
    {
        y[slot] *= 2;
        return 1;
    }

    private static float Add(Span<float> s, int slot, float v)
    {
        s[slot] += v;
        return s[slot];
    }
}
