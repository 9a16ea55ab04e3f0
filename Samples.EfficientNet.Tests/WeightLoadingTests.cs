using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>Reading the fixture's weight files, and the schema check against the model.</summary>
public sealed class WeightLoadingTests
{
    [Fact]
    public void Schema_lists_the_311_torchvision_tensors()
    {
        Assert.Equal(311, EfficientNetB0Schema.Expected.Count);
        Assert.Equal(311, EfficientNetB0Schema.Expected.Select(e => e.Name).Distinct().Count());
        Assert.Contains(EfficientNetB0Schema.Expected, e => e.Name == "features.1.0.block.1.fc1.weight" && e.Shape.SequenceEqual([8, 32, 1, 1]));
        Assert.Contains(EfficientNetB0Schema.Expected, e => e.Name == "features.6.3.block.1.0.weight" && e.Shape.SequenceEqual([1152, 1, 5, 5]));
        Assert.Contains(EfficientNetB0Schema.Expected, e => e.Name == "features.7.0.block.3.0.weight" && e.Shape.SequenceEqual([320, 1152, 1, 1]));
    }

    [Fact]
    public void Safetensors_and_pth_fixtures_load_identically_and_match_the_schema()
    {
        IReadOnlyDictionary<string, HostTensor> st = Fixture.StateDict;
        IReadOnlyDictionary<string, HostTensor> pth = PthReader.Read(Fixture.WeightsPth);
        Assert.Equal(311, st.Count);
        Assert.Equal(st.Keys.Order(StringComparer.Ordinal), pth.Keys.Order(StringComparer.Ordinal));
        foreach ((string name, HostTensor t) in st)
        {
            Assert.Equal(t.Shape, pth[name].Shape);
            Assert.True(t.Data.AsSpan().SequenceEqual(pth[name].Data), $"{name} differs between the two files");
        }
        EfficientNetB0Schema.Validate(st, "safetensors");
        EfficientNetB0Schema.Validate(pth, "pth");
        // The fixture's BatchNorm statistics are calibrated, not the trivial 0/1: folding has work to do.
        Assert.Contains(st["features.0.1.running_var"].Data, v => v != 1f);
    }

    [Fact]
    public void Pth_top_folder_name_does_not_matter()
    {
        using var dir = new TempDirectory();
        string renamed = dir.File("renamed.pth");
        PthArchiveBuilder.CopyWithTopFolder(Fixture.WeightsPth, renamed, "efficientnet_b0_rwightman-7f5810bc");
        IReadOnlyDictionary<string, HostTensor> pth = WeightFile.Read(renamed);
        Assert.Equal(Fixture.StateDict["classifier.1.weight"].Data, pth["classifier.1.weight"].Data);
    }

    [Fact]
    public void Missing_unexpected_and_misshaped_tensors_are_all_listed()
    {
        var dict = Fixture.StateDict.ToDictionary();
        dict.Remove("features.3.1.block.2.fc1.bias");
        dict["features.0.0.weight"] = new HostTensor("features.0.0.weight", [32, 3, 5, 5], new float[32 * 3 * 25]);
        dict["features.9.0.weight"] = new HostTensor("features.9.0.weight", [4], new float[4]);
        dict["features.0.1.num_batches_tracked"] = new HostTensor("features.0.1.num_batches_tracked", [], [0f]);

        var ex = Assert.Throws<WeightFormatException>(() => EfficientNetB0Weights.FromStateDict(dict, "edited.safetensors"));
        Assert.Contains("edited.safetensors does not match torchvision efficientnet_b0", ex.Message);
        Assert.Contains("missing (1):", ex.Message);
        Assert.Contains("features.3.1.block.2.fc1.bias [10]", ex.Message);
        Assert.Contains("unexpected (1):", ex.Message);
        Assert.Contains("features.9.0.weight [4]", ex.Message);
        Assert.Contains("wrong shape (1):", ex.Message);
        Assert.Contains("features.0.0.weight: expected [32, 3, 3, 3], found [32, 3, 5, 5]", ex.Message);
        Assert.DoesNotContain("num_batches_tracked", ex.Message);
    }

    [Fact]
    public void BatchNorm_is_folded_into_the_convolution_with_eps_1e5()
    {
        var dict = EfficientNetB0Weights.RandomStateDict(1).ToDictionary();
        float[] gamma = dict["features.0.1.weight"].Data, beta = dict["features.0.1.bias"].Data;
        float[] mean = dict["features.0.1.running_mean"].Data, variance = dict["features.0.1.running_var"].Data;
        gamma[5] = 2f; beta[5] = 0.5f; mean[5] = 0.25f; variance[5] = 3f;
        EfficientNetB0Weights w = EfficientNetB0Weights.FromStateDict(dict, "edited");
        double scale = 2.0 / Math.Sqrt(3.0 + 1e-5);
        float original = dict["features.0.0.weight"].Data[5 * 27 + 4];
        Assert.Equal((float)(original * scale), w.Stem.Weight[5 * 27 + 4]);
        Assert.Equal((float)(0.5 - 0.25 * scale), w.Stem.Bias[5]);
    }
}
