using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout2;

public static partial class Physics
{
    static float At(ReadOnlySpan<float> g, int x, int y, int w, int h) => g[Math.Clamp(y, 0, h - 1) * w + Math.Clamp(x, 0, w - 1)];

    /// <summary>One Jacobi step of the 2-D heat equation with clamped borders and fixed hot cells.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void HeatStep(ThreadId id, ReadOnlySpan<float> src, Span<float> dst, ReadOnlySpan<byte> fixedMask, int width, int height, float alpha)
    {
        var (x, y) = (id.X, id.Y);
        if (x >= width || y >= height) return;
        var i = y * width + x;
        if (fixedMask[i] != 0) { dst[i] = src[i]; return; }
        var lap = At(src, x - 1, y, width, height) + At(src, x + 1, y, width, height)
                + At(src, x, y - 1, width, height) + At(src, x, y + 1, width, height) - 4f * src[i];
        dst[i] = src[i] + alpha * lap;
    }

    static ReadOnlySpan<int> Cx => [0, 1, 0, -1, 0, 1, -1, -1, 1];
    static ReadOnlySpan<int> Cy => [0, 0, 1, 0, -1, 1, 1, -1, -1];
    static readonly float[] W = { 4f / 9f, 1f / 9f, 1f / 9f, 1f / 9f, 1f / 9f, 1f / 36f, 1f / 36f, 1f / 36f, 1f / 36f };

    /// <summary>Lattice-Boltzmann D2Q9: pull streaming (periodic) then BGK collision. f is [q][y][x].</summary>
    [Kernel(WorkgroupSize = 16, WorkgroupSizeY = 4)]
    public static void LbmStep(ThreadId id, ReadOnlySpan<float> fIn, Span<float> fOut, int nx, int ny, float omega)
    {
        int x = id.X, y = id.Y;
        if (x >= nx || y >= ny) return;
        var cells = nx * ny;
        Span<float> f = stackalloc float[9];
        float rho = 0f, ux = 0f, uy = 0f;
        for (var q = 0; q < 9; q++)
        {
            var sx = (x - Cx[q] + nx) % nx;
            var sy = (y - Cy[q] + ny) % ny;
            f[q] = fIn[q * cells + sy * nx + sx];
            rho += f[q];
            ux += Cx[q] * f[q];
            uy += Cy[q] * f[q];
        }
        ux /= rho;
        uy /= rho;
        var usq = 1.5f * (ux * ux + uy * uy);
        for (var q = 0; q < 9; q++)
        {
            var cu = 3f * (Cx[q] * ux + Cy[q] * uy);
            var feq = W[q] * rho * (1f + cu + 0.5f * cu * cu - usq);
            fOut[q * cells + y * nx + x] = f[q] + omega * (feq - f[q]);
        }
    }

    const float H = 0.5f;
    static readonly float Poly6 = 315f / (64f * MathF.PI * MathF.Pow(H, 9));

    /// <summary>SPH density with the poly6 kernel over every particle (C#'s 12-byte Vector3 buffer).</summary>
    [Kernel]
    public static void SphDensity(ThreadId id, ReadOnlySpan<Vector3> positions, Span<float> density, float mass)
    {
        var i = id.X;
        if (i >= positions.Length) return;
        var pi = positions[i];
        var sum = 0f;
        const float h2 = H * H;
        foreach (var pj in positions)
        {
            var r2 = Vector3.DistanceSquared(pi, pj);
            if (r2 < h2)
            {
                var d = h2 - r2;
                sum += d * d * d;
            }
        }
        density[i] = mass * 315f / (64f * MathF.PI * H * H * H * H * H * H * H * H * H) * sum;
    }

    public struct Spring
    {
        public int A;
        public int B;
        public float Rest;
        public float Stiffness;
    }

    /// <summary>Cloth: each spring adds its Hooke force to both ends with float atomics.</summary>
    [Kernel]
    public static void SpringForces(ThreadId id, ReadOnlySpan<Spring> springs, ReadOnlySpan<Vector4> positions, Span<float> forces)
    {
        var s = id.X;
        if (s >= springs.Length) return;
        var sp = springs[s];
        var d = positions[sp.B] - positions[sp.A];
        var len = d.Length();
        if (len < 1e-6f) return;
        var f = d / len * (sp.Stiffness * (len - sp.Rest));
        for (var c = 0; c < 3; c++)
        {
            Atomic.Add(ref forces[sp.A * 3 + c], f[c]);
            Atomic.Add(ref forces[sp.B * 3 + c], -f[c]);
        }
    }

    public struct Particle
    {
        public Vector3 Position;
        public float InvMass;
        public Vector3 Velocity;
        public float Pad;

        public void Integrate(Vector3 force, Vector3 gravity, float dt)
        {
            if (InvMass == 0f) return;
            Velocity += (force * InvMass + gravity) * dt;
            Position += Velocity * dt;
        }
    }

    /// <summary>Symplectic Euler on particle structs, a struct method changing a buffer element.</summary>
    [Kernel]
    public static void Integrate(ThreadId id, Span<Particle> particles, ReadOnlySpan<float> forces, Vector3 gravity, float dt)
    {
        var i = id.X;
        if (i >= particles.Length) return;
        var force = new Vector3(forces[i * 3], forces[i * 3 + 1], forces[i * 3 + 2]);
        particles[i].Integrate(force, gravity, dt);
    }
}
