using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// A kernel that needs a WebGPU feature the adapter lacks is refused with one exception type on every backend,
/// naming the feature and the kernel's C# location (KernelInfo.RequiredFeatures, from the generator's feature pass).
/// </summary>
public class FeatureCheckTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private GpuDevice Device(GpuBackend backend) => backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;

    [Fact]
    public void The_generator_lists_the_features_a_kernel_needs()
    {
        Assert.Equal("shader-f16", Assert.Single(HalfPrecision.Kernels.ScaleHalf.RequiredFeatures));
        Assert.True(HalfPrecision.Kernels.ScaleHalf.UsesF16);
        Assert.Empty(TestKernels.VectorAdd.RequiredFeatures);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_missing_feature_is_refused_at_compile_and_dispatch_with_the_kernels_location(GpuBackend backend)
    {
        var device = Device(backend);
        var kernel = WithFeatures(TestKernels.VectorAdd, "kernelgen-test-feature-no-adapter-has");
        var compile = Assert.Throws<GpuFeatureNotSupportedException>(() => device.Compile(kernel));
        Assert.Equal("kernelgen-test-feature-no-adapter-has", compile.Feature);
        Assert.Equal(kernel.SourceLocation, compile.SourceLocation);
        Assert.Equal(kernel.Name, compile.KernelName);
        Assert.Contains(kernel.SourceLocation, compile.Message, StringComparison.Ordinal);
        Assert.Contains("'kernelgen-test-feature-no-adapter-has'", compile.Message, StringComparison.Ordinal);

        using var a = device.Allocate<int>(8);
        using var b = device.Allocate<int>(8);
        using var c = device.Allocate<int>(8);
        using var stream = device.CreateStream();
        var dispatch = Assert.Throws<GpuFeatureNotSupportedException>(() => stream.Dispatch(kernel, [a, b, c], [], 8));
        Assert.Equal("kernelgen-test-feature-no-adapter-has", dispatch.Feature);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_feature_the_device_has_passes(GpuBackend backend)
    {
        var device = Device(backend);
        if (!device.Features.ShaderF16)
        {
            Assert.Throws<GpuFeatureNotSupportedException>(() => device.Compile(HalfPrecision.Kernels.ScaleHalf));
            return;
        }
        device.Compile(HalfPrecision.Kernels.ScaleHalf);
    }

    private static KernelInfo WithFeatures(KernelInfo k, params string[] features) => new()
    {
        Name = k.Name,
        SourceLocation = k.SourceLocation,
        Wgsl = k.Wgsl,
        EntryPoint = k.EntryPoint,
        WorkgroupSizeX = k.WorkgroupSizeX,
        WorkgroupSizeY = k.WorkgroupSizeY,
        WorkgroupSizeZ = k.WorkgroupSizeZ,
        Bindings = k.Bindings,
        UniformSize = k.UniformSize,
        SharedArrays = k.SharedArrays,
        UsesBarriers = k.UsesBarriers,
        UsesF16 = k.UsesF16,
        RequiredFeatures = [.. features],
        Cpu = k.Cpu,
        CpuPhased = k.CpuPhased,
    };
}
