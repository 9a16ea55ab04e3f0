using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace KernelGen.Differential.Tests;

/// <summary>
/// Wall time and CPU time (of the calling thread, and of the process: lavapipe and Roslyn use their own threads)
/// spent in each phase of a differential run, for the per-batch log line and for measuring the harness.
/// </summary>
internal static class PhaseTimes
{
    private sealed class Totals
    {
        public long WallTicks, ThreadNanos, ProcessTicks;
        public int Count;
    }

    private static readonly ConcurrentDictionary<string, Totals> ByName = new();
    private static readonly string[] Order = ["generate", "parse", "generator", "emit", "load", "device", "pipelines", "dispatch", "readback", "release", "fallback", "cpu", "compare"];

    public static void Reset() => ByName.Clear();

    /// <summary>Times the phase until the returned scope is disposed.</summary>
    public static Scope Measure(string name) => new(name);

    public readonly struct Scope : IDisposable
    {
        private readonly string name;
        private readonly long wallStart, threadStart;
        private readonly TimeSpan processStart;

        internal Scope(string name)
        {
            this.name = name;
            wallStart = Stopwatch.GetTimestamp();
            threadStart = ThreadCpuNanos();
            processStart = Process.GetCurrentProcess().TotalProcessorTime;
        }

        public void Dispose()
        {
            var totals = ByName.GetOrAdd(name, _ => new Totals());
            var wall = Stopwatch.GetTimestamp() - wallStart;
            var thread = ThreadCpuNanos() - threadStart;
            var process = (Process.GetCurrentProcess().TotalProcessorTime - processStart).Ticks;
            Interlocked.Add(ref totals.WallTicks, wall);
            Interlocked.Add(ref totals.ThreadNanos, thread);
            Interlocked.Add(ref totals.ProcessTicks, process);
            Interlocked.Increment(ref totals.Count);
        }
    }

    /// <summary>"phase wall/thread-cpu s" for every phase measured so far, in pipeline order.</summary>
    public static string Summary(int kernels)
    {
        var text = new StringBuilder();
        foreach (var name in Order.Concat(ByName.Keys.Except(Order).Order(StringComparer.Ordinal)))
        {
            if (!ByName.TryGetValue(name, out var t)) continue;
            if (text.Length > 0) text.Append(", ");
            text.Append(CultureInfo.InvariantCulture, $"{name} {Stopwatch.GetElapsedTime(0, t.WallTicks).TotalSeconds:F1}/{t.ThreadNanos / 1e9:F1}/{TimeSpan.FromTicks(t.ProcessTicks).TotalSeconds:F1}");
            if (kernels > 0) text.Append(CultureInfo.InvariantCulture, $" ({Stopwatch.GetElapsedTime(0, t.WallTicks).TotalMilliseconds / kernels:F0} ms/k)");
        }
        return "phases wall/thread CPU/process CPU s: " + text;
    }

    private static long ThreadCpuNanos()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        Span<long> spec = stackalloc long[2];
        unsafe
        {
            fixed (long* p = spec)
                if (clock_gettime(3 /* CLOCK_THREAD_CPUTIME_ID */, p) != 0) return 0;
        }
        return spec[0] * 1_000_000_000L + spec[1];
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = false)]
    private static extern unsafe int clock_gettime(int clock, long* spec);
}
