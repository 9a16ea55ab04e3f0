// Corpus: struct constructors — field initializers, ': this(...)' chaining,
// target-typed new(...) in every position — and 'with' on structs and vectors.
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A weighted sample: field initializers run by every constructor that does not chain.</summary>
public struct Sample
{
    public float Value;
    public float Weight;
    public int Tag = 7;

    public Sample(float value, float weight)
    {
        Value = value;
        Weight = weight;
        Tag += 1;
    }

    public Sample(float value) : this(value, 1f)
    {
        Tag *= 10;
    }
}

/// <summary>A constructor whose body reads a field that an initializer set (primary constructors are KG0018).</summary>
public struct Segment
{
    public Vector2 Start;
    public Vector2 End;
    public float Length = 1f;

    public Segment(Vector2 start, Vector2 end)
    {
        Start = start;
        End = end;
        Length *= Vector2.Distance(start, end);
    }
}

public static partial class Constructors
{
    [Kernel]
    public static void Build(ThreadId id, ReadOnlySpan<Vector2> points, Span<Sample> samples, Span<float> lengths, Span<int> counter)
    {
        int i = id.X;
        if (i + 1 >= points.Length || i >= samples.Length)
            return;
        Sample a = new(points[i].X);
        Sample b = new(points[i].Y, 0.5f);
        Sample c = Combine(a, new(2f, 3f));
        Segment s = new(points[i], points[i + 1]);
        Segment flat = s with { End = s.End with { Y = s.Start.Y } };
        Sample d = c with { Weight = b.Weight * 2f, Tag = a.Tag + b.Tag };
        Sample e = d with { Value = Bump(counter, i) };
        samples[i] = e;
        lengths[i] = s.Length + (flat with { Length = 0.5f }).Length + (points[i] with { X = 1f }).X + e.Tag;
    }

    private static Sample Combine(Sample x, Sample y) => new(x.Value * x.Weight + y.Value * y.Weight, x.Weight + y.Weight);

    private static float Bump(Span<int> counter, int i)
    {
        counter[i] += 1;
        return counter[i];
    }
}
