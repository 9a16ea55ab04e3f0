using System.Numerics;

namespace KernelGen.Runtime.Tests;

/// <summary>Copy, clear and fill recorded on a stream, ordered with dispatches and captured in graphs, on the native and CPU backends.</summary>
public class BufferOperationTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private GpuDevice Device(GpuBackend backend) => backend == GpuBackend.Native ? fixture.Device : fixture.Cpu;

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Copy_of_a_whole_buffer_and_of_a_range(GpuBackend backend)
    {
        var device = Device(backend);
        var data = Enumerable.Range(1, 100).ToArray();
        using var a = device.Upload<int>(data);
        using var b = device.Allocate<int>(100);
        using var c = device.Upload<int>(Enumerable.Repeat(-1, 10).ToArray());
        using var stream = device.CreateStream();
        stream.Copy(a, b);
        stream.Copy(a, 40, c, 2, 5);
        stream.Synchronize();
        Assert.Equal(data, b.ToArray());
        Assert.Equal([-1, -1, 41, 42, 43, 44, 45, -1, -1, -1], c.ToArray());
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Clear_and_fill_whole_buffers_and_ranges(GpuBackend backend)
    {
        var device = Device(backend);
        using var x = device.Upload<float>(Enumerable.Range(1, 300).Select(i => (float)i).ToArray());
        using var y = device.Upload<int>(Enumerable.Range(1, 16).ToArray());
        using var v = device.Allocate<Vector2>(70);
        using var w = device.Allocate<Vector3>(5);
        using var stream = device.CreateStream();
        stream.Fill(x, 2.5f);
        stream.Clear(y, 4, 8);
        stream.Fill(v, new Vector2(1, -2), 3, 60);
        stream.Fill(w, new Vector3(7, 8, 9));
        stream.Synchronize();
        Assert.All(x.ToArray(), value => Assert.Equal(2.5f, value));
        Assert.Equal([1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 13, 14, 15, 16], y.ToArray());
        var vs = v.ToArray();
        for (var i = 0; i < vs.Length; i++) Assert.Equal(i is >= 3 and < 63 ? new Vector2(1, -2) : Vector2.Zero, vs[i]);
        Assert.All(w.ToArray(), value => Assert.Equal(new Vector3(7, 8, 9), value));
        stream.Clear(x);
        stream.Synchronize();
        Assert.All(x.ToArray(), value => Assert.Equal(0f, value));
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Transfers_are_ordered_with_dispatches(GpuBackend backend)
    {
        var device = Device(backend);
        using var x = device.Upload<float>([1f, 2f, 3f, 4f]);
        using var y = device.Allocate<float>(4);
        using var z = device.Allocate<float>(4);
        using var stream = device.CreateStream();
        stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(2f, 1f), 4); // y = 2x + 1
        stream.Copy(y, x);                                                                     // x = y
        stream.Dispatch(TestKernels.ScaleBias, [x, z], TestKernels.ScaleUniforms(10f, 0f), 4); // z = 10x
        stream.Fill(y, 5f);
        stream.Synchronize();
        Assert.Equal([30f, 50f, 70f, 90f], z.ToArray());
        Assert.Equal([5f, 5f, 5f, 5f], y.ToArray());
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void A_captured_graph_replays_copies_clears_and_fills(GpuBackend backend)
    {
        var device = Device(backend);
        using var x = device.Upload<float>([1f, 2f, 3f, 4f]);
        using var y = device.Allocate<float>(4);
        using var z = device.Allocate<float>(4);
        using var stream = device.CreateStream();
        using var graph = stream.Capture(s =>
        {
            s.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(1f, 1f), 4); // y = x + 1
            s.Copy(y, x);                                                                    // x = y
            s.Clear(z);
            s.Fill(z, 9f, 1, 2);
        });
        Assert.Equal(2, graph.DispatchCount); // the kernel and the fill (a built-in kernel); copies and clears are not dispatches
        for (var i = 0; i < 3; i++) graph.Replay();
        stream.Synchronize();
        Assert.Equal([4f, 5f, 6f, 7f], x.ToArray());
        Assert.Equal([4f, 5f, 6f, 7f], y.ToArray());
        Assert.Equal([0f, 9f, 9f, 0f], z.ToArray());
    }

    [Theory]
    [InlineData(GpuBackend.Native)]
    [InlineData(GpuBackend.Cpu)]
    public void Bad_transfers_are_refused_clearly(GpuBackend backend)
    {
        var device = Device(backend);
        using var a = device.Allocate<int>(8);
        using var h = device.Allocate<Half>(7);
        using var stream = device.CreateStream();
        Assert.Contains("within one buffer", Assert.Throws<ArgumentException>(() => stream.Copy(a, 0, a, 4, 4)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Copy(a, 6, a, 0, 4));
        Assert.Contains("4-byte words", Assert.Throws<ArgumentException>(() => stream.Clear(h, 1, 2)).Message);
        Assert.Contains("4-byte words", Assert.Throws<ArgumentException>(() => stream.Clear(h)).Message);
        Assert.Contains("Half has 2 bytes", Assert.Throws<ArgumentException>(() => stream.Fill(h, (Half)1)).Message);
        using var other = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        using var foreign = other.Allocate<int>(8);
        Assert.Contains("another device", Assert.Throws<ArgumentException>(() => stream.Copy(foreign, a)).Message);
        var gone = device.Allocate<int>(8);
        gone.Dispose();
        Assert.Throws<ObjectDisposedException>(() => stream.Fill(gone, 1));
        stream.Synchronize();
    }
}
