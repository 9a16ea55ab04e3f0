using System.Diagnostics;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// Issue 14 item 5 / issue 15 item 6: all native devices share Dawn's one instance, so threads creating and
/// disposing devices while other threads dispatch (and a forced GC every few operations, running the
/// finalizer guards) must stay correct and never crash or deadlock. The CI run lasts about 30 s; set
/// <c>KERNELGEN_STRESS_SECONDS</c> (e.g. 600, with <c>DOTNET_gcServer=1</c>) for the soak.
/// </summary>
public class ConcurrentDeviceStressTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static TimeSpan Duration => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("KERNELGEN_STRESS_SECONDS"), out var s) && s > 0 ? s : 30);

    [Fact]
    public async Task Devices_created_disposed_and_dispatched_on_concurrently_stay_correct()
    {
        var duration = Duration;
        var stop = DateTime.UtcNow + duration;
        var input = Enumerable.Range(0, 512).Select(i => (float)i).ToArray();
        long dispatches = 0, cycles = 0, abandonedBuffers = 0, collections = 0, orphanedDispose = 0;

        // Long-lived devices, each dispatching on its own stream and checking every result.
        Task Dispatcher(int seed) => Task.Factory.StartNew(() =>
        {
            using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
            using var stream = device.CreateStream();
            using var x = device.Upload<float>(input);
            using var y = device.Allocate<float>(input.Length);
            using var z = device.Allocate<float>(input.Length);
            var result = new float[input.Length];
            for (var round = 0; DateTime.UtcNow < stop; round++)
            {
                var bias = seed * 1000 + round % 997;
                stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(3f, bias), input.Length);
                stream.Copy(y, z);
                stream.Synchronize();
                z.Download(result);
                Assert.Equal(3f * 511f + bias, result[511]);
                Assert.Equal(3f * 7f + bias, result[7]);
                Interlocked.Add(ref dispatches, 1);
                if (round % 16 == 0)
                {
                    // A buffer left to its finalizer guard: released later on the device's own thread.
                    _ = device.Allocate<float>(64);
                    Interlocked.Increment(ref abandonedBuffers);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // Devices created, used once and disposed, over and over; some disposed by another thread while in use.
        Task Cycler() => Task.Factory.StartNew(() =>
        {
            while (DateTime.UtcNow < stop)
            {
                var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
                using (var buffer = device.Upload<float>(input))
                using (var stream = device.CreateStream())
                {
                    stream.Fill(buffer, 1.5f, 0, 16);
                    stream.Synchronize();
                    Assert.Equal(1.5f, buffer.ToArray()[15]);
                    Assert.Equal(16f, buffer.ToArray()[16]);
                }
                if (Interlocked.Increment(ref cycles) % 5 == 0)
                {
                    // Dispose while another thread is in the middle of using the device: it must get ObjectDisposedException, never a crash.
                    var user = Task.Run(() =>
                    {
                        try
                        {
                            using var s = device.CreateStream();
                            using var b = device.Allocate<float>(256);
                            for (var i = 0; i < 50; i++)
                            {
                                s.Fill(b, i);
                                s.Synchronize();
                            }
                        }
                        catch (ObjectDisposedException)
                        {
                            Interlocked.Increment(ref orphanedDispose);
                        }
                    });
                    Thread.Sleep(1);
                    device.Dispose();
                    user.Wait();
                }
                else
                {
                    device.Dispose();
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        // A forced GC every few milliseconds runs the finalizer guards of abandoned objects in the middle of everything.
        Task Collector() => Task.Factory.StartNew(() =>
        {
            while (DateTime.UtcNow < stop)
            {
                Thread.Sleep(20);
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var clock = Stopwatch.StartNew();
        var all = Task.WhenAll(Dispatcher(1), Dispatcher(2), Cycler(), Cycler(), Collector());
        var limit = duration + TimeSpan.FromSeconds(120);
        Assert.True(await Task.WhenAny(all, Task.Delay(limit)) == all, $"no completion within {limit.TotalSeconds} s: a deadlock");
        await all;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0} s: {dispatches} checked dispatch rounds on 2 long-lived devices, {cycles} device create/dispose cycles " +
            $"({orphanedDispose} disposed under another thread's use), {abandonedBuffers} buffers left to finalizers, {collections} forced GCs; gcServer={System.Runtime.GCSettings.IsServerGC}");
        Assert.True(dispatches > 0 && cycles > 0);
    }
}
