// Corpus: System.Numerics.Matrix4x4 and Matrix3x2 as mat4x4<f32> and mat3x2<f32>, C#'s row i being WGSL's column i
// (the same bytes): uniforms, buffers of matrices, struct fields, locals, helper parameters and results, per-invocation
// and workgroup arrays; Vector4/3/2.Transform (row vectors, as in C#), TransformNormal, products, transposes,
// element and row reads and writes, the operators, Identity, the constructors and the Create* methods.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

public struct Instance
{
    public Matrix4x4 World;
    public Vector4 Tint;
}

/// <summary>A uniform struct of both matrices (C# and WGSL offsets 0, 64, 88, 92; 96 bytes).</summary>
public struct Camera
{
    public Matrix4x4 View;
    public Matrix3x2 Screen;
    public float Scale;
    public float Pad;
}

public static partial class Matrices
{
    /// <summary>Matrices as fields of a uniform struct: a 4x4 transform, then a 2D one.</summary>
    [Kernel]
    public static void Project(ThreadId id, ReadOnlySpan<Vector4> points, Span<Vector2> screen, Camera camera)
    {
        int i = id.X;
        if (i >= points.Length)
            return;
        Vector4 p = Vector4.Transform(points[i], camera.View);
        screen[i] = Vector2.Transform(new Vector2(p.X, p.Y) * camera.Scale, camera.Screen);
    }

    /// <summary>A point cloud through a uniform matrix (M44 set to 1): result[i] = points[i] * transform (C#'s row vector).</summary>
    [Kernel]
    public static void TransformPoints(ThreadId id, ReadOnlySpan<Vector4> points, Span<Vector4> result, Matrix4x4 transform)
    {
        int i = id.X;
        if (i >= points.Length)
            return;
        transform.M44 = 1f; // a uniform written: the kernel works on a copy
        result[i] = Vector4.Transform(points[i], transform);
    }

    /// <summary>Positions (w = 1) and normals (w = 0) of 12-byte Vector3 buffers, and the Vector4 forms of a Vector3 and a Vector2.</summary>
    [Kernel]
    public static void TransformPositions(ThreadId id, ReadOnlySpan<Vector3> positions, Span<Vector3> moved, Span<Vector3> normals, Span<Vector4> homogeneous, Matrix4x4 world)
    {
        int i = id.X;
        if (i >= positions.Length)
            return;
        Vector3 p = positions[i];
        moved[i] = Vector3.Transform(p, world);
        normals[i] = Vector3.TransformNormal(p, world);
        homogeneous[2 * i] = Vector4.Transform(p, world);
        homogeneous[2 * i + 1] = Vector4.Transform(new Vector2(p.X, p.Y), world);
    }

    /// <summary>Buffers of matrices: products (operator and Multiply), Transpose, +, -, unary -, scaling, Lerp.</summary>
    [Kernel]
    public static void Compose(ThreadId id, ReadOnlySpan<Matrix4x4> a, ReadOnlySpan<Matrix4x4> b, Span<Matrix4x4> results, float s)
    {
        int i = id.X;
        if (i >= a.Length)
            return;
        Matrix4x4 x = a[i];
        results[6 * i] = x * b[i];
        results[6 * i + 1] = Matrix4x4.Multiply(b[i], x);
        results[6 * i + 2] = Matrix4x4.Transpose(x);
        results[6 * i + 3] = x + b[i] - (x * s);
        results[6 * i + 4] = -x + Matrix4x4.Negate(b[i]) + Matrix4x4.Multiply(x, 0.5f);
        results[6 * i + 5] = Matrix4x4.Lerp(x, b[i], 0.25f);
    }

    /// <summary>Element, row and indexer reads and writes (constant and computed indices), compound operators.</summary>
    [Kernel]
    public static void ElementWrites(ThreadId id, Span<Matrix4x4> m, ReadOnlySpan<Matrix4x4> n, Span<float> read)
    {
        int i = id.X;
        if (i >= n.Length)
            return;
        Matrix4x4 local = n[i];
        local.M23 = 100f + i;
        local.M41 += 1f;
        local[3, 2] = local[0, 1] * 2f;
        int r = i % 4, c = (i / 4) % 4;
        local[r, c] = -7f;
        local.X = new Vector4(local.M44, local.M43, local.M42, local.M41);
        local[2] = local.GetRow(1) + local.W;
        local *= n[(i + 1) % n.Length];
        local += Matrix4x4.Identity;
        local *= 2f;
        m[i] = local;
        m[i].M12 = local.GetElement(r, c);
        m[i].Y = local.Translation.Length() * Vector4.One;
        read[4 * i] = n[i].M14 + n[i][1, 3];
        read[4 * i + 1] = n[i][r][c] + n[i].Z.W;
        read[4 * i + 2] = local.WithElement(c, r, 5f)[c, r] + local.WithRow(r, Vector4.One)[r].X;
        read[4 * i + 3] = (local == n[i] ? 1f : 0f) + (local != n[i] ? 2f : 0f) + (Matrix4x4.Identity.IsIdentity ? 4f : 0f) + (local.Equals(local) ? 8f : 0f);
    }

    /// <summary>Matrix3x2 (24 bytes, mat3x2&lt;f32&gt;): a uniform, buffers, Vector2.Transform and TransformNormal, products, elements.</summary>
    [Kernel]
    public static void Affine2D(ThreadId id, ReadOnlySpan<Vector2> points, Span<Vector2> result, ReadOnlySpan<Matrix3x2> steps, Span<Matrix3x2> composed, Matrix3x2 view)
    {
        int i = id.X;
        if (i >= points.Length)
            return;
        Matrix3x2 step = steps[i % steps.Length];
        Matrix3x2 total = step * view;
        total.M31 += 0.5f;
        total[1, 0] = total.M22 - total[2, 1];
        result[2 * i] = Vector2.Transform(points[i], total);
        result[2 * i + 1] = Vector2.TransformNormal(points[i], view) + view.Translation + total.Y;
        composed[i] = Matrix3x2.Multiply(view, step) - Matrix3x2.CreateScale(2f) + Matrix3x2.CreateTranslation(points[i]) * -step;
        composed[i].Translation = new Vector2(total.M11, step.M12);
    }

    /// <summary>
    /// Matrices in struct fields, helper parameters and results, per-invocation and workgroup arrays, conditionals,
    /// constructors, initializers, Create and the Create* methods.
    /// </summary>
    [Kernel(WorkgroupSize = 4)]
    public static void Scene(ThreadId id, LocalId local, ReadOnlySpan<Instance> instances, Span<Vector4> colors, Span<Matrix4x4> worlds, [GroupShared(4)] Span<Matrix4x4> shared, float angle)
    {
        int i = id.X;
        Instance instance = instances[i];
        shared[local.X] = Place(instance.World, i);
        Workgroup.Barrier();
        Span<Matrix4x4> chain = stackalloc Matrix4x4[2];
        chain[0] = shared[(local.X + 1) % 4];
        chain[1] = i % 2 == 0 ? chain[0] : Matrix4x4.CreateRotationZ(angle) * Matrix4x4.CreateRotationX(angle * 0.5f);
        var scale = Matrix4x4.CreateScale(1f, 2f, 3f) * Matrix4x4.CreateScale(new Vector3(0.5f, 0.25f, 2f)) * Matrix4x4.CreateRotationY(angle);
        var fixedMatrix = new Matrix4x4(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f);
        var initialized = new Matrix4x4 { M44 = 1f, M11 = instance.Tint.X, M22 = 2f, M33 = 3f };
        Matrix4x4 world = chain[0] * chain[1] * scale + fixedMatrix * 0.01f + initialized + Matrix4x4.Create(Matrix3x2.CreateScale(3f, 4f));
        worlds[i] = world;
        colors[i] = Vector4.Transform(instance.Tint, world) + Vector4.Transform(Vector3.One, Matrix4x4.CreateTranslation(1f, 2f, 3f) * Matrix4x4.CreateScale(2f));
    }

    private static Matrix4x4 Place(Matrix4x4 m, int k)
    {
        var t = Matrix4x4.CreateTranslation(new Vector3(k, -k, 2 * k));
        return k % 3 == 0 ? m : m * t;
    }
}
