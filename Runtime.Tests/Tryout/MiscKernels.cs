// Tryout: simulation, ray tracing, random numbers, bit tricks, generics and specialisation.
using System;
using System.Numerics;
using System.Threading;
using KernelGen;

namespace KernelGen.Runtime.Tests.Tryout;

public enum Activation { None, Relu, LeakyRelu, Sigmoid, Tanh }

public struct Particle
{
    public Vector3 Position;
    public float Mass;
    public Vector3 Velocity;
    public float Age;

    public static float KineticEnergy(Particle p) => 0.5f * p.Mass * p.Velocity.LengthSquared();

    public static Particle Integrate(Particle p, Vector3 gravity, float dt)
    {
        p.Velocity += gravity * dt;
        p.Position += p.Velocity * dt;
        p.Age += dt;
        return p;
    }
}

public struct Ray
{
    public Vector3 Origin;
    public Vector3 Direction;
    public Ray(Vector3 origin, Vector3 direction) { Origin = origin; Direction = direction; }
    public static Vector3 At(Ray r, float t) => r.Origin + r.Direction * t;
}

public static class Rng
{
    public static uint Pcg(uint input)
    {
        uint state = input * 747796405u + 2891336453u;
        uint word = ((state >> (int)((state >> 28) + 4u)) ^ state) * 277803737u;
        return (word >> 22) ^ word;
    }

    public static uint XorShift(uint x)
    {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    }

    public static float ToFloat(uint bits) => (bits >> 8) * (1f / 16777216f);
}

public static partial class TryoutMisc
{
    private const float Softening = 0.01f;

    /// <summary>All-pairs n-body acceleration, positions with mass in W.</summary>
    [Kernel]
    public static void NBody(ThreadId id, ReadOnlySpan<Vector4> bodies, Span<Vector4> accel)
    {
        int i = id.X;
        if (i >= bodies.Length) return;
        var pi = bodies[i];
        var p = new Vector3(pi.X, pi.Y, pi.Z);
        var a = Vector3.Zero;
        for (int j = 0; j < bodies.Length; j++)
        {
            if (j == i) continue;
            var bj = bodies[j];
            var r = new Vector3(bj.X, bj.Y, bj.Z) - p;
            float distSqr = Vector3.Dot(r, r) + Softening * Softening;
            float invDist = 1f / MathF.Sqrt(distSqr);
            float s = bj.W * invDist * invDist * invDist;
            a += r * s;
        }
        accel[i] = new Vector4(a, 0f);
    }

    /// <summary>Particles integrated in place through a struct method and a ref local.</summary>
    [Kernel]
    public static void Particles(ThreadId id, Span<Particle> particles, Span<float> energy, Vector3 gravity, float dt, float floor)
    {
        int i = id.X;
        if (i >= particles.Length) return;
        ref var p = ref particles[i];
        p = Particle.Integrate(p, gravity, dt);
        if (p.Position.Y < floor)
        {
            p.Position.Y = floor;
            p.Velocity.Y = -p.Velocity.Y * 0.5f;
        }
        energy[i] = Particle.KineticEnergy(p);
    }

    /// <summary>Game of Life on a torus; is-patterns for the rule.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Life(ThreadId id, ReadOnlySpan<int> cells, Span<int> next, int width, int height)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height) return;
        int n = 0;
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                if (dx == 0 && dy == 0) continue;
                int xx = (x + dx + width) % width;
                int yy = (y + dy + height) % height;
                n += cells[yy * width + xx];
            }
        }
        bool alive = cells[y * width + x] == 1;
        next[y * width + x] = n is 3 || (alive && n is 2) ? 1 : 0;
    }

    /// <summary>Mandelbrot escape counts with do/while and break.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Mandelbrot(ThreadId id, Span<uint> image, int width, int height, int maxIter)
    {
        if (id.X >= width || id.Y >= height) return;
        float cx = -2.0f + 3.0f * id.X / width;
        float cy = -1.2f + 2.4f * id.Y / height;
        float zx = 0, zy = 0;
        uint iter = 0;
        do
        {
            float xt = zx * zx - zy * zy + cx;
            zy = 2 * zx * zy + cy;
            zx = xt;
            if (zx * zx + zy * zy > 4f) break;
            iter++;
        } while (iter < (uint)maxIter);
        image[id.Y * width + id.X] = iter;
    }

    /// <summary>Ray-sphere intersection with Vector3 math, a Ray struct, and an out-parameter helper.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void RaySphere(ThreadId id, Span<float> shade, int width, int height, Vector3 center, float radius)
    {
        if (id.X >= width || id.Y >= height) return;
        var u = (id.X + 0.5f) / width * 2f - 1f;
        var v = (id.Y + 0.5f) / height * 2f - 1f;
        var ray = new Ray(Vector3.Zero, Vector3.Normalize(new Vector3(u, v, -1.5f)));
        float result = 0f;
        var t = Hit(ray, center, radius);
        if (t > 0)
        {
            var lightDir = new Vector3(0.577f, 0.577f, -0.577f);
            var n = Vector3.Normalize(Ray.At(ray, t) - center);
            result = MathF.Max(0f, Vector3.Dot(n, -lightDir));
        }
        shade[id.Y * width + id.X] = result;
    }

    private static float Hit(Ray r, Vector3 c, float radius)
    {
        float t;
        var oc = r.Origin - c;
        float b = Vector3.Dot(oc, r.Direction);
        float cc = Vector3.Dot(oc, oc) - radius * radius;
        float disc = b * b - cc;
        t = 0;
        if (disc < 0) return t;
        t = -b - MathF.Sqrt(disc);
        return t > 0 ? t : 0;
    }

    /// <summary>Sphere-traced SDF: loop with early return from a helper.</summary>
    [Kernel]
    public static void RayMarch(ThreadId id, ReadOnlySpan<Vector3> dirs, Span<float> depth)
    {
        if (id.X >= dirs.Length) return;
        depth[id.X] = March(new Vector3(0, 0, -3), Vector3.Normalize(dirs[id.X]));
    }

    private static float Sdf(Vector3 p) => MathF.Min(p.Length() - 1f, p.Y + 1f);

    private static float March(Vector3 ro, Vector3 rd)
    {
        float t = 0;
        for (int step = 0; step < 64; step++)
        {
            float d = Sdf(ro + rd * t);
            if (d < 1e-3f) return t;
            t += d;
            if (t > 20f) break;
        }
        return -1f;
    }

    /// <summary>PCG hash per element, xorshift stream, unchecked arithmetic.</summary>
    [Kernel]
    public static void Random(ThreadId id, Span<uint> hashes, Span<float> uniforms, uint seed)
    {
        int i = id.X;
        if (i >= hashes.Length) return;
        hashes[i] = Rng.Pcg((uint)i ^ seed);
        uint state = unchecked((uint)i * 2654435761u + seed) | 1u;
        float sum = 0;
        for (int k = 0; k < 4; k++)
        {
            state = Rng.XorShift(state);
            sum += Rng.ToFloat(state);
        }
        uniforms[i] = sum;
    }

    /// <summary>Monte Carlo pi: PCG samples counted with Interlocked.Add.</summary>
    [Kernel]
    public static void MonteCarloPi(ThreadId id, Span<int> inside, int samplesPerThread)
    {
        uint h = (uint)id.X * 0x9E3779B9u;
        int hits = 0;
        for (int s = 0; s < samplesPerThread; s++)
        {
            h = Rng.Pcg(h);
            float x = (h & 0xFFFF) / 65536f;
            float y = (h >> 16) / 65536f;
            if (x * x + y * y <= 1f) hits++;
        }
        Interlocked.Add(ref inside[0], hits);
    }

    /// <summary>Bit tricks: popcount, leading zeros, trailing zeros, reverse bits, log2 and rotate.</summary>
    [Kernel]
    public static void Bits(ThreadId id, ReadOnlySpan<uint> x, Span<int> counts, Span<uint> reversed)
    {
        var i = id.X;
        if (i >= x.Length) return;
        uint v = x[i];
        counts[4 * i] = BitOperations.PopCount(v);
        counts[4 * i + 1] = BitOperations.LeadingZeroCount(v);
        counts[4 * i + 2] = BitOperations.TrailingZeroCount(v);
        counts[4 * i + 3] = BitOperations.Log2(v);
        uint r = 0;
        for (int b = 0; b < 32; b++)
        {
            r = (r << 1) | (v & 1);
            v >>= 1;
        }
        reversed[2 * i] = r;
        reversed[2 * i + 1] = BitOperations.RotateLeft(x[i], i % 32);
    }

    /// <summary>The IBinaryInteger members users reach for (uint.PopCount, int.Log2, ...), which return their argument's type.</summary>
    [Kernel]
    public static void IntegerMembers(ThreadId id, ReadOnlySpan<uint> x, Span<uint> u, Span<int> s)
    {
        var i = id.X;
        if (i >= x.Length) return;
        uint v = x[i];
        int w = (int)v;
        u[5 * i] = uint.PopCount(v);
        u[5 * i + 1] = uint.LeadingZeroCount(v) + uint.TrailingZeroCount(v);
        u[5 * i + 2] = uint.Log2(v);
        u[5 * i + 3] = uint.RotateRight(v, i) ^ uint.RotateLeft(v, 3);
        u[5 * i + 4] = uint.IsPow2(v) ? 1u : 0u;
        s[4 * i] = int.PopCount(w) - int.LeadingZeroCount(w);
        s[4 * i + 1] = int.TrailingZeroCount(w);
        s[4 * i + 2] = w >= 0 ? int.Log2(w) : -1;
        s[4 * i + 3] = int.IsPow2(w) ? 1 : 0;
    }

    /// <summary>Generic bit counts over IBinaryInteger.</summary>
    [Kernel]
    public static void GenericPopCount<T>(ThreadId id, ReadOnlySpan<T> x, Span<T> y) where T : IBinaryInteger<T>
    {
        if (id.X < x.Length)
            y[id.X] = T.PopCount(x[id.X]) + T.Log2(T.Abs(x[id.X]));
    }

    /// <summary>Integer division and remainder with negative operands, Math.Abs/Sign/Min/Max on ints.</summary>
    [Kernel]
    public static void IntMath(ThreadId id, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> o)
    {
        int i = id.X;
        if (i >= a.Length) return;
        int x = a[i], y = b[i];
        if (y == 0) y = 1;
        o[8 * i] = x / y;
        o[8 * i + 1] = x % y;
        o[8 * i + 2] = Math.Abs(x % 1000) * Math.Sign(y);
        o[8 * i + 3] = Math.Max(x, y) - Math.Min(x, y) / 3;
        o[8 * i + 4] = (int)((uint)x / (uint)y);
        o[8 * i + 5] = (int)((uint)x % (uint)y);
        o[8 * i + 6] = x >> (y & 31);
        o[8 * i + 7] = (int)((uint)x >> (i % 32)) + (x << (i % 7));
    }

    /// <summary>Activation chosen by an enum, with a switch expression.</summary>
    [Kernel]
    public static void Activate(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Activation act, float alpha)
    {
        if (id.X >= x.Length) return;
        var v = x[id.X];
        y[id.X] = act switch
        {
            Activation.Relu => MathF.Max(0, v),
            Activation.LeakyRelu => v > 0 ? v : alpha * v,
            Activation.Sigmoid => 1f / (1f + MathF.Exp(-v)),
            Activation.Tanh => MathF.Tanh(v),
            _ => v,
        };
    }

    /// <summary>Generic axpy over INumber.</summary>
    [Kernel]
    public static void Axpy<T>(ThreadId id, T alpha, ReadOnlySpan<T> x, Span<T> y) where T : INumber<T>
    {
        int i = id.X;
        if (i < x.Length)
            y[i] += alpha * x[i];
    }

    /// <summary>Generic clamp-and-sum of a row per invocation.</summary>
    [Kernel]
    public static void RowSum<T>(ThreadId id, ReadOnlySpan<T> x, Span<T> sums, int cols, T lo, T hi) where T : INumber<T>
    {
        int r = id.X;
        if (r >= sums.Length) return;
        T acc = T.Zero;
        for (int c = 0; c < cols; c++)
            acc += T.Clamp(x[r * cols + c], lo, hi);
        sums[r] = acc;
    }

    /// <summary>Block sums with a specialised tile size.</summary>
    [Kernel(WorkgroupSizeFrom = nameof(tile))]
    public static void TileSum(ThreadId id, LocalId lid, GroupId gid, ReadOnlySpan<int> x, Span<int> sums, [Specialize] int tile, [GroupShared(nameof(tile))] Span<int> shared)
    {
        shared[lid.X] = id.X < x.Length ? x[id.X] : 0;
        Workgroup.Barrier();
        for (int s = tile / 2; s > 0; s /= 2)
        {
            if (lid.X < s) shared[lid.X] += shared[lid.X + s];
            Workgroup.Barrier();
        }
        if (lid.X == 0) sums[gid.X] = shared[0];
    }

    /// <summary>Weighted average with foreach over a span buffer and a do-nothing guard.</summary>
    [Kernel]
    public static void Normalize(ThreadId id, ReadOnlySpan<float> weights, Span<float> y)
    {
        if (id.X >= y.Length) return;
        float total = 0f;
        foreach (var w in weights)
            total += MathF.Abs(w);
        y[id.X] = total == 0f ? 0f : weights[id.X % weights.Length] / total;
    }

    /// <summary>Half buffers: scale in float, stored as Half.</summary>
    [Kernel]
    public static void HalfScale(ThreadId id, ReadOnlySpan<Half> x, Span<Half> y, float scale)
    {
        if (id.X < x.Length)
            y[id.X] = (Half)((float)x[id.X] * scale);
    }

    /// <summary>Per-thread insertion sort of 8 values (a small sorting network as users write it).</summary>
    [Kernel]
    public static void SortEight(ThreadId id, Span<float> data)
    {
        int baseIndex = id.X * 8;
        if (baseIndex + 8 > data.Length) return;
        var v = new float[8];
        for (int k = 0; k < 8; k++) v[k] = data[baseIndex + k];
        for (int a = 1; a < v.Length; a++)
        {
            var key = v[a];
            var b = a - 1;
            while (b >= 0 && v[b] > key)
            {
                v[b + 1] = v[b];
                b--;
            }
            v[b + 1] = key;
        }
        for (int k = 0; k < 8; k++) data[baseIndex + k] = v[k];
    }
}
