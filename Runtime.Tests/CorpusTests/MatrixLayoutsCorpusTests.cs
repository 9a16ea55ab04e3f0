using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/MatrixLayouts.cs on Dawn and on the CPU backend: Matrix4x4 and Matrix3x2 fields of structs in C#'s byte
/// layout (after a byte; Pack = 1 with the matrix at byte 1), read and written whole and element by element.
/// </summary>
public class MatrixLayoutsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static float[] Elements(Matrix4x4 m) => [m.M11, m.M12, m.M13, m.M14, m.M21, m.M22, m.M23, m.M24, m.M31, m.M32, m.M33, m.M34, m.M41, m.M42, m.M43, m.M44];

    private static float[] Elements(Matrix3x2 m) => [m.M11, m.M12, m.M21, m.M22, m.M31, m.M32];

    [Fact]
    [CorpusCase(typeof(MatrixLayouts), nameof(MatrixLayouts.Transforms))]
    public void Transforms_read_and_write_a_matrix_after_a_byte()
    {
        const int N = 37;
        var inputs = new SeededInputs(7301);
        var f = inputs.Floats(16 * N, -2f, 2f);
        var input = Enumerable.Range(0, N).Select(i => new TaggedTransform
        {
            Tag = (byte)(i * 7),
            World = new Matrix4x4(f[16 * i], f[16 * i + 1], f[16 * i + 2], f[16 * i + 3], f[16 * i + 4], f[16 * i + 5], f[16 * i + 6], f[16 * i + 7],
                f[16 * i + 8], f[16 * i + 9], f[16 * i + 10], f[16 * i + 11], f[16 * i + 12], f[16 * i + 13], f[16 * i + 14], f[16 * i + 15]),
        }).ToArray();
        var points = inputs.Vector4s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<TaggedTransform>(input);
            using var go = device.Allocate<TaggedTransform>(N);
            using var gp = device.Upload<Vector4>(points);
            using var stream = device.CreateStream();
            MatrixLayouts.Gpu.Transforms(stream, gi, go, gp, N);
            stream.Synchronize();
            return (go.ToArray(), gp.ToArray());
        });
        var expected = input.Select(t =>
        {
            var w = Matrix4x4.Transpose(t.World);
            w.M41 += t.Tag;
            w.M12 = t.World.M44 * 2f;
            return new TaggedTransform { Tag = (byte)(t.Tag + 1), World = w };
        }).ToArray();
        var expectedPoints = points.Select((p, i) => Vector4.Transform(p, input[i].World)).ToArray();
        foreach (var (name, (output, transformed)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<byte>(expected.Select(t => t.Tag).ToArray(), output.Select(t => t.Tag).ToArray(), name + " tags");
            ResultComparison.Close(expected.SelectMany(t => Elements(t.World)).ToArray(), output.SelectMany(t => Elements(t.World)).ToArray(), FloatTolerance.Exact, name + " matrices");
            // A dot product of four terms: fma contraction and order differ between backends.
            ResultComparison.Close(expectedPoints, transformed, new FloatTolerance(4, 1e-5f), name + " points");
        }
    }

    [Fact]
    [CorpusCase(typeof(MatrixLayouts), nameof(MatrixLayouts.Sprites))]
    public void Sprites_keep_a_matrix3x2_at_byte_1_of_a_packed_struct()
    {
        const int N = 29;
        var inputs = new SeededInputs(7302);
        var f = inputs.Floats(6 * N, -3f, 3f);
        var sprites = Enumerable.Range(0, N).Select(i => new PackedSprite
        {
            Layer = (byte)(i * 9),
            Transform = new Matrix3x2(f[6 * i], f[6 * i + 1], f[6 * i + 2], f[6 * i + 3], f[6 * i + 4], f[6 * i + 5]),
            Depth = (short)(i * 1000 - 12000),
        }).ToArray();
        var points = inputs.Vector2s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gs = device.Upload<PackedSprite>(sprites);
            using var gp = device.Upload<Vector2>(points);
            using var stream = device.CreateStream();
            MatrixLayouts.Gpu.Sprites(stream, gs, gp, N, N);
            stream.Synchronize();
            return (gs.ToArray(), gp.ToArray());
        });
        var expected = sprites.Select(s =>
        {
            var m = s.Transform * Matrix3x2.CreateTranslation(1f, 2f);
            m.M32 = -m.M32;
            return new PackedSprite { Layer = s.Layer, Transform = m, Depth = (short)(s.Depth - s.Layer) };
        }).ToArray();
        var expectedPoints = points.Select((p, i) => Vector2.Transform(p, sprites[i].Transform)).ToArray();
        foreach (var (name, (result, transformed)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<byte>(expected.Select(s => s.Layer).ToArray(), result.Select(s => s.Layer).ToArray(), name + " layers");
            ResultComparison.Exact<short>(expected.Select(s => s.Depth).ToArray(), result.Select(s => s.Depth).ToArray(), name + " depths");
            // Adding a translation: M31 + 1, M32 + 2 exactly (the product with an identity part is exact).
            ResultComparison.Close(expected.SelectMany(s => Elements(s.Transform)).ToArray(), result.SelectMany(s => Elements(s.Transform)).ToArray(), new FloatTolerance(1, 1e-6f), name + " matrices");
            ResultComparison.Close(expectedPoints, transformed, new FloatTolerance(4, 1e-5f), name + " points");
        }
    }
}
