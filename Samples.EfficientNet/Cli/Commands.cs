using System.Diagnostics;
using System.Globalization;
using KernelGen.Samples.EfficientNet.Download;
using KernelGen.Samples.EfficientNet.Imaging;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Weights;
using KernelGen.Tuning;

namespace KernelGen.Samples.EfficientNet.Cli;

/// <summary>The <c>classify</c> and <c>verify</c> commands (<c>weights</c>: <see cref="WeightsCommands"/>).</summary>
public static class Commands
{
    /// <summary>Seed of the stand-in weights used when <c>classify</c> has no weights.</summary>
    public const int RandomWeightsSeed = 0;

    /// <summary>
    /// The longest one device wait may take: a forward pass of a full batch on a software adapter (lavapipe) on a
    /// loaded machine takes well over the runtime's default 30 s; a real hang still ends, with an error.
    /// </summary>
    public static readonly TimeSpan DeviceWaitTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Tolerance of <c>verify</c> on the logits (max abs difference).</summary>
    public const double VerifyTolerance = 1e-3;

    /// <summary>Exit code of <c>classify</c> when it answered on random weights: it ran, but the answer is no prediction.</summary>
    public const int RandomWeightsExitCode = 3;

    /// <summary>The options each command accepts.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Options { get; } = new Dictionary<string, IReadOnlySet<string>>
    {
        ["classify"] = new HashSet<string> { "image", "weights", "top", "backend", "tune" },
        ["verify"] = new HashSet<string> { "weights", "reference", "backend", "tune" },
        ["weights fetch"] = new HashSet<string> { "url", "sha256" },
        ["weights path"] = new HashSet<string>(),
    };

    /// <summary>The flags (options without a value) each command accepts.</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Flags { get; } = new Dictionary<string, IReadOnlySet<string>>
    {
        ["classify"] = new HashSet<string> { "allow-truncated", "json", "verbose" },
        ["verify"] = new HashSet<string> { "verbose" },
        ["weights fetch"] = new HashSet<string> { "force" },
        ["weights path"] = new HashSet<string>(),
    };

    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage:
          efficientnet classify --image PATH [--weights FILE] [--top N] [--backend native|cpu] [--json] [--allow-truncated] [--tune off|quick|full] [--verbose]
          efficientnet verify --weights FILE --reference FILE [--backend native|cpu] [--tune off|quick|full] [--verbose]
          efficientnet weights fetch [--url URL --sha256 HEX] [--force]
          efficientnet weights path

        classify  decodes an image (JPEG, PNG, WebP), applies torchvision's ImageNet preprocessing and
                  prints the top-N classes (default 5). --weights takes a torchvision efficientnet_b0
                  state dict (.pth, e.g. efficientnet_b0_rwightman-7f5810bc.pth, or .safetensors);
                  without it classify uses the file `weights fetch` stored, and when there is none it
                  runs on deterministic random weights, says so on every line and exits with 3.
                  --json prints one JSON object instead, with "weights": "random", "file" or "torchvision".
                  A truncated image is refused unless --allow-truncated is given (the missing part is then
                  black); images over 50 megapixels are downscaled while decoding.
        verify    runs every `input` of a reference safetensors file ([N,3,224,224], with `logits`
                  [N,1000]) and compares the logits: exit code 0 only if every top-1 class matches and
                  the max abs difference is <= 1e-3. Inputs run in batches that fit the device's
                  buffer limits.
        weights fetch  downloads torchvision's IMAGENET1K_V1 weights (21 MB) from download.pytorch.org,
                  checks their SHA-256 and stores them in the cache folder ($XDG_CACHE_HOME/kernelgen,
                  %LOCALAPPDATA%\kernelgen, ~/Library/Caches/kernelgen); nothing when already there
                  (--force: again). --url/--sha256 (or KERNELGEN_WEIGHTS_URL/KERNELGEN_WEIGHTS_SHA256)
                  take another copy, e.g. a mirror.
        weights path   prints where the cached weights are (or would be) and whether they are there.
        --backend native (WebGPU through Dawn; the default) or cpu (the kernels as C#).
        --tune    off (the default: kernels chosen from the adapter's type and limits), quick or full: time the
                  candidate kernels of each layer shape on the device once, cached per adapter and driver in the
                  user's cache folder; the execution plan is then printed (to stderr).
        --verbose prints the execution plan (to stderr) with or without --tune: per layer the kernel and its
                  configuration (split-K, pool), the grid, how it was chosen (heuristic, forced, tuned, cached) and the
                  tuning cache file.
        """;

    /// <summary>The execution plan options from <c>--tune</c>.</summary>
    private static ExecutionPlanOptions PlanOptions(CommandLine cl) => cl.Optional("tune") switch
    {
        null or "off" => new ExecutionPlanOptions(),
        "quick" => new ExecutionPlanOptions { Tune = TuneMode.Quick },
        "full" => new ExecutionPlanOptions { Tune = TuneMode.Full },
        string other => throw new UsageException($"--tune takes off, quick or full, got '{other}'."),
    };

    /// <summary>With <c>--tune</c> or <c>--verbose</c>, makes the plan of <paramref name="batch"/> (tuning it) and prints it.</summary>
    private static void PrintPlan(CommandLine cl, EfficientNetB0 model, int batch, TextWriter progress)
    {
        if (cl.Optional("tune") is null && !cl.Flag("verbose")) return;
        var sw = Stopwatch.StartNew();
        ExecutionPlan plan = model.PlanFor(batch);
        progress.WriteLine($"Execution plan made in {sw.Elapsed.TotalMilliseconds:F0} ms:");
        progress.Write(plan.Describe());
    }

    /// <summary>Runs <c>classify</c> with the current user's weight cache.</summary>
    public static int Classify(CommandLine cl, TextWriter output, TextWriter progress) =>
        Classify(cl, output, progress, CachedWeights.ForCurrentUser());

    /// <summary>Runs <c>classify</c>; without <c>--weights</c> it looks in <paramref name="cached"/>.</summary>
    /// <returns>0 on real weights, <see cref="RandomWeightsExitCode"/> on random weights.</returns>
    public static int Classify(CommandLine cl, TextWriter output, TextWriter progress, CachedWeights cached)
    {
        ArgumentNullException.ThrowIfNull(cl);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(cached);
        string image = cl.Required("image");
        string? weightsPath = cl.Optional("weights");
        int top = cl.Int32Option("top", 5, 1, 1000);
        GpuBackend backend = cl.Backend();
        bool json = cl.Flag("json");

        DecodedImage decoded = ImagePreprocessor.Decode(image, new ImageDecodeOptions { AllowTruncated = cl.Flag("allow-truncated") });
        float[] input = decoded.Tensor;
        ChosenWeights chosen = ChosenWeights.Choose(weightsPath, cached, progress);
        TextWriter notes = json ? progress : output;
        if (chosen.Kind == WeightsKind.Random)
            notes.WriteLine(
                $"NOTE: random weights (seed {RandomWeightsSeed}): no --weights given and no weights in {cached.Cache.Directory}; the classes below are meaningless. " +
                "`efficientnet weights fetch` downloads torchvision's (21 MB), then classify uses them.");
        if (decoded.Truncated)
            notes.WriteLine($"NOTE: {Path.GetFileName(image)} is truncated (--allow-truncated): the missing part was decoded as black.");
        if (decoded.DecodedWidth != decoded.Width || decoded.DecodedHeight != decoded.Height)
            notes.WriteLine($"NOTE: {Path.GetFileName(image)} is {decoded.Width}x{decoded.Height}; it was downscaled to {decoded.DecodedWidth}x{decoded.DecodedHeight} while decoding.");

        using GpuDevice device = CreateDevice(backend, progress);
        using var model = new EfficientNetB0(device, chosen.Weights, new LineProgress(progress), PlanOptions(cl));

        double compile = CompilePipelines(model, progress);
        PrintPlan(cl, model, 1, progress);
        var sw = Stopwatch.StartNew();
        float[] logits = model.Forward(input, 1);
        double first = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        logits = model.Forward(input, 1);
        double steady = sw.Elapsed.TotalMilliseconds;
        if (!logits.All(float.IsFinite))
            throw new CommandFailedException("the network produced non-finite logits (NaN or infinity): the weights are out of range for float32.");

        float[] probabilities = Softmax(logits);
        int[] order = [.. Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i]).Take(top)];
        var result = new ClassifyResult(Path.GetFileName(image), chosen, device.Backend.ToString(), device.Info.Device, order, probabilities, compile, first, steady);
        if (json)
            result.WriteJson(output);
        else
            result.WriteTable(output);
        return chosen.Kind == WeightsKind.Random ? RandomWeightsExitCode : 0;
    }

    /// <summary>Runs <c>verify</c>; returns 0 only if every top-1 matches and the max abs difference is within tolerance.</summary>
    public static int Verify(CommandLine cl, TextWriter output, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(cl);
        string weightsPath = cl.Required("weights");
        string referencePath = cl.Required("reference");
        GpuBackend backend = cl.Backend();

        EfficientNetB0Weights weights = LoadWeights(weightsPath, progress);
        progress.WriteLine($"Reading {Path.GetFileName(referencePath)}...");
        IReadOnlyDictionary<string, HostTensor> reference = SafetensorsReader.Read(referencePath, SelectReference);
        (float[] inputs, float[] expected, int n) = ReferenceBatch(reference, Path.GetFileName(referencePath));

        using GpuDevice device = CreateDevice(backend, progress);
        using var model = new EfficientNetB0(device, weights, new LineProgress(progress), PlanOptions(cl));
        double compile = CompilePipelines(model, progress);
        PrintPlan(cl, model, Math.Min(n, model.MaxBatch), progress);
        int perPass = model.MaxBatch;
        progress.WriteLine(n <= perPass ? $"Running {n} inputs..." : $"Running {n} inputs in {(n + perPass - 1) / perPass} batches of at most {perPass} (the device's buffer limit)...");
        var sw = Stopwatch.StartNew();
        float[] logits = model.Forward(inputs, n);
        double ms = sw.Elapsed.TotalMilliseconds;

        double maxAll = 0;
        int matches = 0;
        const int classes = EfficientNetB0Config.Classes;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> a = logits.AsSpan(i * classes, classes), e = expected.AsSpan(i * classes, classes);
            double max = 0;
            for (int k = 0; k < classes; k++)
                max = Math.Max(max, float.IsFinite(a[k]) ? Math.Abs(a[k] - e[k]) : double.PositiveInfinity);
            int ta = ArgMax(a), te = ArgMax(e);
            bool match = ta == te;
            if (match) matches++;
            maxAll = Math.Max(maxAll, max);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"input {i}: max_abs_diff={max:0.000e+00} top1={ta} expected={te} {(match ? "match" : "MISMATCH")}"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{device.Backend} ({device.Info.Device}): {n} inputs in {ms:F1} ms (pipeline compilation before: {compile:F1} ms)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max_abs_diff={maxAll:0.000e+00} top1_match={matches}/{n}"));
        return matches == n && maxAll <= VerifyTolerance ? 0 : 1;
    }

    private static (float[] Inputs, float[] Logits, int N) ReferenceBatch(IReadOnlyDictionary<string, HostTensor> reference, string file)
    {
        if (!reference.TryGetValue("input", out HostTensor? input) || !reference.TryGetValue("logits", out HostTensor? logits))
            throw new WeightFormatException($"{file}: a reference file needs tensors 'input' [N, 3, 224, 224] and 'logits' [N, 1000]; found {string.Join(", ", reference.Keys)}.");
        if (input.Shape.Count != 4 || input.Shape[1] != 3 || input.Shape[2] != 224 || input.Shape[3] != 224 || input.Shape[0] < 1)
            throw new WeightFormatException($"{file}: 'input' must be [N, 3, 224, 224], found {HostTensor.FormatShape(input.Shape)}.");
        if (logits.Shape.Count != 2 || logits.Shape[0] != input.Shape[0] || logits.Shape[1] != EfficientNetB0Config.Classes)
            throw new WeightFormatException($"{file}: 'logits' must be [{input.Shape[0]}, 1000], found {HostTensor.FormatShape(logits.Shape)}.");
        foreach (HostTensor t in (HostTensor[])[input, logits])
        {
            int bad = Array.FindIndex(t.Data, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new WeightFormatException(string.Create(CultureInfo.InvariantCulture, $"{file}: tensor '{t.Name}' element {bad} is {t.Data[bad]}; reference values must be finite."));
        }
        return (input.Data, logits.Data, input.Shape[0]);
    }

    /// <summary>Reads only 'input' and 'logits' of a reference file; anything else it declares is skipped unread.</summary>
    private static IReadOnlySet<string> SelectReference(IReadOnlyList<TensorHeader> declared, string file)
    {
        var names = declared.Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
        if (!names.Contains("input") || !names.Contains("logits"))
            throw new WeightFormatException($"{file}: a reference file needs tensors 'input' [N, 3, 224, 224] and 'logits' [N, 1000]; found {string.Join(", ", names.Take(20))}.");
        return new HashSet<string>(["input", "logits"], StringComparer.Ordinal);
    }

    internal static EfficientNetB0Weights LoadWeights(string? path, TextWriter progress)
    {
        if (path is null)
            return EfficientNetB0Weights.Random(RandomWeightsSeed);
        progress.WriteLine($"Loading weights from {path}...");
        var sw = Stopwatch.StartNew();
        EfficientNetB0Weights w = EfficientNetB0Weights.Load(path);
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Loaded and folded 311 tensors in {sw.Elapsed.TotalMilliseconds:F0} ms"));
        return w;
    }

    private static double CompilePipelines(EfficientNetB0 model, TextWriter progress)
    {
        if (model.Device.Backend == GpuBackend.Cpu)
            return 0;
        progress.WriteLine($"Compiling {EfficientNetB0.Kernels.Count} pipelines...");
        var sw = Stopwatch.StartNew();
        model.CompilePipelines();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static GpuDevice CreateDevice(GpuBackend backend, TextWriter progress)
    {
        progress.WriteLine(backend == GpuBackend.Cpu ? "Starting the CPU backend..." : "Opening the WebGPU adapter...");
        GpuDevice device = GpuDevice.Create(new GpuDeviceOptions { Backend = backend, WaitTimeout = DeviceWaitTimeout });
        progress.WriteLine($"Device: {device}");
        return device;
    }

    private static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        double sum = logits.Sum(v => Math.Exp(v - max));
        return [.. logits.Select(v => (float)(Math.Exp(v - max) / sum))];
    }

    private static int ArgMax(ReadOnlySpan<float> v)
    {
        int best = 0;
        for (int i = 1; i < v.Length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
