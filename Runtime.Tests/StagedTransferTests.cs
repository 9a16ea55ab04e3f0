using System.Diagnostics;
using KernelGen.Backends.Native;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// Large uploads and all downloads through the device's mapped staging buffers (<see cref="NativeStaging"/>): odd sizes
/// and offsets, chunked transfers, the queue path beside it, concurrent streams, dispose while staging buffers are
/// mapped, and a wait that times out. The CPU backend runs the same transfer checks (it copies directly).
/// </summary>
public sealed class StagedTransferTests(NativeDeviceFixture fixture, StagedTransferTests.SmallThresholdDevice small)
    : IClassFixture<NativeDeviceFixture>, IClassFixture<StagedTransferTests.SmallThresholdDevice>
{
    /// <summary>A native device that stages every upload of 64 KiB or more (the default threshold is 4 MiB).</summary>
    public sealed class SmallThresholdDevice : IDisposable
    {
        public GpuDevice Device { get; } = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = NativeDeviceFixture.WaitTimeout, StagedUploadBytes = 64 << 10 });

        public void Dispose() => Device.Dispose();
    }

    private GpuDevice Device(GpuBackend backend) => backend == GpuBackend.Native ? small.Device : fixture.Cpu;

    private static float[] Pattern(int n, float salt) => Enumerable.Range(0, n).Select(i => i * 0.25f + salt).ToArray();

    [Theory]
    [InlineData(GpuBackend.Native, 16_411, 0)]      // just above the 64 KiB threshold, not a multiple of 4 or 256 elements
    [InlineData(GpuBackend.Native, 1_048_583, 1)]   // above the default 4 MiB threshold too
    [InlineData(GpuBackend.Native, 150_529, 7)]     // one image of 3x224x224 plus one, at an odd element offset
    [InlineData(GpuBackend.Native, 1_000_003, 13)]
    [InlineData(GpuBackend.Native, 1001, 3)]        // below the threshold: the queue path
    [InlineData(GpuBackend.Cpu, 150_529, 7)]
    [InlineData(GpuBackend.Cpu, 1001, 3)]
    public void Upload_and_download_of_odd_sizes_at_odd_offsets_leave_the_neighbours_alone(GpuBackend backend, int count, int offset)
    {
        var device = Device(backend);
        var length = count + offset + 5;
        using var buffer = device.Upload<float>(Enumerable.Repeat(-1f, length).ToArray());
        var data = Pattern(count, 0.5f);
        buffer.Upload(data, offset);
        var all = buffer.ToArray();
        Assert.All(all[..offset], v => Assert.Equal(-1f, v));
        Assert.Equal(data, all[offset..(offset + count)]);
        Assert.All(all[(offset + count)..], v => Assert.Equal(-1f, v));

        // What a kernel sees (not only what a download reads back): y = 2x + 1 over the whole buffer.
        using var y = device.Allocate<float>(length);
        using var stream = device.CreateStream();
        stream.Dispatch(TestKernels.ScaleBias, [buffer, y], TestKernels.ScaleUniforms(2f, 1f), length);
        stream.Synchronize();
        var part = new float[count];
        y.Download(part, offset);
        for (var i = 0; i < count; i++) Assert.Equal(2f * data[i] + 1f, part[i]);
    }

    [Fact]
    public void Every_upload_staged_also_bytes_and_halves_of_odd_length_at_odd_offsets()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = NativeDeviceFixture.WaitTimeout, StagedUploadBytes = 0 });
        using var bytes = device.Upload<byte>(Enumerable.Repeat((byte)0xEE, 1031).ToArray());
        var data = Enumerable.Range(0, 1021).Select(i => (byte)(i * 7)).ToArray();
        bytes.Upload(data, 3); // not whole words: read-modify-write through the queue
        var all = bytes.ToArray();
        Assert.Equal([0xEE, 0xEE, 0xEE], all[..3]);
        Assert.Equal(data, all[3..1024]);
        Assert.All(all[1024..], b => Assert.Equal(0xEE, b));
        var middle = new byte[11];
        bytes.Download(middle, 5); // an unaligned read: the covering words are copied
        Assert.Equal(data[2..13], middle);

        using var halves = device.Allocate<Half>(999);
        var h = Enumerable.Range(0, 996).Select(i => (Half)(i % 200)).ToArray();
        halves.Upload(h, 2); // whole words: staged
        Assert.Equal(h, halves.ToArray()[2..998]);

        using var ints = device.Allocate<int>(3);
        ints.Upload([1, 2, 3]); // 12 bytes: staged too
        Assert.Equal([1, 2, 3], ints.ToArray());
    }

    [Fact]
    public void Transfers_larger_than_a_chunk_go_in_pieces_and_arrive_whole()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = NativeDeviceFixture.WaitTimeout, StagedUploadBytes = 64 << 10 });
        var staging = ((NativeGpuDevice)device).Staging;
        staging.ChunkBytes = 1 << 20;
        const int count = 1_337_345; // 5.35 MB: six chunks of 1 MiB, more than the ring keeps
        using var buffer = device.Upload<float>(Enumerable.Repeat(-1f, count + 9).ToArray());
        var data = Pattern(count, 3f);
        for (var round = 0; round < 3; round++)
        {
            data[round] = -round;
            buffer.Upload(data, 4);
            var back = new float[count];
            buffer.Download(back, 4);
            Assert.Equal(data, back);
        }
        var all = buffer.ToArray();
        Assert.All(all[..4], v => Assert.Equal(-1f, v));
        Assert.All(all[(count + 4)..], v => Assert.Equal(-1f, v));
        Assert.InRange(staging.IdleCount, 1, 2 * NativeStaging.MaxIdle);
    }

    [Fact]
    public void The_queue_path_and_the_staged_path_write_the_same_bytes()
    {
        using var queued = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = NativeDeviceFixture.WaitTimeout, StagedUploadBytes = int.MaxValue });
        var data = Pattern(300_001, 1f);
        using var a = queued.Upload<float>(data);
        using var b = small.Device.Upload<float>(data);
        Assert.Equal(a.ToArray(), b.ToArray());
        Assert.Equal(1, ((NativeGpuDevice)queued).Staging.IdleCount); // the download's staging buffer only: no upload was staged
    }

    [Fact]
    public void Uploads_between_dispatches_are_ordered_with_them()
    {
        // Upload batch N+1 while batch N's work is submitted and unfinished: each batch must see its own data.
        var device = small.Device;
        const int n = 100_003;
        using var x = device.Allocate<float>(n);
        using var stream = device.CreateStream();
        var outputs = Enumerable.Range(0, 4).Select(_ => device.Allocate<float>(n)).ToArray();
        try
        {
            for (var batch = 0; batch < outputs.Length; batch++)
            {
                x.Upload(Pattern(n, batch * 1000f));
                stream.Dispatch(TestKernels.ScaleBias, [x, outputs[batch]], TestKernels.ScaleUniforms(1f, 0f), n);
                stream.Submit(); // no wait: the next upload is queued behind this dispatch
            }
            stream.Synchronize();
            for (var batch = 0; batch < outputs.Length; batch++) Assert.Equal(Pattern(n, batch * 1000f), outputs[batch].ToArray());
        }
        finally
        {
            foreach (var o in outputs) o.Dispose();
        }
    }

    [Fact]
    public void Streams_on_several_threads_transfer_at_once()
    {
        var device = small.Device;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            try
            {
                var n = 70_001 + 977 * t;
                using var x = device.Allocate<float>(n);
                using var y = device.Allocate<float>(n);
                using var stream = device.CreateStream();
                var back = new float[n];
                for (var round = 0; round < 5; round++)
                {
                    var data = Pattern(n, t * 100 + round);
                    x.Upload(data);
                    stream.Dispatch(TestKernels.ScaleBias, [x, y], TestKernels.ScaleUniforms(2f, 0f), n);
                    stream.Synchronize();
                    y.Download(back);
                    for (var i = 0; i < n; i++)
                        if (back[i] != 2f * data[i]) throw new InvalidOperationException($"thread {t} round {round}: y[{i}] = {back[i]}, expected {2f * data[i]}");
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.Empty(failures);
    }
}

/// <summary>Staging buffers are released with their device, also while mapped or mapping; a timed-out wait reads nothing.</summary>
[Collection(nameof(SerialCollection))]
public class StagedTransferLifetimeTests
{
    [Fact]
    public void Disposing_the_device_while_staging_buffers_are_mapped_releases_them_all()
    {
        var before = Interlocked.Read(ref NativeStaging.LiveStagingBuffers);
        for (var round = 0; round < 3; round++)
        {
            var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = NativeDeviceFixture.WaitTimeout, StagedUploadBytes = 64 << 10 });
            using var a = device.Allocate<float>(200_000);
            using var b = device.Allocate<float>(400_000);
            a.Upload(new float[200_000]);
            b.Upload(new float[400_000]); // two upload staging buffers, each being mapped again after its copy
            Assert.Equal(200_000, a.ToArray().Length); // one download staging buffer, unmapped
            b.Upload(new float[400_000]);
            Assert.True(Interlocked.Read(ref NativeStaging.LiveStagingBuffers) >= before + 3);
            device.Dispose(); // no wait for the pending maps; Dawn aborts them
            Assert.Throws<ObjectDisposedException>(() => a.Upload(new float[200_000]));
        }
        Assert.Equal(before, Interlocked.Read(ref NativeStaging.LiveStagingBuffers));
    }

    [Fact]
    public void A_download_whose_wait_times_out_writes_nothing_and_later_transfers_fail_promptly()
    {
        var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, StagedUploadBytes = 64 << 10 });
        var y = device.Allocate<uint>(64);
        var x = device.Upload<float>(new float[100_000]);
        Assert.Equal(100_000, x.ToArray().Length); // the download staging buffer exists before the wait is shortened
        var stream = device.CreateStream();
        // About 9 s of work on lavapipe here (see ReliabilityTests), waited for 1 ms.
        stream.Dispatch(ReliabilityTests.Spin, [y], ReliabilityTests.Steps(30_000_000), 64);
        stream.Submit();
        x.Upload(Enumerable.Repeat(5f, 100_000).ToArray()); // staged, queued behind the spin: its staging buffer maps after it
        device.WaitTimeout = TimeSpan.FromMilliseconds(1);
        var destination = Enumerable.Repeat(7u, 64).ToArray();
        var timeout = Assert.Throws<GpuTimeoutException>(() => y.Download(destination));
        Assert.Contains("download", timeout.Message);
        Assert.All(destination, v => Assert.Equal(7u, v));
        Assert.True(device.IsLost);

        var clock = Stopwatch.StartNew();
        Assert.Throws<GpuDeviceLostException>(() => x.Upload(new float[100_000]));
        Assert.Throws<GpuDeviceLostException>(() => x.ToArray());
        stream.Dispose();
        x.Dispose();
        y.Dispose();
        device.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"calls after the timeout took {clock.Elapsed.TotalSeconds:0.0} s; they must not wait for the GPU");
    }
}
