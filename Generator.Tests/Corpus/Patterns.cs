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

    private static int Count(Span<int> counter, int slot, int amount)
    {
        counter[slot] += amount;
        return amount;
    }
}
