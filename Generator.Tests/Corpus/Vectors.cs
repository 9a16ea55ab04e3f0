// Corpus: System.Numerics vectors in buffers, uniforms and arithmetic.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Vectors
{
    /// <summary>Vector4 buffers: componentwise arithmetic, scalar multiply, component access.</summary>
    [Kernel]
    public static void Vector4Arithmetic(ThreadId id, ReadOnlySpan<Vector4> a, ReadOnlySpan<Vector4> b, Span<Vector4> output, float scale)
    {
        int i = id.X;
        if (i >= output.Length)
            return;
        Vector4 v = (a[i] + b[i]) * scale - a[i] / 2f;
        v.W = v.X + v.Y;
        output[i] = v * b[i];
    }

    /// <summary>Dot, length, normalize, distance, lerp on Vector4.</summary>
    [Kernel]
    public static void Vector4Geometry(ThreadId id, ReadOnlySpan<Vector4> a, ReadOnlySpan<Vector4> b, Span<float> dots, Span<float> lengths, Span<Vector4> mixed)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        dots[i] = Vector4.Dot(a[i], b[i]);
        lengths[i] = a[i].Length() + Vector4.Distance(a[i], b[i]) + b[i].LengthSquared();
        mixed[i] = Vector4.Lerp(a[i], Vector4.Normalize(b[i] + Vector4.One), 0.25f);
    }

    /// <summary>Vector3 in a uniform and in locals: cross product; results stored as Vector4.</summary>
    [Kernel]
    public static void CrossWithUniform(ThreadId id, ReadOnlySpan<Vector4> input, Span<Vector4> output, Vector3 axis, float w)
    {
        int i = id.X;
        if (i >= output.Length)
            return;
        var p = new Vector3(input[i].X, input[i].Y, input[i].Z);
        Vector3 c = Vector3.Cross(axis, p);
        output[i] = new Vector4(c, w);
    }

    /// <summary>Vector2 buffers, constructors, Min/Max/Abs, equality and components.</summary>
    [Kernel]
    public static void Vector2Ops(ThreadId id, ReadOnlySpan<Vector2> points, Span<Vector2> output, Span<int> same, Vector2 offset)
    {
        int i = id.X;
        if (i >= points.Length)
            return;
        Vector2 p = points[i] + offset;
        Vector2 clamped = Vector2.Min(Vector2.Max(p, Vector2.Zero), new Vector2(10f, 10f));
        output[i] = Vector2.Abs(clamped - new Vector2(5f));
        same[i] = clamped == p ? 1 : 0;
    }

    /// <summary>A Vector4 uniform after a float: the uniform block aligns it to 16 bytes.</summary>
    [Kernel]
    public static void Vector4Uniform(ThreadId id, ReadOnlySpan<float> x, Span<Vector4> output, float gain, Vector4 color)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        output[i] = color * (x[i] * gain) + new Vector4(0f, 0f, 0f, 1f) * Vector4.UnitW.W;
    }

    /// <summary>The named operator methods (Add, Subtract, Multiply with a scalar on either side, Divide, Negate) and FusedMultiplyAdd.</summary>
    [Kernel]
    public static void NamedVectorMethods(ThreadId id, ReadOnlySpan<Vector3> a, ReadOnlySpan<Vector3> b, Span<Vector3> sums, Span<Vector3> products, Span<Vector4> fused)
    {
        int i = id.X;
        if (i >= sums.Length)
            return;
        Vector3 u = a[i], v = b[i];
        sums[i] = Vector3.Subtract(Vector3.Add(u, v), Vector3.Negate(v)) + Vector3.Divide(u, 4f);
        products[i] = Vector3.Multiply(2f, u) - Vector3.Multiply(v, 0.5f) + Vector3.Multiply(u, v) + Vector3.Divide(v, new Vector3(2f, 4f, 8f));
        fused[i] = Vector4.FusedMultiplyAdd(new Vector4(u, 1f), new Vector4(v, 2f), Vector4.Negate(new Vector4(v, 3f)));
    }
}

