using System.Globalization;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Tuning;

namespace KernelGen.Benchmarks.EfficientNet;

/// <summary>Command-line options of EfficientNetBench.</summary>
public sealed class BenchOptions
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: EfficientNetBench [--fixture DIR] [--model FILE.onnx] [--weights FILE] [--reference FILE]
                                 [--batch 1,8] [--warmup N] [--reps N] [--budget SECONDS]
                                 [--out PATH_WITHOUT_EXTENSION] [--no-ort] [--ort-threads N]
                                 [--peer-json FILE] [--no-profile] [--dispatch-probe] [--backend native|cpu] [--label TEXT]
                                 [--tune off|quick|full] [--tune-cache FILE] [--pointwise KERNEL] [--splits N]
                                 [--stem KERNEL] [--depthwise KERNEL] [--pool KERNEL] [--gate KERNEL] [--fold-expand on|off] [--defer-sums on|off] [--classifier KERNEL]

        Runs EfficientNet-B0 on KernelGen's native WebGPU runtime and on ONNX Runtime CPU in one process,
        batch by batch, and writes <out>.json and <out>.md (default artifacts/bench/efficientnet).
          --fixture     folder holding model.onnx, weights.f16.safetensors and reference_io.safetensors
                        (default ../shared/fixtures/efficientnet_b0); --model/--weights/--reference override.
          --batch       comma-separated batch sizes (default 1,8)
          --warmup      untimed calls before timing (default 3)
          --reps        timed calls (default 20); timing stops early after --budget seconds (default 20) once 3 ran
          --no-ort      skip ONNX Runtime (e.g. on a GPU machine where other peers are measured)
          --ort-threads ONNX Runtime intra-op threads (default 0: one per core)
          --peer-json   merge peer timings measured in the same run by another program (see README)
          --no-profile  skip the per-kernel GPU time table (timestamp queries)
          --dispatch-probe  first time a chain of dependent tiny dispatches: the cost of one dispatch in a replayed graph
          --tune        execution plan: off (from the adapter's type and limits, the default), quick or full (time the
                        candidates of each distinct layer shape on the device once, cached per adapter and driver)
          --tune-cache  the tuning cache file (default: the user's cache folder, kernelgen/tuning)
          --stem        force DenseConvolution (4 channels per invocation) or DenseConvolutionWide (8)
          --pointwise   force Block4x4, Wide8x4, Tiled64x64, Large64x128 or Narrow32x256 where it fits
          --splits      force the split-K count of the 64x128 tile (1 = none)
          --depthwise   force PerTap, Sliding, SlidingPartialPool (the pool's partial sums in its epilogue) or Pooled
                        (one workgroup per plane, pool fused)
          --pool        force Serial or Workgroup (after PerTap / Sliding);  --classifier: Serial or Reduce
          --gate        force Serial, Fused, FusedSliced or ReduceThenExpand
          --fold-expand on: the SE expand in the projection's weight loads wherever it fits; off: never (default: tuned)
          --defer-sums  on: split-K projections leave their partial sums to the consumers' loads; off (default): SumSplits
        """;

    /// <summary>ONNX model of the peer.</summary>
    public string ModelPath { get; private set; } = "";

    /// <summary>Weights for our side (torchvision state dict, safetensors or .pth).</summary>
    public string WeightsPath { get; private set; } = "";

    /// <summary>Reference inputs/logits (safetensors), or empty for random inputs.</summary>
    public string ReferencePath { get; private set; } = "";

    /// <summary>Batch sizes to measure.</summary>
    public IReadOnlyList<int> Batches { get; private set; } = [1, 8];

    /// <summary>Untimed calls first.</summary>
    public int Warmup { get; private set; } = 3;

    /// <summary>Timed calls.</summary>
    public int Repetitions { get; private set; } = 20;

    /// <summary>Time budget of one measurement.</summary>
    public TimeSpan Budget { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>Report path without extension.</summary>
    public string Output { get; private set; } = Path.Combine("artifacts", "bench", "efficientnet");

    /// <summary>Run the ONNX Runtime peer.</summary>
    public bool RunOnnxRuntime { get; private set; } = true;

    /// <summary>ONNX Runtime intra-op threads (0 = default).</summary>
    public int OrtThreads { get; private set; }

    /// <summary>External peer timings to merge, or null.</summary>
    public string? PeerJson { get; private set; }

    /// <summary>Collect the per-kernel table.</summary>
    public bool Profile { get; private set; } = true;

    /// <summary>Whether to time a chain of dependent tiny dispatches first (<see cref="DispatchProbe"/>).</summary>
    public bool RunDispatchProbe { get; private set; }

    /// <summary>Backend of our side.</summary>
    public GpuBackend Backend { get; private set; } = GpuBackend.Native;

    /// <summary>How the model's execution plans are made (tuning, forced kernels).</summary>
    public ExecutionPlanOptions Plan { get; private set; } = new();

    /// <summary>Free text stored in the report (e.g. the machine).</summary>
    public string? Label { get; private set; }

    private static T Kind<T>(string option, string value) where T : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out T kind) && Enum.IsDefined(kind) ? kind
            : throw new ArgumentException($"{option} takes one of {string.Join(", ", Enum.GetNames<T>())}, got '{value}'");

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        string fixture = Path.Combine("..", "shared", "fixtures", "efficientnet_b0");
        string? model = null, weights = null, reference = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {a} needs a value");
            int Int(int min) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min
                ? v : throw new ArgumentException($"option {a} needs an integer >= {min}, got '{args[i]}'");
            switch (a)
            {
                case "--fixture": fixture = Value(); break;
                case "--model": model = Value(); break;
                case "--weights": weights = Value(); break;
                case "--reference": reference = Value(); break;
                case "--no-reference": reference = ""; break;
                case "--batch":
                    string list = Value();
                    o.Batches = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
                        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int b) && b >= 1 ? b
                        : throw new ArgumentException($"--batch takes positive integers separated by commas, got '{list}'"))];
                    if (o.Batches.Count == 0) throw new ArgumentException("--batch needs at least one batch size");
                    break;
                case "--warmup": o.Warmup = Int(0); break;
                case "--reps": o.Repetitions = Int(1); break;
                case "--budget": o.Budget = TimeSpan.FromSeconds(Int(1)); break;
                case "--out": o.Output = Value(); break;
                case "--no-ort": o.RunOnnxRuntime = false; break;
                case "--ort-threads": o.OrtThreads = Int(0); break;
                case "--peer-json": o.PeerJson = Value(); break;
                case "--no-profile": o.Profile = false; break;
                case "--dispatch-probe": o.RunDispatchProbe = true; break;
                case "--label": o.Label = Value(); break;
                case "--tune":
                    string tune = Value();
                    o.Plan = o.Plan with { Tune = Enum.TryParse(tune, ignoreCase: true, out TuneMode mode) ? mode : throw new ArgumentException($"--tune takes off, quick or full, got '{tune}'") };
                    break;
                case "--tune-cache": o.Plan = o.Plan with { TuneCacheFile = Value() }; break;
                case "--pointwise": o.Plan = o.Plan with { Pointwise = Kind<PointwiseKernel>(a, Value()) }; break;
                case "--splits": o.Plan = o.Plan with { Splits = Int(1) }; break;
                case "--stem": o.Plan = o.Plan with { Stem = Kind<StemKernel>(a, Value()) }; break;
                case "--depthwise": o.Plan = o.Plan with { Depthwise = Kind<DepthwiseKernel>(a, Value()) }; break;
                case "--pool": o.Plan = o.Plan with { Pool = Kind<PoolKernel>(a, Value()) }; break;
                case "--gate": o.Plan = o.Plan with { Gate = Kind<GateKernel>(a, Value()) }; break;
                case "--fold-expand":
                    string fold = Value();
                    o.Plan = o.Plan with { FoldExpand = fold switch { "on" => true, "off" => false, _ => throw new ArgumentException($"--fold-expand takes on or off, got '{fold}'") } };
                    break;
                case "--defer-sums":
                    string defer = Value();
                    o.Plan = o.Plan with { DeferSplitSums = defer switch { "on" => true, "off" => false, _ => throw new ArgumentException($"--defer-sums takes on or off, got '{defer}'") } };
                    break;
                case "--classifier": o.Plan = o.Plan with { Classifier = Kind<ClassifierKernel>(a, Value()) }; break;
                case "--backend":
                    string backend = Value();
                    o.Backend = backend switch
                    {
                        "native" => GpuBackend.Native,
                        "cpu" => GpuBackend.Cpu,
                        _ => throw new ArgumentException($"--backend takes native or cpu, got '{backend}'"),
                    };
                    break;
                default: throw new ArgumentException($"unknown option '{a}'");
            }
        }
        o.ModelPath = model ?? Path.Combine(fixture, "model.onnx");
        o.WeightsPath = weights ?? Path.Combine(fixture, "weights.f16.safetensors");
        o.ReferencePath = reference ?? Path.Combine(fixture, "reference_io.safetensors");
        return o;
    }
}
