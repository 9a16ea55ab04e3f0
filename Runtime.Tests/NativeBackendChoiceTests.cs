using KernelGen.Backends.Native;

namespace KernelGen.Runtime.Tests;

/// <summary>Forcing Dawn's graphics API: GpuDeviceOptions.NativeBackend, else KERNELGEN_NATIVE_BACKEND, else Dawn's choice.</summary>
public class NativeBackendChoiceTests
{
    [Theory]
    [InlineData(GpuNativeBackend.Default, null, 0u)]
    [InlineData(GpuNativeBackend.Default, "", 0u)]
    [InlineData(GpuNativeBackend.Default, "vulkan", 6u)]
    [InlineData(GpuNativeBackend.Default, "D3D12", 4u)]
    [InlineData(GpuNativeBackend.Default, " d3d11 ", 3u)]
    [InlineData(GpuNativeBackend.Default, "Metal", 5u)]
    [InlineData(GpuNativeBackend.Default, "opengles", 8u)]
    [InlineData(GpuNativeBackend.Metal, "vulkan", 5u)]
    [InlineData(GpuNativeBackend.Vulkan, null, 6u)]
    public void Option_wins_over_the_environment_variable_which_wins_over_dawns_choice(GpuNativeBackend option, string? environment, uint expected)
        => Assert.Equal(expected, (uint)NativeAdapters.ForcedBackend(option, environment));

    [Theory]
    [InlineData("directx")]
    [InlineData("6")]
    [InlineData("vulcan")]
    public void Unknown_environment_value_is_an_error_naming_the_choices(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => NativeAdapters.ForcedBackend(GpuNativeBackend.Default, value));
        Assert.Contains("KERNELGEN_NATIVE_BACKEND", e.Message, StringComparison.Ordinal);
        Assert.Contains("vulkan, d3d12, d3d11, metal or opengles", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forcing_vulkan_gives_a_vulkan_adapter()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, NativeBackend = GpuNativeBackend.Vulkan });
        Assert.Equal("Vulkan", device.Info.BackendType);
    }

    [Fact]
    public void Forcing_a_backend_this_os_lacks_fails_naming_it()
    {
        var e = Assert.Throws<GpuAdapterUnavailableException>(() =>
            GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, NativeBackend = GpuNativeBackend.Metal }));
        Assert.Contains("no adapter on its Metal backend", e.Message, StringComparison.Ordinal);
        Assert.Contains("KERNELGEN_NATIVE_BACKEND", e.Message, StringComparison.Ordinal);
    }
}
