// Corpus: structs with primary constructors (their parameters read by field initializers, in declaration order), with
// another constructor chaining to the primary one, built in kernels and helpers and stored in buffers.
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A stroke from a start point and a direction: the end is computed by a field initializer.</summary>
public struct Stroke(Vector2 start, Vector2 direction, float length)
{
    public Vector2 Start = start;
    public Vector2 End = start + direction * length;
    public float Length = MathF.Abs(length);
    public int Tag = 7;

    /// <summary>A unit stroke along x from <paramref name="x"/>, through the primary constructor.</summary>
    public Stroke(float x) : this(new Vector2(x, 0f), Vector2.UnitX, 1f)
    {
        Tag = -1;
    }
}

public static partial class PrimaryConstructors
{
    /// <summary>Strokes built through the primary constructor and through one that chains to it.</summary>
    [Kernel]
    public static void BuildStrokes(ThreadId id, ReadOnlySpan<Vector4> rays, Span<Stroke> strokes)
    {
        int i = id.X;
        if (i >= rays.Length || i >= strokes.Length)
            return;
        Vector4 r = rays[i];
        strokes[i] = i % 3 == 0 ? new Stroke(r.X) : Make(r);
    }

    private static Stroke Make(Vector4 r) => new(new Vector2(r.X, r.Y), new Vector2(r.Z, r.W), r.X - r.W);
}
