namespace KernelGen.Runtime.Tests;

/// <summary>
/// The one command recorder (Runtime/Recording): streams record a command list that each backend runs at submit, graphs
/// capture the same list; the order of pending work and replays, buffers disposed while their work is pending, and
/// ahead-of-time compilation of a constant set, on the native backend and the CPU.
/// </summary>
public class CommandRecorderTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private GpuDevice DeviceFor(GpuBackend backend) => backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_buffer_disposed_after_recording_with_it_is_released_only_after_its_work_is_submitted(GpuBackend backend)
    {
        var device = DeviceFor(backend);
        var x = device.Upload<int>([1, 2, 3]);
        var y = device.Upload<int>([10, 20, 30]);
        using var z = device.Allocate<int>(3);
        using var w = device.Allocate<int>(3);
        using var stream = device.CreateStream();
        stream.Dispatch(TestKernels.VectorAdd, [x, y, z], [], 3);
        stream.Copy(x, w);
        x.Dispose();
        y.Dispose();
        Assert.True(x.IsDisposed);
        // Recording with a disposed buffer is refused at once, though its memory still waits for the pending submit.
        Assert.Throws<ObjectDisposedException>(() => stream.Dispatch(TestKernels.VectorAdd, [x, x, z], [], 3));
        stream.Synchronize();
        Assert.Equal([11, 22, 33], z.ToArray());
        Assert.Equal([1, 2, 3], w.ToArray());
        Assert.Equal(0, stream.PendingDispatches);
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_replay_runs_after_the_work_pending_on_its_stream_and_before_what_follows(GpuBackend backend)
    {
        var device = DeviceFor(backend);
        using var source = device.Upload<int>([7, 8, 9, 10]);
        using var target = device.Allocate<int>(4);
        using var after = device.Allocate<int>(4);
        using var stream = device.CreateStream();
        using var graph = stream.Capture(s => s.Copy(source, target)); // target = source
        stream.Fill(target, 5);            // pending before the replay: overwritten by it
        graph.Replay();
        stream.Copy(target, after);        // after the replay: sees the graph's copy
        stream.Fill(source, -1);           // after everything: the graph copied the old values
        stream.Synchronize();
        Assert.Equal([7, 8, 9, 10], target.ToArray());
        Assert.Equal([7, 8, 9, 10], after.ToArray());
        Assert.Equal([-1, -1, -1, -1], source.ToArray());
        Assert.Equal(0, graph.DispatchCount); // copies are commands, not dispatches
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_graph_keeps_its_own_uniforms_while_the_stream_reuses_its_arena(GpuBackend backend)
    {
        var device = DeviceFor(backend);
        using var a = device.Upload<float>([0f, 0f, 0f, 0f]);
        using var b = device.Allocate<float>(4);
        using var stream = device.CreateStream();
        // Graph: b = a * 1 + 3, then a = b * 2 + 0.
        using var graph = stream.Capture(s =>
        {
            s.Dispatch(TestKernels.ScaleBias, [a, b], TestKernels.ScaleUniforms(1f, 3f), 4);
            s.Dispatch(TestKernels.ScaleBias, [b, a], TestKernels.ScaleUniforms(2f, 0f), 4);
        });
        for (var i = 0; i < 3; i++)
        {
            stream.Dispatch(TestKernels.ScaleBias, [a, b], TestKernels.ScaleUniforms(1f, 100f), 4); // stream arena: b = a + 100
            graph.Replay();                                                                          // a = (a + 3) * 2
        }
        stream.Synchronize();
        Assert.All(a.ToArray(), v => Assert.Equal(42f, v)); // 0 -> 6 -> 18 -> 42
        Assert.Equal(2, graph.DispatchCount);
    }

    [Fact]
    public void Compile_with_constants_builds_that_sets_pipeline_ahead_of_the_dispatch()
    {
        var device = fixture.Device;
        device.Compile(PipelineConstantsTests.Scaled, PipelineConstants.Of(("scale", 3)));
        // A set the WGSL does not declare is refused at Compile, naming the kernel: the pipeline really is built there.
        var error = Assert.Throws<GpuCompilationException>(() => device.Compile(PipelineConstantsTests.Scaled, PipelineConstants.Of(("not_declared", 1))));
        Assert.Contains("OverrideScale", error.Message);
        Assert.Throws<ArgumentNullException>(() => device.Compile(PipelineConstantsTests.Scaled, null!));
        using var x = device.Upload<float>([1f, 2f]);
        using var y = device.Allocate<float>(2);
        using var stream = device.CreateStream();
        stream.Dispatch(PipelineConstantsTests.Scaled, [x, y], [], 2, PipelineConstants.Of(("scale", 3)));
        stream.Synchronize();
        Assert.Equal([3f, 6f], y.ToArray());
        fixture.Cpu.Compile(PipelineConstantsTests.Scaled, PipelineConstants.Of(("scale", 3))); // nothing to build, no error
    }
}
