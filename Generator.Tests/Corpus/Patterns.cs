// Corpus: patterns — switch expressions (constant, relational, and/or/not, discards, guards, throw arms) in
// any expression position, is-patterns in conditions, field patterns, pattern cases with when in switch
// statements; governing values evaluated once and arms in C#'s order, helper arms only when chosen.
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051
#pragma warning disable CA2208

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A particle for field patterns and struct-valued switch arms.</summary>
public struct Mote
{
    public Vector2 Position;
    public float Mass;
    public int Kind;
}

public static partial class Patterns
{
    /// <summary>Switch expressions and is-patterns on ints, floats and enums, in locals, arguments and nested expressions.</summary>
    [Kernel]
    public static void Classify(ThreadId id, ReadOnlySpan<int> x, ReadOnlySpan<float> f, Span<int> y, Span<float> z, BlendMode mode)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        int v = x[i];
        int c = v switch
        {
            < 0 => -1,
            0 => 0,
            > 0 and < 10 => 1,
            10 or 20 or 30 => 2,
            _ => 3,
        };
        if (v is > 0 and < 8)
            c += 100;
        if (x[i] is 3 or 5 or > 1000)
            c += 1000;
        if (v is not 0 && (v & 1) is 1)
            c += 10000;
        y[i] = c * 10 + ((v % 4) switch { 0 => 1, 1 or -1 => 2, _ => 3 }) + Twice(v is >= 100 ? 5 : 6);
        float g = f[i];
        float scale = mode switch
        {
            BlendMode.Add => 1f,
            BlendMode.Multiply => 2f,
            BlendMode.Max or BlendMode.Min => 3f,
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
        z[i] = scale * (g switch
        {
            < -1f => -1f,
            >= -1f and < 0f => g * 2f,
            float.PositiveInfinity => 7f,
            not (>= 2f) => g,
            _ when v > 0 => MathF.Sqrt(g),
            _ => 0f,
        });
    }

    private static int Twice(int value) => value * 2;

    /// <summary>Pattern cases with when guards in a switch statement inside a loop (break and continue keep their C# meaning).</summary>
    [Kernel]
    public static void PatternCases(ThreadId id, ReadOnlySpan<int> x, Span<int> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        int total = 0;
        for (int k = 0; k < 6; k++)
        {
            int v = x[i] + k * 37;
            switch (v % 200)
            {
                case < 0:
                    total -= 1;
                    break;
                case 0 or 1:
                    total += 2;
                    continue;
                case > 100 when (v & 1) == 0:
                    total += 3;
                    if (v > 150)
                        break;
                    total += 30;
                    break;
                case > 100:
                case 50:
                    total += 4;
                    break;
                default:
                    total += 5;
                    break;
            }
            total *= 2;
        }
        float r = x[i] * 0.5f;
        switch (r)
        {
            case < 10f and > -10f:
                total += 1000000;
                break;
            case 20f:
                total += 2000000;
                break;
        }
        y[i] = total;
    }

    /// <summary>
    /// Arms that call a helper which writes a buffer run only when chosen; a helper as the governing value runs
    /// once; struct-valued arms; field patterns on structs and vectors.
    /// </summary>
    [Kernel]
    public static void SideEffects(ThreadId id, ReadOnlySpan<Mote> particles, Span<int> counter, Span<float> y, Span<Mote> moved)
    {
        int i = id.X;
        if (i >= y.Length || i >= particles.Length)
            return;
        Mote p = particles[i];
        float w = p.Kind switch
        {
            0 => p.Mass,
            1 => Count(counter, i, 1) + p.Mass,
            _ => Count(counter, i, 2) * 0f,
        };
        int k = Count(counter, i, 4) switch { 4 => 1, 8 => 2, _ => 3 };
        if (p is { Position.X: > 0f, Position.Y: < 0f } or { Mass: 0f })
            w += 100f;
        if (p.Position is { X: < 0f, Y: < 0f })
            w -= 100f;
        y[i] = w + k;
        moved[i] = p.Kind switch
        {
            0 => p,
            1 => new Mote { Position = p.Position * 2f, Mass = p.Mass, Kind = 9 },
            _ => default,
        };
    }

    /// <summary>
    /// NaN constant patterns match every NaN (C# tests them with float.IsNaN), in is-patterns, switch arms,
    /// case labels, a helper, a loop condition and a conditional; relational patterns and 0f on NaN, -0f and infinities.
    /// The NaNs come from the buffer: WGSL lets a compiler assume arithmetic makes none (lavapipe folds x * 0f to 0).
    /// </summary>
    [Kernel]
    public static void NaNPatterns(ThreadId id, ReadOnlySpan<float> f, Span<int> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float g = f[i];
        int c = g switch
        {
            float.NaN => 1,
            float.PositiveInfinity => 2,
            float.NegativeInfinity => 3,
            0f => 4,
            > 0f => 5,
            _ => 6,
        };
        if (g is not float.NaN and not (>= 1f))
            c += 10;
        if (f[(i + 1) % f.Length] is float.NaN or 1f)
            c += 100;
        c += IsMissing(g) ? 1000 : 0;
        switch (g)
        {
            case float.NaN:
                c += 20000;
                break;
            case < -1f:
                c += 30000;
                break;
            case 0f:
                c += 40000;
                break;
        }
        int steps = 0;
        float h = g;
        while (h is not float.NaN && steps < 3)
        {
            steps++;
            h = steps == 2 ? f[(i + 2) % f.Length] : f[(i + 1) % f.Length];
        }
        c += steps * 100000;
        c += g is not (< 0f or > 0f) ? 1000000 : 0;
        y[i] = c;
    }

    private static bool IsMissing(float value) => value is float.NaN;

    /// <summary>
    /// Positional patterns on tuples (literals and tuple values), variables declared by patterns (var, typed,
    /// under and, in field patterns and with when), in a switch expression and statement, a helper, a loop
    /// condition and a conditional; a governing value with effects evaluated once.
    /// </summary>
    [Kernel]
    public static void TuplePatterns(ThreadId id, ReadOnlySpan<int> x, ReadOnlySpan<Mote> motes, Span<int> counter, Span<int> y)
    {
        int i = id.X;
        if (i >= y.Length || i >= motes.Length)
            return;
        int a = x[i] % 5, b = x[i] / 5 % 7;
        int c = (a, b) switch
        {
            (0, _) => 1,
            (_, > 3) => 2,
            (var p, var q) when p == q => 3 + p,
            (> 2, var q) => 10 + q,
            _ => 4,
        };
        if ((a, b) is (0, 0))
            c += 100;
        (int, int) pair = (b, a);
        if (pair is (> 1, < 3) or (0, 4))
            c += 200;
        Mote m = motes[i];
        if (m is { Position.X: > 0f, Kind: var kind } && kind < 3)
            c += 1000 * (kind + 1);
        if (m.Position is { X: var px, Y: > 0f })
            c += px > 1f ? 10000 : 20000;
        if (x[i] is > 0 and var v)
            c += v % 3;
        if (Count(counter, i, 1) is > 0 and var w)
            c += 100000 * w;
        switch (x[i] - 50)
        {
            case var n when n > 900:
                c += 300000;
                break;
            case < -900 and var n:
                c += n < -1000 ? 400000 : 500000;
                break;
        }
        c += Larger(x[i], 100) ? 1000000 : 0;
        int steps = 0;
        for (int k = 0; (x[i] + k) % 16 is var r && r != 0 && k < 20; k++)
            steps++;
        c += steps * 10000000;
        y[i] = x[i] % 2 is 1 ? c : -c;
    }

    private static bool Larger(int value, int limit) => value is var v && v > limit;

    private static int Count(Span<int> counter, int slot, int amount)
    {
        counter[slot] += amount;
        return amount;
    }
}
