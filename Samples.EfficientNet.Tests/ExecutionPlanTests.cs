using KernelGen.Samples.EfficientNet.Layers;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Tuning;
using Xunit.Abstractions;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// The execution plan and the runtime's <see cref="KernelTuner"/>: a plan tuned on the native adapter is cached and reused,
/// and the network it records matches the fixture's float64 logits; the tuner's cache and default rules. Nothing here
/// asserts which candidate is faster (timings on this machine vary with load), only that each was measured.
/// </summary>
public sealed class ExecutionPlanTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("kernelgen-plan-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Tuned_plan_is_cached_reused_and_matches_the_PyTorch_logits()
    {
        string cache = Path.Combine(folder, "tuning.json");
        var options = new ExecutionPlanOptions { Tune = TuneMode.Quick, TuneCacheFile = cache };
        EfficientNetB0Weights weights = EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture");
        using GpuDevice device = TestDevices.Create(GpuBackend.Native);

        ExecutionPlan first;
        using (var model = new EfficientNetB0(device, weights, plan: options))
        {
            first = model.PlanFor(1);
            output.WriteLine(first.Describe());
            Assert.Equal(cache, first.CacheFile);
            Assert.Contains(first.Layers, l => l.Source == PlanSource.Tuned);
            Assert.All(first.Layers.Where(l => l.Source is PlanSource.Tuned or PlanSource.Cached), l => Assert.True(l.Microseconds > 0, l.Layer));
            AssertMatchesReference(model, 1);
        }
        Assert.True(File.Exists(cache), "the tuner wrote no cache file");

        using (var model = new EfficientNetB0(device, weights, plan: options))
        {
            ExecutionPlan second = model.PlanFor(1);
            Assert.DoesNotContain(second.Layers, l => l.Source == PlanSource.Tuned);
            Assert.Equal(first.Layers.Select(l => l.Kernel), second.Layers.Select(l => l.Kernel));
            Assert.Equal(first.Layers.Count(l => l.Source is PlanSource.Tuned or PlanSource.Cached), second.Layers.Count(l => l.Source == PlanSource.Cached));
        }
    }

    [Fact]
    public void Untuned_plan_follows_the_adapter_type_and_lists_every_layer()
    {
        EfficientNetB0Weights weights = EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture");
        using GpuDevice device = TestDevices.Create(GpuBackend.Native);
        using var model = new EfficientNetB0(device, weights);
        ExecutionPlan plan = model.PlanFor(1);
        output.WriteLine(plan.Describe());
        Assert.All(plan.Layers, l => Assert.Equal(PlanSource.Heuristic, l.Source));
        // stem, 16 blocks of (expand?, depthwise + pool, gate, project) with 15 expansions, head, pool, classifier.
        Assert.Equal(1 + 16 * 3 + 15 + 3, plan.Layers.Count);
        bool software = device.Info.AdapterType is GpuAdapterType.Cpu;
        PlannedLayer project = plan.Layers.Single(l => l.Layer == "features.7.0.block.project");
        Assert.StartsWith(software ? nameof(PointwiseKernel.Wide8x4) : nameof(PointwiseKernel.Large64x128), project.Kernel, StringComparison.Ordinal);
        Assert.Equal(software ? nameof(GateKernel.Serial) : nameof(GateKernel.ReduceThenExpand), plan.Layers.Single(l => l.Layer == "features.7.0.block.gate").Kernel);
        // GPUs: the pool's partial sums come from the depthwise epilogue (no pool dispatch); software adapters: a serial pool.
        Assert.Equal(software ? "Sliding, pool Serial" : nameof(DepthwiseKernel.SlidingPartialPool), plan.Layers.Single(l => l.Layer == "features.7.0.block.depthwise").Kernel);
    }

    [Fact]
    public void Tuner_off_takes_the_first_candidate_without_running_any()
    {
        using GpuDevice device = TestDevices.Create(GpuBackend.Cpu);
        using var tuner = new KernelTuner(device, TuneMode.Off, "test");
        int recorded = 0;
        TuneResult r = tuner.Choose("p", [new TuneCandidate("a", _ => recorded++), new TuneCandidate("b", _ => recorded++)]);
        Assert.Equal(("a", TuneSource.Default, 0), (r.Choice, r.Source, recorded));
        Assert.Null(tuner.CacheFile);
        Assert.Throws<ArgumentException>(() => tuner.Choose("q", [new TuneCandidate("a", _ => { }), new TuneCandidate("a", _ => { })]));
        Assert.Throws<ArgumentException>(() => tuner.Choose("q", []));
    }

    [Fact]
    public void Tuner_measures_every_candidate_once_caches_the_choice_and_remeasures_a_stale_entry()
    {
        string cache = Path.Combine(folder, "tuner.json");
        using GpuDevice device = TestDevices.Create(GpuBackend.Cpu);
        using GpuBuffer<float> x = device.Upload<float>(new float[64]), w = device.Upload<float>(new float[64 * 8]), b = device.Upload<float>(new float[8]);
        using GpuBuffer<float> y = device.Allocate<float>(8);
        TuneCandidate serial = new("serial", s => FullyConnected.Gpu.Forward(s, x, w, b, y, 64, 8, Activation.None, Grid.Threads(8)));
        TuneCandidate reduce = new("reduce", s => FullyConnected.Gpu.ForwardReduce(s, x, w, b, y, 64, 8, Activation.None, 1, 1f, Grid.Groups(8)));

        string choice;
        using (var tuner = new KernelTuner(device, TuneMode.Quick, "test", cache))
        {
            TuneResult r = tuner.Choose("fc 64->8", [serial, reduce]);
            Assert.Equal(TuneSource.Measured, r.Source);
            Assert.Equal(["reduce", "serial"], r.Microseconds.Keys.Order());
            Assert.All(r.Microseconds.Values, us => Assert.True(us > 0));
            Assert.Equal(r.Microseconds.MinBy(kv => kv.Value).Key, r.Choice);
            choice = r.Choice;
        }
        using (var tuner = new KernelTuner(device, TuneMode.Quick, "test", cache))
        {
            TuneResult r = tuner.Choose("fc 64->8", [serial, reduce]);
            Assert.Equal((choice, TuneSource.Cached), (r.Choice, r.Source));
            // A different candidate set (a kernel added) makes the entry stale: measured again.
            TuneCandidate other = new("other", serial.Record);
            Assert.Equal(TuneSource.Measured, tuner.Choose("fc 64->8", [serial, reduce, other]).Source);
        }
        using (var tuner = new KernelTuner(device, TuneMode.Full, "test", cache))
        {
            // A quick measurement does not satisfy a full tune.
            Assert.Equal(TuneSource.Measured, tuner.Choose("fc 64->8", [serial, reduce, new TuneCandidate("other", serial.Record)]).Source);
        }
    }

    private void AssertMatchesReference(EfficientNetB0 model, int images)
    {
        float[] logits = model.Forward(Fixture.Inputs(images), images);
        float[] expected = Fixture.ReferenceTensors["logits"].Data.AsSpan(0, images * 1000).ToArray();
        (double max, int top1) = LogitComparison.Compare(logits, expected, images, 1000);
        output.WriteLine($"{model.Device}: max_abs_diff={max:G4} top1_match={top1}/{images}");
        Assert.Equal(images, top1);
        Assert.True(max <= 1e-4, $"max abs diff {max}");
    }
}
