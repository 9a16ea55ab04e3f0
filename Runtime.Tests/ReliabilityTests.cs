using System.Diagnostics;
using System.Runtime.InteropServices;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// The runtime under hostile use (issue 15): every wait is bounded and a timed-out device is lost but
/// disposes at once; a stream used from two threads throws; a device disposed while another thread
/// dispatches on it never crashes; the CPU backend honours WaitTimeout; a wrong library gives a clear error.
/// </summary>
public class ReliabilityTests
{
    /// <summary>Each invocation runs a dependent chain of <c>u.steps</c> steps: the length of the work is chosen at dispatch.</summary>
    internal static readonly KernelInfo Spin = TestKernels.Make("SpinSteps", """
        struct Uniforms { steps: u32, pad: u32 }
        @group(0) @binding(0) var<storage, read_write> y: array<u32>;
        @group(0) @binding(1) var<uniform> u: Uniforms;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
            var acc = id.x;
            for (var i = 0u; i < u.steps; i = i + 1u) { acc = acc * 1664525u + 1013904223u; }
            y[id.x] = acc;
        }
        """, 64, [new(0, "y", BindingKind.Storage, typeof(uint), 4), new(1, "uniforms", BindingKind.Uniform, null, 8)],
        static (in CpuInvocation inv) => { }, uniformSize: 8);

    internal static byte[] Steps(uint steps) => MemoryMarshal.AsBytes<uint>([steps, 0]).ToArray();

    [Fact]
    public void Native_timeout_loses_the_device_and_every_later_call_and_dispose_return_promptly()
    {
        var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        var y = device.Allocate<uint>(64);
        var stream = device.CreateStream();
        // About 9 s of work on lavapipe here (64 invocations x 30M dependent steps; more under load); waited for 1 ms.
        stream.Dispatch(Spin, [y], Steps(30_000_000), 64);
        stream.Submit();
        device.WaitTimeout = TimeSpan.FromMilliseconds(1);
        var timeout = Assert.Throws<GpuTimeoutException>(stream.Synchronize);
        Assert.Contains("waiting for the device to finish the submitted dispatches", timeout.Message);
        Assert.True(device.IsLost);

        var clock = Stopwatch.StartNew();
        var lost = Assert.Throws<GpuDeviceLostException>(() => stream.Dispatch(Spin, [y], Steps(1), 64));
        Assert.Contains("timed out", lost.Message);
        Assert.Throws<GpuDeviceLostException>(() => device.Compile(TestKernels.VectorAdd)); // no pipeline compile behind the stuck work
        Assert.Throws<GpuDeviceLostException>(() => y.ToArray());
        Assert.Throws<GpuDeviceLostException>(() => device.Allocate<int>(4));
        stream.Dispose();
        y.Dispose();
        device.Dispose(); // the native device is released on a background thread once Dawn lets go
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"calls after the timeout took {clock.Elapsed.TotalSeconds:0.0} s; they must not wait for the GPU");
        Assert.Throws<ObjectDisposedException>(() => device.CreateStream());
    }

    [Fact]
    public void A_device_whose_wait_timed_out_does_not_block_other_devices()
    {
        // Device A: about 40 s of work on lavapipe here (4x the timeout test's), waited for 1 ms, so it is lost and its
        // native release (on a background thread) may sit in Dawn until the work ends. Device B, on the same Dawn instance,
        // must meanwhile create, upload, dispatch, wait and read as usual: had it queued behind A's work, its own wait
        // (30 s) would time out first.
        var a = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        var stuck = a.Allocate<uint>(64);
        var stream = a.CreateStream();
        stream.Dispatch(Spin, [stuck], Steps(120_000_000), 64);
        stream.Submit();
        a.WaitTimeout = TimeSpan.FromMilliseconds(1);
        Assert.Throws<GpuTimeoutException>(stream.Synchronize);
        Assert.True(a.IsLost);
        stream.Dispose();
        stuck.Dispose();
        a.Dispose();

        for (var round = 0; round < 3; round++)
        {
            using var b = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = TimeSpan.FromSeconds(30) });
            Assert.False(b.IsLost);
            using var x = b.Upload<int>([1, 2, 3]);
            using var y = b.Upload<int>([10, 20, 30]);
            using var z = b.Allocate<int>(3);
            using var s = b.CreateStream();
            s.Dispatch(TestKernels.VectorAdd, [x, y, z], [], 3);
            s.Synchronize();
            Assert.Equal([11, 22, 33], z.ToArray());
        }
        Assert.Throws<ObjectDisposedException>(() => a.CreateStream());
    }

    [Fact]
    public void Cpu_backend_times_out_an_endless_kernel_and_loses_the_device()
    {
        using var release = new ManualResetEventSlim(false);
        var endless = TestKernels.Make("Endless", "unused on the CPU", 1, [new(0, "y", BindingKind.Storage, typeof(int), 4)],
            (in CpuInvocation inv) => release.Wait()); // "endless" until the test lets it go, so that no thread is left spinning
        var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu, WaitTimeout = TimeSpan.FromMilliseconds(200) });
        try
        {
            using var y = device.Allocate<int>(1);
            using var stream = device.CreateStream();
            var clock = Stopwatch.StartNew();
            var error = Assert.Throws<GpuTimeoutException>(() => stream.Dispatch(endless, [y], [], 1));
            Assert.Contains("Endless", error.Message);
            Assert.Contains("CPU backend", error.Message);
            Assert.True(device.IsLost);
            Assert.Throws<GpuDeviceLostException>(() => stream.Dispatch(endless, [y], [], 1));
            device.Dispose();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the timeout and Dispose took {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void Cpu_backend_cancels_the_workgroups_of_a_grid_too_large_to_finish()
    {
        long invocations = 0;
        var counting = TestKernels.Make("Counting", "unused on the CPU", 1, [new(0, "y", BindingKind.Storage, typeof(int), 4)],
            (in CpuInvocation inv) =>
            {
                Interlocked.Increment(ref invocations);
                Thread.SpinWait(50);
            });
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu, WaitTimeout = TimeSpan.FromMilliseconds(300) });
        using var y = device.Allocate<int>(1);
        using var stream = device.CreateStream();
        // 65535 x 65535 workgroups: hours on the CPU.
        Assert.Throws<GpuTimeoutException>(() => stream.Dispatch(counting, [y], [], Grid.Groups(65535, 65535)));
        Thread.Sleep(500); // let running workgroups finish
        var settled = Interlocked.Read(ref invocations);
        Thread.Sleep(1000);
        Assert.Equal(settled, Interlocked.Read(ref invocations)); // no workgroup started after the cancellation
        Assert.True(settled < 65535L * 65535L);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_stream_used_from_two_threads_at_once_throws_instead_of_crashing(GpuBackend backend)
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = backend });
        using var x = device.Upload<int>(Enumerable.Range(0, 256).ToArray());
        using var y = device.Upload<int>(Enumerable.Range(0, 256).ToArray());
        using var z = device.Allocate<int>(256);
        using var stream = device.CreateStream();
        var refused = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        void Hammer()
        {
            while (DateTime.UtcNow < deadline && Volatile.Read(ref refused) == 0)
            {
                try
                {
                    for (var i = 0; i < 16; i++) stream.Dispatch(TestKernels.VectorAdd, [x, y, z], [], 256);
                    stream.Synchronize();
                }
                catch (InvalidOperationException e) when (e.Message.Contains("two threads", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref refused);
                }
            }
        }
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(Hammer)).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.True(refused > 0, "two threads dispatching on one stream for 3 s never collided (or a collision was not detected)");
    }

    [Fact]
    public async Task A_stream_busy_on_one_thread_refuses_another_deterministically()
    {
        using var entered = new ManualResetEventSlim(false);
        using var release = new ManualResetEventSlim(false);
        var blocking = TestKernels.Make("Blocking", "unused on the CPU", 1, [new(0, "y", BindingKind.Storage, typeof(int), 4)],
            (in CpuInvocation inv) =>
            {
                entered.Set();
                release.Wait();
            });
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        using var y = device.Allocate<int>(1);
        using var stream = device.CreateStream();
        var busy = Task.Factory.StartNew(() => stream.Dispatch(blocking, [y], [], 1), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(entered.Wait(TimeSpan.FromSeconds(30)));
        var error = Assert.Throws<InvalidOperationException>(() => stream.Dispatch(blocking, [y], [], 1));
        Assert.Contains("one stream per thread", error.Message);
        release.Set();
        await busy;
        stream.Dispatch(blocking, [y], [], 1); // usable again once the other thread has left
    }

    [Fact]
    public async Task Disposing_a_device_while_another_thread_dispatches_on_it_throws_there_and_never_crashes()
    {
        var input = Enumerable.Range(0, 1024).Select(i => (float)i).ToArray();
        for (var round = 0; round < 12; round++)
        {
            var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
            using var started = new ManualResetEventSlim(false);
            var worker = Task.Factory.StartNew(() =>
            {
                try
                {
                    using var stream = device.CreateStream();
                    using var x = device.Upload<float>(input);
                    using var y = device.Allocate<float>(input.Length);
                    for (var i = 0; ; i++)
                    {
                        stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(2f, i), input.Length);
                        if (i % 8 == 7) stream.Synchronize();
                        started.Set();
                    }
                }
                catch (ObjectDisposedException)
                {
                    return true;
                }
                finally
                {
                    started.Set();
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Assert.True(started.Wait(TimeSpan.FromSeconds(60)));
            Thread.Sleep(round * 3);
            device.Dispose();
            Assert.True(await Task.WhenAny(worker, Task.Delay(TimeSpan.FromSeconds(60))) == worker, "the dispatching thread did not stop after the device was disposed");
            Assert.True(await worker);
        }
    }

    [Fact]
    public void A_library_that_is_not_dawn_is_refused_with_the_missing_entry_points()
    {
        var libc = NativeLibrary.Load("libc.so.6");
        try
        {
            var error = Assert.Throws<GpuAdapterUnavailableException>(() => KernelGen.Interop.Dawn.WebGpuLibrary.CheckIsDawn(libc, "/lib/libc.so.6"));
            Assert.Contains("/lib/libc.so.6", error.Message);
            Assert.Contains("is not Dawn's webgpu.h build", error.Message);
            Assert.Contains("wgpuCreateInstance", error.Message);
        }
        finally
        {
            NativeLibrary.Free(libc);
        }
    }

    [Fact]
    public void A_library_path_that_does_not_exist_is_an_error_not_ignored()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "libwebgpu_wrapper.so");
        var error = Assert.Throws<GpuAdapterUnavailableException>(() => KernelGen.Interop.Dawn.WebGpuLibrary.ThrowIfNamedFileIsMissing(missing));
        Assert.Contains(missing, error.Message);
        Assert.Contains("KERNELGEN_WEBGPU_LIB", error.Message);
        KernelGen.Interop.Dawn.WebGpuLibrary.ThrowIfNamedFileIsMissing(null); // unset: the other places are searched
    }
}
