// Corpus: user structs in storage buffers and uniforms (C# layout equals WGSL layout).
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A particle: 32 bytes in C# and in WGSL (Vector4 first, then scalars).</summary>
public struct Particle
{
    public Vector4 Position;
    public float Mass;
    public int Id;
    public uint Flags;
    public float Padding;
}

/// <summary>Simulation constants passed as one struct uniform.</summary>
public struct StepParameters
{
    public float Dt;
    public float Damping;
    public int Count;
    public int Padding;
}

/// <summary>A 2D box; fits in 16 bytes.</summary>
public struct Box
{
    public Vector2 Min;
    public Vector2 Max;
}

public static partial class Structs
{
    /// <summary>Reads and writes a struct buffer; struct uniform; field assignment through an element.</summary>
    [Kernel]
    public static void Integrate(ThreadId id, ReadOnlySpan<Particle> particles, ReadOnlySpan<Vector4> velocities, Span<Particle> output, StepParameters step)
    {
        int i = id.X;
        if (i >= step.Count)
            return;
        Particle p = particles[i];
        p.Position += velocities[i] * (step.Dt * step.Damping);
        p.Flags |= 1u;
        output[i] = p;
        output[i].Mass = p.Mass * 2f;
    }

    /// <summary>Struct locals built with an object initializer (missing fields are zero).</summary>
    [Kernel]
    public static void MakeBoxes(ThreadId id, ReadOnlySpan<Vector2> centers, Span<Box> boxes, float halfSize)
    {
        int i = id.X;
        if (i >= centers.Length)
            return;
        var box = new Box { Max = centers[i] + new Vector2(halfSize), Min = centers[i] - new Vector2(halfSize) };
        Box empty = default;
        if (halfSize > 0f)
            boxes[i] = box;
        else
            boxes[i] = empty;
    }

    /// <summary>A struct passed to and returned from a helper function.</summary>
    [Kernel]
    public static void BoxAreas(ThreadId id, ReadOnlySpan<Box> boxes, Span<float> areas)
    {
        int i = id.X;
        if (i >= boxes.Length)
            return;
        areas[i] = Area(Grow(boxes[i], 1f));
    }

    private static Box Grow(Box box, float by)
    {
        box.Min -= new Vector2(by);
        box.Max += new Vector2(by);
        return box;
    }

    private static float Area(Box box)
    {
        Vector2 size = box.Max - box.Min;
        return size.X * size.Y;
    }
}
