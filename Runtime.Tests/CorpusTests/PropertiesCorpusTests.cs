using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Properties.cs (auto-properties of kernel structs) on Dawn and on the CPU backend.</summary>
public class PropertiesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Properties), nameof(Properties.MoveParticles))]
    public void MoveParticles_reads_and_writes_auto_properties_as_the_fields_CSharp_lays_out()
    {
        const int N = 70;
        var inputs = new SeededInputs(7301);
        var forces = inputs.Vector2s(N);
        var positions = inputs.Vector2s(N);
        var masses = inputs.Floats(N, 1f, 3f);
        var hits = inputs.Ints(N, 0, 20);
        var initial = Enumerable.Range(0, N).Select(i => new Drifter { Position = positions[i], Mass = masses[i], Hits = hits[i] }).ToArray();
        var wind = new Drifter { Position = new Vector2(0.25f, -0.75f), Mass = 4f, Hits = 3 };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var f = device.Upload<Vector2>(forces);
            using var p = device.Upload<Drifter>(initial);
            using var m = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Properties.Gpu.MoveParticles(stream, f, p, m, wind, N);
            stream.Synchronize();
            return (Particles: p.ToArray(), Momenta: m.ToArray());
        });
        Assert.Equal(cpu.Particles, native.Particles);
        Assert.Equal(cpu.Momenta, native.Momenta);
        for (int i = 0; i < N; i++)
        {
            var p = initial[i];
            p.Position += forces[i] / p.Mass;
            p.Hits++;
            p.Position += wind.Position / p.Mass;
            p.Hits++;
            p.Hits += wind.Hits;
            var stored = new Drifter { Position = p.Position - new Vector2(0.5f, 0f), Mass = p.Mass + 1f, Hits = p.Hits + 1 };
            Assert.Equal(stored, native.Particles[i]);
            float momentum = p.Hits > 12 && p.Mass > 2f ? 2f * (forces[i].X + forces[i].Y) : stored.Mass * stored.Hits;
            Assert.Equal(momentum, native.Momenta[i]);
        }
    }

    [Fact]
    [CorpusCase(typeof(Properties), nameof(Properties.CountGauges))]
    public void CountGauges_runs_the_property_initializer_and_the_constructor()
    {
        const int N = 40;
        const int Bump = 5;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var g = device.Allocate<Gauge>(N);
            using var stream = device.CreateStream();
            Properties.Gpu.CountGauges(stream, g, Bump, N);
            stream.Synchronize();
            return g.ToArray();
        });
        Assert.Equal(cpu, native);
        for (int i = 0; i < N; i++)
        {
            int count = 2 * i + 2 * Bump + 3;
            Assert.Equal(1.5f, native[i].Level);
            Assert.Equal(count + 1 + count, native[i].Count);
        }
    }

    [Fact]
    [CorpusCase(typeof(Properties), nameof(Properties.SetTemperatures))]
    public void SetTemperatures_calls_setters_and_indexers_and_writes_buffer_elements_back()
    {
        const int N = 60;
        var celsius = new SeededInputs(7302).Floats(N, -300f, 100f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var c = device.Upload<float>(celsius);
            using var t = device.Allocate<Thermo>(N);
            using var r = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            Properties.Gpu.SetTemperatures(stream, c, t, r, N);
            stream.Synchronize();
            return (Thermos: t.ToArray(), Readings: r.ToArray());
        });
        Assert.Equal(cpu.Thermos, native.Thermos);
        Assert.Equal(cpu.Readings, native.Readings);
        for (int i = 0; i < N; i++)
        {
            float local = MathF.Max(celsius[i] + 273.15f, 0f);
            local = MathF.Max(local - 273.15f + 1f + 273.15f, 0f);
            float element = MathF.Max(celsius[i] * 2f + 273.15f, 0f);
            float set = element + 1f;
            element = i % 2 == 0 ? set : MathF.Max(set + 273.15f, 0f);
            Assert.Equal(element, native.Thermos[i].Kelvin);
            int scale = i % 3;
            float Read(float kelvin, int s) => s == 0 ? kelvin : kelvin - 273.15f;
            Assert.Equal(Read(local, 1) + Read(local, scale) + Read(element, 1 - scale % 2), native.Readings[i]);
        }
        Assert.Contains(celsius, c => c * 2f + 273.15f < 0f); // some set temperatures are below absolute zero: the setter's clamp ran
    }
}
