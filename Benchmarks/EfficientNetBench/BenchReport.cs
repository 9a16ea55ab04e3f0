using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Tuning;

namespace KernelGen.Benchmarks.EfficientNet;

/// <summary>Our logits against ONNX Runtime's and the fixture's reference logits, on the same input.</summary>
public sealed class CorrectnessCheck(int batch)
{
    /// <summary>Tolerance (max abs) of the fixture.</summary>
    public const double Tolerance = 1e-3;

    /// <summary>Batch size checked.</summary>
    public int Batch { get; } = batch;

    /// <summary>Max abs difference ours vs ONNX Runtime (all images of the batch), or null.</summary>
    public double? VsOnnxRuntime { get; set; }

    /// <summary>Images whose top-1 class equals ONNX Runtime's.</summary>
    public int? Top1VsOnnxRuntime { get; set; }

    /// <summary>Max abs difference ours vs the float64 reference logits, or null.</summary>
    public double? VsReference { get; set; }

    /// <summary>Images whose top-1 class equals the reference's.</summary>
    public int? Top1VsReference { get; set; }

    /// <summary>Images compared with the reference.</summary>
    public int ReferenceImages { get; set; }

    /// <summary>Max abs difference ONNX Runtime vs the reference, or null.</summary>
    public double? OnnxRuntimeVsReference { get; set; }

    /// <summary>True when every comparison made is within tolerance with all top-1 classes equal.</summary>
    public bool Passed => (VsOnnxRuntime is null || (VsOnnxRuntime <= Tolerance && Top1VsOnnxRuntime == Batch))
        && (VsReference is null || (VsReference <= Tolerance && Top1VsReference == ReferenceImages));

    /// <summary>One line for the log.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"correctness batch {Batch}: ours vs ONNX Runtime max_abs={Fmt(VsOnnxRuntime)} top1 {Top1VsOnnxRuntime?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{Batch}; " +
        $"ours vs reference max_abs={Fmt(VsReference)} top1 {Top1VsReference?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{ReferenceImages}; " +
        $"ONNX Runtime vs reference max_abs={Fmt(OnnxRuntimeVsReference)} -> {(Passed ? "PASS" : "FAIL")}");

    internal static string Fmt(double? v) => v is null ? "-" : v.Value.ToString("0.000e+00", CultureInfo.InvariantCulture);
}

/// <summary>Peer timings measured by another program in the same run (e.g. PyTorch on the GPU machine).</summary>
public sealed class PeerResults
{
    /// <summary>The peers' measurements.</summary>
    public List<Measurement> Measurements { get; } = [];

    /// <summary>Residency of each peer runner: "host" or "device".</summary>
    public Dictionary<string, string> Residency { get; } = [];

    /// <summary>Free-form metadata the peer program wrote (versions, GPU name).</summary>
    public JsonNode? Meta { get; private set; }

    /// <summary>
    /// Reads <c>{"meta": {...}, "results": [{"runner": "...", "batch": 1, "residency": "device", "samples_ms": [...]}, ...]}</c>.
    /// </summary>
    public static PeerResults Load(string path)
    {
        JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty JSON");
        var r = new PeerResults { Meta = root["meta"]?.DeepClone() };
        foreach (JsonNode? item in root["results"]?.AsArray() ?? throw new InvalidDataException($"{path}: no 'results' array"))
        {
            string runner = item?["runner"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: a result has no 'runner'");
            int batch = item["batch"]?.GetValue<int>() ?? throw new InvalidDataException($"{path}: result '{runner}' has no 'batch'");
            double[] samples = [.. (item["samples_ms"]?.AsArray() ?? throw new InvalidDataException($"{path}: result '{runner}' has no 'samples_ms'")).Select(v => v!.GetValue<double>())];
            if (samples.Length == 0) throw new InvalidDataException($"{path}: result '{runner}' batch {batch} has no samples");
            r.Measurements.Add(new Measurement(runner, batch, samples));
            r.Residency[runner] = item["residency"]?.GetValue<string>() ?? "device";
        }
        return r;
    }
}

/// <summary>A peer's median against ours at one batch size (speedup &gt; 1: ours is faster).</summary>
public sealed record Ratio(int Batch, string Peer, string Ours, double PeerMedianMs, double OurMedianMs)
{
    /// <summary>Peer time over our time.</summary>
    public double Speedup => PeerMedianMs / OurMedianMs;
}

/// <summary>Everything one benchmark run measured; serialised as JSON and Markdown.</summary>
public sealed class BenchReport
{
    /// <summary>Multiply-accumulates of one EfficientNet-B0 forward pass at 224x224 (computed from the configuration).</summary>
    public static long MacsPerImage { get; } = CountMacs();

    /// <summary>Free text (machine).</summary>
    public string? Label { get; set; }

    /// <summary>ONNX file.</summary>
    public string ModelPath { get; set; } = "";

    /// <summary>Weights file.</summary>
    public string WeightsPath { get; set; } = "";

    /// <summary>Where the inputs came from.</summary>
    public string InputSource { get; set; } = "";

    /// <summary>Our adapter.</summary>
    public GpuAdapterInfo? Adapter { get; set; }

    /// <summary>Its features.</summary>
    public GpuFeatures? Features { get; set; }

    /// <summary>Its limits.</summary>
    public GpuLimits? Limits { get; set; }

    /// <summary>Time to compile every pipeline.</summary>
    public double PipelineCompileMs { get; set; }

    /// <summary>Dispatches of one forward pass.</summary>
    public int DispatchesPerForward { get; set; }

    /// <summary>How the plans were tuned.</summary>
    public TuneMode Tune { get; set; }

    /// <summary>The execution plan of each batch size and the time it took to make it (tuning included).</summary>
    public List<(ExecutionPlan Plan, double Ms)> Plans { get; } = [];

    /// <summary>Managed bytes one <c>Forward</c> call allocated, per batch size (after warm-up).</summary>
    public Dictionary<int, long> ManagedBytesPerInference { get; } = [];

    /// <summary>ONNX Runtime thread setting.</summary>
    public string? OrtThreads { get; set; }

    /// <summary>All timings (ours and peers).</summary>
    public List<Measurement> Measurements { get; } = [];

    /// <summary>Correctness per batch.</summary>
    public List<CorrectnessCheck> Checks { get; } = [];

    /// <summary>Per-kernel tables.</summary>
    public List<KernelProfile> Profiles { get; } = [];

    /// <summary>Why there is no per-kernel table, if so.</summary>
    public string? ProfileNote { get; set; }

    /// <summary>Peers from --peer-json.</summary>
    public PeerResults? Peers { get; set; }

    /// <summary>Peer vs ours ratios.</summary>
    public List<Ratio> Ratios { get; } = [];

    /// <summary>Pairs each peer with our runner of the same residency at the same batch size.</summary>
    public void ComputeRatios()
    {
        Ratios.Clear();
        foreach (Measurement m in Measurements)
        {
            if (m.Runner.StartsWith("KernelGen", StringComparison.Ordinal)) continue;
            string residency = Peers?.Residency.GetValueOrDefault(m.Runner) ?? "host";
            string ours = residency == "device" ? EfficientNetBenchmark.OursDevice : EfficientNetBenchmark.OursHost;
            Measurement? o = Measurements.FirstOrDefault(x => x.Runner == ours && x.Batch == m.Batch);
            if (o is not null) Ratios.Add(new Ratio(m.Batch, m.Runner, ours, m.MedianMs, o.MedianMs));
        }
    }

    /// <summary>GFLOP/s at a median time (2 FLOP per MAC).</summary>
    public static double Gflops(Measurement m) => 2.0 * MacsPerImage * m.Batch / (m.MedianMs * 1e6);

    /// <summary>The report as JSON.</summary>
    public string ToJson()
    {
        var root = new JsonObject
        {
            ["timestampUtc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["label"] = Label,
            ["machine"] = new JsonObject
            {
                ["os"] = Environment.OSVersion.ToString(),
                ["processorCount"] = Environment.ProcessorCount,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            },
            ["adapter"] = Adapter is null ? null : new JsonObject
            {
                ["device"] = Adapter.Device,
                ["vendor"] = Adapter.Vendor,
                ["architecture"] = Adapter.Architecture,
                ["description"] = Adapter.Description,
                ["backendType"] = Adapter.BackendType.ToString(),
                ["adapterType"] = Adapter.AdapterType.ToString(),
                ["features"] = Features?.ToString(),
                ["limits"] = Limits?.ToString(),
            },
            ["model"] = ModelPath,
            ["weights"] = WeightsPath,
            ["inputs"] = InputSource,
            ["macsPerImage"] = MacsPerImage,
            ["pipelineCompileMs"] = PipelineCompileMs,
            ["dispatchesPerForward"] = DispatchesPerForward,
            ["tune"] = Tune.ToString(),
            ["plans"] = new JsonArray([.. Plans.Select(p => (JsonNode)new JsonObject
            {
                ["batch"] = p.Plan.Batch, ["planMs"] = p.Ms, ["cacheFile"] = p.Plan.CacheFile,
                ["layers"] = new JsonArray([.. p.Plan.Layers.Select(l => (JsonNode)new JsonObject
                {
                    ["layer"] = l.Layer, ["shape"] = l.Shape, ["kernel"] = l.Kernel, ["grid"] = l.Grid.ToString(),
                    ["source"] = l.Source.ToString(), ["us"] = l.Microseconds,
                })]),
            })]),
            ["managedBytesPerInference"] = new JsonObject([.. ManagedBytesPerInference.Select(kv => KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)JsonValue.Create(kv.Value)))]),
            ["onnxRuntimeThreads"] = OrtThreads,
            ["measurements"] = new JsonArray([.. Measurements.Select(m => (JsonNode)new JsonObject
            {
                ["runner"] = m.Runner,
                ["batch"] = m.Batch,
                ["medianMs"] = m.MedianMs,
                ["minMs"] = m.MinMs,
                ["p10Ms"] = m.P10Ms,
                ["p90Ms"] = m.P90Ms,
                ["maxMs"] = m.MaxMs,
                ["imagesPerSecond"] = m.ImagesPerSecond,
                ["gflops"] = Gflops(m),
                ["samplesMs"] = new JsonArray([.. m.SamplesMs.Select(s => (JsonNode)JsonValue.Create(s))]),
            })]),
            ["ratios"] = new JsonArray([.. Ratios.Select(r => (JsonNode)new JsonObject
            {
                ["batch"] = r.Batch, ["peer"] = r.Peer, ["ours"] = r.Ours, ["peerMedianMs"] = r.PeerMedianMs, ["ourMedianMs"] = r.OurMedianMs,
                ["speedup"] = r.Speedup,
            })]),
            ["correctness"] = new JsonArray([.. Checks.Select(c => (JsonNode)new JsonObject
            {
                ["batch"] = c.Batch, ["maxAbsVsOnnxRuntime"] = c.VsOnnxRuntime, ["top1VsOnnxRuntime"] = c.Top1VsOnnxRuntime,
                ["maxAbsVsReference"] = c.VsReference, ["top1VsReference"] = c.Top1VsReference, ["referenceImages"] = c.ReferenceImages,
                ["onnxRuntimeMaxAbsVsReference"] = c.OnnxRuntimeVsReference, ["passed"] = c.Passed,
            })]),
            ["profileNote"] = ProfileNote,
            ["profiles"] = new JsonArray([.. Profiles.Select(p => (JsonNode)new JsonObject
            {
                ["batch"] = p.Batch, ["gpuTotalMs"] = p.GpuTotalMs, ["wallMs"] = p.WallMs,
                ["kernels"] = new JsonArray([.. p.Kernels.Select(k => (JsonNode)new JsonObject
                {
                    ["kernel"] = k.Kernel, ["dispatches"] = k.Dispatches, ["totalMs"] = k.TotalMs, ["percent"] = k.Percent,
                })]),
                ["slowestDispatches"] = new JsonArray([.. p.Slowest.Select(d => (JsonNode)new JsonObject
                {
                    ["index"] = d.Index, ["kernel"] = d.Kernel, ["us"] = d.Microseconds,
                })]),
            })]),
            ["peerMeta"] = Peers?.Meta?.DeepClone(),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The report as Markdown tables.</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"# EfficientNet-B0 benchmark{(Label is null ? "" : " — " + Label)}");
        s.AppendLine();
        s.AppendLine(c, $"- date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}");
        if (Adapter is not null)
            s.AppendLine(c, $"- adapter: {Adapter.Device} ({Adapter.BackendType}, {Adapter.AdapterType}; {Adapter.Description})");
        if (Features is not null) s.AppendLine(c, $"- features: shader-f16 {Features.ShaderF16}, timestamp-query {Features.TimestampQuery}, subgroups {Features.Subgroups}");
        s.AppendLine(c, $"- host: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        s.AppendLine(c, $"- inputs: {InputSource}; {MacsPerImage / 1e9:F3} GMAC = {2 * MacsPerImage / 1e9:F3} GFLOP per image");
        s.AppendLine(c, $"- ours: {DispatchesPerForward} dispatches per forward pass at the first batch size, one submit (captured graph replayed); execution plan tuned: {Tune.ToString().ToLowerInvariant()}; pipelines compiled in {PipelineCompileMs:F0} ms");
        foreach ((ExecutionPlan plan, double ms) in Plans)
        {
            string kernels = string.Join(", ", plan.Layers.GroupBy(l => l.Kernel).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} x{g.Count()}"));
            s.AppendLine(c, $"- plan for batch {plan.Batch} made in {ms:F0} ms: {kernels}");
        }
        if (ManagedBytesPerInference.Count > 0)
            s.AppendLine(c, $"- managed bytes allocated by one Forward (after warm-up): {string.Join(", ", ManagedBytesPerInference.Select(kv => $"batch {kv.Key}: {kv.Value}"))}");
        if (OrtThreads is not null) s.AppendLine(c, $"- ONNX Runtime intra-op threads: {OrtThreads}");
        s.AppendLine();
        s.AppendLine("| runner | batch | median ms | min | p10 | p90 | max | n | images/s | GFLOP/s |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (Measurement m in Measurements.OrderBy(m => m.Batch))
            s.AppendLine(c, $"| {m.Runner} | {m.Batch} | {m.MedianMs:F3} | {m.MinMs:F3} | {m.P10Ms:F3} | {m.P90Ms:F3} | {m.MaxMs:F3} | {m.SamplesMs.Count} | {m.ImagesPerSecond:F1} | {Gflops(m):F2} |");
        if (Ratios.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("| batch | peer | vs ours | peer median ms | our median ms | peer / ours |");
            s.AppendLine("| ---: | --- | --- | ---: | ---: | ---: |");
            foreach (Ratio r in Ratios.OrderBy(r => r.Batch))
                s.AppendLine(c, $"| {r.Batch} | {r.Peer} | {r.Ours} | {r.PeerMedianMs:F3} | {r.OurMedianMs:F3} | {r.Speedup:F2}x {(r.Speedup >= 1 ? "(ours faster)" : "(peer faster)")} |");
        }
        if (Checks.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("| batch | ours vs ONNX Runtime (max abs, top-1) | ours vs float64 reference | ONNX Runtime vs reference | result |");
            s.AppendLine("| ---: | --- | --- | --- | --- |");
            foreach (CorrectnessCheck k in Checks)
                s.AppendLine(c, $"| {k.Batch} | {CorrectnessCheck.Fmt(k.VsOnnxRuntime)}, {k.Top1VsOnnxRuntime?.ToString(c) ?? "-"}/{k.Batch} | {CorrectnessCheck.Fmt(k.VsReference)}, {k.Top1VsReference?.ToString(c) ?? "-"}/{k.ReferenceImages} | {CorrectnessCheck.Fmt(k.OnnxRuntimeVsReference)} | {(k.Passed ? "pass" : "FAIL")} |");
        }
        if (ProfileNote is not null)
        {
            s.AppendLine();
            s.AppendLine(ProfileNote);
        }
        foreach (KernelProfile p in Profiles)
        {
            s.AppendLine();
            s.AppendLine(c, $"Per-kernel GPU time, batch {p.Batch} (timestamp queries, one pass per dispatch): {p.GpuTotalMs:F3} ms of GPU time in a {p.WallMs:F3} ms profiled forward pass");
            s.AppendLine();
            s.AppendLine("| kernel | dispatches | total ms | % of forward | mean us |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (KernelShare k in p.Kernels)
                s.AppendLine(c, $"| {k.Kernel} | {k.Dispatches} | {k.TotalMs:F3} | {k.Percent:F1} | {k.TotalMs * 1000 / k.Dispatches:F1} |");
            s.AppendLine();
            string slowest = string.Join(", ", p.Slowest.Take(6).Select(d => string.Create(c, $"#{d.Index} {d.Kernel} {d.Microseconds:F0} us")));
            s.AppendLine(c, $"Slowest dispatches, batch {p.Batch}: {slowest}");
        }
        foreach ((ExecutionPlan plan, double _) in Plans)
        {
            s.AppendLine();
            s.Append(plan.Describe());
        }
        return s.ToString();
    }

    private static long CountMacs()
    {
        int h = EfficientNetB0Config.ConvOutputSize(EfficientNetB0Config.ImageSize, 3, 2);
        long macs = (long)EfficientNetB0Config.StemChannels * EfficientNetB0Config.InputChannels * 9 * h * h;
        foreach (MBConvBlockSpec b in EfficientNetB0Config.Blocks)
        {
            int e = b.ExpandedChannels;
            if (b.HasExpansion) macs += (long)b.InChannels * e * h * h;
            int oh = EfficientNetB0Config.ConvOutputSize(h, b.KernelSize, b.Stride);
            macs += (long)e * b.KernelSize * b.KernelSize * oh * oh;
            macs += 2L * e * b.SqueezeChannels;
            macs += (long)e * b.OutChannels * oh * oh;
            h = oh;
        }
        macs += (long)EfficientNetB0Config.Blocks[^1].OutChannels * EfficientNetB0Config.HeadChannels * h * h;
        macs += (long)EfficientNetB0Config.HeadChannels * EfficientNetB0Config.Classes;
        return macs;
    }
}
