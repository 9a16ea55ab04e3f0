using System.Runtime.CompilerServices;
using KernelGen.Interop.Dawn;

namespace KernelGen.Runtime.Tests;

/// <summary>The binding structs have the sizes measured for Dawn's webgpu.h (June 2025) on x86-64.</summary>
public class NativeLayoutTests
{
    [Fact]
    public void Struct_sizes_match_dawns_header()
    {
        Assert.Equal(16, Unsafe.SizeOf<WGPUStringView>());
        Assert.Equal(40, Unsafe.SizeOf<WGPUCallbackInfo>());
        Assert.Equal(32, Unsafe.SizeOf<WGPUUncapturedErrorCallbackInfo>());
        Assert.Equal(32, Unsafe.SizeOf<WGPUInstanceDescriptor>());
        Assert.Equal(32, Unsafe.SizeOf<WGPURequestAdapterOptions>());
        Assert.Equal(96, Unsafe.SizeOf<WGPUAdapterInfo>());
        Assert.Equal(144, Unsafe.SizeOf<WGPUDeviceDescriptor>());
        Assert.Equal(48, Unsafe.SizeOf<WGPUBufferDescriptor>());
        Assert.Equal(80, Unsafe.SizeOf<WGPUComputePipelineDescriptor>());
        Assert.Equal(56, Unsafe.SizeOf<WGPUBindGroupEntry>());
        Assert.Equal(16, Unsafe.SizeOf<WGPUFutureWaitInfo>());
        Assert.Equal(152, Unsafe.SizeOf<WGPULimits>());
        Assert.Equal(120, Unsafe.SizeOf<WGPUBindGroupLayoutEntry>());
        Assert.Equal(48, Unsafe.SizeOf<WGPUBindGroupDescriptor>());
        Assert.Equal(48, Unsafe.SizeOf<WGPUPipelineLayoutDescriptor>());
        Assert.Equal(32, Unsafe.SizeOf<WGPUShaderSourceWGSL>());
        Assert.Equal(64, Unsafe.SizeOf<WGPUCompilationMessage>());
        Assert.Equal(24, Unsafe.SizeOf<WGPUPassTimestampWrites>());
        Assert.Equal(32, Unsafe.SizeOf<WGPUComputePassDescriptor>());
        Assert.Equal(32, Unsafe.SizeOf<WGPUConstantEntry>());
        Assert.Equal(48, Unsafe.SizeOf<WGPUComputeState>());
    }

    [Fact]
    public void Typed_handles_and_enums_have_the_c_sizes()
    {
        // Each handle struct is one pointer and each enum or flag set the header's width, so they pass through P/Invoke as the C types.
        Assert.Equal(IntPtr.Size, Unsafe.SizeOf<WGPUDevice>());
        Assert.Equal(IntPtr.Size, Unsafe.SizeOf<WGPUBuffer>());
        Assert.Equal(IntPtr.Size, Unsafe.SizeOf<WGPUComputePipeline>());
        Assert.Equal(IntPtr.Size, Unsafe.SizeOf<WGPUBindGroup>());
        Assert.Equal(4, Unsafe.SizeOf<WGPUFeatureName>());
        Assert.Equal(4, Unsafe.SizeOf<WGPUStatus>());
        Assert.Equal(8, Unsafe.SizeOf<WGPUBufferUsage>());
        Assert.Equal(8, Unsafe.SizeOf<WGPUShaderStage>());
        Assert.True(default(WGPUDevice).IsNull);
    }

    [Fact]
    public void Library_search_order_is_environment_then_app_folder_then_package_assets_then_repository()
    {
        var candidates = WebGpuLibrary.Candidates().ToList();
        Assert.StartsWith("$KERNELGEN_WEBGPU_LIB", candidates[0].Description);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "libwebgpu_wrapper.so"), candidates[1].Path);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libwebgpu_wrapper.so"), candidates[2].Path);
        Assert.All(candidates[3..^1], c => Assert.StartsWith("a native asset folder from the app's deps.json", c.Description));
        Assert.Contains(".native", candidates[^1].Description);
    }

    [Fact]
    public void Build_copies_the_library_next_to_the_tests()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libwebgpu_wrapper.so")),
            "build/KernelGen.Native.targets should copy libwebgpu_wrapper.so into the output of projects referencing Runtime");
    }
}
