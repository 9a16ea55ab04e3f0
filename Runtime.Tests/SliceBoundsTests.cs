namespace KernelGen.Runtime.Tests;

/// <summary>Kernels for <see cref="SliceBoundsTests"/>.</summary>
public static partial class SliceBoundsKernels
{
    /// <summary>Reads the first element of a slice whose start and length come from uniforms (possibly outside the buffer).</summary>
    [Kernel(WorkgroupSize = 8)]
    public static void FirstOfSlice(ThreadId id, ReadOnlySpan<int> x, Span<int> y, int start, int length)
    {
        int i = id.X;
        if (i < y.Length)
            y[i] = First(x.Slice(start, length)) + i;
    }

    private static int First(ReadOnlySpan<int> s) => s[0];
}

/// <summary>
/// The documented difference for slices outside their buffer: C# (the CPU backend) throws at Slice or at the index, WGSL on
/// Dawn checks nothing but keeps the access inside the buffer (robust buffer access), and the dispatch completes.
/// </summary>
public class SliceBoundsTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static readonly int[] Data = [10, 20, 30, 40];

    private static int[] Run(GpuDevice device, int start, int length)
    {
        using var x = device.Upload<int>(Data);
        using var y = device.Allocate<int>(8);
        using var stream = device.CreateStream();
        SliceBoundsKernels.Gpu.FirstOfSlice(stream, x, y, start, length, 8);
        stream.Synchronize();
        return y.ToArray();
    }

    [Fact]
    public void A_slice_inside_the_buffer_gives_the_same_result_on_both_backends()
    {
        int[] expected = [.. Enumerable.Range(0, 8).Select(i => 30 + i)];
        Assert.Equal(expected, Run(fixture.Cpu, 2, 2));
        Assert.Equal(expected, Run(fixture.Device, 2, 2));
    }

    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 0)]
    [InlineData(-1, 1)]
    [InlineData(1000, 1)]
    public void A_slice_outside_throws_on_the_CPU_and_stays_inside_the_buffer_on_Dawn(int start, int length)
    {
        var error = Assert.Throws<GpuKernelException>(() => Run(fixture.Cpu, start, length));
        Assert.True(error.InnerException is ArgumentOutOfRangeException or IndexOutOfRangeException, error.InnerException?.GetType().Name);
        var native = Run(fixture.Device, start, length);
        // Each read is one of the buffer's elements, or zero where the driver returns zero for an access outside it.
        Assert.All(native.Select((v, i) => v - i), v => Assert.Contains(v, Data.Append(0)));
    }
}
