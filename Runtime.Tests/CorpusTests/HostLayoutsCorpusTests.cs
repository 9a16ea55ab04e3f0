using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/HostLayouts.cs on Dawn and on the CPU backend: Span&lt;Vector3&gt; buffers in C#'s 12-byte layout, uploaded
/// and read back as they are (no user code), element and component reads and writes, indices evaluated once.
/// </summary>
public class HostLayoutsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 131;

    [Fact]
    [CorpusCase(typeof(HostLayouts), nameof(HostLayouts.Advance))]
    public void Advance_moves_12_byte_vector3_elements()
    {
        var inputs = new SeededInputs(1201);
        var positions = Vectors(inputs, N);
        var velocities = Vectors(inputs, N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Vector3>(positions);
            using var v = device.Upload<Vector3>(velocities);
            using var stream = device.CreateStream();
            HostLayouts.Gpu.Advance(stream, p, v, 0.25f, N);
            stream.Synchronize();
            return p.ToArray();
        });
        var expected = positions.Zip(velocities, (p, v) => p + v * 0.25f).ToArray();
        Compare(expected, cpu, FloatTolerance.Exact, "cpu vs C#");
        Compare(cpu, native, new FloatTolerance(1, 0f), "positions"); // p + v * dt may become an fma
    }

    [Fact]
    [CorpusCase(typeof(HostLayouts), nameof(HostLayouts.Components))]
    public void Components_read_and_write_single_floats_of_an_element()
    {
        var x = Vectors(new SeededInputs(1202), N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<Vector3>(x);
            using var y = device.Upload<Vector3>(Enumerable.Repeat(new Vector3(-9f), N + 5).ToArray()); // beyond x.Length untouched
            using var lengths = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            HostLayouts.Gpu.Components(stream, gx, y, lengths, N);
            stream.Synchronize();
            return (y.ToArray(), lengths.ToArray());
        });
        var expected = x.Select(v => new Vector3(v.Y, v.X + v.Y + v.Z, (Vector3.Cross(v, Vector3.UnitZ).Z + 1f) * 2f)).Concat(Enumerable.Repeat(new Vector3(-9f), 5)).ToArray();
        Compare(expected, cpu.Item1, FloatTolerance.Exact, "cpu vs C#");
        Compare(cpu.Item1, native.Item1, new FloatTolerance(2, 0f), "y");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(4, 1e-6f), "lengths"); // WGSL's length(): a few ulps
    }

    [Fact]
    [CorpusCase(typeof(HostLayouts), nameof(HostLayouts.IndexOnce))]
    public void IndexOnce_evaluates_each_index_once_in_order()
    {
        var start = Enumerable.Range(0, 8).Select(i => new Vector3(i, 10 * i, 100 * i)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var y = device.Upload<Vector3>(start);
            using var calls = device.Allocate<int>(1);
            using var stream = device.CreateStream();
            HostLayouts.Gpu.IndexOnce(stream, y, calls, 1);
            stream.Synchronize();
            return (y.ToArray(), calls.ToArray());
        });
        var expected = (Vector3[])start.Clone();
        for (int k = 0; k < 3; k++)
            expected[k] += new Vector3(1f, 2f, 3f);
        expected[3] = expected[0] * 2f;
        expected[4].Y -= 5f;
        Compare(expected, cpu.Item1, FloatTolerance.Exact, "cpu vs C#");
        Compare(expected, native.Item1, FloatTolerance.Exact, "y");
        Assert.Equal([5], cpu.Item2);
        Assert.Equal([5], native.Item2);
    }

    private static Vector3[] Vectors(SeededInputs inputs, int n)
    {
        var f = inputs.Floats(3 * n);
        return Enumerable.Range(0, n).Select(i => new Vector3(f[3 * i], f[3 * i + 1], f[3 * i + 2])).ToArray();
    }

    private static void Compare(Vector3[] expected, Vector3[] actual, FloatTolerance tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        ResultComparison.Close(expected.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray(), actual.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray(), tolerance, what);
    }
}
