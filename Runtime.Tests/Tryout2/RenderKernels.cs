using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout2;

public enum Material { Diffuse, Metal, Emissive, Glass }

public struct Ray
{
    public Vector3 Origin;
    public Vector3 Direction;
    public Ray(Vector3 origin, Vector3 direction) { Origin = origin; Direction = direction; }
    public readonly Vector3 At(float t) => Origin + t * Direction;
}

public struct Sphere
{
    public Vector3 Center;
    public float Radius;
    public Vector3 Albedo;
    public Material Material;

    public readonly bool Hit(in Ray ray, float tMin, float tMax, out float t)
    {
        var oc = ray.Origin - Center;
        var b = Vector3.Dot(oc, ray.Direction);
        var c = oc.LengthSquared() - Radius * Radius;
        var disc = b * b - c;
        t = 0f;
        if (disc < 0f) return false;
        var sq = MathF.Sqrt(disc);
        var root = -b - sq;
        if (root <= tMin || root >= tMax)
        {
            root = -b + sq;
            if (root <= tMin || root >= tMax) return false;
        }
        t = root;
        return true;
    }
}

public struct Pcg
{
    public uint State;
    public Pcg(uint seed) { State = seed * 747796405u + 2891336453u; }

    public uint NextUInt()
    {
        var s = State;
        State = s * 747796405u + 2891336453u;
        var word = ((s >> (int)((s >> 28) + 4u)) ^ s) * 277803737u;
        return (word >> 22) ^ word;
    }

    public float NextFloat() => (NextUInt() >> 8) * (1f / 16777216f);
}

public static partial class Render
{
    static Vector3 Emission(Material m, Vector3 albedo) => m switch
    {
        Material.Emissive => albedo * 4f,
        _ => Vector3.Zero,
    };

    static float Reflectance(Material m) => m switch
    {
        Material.Diffuse => 0.5f,
        Material.Metal or Material.Glass => 0.9f,
        _ => 0f,
    };

    /// <summary>A tiny path tracer: spheres with materials, a deterministic bounce per material.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Trace(ThreadId id, ReadOnlySpan<Sphere> spheres, Span<Vector4> image, int width, int height, int bounces)
    {
        if (id.X >= width || id.Y >= height) return;
        var u = (id.X + 0.5f) / width * 2f - 1f;
        var v = 1f - (id.Y + 0.5f) / height * 2f;
        var ray = new Ray(new Vector3(0f, 0f, -3f), Vector3.Normalize(new Vector3(u, v, 1.5f)));
        var throughput = Vector3.One;
        var color = Vector3.Zero;
        for (var bounce = 0; bounce < bounces; bounce++)
        {
            var closest = float.MaxValue;
            var hitIndex = -1;
            for (var s = 0; s < spheres.Length; s++)
            {
                if (spheres[s].Hit(ray, 1e-3f, closest, out var t))
                {
                    closest = t;
                    hitIndex = s;
                }
            }
            if (hitIndex < 0)
            {
                color += throughput * new Vector3(0.2f, 0.3f, 0.5f);
                break;
            }
            var sphere = spheres[hitIndex];
            var p = ray.At(closest);
            var n = Vector3.Normalize(p - sphere.Center);
            color += throughput * Emission(sphere.Material, sphere.Albedo);
            throughput *= sphere.Albedo * Reflectance(sphere.Material);
            var dir = sphere.Material switch
            {
                Material.Metal => Vector3.Reflect(ray.Direction, n),
                Material.Glass => ray.Direction,
                _ => Vector3.Normalize(n + new Vector3(0f, 1f, 0f)),
            };
            ray = new(p + n * 1e-3f, dir);
        }
        image[id.Y * width + id.X] = new Vector4(color, 1f);
    }

    static float SdSphere(Vector3 p, float r) => p.Length() - r;

    static float SdBox(Vector3 p, Vector3 b)
    {
        var q = Vector3.Abs(p) - b;
        return Vector3.Max(q, Vector3.Zero).Length() + MathF.Min(MathF.Max(q.X, MathF.Max(q.Y, q.Z)), 0f);
    }

    static float Scene(Vector3 p) => MathF.Min(SdSphere(p - new Vector3(0.5f, 0f, 0f), 0.6f), SdBox(p + new Vector3(0.6f, 0f, 0f), new Vector3(0.4f)));

    static Vector3 Normal(Vector3 p)
    {
        const float e = 1e-3f;
        return Vector3.Normalize(new Vector3(
            Scene(p + Vector3.UnitX * e) - Scene(p - Vector3.UnitX * e),
            Scene(p + Vector3.UnitY * e) - Scene(p - Vector3.UnitY * e),
            Scene(p + Vector3.UnitZ * e) - Scene(p - Vector3.UnitZ * e)));
    }

    /// <summary>Sphere tracing an SDF scene; writes the step count and a Lambert shade.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void RayMarch(ThreadId id, Span<float> shade, Span<int> steps, int width, int height, Vector3 light)
    {
        if (id.X >= width || id.Y >= height) return;
        var uv = new Vector2(id.X + 0.5f, id.Y + 0.5f) / new Vector2(width, height) * 2f - Vector2.One;
        var ro = new Vector3(0f, 0f, -3f);
        var rd = Vector3.Normalize(new Vector3(uv, 1.5f));
        var t = 0f;
        var i = 0;
        var hit = false;
        do
        {
            var d = Scene(ro + rd * t);
            if (d < 1e-4f) { hit = true; break; }
            t += d;
        } while (++i < 64 && t < 10f);
        var idx = id.Y * width + id.X;
        steps[idx] = i;
        shade[idx] = hit ? MathF.Max(Vector3.Dot(Normal(ro + rd * t), Vector3.Normalize(light)), 0f) : -1f;
    }

    /// <summary>Moller-Trumbore: nearest triangle hit along each ray.</summary>
    static bool IntersectTriangle(Vector3 orig, Vector3 dir, Vector3 v0, Vector3 v1, Vector3 v2, out float t, out float u, out float v)
    {
        t = u = v = 0f;
        var e1 = v1 - v0;
        var e2 = v2 - v0;
        var pvec = Vector3.Cross(dir, e2);
        var det = Vector3.Dot(e1, pvec);
        if (MathF.Abs(det) < 1e-8f) return false;
        var inv = 1f / det;
        var tvec = orig - v0;
        u = Vector3.Dot(tvec, pvec) * inv;
        if (u is < 0f or > 1f) return false;
        var qvec = Vector3.Cross(tvec, e1);
        v = Vector3.Dot(dir, qvec) * inv;
        if (v < 0f || u + v > 1f) return false;
        t = Vector3.Dot(e2, qvec) * inv;
        return t > 0f;
    }

    [Kernel]
    public static void RayTriangles(ThreadId id, ReadOnlySpan<Vector4> rayOrigins, ReadOnlySpan<Vector4> rayDirs, ReadOnlySpan<Vector3> vertices, Span<float> hitT, Span<int> hitTri)
    {
        var r = id.X;
        if (r >= hitT.Length) return;
        var o = new Vector3(rayOrigins[r].X, rayOrigins[r].Y, rayOrigins[r].Z);
        var d = new Vector3(rayDirs[r].X, rayDirs[r].Y, rayDirs[r].Z);
        var best = float.PositiveInfinity;
        var bestTri = -1;
        for (var tri = 0; tri < vertices.Length / 3; tri++)
        {
            if (IntersectTriangle(o, d, vertices[tri * 3], vertices[tri * 3 + 1], vertices[tri * 3 + 2], out var t, out _, out _) && t < best)
            {
                best = t;
                bestTri = tri;
            }
        }
        hitT[r] = best;
        hitTri[r] = bestTri;
    }

    public struct BvhNode
    {
        public Vector3 Min;
        public int LeftOrFirst;
        public Vector3 Max;
        public int Count; // 0: inner node with children LeftOrFirst, LeftOrFirst + 1
    }

    static bool HitsBox(Vector3 o, Vector3 invDir, Vector3 min, Vector3 max, float tMax)
    {
        var t0 = (min - o) * invDir;
        var t1 = (max - o) * invDir;
        var tmin = Vector3.Min(t0, t1);
        var tmax = Vector3.Max(t0, t1);
        var enter = MathF.Max(MathF.Max(tmin.X, tmin.Y), MathF.Max(tmin.Z, 0f));
        var exit = MathF.Min(MathF.Min(tmax.X, tmax.Y), MathF.Min(tmax.Z, tMax));
        return enter <= exit;
    }

    /// <summary>BVH traversal with a fixed per-invocation stack; leaves hold spheres (Vector4: centre, radius).</summary>
    [Kernel]
    public static void TraverseBvh(ThreadId id, ReadOnlySpan<BvhNode> nodes, ReadOnlySpan<Vector4> spheres, ReadOnlySpan<Vector4> rayDirs, Span<int> hitIndex, Span<int> visited)
    {
        var r = id.X;
        if (r >= hitIndex.Length) return;
        var o = Vector3.Zero;
        var d = Vector3.Normalize(new Vector3(rayDirs[r].X, rayDirs[r].Y, rayDirs[r].Z));
        var invDir = Vector3.One / d;
        Span<int> stack = stackalloc int[32];
        var sp = 0;
        stack[sp++] = 0;
        var best = float.MaxValue;
        var bestIndex = -1;
        var count = 0;
        while (sp > 0)
        {
            ref readonly var node = ref nodes[stack[--sp]];
            count++;
            if (!HitsBox(o, invDir, node.Min, node.Max, best)) continue;
            if (node.Count == 0)
            {
                stack[sp++] = node.LeftOrFirst;
                stack[sp++] = node.LeftOrFirst + 1;
                continue;
            }
            for (var s = node.LeftOrFirst; s < node.LeftOrFirst + node.Count; s++)
            {
                var c = new Vector3(spheres[s].X, spheres[s].Y, spheres[s].Z);
                var b = Vector3.Dot(c, d);
                var disc = b * b - c.LengthSquared() + spheres[s].W * spheres[s].W;
                if (disc < 0f) continue;
                var t = b - MathF.Sqrt(disc);
                if (t > 0f && t < best) { best = t; bestIndex = s; }
            }
        }
        hitIndex[r] = bestIndex;
        visited[r] = count;
    }

    /// <summary>Linear-blend skinning: four bone matrices per vertex.</summary>
    [Kernel]
    public static void Skin(ThreadId id, ReadOnlySpan<Vector3> restPositions, ReadOnlySpan<Vector4> weights, ReadOnlySpan<int> boneIds, ReadOnlySpan<Matrix4x4> bones, Span<Vector3> skinned)
    {
        var v = id.X;
        if (v >= skinned.Length) return;
        var p = restPositions[v];
        var w = weights[v];
        var acc = Vector3.Zero;
        for (var k = 0; k < 4; k++)
        {
            var m = bones[boneIds[v * 4 + k]];
            acc += w[k] * Vector3.Transform(p, m);
        }
        skinned[v] = acc;
    }
}
