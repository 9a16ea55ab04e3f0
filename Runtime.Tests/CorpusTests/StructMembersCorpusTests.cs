using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/StructMembers.cs (struct methods and properties, by value and by pointer; ref/out helper parameters) on Dawn and on the CPU backend.</summary>
public class StructMembersCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 200;

    [Fact]
    [CorpusCase(typeof(StructMembers), nameof(StructMembers.Random))]
    public void Random_advances_a_struct_local_through_its_methods()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var bits = device.Allocate<uint>(N);
            using var unit = device.Allocate<float>(N);
            using var zero = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            StructMembers.Gpu.Random(stream, bits, unit, zero, N);
            stream.Synchronize();
            return (bits.ToArray(), unit.ToArray(), zero.ToArray());
        });
        ResultComparison.Exact<uint>(cpu.Item1, native.Item1, "bits");
        ResultComparison.Exact<float>(cpu.Item2, native.Item2, "unit");
        ResultComparison.Exact<int>(cpu.Item3, native.Item3, "zero");
        // The generator really advanced: the second value differs from the first for every seed.
        Assert.All(native.Item1, b => Assert.NotEqual(0u, b));
        Assert.All(native.Item2, u => Assert.InRange(u, 0f, 1f));
    }

    [Fact]
    [CorpusCase(typeof(StructMembers), nameof(StructMembers.Mandelbrot))]
    public void Mandelbrot_iterates_with_struct_methods_and_computed_properties()
    {
        const int W = 24, H = 16;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var iterations = device.Allocate<int>(W * H);
            using var magnitudes = device.Allocate<float>(W * H);
            using var stream = device.CreateStream();
            StructMembers.Gpu.Mandelbrot(stream, iterations, magnitudes, W, H, Grid.Threads(W, H));
            stream.Synchronize();
            return (iterations.ToArray(), magnitudes.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "iterations");
        // Up to 64 iterations of z*z + c amplify the last-bit differences of fused multiply-adds (lavapipe contracts
        // Re*Re - Im*Im, C# does not): the magnitudes agree to 1e-3, the iteration counts exactly.
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(4, 1e-3f), "magnitudes");
        Assert.Contains(64, native.Item1);
        Assert.Contains(native.Item1, n => n < 8);
    }

    [Fact]
    [CorpusCase(typeof(StructMembers), nameof(StructMembers.Integrate))]
    public void Integrate_changes_buffer_elements_and_copies_through_methods()
    {
        var inputs = new SeededInputs(8101);
        var start = inputs.Vector2s(N).Zip(inputs.Vector2s(N), (p, v) => new Mover { Position = p, Velocity = v }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var bodies = device.Upload<Mover>(start);
            using var speeds = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            StructMembers.Gpu.Integrate(stream, bodies, speeds, 0.125f, N);
            stream.Synchronize();
            return (bodies.ToArray(), speeds.ToArray());
        });
        ResultComparison.Close(cpu.Item1.SelectMany(b => new[] { b.Position.X, b.Position.Y, b.Velocity.X, b.Velocity.Y }).ToArray(),
            native.Item1.SelectMany(b => new[] { b.Position.X, b.Position.Y, b.Velocity.X, b.Velocity.Y }).ToArray(), new FloatTolerance(2, 1e-6f), "bodies");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(4, 1e-5f), "speeds");
        for (int i = 0; i < N; i++)
        {
            // The element was written back: velocity gained gravity once (the copy's second step stays in the copy).
            Assert.Equal(start[i].Velocity.Y - 9.8f * 0.125f, native.Item1[i].Velocity.Y, 4);
        }
    }

    [Fact]
    [CorpusCase(typeof(StructMembers), nameof(StructMembers.References))]
    public void References_pass_locals_elements_and_out_values_by_pointer()
    {
        var inputs = new SeededInputs(8102);
        var data = inputs.Floats(2 * N);
        var points = inputs.Vector2s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var d = device.Upload<float>(data);
            using var p = device.Upload<Vector2>(points);
            using var results = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            StructMembers.Gpu.References(stream, d, p, results, N);
            stream.Synchronize();
            return (d.ToArray(), results.ToArray());
        });
        ResultComparison.Exact<float>(cpu.Item1, native.Item1, "data");
        ResultComparison.Close(cpu.Item2, native.Item2, new FloatTolerance(2, 1e-6f), "results");
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(data[2 * i + 1], native.Item1[2 * i]); // swapped in the buffer
            Assert.Equal(data[2 * i], native.Item1[2 * i + 1]);
        }
    }

    [Fact]
    [CorpusCase(typeof(StructMembers), nameof(StructMembers.Aliasing))]
    public void Aliasing_references_to_one_element_see_each_others_writes_as_in_csharp()
    {
        var inputs = new SeededInputs(8103);
        var pairs = inputs.Floats(2 * N);
        var partner = Enumerable.Range(0, N).Select(i => i % 3 == 0 ? 0 : 1).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<float>(pairs);
            using var q = device.Upload<int>(partner);
            using var stream = device.CreateStream();
            StructMembers.Gpu.Aliasing(stream, p, q, N);
            stream.Synchronize();
            return p.ToArray();
        });
        ResultComparison.Exact<float>(cpu, native, "pairs");
        for (int i = 0; i < N; i += 3)
            Assert.Equal(2f * (pairs[2 * i] + 1f), native[2 * i]); // one place: a += 1, then a += a
    }

    [Fact]
    [CorpusCase(typeof(StructMembers), nameof(StructMembers.Positions))]
    public void Positions_use_struct_members_in_conditions_bounds_helpers_uniforms_and_array_elements()
    {
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var output = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            StructMembers.Gpu.Positions(stream, output, new KernelGen.Corpus.Complex(0.75f, -0.5f), N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Close(cpu, native, new FloatTolerance(4, 1e-5f), "output");
        Assert.Contains(native, v => v != native[0]);
    }
}

