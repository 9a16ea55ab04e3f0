namespace KernelGen.Runtime.Tests;

/// <summary>Kernels for <see cref="ArrayBoundsTests"/>.</summary>
public static partial class ArrayBoundsKernels
{
    /// <summary>Writes and reads a 4-element per-invocation array at a computed index that may be outside it.</summary>
    [Kernel(WorkgroupSize = 8)]
    public static void IndexFromUniform(ThreadId id, Span<int> y, int index)
    {
        Span<int> a = stackalloc int[4];
        for (int j = 0; j < a.Length; j++)
            a[j] = j + 1;
        a[index] = 100;
        int i = id.X;
        if (i < y.Length)
            y[i] = i < 4 ? a[i] : a[index];
    }
}

/// <summary>
/// The documented difference for computed indices outside a per-invocation array: C# (the CPU backend) throws, WGSL on Dawn
/// keeps the access inside the array (never outside it) and the dispatch completes.
/// </summary>
public class ArrayBoundsTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static readonly int[] Inside = [1, 2, 100, 4, 100, 100, 100, 100];
    private static readonly int[] ArrayValues = [1, 2, 3, 4, 100];

    private static int[] Run(GpuDevice device, int index)
    {
        using var y = device.Allocate<int>(8);
        using var stream = device.CreateStream();
        ArrayBoundsKernels.Gpu.IndexFromUniform(stream, y, index, 8);
        stream.Synchronize();
        return y.ToArray();
    }

    [Fact]
    public void An_index_inside_the_array_gives_the_same_result_on_both_backends()
    {
        Assert.Equal(Inside, Run(fixture.Cpu, 2));
        Assert.Equal(Inside, Run(fixture.Device, 2));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void An_index_outside_throws_on_the_CPU_and_stays_inside_the_array_on_Dawn(int index)
    {
        var error = Assert.Throws<GpuKernelException>(() => Run(fixture.Cpu, index));
        Assert.IsType<IndexOutOfRangeException>(error.InnerException);
        var native = Run(fixture.Device, index);
        // Every element read is one of the array's: 1..4 or the 100 written somewhere inside it.
        Assert.All(native, v => Assert.Contains(v, ArrayValues));
        Assert.Contains(100, native.AsSpan(0, 4).ToArray()); // the write landed inside the array
    }
}
