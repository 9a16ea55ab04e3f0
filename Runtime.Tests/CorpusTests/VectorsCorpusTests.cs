using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Vectors.cs on Dawn and on the CPU backend: System.Numerics vectors as WGSL vectors.</summary>
public class VectorsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 111;

    [Fact]
    [CorpusCase(typeof(Vectors), nameof(Vectors.Vector4Arithmetic))]
    public void Vector4Arithmetic_componentwise()
    {
        const float Scale = 1.25f;
        var inputs = new SeededInputs(901);
        var a = inputs.Vector4s(N);
        var b = inputs.Vector4s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<Vector4>(a);
            using var gb = device.Upload<Vector4>(b);
            using var output = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            Vectors.Gpu.Vector4Arithmetic(stream, ga, gb, output, Scale, N);
            stream.Synchronize();
            return output.ToArray();
        });
        // (a + b) * s - a / 2 may become one fma, and the products then reorder: a few roundings of
        // values below 20 in magnitude, multiplied by b (< 4): 4 ulp, or 2e-5 after cancellation.
        var tolerance = new FloatTolerance(4, 2e-5f);
        ResultComparison.Close(cpu, native, tolerance, "output");
        var expected = a.Zip(b, (x, y) => { var v = (x + y) * Scale - x / 2f; v.W = v.X + v.Y; return v * y; }).ToArray();
        ResultComparison.Close(expected, native, tolerance, "output vs System.Numerics");
    }

    [Fact]
    [CorpusCase(typeof(Vectors), nameof(Vectors.Vector4Geometry))]
    public void Vector4Geometry_dot_length_distance_normalize_lerp()
    {
        var inputs = new SeededInputs(902);
        var a = inputs.Vector4s(N);
        var b = inputs.Vector4s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<Vector4>(a);
            using var gb = device.Upload<Vector4>(b);
            using var dots = device.Allocate<float>(N);
            using var lengths = device.Allocate<float>(N);
            using var mixed = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            Vectors.Gpu.Vector4Geometry(stream, ga, gb, dots, lengths, mixed, N);
            stream.Synchronize();
            return (Dots: dots.ToArray(), Lengths: lengths.ToArray(), Mixed: mixed.ToArray());
        });
        // dot: four rounded products and three additions, in an order and with fma contraction the GPU
        // chooses: the classic sum bound from the terms (twice it between backends) plus 2 ulp.
        // length/distance: sqrt at 2.5 ulp (WGSL inherits it from inverseSqrt) after such sums, summed
        // again (magnitudes < 16 + 16 + 64): 8 ulp or 3e-5. normalize: x * inverseSqrt(dot), 2.5 ulp per
        // step; lerp: one fma-able step on values < 4: 8 ulp or 2e-6.
        var dotBound = a.Zip(b, (x, y) => ResultComparison.SumErrorBound(7, Math.Abs(x.X * y.X) + Math.Abs(x.Y * y.Y) + Math.Abs(x.Z * y.Z) + Math.Abs(x.W * y.W))).ToArray();
        var dotTolerance = new FloatTolerance(2, 0f);
        ResultComparison.Close(cpu.Dots, native.Dots, dotTolerance, dotBound.Select(x => 2 * x).ToArray(), "dots");
        ResultComparison.Close(cpu.Lengths, native.Lengths, new FloatTolerance(8, 3e-5f), "lengths");
        ResultComparison.Close(cpu.Mixed, native.Mixed, new FloatTolerance(8, 2e-6f), "mixed");
        var expectedDots = a.Zip(b, (x, y) => (float)((double)x.X * y.X + (double)x.Y * y.Y + (double)x.Z * y.Z + (double)x.W * y.W)).ToArray();
        ResultComparison.Close(expectedDots, native.Dots, dotTolerance, dotBound, "dots vs double reference");
        var expectedLengths = a.Zip(b, (x, y) => (float)(Length(x) + Length(x - y) + Math.Pow(Length(y), 2))).ToArray();
        ResultComparison.Close(expectedLengths, native.Lengths, new FloatTolerance(8, 3e-5f), "lengths vs double reference");
    }

    private static double Length(Vector4 v) => Math.Sqrt((double)v.X * v.X + (double)v.Y * v.Y + (double)v.Z * v.Z + (double)v.W * v.W);

    [Fact]
    [CorpusCase(typeof(Vectors), nameof(Vectors.CrossWithUniform))]
    public void CrossWithUniform_cross_product_with_a_Vector3_uniform()
    {
        var axis = new Vector3(0.3f, -1.2f, 2f);
        const float W = 0.5f;
        var input = new SeededInputs(903).Vector4s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<Vector4>(input);
            using var output = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            Vectors.Gpu.CrossWithUniform(stream, gi, output, axis, W, N);
            stream.Synchronize();
            return output.ToArray();
        });
        // Each component is p*q - r*s; with fma contraction one product is not rounded, so results
        // differ by up to an ulp of the products (< 8: 1e-6), which matters after cancellation.
        var tolerance = new FloatTolerance(2, 1.5e-6f);
        ResultComparison.Close(cpu, native, tolerance, "output");
        var expected = input.Select(p => new Vector4(Vector3.Cross(axis, new Vector3(p.X, p.Y, p.Z)), W)).ToArray();
        ResultComparison.Close(expected, native, tolerance, "output vs Vector3.Cross");
    }

    [Fact]
    [CorpusCase(typeof(Vectors), nameof(Vectors.Vector2Ops))]
    public void Vector2Ops_min_max_abs_and_equality()
    {
        var offset = new Vector2(0.5f, -1.25f);
        var points = new SeededInputs(904).Vector2s(N, -4f, 14f); // some inside [0, 10]^2, some clamped
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gp = device.Upload<Vector2>(points);
            using var output = device.Allocate<Vector2>(N);
            using var same = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Vectors.Gpu.Vector2Ops(stream, gp, output, same, offset, N);
            stream.Synchronize();
            return (Output: output.ToArray(), Same: same.ToArray());
        });
        ResultComparison.Close(cpu.Output, native.Output, FloatTolerance.Exact, "output"); // add, min, max, abs, sub
        ResultComparison.Exact<int>(cpu.Same, native.Same, "same");
        var clamped = points.Select(p => Vector2.Clamp(p + offset, Vector2.Zero, new Vector2(10f))).ToArray();
        ResultComparison.Exact<int>(points.Select((p, i) => clamped[i] == p + offset ? 1 : 0).ToArray(), native.Same, "same vs C#");
        Assert.Contains(0, native.Same);
        Assert.Contains(1, native.Same);
    }

    [Fact]
    [CorpusCase(typeof(Vectors), nameof(Vectors.Vector4Uniform))]
    public void Vector4Uniform_is_aligned_after_a_float()
    {
        const float Gain = 1.5f;
        var color = new Vector4(0.2f, -0.4f, 0.6f, 0.8f);
        var x = new SeededInputs(905).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var output = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            Vectors.Gpu.Vector4Uniform(stream, gx, output, Gain, color, N);
            stream.Synchronize();
            return output.ToArray();
        });
        // color * (x * gain) + (0, 0, 0, 1): the W component's multiply-add may be contracted: 1 ulp.
        var tolerance = new FloatTolerance(1, 5e-7f);
        ResultComparison.Close(cpu, native, tolerance, "output");
        ResultComparison.Close(x.Select(v => color * (v * Gain) + Vector4.UnitW).ToArray(), native, tolerance, "output vs System.Numerics");
    }

    [Fact]
    [CorpusCase(typeof(Vectors), nameof(Vectors.NamedVectorMethods))]
    public void Named_vector_operator_methods_and_fused_multiply_add_match_System_Numerics()
    {
        var inputs = new SeededInputs(907);
        var a = inputs.Vector4s(N).Select(v => new Vector3(v.X, v.Y, v.Z)).ToArray();
        var b = inputs.Vector4s(N).Select(v => new Vector3(v.X, v.Y, v.Z)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<Vector3>(a);
            using var gb = device.Upload<Vector3>(b);
            using var sums = device.Allocate<Vector3>(N);
            using var products = device.Allocate<Vector3>(N);
            using var fused = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            Vectors.Gpu.NamedVectorMethods(stream, ga, gb, sums, products, fused, N);
            stream.Synchronize();
            return (sums.ToArray(), products.ToArray(), fused.ToArray());
        });
        static float[] Flat3(Vector3[] v) => v.SelectMany(e => new[] { e.X, e.Y, e.Z }).ToArray();
        static float[] Flat4(Vector4[] v) => v.SelectMany(e => new[] { e.X, e.Y, e.Z, e.W }).ToArray();
        var sums = a.Zip(b, (u, v) => u + v - (-v) + u / 4f).ToArray();
        var products = a.Zip(b, (u, v) => 2f * u - v * 0.5f + u * v + v / new Vector3(2f, 4f, 8f)).ToArray();
        var fused = a.Zip(b, (u, v) => Vector4.FusedMultiplyAdd(new Vector4(u, 1f), new Vector4(v, 2f), -new Vector4(v, 3f))).ToArray();
        // Sums of a few products, which the GPU may fuse: 4 ulp, or 2e-5 after cancellation. WGSL's fma need not be fused
        // (lavapipe rounds the product first): one rounding more than .NET's, 1 ulp or 1e-6 after cancellation.
        var tolerance = new FloatTolerance(4, 2e-5f);
        ResultComparison.Close(Flat3(sums), Flat3(cpu.Item1), FloatTolerance.Exact, "sums (CPU)");
        ResultComparison.Close(Flat3(sums), Flat3(native.Item1), tolerance, "sums");
        ResultComparison.Close(Flat3(products), Flat3(cpu.Item2), FloatTolerance.Exact, "products (CPU)");
        ResultComparison.Close(Flat3(products), Flat3(native.Item2), tolerance, "products");
        ResultComparison.Close(Flat4(fused), Flat4(cpu.Item3), FloatTolerance.Exact, "fused (CPU)");
        ResultComparison.Close(Flat4(fused), Flat4(native.Item3), new FloatTolerance(1, 1e-6f), "fused");
    }
}

