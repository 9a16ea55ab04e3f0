using System.Globalization;

namespace KernelGen.Benchmarks.EfficientNet;

/// <summary>Command-line options of EfficientNetBench.</summary>
public sealed class BenchOptions
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: EfficientNetBench [--fixture DIR] [--model FILE.onnx] [--weights FILE] [--reference FILE]
                                 [--batch 1,8] [--warmup N] [--reps N] [--budget SECONDS]
                                 [--out PATH_WITHOUT_EXTENSION] [--no-ort] [--ort-threads N]
                                 [--peer-json FILE] [--no-profile] [--backend native|cpu] [--label TEXT]
                                 [--reductions auto|workgroup|serial] [--tiled-min N] [--large-min N] [--pooled-min N] [--narrow on|off] [--prefetch on|off]
                                 [--wide on|off] [--sliding on|off]

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
          --reductions  pool/squeeze-excitation kernels: workgroup reductions (GPUs), serial per channel
                        (software adapters), or auto (from the adapter type; default)
          --tiled-min   pointwise layers with at least N 64x64 tiles use the shared-memory tiled kernel
                        (0 = all, the default on GPUs; never on software adapters)
          --large-min   tiled layers whose 64x128 grid has at least N workgroups use the large-tile kernel (4x8 per
                        invocation, columns over the batch), the others the 64x64 one (default 0; 2147483647 = never)
          --narrow      large-tile layers of at most 32 output channels use the 32x256 tile (default on)
          --prefetch    the 64x128 tile issues the next slice's loads before the current FMAs (default off)
          --pooled-min  with workgroup reductions, depthwise layers with at least N channels x images fuse the pool
                        into a workgroup-per-plane kernel (default 1024; 0 = all; 2147483647 = never)
          --wide        untiled pointwise layers use the 8x4 register block (default on software adapters) or the 4x4
          --sliding     depthwise layers load each input row once into registers (default on software adapters)
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

    /// <summary>Backend of our side.</summary>
    public GpuBackend Backend { get; private set; } = GpuBackend.Native;

    /// <summary>Forced reduction strategy of the model, or null for the adapter's default.</summary>
    public bool? WorkgroupReductions { get; private set; }

    /// <summary>Forced tiled-pointwise threshold, or null for the model's default.</summary>
    public int? TiledMinWorkgroups { get; private set; }

    /// <summary>Forced large-tile pointwise threshold (<c>--large-min</c>), or null for the model's default.</summary>
    public int? LargeTileMinWorkgroups { get; private set; }

    /// <summary>Forced pooled-depthwise threshold (<c>--pooled-min</c>), or null for the model's default.</summary>
    public int? PooledDepthwiseMinWorkgroups { get; private set; }

    /// <summary>Forced choice of the 32x256 narrow tile for layers of at most 32 channels (<c>--narrow</c>), or null for the default.</summary>
    public bool? NarrowTilePointwise { get; private set; }

    /// <summary>Forced choice of the prefetching large tile (<c>--prefetch</c>), or null for the default.</summary>
    public bool? PrefetchLargeTile { get; private set; }

    /// <summary>Forced choice of the 8x4 pointwise kernel, or null for the model's default.</summary>
    public bool? WidePointwise { get; private set; }

    /// <summary>Forced choice of the sliding-window depthwise kernel, or null for the model's default.</summary>
    public bool? SlidingDepthwise { get; private set; }

    /// <summary>Free text stored in the report (e.g. the machine).</summary>
    public string? Label { get; private set; }

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
                case "--label": o.Label = Value(); break;
                case "--tiled-min": o.TiledMinWorkgroups = Int(0); break;
                case "--large-min": o.LargeTileMinWorkgroups = Int(0); break;
                case "--pooled-min": o.PooledDepthwiseMinWorkgroups = Int(0); break;
                case "--sliding":
                    string sliding = Value();
                    o.SlidingDepthwise = sliding switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new ArgumentException($"--sliding takes on or off, got '{sliding}'"),
                    };
                    break;
                case "--prefetch":
                    string prefetch = Value();
                    o.PrefetchLargeTile = prefetch switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new ArgumentException($"--prefetch takes on or off, got '{prefetch}'"),
                    };
                    break;
                case "--narrow":
                    string narrow = Value();
                    o.NarrowTilePointwise = narrow switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new ArgumentException($"--narrow takes on or off, got '{narrow}'"),
                    };
                    break;
                case "--wide":
                    string wide = Value();
                    o.WidePointwise = wide switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new ArgumentException($"--wide takes on or off, got '{wide}'"),
                    };
                    break;
                case "--reductions":
                    string r = Value();
                    o.WorkgroupReductions = r switch
                    {
                        "auto" => null,
                        "workgroup" => true,
                        "serial" => false,
                        _ => throw new ArgumentException($"--reductions takes auto, workgroup or serial, got '{r}'"),
                    };
                    break;
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
