using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/StaticConstants.cs on Dawn and on the CPU backend: static readonly vectors, a struct, scalars, an enum and a
/// bool (WGSL module consts) in a loop bound, a condition, ?:, compound assignments, a helper and a local function,
/// against results computed here with the constants' values written out. In Mix, dt = 0.5 keeps every product
/// exact, so a fused multiply-add on the GPU rounds as C# does; Fall's Dawn results are compared within a few ulps.
/// </summary>
public class StaticConstantsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(StaticConstants), nameof(StaticConstants.Mix))]
    public void Mix_reads_static_readonly_integers_and_a_vector_and_masks_a_constant_shift()
    {
        const int N = 130;
        var src = new SeededInputs(1108).AnyUInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var s = device.Upload<uint>(src);
            using var bits = device.Allocate<uint>(N);
            using var tint = device.Allocate<Vector4>(N);
            using var stream = device.CreateStream();
            StaticConstants.Gpu.Mix(stream, s, bits, tint, N);
            stream.Synchronize();
            return (bits.ToArray(), tint.ToArray());
        });
        var expectedBits = src.Select(x => ((x & 0xF0u) >> 4) | (x << 4)).ToArray();
        var expectedTint = Enumerable.Range(0, N).Select(i => new Vector4(1.5f, -2.25f, 3f, 0.1f) * (i % 4)).ToArray();
        foreach (var (name, (bits, tint)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<uint>(expectedBits, bits, name + " bits");
            ResultComparison.Exact<Vector4>(expectedTint, tint, name + " tints");
        }
    }

    [Fact]
    [CorpusCase(typeof(StaticConstants), nameof(StaticConstants.Fall))]
    public void Fall_reads_static_readonly_vectors_structs_and_scalars()
    {
        const int N = 97;
        const float Dt = 0.5f;
        var inputs = new SeededInputs(1107);
        var heights = inputs.Floats(N, -2f, 30f);
        var speeds = inputs.Floats(N, -6f, 6f);
        var positions = Enumerable.Range(0, N).Select(i => new Vector3(i * 0.25f, heights[i], -i)).ToArray();
        var velocities = Enumerable.Range(0, N).Select(i => new Vector3(speeds[i], speeds[(i + 1) % N], 1f)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var p = device.Upload<Vector3>(positions);
            using var v = device.Upload<Vector3>(velocities);
            using var phase = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            StaticConstants.Gpu.Fall(stream, p, v, phase, Dt, N);
            stream.Synchronize();
            return (p.ToArray(), v.ToArray(), phase.ToArray());
        });
        var expectedP = new Vector3[N];
        var expectedV = new Vector3[N];
        var expectedPhase = new int[N];
        for (int i = 0; i < N; i++)
        {
            Vector3 p = positions[i], v = velocities[i];
            int ph = 1;   // Phase.Fall
            for (int s = 0; s < 3; s++)
            {
                v += new Vector3(0f, -9.8f, 0f) * Dt;
                p += v * Dt;
                if (p.Y < 0f)
                {
                    p.Y = 0f;
                    v.Y = -v.Y * 0.75f;
                    ph = 2;
                }
            }
            v *= 0.49f;
            float tilt = i % 4 == 0 ? -1f : 0.5f;
            expectedP[i] = p + new Vector3(0f, 1f, 0f) * tilt + new Vector3(0.1f, 0.2f, 0.3f);
            expectedV[i] = v;
            expectedPhase[i] = ph;
        }
        Assert.Contains(1, expectedPhase);
        Assert.Contains(2, expectedPhase);
        // The CPU backend runs the C#: bit for bit. Dawn may fuse p += v * dt into one fma (WGSL allows it; lavapipe
        // does), which rounds once where C# rounds twice: positions and velocities within a few ulps there.
        ResultComparison.Exact<Vector3>(expectedP, cpu.Item1, "cpu positions");
        ResultComparison.Exact<Vector3>(expectedV, cpu.Item2, "cpu velocities");
        ResultComparison.Exact<int>(expectedPhase, cpu.Item3, "cpu phases");
        static float[] Flat(Vector3[] a) => a.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray();
        ResultComparison.Close(Flat(expectedP), Flat(native.Item1), new FloatTolerance(8, 1e-5f), "native positions");
        ResultComparison.Close(Flat(expectedV), Flat(native.Item2), new FloatTolerance(8, 1e-5f), "native velocities");
        ResultComparison.Exact<int>(expectedPhase, native.Item3, "native phases");
    }
}
