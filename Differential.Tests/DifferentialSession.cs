using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace KernelGen.Differential.Tests;

/// <summary>The totals of one differential run.</summary>
internal sealed record DifferentialSummary(int Kernels, int Built, int Rejected, IReadOnlyDictionary<string, int> RejectionsById, IReadOnlyList<DifferentialFailure> Failures, TimeSpan BuildTime, TimeSpan RunTime)
{
    public double RejectionRate => Kernels == 0 ? 0 : (double)Rejected / Kernels;

    public override string ToString() =>
        $"{Kernels} kernels: {Built} built and compared, {Rejected} rejected by the generator ({RejectionRate:P1}: {string.Join(", ", RejectionsById.OrderByDescending(p => p.Value).Select(p => $"{p.Key} x{p.Value}"))}), " +
        $"{Failures.Count} failed; build {BuildTime.TotalSeconds:F1} s, Dawn + CPU {RunTime.TotalSeconds:F1} s";
}

/// <summary>Builds cases in batches, runs each batch on a fresh Dawn device and on the CPU, collects failures.</summary>
internal static class DifferentialSession
{
    /// <summary>Where failing kernels are written (one file each, ready to copy into Regressions/).</summary>
    public static string FailureDirectory { get; } = Path.Combine(Path.GetTempPath(), "kernelgen-differential-failures");

    public static DifferentialSummary Run(IEnumerable<KernelCase> cases, int batchSize, Action<string> log)
    {
        var failures = new List<DifferentialFailure>();
        var rejections = new Dictionary<string, int>();
        int kernels = 0, built = 0, rejected = 0;
        var buildTime = new Stopwatch();
        var runTime = new Stopwatch();
        var total = Stopwatch.StartNew();
        PhaseTimes.Reset();
        // Two stages on two threads: while one batch runs on Dawn and the CPU, the next is generated and
        // built (Roslyn). At most one built batch waits, so at most three assemblies are loaded at once.
        using var ready = new BlockingCollection<KernelBatch>(boundedCapacity: 1);
        using var stop = new CancellationTokenSource();
        var builder = Task.Factory.StartNew(() =>
        {
            try
            {
                using var source = cases.GetEnumerator();
                while (!stop.IsCancellationRequested)
                {
                    var batch = NextBatch(source, batchSize);
                    if (batch.Length == 0) break;
                    buildTime.Start();
                    var compiled = KernelBatch.Build(batch);
                    buildTime.Stop();
                    try
                    {
                        ready.Add(compiled, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        compiled.Dispose();
                        break;
                    }
                }
            }
            finally
            {
                ready.CompleteAdding();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var compiled in ready.GetConsumingEnumerable())
            {
                using var batch = compiled;
                kernels += batch.Kernels.Count;
                foreach (var k in batch.Kernels)
                {
                    if (k.Outcome == BuildOutcome.Built) built++;
                    if (k.Outcome != BuildOutcome.Rejected) continue;
                    rejected++;
                    var id = k.Detail.Split(' ')[0];
                    rejections[id] = rejections.GetValueOrDefault(id) + 1;
                    if (rejections[id] <= 3) log($"  rejected {k.Case.Describe()}: {k.Detail}");
                }
                runTime.Start();
                // Fresh devices per batch, Dawn's and the CPU's: a device's pipeline cache holds the batch's kernels, and
                // with them its assembly, until the device goes.
                using (var cpu = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu, WaitTimeout = DifferentialRunner.Wait(batch.Kernels.Count) }))
                {
                    failures.AddRange(DifferentialRunner.Run(
                        timeout => GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = timeout }), cpu, batch.Kernels));
                }
                runTime.Stop();
                log($"  {kernels} kernels, {failures.Count} failures so far (build {buildTime.Elapsed.TotalSeconds:F1} s: generator {KernelBatch.GeneratorTime.Elapsed.TotalSeconds:F1} s, emit {KernelBatch.EmitTime.Elapsed.TotalSeconds:F1} s, beside Dawn pipelines {DifferentialRunner.CompileTime.Elapsed.TotalSeconds:F1} s, Dawn runs {DifferentialRunner.NativeTime.Elapsed.TotalSeconds:F1} s, CPU runs {DifferentialRunner.CpuTime.Elapsed.TotalSeconds:F1} s; {total.Elapsed.TotalSeconds:F1} s in all; {Memory()})");
                log("    " + PhaseTimes.Summary(kernels));
            }
        }
        finally
        {
            // On an exception here, the builder stops at its next batch; what it built is unloaded.
            stop.Cancel();
            try
            {
                builder.Wait();
            }
            catch (AggregateException)
            {
                // Rethrown below when the runs themselves did not throw.
            }
            foreach (var leftover in ready.GetConsumingEnumerable()) leftover.Dispose();
        }
        // A build that threw (a program generator bug: a kernel that is not valid C#) fails the run with its message.
        builder.GetAwaiter().GetResult();
        if (failures.Count > 0)
        {
            Directory.CreateDirectory(FailureDirectory);
            foreach (var f in failures) File.WriteAllText(Path.Combine(FailureDirectory, f.Case.ClassName + ".cs"), f.Case.Source + "\n/* What failed:\n" + f.What.Replace("*/", "* /", StringComparison.Ordinal) + "\n*/\n");
        }
        return new(kernels, built, rejected, rejections, failures, buildTime.Elapsed, runTime.Elapsed);
    }

    /// <summary>The process's resident and virtual memory and the managed heap, from /proc/self/status where there is one (leaks show as growth per batch).</summary>
    internal static string Memory()
    {
        // Load contexts alive: the batches' are collected some GCs after they unload (a count that keeps growing is a leak).
        var managed = $"managed {GC.GetTotalMemory(false) >> 20} MiB, {System.Runtime.Loader.AssemblyLoadContext.All.Count()} load contexts";
        if (!File.Exists("/proc/self/status")) return managed;
        var fields = File.ReadLines("/proc/self/status")
            .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal) || l.StartsWith("VmSize:", StringComparison.Ordinal) || l.StartsWith("Threads:", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)));
        return string.Join(", ", fields) + ", " + managed;
    }

    private static KernelCase[] NextBatch(IEnumerator<KernelCase> source, int size)
    {
        using var phase = PhaseTimes.Measure("generate");
        var batch = new List<KernelCase>(size);
        while (batch.Count < size && source.MoveNext()) batch.Add(source.Current);
        return [.. batch];
    }

    /// <summary>The failures as a test message: seeds first, then each kernel's source and what differs.</summary>
    public static string Report(IReadOnlyList<DifferentialFailure> failures, int detailed = 3)
    {
        var text = new StringBuilder();
        text.Append(failures.Count).Append(" kernels failed; seeds: ").AppendJoin(", ", failures.Select(f => f.Case.Seed)).Append('\n');
        foreach (var f in failures)
        {
            var lines = f.What.Split('\n');
            text.Append("  ").Append(f.Case.Describe()).Append(": ").Append(lines[0]).Append(lines.Length > 1 ? " | " + lines[1].Trim() : "").Append('\n');
        }
        text.Append("Their sources are in ").Append(FailureDirectory).Append(" (copy one into Differential.Tests/Regressions/ to keep it).\n");
        foreach (var f in failures.Take(detailed))
            text.Append("\n==== ").Append(f.Case.Describe()).Append(": ").Append(f.What).Append("\n---- C#:\n").Append(f.Case.Source);
        return text.ToString();
    }
}
