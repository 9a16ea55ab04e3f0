// Corpus: static readonly values (C# has no const Vector3) of this or another class, read in kernels, helpers and local functions.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public enum Phase { Rest, Fall, Bounce }

public struct Material
{
    public float Bounce;
    public Vector3 Tint;
    public int Steps;
}

public static class World
{
    public static readonly Vector3 Gravity = new(0f, -9.8f, 0f);
    public static readonly Material Rubber = new Material { Bounce = 0.75f, Tint = new Vector3(0.1f, 0.2f, 0.3f), Steps = 3 };
}

public static partial class StaticConstants
{
    private static readonly Vector3 Up = Vector3.UnitY;
    private static readonly Vector3 Down = -Vector3.One;
    private static readonly Vector2 Half = new(0.5f);
    private static readonly Vector4 Fill = new(new Vector2(1.5f, -2.25f), 3f, 0.1f);
    private static readonly float Damping = 0.98f * 0.5f;
    private static readonly int Limit = 4;
    private static readonly uint Mask = 0xF0u;
    private static readonly int Wide = 36;   // C# shifts by 36 & 31 = 4
    private static readonly bool Clamp = true;
    private static readonly Phase Start = Phase.Fall;
    private static readonly Vector3 Origin = Vector3.Zero;

    /// <summary>A helper that reads a static readonly struct of another class.</summary>
    private static float Bounced(float v) => -v * World.Rubber.Bounce;

    /// <summary>One step of a falling body with the constants in a loop bound, a condition, ?: and compound assignments.</summary>
    [Kernel]
    public static void Fall(ThreadId id, Span<Vector3> pos, Span<Vector3> vel, Span<int> phase, float dt)
    {
        int i = id.X;
        if (i >= pos.Length) return;
        Vector3 p = pos[i], v = vel[i];
        Phase ph = Start;
        for (int s = 0; s < World.Rubber.Steps; s++)
        {
            v += World.Gravity * dt;
            p += v * dt;
            if (p.Y < Origin.Y)
            {
                p.Y = Clamp ? 0f : p.Y;
                v.Y = Bounced(v.Y);
                ph = Phase.Bounce;
            }
        }
        v *= Damping;
        pos[i] = p + Up * Tilt(i) + World.Rubber.Tint;
        vel[i] = v;
        phase[i] = (int)ph;

        float Tilt(int k) => k % Limit == 0 ? Down.X : Half.Y;
    }

    /// <summary>Integer, unsigned and vector constants as values and operands.</summary>
    [Kernel]
    public static void Mix(ThreadId id, ReadOnlySpan<uint> src, Span<uint> bits, Span<Vector4> tint)
    {
        int i = id.X;
        if (i >= src.Length) return;
        bits[i] = ((src[i] & Mask) >> Limit) | (src[i] << Wide);
        tint[i] = Fill * (float)(i % Limit);
    }
}
