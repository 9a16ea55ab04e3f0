using System.Numerics;
using System.Runtime.InteropServices;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Matrices.cs on Dawn and on the CPU backend, with random (so non-symmetric) matrices: each case checks the CPU
/// backend against the same computation written here with System.Numerics (exact: it is the same C#), and Dawn against
/// the CPU. Tolerances: a product or transform element is a sum of 2 to 4 products, which the GPU may fuse (fma) and add
/// in another order, so it may differ by the classic sum bound, 4 * 2^-24 * sum |terms| (.NET itself fuses Transform's
/// multiply-adds on CPUs with FMA); element moves, transposes, negations and exact products (by 0 and 1) must be equal.
/// </summary>
public class MatricesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 67;

    /// <summary>2^-24, the relative rounding error of one f32 operation.</summary>
    private const float Unit = 1f / (1 << 24);

    [Fact]
    [CorpusCase(typeof(Matrices), nameof(Matrices.TransformPoints))]
    public void TransformPoints_multiplies_row_vectors_by_a_uniform_matrix()
    {
        var inputs = new SeededInputs(6201);
        var points = inputs.Vector4s(N);
        points[0] = Vector4.UnitX;
        points[1] = Vector4.UnitW;
        var transform = Matrix4(inputs, 1)[0];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Vector4>(points);
            using var r = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            Matrices.Gpu.TransformPoints(stream, p, r, transform, N);
            stream.Synchronize();
            return r.ToArray();
        });
        var used = transform;
        used.M44 = 1f;
        var expected = points.Select(p => Vector4.Transform(p, used)).ToArray();
        ResultComparison.Close(expected, cpu, FloatTolerance.Exact, "cpu vs C#");
        ResultComparison.Close(cpu, native, new FloatTolerance(2, SumBound(4)), "points");
        // The convention itself, independent of System.Numerics: (1,0,0,0) * M is C#'s first row, (0,0,0,1) * M its last.
        Assert.Equal(new Vector4(transform.M11, transform.M12, transform.M13, transform.M14), native[0]);
        Assert.Equal(new Vector4(transform.M41, transform.M42, transform.M43, 1f), native[1]);
    }

    [Fact]
    [CorpusCase(typeof(Matrices), nameof(Matrices.TransformPositions))]
    public void TransformPositions_transforms_points_and_normals_of_vector3_buffers()
    {
        var inputs = new SeededInputs(6202);
        var f = inputs.Floats(3 * N);
        var positions = Enumerable.Range(0, N).Select(i => new Vector3(f[3 * i], f[3 * i + 1], f[3 * i + 2])).ToArray();
        var world = Matrix4(inputs, 1)[0];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Vector3>(positions);
            using var moved = device.Allocate<Vector3>(N);
            using var normals = device.Allocate<Vector3>(N);
            using var homogeneous = device.Allocate<Vector4>(2 * N);
            using var stream = device.CreateStream();
            Matrices.Gpu.TransformPositions(stream, p, moved, normals, homogeneous, world, N);
            stream.Synchronize();
            return (moved.ToArray(), normals.ToArray(), homogeneous.ToArray());
        });
        var moved = positions.Select(p => Vector3.Transform(p, world)).ToArray();
        var normals = positions.Select(p => Vector3.TransformNormal(p, world)).ToArray();
        var homogeneous = positions.SelectMany(p => new[] { Vector4.Transform(p, world), Vector4.Transform(new Vector2(p.X, p.Y), world) }).ToArray();
        Close(moved, cpu.Item1, FloatTolerance.Exact, "moved: cpu vs C#");
        Close(normals, cpu.Item2, FloatTolerance.Exact, "normals: cpu vs C#");
        ResultComparison.Close(homogeneous, cpu.Item3, FloatTolerance.Exact, "homogeneous: cpu vs C#");
        Close(cpu.Item1, native.Item1, new FloatTolerance(2, SumBound(4)), "moved");
        Close(cpu.Item2, native.Item2, new FloatTolerance(2, SumBound(3)), "normals");
        ResultComparison.Close(cpu.Item3, native.Item3, new FloatTolerance(2, SumBound(4)), "homogeneous");
    }

    [Fact]
    [CorpusCase(typeof(Matrices), nameof(Matrices.Compose))]
    public void Compose_multiplies_transposes_adds_and_negates_buffers_of_matrices()
    {
        var inputs = new SeededInputs(6203);
        var a = Matrix4(inputs, N);
        var b = Matrix4(inputs, N);
        const float s = 0.75f;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<Matrix4x4>(a);
            using var gb = device.Upload<Matrix4x4>(b);
            using var results = device.Allocate<Matrix4x4>(6 * N);
            using var stream = device.CreateStream();
            Matrices.Gpu.Compose(stream, ga, gb, results, s, N);
            stream.Synchronize();
            return results.ToArray();
        });
        var expected = a.Zip(b, (x, y) => new[]
        {
            x * y, Matrix4x4.Multiply(y, x), Matrix4x4.Transpose(x), x + y - (x * s), -x + Matrix4x4.Negate(y) + Matrix4x4.Multiply(x, 0.5f), Matrix4x4.Lerp(x, y, 0.25f),
        }).SelectMany(r => r).ToArray();
        Close(expected, cpu, FloatTolerance.Exact, "cpu vs C#");
        Close(cpu, native, new FloatTolerance(2, SumBound(4)), "results");
        for (int i = 0; i < N; i++)
            Assert.Equal(cpu[6 * i + 2], native[6 * i + 2]); // a transpose moves bits
        // C#'s a * b, not b * a: row 1 of a times the columns of b.
        Assert.NotEqual(a[0] * b[0], b[0] * a[0]);
    }

    [Fact]
    [CorpusCase(typeof(Matrices), nameof(Matrices.ElementWrites))]
    public void ElementWrites_reads_and_writes_elements_rows_and_indexers()
    {
        const int count = 20; // computed indices r = i % 4, c = (i / 4) % 4 take every row and column
        var inputs = new SeededInputs(6204);
        var n = Matrix4(inputs, count);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var m = device.Allocate<Matrix4x4>(count);
            using var gn = device.Upload<Matrix4x4>(n);
            using var read = device.Allocate<float>(4 * count);
            using var stream = device.CreateStream();
            Matrices.Gpu.ElementWrites(stream, m, gn, read, count);
            stream.Synchronize();
            return (m.ToArray(), read.ToArray());
        });
        var m = new Matrix4x4[count];
        var read = new float[4 * count];
        for (int i = 0; i < count; i++)
        {
            var local = n[i];
            local.M23 = 100f + i;
            local.M41 += 1f;
            local.M43 = local.M12 * 2f;
            int r = i % 4, c = i / 4 % 4;
            local[r, c] = -7f;
            local.X = new Vector4(local.M44, local.M43, local.M42, local.M41);
            local.Z = local.Y + local.W;
            local *= n[(i + 1) % count];
            local += Matrix4x4.Identity;
            local *= 2f;
            m[i] = local;
            m[i].M12 = local[r, c];
            m[i].Y = new Vector3(local.M41, local.M42, local.M43).Length() * Vector4.One;
            read[4 * i] = n[i].M14 + n[i].M24;
            read[4 * i + 1] = n[i][r, c] + n[i].M34;
            var withElement = local;
            withElement[c, r] = 5f;
            read[4 * i + 2] = withElement[c, r] + 1f;
            read[4 * i + 3] = 2f + 4f + 8f;
        }
        Close(m, cpu.Item1, FloatTolerance.Exact, "m: cpu vs C#");
        ResultComparison.Close(read, cpu.Item2, FloatTolerance.Exact, "read: cpu vs C#");
        // local's elements reach about 120 before the product: its terms sum to about 4 * 120 * 4.
        Close(cpu.Item1, native.Item1, new FloatTolerance(4, 4 * 4 * 4 * 130 * Unit * 2 * 4), "m");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(4, 4 * 4 * 4 * 130 * Unit * 2 * 4), "read");
        Assert.All(Enumerable.Range(0, count), i => Assert.Equal(14f, native.Item2[4 * i + 3]));
    }

    [Fact]
    [CorpusCase(typeof(Matrices), nameof(Matrices.Affine2D))]
    public void Affine2D_uses_24_byte_matrix3x2_uniforms_and_buffers()
    {
        var inputs = new SeededInputs(6205);
        var points = inputs.Vector2s(N);
        var steps = MemoryMarshal.Cast<float, Matrix3x2>(inputs.Floats(6 * 5)).ToArray();
        var view = MemoryMarshal.Cast<float, Matrix3x2>(inputs.Floats(6))[0];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Vector2>(points);
            using var result = device.Allocate<Vector2>(2 * N);
            using var gs = device.Upload<Matrix3x2>(steps);
            using var composed = device.Allocate<Matrix3x2>(N);
            using var stream = device.CreateStream();
            Matrices.Gpu.Affine2D(stream, p, result, gs, composed, view, N);
            stream.Synchronize();
            return (result.ToArray(), composed.ToArray());
        });
        var expectedResult = new Vector2[2 * N];
        var expectedComposed = new Matrix3x2[N];
        for (int i = 0; i < N; i++)
        {
            var step = steps[i % steps.Length];
            var total = step * view;
            total.M31 += 0.5f;
            total.M21 = total.M22 - total.M32;
            expectedResult[2 * i] = Vector2.Transform(points[i], total);
            expectedResult[2 * i + 1] = Vector2.TransformNormal(points[i], view) + view.Translation + new Vector2(total.M21, total.M22);
            expectedComposed[i] = Matrix3x2.Multiply(view, step) - Matrix3x2.CreateScale(2f) + Matrix3x2.CreateTranslation(points[i]) * -step;
            expectedComposed[i].Translation = new Vector2(total.M11, step.M12);
        }
        ResultComparison.Close(expectedResult, cpu.Item1, FloatTolerance.Exact, "result: cpu vs C#");
        Close(expectedComposed, cpu.Item2, FloatTolerance.Exact, "composed: cpu vs C#");
        // total = step * view has elements up to 2 * 16 + 4; a transform of it sums terms up to 4 * 36.
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(4, 3 * 3 * 4 * 40 * Unit * 4), "result");
        Close(cpu.Item2, native.Item2, new FloatTolerance(4, 3 * 3 * 4 * 40 * Unit * 4), "composed");
    }

    [Fact]
    [CorpusCase(typeof(Matrices), nameof(Matrices.Scene))]
    public void Scene_passes_matrices_through_structs_helpers_and_local_and_workgroup_arrays()
    {
        const int count = 8; // two workgroups of 4
        const float angle = 0.7f;
        var inputs = new SeededInputs(6206);
        var worlds = Matrix4(inputs, count);
        var tints = inputs.Vector4s(count);
        var instances = Enumerable.Range(0, count).Select(i => new Instance { World = worlds[i], Tint = tints[i] }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<Instance>(instances);
            using var colors = device.Allocate<Vector4>(count);
            using var result = device.Allocate<Matrix4x4>(count);
            using var stream = device.CreateStream();
            Matrices.Gpu.Scene(stream, gi, colors, result, angle, count);
            stream.Synchronize();
            return (colors.ToArray(), result.ToArray());
        });
        var placed = Enumerable.Range(0, count).Select(i => i % 3 == 0 ? worlds[i] : worlds[i] * Matrix4x4.CreateTranslation(new Vector3(i, -i, 2 * i))).ToArray();
        var expectedWorlds = new Matrix4x4[count];
        var expectedColors = new Vector4[count];
        for (int i = 0; i < count; i++)
        {
            var first = placed[i / 4 * 4 + (i % 4 + 1) % 4];
            var second = i % 2 == 0 ? first : Matrix4x4.CreateRotationZ(angle) * Matrix4x4.CreateRotationX(angle * 0.5f);
            var scale = Matrix4x4.CreateScale(1f, 2f, 3f) * Matrix4x4.CreateScale(new Vector3(0.5f, 0.25f, 2f)) * Matrix4x4.CreateRotationY(angle);
            var fixedMatrix = new Matrix4x4(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f);
            var initialized = new Matrix4x4 { M11 = tints[i].X, M22 = 2f, M33 = 3f, M44 = 1f };
            expectedWorlds[i] = first * second * scale + fixedMatrix * 0.01f + initialized + new Matrix4x4(Matrix3x2.CreateScale(3f, 4f));
            expectedColors[i] = Vector4.Transform(tints[i], expectedWorlds[i]) + Vector4.Transform(Vector3.One, Matrix4x4.CreateTranslation(1f, 2f, 3f) * Matrix4x4.CreateScale(2f));
        }
        Close(expectedWorlds, cpu.Item2, FloatTolerance.Exact, "worlds: cpu vs C#");
        ResultComparison.Close(expectedColors, cpu.Item1, FloatTolerance.Exact, "colors: cpu vs C#");
        // Products of products of elements up to 4 + 2 * 8 (translations): terms reach 20 * 20 * 3; the rotations
        // take WGSL's sin and cos, which Vulkan allows 2^-11 absolute error (lavapipe is far closer).
        Close(cpu.Item2, native.Item2, new FloatTolerance(4, 2e-2f), "worlds");
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(4, 1e-1f), "colors");
    }

    [Fact]
    [CorpusCase(typeof(Matrices), nameof(Matrices.Project))]
    public void Project_reads_both_matrices_from_a_uniform_struct()
    {
        var inputs = new SeededInputs(6207);
        var points = inputs.Vector4s(N);
        var camera = new Camera { View = Matrix4(inputs, 1)[0], Screen = MemoryMarshal.Cast<float, Matrix3x2>(inputs.Floats(6))[0], Scale = 0.5f };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Vector4>(points);
            using var screen = device.Allocate<Vector2>(N);
            using var stream = device.CreateStream();
            Matrices.Gpu.Project(stream, p, screen, camera, N);
            stream.Synchronize();
            return screen.ToArray();
        });
        var expected = points.Select(q => Vector4.Transform(q, camera.View)).Select(q => Vector2.Transform(new Vector2(q.X, q.Y) * camera.Scale, camera.Screen)).ToArray();
        ResultComparison.Close(expected, cpu, FloatTolerance.Exact, "cpu vs C#");
        // p's elements reach 64 (error SumBound(4) each), halved, then a 3-term sum of terms up to 4 * 32.
        ResultComparison.Close(cpu, native, new FloatTolerance(4, 2 * 4 * SumBound(4) + 3 * 3 * 128 * Unit * 2), "screen");
    }

    /// <summary>The rounding bound of a sum of <paramref name="terms"/> products of two values in [-4, 4] (16 each).</summary>
    private static float SumBound(int terms) => ResultComparison.SumErrorBound(terms, terms * 16.0);

    private static Matrix4x4[] Matrix4(SeededInputs inputs, int count) => MemoryMarshal.Cast<float, Matrix4x4>(inputs.Floats(16 * count)).ToArray();

    private static void Close(Vector3[] expected, Vector3[] actual, FloatTolerance tolerance, string what)
        => ResultComparison.Close(MemoryMarshal.Cast<Vector3, float>(expected), MemoryMarshal.Cast<Vector3, float>(actual), tolerance, what);

    private static void Close(Matrix4x4[] expected, Matrix4x4[] actual, FloatTolerance tolerance, string what)
        => ResultComparison.Close(MemoryMarshal.Cast<Matrix4x4, float>(expected), MemoryMarshal.Cast<Matrix4x4, float>(actual), tolerance, what + " (as floats, 16 per matrix)");

    private static void Close(Matrix3x2[] expected, Matrix3x2[] actual, FloatTolerance tolerance, string what)
        => ResultComparison.Close(MemoryMarshal.Cast<Matrix3x2, float>(expected), MemoryMarshal.Cast<Matrix3x2, float>(actual), tolerance, what + " (as floats, 6 per matrix)");
}
