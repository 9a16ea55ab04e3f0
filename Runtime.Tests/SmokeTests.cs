namespace KernelGen.Runtime.Tests;

public class SmokeTests
{
    [Fact]
    public void VectorAdd_runs_natively()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        Console.WriteLine(device.Info);
        var a = Enumerable.Range(0, 1000).ToArray();
        var b = Enumerable.Range(0, 1000).Select(i => i * 3).ToArray();
        using var ga = device.Upload<int>(a);
        using var gb = device.Upload<int>(b);
        using var gc = device.Allocate<int>(1000);
        using var stream = device.CreateStream();
        stream.Dispatch(TestKernels.VectorAdd, [ga, gb, gc], [], 1000);
        stream.Synchronize();
        Assert.Equal(a.Zip(b, (x, y) => x + y).ToArray(), gc.ToArray());
    }
}
