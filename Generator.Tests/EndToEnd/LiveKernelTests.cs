using System.Runtime.InteropServices;
using KernelGen.Generated;
using KernelGen.Generator.Tests.EndToEnd;
using KernelGen.Generator.Tests.Infrastructure;

namespace KernelGen.Generator.Tests;

/// <summary>The generator running as this project's analyzer: generated descriptions and CPU delegates.</summary>
public class LiveKernelTests
{
    [Fact]
    public void Cpu_delegate_runs_the_kernel_with_buffers_and_uniforms_at_their_offsets()
    {
        var kernel = LiveKernels.Kernels.ScaledSilu;
        float[] x = [-2f, -0.5f, 0f, 1f, 3f];
        var buffers = new[] { CpuGrid.Bytes(x), CpuGrid.Bytes(new float[x.Length]) };
        var uniforms = new byte[kernel.UniformSize];
        MemoryMarshal.Write(uniforms, 2.5f);

        CpuGrid.Run(kernel, Grid.Threads(x.Length).ToGroups(kernel), buffers, uniforms);

        var y = CpuGrid.Read<float>(buffers[1]);
        for (int i = 0; i < x.Length; i++)
            Assert.Equal(2.5f * x[i] / (1f + MathF.Exp(-x[i])), y[i]);
    }

    [Fact]
    public void Cpu_delegate_passes_2d_ids_and_several_uniforms()
    {
        var kernel = LiveKernels.Kernels.AddRows;
        const int width = 5, height = 3;
        int[] a = Enumerable.Range(0, width * height).ToArray();
        int[] b = a.Select(v => v * 10).ToArray();
        var buffers = new[] { CpuGrid.Bytes(a), CpuGrid.Bytes(b), CpuGrid.Bytes(new int[a.Length]) };
        var uniforms = new byte[kernel.UniformSize];
        MemoryMarshal.Write(uniforms.AsSpan(0), width);
        MemoryMarshal.Write(uniforms.AsSpan(4), height);
        MemoryMarshal.Write(uniforms.AsSpan(8), 7u);

        CpuGrid.Run(kernel, Grid.Threads(width, height).ToGroups(kernel), buffers, uniforms);

        Assert.Equal(a.Select(v => v * 11 + 7), CpuGrid.Read<int>(buffers[2]));
    }

    [Fact]
    public void Kernel_description_lists_bindings_in_parameter_order_then_the_uniform_block()
    {
        var kernel = LiveKernels.Kernels.AddRows;
        Assert.Equal("KernelGen.Generator.Tests.EndToEnd.LiveKernels.AddRows", kernel.Name);
        Assert.Equal("AddRows", kernel.EntryPoint);
        Assert.Equal((4, 4, 1), (kernel.WorkgroupSizeX, kernel.WorkgroupSizeY, kernel.WorkgroupSizeZ));
        Assert.Equal(
            [
                new KernelBinding(0, "a", BindingKind.ReadOnlyStorage, typeof(int), 4),
                new KernelBinding(1, "b", BindingKind.ReadOnlyStorage, typeof(int), 4),
                new KernelBinding(2, "sum", BindingKind.Storage, typeof(int), 4),
                new KernelBinding(3, "uniforms", BindingKind.Uniform, null, 16),
            ],
            kernel.Bindings.ToArray());
        Assert.Equal(16, kernel.UniformSize);
        Assert.Equal(3, kernel.StorageBindingCount);
        Assert.Contains("@group(0) @binding(3) var<uniform> uniforms: Uniforms;", kernel.Wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_lists_the_assemblys_kernels_and_registers_them_at_module_load()
    {
        Assert.Equal(
            ["KernelGen.Generator.Tests.EndToEnd.LiveKernels.AddRows", "KernelGen.Generator.Tests.EndToEnd.LiveKernels.ScaledSilu"],
            KernelCatalog.All.Select(k => k.Name));
        Assert.Contains(LiveKernels.Kernels.ScaledSilu, KernelRegistry.All);
    }
}
