namespace KernelGen.Runtime.Tests;

/// <summary>
/// Disposing a native device on one thread while another thread works on its own device neither crashes
/// nor deadlocks (all devices share Dawn's instance: disposal must touch only its own device).
/// </summary>
public class ConcurrentDeviceDisposalTests
{
    [Fact]
    public async Task Disposing_devices_while_another_device_dispatches_is_safe()
    {
        using var worker = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        var input = Enumerable.Range(0, 256).Select(i => (float)i).ToArray();
        using var stop = new CancellationTokenSource();

        var dispatching = Task.Factory.StartNew(() =>
        {
            using var stream = worker.CreateStream();
            using var x = worker.Upload<float>(input);
            using var y = worker.Allocate<float>(256);
            var output = new float[256];
            var rounds = 0;
            for (; !stop.IsCancellationRequested; rounds++)
            {
                stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(2f, rounds), 256);
                stream.Synchronize();
                y.Download(output);
                Assert.Equal(2f * 255f + rounds, output[255]);
            }
            return rounds;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var disposing = Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < 40; i++)
            {
                using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
                using var buffer = device.Upload<float>(input);
                Assert.Equal(input, buffer.ToArray());
            }
            stop.Cancel();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // A deadlock inside Dawn would block forever: fail instead of hanging the run.
        var both = Task.WhenAll(disposing, dispatching);
        var finished = await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(finished == both, "Device creation/disposal and dispatching on another device deadlocked (no progress in 60 s).");
        await both;
        Assert.True(await dispatching > 0);
    }
}
