// Corpus: Matrix4x4 and Matrix3x2 fields of buffer structs in C#'s byte layout (beside byte fields, or Pack = 1).
using System;
using System.Numerics;
using System.Runtime.InteropServices;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A tagged transform: a byte before the matrix (68 bytes in C#, the matrix at byte 4).</summary>
public struct TaggedTransform
{
    public byte Tag;
    public Matrix4x4 World;
}

/// <summary>A packed 2D sprite: a byte, a Matrix3x2 at byte 1 (its floats straddle words), a short.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct PackedSprite
{
    public byte Layer;
    public Matrix3x2 Transform;
    public short Depth;
}

public static partial class MatrixLayouts
{
    /// <summary>Whole matrices read and written, single elements (M41, M32) assigned, a matrix times a vector.</summary>
    [Kernel]
    public static void Transforms(ThreadId id, ReadOnlySpan<TaggedTransform> input, Span<TaggedTransform> output, Span<Vector4> points)
    {
        int i = id.X;
        if (i >= points.Length)
            return;
        TaggedTransform t = input[i];
        points[i] = Vector4.Transform(points[i], t.World);
        output[i].World = Matrix4x4.Transpose(t.World);
        output[i].World.M41 += t.Tag;
        output[i].Tag = (byte)(t.Tag + 1);
        output[i].World.M12 = input[i].World.M44 * 2f;
    }

    /// <summary>Pack = 1: the Matrix3x2 at byte 1, transformed points, then the element written back whole and field by field.</summary>
    [Kernel]
    public static void Sprites(ThreadId id, Span<PackedSprite> sprites, Span<Vector2> points, int n)
    {
        int i = id.X;
        if (i >= n)
            return;
        PackedSprite s = sprites[i];
        points[i] = Vector2.Transform(points[i], s.Transform);
        s.Transform = s.Transform * Matrix3x2.CreateTranslation(1f, 2f);
        s.Depth = (short)(s.Depth - s.Layer);
        sprites[i] = s;
        sprites[i].Transform.M32 = -sprites[i].Transform.M32;
    }
}
