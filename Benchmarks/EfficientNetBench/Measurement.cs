using System.Diagnostics;
using System.Globalization;

namespace KernelGen.Benchmarks.EfficientNet;

/// <summary>Order statistics of repeated timings of one runner at one batch size.</summary>
public sealed record Measurement(string Runner, int Batch, IReadOnlyList<double> SamplesMs)
{
    /// <summary>Median latency of one call (ms).</summary>
    public double MedianMs => Percentile(0.5);

    /// <summary>Fastest call (ms).</summary>
    public double MinMs => SamplesMs.Min();

    /// <summary>Slowest call (ms).</summary>
    public double MaxMs => SamplesMs.Max();

    /// <summary>10th percentile (ms).</summary>
    public double P10Ms => Percentile(0.1);

    /// <summary>90th percentile (ms).</summary>
    public double P90Ms => Percentile(0.9);

    /// <summary>Images per second at the median.</summary>
    public double ImagesPerSecond => Batch * 1000.0 / MedianMs;

    /// <summary>Linear-interpolated percentile of the samples.</summary>
    public double Percentile(double q)
    {
        double[] s = [.. SamplesMs.Order()];
        if (s.Length == 1) return s[0];
        double pos = q * (s.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    /// <summary>"median (min / p10 / p90 / max)" in ms.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{MedianMs:F3} ms (min {MinMs:F3} / p10 {P10Ms:F3} / p90 {P90Ms:F3} / max {MaxMs:F3}, n={SamplesMs.Count})");

    /// <summary>
    /// Runs <paramref name="call"/> <paramref name="warmup"/> times untimed, then times it up to
    /// <paramref name="repetitions"/> times, stopping early (after at least 3) once
    /// <paramref name="budget"/> has elapsed.
    /// </summary>
    public static Measurement Time(string runner, int batch, Action call, int warmup, int repetitions, TimeSpan budget)
    {
        for (int i = 0; i < warmup; i++) call();
        var samples = new List<double>(repetitions);
        var total = Stopwatch.StartNew();
        for (int i = 0; i < repetitions; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (samples.Count >= 3 && total.Elapsed > budget) break;
        }
        return new Measurement(runner, batch, samples);
    }
}

/// <summary>GPU time of one kernel, summed over the dispatches of one profiled forward pass.</summary>
public sealed record KernelShare(string Kernel, int Dispatches, double TotalMs, double Percent);

/// <summary>One profiled dispatch.</summary>
public sealed record DispatchTime(int Index, string Kernel, double Microseconds);

/// <summary>The per-kernel GPU time table of one batch size (from timestamp queries).</summary>
public sealed record KernelProfile(int Batch, double GpuTotalMs, double WallMs, IReadOnlyList<KernelShare> Kernels, IReadOnlyList<DispatchTime> Slowest)
{
    /// <summary>Aggregates per-dispatch timings by kernel name, largest total first.</summary>
    public static KernelProfile From(int batch, IReadOnlyList<KernelTiming> timings, double wallMs)
    {
        double total = timings.Sum(t => t.Microseconds) / 1000.0;
        KernelShare[] kernels = [.. timings.GroupBy(t => t.Kernel)
            .Select(g => new KernelShare(ShortName(g.Key), g.Count(), g.Sum(t => t.Microseconds) / 1000.0, total > 0 ? 100.0 * g.Sum(t => t.Microseconds) / 1000.0 / total : 0))
            .OrderByDescending(k => k.TotalMs)];
        DispatchTime[] slowest = [.. timings.Select((t, i) => new DispatchTime(i, ShortName(t.Kernel), t.Microseconds))
            .OrderByDescending(d => d.Microseconds).Take(12)];
        return new KernelProfile(batch, total, wallMs, kernels, slowest);
    }

    /// <summary>"PointwiseConvolution.Forward" from the full generated kernel name.</summary>
    public static string ShortName(string name)
    {
        string[] parts = name.Split('.');
        return parts.Length >= 2 ? parts[^2] + "." + parts[^1] : name;
    }
}
