using KernelGen.Backends.Native;

namespace KernelGen.Runtime.Tests;

/// <summary>Tests that read process-wide counters run alone (no other test class allocates meanwhile).</summary>
[CollectionDefinition(nameof(SerialCollection), DisableParallelization = true)]
public sealed class SerialCollection;

/// <summary>Repeated allocate / dispatch / dispose cycles release every native object.</summary>
[Collection(nameof(SerialCollection))]
public class NativeMemoryTests
{
    /// <summary>Resident set size of this process, from /proc/self/status (VmRSS, kB).</summary>
    private static long ResidentKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
        throw new InvalidOperationException("VmRSS not found in /proc/self/status");
    }

    [Fact]
    public void Ten_thousand_dispatch_dispose_cycles_do_not_grow_native_memory()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        using var stream = device.CreateStream();
        // 16 KiB buffers, so that a leak (two buffers a cycle) would be 320 MiB: far above allocator noise.
        const int n = 4096;
        var input = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
        var output = new float[n];

        void Cycle(int i)
        {
            using var x = device.Upload<float>(input);
            using var y = device.Allocate<float>(n);
            stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(2f, i), n);
            if (i % 10 == 0)
            {
                y.Download(output);
                Assert.Equal(2f * (n - 1) + i, output[n - 1]);
            }
            else
            {
                stream.Submit();
            }
        }

        // Warm up: pipeline compiled, staging buffers grown, allocator pools filled.
        for (var i = 0; i < 500; i++) Cycle(i);
        stream.Synchronize();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var buffersBefore = Interlocked.Read(ref NativeGpuDevice.LiveBuffers);
        var bindGroupsBefore = Interlocked.Read(ref NativeGpuDevice.LiveBindGroups);
        var rssBefore = ResidentKilobytes();

        var trace = new List<long>();
        for (var i = 0; i < 10_000; i++)
        {
            Cycle(i);
            if (i % 2000 == 1999)
            {
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                trace.Add(ResidentKilobytes() - rssBefore);
            }
        }
        stream.Synchronize();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        // Exact: every buffer and bind group created in the loop was released.
        Assert.Equal(buffersBefore, Interlocked.Read(ref NativeGpuDevice.LiveBuffers));
        Assert.Equal(bindGroupsBefore, Interlocked.Read(ref NativeGpuDevice.LiveBindGroups));
        // Process RSS (Dawn's and the driver's memory included), measured after an aggressive, decommitting GC so
        // that managed-heap growth does not count. Leaking the cycle's buffers would add 320 MiB; measured growth
        // on lavapipe is 1-10 MiB (allocator arenas under load), flat over the second half. Allow 32 MiB.
        var growth = ResidentKilobytes() - rssBefore;
        Assert.True(growth < 32 * 1024, $"RSS grew by {growth} kB over 10,000 cycles (every 2,000: {string.Join(", ", trace)} kB)");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Forget(GpuDevice device)
    {
        for (var i = 0; i < 50; i++)
        {
            var x = device.Upload<float>(new float[64]);
            var y = device.Allocate<float>(64);
            var stream = device.CreateStream();
            stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(1f, 2f), 64);
            stream.Synchronize();
        }
    }

    [Fact]
    public void Forgotten_buffers_and_streams_are_released_by_the_finalizer_guard()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        device.Allocate<int>(1).Dispose();
        var buffersBefore = Interlocked.Read(ref NativeGpuDevice.LiveBuffers);
        var bindGroupsBefore = Interlocked.Read(ref NativeGpuDevice.LiveBindGroups);
        Forget(device); // 100 buffers, 50 streams (each with a uniform arena buffer), 50 bind groups, none disposed
        // Two rounds: a stream stays reachable through the bind-group cache until its buffers' bind groups
        // are released in the first round. The next call on the device's thread performs the deferred releases.
        for (var round = 0; round < 2; round++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            device.Allocate<int>(1).Dispose();
        }
        Assert.Equal(buffersBefore, Interlocked.Read(ref NativeGpuDevice.LiveBuffers));
        Assert.Equal(bindGroupsBefore, Interlocked.Read(ref NativeGpuDevice.LiveBindGroups));
    }
}

/// <summary>Tests that change process environment variables (serial, so no other test sees them).</summary>
[Collection(nameof(SerialCollection))]
public class AdapterEnvironmentTests
{
    [Fact]
    public void Kernelgen_adapter_variable_picks_by_name_or_index()
    {
        var adapters = GpuDevice.ListAdapters();
        Assert.NotEmpty(adapters);
        var previous = Environment.GetEnvironmentVariable(GpuDeviceOptions.AdapterEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(GpuDeviceOptions.AdapterEnvironmentVariable, adapters[^1].Device[..3].ToUpperInvariant());
            using (var byName = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native }))
                Assert.Contains(adapters[^1].Device[..3], byName.Info.Device, StringComparison.OrdinalIgnoreCase);
            Environment.SetEnvironmentVariable(GpuDeviceOptions.AdapterEnvironmentVariable, "0");
            using (var byIndex = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native }))
                Assert.Equal(adapters[0].Device, byIndex.Info.Device);
            Environment.SetEnvironmentVariable(GpuDeviceOptions.AdapterEnvironmentVariable, "99");
            var error = Assert.Throws<GpuAdapterUnavailableException>(() => GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native }));
            Assert.Contains("index 99", error.Message);
            Assert.Contains("KERNELGEN_ADAPTER", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(GpuDeviceOptions.AdapterEnvironmentVariable, previous);
        }
    }
}
