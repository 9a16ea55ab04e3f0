using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>A particle as a game developer declares it: two Vector3 fields and a float (28 bytes in C#).</summary>
public struct Particle
{
    public Vector3 Position;
    public Vector3 Velocity;
    public float Life;
}

public static partial class Particles
{
    /// <summary>Euler step with gravity and drag, a bounce off the floor, and ageing; through a ref local to the element.</summary>
    [Kernel]
    public static void Update(ThreadId id, Span<Particle> particles, Vector3 gravity, float drag, float restitution, float dt)
    {
        if (id.X >= particles.Length) return;
        ref var p = ref particles[id.X];
        if (p.Life <= 0f) return;
        p.Velocity += gravity * dt;
        p.Velocity *= 1f - drag * dt;
        p.Position += p.Velocity * dt;
        if (p.Position.Y < 0f)
        {
            p.Position.Y = -p.Position.Y;
            p.Velocity.Y *= -restitution;
        }
        p.Life -= dt;
    }

    /// <summary>Boids: separation, alignment and cohesion over neighbours in a radius (positions and velocities as Vector3 buffers).</summary>
    [Kernel]
    public static void Boids(ThreadId id, ReadOnlySpan<Vector3> positions, ReadOnlySpan<Vector3> velocities, Span<Vector3> newVelocities, float radius, float maxSpeed)
    {
        var i = id.X;
        if (i >= positions.Length) return;
        var self = positions[i];
        Vector3 separation = default, alignment = default, centre = default;
        var neighbours = 0;
        for (var j = 0; j < positions.Length; j++)
        {
            if (j == i) continue;
            var offset = positions[j] - self;
            var d2 = offset.LengthSquared();
            if (d2 is 0f || d2 > radius * radius) continue;
            separation -= offset / d2;
            alignment += velocities[j];
            centre += positions[j];
            neighbours++;
        }
        var v = velocities[i];
        if (neighbours > 0)
        {
            centre /= neighbours;
            v += 0.05f * separation + 0.1f * (alignment / neighbours - v) + 0.01f * (centre - self);
        }
        var speed = v.Length();
        newVelocities[i] = speed > maxSpeed ? v * (maxSpeed / speed) : v;
    }

    /// <summary>Verlet integration with distance constraints along a chain, the previous positions swapped in place.</summary>
    [Kernel]
    public static void Verlet(ThreadId id, Span<Vector4> current, Span<Vector4> previous, Vector3 gravity, float dt)
    {
        var i = id.X;
        if (i >= current.Length) return;
        var pinned = current[i].W == 0f;
        if (pinned) return;
        var x = new Vector3(current[i].X, current[i].Y, current[i].Z);
        var old = new Vector3(previous[i].X, previous[i].Y, previous[i].Z);
        var next = 2f * x - old + gravity * (dt * dt);
        previous[i] = current[i];
        current[i] = new(next, current[i].W);
    }
}
