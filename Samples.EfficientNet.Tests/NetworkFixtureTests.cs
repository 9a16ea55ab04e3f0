using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Tests.Reference;
using Xunit.Abstractions;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>The whole network against PyTorch's float64 logits of the fixture.</summary>
public sealed class NetworkFixtureTests(ITestOutputHelper output)
{
    private const int Images = 8;

    [Fact]
    public void Reference_implementation_matches_the_PyTorch_logits()
    {
        float[] logits = ReferenceEfficientNet.Forward(Fixture.StateDict, Fixture.Inputs(Images), Images);
        (double max, int top1) = LogitComparison.Compare(logits, Fixture.ReferenceTensors["logits"].Data, Images, 1000);
        output.WriteLine($"reference: max_abs_diff={max:G4} top1_match={top1}/{Images}");
        Assert.Equal(Images, top1);
        Assert.True(max <= 1e-3, $"max abs diff {max}");
    }

    [Fact]
    public void Kernels_called_directly_on_the_CPU_match_the_PyTorch_logits()
    {
        EfficientNetB0Weights weights = EfficientNetB0Weights.FromStateDict(Fixture.StateDict, "fixture");
        float[] logits = DirectKernelNetwork.Forward(weights, Fixture.Inputs(Images), Images);
        (double max, int top1) = LogitComparison.Compare(logits, Fixture.ReferenceTensors["logits"].Data, Images, 1000);
        output.WriteLine($"kernels (direct CPU calls): max_abs_diff={max:G4} top1_match={top1}/{Images}");
        Assert.Equal(Images, top1);
        Assert.True(max <= 1e-3, $"max abs diff {max}");
    }

    [Fact]
    public void Pth_and_safetensors_weights_give_identical_logits()
    {
        float[] input = Fixture.Inputs(1);
        float[] fromSafetensors = DirectKernelNetwork.Forward(EfficientNetB0Weights.Load(Fixture.WeightsSafetensors), input, 1);
        float[] fromPth = DirectKernelNetwork.Forward(EfficientNetB0Weights.Load(Fixture.WeightsPth), input, 1);
        Assert.Equal(fromSafetensors, fromPth);
    }
}
