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
        using GpuDevice device = TestDevices.Create(backend);
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
        using GpuDevice device = TestDevices.Create(GpuBackend.Cpu);
        float[] input = Fixture.Inputs(1);
        using var fromSafetensors = new EfficientNetB0(device, EfficientNetB0Weights.Load(Fixture.WeightsSafetensors));
        using var fromPth = new EfficientNetB0(device, EfficientNetB0Weights.Load(Fixture.WeightsPth));
        Assert.Equal(fromSafetensors.Forward(input, 1), fromPth.Forward(input, 1));
    }

    [Fact]
    public void Batch_sizes_share_weights_and_agree_per_image()
    {
        using GpuDevice device = TestDevices.Create(GpuBackend.Cpu);
        using var model = new EfficientNetB0(device, EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture"));
        float[] two = model.Forward(Fixture.Inputs(2), 2);
        float[] one = model.Forward(Fixture.Inputs(1), 1);
        Assert.Equal(one, two.AsSpan(0, 1000).ToArray());
        Assert.Throws<ArgumentException>(() => model.Forward(Fixture.Inputs(1), 2));
    }

    [Fact]
    public void Batches_beyond_the_device_limit_are_split_into_passes_with_the_same_answer()
    {
        using GpuDevice device = TestDevices.Create(GpuBackend.Cpu);
        using var model = new EfficientNetB0(device, EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture"));
        float[] whole = model.Forward(Fixture.Inputs(3), 3);
        model.BatchLimit = 2;
        Assert.Equal(2, model.MaxBatch);
        Assert.Equal(whole, model.Forward(Fixture.Inputs(3), 3)); // passes of 2 and 1
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => model.Prepare(4)); // (3 was prepared before the limit)
        Assert.Contains("Batch 4 exceeds the 2 images whose activations fit one buffer", ex.Message);
    }

    [Fact]
    public void Max_batch_on_the_native_adapter_is_what_its_binding_limit_holds()
    {
        using GpuDevice device = TestDevices.Create(GpuBackend.Native);
        using var model = new EfficientNetB0(device, EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture"));
        ulong limit = Math.Min(Math.Min(device.Limits.MaxStorageBufferBindingSize, device.Limits.MaxBufferSize), int.MaxValue);
        ulong perImage = (ulong)EfficientNetB0.LargestActivationPerImage * sizeof(float);
        Assert.Equal(112L * 112 * 96, EfficientNetB0.LargestActivationPerImage); // block 2's expansion at 112 x 112
        output.WriteLine($"{device}: maxStorageBufferBindingSize {device.Limits.MaxStorageBufferBindingSize}, MaxBatch {model.MaxBatch}");
        Assert.True((ulong)model.MaxBatch * perImage <= limit);
        Assert.True((ulong)(model.MaxBatch + 1) * perImage > limit);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Prepare(model.MaxBatch + 1));
    }
}
