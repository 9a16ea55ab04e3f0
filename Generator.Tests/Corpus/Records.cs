// Corpus: record structs (positional members are auto-properties): construction, 'with', deconstruction, C#'s
// member-wise == and != (floats by float.Equals: NaN equals NaN, 0 equals -0), Equals(R), as buffer elements,
// uniforms, locals and helper parameters.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A grid cell: a readonly record struct of ints with a method over its positional members.</summary>
public readonly record struct Cell(int Row, int Column)
{
    public int Index(int width) => Row * width + Column;
}

/// <summary>A reading: a record struct with a vector, a float and a field of its own after them.</summary>
public record struct Reading(Vector2 Where, float Value)
{
    public int Tag;

    public readonly float Doubled => Value * 2f;
}

/// <summary>A 3-byte pixel: a record struct of bytes, so its buffer is held in C#'s byte layout.</summary>
public record struct Rgb8(byte R, byte G, byte B);

public static partial class Records
{
    /// <summary>Record equality of buffer elements, a uniform and 'with' copies, as bit flags.</summary>
    [Kernel]
    public static void CompareSamples(ThreadId id, ReadOnlySpan<Reading> a, ReadOnlySpan<Reading> b, Span<int> flags, Reading probe)
    {
        int i = id.X;
        if (i >= a.Length || i >= b.Length || i >= flags.Length)
            return;
        Reading x = a[i];
        int f = x == b[i] ? 1 : 0;
        if (x != probe)
            f |= 2;
        if (x.Equals(b[i]))
            f |= 4;
        if ((x with { Tag = 0 }) == (b[i] with { Tag = 0 }))
            f |= 8;
        if (Same(new Reading(x.Where, x.Doubled * 0.5f) with { Tag = x.Tag }, x))
            f |= 16;
        flags[i] = f;
    }

    /// <summary>Deconstruction, construction, 'with' and methods of a readonly record struct.</summary>
    [Kernel]
    public static void MoveCells(ThreadId id, ReadOnlySpan<Cell> cells, Span<Cell> moved, Span<int> indices, int width)
    {
        int i = id.X;
        if (i >= cells.Length || i >= moved.Length || i >= indices.Length)
            return;
        var (row, column) = cells[i];
        var c = new Cell(row + 1, column) with { Column = column - 1 };
        moved[i] = Shift(c, width % 3);
        (int shiftedRow, _) = moved[i];
        indices[i] = c.Index(width) + shiftedRow + (c == cells[i] ? 1000 : 0) + (moved[i] != c ? 10000 : 0);
    }

    /// <summary>A record struct in a buffer of C#'s bytes: deconstructed, copied with 'with', its members updated and compared.</summary>
    [Kernel]
    public static void TintPixels(ThreadId id, Span<Rgb8> pixels, int count)
    {
        int i = id.X;
        if (i >= count)
            return;
        var (r, g, b) = pixels[i];
        pixels[i] = pixels[i] with { R = b, B = r };
        pixels[i].G += 7;
        if (pixels[i] == new Rgb8(0, (byte)(g + 7), 0))
            pixels[i] = pixels[i] with { B = 255 };
    }

    private static bool Same(Reading p, Reading q) => p == q;

    private static Cell Shift(Cell c, int by)
    {
        var (r, col) = c;
        return new Cell(r, col + by);
    }
}
