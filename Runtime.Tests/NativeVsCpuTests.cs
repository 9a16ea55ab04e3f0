namespace KernelGen.Runtime.Tests;

/// <summary>The same kernels on Dawn (real software Vulkan adapter) and on the CPU backend give the same results.</summary>
public class NativeVsCpuTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static int[] RandomInts(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.Next(-1_000_000, 1_000_000)).ToArray();
    }

    private static float[] RandomFloats(int n, int seed, float range = 10f)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (random.NextSingle() * 2 - 1) * range).ToArray();
    }

    private static T[] Run<T>(GpuDevice device, KernelInfo kernel, T[][] inputs, int outputLength, byte[] uniforms, Grid grid) where T : unmanaged
    {
        var buffers = inputs.Select(i => (GpuBuffer)device.Upload<T>(i)).ToList();
        var output = device.Allocate<T>(outputLength);
        buffers.Add(output);
        using var stream = device.CreateStream();
        stream.Dispatch(kernel, buffers.ToArray(), uniforms, grid);
        stream.Synchronize();
        var result = output.ToArray();
        foreach (var b in buffers) b.Dispose();
        return result;
    }

    /// <summary>Floats agree within <paramref name="relative"/> of the magnitude (plus a tiny absolute floor near zero).</summary>
    private static void AssertClose(float[] expected, float[] actual, float relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = relative * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance})");
        }
    }

    [Fact]
    public void Native_adapter_is_real_and_reports_limits()
    {
        var device = fixture.Device;
        Assert.Equal(GpuBackend.Native, device.Backend);
        Assert.NotEqual("Null", device.Info.BackendType);
        Assert.True(device.Limits.MaxComputeWorkgroupsPerDimension >= 65535);
        Assert.True(device.Limits.MaxComputeInvocationsPerWorkgroup >= 256);
        Assert.True(device.Limits.MaxStorageBufferBindingSize >= 128UL << 20);
    }

    [Fact]
    public void Integer_vector_add_matches_cpu_exactly()
    {
        const int n = 10_007; // not a multiple of the workgroup size: the kernel's bounds check matters
        var a = RandomInts(n, 1);
        var b = RandomInts(n, 2);
        var native = Run(fixture.Device, TestKernels.VectorAdd, [a, b], n, [], n);
        var cpu = Run(fixture.Cpu, TestKernels.VectorAdd, [a, b], n, [], n);
        var expected = a.Zip(b, (x, y) => x + y).ToArray();
        Assert.Equal(expected, cpu);
        Assert.Equal(expected, native);
    }

    [Fact]
    public void Uniform_scaled_kernel_matches_cpu_within_one_rounding()
    {
        const int n = 4_099;
        var x = RandomFloats(n, 3);
        var uniforms = TestKernels.ScaleUniforms(1.75f, -0.5f);
        var native = Run(fixture.Device, TestKernels.ScaleBias, [x], n, uniforms, n);
        var cpu = Run(fixture.Cpu, TestKernels.ScaleBias, [x], n, uniforms, n);
        // scale * x + bias may be fused into an FMA on the GPU: at most one rounding apart.
        AssertClose(cpu, native, 2e-7f);
    }

    [Fact]
    public void Transcendental_kernel_matches_cpu_within_tolerance()
    {
        const int n = 2_000;
        var x = RandomFloats(n, 4, 20f);
        var native = Run(fixture.Device, TestKernels.SiluKernel, [x], n, [], n);
        var cpu = Run(fixture.Cpu, TestKernels.SiluKernel, [x], n, [], n);
        // WGSL's exp is accurate to 3 + 2|x| ulp on Vulkan; 1e-5 relative covers |x| <= 20.
        AssertClose(cpu, native, 1e-5f);
    }

    [Fact]
    public void Two_dimensional_kernel_sees_the_same_ids_and_group_counts()
    {
        const int width = 37, height = 19;
        var uniforms = new byte[8];
        BitConverter.TryWriteBytes(uniforms.AsSpan(0), width);
        BitConverter.TryWriteBytes(uniforms.AsSpan(4), height);
        var grid = Grid.Threads(width, height);
        var native = Run<uint>(fixture.Device, TestKernels.TwoD, [], width * height, uniforms, grid);
        var cpu = Run<uint>(fixture.Cpu, TestKernels.TwoD, [], width * height, uniforms, grid);
        // 37x19 threads in 8x4 workgroups = 5x5 groups.
        var expected = new uint[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                expected[y * width + x] = (uint)(x * 1000 + y + 5 * 1000000 + 5 * 100000000);
        Assert.Equal(expected, cpu);
        Assert.Equal(expected, native);
    }

    [Fact]
    public void Shared_memory_reduction_with_barriers_matches_cpu_exactly()
    {
        const int n = 64 * 40 + 17;
        var x = RandomInts(n, 5).Select(v => v % 1000).ToArray();
        var groups = (n + 63) / 64;
        var native = Run(fixture.Device, TestKernels.Reduction, [x], groups, [], n);
        var cpu = Run(fixture.Cpu, TestKernels.Reduction, [x], groups, [], n);
        var expected = Enumerable.Range(0, groups).Select(g => x.Skip(g * 64).Take(64).Sum()).ToArray();
        Assert.Equal(expected, cpu);
        Assert.Equal(expected, native);
    }

    [Fact]
    public void Two_dimensional_shared_memory_transpose_matches_exactly()
    {
        const int rows = 45, cols = 70; // not multiples of the 16x16 tile
        var input = Enumerable.Range(0, rows * cols).Select(i => (float)i).ToArray();
        var uniforms = new byte[8];
        BitConverter.TryWriteBytes(uniforms.AsSpan(0), rows);
        BitConverter.TryWriteBytes(uniforms.AsSpan(4), cols);
        var grid = Grid.Groups((cols + 15) / 16, (rows + 15) / 16);
        var native = Run(fixture.Device, TestKernels.TransposeKernel, [input], rows * cols, uniforms, grid);
        var cpu = Run(fixture.Cpu, TestKernels.TransposeKernel, [input], rows * cols, uniforms, grid);
        var expected = new float[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                expected[c * rows + r] = input[r * cols + c];
        Assert.Equal(expected, cpu);
        Assert.Equal(expected, native);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Many_dispatches_in_one_stream_each_see_their_own_uniforms(GpuBackend backend)
    {
        var device = backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;
        const int n = 256;
        const int steps = 300;
        var data = Enumerable.Range(0, n).Select(i => (float)i).ToArray();
        using var a = device.Upload<float>(data);
        using var b = device.Allocate<float>(n);
        using var stream = device.CreateStream();
        var expected = (float[])data.Clone();
        for (var s = 0; s < steps; s++)
        {
            // Ping-pong: each dispatch adds its own step number; a wrong uniform offset changes the sum.
            var (src, dst) = s % 2 == 0 ? (a, b) : (b, a);
            stream.Dispatch(TestKernels.ScaleBias, [src, dst], TestKernels.ScaleUniforms(1f, s), n);
            for (var i = 0; i < n; i++) expected[i] += s;
        }
        Assert.Equal(backend == GpuBackend.Native ? steps : 0, stream.PendingDispatches);
        stream.Synchronize();
        Assert.Equal(0, stream.PendingDispatches);
        Assert.Equal(expected, (steps % 2 == 0 ? a : b).ToArray());
    }

    [Fact]
    public void Full_uniform_arena_submits_and_is_reused_without_clobbering_pending_uniforms()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native });
        ((KernelGen.Backends.Native.NativeGpuDevice)device).UniformArenaBytes = 4096; // 16 to 256 slots
        const int n = 64;
        const int steps = 1100;
        using var a = device.Upload<float>(new float[n]);
        using var b = device.Allocate<float>(n);
        using var stream = device.CreateStream();
        var expected = 0f;
        for (var s = 0; s < steps; s++)
        {
            var (src, dst) = s % 2 == 0 ? (a, b) : (b, a);
            stream.Dispatch(TestKernels.ScaleBias, [src, dst], TestKernels.ScaleUniforms(1f, s % 13), n);
            expected += s % 13;
        }
        Assert.True(stream.PendingDispatches < steps, "the arena should have filled and been submitted at least once");
        stream.Synchronize();
        Assert.All((steps % 2 == 0 ? a : b).ToArray(), v => Assert.Equal(expected, v));
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Captured_graph_replays_with_new_input_data(GpuBackend backend)
    {
        var device = backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;
        const int n = 500;
        using var x = device.Upload<float>(Enumerable.Range(0, n).Select(i => (float)i).ToArray());
        using var t = device.Allocate<float>(n);
        using var y = device.Allocate<float>(n);
        using var stream = device.CreateStream();
        using var graph = stream.Capture(s =>
        {
            s.Dispatch(TestKernels.ScaleBias, [x, t], TestKernels.ScaleUniforms(2f, 1f), n);
            s.Dispatch(TestKernels.ScaleBias, [t, y], TestKernels.ScaleUniforms(3f, -4f), n);
        });
        Assert.Equal(2, graph.DispatchCount);
        Assert.All(y.ToArray(), v => Assert.Equal(0f, v)); // capturing runs nothing

        for (var round = 0; round < 3; round++)
        {
            var input = Enumerable.Range(0, n).Select(i => (float)(i * (round + 1) % 97)).ToArray();
            x.Upload(input);
            graph.Replay();
            stream.Synchronize();
            Assert.Equal(input.Select(v => 3f * (2f * v + 1f) - 4f).ToArray(), y.ToArray());
        }
    }

    [Fact]
    public void Graph_replay_refuses_a_disposed_buffer()
    {
        var device = fixture.Device;
        using var x = device.Upload<float>(new float[64]);
        var y = device.Allocate<float>(64);
        using var stream = device.CreateStream();
        using var graph = stream.Capture(s => s.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(1f, 1f), 64));
        y.Dispose();
        var error = Assert.Throws<ObjectDisposedException>(graph.Replay);
        Assert.Contains("TestKernels.Scale", error.Message);
        Assert.Contains("'y'", error.Message);
    }

    [Fact]
    public void Download_submits_pending_dispatches_of_the_buffer_first()
    {
        var device = fixture.Device;
        using var a = device.Upload<int>([1, 2, 3]);
        using var b = device.Upload<int>([10, 20, 30]);
        using var c = device.Allocate<int>(3);
        using var stream = device.CreateStream();
        stream.Dispatch(TestKernels.VectorAdd, [a, b, c], [], 3);
        Assert.Equal([11, 22, 33], c.ToArray());
    }

    [Fact]
    public void Profiling_reports_one_timing_per_dispatch()
    {
        var device = fixture.Device;
        using var x = device.Upload<float>(new float[4096]);
        using var y = device.Allocate<float>(4096);
        using var stream = device.CreateStream();
        if (!device.Features.TimestampQuery)
        {
            var error = Assert.Throws<NotSupportedException>(stream.EnableProfiling);
            Assert.Contains("timestamp-query", error.Message);
            return;
        }
        stream.EnableProfiling();
        stream.Dispatch(TestKernels.SiluKernel, [x, y], [], 4096);
        stream.Dispatch(TestKernels.ScaleBias, [y, x], TestKernels.ScaleUniforms(1f, 0f), 4096);
        stream.Dispatch(TestKernels.SiluKernel, [x, y], [], 4096);
        stream.Synchronize();
        Assert.Equal(3, stream.Timings.Count);
        Assert.Equal(TestKernels.SiluKernel.Name, stream.Timings[0].Kernel);
        Assert.Equal(TestKernels.ScaleBias.Name, stream.Timings[1].Kernel);
        Assert.All(stream.Timings, t => Assert.InRange(t.Microseconds, 0.0, 10_000_000.0));
    }

    [Fact]
    public void Cpu_profiling_reports_one_timing_per_dispatch()
    {
        using var x = fixture.Cpu.Upload<float>(new float[1024]);
        using var y = fixture.Cpu.Allocate<float>(1024);
        using var stream = fixture.Cpu.CreateStream();
        stream.EnableProfiling();
        stream.Dispatch(TestKernels.SiluKernel, [x, y], [], 1024);
        stream.Dispatch(TestKernels.SiluKernel, [y, x], [], 1024);
        stream.Synchronize();
        Assert.Equal(2, stream.Timings.Count);
        Assert.All(stream.Timings, t => Assert.True(t.Microseconds > 0));
    }

    [Fact]
    public void Buffer_upload_download_round_trips_including_offsets_and_odd_half_lengths()
    {
        var device = fixture.Device;
        using var buffer = device.Allocate<Half>(7);
        var values = Enumerable.Range(0, 7).Select(i => (Half)(i * 1.5f)).ToArray();
        buffer.Upload(values);
        Assert.Equal(values, buffer.ToArray());
        buffer.Upload([(Half)100f], offset: 3);
        values[3] = (Half)100f;
        Assert.Equal(values, buffer.ToArray());
        var tail = new Half[2];
        buffer.Download(tail, offset: 5);
        Assert.Equal(values[5..], tail);
    }
}

/// <summary>Kernels compile ahead of use, and the steady-state dispatch path allocates nothing.</summary>
public class CompileAndAllocationTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    /// <summary>Every kernel of this test suite plus every generator-registered kernel compiles on Dawn.</summary>
    [Fact]
    public void Every_known_kernel_compiles_on_dawn()
    {
        KernelInfo[] handWritten = [TestKernels.VectorAdd, TestKernels.ScaleBias, TestKernels.TwoD, TestKernels.Reduction, TestKernels.SiluKernel, TestKernels.TransposeKernel];
        var kernels = handWritten.Concat(KernelRegistry.All).Distinct().ToList();
        Assert.True(kernels.Count >= handWritten.Length);
        var failures = new List<string>();
        foreach (var kernel in kernels)
        {
            try
            {
                fixture.Device.Compile(kernel, CorpusTests.SampleConstants.For(kernel));
            }
            catch (GpuCompilationException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Compile_reports_refused_wgsl_before_any_dispatch()
    {
        var error = Assert.Throws<GpuCompilationException>(() => fixture.Device.Compile(TestKernels.BadWgsl));
        Assert.Contains(TestKernels.BadWgsl.Name, error.Message);
    }

    [Fact]
    public void Steady_state_dispatch_allocates_no_managed_memory()
    {
        var device = fixture.Device;
        using var x = device.Allocate<float>(256);
        using var y = device.Allocate<float>(256);
        using var stream = device.CreateStream();
        void Record(int count)
        {
            Span<byte> uniforms = stackalloc byte[8];
            for (var i = 0; i < count; i++)
            {
                BitConverter.TryWriteBytes(uniforms, 1f);
                BitConverter.TryWriteBytes(uniforms[4..], (float)i);
                stream.Dispatch(TestKernels.ScaleBias, [x, y], uniforms, 256);
            }
        }
        Record(1000); // pipeline, bind group, list capacity
        stream.Synchronize();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Record(1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stream.Synchronize();
        Assert.Equal(0, allocated);
    }
}

/// <summary>Streams of one device used from several threads at once.</summary>
public class ConcurrencyTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Streams_on_different_threads_share_one_device(GpuBackend backend)
    {
        var device = backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;
        if (device is KernelGen.Backends.Native.NativeGpuDevice native)
            Assert.True(native.IsThreadSafe, "Dawn's implicit device synchronization should be enabled on this adapter");
        const int n = 512;
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                using var x = device.Upload<float>(Enumerable.Range(0, n).Select(i => (float)(i + t)).ToArray());
                using var y = device.Allocate<float>(n);
                using var stream = device.CreateStream();
                for (var round = 0; round < 20; round++)
                {
                    stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(2f, round), n);
                    stream.Dispatch(TestKernels.ScaleBias, [y, x], TestKernels.ScaleUniforms(0.5f, -round / 2f), n);
                }
                stream.Synchronize();
                // Each round: x -> 2x + r -> (2x + r) / 2 - r/2 = x. So x ends unchanged, y = 2x + 19.
                var xs = x.ToArray();
                var ys = y.ToArray();
                for (var i = 0; i < n; i++)
                {
                    if (xs[i] != i + t || ys[i] != 2f * (i + t) + 19f)
                    {
                        failures.Add($"thread {t}, element {i}: x = {xs[i]}, y = {ys[i]}");
                        return;
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add($"thread {t}: {e}");
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.Empty(failures);
    }
}
