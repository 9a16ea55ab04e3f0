using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGen;
using KernelGen.Benchmarks;

// RuntimeBench: per-dispatch cost (batched stream vs a submit per dispatch vs a wait per dispatch vs a
// replayed graph) and GFLOP/s of a register-blocked matmul on the local adapter. Prints figures and
// writes a JSON report; and the CPU backend on a 256-wide barrier reduction (phased form vs threaded path, with
// the chosen device as the peer). Usage: RuntimeBench [--cpu] [--adapter NAME] [--out PATH] [--sizes 256,512,1024]
// [--dispatches N] [--barrier-log2 20] [--threaded-log2 14] [--transfers-only] [--transfer-reps 15]
var output = "artifacts/bench/runtime.json";
var backend = GpuBackend.Native;
string? adapterName = null;
var sizes = new[] { 256, 512, 1024 };
var dispatches = 2000;
var barrierLog2 = 20;   // the phased CPU reduction's size
var threadedLog2 = 14;  // the threaded CPU path's size (2^20 takes minutes there)
var hostRepeats = 0;
var transfersOnly = false;
var transferRepetitions = 15;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--cpu": backend = GpuBackend.Cpu; break;
        case "--adapter": adapterName = args[++i]; break;
        case "--out": output = args[++i]; break;
        case "--sizes": sizes = args[++i].Split(',').Select(int.Parse).ToArray(); break;
        case "--dispatches": dispatches = int.Parse(args[++i]); break;
        case "--barrier-log2": barrierLog2 = int.Parse(args[++i]); break;
        case "--threaded-log2": threadedLog2 = int.Parse(args[++i]); break;
        case "--host-repeats": hostRepeats = int.Parse(args[++i]); break;
        case "--transfers-only": transfersOnly = true; break;
        case "--transfer-reps": transferRepetitions = int.Parse(args[++i]); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = backend, AdapterName = adapterName });
Console.WriteLine($"device: {device}");
Console.WriteLine($"features: {device.Features}");
Console.WriteLine($"limits: {device.Limits}");
var report = new JsonObject
{
    ["device"] = device.Info.Device,
    ["backendType"] = device.Info.BackendType,
    ["adapterType"] = device.Info.AdapterType.ToString(),
    ["description"] = device.Info.Description,
    ["timestampUtc"] = DateTime.UtcNow.ToString("O"),
};

// ---- Host transfers (upload through the queue vs the mapped staging ring, download) ----
report["transfers"] = TransferBench.Run(backend, adapterName, transferRepetitions);
if (transfersOnly)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    File.WriteAllText(output, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    Console.WriteLine($"report: {Path.GetFullPath(output)}");
    return 0;
}

// ---- Per-dispatch cost ----
const int elements = 256;
using var x = device.Upload<float>(Enumerable.Range(0, elements).Select(i => (float)i).ToArray());
using var y = device.Allocate<float>(elements);
using var stream = device.CreateStream();
BenchKernels.AxpbDispatch(stream, x, y, 1f, 0f); // compile the pipeline, build the bind group
stream.Synchronize();

double PerDispatchMicroseconds(Action<int> body, int count)
{
    body(Math.Min(count, 50)); // warm-up
    stream.Synchronize();
    var start = Stopwatch.GetTimestamp();
    body(count);
    stream.Synchronize();
    return Stopwatch.GetElapsedTime(start).TotalMicroseconds / count;
}

var batched = PerDispatchMicroseconds(n =>
{
    for (var i = 0; i < n; i++) BenchKernels.AxpbDispatch(stream, x, y, 1f, i);
}, dispatches);
var submitEach = PerDispatchMicroseconds(n =>
{
    for (var i = 0; i < n; i++)
    {
        BenchKernels.AxpbDispatch(stream, x, y, 1f, i);
        stream.Submit();
    }
}, dispatches);
var roundTripCount = Math.Min(dispatches, 500);
var waitEach = PerDispatchMicroseconds(n =>
{
    for (var i = 0; i < n; i++)
    {
        BenchKernels.AxpbDispatch(stream, x, y, 1f, i);
        stream.Synchronize();
    }
}, roundTripCount);
using var graph = stream.Capture(s =>
{
    for (var i = 0; i < dispatches; i++) BenchKernels.AxpbDispatch(s, x, y, 1f, i);
});
const int replays = 5;
var replayed = PerDispatchMicroseconds(_ =>
{
    for (var r = 0; r < replays; r++) graph.Replay();
}, dispatches * replays);
// Host-side cost alone: recording N dispatches (no submit, no GPU work), and replaying the graph's recording.
double RecordMicroseconds(Action body, int count)
{
    var start = Stopwatch.GetTimestamp();
    body();
    var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds / count;
    stream.Synchronize();
    return elapsed;
}
var recordOnly = RecordMicroseconds(() =>
{
    for (var i = 0; i < dispatches; i++) BenchKernels.AxpbDispatch(stream, x, y, 1f, i);
}, dispatches);
var replayRecordOnly = RecordMicroseconds(graph.Replay, dispatches);
// Host-side cost of recording and submitting (encoding included wherever the backend encodes), without the wait.
var recordSubmit = RecordMicroseconds(() =>
{
    for (var i = 0; i < dispatches; i++) BenchKernels.AxpbDispatch(stream, x, y, 1f, i);
    stream.Submit();
}, dispatches);
// Managed bytes allocated by the host per replay and per recorded dispatch (steady state, after warm-up).
graph.Replay();
stream.Synchronize();
var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (var r = 0; r < replays; r++) graph.Replay();
var bytesPerReplay = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)replays;
stream.Synchronize();
allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
for (var i = 0; i < dispatches; i++) BenchKernels.AxpbDispatch(stream, x, y, 1f, i);
var bytesPerDispatch = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)dispatches;
stream.Synchronize();
var expectedLast = (float)(elements - 1) + (dispatches - 1);
if (y.ToArray()[^1] != expectedLast)
    throw new InvalidOperationException($"graph replay produced {y.ToArray()[^1]}, expected {expectedLast}");

// Repeated host-side figures (--host-repeats N): min and median resist a loaded machine better than one sample.
var recordSubmitRepeats = new List<double>();
var replayRepeats = new List<double>();
for (var r = 0; r < hostRepeats; r++)
{
    recordSubmitRepeats.Add(RecordMicroseconds(() =>
    {
        for (var i = 0; i < dispatches; i++) BenchKernels.AxpbDispatch(stream, x, y, 1f, i);
        stream.Submit();
    }, dispatches));
    replayRepeats.Add(RecordMicroseconds(graph.Replay, dispatches));
}
recordSubmitRepeats.Sort();
replayRepeats.Sort();

Console.WriteLine();
Console.WriteLine($"per-dispatch cost ({elements}-element axpb, {dispatches} dispatches):");
Console.WriteLine($"  one stream, one submit        {batched,10:F2} us/dispatch");
Console.WriteLine($"  one submit per dispatch       {submitEach,10:F2} us/dispatch");
Console.WriteLine($"  submit + wait per dispatch    {waitEach,10:F2} us/dispatch ({roundTripCount} dispatches)");
Console.WriteLine($"  captured graph replay         {replayed,10:F2} us/dispatch");
Console.WriteLine($"  host-side recording only      {recordOnly,10:F2} us/dispatch (graph replay: {replayRecordOnly:F2}, incl. its submit)");
Console.WriteLine($"  host-side record + submit     {recordSubmit,10:F2} us/dispatch (no wait)");
if (hostRepeats > 0)
{
    Console.WriteLine($"  host record + submit, {hostRepeats}x  min {recordSubmitRepeats[0]:F2}, median {recordSubmitRepeats[hostRepeats / 2]:F2} us/dispatch");
    Console.WriteLine($"  host graph replay, {hostRepeats}x     min {replayRepeats[0]:F2}, median {replayRepeats[hostRepeats / 2]:F2} us/dispatch");
}
Console.WriteLine($"  managed bytes                 {bytesPerReplay,10:F0} per replay of {dispatches} dispatches, {bytesPerDispatch:F1} per recorded dispatch");
report["dispatch"] = new JsonObject
{
    ["elements"] = elements,
    ["dispatches"] = dispatches,
    ["batchedMicroseconds"] = Math.Round(batched, 3),
    ["submitPerDispatchMicroseconds"] = Math.Round(submitEach, 3),
    ["waitPerDispatchMicroseconds"] = Math.Round(waitEach, 3),
    ["graphReplayMicroseconds"] = Math.Round(replayed, 3),
    ["hostRecordMicroseconds"] = Math.Round(recordOnly, 3),
    ["hostGraphReplayMicroseconds"] = Math.Round(replayRecordOnly, 3),
    ["hostRecordSubmitMicroseconds"] = Math.Round(recordSubmit, 3),
    ["hostRecordSubmitRepeatsMicroseconds"] = new JsonArray(recordSubmitRepeats.Select(v => (JsonNode)Math.Round(v, 3)).ToArray()),
    ["hostGraphReplayRepeatsMicroseconds"] = new JsonArray(replayRepeats.Select(v => (JsonNode)Math.Round(v, 3)).ToArray()),
    ["managedBytesPerReplay"] = Math.Round(bytesPerReplay, 1),
    ["managedBytesPerDispatch"] = Math.Round(bytesPerDispatch, 2),
};

// ---- Matmul GFLOP/s ----
var random = new Random(7);
var matmulReport = new JsonArray();
foreach (var (kernel, label) in new[]
{
    (BenchKernels.MatmulKernel, "register-blocked 4x4 per invocation, 16x16 workgroups"),
    (BenchKernels.MatmulTiledKernel, "64x64 shared-memory tiles + 4x4 register blocks, 16x16 workgroups"),
})
{
    Console.WriteLine();
    Console.WriteLine($"matmul {kernel.Name.Split('.')[^1]} ({label}, f32):");
    // Correctness first, against a double-precision reference, on a size that is not a multiple of the tiles.
    {
        const int m = 96, n = 80, k = 40;
        var a = Enumerable.Range(0, m * k).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var reference = new float[m * n];
        for (var r = 0; r < m; r++)
            for (var c = 0; c < n; c++)
            {
                var sum = 0.0;
                for (var kk = 0; kk < k; kk++) sum += a[r * k + kk] * (double)b[kk * n + c];
                reference[r * n + c] = (float)sum;
            }
        using var ga = device.Upload<float>(a);
        using var gb = device.Upload<Vector4>(System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector4>(b));
        using var gc = device.Allocate<Vector4>(m * n / 4);
        BenchKernels.Matmul(stream, kernel, ga, gb, gc, m, n, k);
        stream.Synchronize();
        var result = System.Runtime.InteropServices.MemoryMarshal.Cast<Vector4, float>(gc.ToArray()).ToArray();
        var worst = result.Zip(reference, (p, q) => Math.Abs(p - q)).Max();
        if (worst > 1e-4f) throw new InvalidOperationException($"{kernel.Name}: result differs from the reference by {worst}");
        Console.WriteLine($"  check {m}x{k}x{n} vs double-precision reference: max |error| = {worst:E2}");
    }
    var results = new JsonArray();
    foreach (var size in sizes)
    {
        var a = Enumerable.Range(0, size * size).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var b = Enumerable.Range(0, size * size).Select(_ => random.NextSingle() - 0.5f).ToArray();
        using var ga = device.Upload<float>(a);
        using var gb = device.Upload<Vector4>(System.Runtime.InteropServices.MemoryMarshal.Cast<float, Vector4>(b));
        using var gc = device.Allocate<Vector4>(size * size / 4);
        var first = Stopwatch.GetTimestamp();
        BenchKernels.Matmul(stream, kernel, ga, gb, gc, size, size, size);
        stream.Synchronize();
        var firstSeconds = Stopwatch.GetElapsedTime(first).TotalSeconds;
        var flops = 2.0 * size * size * size;
        // About a second of work, at least 3 and at most 200 repetitions, in one batched stream.
        var repetitions = (int)Math.Clamp(Math.Ceiling(1.0 / Math.Max(firstSeconds, 1e-6)), 3, 200);
        var start = Stopwatch.GetTimestamp();
        for (var r = 0; r < repetitions; r++) BenchKernels.Matmul(stream, kernel, ga, gb, gc, size, size, size);
        stream.Synchronize();
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds / repetitions;
        // Spot-check 16 entries of C against double-precision dot products.
        var cValues = System.Runtime.InteropServices.MemoryMarshal.Cast<Vector4, float>(gc.ToArray()).ToArray();
        for (var check = 0; check < 16; check++)
        {
            int row = random.Next(size), col = random.Next(size);
            var sum = 0.0;
            for (var kk = 0; kk < size; kk++) sum += a[row * size + kk] * (double)b[kk * size + col];
            if (Math.Abs(cValues[row * size + col] - sum) > 1e-3 * Math.Sqrt(size))
                throw new InvalidOperationException($"{kernel.Name} {size}: C[{row},{col}] = {cValues[row * size + col]}, expected {sum}");
        }
        var gflops = flops / seconds / 1e9;
        double? gpuMicroseconds = null;
        if (device.Features.TimestampQuery && backend == GpuBackend.Native)
        {
            using var profiled = device.CreateStream();
            profiled.EnableProfiling();
            BenchKernels.Matmul(profiled, kernel, ga, gb, gc, size, size, size);
            profiled.Synchronize();
            gpuMicroseconds = profiled.Timings[0].Microseconds;
        }
        Console.WriteLine($"  {size,5}^3: {seconds * 1e3,9:F2} ms  {gflops,9:F1} GFLOP/s (wall, mean of {repetitions} in one stream)" +
            (gpuMicroseconds is { } us ? $"  one dispatch by GPU timestamps: {us / 1e3:F2} ms = {flops / (us * 1e-6) / 1e9:F1} GFLOP/s" : ""));
        results.Add((JsonNode)new JsonObject
        {
            ["size"] = size,
            ["repetitions"] = repetitions,
            ["milliseconds"] = Math.Round(seconds * 1e3, 4),
            ["gflops"] = Math.Round(gflops, 2),
            ["gpuTimestampMilliseconds"] = gpuMicroseconds is { } g ? Math.Round(g / 1e3, 4) : null,
        });
    }
    matmulReport.Add((JsonNode)new JsonObject { ["kernel"] = kernel.Name, ["description"] = label, ["results"] = results });
}
report["matmul"] = matmulReport;

// ---- CPU backend: a barrier kernel (256-wide workgroup reduction) ----
{
    using var cpu = backend == GpuBackend.Cpu ? null : GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
    var cpuDevice = cpu ?? device;
    var reduce = BarrierKernels.Kernels.Reduce256;
    if (reduce.CpuPhased is null) throw new InvalidOperationException("Reduce256 has no phased CPU form");
    var threadedReduce = BarrierKernels.Threaded(reduce);
    // Seconds of one dispatch over 2^log2 floats (best of `runs`), after checking every workgroup's sum.
    (double Seconds, float[] Sums) Reduction(GpuDevice on, KernelInfo kernel, int log2, int runs)
    {
        var n = 1 << log2;
        var values = Enumerable.Range(0, n).Select(i => (float)((i * 7919L) % 1000) / 1000f - 0.5f).ToArray();
        using var gx = on.Upload<float>(values);
        using var sums = on.Allocate<float>(n / 256);
        using var s = on.CreateStream();
        var best = double.MaxValue;
        for (var r = 0; r < runs; r++)
        {
            var start = Stopwatch.GetTimestamp();
            s.Dispatch(kernel, [gx, sums], [], Grid.Groups(n / 256));
            s.Synchronize();
            _ = sums.ToArray()[0];
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        var result = sums.ToArray();
        for (var g = 0; g < result.Length; g++)
        {
            var expected = 0.0;
            for (var j = 0; j < 256; j++) expected += values[g * 256 + j];
            if (Math.Abs(result[g] - expected) > 1e-3) throw new InvalidOperationException($"{kernel.Name} on {on.Info.Device}: sum {g} = {result[g]}, expected {expected}");
        }
        return (best, result);
    }
    Reduction(cpuDevice, reduce, 10, 1); // warm-up: JIT, thread pool
    Reduction(cpuDevice, threadedReduce, 10, 1); // warm-up: the threaded path's 2048 invocation threads, so its timing is per workgroup only
    var phasedLarge = Reduction(cpuDevice, reduce, barrierLog2, 3);
    var phasedSmall = Reduction(cpuDevice, reduce, threadedLog2, 3);
    var threadedSmall = Reduction(cpuDevice, threadedReduce, threadedLog2, 1);
    if (!phasedSmall.Sums.AsSpan().SequenceEqual(threadedSmall.Sums)) throw new InvalidOperationException("phased and threaded CPU sums differ");
    // The threaded path's time grows linearly with the number of workgroups (each costs the same baton passes):
    // scale its small-size time by the workgroup ratio to estimate the large size.
    var scale = (double)(1 << barrierLog2) / (1 << threadedLog2);
    var threadedEstimate = threadedSmall.Seconds * scale;
    double? peerSeconds = backend == GpuBackend.Native ? Reduction(device, reduce, barrierLog2, 3).Seconds : null;
    Console.WriteLine();
    Console.WriteLine($"CPU barrier reduction, 256-wide workgroups ({cpuDevice.Info.Description}):");
    Console.WriteLine($"  phased form,   2^{barrierLog2} floats  {phasedLarge.Seconds * 1e3,10:F1} ms");
    Console.WriteLine($"  phased form,   2^{threadedLog2} floats  {phasedSmall.Seconds * 1e3,10:F1} ms");
    Console.WriteLine($"  threaded path, 2^{threadedLog2} floats  {threadedSmall.Seconds * 1e3,10:F1} ms  ({threadedSmall.Seconds / phasedSmall.Seconds:F0}x the phased form at this size)");
    Console.WriteLine($"  threaded path, 2^{barrierLog2} floats  {threadedEstimate * 1e3,10:F1} ms  (estimated: 2^{threadedLog2} time x {scale:F0}; {threadedEstimate / phasedLarge.Seconds:F0}x the phased form)");
    if (peerSeconds is { } peer)
        Console.WriteLine($"  peer {device.Info.Device}, 2^{barrierLog2} floats  {peer * 1e3,10:F1} ms (same kernel's WGSL, same run)");
    report["cpuBarrierReduction"] = new JsonObject
    {
        ["workgroupSize"] = 256,
        ["phasedLog2"] = barrierLog2,
        ["phasedMilliseconds"] = Math.Round(phasedLarge.Seconds * 1e3, 3),
        ["threadedLog2"] = threadedLog2,
        ["phasedSmallMilliseconds"] = Math.Round(phasedSmall.Seconds * 1e3, 3),
        ["threadedSmallMilliseconds"] = Math.Round(threadedSmall.Seconds * 1e3, 3),
        ["threadedEstimatedMilliseconds"] = Math.Round(threadedEstimate * 1e3, 3),
        ["speedupSameSize"] = Math.Round(threadedSmall.Seconds / phasedSmall.Seconds, 2),
        ["speedupEstimated"] = Math.Round(threadedEstimate / phasedLarge.Seconds, 2),
        ["peerDevice"] = peerSeconds is null ? null : device.Info.Device,
        ["peerMilliseconds"] = peerSeconds is { } p ? Math.Round(p * 1e3, 3) : null,
    };
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllText(output, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine();
Console.WriteLine($"report: {Path.GetFullPath(output)}");
return 0;
