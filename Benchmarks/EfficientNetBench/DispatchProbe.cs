using System.Diagnostics;
using System.Globalization;
using KernelGen.Samples.EfficientNet.Layers;

namespace KernelGen.Benchmarks.EfficientNet;

/// <summary>
/// What one dependent dispatch costs on the device (<c>--dispatch-probe</c>): captured graphs of 1 and of
/// <see cref="Chain"/> tiny dispatches, each reading the buffer the previous one wrote (so the device must finish one
/// before the next starts, as the forward pass's layers do), replayed as one submit and waited on; the median of the
/// difference per extra dispatch is the cost the plan pays for a dispatch it could fold into another.
/// </summary>
internal static class DispatchProbe
{
    /// <summary>Dispatches of the long chain.</summary>
    public const int Chain = 64;

    public static string Run(GpuDevice device, int reps)
    {
        const int n = 256;
        using GpuStream stream = device.CreateStream();
        using GpuBuffer<float> a = device.Upload<float>(new float[n]), b = device.Allocate<float>(n);
        void Record(GpuStream s, int count)
        {
            // A <-> B ping-pong: each dispatch reads the previous one's output (one 256-invocation workgroup each).
            for (int i = 0; i < count; i++)
                PointwiseConvolution.Gpu.SumSplits(s, i % 2 == 0 ? a : b, i % 2 == 0 ? b : a, n, n, 1, Activation.None, Grid.Threads(n, 1));
        }
        using GpuGraph one = stream.Capture(s => Record(s, 1));
        using GpuGraph chain = stream.Capture(s => Record(s, Chain));
        double Median(GpuGraph g)
        {
            var times = new double[reps];
            for (int r = 0; r < 10; r++) { g.Replay(); stream.Synchronize(); }
            for (int r = 0; r < reps; r++)
            {
                long start = Stopwatch.GetTimestamp();
                g.Replay();
                stream.Synchronize();
                times[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            return times[reps / 2];
        }
        double t1 = Median(one), tn = Median(chain), t1Again = Median(one);
        double baseUs = Math.Min(t1, t1Again);
        double per = (tn - baseUs) / (Chain - 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"dispatch probe: {per:F2} us per dependent dispatch (one submit of 1 dispatch: {baseUs:F1} us, of {Chain} chained: {tn:F1} us; medians of {reps})");
    }
}
