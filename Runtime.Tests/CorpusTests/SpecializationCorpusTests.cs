using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Specialization.cs ([Specialize] parameters as WGSL overrides) on Dawn and on the CPU backend: workgroup size and
/// shared-array length from a constant, loop bounds and branches, one pipeline per value set, ahead-of-time compilation.
/// </summary>
public class SpecializationCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(128)]
    [CorpusCase(typeof(Specialization), nameof(Specialization.SpecializedBlockSum))]
    public void SpecializedBlockSum_sums_blocks_of_the_specialised_workgroup_size(int block)
    {
        const int N = 300;
        int blocks = (N + block - 1) / block; // the grid of N threads is counted in workgroups of the specialised size
        var x = new SeededInputs(1601).Floats(N, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var sums = device.Upload<float>(Enumerable.Repeat(-99f, blocks + 1).ToArray());
            using var stream = device.CreateStream();
            Specialization.Gpu.SpecializedBlockSum(stream, gx, sums, block, N);
            stream.Synchronize();
            return sums.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "sums");
        Assert.Equal(-99f, native[blocks]); // no extra workgroup ran
        int levels = (int)Math.Log2(block);
        var expected = x.Chunk(block).Select(b => (float)b.Sum(v => (double)v)).ToArray();
        var bound = x.Chunk(block).Select(b => ResultComparison.SumErrorBound(levels, b.Sum(v => Math.Abs((double)v)))).ToArray();
        ResultComparison.Close(expected, native.AsSpan(0, blocks), new FloatTolerance(1, 0f), bound, "sums vs double sum");
    }

    [Theory]
    [InlineData(0, 1f, false, 0xffu)]
    [InlineData(3, 0.5f, false, 0x0fu)]
    [InlineData(5, 2f, true, 0x3u)]
    [CorpusCase(typeof(Specialization), nameof(Specialization.SpecializedPolynomial))]
    public void SpecializedPolynomial_uses_each_constant(int degree, float scale, bool clampOutput, uint mask)
    {
        const int N = 100;
        const float Offset = 0.25f;
        var x = new SeededInputs(1602).Floats(N, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var bits = device.Allocate<uint>(N);
            using var stream = device.CreateStream();
            Specialization.Gpu.SpecializedPolynomial(stream, gx, y, bits, degree, scale, clampOutput, mask, Offset, N);
            stream.Synchronize();
            return (y.ToArray(), bits.ToArray());
        });
        var expected = x.Select(v =>
        {
            float sum = 0f, power = 1f;
            for (var d = 0; d <= degree; d++)
            {
                sum += power;
                power *= v;
            }
            if (clampOutput)
                sum = Math.Clamp(sum, -1f, 1f);
            return sum * scale + Offset;
        }).ToArray();
        int reduced = degree;
        while (reduced > 2)
            reduced -= 2;
        var expectedBits = Enumerable.Range(0, N).Select(i => ((uint)i & mask) + (uint)reduced).ToArray();
        // Up to 6 multiply-adds that fma contraction may round differently.
        ResultComparison.Close(expected, cpu.Item1, FloatTolerance.Exact, "y (CPU)");
        ResultComparison.Close(expected, native.Item1, new FloatTolerance(8, 1e-6f), "y (Dawn)");
        ResultComparison.Exact<uint>(expectedBits, cpu.Item2, "bits (CPU)");
        ResultComparison.Exact<uint>(expectedBits, native.Item2, "bits (Dawn)");
    }

    [Fact]
    public void Specialize_resolves_sizes_and_gives_one_instance_per_value_set()
    {
        var kernel = Specialization.Kernels.SpecializedBlockSum;
        Assert.Equal("block", kernel.WorkgroupSizeXFrom);
        var a = kernel.Specialize(PipelineConstants.Of(("block", 32)));
        var b = kernel.Specialize(PipelineConstants.Of(("block", 32)));
        var c = kernel.Specialize(PipelineConstants.Of(("block", 128)));
        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal((32, 1, 1), (a.WorkgroupSizeX, a.WorkgroupSizeY, a.WorkgroupSizeZ));
        Assert.Equal(128, c.WorkgroupSizeX);
        Assert.Equal(32, a.SharedArrays[0].Length);
        Assert.Equal(128, c.SharedArrays[0].Length);
        Assert.Same(kernel, a.Generic);
        Assert.Same(a, a.Specialize(PipelineConstants.Of(("block", 32))));
        Assert.Equal(PipelineConstants.Of(("block", 32)), a.Constants);
        Assert.Equal((4, 1, 1), Grid.Threads(100).ToGroups(a)); // grids count in the specialised size
    }

    [Fact]
    public void Specialize_refuses_missing_unknown_and_unfit_values()
    {
        var kernel = Specialization.Kernels.SpecializedPolynomial;
        var missing = Assert.Throws<ArgumentException>(() => kernel.Specialize(PipelineConstants.Of(("degree", 2), ("scale", 1), ("mask", 1))));
        Assert.Contains("clampOutput", missing.Message);
        var unknown = Assert.Throws<ArgumentException>(() => kernel.Specialize(PipelineConstants.Of(("degree", 2), ("scale", 1), ("clampOutput", 1), ("mask", 1), ("other", 1))));
        Assert.Contains("'other'", unknown.Message);
        var fraction = Assert.Throws<ArgumentException>(() => kernel.Specialize(PipelineConstants.Of(("degree", 2.5), ("scale", 1), ("clampOutput", 1), ("mask", 1))));
        Assert.Contains("degree", fraction.Message);
        Assert.Throws<ArgumentException>(() => kernel.Specialize(PipelineConstants.Of(("degree", 2), ("scale", 1), ("clampOutput", 2), ("mask", 1))));
        Assert.Throws<ArgumentException>(() => kernel.Specialize(PipelineConstants.Of(("degree", 2), ("scale", 1), ("clampOutput", 1), ("mask", -1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => Specialization.Kernels.SpecializedBlockSum.Specialize(PipelineConstants.Of(("block", 0))));
    }

    [Fact]
    public void Compile_ahead_of_time_takes_the_values_and_refuses_a_kernel_without_them()
    {
        var kernel = Specialization.Kernels.SpecializedBlockSum;
        fixture.Device.Compile(kernel, PipelineConstants.Of(("block", 256)));
        fixture.Device.Compile(kernel.Specialize(PipelineConstants.Of(("block", 16)))); // a specialised kernel carries its values
        fixture.Cpu.Compile(kernel, PipelineConstants.Of(("block", 256)));
        var e = Assert.Throws<ArgumentException>(() => fixture.Device.Compile(kernel));
        Assert.Contains("block", e.Message);
        // A size the device cannot run is refused at dispatch with the limit, not by Dawn.
        using var x = fixture.Device.Allocate<float>(4);
        using var sums = fixture.Device.Allocate<float>(4);
        using var stream = fixture.Device.CreateStream();
        var tooBig = Assert.Throws<ArgumentException>(() => Specialization.Gpu.SpecializedBlockSum(stream, x, sums, 1 << 20, 4));
        Assert.Contains("workgroup", tooBig.Message);
    }

    [Theory]
    [InlineData(MixMode.Add, MixFlags.None)]
    [InlineData(MixMode.Multiply, MixFlags.Offset | MixFlags.Negate)]
    [InlineData(MixMode.Max, MixFlags.Square)]
    [InlineData(MixMode.Replace, MixFlags.Offset | MixFlags.Square | MixFlags.Negate)]
    [CorpusCase(typeof(SpecializedEnums), nameof(SpecializedEnums.Combine))]
    public void Combine_specialises_int_and_uint_enums(MixMode mode, MixFlags mask)
    {
        const int N = 90;
        var inputs = new SeededInputs(1603);
        var a = inputs.Floats(N, -2f, 2f);
        var b = inputs.Floats(N, -2f, 2f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<float>(a);
            using var gb = device.Upload<float>(b);
            using var output = device.Allocate<float>(N);
            using var stream = device.CreateStream();
            SpecializedEnums.Gpu.Combine(stream, ga, gb, output, mode, mask, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Close(cpu, native, FloatTolerance.Exact, "output");
        for (int i = 0; i < N; i++)
        {
            float v = mode switch { MixMode.Add => a[i] + b[i], MixMode.Multiply => a[i] * b[i], MixMode.Max => MathF.Max(a[i], b[i]), _ => b[i] };
            if ((mask & MixFlags.Offset) != 0) v += 1f;
            if ((mask & MixFlags.Square) != 0) v *= v;
            if ((mask & MixFlags.Negate) != 0) v = -v;
            Assert.Equal(v, native[i]);
        }
    }
}
