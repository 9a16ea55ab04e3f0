namespace KernelGen.Runtime.Tests;

/// <summary>Bad dispatches are rejected at the call, with the kernel's C# name and what is wrong, on both backends.</summary>
public class DispatchFaultTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private GpuDevice Device(GpuBackend backend) => backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Wrong_element_type_is_rejected(GpuBackend backend)
    {
        var device = Device(backend);
        using var a = device.Allocate<int>(8);
        using var b = device.Allocate<float>(8);
        using var c = device.Allocate<int>(8);
        using var stream = device.CreateStream();
        var error = Assert.Throws<ArgumentException>(() => stream.Dispatch(TestKernels.VectorAdd, [a, b, c], [], 8));
        Assert.Contains(TestKernels.VectorAdd.Name, error.Message);
        Assert.Contains("'b' must be GpuBuffer<Int32> but is GpuBuffer<Single>", error.Message);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Wrong_buffer_count_is_rejected(GpuBackend backend)
    {
        var device = Device(backend);
        using var a = device.Allocate<int>(8);
        using var stream = device.CreateStream();
        var error = Assert.Throws<ArgumentException>(() => stream.Dispatch(TestKernels.VectorAdd, [a, a], [], 8));
        Assert.Contains("takes 3 storage buffer(s) (a, b, c) but 2 were passed", error.Message);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Writable_aliasing_is_rejected_but_read_only_aliasing_is_allowed(GpuBackend backend)
    {
        var device = Device(backend);
        using var a = device.Upload<int>([1, 2, 3, 4]);
        using var c = device.Allocate<int>(4);
        using var stream = device.CreateStream();
        var error = Assert.Throws<ArgumentException>(() => stream.Dispatch(TestKernels.VectorAdd, [a, c, c], [], 4));
        Assert.Contains("same buffer is bound to 'b' (read) and 'c' (read_write)", error.Message);
        Assert.Contains(TestKernels.VectorAdd.Name, error.Message);

        stream.Dispatch(TestKernels.VectorAdd, [a, a, c], [], 4); // a + a: two read-only bindings of one buffer are valid WebGPU
        stream.Synchronize();
        Assert.Equal([2, 4, 6, 8], c.ToArray());
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Uniform_size_mismatch_is_rejected(GpuBackend backend)
    {
        var device = Device(backend);
        using var x = device.Allocate<float>(8);
        using var y = device.Allocate<float>(8);
        using var stream = device.CreateStream();
        var error = Assert.Throws<ArgumentException>(() => stream.Dispatch(TestKernels.ScaleBias, [x, y], new byte[4], 8));
        Assert.Contains("8-byte uniform block but 4 bytes were passed", error.Message);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Grid_beyond_the_workgroup_limit_is_rejected_with_the_limit(GpuBackend backend)
    {
        var device = Device(backend);
        using var a = device.Allocate<int>(8);
        using var b = device.Allocate<int>(8);
        using var c = device.Allocate<int>(8);
        using var stream = device.CreateStream();
        var max = device.Limits.MaxComputeWorkgroupsPerDimension;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => stream.Dispatch(TestKernels.VectorAdd, [a, b, c], [], Grid.Groups((int)max + 1)));
        Assert.Contains($"at most {max} per dimension", error.Message);
        Assert.Contains("maxComputeWorkgroupsPerDimension", error.Message);
        Assert.Contains(TestKernels.VectorAdd.Name, error.Message);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Disposed_buffer_is_rejected(GpuBackend backend)
    {
        var device = Device(backend);
        using var a = device.Allocate<int>(8);
        using var b = device.Allocate<int>(8);
        var c = device.Allocate<int>(8);
        c.Dispose();
        c.Dispose(); // releasing twice is harmless
        using var stream = device.CreateStream();
        var error = Assert.Throws<ObjectDisposedException>(() => stream.Dispatch(TestKernels.VectorAdd, [a, b, c], [], 8));
        Assert.Contains("'c' was disposed", error.Message);
        Assert.Throws<ObjectDisposedException>(() => c.ToArray());
    }

    [Fact]
    public void Buffer_from_another_device_is_rejected()
    {
        using var a = fixture.Device.Allocate<int>(8);
        using var b = fixture.Device.Allocate<int>(8);
        using var foreign = fixture.Cpu.Allocate<int>(8);
        using var stream = fixture.Device.CreateStream();
        var error = Assert.Throws<ArgumentException>(() => stream.Dispatch(TestKernels.VectorAdd, [a, b, foreign], [], 8));
        Assert.Contains("'c' belongs to another device", error.Message);
    }

    [Fact]
    public void Wgsl_the_device_refuses_reports_dawns_messages_and_the_kernel()
    {
        using var y = fixture.Device.Allocate<float>(64);
        using var stream = fixture.Device.CreateStream();
        var error = Assert.Throws<GpuCompilationException>(() => stream.Dispatch(TestKernels.BadWgsl, [y], [], 64));
        Assert.Equal(TestKernels.BadWgsl.Name, error.KernelName);
        Assert.Contains(TestKernels.BadWgsl.Name, error.Message);
        Assert.Contains(TestKernels.BadWgsl.SourceLocation, error.Message);
        Assert.NotEmpty(error.CompilerMessages);
        Assert.StartsWith("4:", error.CompilerMessages[0]); // Dawn's line number of the bad statement
        Assert.Contains("vec2<i32>", error.Message);       // Dawn's own text quotes the offending type
        // The error is sticky per call, not per device: a good kernel still runs afterwards.
        using var x = fixture.Device.Upload<float>([1f]);
        using var z = fixture.Device.Allocate<float>(1);
        stream.Dispatch(TestKernels.SiluKernel, [x, z], [], 1);
        stream.Synchronize();
        Assert.Equal(1f / (1f + MathF.Exp(-1f)), z.ToArray()[0], 5);
    }

    [Fact]
    public void Exception_in_a_cpu_kernel_names_the_kernel_and_thread()
    {
        var device = fixture.Cpu;
        using var a = device.Allocate<int>(64);
        using var b = device.Allocate<int>(64);
        using var c = device.Allocate<int>(64);
        using var stream = device.CreateStream();
        var error = Assert.Throws<GpuKernelException>(() => stream.Dispatch(TestKernels.ThrowsOnCpu, [a, b, c], [], 64));
        Assert.Contains(TestKernels.ThrowsOnCpu.Name, error.Message);
        Assert.Contains("thread (5, 0, 0)", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void Cpu_barrier_workgroup_beyond_the_thread_cap_is_refused_clearly()
    {
        var huge = TestKernels.Make("Huge", "", 2048, [.. TestKernels.Reduction.Bindings], TestKernels.Reduction.Cpu, barriers: true);
        using var workers = new KernelGen.Backends.Cpu.CpuBarrierWorkers(2);
        var error = Assert.Throws<NotSupportedException>(() =>
            KernelGen.Backends.Cpu.CpuKernelRunner.Run(huge, new CpuDispatchData([new byte[4], new byte[4]], []), (1, 1, 1), 2, workers));
        Assert.Contains("2048 invocations per workgroup", error.Message);
        Assert.Contains("at most 1024", error.Message);
    }

    [Fact]
    public void Null_adapter_is_refused_with_the_fix()
    {
        var reason = KernelGen.Backends.Native.NativeAdapters.RefusalReason(KernelGen.Interop.Dawn.WGPUBackendType.Null, "Null backend");
        Assert.NotNull(reason);
        Assert.Contains("Null backend", reason);
        Assert.Contains("Mesa 25 lavapipe", reason);
        Assert.Contains("bookworm-backports", reason);
        Assert.Contains("VK_ICD_FILENAMES", reason);
        Assert.Null(KernelGen.Backends.Native.NativeAdapters.RefusalReason(KernelGen.Interop.Dawn.WGPUBackendType.Vulkan, "llvmpipe"));
    }

    [Fact]
    public void Cpu_backend_is_never_chosen_implicitly()
    {
        // Auto without AllowCpuFallback either gives a native device or throws; here an adapter exists.
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Auto });
        Assert.Equal(GpuBackend.Native, device.Backend);
    }

    [Fact]
    public void Unknown_adapter_name_lists_the_available_adapters()
    {
        var error = Assert.Throws<GpuAdapterUnavailableException>(() =>
            GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, AdapterName = "no-such-gpu-xyz" }));
        Assert.Contains("no-such-gpu-xyz", error.Message);
        Assert.Contains(fixture.Device.Info.Device, error.Message);
    }

    [Fact]
    public void Adapter_can_be_picked_by_index_and_by_name()
    {
        var adapters = GpuDevice.ListAdapters();
        Assert.NotEmpty(adapters);
        using var byIndex = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, AdapterIndex = 0 });
        Assert.Equal(adapters[0].Device, byIndex.Info.Device);
        using var byName = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, AdapterName = adapters[0].Device[..4] });
        Assert.Equal(adapters[0].Device, byName.Info.Device);
    }
}

/// <summary>Faults that need a device of their own.</summary>
public class DeviceFaultTests
{
    [Fact]
    public void Lost_device_throws_on_the_next_call_and_a_new_device_works()
    {
        var device = (KernelGen.Backends.Native.NativeGpuDevice)GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        using var a = device.Upload<int>([1, 2]);
        using var stream = device.CreateStream();
        device.DestroyForTesting();
        Assert.True(device.IsLost);
        var error = Assert.Throws<GpuDeviceLostException>(() => stream.Dispatch(TestKernels.VectorAdd, [a, a, a], [], 2));
        Assert.Contains("was lost", error.Message);
        Assert.Throws<GpuDeviceLostException>(() => device.Allocate<int>(4));
        device.Dispose();

        using var fresh = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        using var x = fresh.Upload<int>([1, 2]);
        using var y = fresh.Upload<int>([3, 4]);
        using var z = fresh.Allocate<int>(2);
        using var s = fresh.CreateStream();
        s.Dispatch(TestKernels.VectorAdd, [x, y, z], [], 2);
        s.Synchronize();
        Assert.Equal([4, 6], z.ToArray());
    }

    [Fact]
    public void Wait_longer_than_the_timeout_throws_naming_what_was_awaited()
    {
        // 64 invocations that each spin through a 4M-step dependent chain: milliseconds on any device.
        var spin = TestKernels.Make("Spin", """
            @group(0) @binding(0) var<storage, read_write> y: array<u32>;
            @compute @workgroup_size(64)
            fn main(@builtin(global_invocation_id) id: vec3<u32>) {
                var acc = id.x;
                for (var i = 0u; i < 4000000u; i = i + 1u) { acc = acc * 1664525u + 1013904223u; }
                y[id.x] = acc;
            }
            """, 64, [new(0, "y", BindingKind.Storage, typeof(uint), 4)], static (in CpuInvocation inv) => { });
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        using var y = device.Allocate<uint>(64);
        using var stream = device.CreateStream();
        stream.Dispatch(spin, [y], [], 64);
        stream.Submit();
        device.WaitTimeout = TimeSpan.FromMilliseconds(1);
        var error = Assert.Throws<GpuTimeoutException>(stream.Synchronize);
        Assert.Contains("Timed out after 0.001 s waiting for the device to finish the submitted dispatches", error.Message);
        device.WaitTimeout = TimeSpan.FromSeconds(30);
        stream.Synchronize(); // the work does finish, and the device stays usable
        Assert.NotEqual(0u, y.ToArray()[1]);
    }
}

/// <summary>Library resolution and CPU barrier failure handling, without a device.</summary>
public class RuntimeEnvironmentTests
{
    [Fact]
    public void Missing_library_message_names_every_place_and_the_fix()
    {
        var message = KernelGen.Interop.Dawn.WebGpuLibrary.MissingLibraryMessage(
            KernelGen.Interop.Dawn.WebGpuLibrary.Candidates().Select(c => c.Description).ToList());
        Assert.Contains("$KERNELGEN_WEBGPU_LIB", message);
        Assert.Contains("next to the application", message);
        Assert.Contains(".native", message);
        Assert.Contains("scripts/setup-native.sh", message);
        Assert.Contains("bun-webgpu-linux-x64@0.1.7", message);
    }

    [Fact]
    public void Exception_in_a_barrier_kernel_on_the_cpu_is_reported_without_hanging()
    {
        var throwing = TestKernels.Make("BarrierThrows", TestKernels.Reduction.Wgsl, 64, [.. TestKernels.Reduction.Bindings],
            static (in CpuInvocation inv) =>
            {
                Workgroup.Barrier();
                if (inv.Local.X == 3 && inv.Group.X == 1) throw new InvalidOperationException("boom");
                Workgroup.Barrier();
            },
            shared: [new GroupSharedArray("tile", 4, 64)], barriers: true);
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        using var x = device.Allocate<int>(256);
        using var sums = device.Allocate<int>(4);
        using var stream = device.CreateStream();
        var error = Assert.Throws<GpuKernelException>(() => stream.Dispatch(throwing, [x, sums], [], 256));
        Assert.Contains("BarrierThrows", error.Message);
        Assert.Contains("thread (67, 0, 0)", error.Message);
    }

    [Fact]
    public void Kernel_with_more_storage_buffers_than_the_device_allows_is_rejected()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        var count = (int)device.Limits.MaxStorageBuffersPerShaderStage + 1;
        var bindings = Enumerable.Range(0, count).Select(i => new KernelBinding(i, $"b{i}", BindingKind.ReadOnlyStorage, typeof(float), 4)).ToArray();
        var wide = TestKernels.Make("Wide", "", 64, bindings, static (in CpuInvocation inv) => { });
        var buffers = Enumerable.Range(0, count).Select(_ => (GpuBuffer)device.Allocate<float>(4)).ToArray();
        using var stream = device.CreateStream();
        var error = Assert.Throws<ArgumentException>(() => stream.Dispatch(wide, buffers, [], 4));
        Assert.Contains("maxStorageBuffersPerShaderStage", error.Message);
        foreach (var b in buffers) b.Dispose();
    }
}

/// <summary>Misuse of streams, graphs and buffers is refused with a clear exception, on both backends.</summary>
public class StreamMisuseTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private GpuDevice Device(GpuBackend backend) => backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Capture_state_is_enforced(GpuBackend backend)
    {
        var device = Device(backend);
        using var x = device.Upload<float>([2f, 2f, 2f, 2f]);
        using var y = device.Allocate<float>(4);
        using var stream = device.CreateStream();
        Assert.Throws<InvalidOperationException>(() => stream.EndCapture());
        stream.BeginCapture();
        Assert.Throws<InvalidOperationException>(stream.BeginCapture);
        Assert.Throws<InvalidOperationException>(stream.Submit);
        Assert.Throws<InvalidOperationException>(stream.Synchronize);
        stream.Dispatch(TestKernels.SiluKernel, [x, y], [], 4);
        using var graph = stream.EndCapture();
        stream.BeginCapture();
        Assert.Throws<InvalidOperationException>(graph.Replay);
        stream.EndCapture().Dispose();
        graph.Replay();
        stream.Synchronize();
        Assert.Equal(2f / (1f + MathF.Exp(-2f)), y.ToArray()[0], 1e-5f); // the graph captured before the nested capture still runs
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_failing_capture_leaves_the_stream_usable(GpuBackend backend)
    {
        var device = Device(backend);
        using var x = device.Allocate<float>(4);
        using var stream = device.CreateStream();
        Assert.Throws<ArgumentException>(() => stream.Capture(s => s.Dispatch(TestKernels.SiluKernel, [x], [], 4)));
        Assert.False(stream.IsCapturing);
        using var y = device.Allocate<float>(4);
        stream.Dispatch(TestKernels.SiluKernel, [x, y], [], 4);
        stream.Synchronize();
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Transfers_outside_the_buffer_are_rejected(GpuBackend backend)
    {
        var device = Device(backend);
        using var buffer = device.Allocate<int>(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Upload(new int[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Upload(new int[2], offset: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Download(new int[4], offset: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => device.Allocate<int>(-1));
    }

    [Fact]
    public void Disposed_stream_and_device_refuse_work()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        var stream = device.CreateStream();
        stream.Dispose();
        using var x = device.Allocate<float>(4);
        Assert.Throws<ObjectDisposedException>(() => stream.Dispatch(TestKernels.SiluKernel, [x, x], [], 4));
        device.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.Allocate<float>(4));
        Assert.Throws<ObjectDisposedException>(() => device.CreateStream());
    }
}
