using System.Diagnostics;
using System.Globalization;
using KernelGen;
using KernelGen.Benchmarks.EfficientNet;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Weights;

// EfficientNetBench: our native runtime vs ONNX Runtime CPU (and peers measured beside it), one process.
if (args is ["-h"] or ["--help"])
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

try
{
    return EfficientNetBenchmark.Run(options, Console.Out);
}
catch (Exception ex) when (ex is GpuException or FileNotFoundException or WeightFormatException or InvalidDataException or NotSupportedException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

namespace KernelGen.Benchmarks.EfficientNet
{
    /// <summary>The benchmark run: measurements, correctness checks, per-kernel profile, reports.</summary>
    internal static class EfficientNetBenchmark
    {
        /// <summary>Name of our end-to-end runner (host input uploaded, logits downloaded: comparable to ONNX Runtime).</summary>
        public const string OursHost = "KernelGen native (host in/out)";

        /// <summary>Name of our device-resident runner (input already on the device; comparable to PyTorch CUDA timings).</summary>
        public const string OursDevice = "KernelGen native (device-resident)";

        public static int Run(BenchOptions o, TextWriter log)
        {
            var report = new BenchReport { Label = o.Label, ModelPath = o.ModelPath, WeightsPath = o.WeightsPath };
            log.WriteLine($"Loading weights {o.WeightsPath}...");
            EfficientNetB0Weights weights = EfficientNetB0Weights.Load(o.WeightsPath);
            (float[] images, float[]? referenceLogits, int referenceCount) = LoadInputs(o.ReferencePath, log);
            report.InputSource = referenceLogits is null ? "deterministic random inputs" : $"{Path.GetFileName(o.ReferencePath)} ({referenceCount} images, cycled)";

            using GpuDevice device = GpuDevice.Create(new GpuDeviceOptions { Backend = o.Backend });
            report.Adapter = device.Info;
            report.Features = device.Features;
            report.Limits = device.Limits;
            log.WriteLine($"Device: {device}");
            log.WriteLine($"Features: {device.Features}");
            log.WriteLine($"Limits: {device.Limits}");
            if (o.RunDispatchProbe) log.WriteLine(DispatchProbe.Run(device, 200));

            using var model = new EfficientNetB0(device, weights, new Progress(log), o.Plan);
            report.Tune = o.Plan.Tune;
            var sw = Stopwatch.StartNew();
            model.CompilePipelines();
            report.PipelineCompileMs = sw.Elapsed.TotalMilliseconds;
            log.WriteLine($"Pipelines compiled in {report.PipelineCompileMs:F0} ms.");

            using OnnxRuntimePeer? ort = o.RunOnnxRuntime ? new OnnxRuntimePeer(o.ModelPath, o.OrtThreads) : null;
            if (ort is not null) report.OrtThreads = ort.IntraOpThreads == 0 ? $"default ({Environment.ProcessorCount} cores)" : ort.IntraOpThreads.ToString(CultureInfo.InvariantCulture);

            foreach (int batch in o.Batches)
            {
                float[] input = Batch(images, batch);
                float[] ours = new float[batch * EfficientNetB0Config.Classes];
                log.WriteLine($"--- batch {batch} ---");
                var planned = Stopwatch.StartNew();
                ExecutionPlan plan = model.PlanFor(batch);
                report.Plans.Add((plan, planned.Elapsed.TotalMilliseconds));
                if (report.DispatchesPerForward == 0) report.DispatchesPerForward = model.DispatchesPerForward(batch);
                log.WriteLine($"plan made in {planned.Elapsed.TotalMilliseconds:F0} ms; {model.DispatchesPerForward(batch)} dispatches per forward pass, one submit (graph replay)");
                log.WriteLine(plan.Describe());
                // A batch beyond the device's buffer limits runs as several passes (Forward splits it); one
                // device-resident pass of it does not exist, so that timing is skipped.
                bool fitsOnePass = batch <= model.MaxBatch;
                if (fitsOnePass)
                    model.Prepare(batch);
                else
                    log.WriteLine($"batch {batch} exceeds the {model.MaxBatch} images one pass fits on this device: Forward runs {(batch + model.MaxBatch - 1) / model.MaxBatch} passes; no device-resident timing");
                Measurement host = Measurement.Time(OursHost, batch, () => model.Forward(input, batch, ours), o.Warmup, o.Repetitions, o.Budget);
                log.WriteLine($"{OursHost,-40} {host.Describe()}");
                report.Measurements.Add(host);
                Measurement? resident = fitsOnePass ? Measurement.Time(OursDevice, batch, () => { model.Run(batch); model.Synchronize(); }, o.Warmup, o.Repetitions, o.Budget) : null;
                long before = GC.GetAllocatedBytesForCurrentThread();
                model.Forward(input, batch, ours);
                report.ManagedBytesPerInference[batch] = GC.GetAllocatedBytesForCurrentThread() - before;
                log.WriteLine($"managed allocation per inference (Forward, host in/out): {report.ManagedBytesPerInference[batch]} bytes");
                if (resident is not null)
                {
                    log.WriteLine($"{OursDevice,-40} {resident.Describe()}");
                    report.Measurements.Add(resident);
                }

                var check = new CorrectnessCheck(batch);
                if (referenceLogits is not null)
                {
                    int n = Math.Min(batch, referenceCount);
                    check.VsReference = MaxAbs(ours.AsSpan(0, n * 1000), referenceLogits.AsSpan(0, n * 1000));
                    check.Top1VsReference = Top1Matches(ours.AsSpan(0, n * 1000), referenceLogits.AsSpan(0, n * 1000));
                    check.ReferenceImages = n;
                }
                if (ort is not null)
                {
                    float[] peer = new float[ours.Length];
                    using OnnxRuntimePeer.Bound bound = ort.Bind(input, peer, batch);
                    Measurement m = Measurement.Time(OnnxRuntimePeer.Name, batch, bound.Run, o.Warmup, o.Repetitions, o.Budget);
                    log.WriteLine($"{OnnxRuntimePeer.Name,-40} {m.Describe()}");
                    report.Measurements.Add(m);
                    check.VsOnnxRuntime = MaxAbs(ours, peer);
                    check.Top1VsOnnxRuntime = Top1Matches(ours, peer);
                    if (referenceLogits is not null)
                    {
                        int n = Math.Min(batch, referenceCount);
                        check.OnnxRuntimeVsReference = MaxAbs(peer.AsSpan(0, n * 1000), referenceLogits.AsSpan(0, n * 1000));
                    }
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"ratio: ONNX Runtime / ours (host in/out) = {m.MedianMs / host.MedianMs:F2}x"));
                }
                report.Checks.Add(check);
                log.WriteLine(check.Describe());
            }

            if (o.PeerJson is not null)
            {
                report.Peers = PeerResults.Load(o.PeerJson);
                foreach (Measurement m in report.Peers.Measurements) report.Measurements.Add(m);
            }

            if (o.Profile)
            {
                if (!device.Features.TimestampQuery)
                {
                    report.ProfileNote = $"adapter '{device.Info.Device}' has no timestamp-query feature: no per-kernel GPU table";
                    log.WriteLine(report.ProfileNote);
                }
                else
                {
                    model.EnableProfiling();
                    foreach (int batch in o.Batches.Where(b => b <= model.MaxBatch))
                    {
                        model.Run(batch);
                        model.Synchronize(); // one unprofiled-warm run with profiling passes, then the measured one
                        var start = Stopwatch.GetTimestamp();
                        model.Run(batch);
                        model.Synchronize();
                        double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                        KernelProfile p = KernelProfile.From(batch, model.Timings, wall);
                        report.Profiles.Add(p);
                    }
                }
            }

            report.ComputeRatios();
            string md = report.ToMarkdown();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(o.Output))!);
            File.WriteAllText(o.Output + ".json", report.ToJson());
            File.WriteAllText(o.Output + ".md", md);
            log.WriteLine();
            log.WriteLine(md);
            log.WriteLine($"Wrote {o.Output}.json and {o.Output}.md");
            return report.Checks.All(c => c.Passed) ? 0 : 3;
        }

        /// <summary>Writes progress lines at once (not on the thread pool, as <see cref="Progress{T}"/> would).</summary>
        private sealed class Progress(TextWriter log) : IProgress<string>
        {
            public void Report(string value) => log.WriteLine(value);
        }

        private static (float[] Images, float[]? Logits, int Count) LoadInputs(string referencePath, TextWriter log)
        {
            if (string.IsNullOrEmpty(referencePath))
            {
                var rng = new Random(1234);
                float[] x = new float[EfficientNetB0.InputSize];
                for (int i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 4 - 2);
                return (x, null, 1);
            }
            log.WriteLine($"Reading inputs {referencePath}...");
            IReadOnlyDictionary<string, HostTensor> t = SafetensorsReader.Read(referencePath);
            if (!t.TryGetValue("input", out HostTensor? input) || !t.TryGetValue("logits", out HostTensor? logits)
                || input.Shape.Count != 4 || input.Shape[1] != 3 || input.Shape[2] != 224 || input.Shape[3] != 224 || logits.Shape[0] != input.Shape[0])
                throw new WeightFormatException($"{referencePath}: needs 'input' [N,3,224,224] and 'logits' [N,1000].");
            return (input.Data, logits.Data, input.Shape[0]);
        }

        /// <summary>A batch of <paramref name="batch"/> images, cycling through the available ones.</summary>
        private static float[] Batch(float[] images, int batch)
        {
            int size = EfficientNetB0.InputSize;
            int count = images.Length / size;
            float[] x = new float[batch * size];
            for (int i = 0; i < batch; i++) Array.Copy(images, (i % count) * size, x, i * size, size);
            return x;
        }

        private static double MaxAbs(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            double max = 0;
            for (int i = 0; i < a.Length; i++)
                max = Math.Max(max, float.IsFinite(a[i]) ? Math.Abs(a[i] - b[i]) : double.PositiveInfinity);
            return max;
        }

        private static int Top1Matches(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        {
            int matches = 0;
            for (int i = 0; i < a.Length / 1000; i++)
                if (ArgMax(a.Slice(i * 1000, 1000)) == ArgMax(b.Slice(i * 1000, 1000))) matches++;
            return matches;
        }

        private static int ArgMax(ReadOnlySpan<float> v)
        {
            int best = 0;
            for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
            return best;
        }
    }
}
