// Corpus: a constructor call followed by an object initializer (new S(a, b) { C = c, D = d }): the constructor runs
// (its arguments left to right), then each initializer in order (fields, auto-properties, setters with bodies), each
// value once, where C# evaluates the creation; a record struct's primary constructor with an initializer too.

using System;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A sample with a constructor, a field, an auto-property and a property whose setter has a body.</summary>
public struct Tally
{
    public int A;

    public int B { get; set; }

    public int Sum;

    public int Clamped
    {
        readonly get => Sum;
        set => Sum = Math.Min(value, 50) + A;
    }

    public Tally(int a, int b)
    {
        A = a;
        B = b * 10;
        Sum = a + b;
    }
}

/// <summary>A record struct whose primary constructor sets X and Y, with a settable property of its own.</summary>
public record struct Extent2(int X, int Y)
{
    public int Z { get; set; }
}

public static partial class ConstructorInitializers
{
    /// <summary>Constructor arguments, then initializers in their order, each counted call once; as a value, an argument and under ?:.</summary>
    [Kernel]
    public static void Assemble(ThreadId id, Span<int> counts, Span<Tally> tallies, Span<Extent2> extents, Span<int> sums, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        tallies[2 * i] = new Tally(Tick(counts, i), 10 * Tick(counts, i)) { Clamped = 100 * Tick(counts, i), A = Tick(counts, i) };
        var s = new Tally(i, Tick(counts, i)) { B = Tick(counts, i), Clamped = Tick(counts, i) };
        tallies[2 * i + 1] = s;
        extents[i] = new Extent2(Tick(counts, i), 2 * Tick(counts, i)) { Z = 3 * Tick(counts, i), X = 4 * Tick(counts, i) };
        sums[i] = (i % 2 == 0 ? Total(new Tally(Tick(counts, i), 1) { A = Tick(counts, i) }) : -1) + Tick(counts, i);
        extents[i].Y += new Tally { Clamped = Tick(counts, i), B = 2 }.Sum;
    }

    private static int Total(Tally s) => s.A + s.B + s.Sum;

    private static int Tick(Span<int> counts, int slot)
    {
        counts[slot] += 1;
        return counts[slot];
    }
}
