using System.Diagnostics;
using KernelGen.Samples.EfficientNet.Model;
using Xunit.Abstractions;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// The <see cref="EfficientNetB0"/> model (generated dispatch stubs on a <see cref="GpuStream"/>) against
/// PyTorch's float64 logits, on the CPU backend and on the native Dawn adapter. Without a native adapter
/// the native tests fail with the reason; they are never skipped.
/// </summary>
public sealed class ModelFixtureTests(ITestOutputHelper output)
{
    private const int Images = 8;

    private void VerifyOn(GpuBackend backend, int images)
    {
        EfficientNetB0Weights weights = EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture");
        using GpuDevice device = GpuDevice.Create(new GpuDeviceOptions { Backend = backend });
        using var model = new EfficientNetB0(device, weights);
        var sw = Stopwatch.StartNew();
        float[] logits = model.Forward(Fixture.Inputs(images), images);
        double first = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        float[] again = model.Forward(Fixture.Inputs(images), images);
        double second = sw.Elapsed.TotalMilliseconds;

        float[] expected = Fixture.ReferenceTensors["logits"].Data.AsSpan(0, images * 1000).ToArray();
        (double max, int top1) = LogitComparison.Compare(logits, expected, images, 1000);
        output.WriteLine($"{device}: max_abs_diff={max:G4} top1_match={top1}/{images}; first run {first:F0} ms (pipelines compiled), second {second:F0} ms");
        Assert.Equal(images, top1);
        Assert.True(max <= 1e-3, $"max abs diff {max}");
        Assert.Equal(logits, again); // buffers reused between runs give the same answer
    }

    [Fact]
    public void Cpu_backend_matches_the_PyTorch_logits() => VerifyOn(GpuBackend.Cpu, Images);

    [Fact]
    public void Native_WebGPU_adapter_matches_the_PyTorch_logits() => VerifyOn(GpuBackend.Native, Images);

    [Fact]
    public void Pth_and_safetensors_give_identical_logits_on_the_device()
    {
        using GpuDevice device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        float[] input = Fixture.Inputs(1);
        using var fromSafetensors = new EfficientNetB0(device, EfficientNetB0Weights.Load(Fixture.WeightsSafetensors));
        using var fromPth = new EfficientNetB0(device, EfficientNetB0Weights.Load(Fixture.WeightsPth));
        Assert.Equal(fromSafetensors.Forward(input, 1), fromPth.Forward(input, 1));
    }

    [Fact]
    public void Batch_sizes_share_weights_and_agree_per_image()
    {
        using GpuDevice device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        using var model = new EfficientNetB0(device, EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture"));
        float[] two = model.Forward(Fixture.Inputs(2), 2);
        float[] one = model.Forward(Fixture.Inputs(1), 1);
        Assert.Equal(one, two.AsSpan(0, 1000).ToArray());
        Assert.Throws<ArgumentException>(() => model.Forward(Fixture.Inputs(1), 2));
    }
}
