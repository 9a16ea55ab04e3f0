// Corpus: tuple swap and deconstruction of tuple literals (locals, buffer elements, declarations, loop updates;
// all right sides first, then the assignments in order), and ref / ref readonly locals as WGSL pointers to
// buffer, shared and struct elements (each index evaluated once).
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Tuples
{
    /// <summary>A 4-element sorting network per invocation: swaps of locals and of buffer elements.</summary>
    [Kernel]
    public static void SortFour(ThreadId id, Span<float> data, Span<int> swaps)
    {
        int i = id.X;
        if (i * 4 + 3 >= data.Length || i >= swaps.Length)
            return;
        int o = i * 4;
        float a = data[o], b = data[o + 1], c = data[o + 2], d = data[o + 3];
        int count = 0;
        if (a > b) { (a, b) = (b, a); count++; }
        if (c > d) { (c, d) = (d, c); count++; }
        if (a > c) { (a, c) = (c, a); count++; }
        if (b > d) { (b, d) = (d, b); count++; }
        if (b > c) { (b, c) = (c, b); count++; }
        (data[o], data[o + 1], data[o + 2], data[o + 3]) = (a, b, c, d);
        // Reverse the pairs in place, then swap back: buffer elements on both sides.
        (data[o], data[o + 3]) = (data[o + 3], data[o]);
        (data[o + 3], data[o]) = (data[o], data[o + 3]);
        swaps[i] = count;
    }

    /// <summary>Deconstruction into new locals, with conversions, in a loop body and in a for update.</summary>
    [Kernel]
    public static void Sequences(ThreadId id, ReadOnlySpan<int> n, Span<int> fib, Span<float> mixed)
    {
        int i = id.X;
        if (i >= n.Length)
            return;
        var (f0, f1) = (0, 1);
        for (int k = 0; k < n[i] % 30; k++)
            (f0, f1) = (f1, f0 + f1);
        int steps = 0;
        int lo, hi;
        for ((lo, hi) = (0, n[i]); lo < hi; (lo, hi) = (lo + 1, hi - 2))
            steps++;
        (int q, float r) = (n[i] / 3, n[i] * 0.5f);
        float fa, fb;
        (fa, fb) = (q, 2);
        (fa, _) = (fa + r, fb);
        fib[i] = f0 + steps * 1000;
        mixed[i] = fa * fb;
    }

    /// <summary>ref locals to buffer elements (one with a helper index, evaluated once), to struct locals and to shared memory.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void References(ThreadId id, LocalId local, ReadOnlySpan<float> x, Span<float> y, Span<Mote> motes, Span<int> calls, [GroupShared(64)] Span<float> tile)
    {
        int i = id.X;
        ref float slot = ref tile[local.Index];
        slot = i < x.Length ? x[i] : 0f;
        slot *= 2f;
        Workgroup.Barrier();
        if (i >= y.Length || i >= motes.Length)
            return;
        ref readonly float source = ref x[i];
        ref float acc = ref y[i];
        acc = source;
        acc += tile[(local.Index + 1) % 64];
        acc *= 2f;
        ref Mote m = ref motes[i];
        m.Mass += source;
        m.Position.X = acc;
        m.Kind++;
        Mote copy = m;
        ref Mote alias = ref copy;
        alias.Kind = -alias.Kind;
        ref float mass = ref alias.Mass;
        mass = Scale(mass);
        y[i] += copy.Mass + copy.Kind;
        ref int counted = ref calls[Next(calls, i)];
        counted += 10;
        counted++;
    }

    private static float Scale(float v) => v * 3f;

    private static int Next(Span<int> calls, int i)
    {
        calls[i] += 1;
        return i;
    }
}
