using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Structs.cs on Dawn and on the CPU backend: struct buffers and struct uniforms.</summary>
public class StructsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Structs), nameof(Structs.Integrate))]
    public void Integrate_moves_particles_and_keeps_their_other_fields()
    {
        const int Buffer = 50, Count = 45; // step.Count bounds the work, not the buffer length
        var inputs = new SeededInputs(801);
        var positions = inputs.Vector4s(Buffer);
        var masses = inputs.Floats(Buffer, 0.5f, 3f);
        var flags = inputs.AnyUInts(Buffer);
        var particles = Enumerable.Range(0, Buffer).Select(i => new Particle { Position = positions[i], Mass = masses[i], Id = 1000 + i, Flags = flags[i], Padding = -1f }).ToArray();
        var velocities = inputs.Vector4s(Buffer);
        var step = new StepParameters { Dt = 0.1f, Damping = 0.9f, Count = Count };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gp = device.Upload<Particle>(particles);
            using var gv = device.Upload<Vector4>(velocities);
            using var output = device.Allocate<Particle>(Buffer);
            using var stream = device.CreateStream();
            Structs.Gpu.Integrate(stream, gp, gv, output, step, Buffer);
            stream.Synchronize();
            return output.ToArray();
        });
        // position + velocity * k may be contracted into an fma: within an ulp of the sum plus half an
        // ulp of the product (|product| < 0.4: 2e-8).
        var position = new FloatTolerance(1, 3e-8f);
        ResultComparison.Close(cpu.Select(p => p.Position).ToArray(), native.Select(p => p.Position).ToArray(), position, "Position");
        ResultComparison.Close(cpu.Select(p => p.Mass).ToArray(), native.Select(p => p.Mass).ToArray(), FloatTolerance.Exact, "Mass");
        ResultComparison.Exact<int>(cpu.Select(p => p.Id).ToArray(), native.Select(p => p.Id).ToArray(), "Id");
        ResultComparison.Exact<uint>(cpu.Select(p => p.Flags).ToArray(), native.Select(p => p.Flags).ToArray(), "Flags");
        ResultComparison.Close(cpu.Select(p => p.Padding).ToArray(), native.Select(p => p.Padding).ToArray(), FloatTolerance.Exact, "Padding");
        var k = 0.1f * 0.9f;
        ResultComparison.Close(particles.Take(Count).Select(p => p.Position + velocities[p.Id - 1000] * k).ToArray(), native.Take(Count).Select(p => p.Position).ToArray(), position, "Position vs C#");
        ResultComparison.Exact<uint>(flags.Take(Count).Select(f => f | 1u).ToArray(), native.Take(Count).Select(p => p.Flags).ToArray(), "Flags vs flags | 1");
        ResultComparison.Close(masses.Take(Count).Select(m => m * 2).ToArray(), native.Take(Count).Select(p => p.Mass).ToArray(), FloatTolerance.Exact, "Mass vs 2m");
        Assert.All(native.Skip(Count), p => Assert.Equal(default, p)); // beyond Count nothing is written
    }

    [Theory]
    [CorpusCase(typeof(Structs), nameof(Structs.MakeBoxes))]
    [InlineData(0.75f)]
    [InlineData(-1f)]
    public void MakeBoxes_initializer_or_default(float halfSize)
    {
        const int N = 70;
        var centers = new SeededInputs(802).Vector2s(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gc = device.Upload<Vector2>(centers);
            using var boxes = device.Allocate<Box>(N);
            using var stream = device.CreateStream();
            Structs.Gpu.MakeBoxes(stream, gc, boxes, halfSize, N);
            stream.Synchronize();
            return boxes.ToArray();
        });
        // One correctly rounded add or subtract per component: bit-identical.
        ResultComparison.Close(cpu.Select(b => b.Min).ToArray(), native.Select(b => b.Min).ToArray(), FloatTolerance.Exact, "Min");
        ResultComparison.Close(cpu.Select(b => b.Max).ToArray(), native.Select(b => b.Max).ToArray(), FloatTolerance.Exact, "Max");
        var h = new Vector2(halfSize);
        var expected = centers.Select(c => halfSize > 0 ? new Box { Min = c - h, Max = c + h } : default).ToArray();
        ResultComparison.Close(expected.Select(b => b.Min).ToArray(), native.Select(b => b.Min).ToArray(), FloatTolerance.Exact, "Min vs C#");
        ResultComparison.Close(expected.Select(b => b.Max).ToArray(), native.Select(b => b.Max).ToArray(), FloatTolerance.Exact, "Max vs C#");
    }

    [Fact]
    [CorpusCase(typeof(Structs), nameof(Structs.BoxAreas))]
    public void BoxAreas_through_struct_helpers()
    {
        const int N = 90;
        var inputs = new SeededInputs(803);
        var mins = inputs.Vector2s(N);
        var sizes = inputs.Vector2s(N, 0f, 3f);
        var boxes = mins.Zip(sizes, (m, s) => new Box { Min = m, Max = m + s }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gb = device.Upload<Box>(boxes);
            using var areas = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Structs.Gpu.BoxAreas(stream, gb, areas, N);
            stream.Synchronize();
            return areas.ToArray();
        });
        // Adds, subtracts and one multiply (no multiply-add to contract): bit-identical.
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "areas");
        var expected = boxes.Select(b => { var s = (b.Max + Vector2.One) - (b.Min - Vector2.One); return s.X * s.Y; }).ToArray();
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "areas vs C#");
    }
}
