using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/HalfPrecision.cs (f16) on Dawn and on the CPU backend. The adapter must have shader-f16; without it these fail.</summary>
public class HalfPrecisionCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 133;

    [Fact]
    [CorpusCase(typeof(HalfPrecision), nameof(HalfPrecision.ScaleHalf))]
    public void ScaleHalf_computes_in_f16()
    {
        var scale = (Half)1.5f;
        var x = new SeededInputs(501).Floats(N, -40f, 40f).Select(v => (Half)v).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<Half>(x);
            using var y = device.Allocate<Half>(N);
            using var stream = device.CreateStream();
            HalfPrecision.Gpu.ScaleHalf(stream, gx, y, scale, N);
            stream.Synchronize();
            return y.ToArray();
        });
        // C# rounds the Half product, then the sum, to f16; the GPU may fuse x * scale + 1 into one
        // f16 fma (one rounding): 1 f16 ulp apart at most.
        ResultComparison.Close(cpu, native, 1, "y");
        ResultComparison.Close(x.Select(v => (Half)((double)v * 1.5 + 1)).ToArray(), native, 1, "y vs double reference");
    }

    [Fact]
    [CorpusCase(typeof(HalfPrecision), nameof(HalfPrecision.HalfToFloatSilu))]
    public void HalfToFloatSilu_widens_computes_in_f32_and_narrows()
    {
        var x = new SeededInputs(502).Floats(N, -8f, 8f).Select(v => (Half)v).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<Half>(x);
            using var wide = device.Allocate<float>(N);
            using var narrow = device.Allocate<Half>(N);
            using var stream = device.CreateStream();
            HalfPrecision.Gpu.HalfToFloatSilu(stream, gx, wide, narrow, N);
            stream.Synchronize();
            return (Wide: wide.ToArray(), Narrow: narrow.ToArray());
        });
        // f32 SiLU: exp accurate to 3 + 2|x| ulp (|x| <= 8: 19), division and add 3.5 ulp: 24 ulp.
        ResultComparison.Close(cpu.Wide, native.Wide, new FloatTolerance(24, 0f), "wide");
        // Narrowing values that differ by a few f32 ulp can round to neighbouring f16 values: 1 f16 ulp.
        ResultComparison.Close(cpu.Narrow, native.Narrow, 1, "narrow");
        var expected = x.Select(v => (float)((double)v / (1 + Math.Exp(-(double)v)))).ToArray();
        ResultComparison.Close(expected, native.Wide, new FloatTolerance(24, 0f), "wide vs double reference");
    }
}
