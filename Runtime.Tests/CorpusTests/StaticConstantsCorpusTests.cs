using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/StaticConstants.cs on Dawn and on the CPU backend: static readonly vectors, a struct, scalars, an enum and a
/// bool (WGSL module consts) in a loop bound, a condition, ?:, compound assignments, a helper and a local function,
/// against results computed here with the constants' values written out. dt = 0.5 keeps every product exact, so a
/// fused multiply-add on the GPU rounds as C# does.
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
}
