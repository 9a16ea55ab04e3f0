namespace KernelGen.Runtime.Tests;

/// <summary>
/// Native devices created on several threads at once all get the real adapter (test classes create
/// their fixtures' devices in parallel; Dawn's adapter discovery on one instance is not thread-safe).
/// </summary>
public class ConcurrentDeviceCreationTests
{
    [Fact]
    public async Task Devices_created_concurrently_all_get_the_adapter_a_lone_creation_gets()
    {
        const int Threads = 4, Rounds = 3;
        for (var round = 0; round < Rounds; round++)
        {
            var devices = new GpuDevice?[Threads];
            try
            {
                using var start = new Barrier(Threads);
                var creations = Enumerable.Range(0, Threads).Select(i => Task.Factory.StartNew(() =>
                {
                    start.SignalAndWait();
                    devices[i] = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
                await Task.WhenAll(creations); // rethrows a creation failure (Dawn's Null adapter) as it happened
                Assert.All(devices, d => Assert.Equal(devices[0]!.Info, d!.Info));
            }
            finally
            {
                foreach (var device in devices) device?.Dispose();
            }
        }
    }
}
