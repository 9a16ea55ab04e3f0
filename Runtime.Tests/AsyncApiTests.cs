namespace KernelGen.Runtime.Tests;

/// <summary>
/// The asynchronous API (the only one that works in the browser) on the native and CPU backends: one code
/// path must give the same results everywhere. The browser itself is tested in Samples.EfficientNet.Web.Tests.
/// </summary>
public class AsyncApiTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    public async Task CreateAsync_OutsideTheBrowser_CreatesTheRequestedBackend()
    {
        using var cpu = await GpuDevice.CreateAsync(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        Assert.Equal(GpuBackend.Cpu, cpu.Backend);
        using var native = await GpuDevice.CreateAsync(new GpuDeviceOptions { Backend = GpuBackend.Native });
        Assert.Equal(GpuBackend.Native, native.Backend);
    }

    [Fact]
    public async Task BrowserBackend_OutsideTheBrowser_IsRefusedWithTheReason()
    {
        var e = await Assert.ThrowsAsync<PlatformNotSupportedException>(() => GpuDevice.CreateAsync(new GpuDeviceOptions { Backend = GpuBackend.Browser }));
        Assert.Contains("WebAssembly", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public async Task SynchronizeAsyncAndDownloadAsync_GiveTheKernelsResults(GpuBackend backend)
    {
        var device = backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;
        var a = Enumerable.Range(0, 1000).ToArray();
        var b = Enumerable.Range(0, 1000).Select(i => 3 * i).ToArray();
        using var x = device.Upload<int>(a);
        using var y = device.Upload<int>(b);
        using var c = device.Allocate<int>(a.Length);
        using var stream = device.CreateStream();
        stream.Dispatch(TestKernels.VectorAdd, [x, y, c], [], a.Length);
        await stream.SynchronizeAsync();
        Assert.Equal(a.Select(i => 4 * i), await c.ToArrayAsync());
        var part = new int[10];
        await c.DownloadAsync(part, 500);
        Assert.Equal(Enumerable.Range(500, 10).Select(i => 4 * i), part);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => c.DownloadAsync(new int[10], 995));
    }

    [Fact]
    public async Task DownloadAsync_SubmitsPendingWorkFirst()
    {
        var device = fixture.Device;
        using var x = device.Upload<int>([1, 2, 3]);
        using var y = device.Upload<int>([10, 20, 30]);
        using var c = device.Allocate<int>(3);
        using var stream = device.CreateStream();
        stream.Dispatch(TestKernels.VectorAdd, [x, y, c], [], 3);
        Assert.Equal(1, stream.PendingDispatches);
        var result = await c.ToArrayAsync();
        Assert.Equal([11, 22, 33], result.AsSpan());
    }

    [Fact]
    public async Task CompileAsync_OnNative_ThrowsCompilationErrorForBrokenWgsl()
    {
        var broken = TestKernels.Make("BrokenAsync", "@compute @workgroup_size(1) fn main() { let x = undefined_value; }", 1, [], static (in CpuInvocation _) => { });
        var e = await Assert.ThrowsAsync<GpuCompilationException>(() => fixture.Device.CompileAsync([broken]));
        Assert.Contains("BrokenAsync", e.Message, StringComparison.Ordinal);
    }
}
