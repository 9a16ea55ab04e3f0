using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KernelGen.Benchmarks;

/// <summary>
/// Host transfer throughput: <see cref="GpuBuffer{T}.Upload"/> through <c>wgpuQueueWriteBuffer</c> (a device made with
/// <see cref="GpuDeviceOptions.StagedUploadBytes"/> = int.MaxValue: before) and through the mapped staging ring
/// (default: after), each followed by a wait so the copy is counted; <see cref="GpuBuffer{T}.Download"/>; and the
/// pipelined pattern of a host-fed batch loop (upload of batch N+1 while batch N's work runs, one wait per batch).
/// Sizes include EfficientNet-B0's batch-64 input (64x3x224x224 floats, 38.5 MB) and its logits (64x1000 floats).
/// </summary>
internal static class TransferBench
{
    public static JsonObject Run(GpuBackend backend, string? adapterName, int repetitions)
    {
        int[] sizes = [64 * 1000, 3 * 224 * 224, 1 << 18, 1 << 19, 1 << 20, 1 << 21, 1 << 22, 64 * 3 * 224 * 224];
        var rows = new JsonArray();
        Console.WriteLine();
        Console.WriteLine($"host transfers (median of {repetitions}; MB/s = 1e6 bytes/s; upload includes the wait for its copy):");
        Console.WriteLine($"  {"floats",10} {"MB",8} {"upload queue",14} {"upload staged",14} {"download",12} {"up+down queue",14} {"up+down staged",15} {"queue call",12} {"staged call",12}");
        using var queued = GpuDevice.Create(new GpuDeviceOptions { Backend = backend, AdapterName = adapterName, StagedUploadBytes = int.MaxValue });
        using var staged = GpuDevice.Create(new GpuDeviceOptions { Backend = backend, AdapterName = adapterName });
        foreach (var n in sizes)
        {
            var data = new float[n];
            for (var i = 0; i < n; i++) data[i] = i * 0.5f;
            var back = new float[n];
            var mb = n * 4 / 1e6;
            double Upload(GpuDevice d)
            {
                using var buffer = d.Allocate<float>(n);
                using var tiny = d.Allocate<float>(1);
                using var s = d.CreateStream();
                // The clear makes a submit: Dawn's queue writes wait in its pending commands until the next submit.
                return Median(repetitions, () => { buffer.Upload(data); s.Clear(tiny); s.Synchronize(); });
            }
            double UploadCall(GpuDevice d)
            {
                // The call alone (the host's copy; the queue path's device copy runs at the next submit, the staged one is queued).
                using var buffer = d.Allocate<float>(n);
                using var s = d.CreateStream();
                var times = new double[repetitions];
                for (var r = -2; r < repetitions; r++)
                {
                    var start = Stopwatch.GetTimestamp();
                    buffer.Upload(data);
                    var t = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    s.Synchronize();
                    if (r >= 0) times[r] = t;
                }
                Array.Sort(times);
                return times[repetitions / 2];
            }
            double UpDown(GpuDevice d)
            {
                using var buffer = d.Allocate<float>(n);
                using var s = d.CreateStream();
                var ms = Median(repetitions, () => { buffer.Upload(data); buffer.Download(back); });
                for (var i = 0; i < n; i += Math.Max(1, n / 97))
                    if (back[i] != data[i]) throw new InvalidOperationException($"transfer check failed at {i}: {back[i]} != {data[i]}");
                return ms;
            }
            double Download(GpuDevice d)
            {
                using var buffer = d.Upload<float>(data);
                return Median(repetitions, () => buffer.Download(back));
            }
            var q = Upload(queued);
            var st = Upload(staged);
            var qc = UploadCall(queued);
            var sc = UploadCall(staged);
            var dn = Download(staged);
            var udq = UpDown(queued);
            var uds = UpDown(staged);
            Console.WriteLine($"  {n,10} {mb,8:F2} {q,8:F3} ms {Rate(mb, q),5} {st,8:F3} ms {Rate(mb, st),5} {dn,7:F3} ms {Rate(mb, dn),4} {udq,14:F3} {uds,15:F3} {qc,12:F3} {sc,12:F3}");
            rows.Add(new JsonObject
            {
                ["floats"] = n,
                ["megabytes"] = Math.Round(mb, 3),
                ["uploadQueueMs"] = Math.Round(q, 4),
                ["uploadStagedMs"] = Math.Round(st, 4),
                ["downloadMs"] = Math.Round(dn, 4),
                ["uploadQueueCallMs"] = Math.Round(qc, 4),
                ["uploadStagedCallMs"] = Math.Round(sc, 4),
                ["uploadDownloadQueueMs"] = Math.Round(udq, 4),
                ["uploadDownloadStagedMs"] = Math.Round(uds, 4),
            });
        }
        return new JsonObject { ["repetitions"] = repetitions, ["rows"] = rows };
    }

    private static string Rate(double mb, double ms) => $"{mb / (ms / 1e3):F0}";

    private static double Median(int repetitions, Action body)
    {
        body(); // warm-up: staging buffers and Dawn's own allocations
        body();
        var times = new double[repetitions];
        for (var r = 0; r < repetitions; r++)
        {
            var start = Stopwatch.GetTimestamp();
            body();
            times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repetitions / 2];
    }
}
