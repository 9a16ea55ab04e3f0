using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout3;

public struct Ray
{
    public Vector3 Origin;
    public Vector3 Direction;
    public Ray(Vector3 origin, Vector3 direction) { Origin = origin; Direction = direction; }
    public readonly Vector3 At(float t) => Origin + t * Direction;
}

public enum ShapeKind : int { Sphere, Box, Torus }

public struct Shape
{
    public ShapeKind Kind;
    public float Size;
    public float Thickness;
    public float Pad;
    public Vector4 Centre;
}

public static partial class Render3
{
    /// <summary>The slab test for a ray against an axis-aligned box, returning a tuple.</summary>
    static (bool Hit, float Near) IntersectBox(in Ray ray, Vector3 min, Vector3 max)
    {
        var inv = Vector3.One / ray.Direction;
        var t0 = (min - ray.Origin) * inv;
        var t1 = (max - ray.Origin) * inv;
        var tmin = Vector3.Min(t0, t1);
        var tmax = Vector3.Max(t0, t1);
        var near = MathF.Max(MathF.Max(tmin.X, tmin.Y), tmin.Z);
        var far = MathF.Min(MathF.Min(tmax.X, tmax.Y), tmax.Z);
        return (far >= MathF.Max(near, 0f), near);
    }

    static bool TryHitSphere(in Ray ray, Vector3 centre, float radius, out float t)
    {
        var oc = ray.Origin - centre;
        var b = Vector3.Dot(oc, ray.Direction);
        var c = Vector3.Dot(oc, oc) - radius * radius;
        var disc = b * b - c;
        t = 0f;
        if (disc < 0f) return false;
        var s = MathF.Sqrt(disc);
        t = -b - s;
        if (t < 0f) t = -b + s;
        return t >= 0f;
    }

    /// <summary>Primary rays against a box and a sphere: id of the nearest hit (0 none, 1 box, 2 sphere) and a Lambert shade.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void BoxAndSphere(ThreadId id, Span<int> hitId, Span<float> shade, int width, int height, Vector3 light)
    {
        if (id.X >= width || id.Y >= height) return;
        var uv = new Vector2((id.X + 0.5f) / width * 2f - 1f, 1f - (id.Y + 0.5f) / height * 2f);
        var ray = new Ray(new(0f, 0f, -4f), Vector3.Normalize(new(uv, 1.5f)));
        var best = float.PositiveInfinity;
        var which = 0;
        Vector3 normal = default;
        var (boxHit, near) = IntersectBox(ray, new(-1.5f, -0.5f, -0.5f), new(-0.5f, 0.5f, 0.5f));
        if (boxHit && near < best)
        {
            best = near;
            which = 1;
            var p = ray.At(near) - new Vector3(-1f, 0f, 0f);
            var a = Vector3.Abs(p);
            normal = a.X > a.Y && a.X > a.Z ? new(MathF.Sign(p.X), 0, 0) : a.Y > a.Z ? new(0, MathF.Sign(p.Y), 0) : new(0, 0, MathF.Sign(p.Z));
        }
        if (TryHitSphere(ray, new(0.8f, 0f, 0f), 0.7f, out var ts) && ts < best)
        {
            best = ts;
            which = 2;
            normal = Vector3.Normalize(ray.At(ts) - new Vector3(0.8f, 0f, 0f));
        }
        var o = id.Y * width + id.X;
        hitId[o] = which;
        shade[o] = which == 0 ? 0f : MathF.Max(0f, Vector3.Dot(normal, Vector3.Normalize(light)));
    }

    /// <summary>Vertex transform by a model-view-projection matrix, perspective divide, viewport mapping to pixels.</summary>
    [Kernel]
    public static void ProjectVertices(ThreadId id, ReadOnlySpan<Vector4> vertices, Span<Vector2> screen, Span<int> pixel, Matrix4x4 model, Matrix4x4 viewProjection, int width, int height)
    {
        var i = id.X;
        if (i >= vertices.Length) return;
        var world = Vector4.Transform(vertices[i], model);
        var clip = Vector4.Transform(world, viewProjection);
        var ndc = new Vector2(clip.X, clip.Y) / clip.W;
        var s = new Vector2((ndc.X * 0.5f + 0.5f) * width, (0.5f - ndc.Y * 0.5f) * height);
        screen[i] = s;
        var px = (int)MathF.Floor(s.X);
        var py = (int)MathF.Floor(s.Y);
        pixel[i] = px is >= 0 && px < width && py >= 0 && py < height ? py * width + px : -1;
    }

    /// <summary>Rotates points about Z with Matrix4x4.CreateRotationZ and translates them, then the normals with TransformNormal.</summary>
    [Kernel]
    public static void RotateTranslate(ThreadId id, ReadOnlySpan<Vector4> points, Span<Vector4> moved, float angle, Vector3 offset)
    {
        var i = id.X;
        if (i >= points.Length) return;
        var m = Matrix4x4.CreateRotationZ(angle) * Matrix4x4.CreateTranslation(offset);
        var p = new Vector3(points[i].X, points[i].Y, points[i].Z);
        var q = Vector3.Transform(p, m);
        var n = Vector3.TransformNormal(Vector3.UnitX, m);
        moved[i] = new(q, n.X);
    }

    static float SmoothMin(float a, float b, float k)
    {
        var h = Math.Clamp(0.5f + 0.5f * (b - a) / k, 0f, 1f);
        return float.Lerp(b, a, h) - k * h * (1f - h);
    }

    /// <summary>SDF raymarching over a buffer of shapes (an enum field chooses the distance function), blended with smooth min.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void MarchShapes(ThreadId id, ReadOnlySpan<Shape> shapes, Span<float> depth, Span<int> steps, int width, int height)
    {
        if (id.X >= width || id.Y >= height) return;
        float Scene(Vector3 p, ReadOnlySpan<Shape> all)
        {
            var d = 1e9f;
            foreach (var s in all)
            {
                var q = p - new Vector3(s.Centre.X, s.Centre.Y, s.Centre.Z);
                var di = s.Kind switch
                {
                    ShapeKind.Sphere => q.Length() - s.Size,
                    ShapeKind.Box => Vector3.Max(Vector3.Abs(q) - new Vector3(s.Size), Vector3.Zero).Length(),
                    ShapeKind.Torus => new Vector2(new Vector2(q.X, q.Z).Length() - s.Size, q.Y).Length() - s.Thickness,
                    _ => 1e9f,
                };
                d = SmoothMin(d, di, 0.2f);
            }
            return d;
        }
        var uv = new Vector2((id.X + 0.5f) / width - 0.5f, 0.5f - (id.Y + 0.5f) / height);
        var dir = Vector3.Normalize(new(uv, 1f));
        var origin = new Vector3(0f, 0f, -3f);
        var t = 0f;
        var i = 0;
        for (; i < 64; i++)
        {
            var d = Scene(origin + t * dir, shapes);
            if (d < 1e-3f) break;
            t += d;
            if (t > 20f) { t = -1f; break; }
        }
        depth[id.Y * width + id.X] = t;
        steps[id.Y * width + id.X] = i;
    }
}
