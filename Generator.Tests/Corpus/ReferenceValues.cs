// Corpus: calls whose value is used while they pass a buffer element (or a field of one) by reference: a struct
// method that changes an element (`states[i].Next()` in a condition, a sum, a loop bound), and ref/out helper
// parameters given buffer elements. Each runs as C# does: its place is read, changed and written back before
// anything C# evaluates after the call, and only when C# evaluates the call (short-circuits, conditionals).
#pragma warning disable CA1051

using System;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A linear congruential generator kept per invocation in a buffer.</summary>
public struct Lcg
{
    public uint State;

    public uint Next()
    {
        State = State * 1664525u + 1013904223u;
        return State >> 8;
    }

    public float NextUnit() => Next() * (1f / 16777216f);
}

public static partial class ReferenceValues
{
    /// <summary>Adds <paramref name="by"/> to <paramref name="c"/> and returns the old value (a fetch-add, not atomic).</summary>
    private static int Bump(ref int c, int by)
    {
        int old = c;
        c += by;
        return old;
    }

    private static bool TryHalve(int x, out int half)
    {
        half = x / 2;
        return (x & 1) == 0;
    }

    private static int Exchange(ref int a, ref int b)
    {
        int t = a;
        a = b;
        b = t;
        return a - b;
    }

    [Kernel]
    public static void Draws(ThreadId id, Span<Lcg> states, Span<uint> picks, Span<float> sums, Span<int> steps)
    {
        int i = id.X;
        if (i >= states.Length)
            return;
        // In a declaration, in a condition, twice in one sum (left to right), under && and ?:, in a loop condition.
        uint first = states[i].Next();
        float sum = states[i].NextUnit() + 2f * states[i].NextUnit();
        if (states[i].Next() % 2u == 0u && states[i].Next() % 3u == 0u)
            sum += 10f;
        picks[i] = first ^ ((first & 1u) == 0u ? states[i].Next() : 7u);
        int n = 0;
        while (states[i].Next() % 4u != 0u && n < 32)
            n++;
        steps[i] = n;
        sums[i] = sum;
    }

    [Kernel]
    public static void Counters(ThreadId id, Span<int> counts, Span<int> halves, Span<int> olds, ReadOnlySpan<int> partner)
    {
        int i = id.X;
        if (i >= partner.Length)
            return;
        int a = 2 * i; // each invocation owns counts[2i] and counts[2i + 1]
        // The element is read before the call and written by it: C# reads the old value first.
        int before = counts[a] + Bump(ref counts[a], 5) + counts[a];
        // An out argument that is a buffer element, used in a condition.
        int h = TryHalve(counts[a], out halves[i]) ? halves[i] : -halves[i];
        // Two elements that are one when partner[i] is even: the aliased version runs then, as C#'s references are one.
        int b = a + (partner[i] & 1);
        int d = Exchange(ref counts[a], ref counts[b]) * 3 + Bump(ref counts[b], 1);
        olds[a] = before;
        olds[a + 1] = h * 10 + d;
    }
}
