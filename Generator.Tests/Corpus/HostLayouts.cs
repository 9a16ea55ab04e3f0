// Corpus: buffers in C#'s layout where WGSL's differs. Span<Vector3> keeps C#'s 12-byte elements (bound as
// array<f32>, element i the three floats from 3i): whole-element loads and stores, compound assignments,
// component reads and writes, Length, helpers taking the buffer, and an index evaluated once.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class HostLayouts
{
    /// <summary>positions += velocities * dt over 12-byte Vector3 elements.</summary>
    [Kernel]
    public static void Advance(ThreadId id, Span<Vector3> positions, ReadOnlySpan<Vector3> velocities, float dt)
    {
        int i = id.X;
        if (i >= positions.Length)
            return;
        positions[i] += velocities[i] * dt;
    }

    /// <summary>Component reads and writes (by name, by index, compound), a uint index and a helper reading the buffer.</summary>
    [Kernel]
    public static void Components(ThreadId id, ReadOnlySpan<Vector3> x, Span<Vector3> y, Span<float> lengths)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        Vector3 v = x[i];
        lengths[i] = v.Length() + x[i].Z;
        y[i] = Vector3.Cross(v, Vector3.UnitZ);
        y[i].X = v.Y;
        y[i].Z += 1f;
        y[i].Y = Sum(x, i);
        y[i][2] *= 2f;
    }

    /// <summary>Each index runs once: the index counts its own evaluations in calls[0].</summary>
    [Kernel(WorkgroupSize = 1)]
    public static void IndexOnce(ThreadId id, Span<Vector3> y, Span<int> calls)
    {
        if (id.X != 0)
            return;
        for (int k = 0; k < 3; k++)
            y[Next(calls)] += new Vector3(1f, 2f, 3f);
        y[Next(calls)] = y[0] * 2f;
        y[Next(calls)].Y -= 5f;
    }

    private static float Sum(ReadOnlySpan<Vector3> b, int i) => b[i].X + b[i].Y + b[i].Z;

    private static int Next(Span<int> calls)
    {
        calls[0] += 1;
        return calls[0] - 1;
    }
}
