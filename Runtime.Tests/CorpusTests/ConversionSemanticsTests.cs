namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>A kernel pinning C#'s float-to-integer conversions, beyond what the corpus covers (uint).</summary>
public static partial class ConversionKernels
{
    /// <summary>(int) and (uint) of floats, in and beyond range.</summary>
    [Kernel]
    public static void FloatToIntegers(ThreadId id, ReadOnlySpan<float> x, Span<int> ints, Span<uint> uints)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        ints[i] = (int)x[i];
        uints[i] = (uint)x[i];
    }
}

/// <summary>
/// C# float-to-integer conversions saturate at the integer limits on both backends. WGSL's i32() and u32()
/// clamp to the largest f32 below 2^31 and 2^32 (2147483520, 4294967040), so the generator must
/// choose int.MaxValue/uint.MaxValue itself from 2^31 (2^32) up.
/// </summary>
public class ConversionSemanticsTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    public void Float_to_int_and_uint_saturate_like_CSharp()
    {
        float[] x =
        [
            0f, -0.5f, 1.9f, -1.9f, 2147483520f, 2147483648f, 3e9f, -2147483648f, -3e9f,
            4294967040f, 4294967296f, 5e9f, 1e20f, -1e20f, 16777217f, -123456.7f,
        ];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var ints = device.Allocate<int>(x.Length);
            using var uints = device.Allocate<uint>(x.Length);
            using var stream = device.CreateStream();
            ConversionKernels.Gpu.FloatToIntegers(stream, gx, ints, uints, x.Length);
            stream.Synchronize();
            return (Ints: ints.ToArray(), UInts: uints.ToArray());
        });
        var expectedInts = x.Select(v => (int)v).ToArray();
        var expectedUInts = x.Select(v => (uint)v).ToArray();
        Assert.Equal(int.MaxValue, expectedInts[5]); // .NET saturates (since .NET 9, on every platform)
        Assert.Equal(uint.MaxValue, expectedUInts[10]);
        ResultComparison.Exact<int>(expectedInts, cpu.Ints, "ints (CPU)");
        ResultComparison.Exact<uint>(expectedUInts, cpu.UInts, "uints (CPU)");
        ResultComparison.Exact<int>(expectedInts, native.Ints, "ints (Dawn)");
        ResultComparison.Exact<uint>(expectedUInts, native.UInts, "uints (Dawn)");
    }
}
