using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The generator reuses translations across runs of one driver (as in the IDE) only while they are
/// exact: after every kind of edit, the warm driver's output equals a from-scratch run's.
/// </summary>
public class TranslationCacheTests
{
    public static TheoryData<string, string, string, string> Edits => new()
    {
        // file, old text, new text, a generated text that must appear afterwards
        { "Corpus/Convolution.cs", "public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));", "public static float Sigmoid(float x) => 1f / (2f + MathF.Exp(-x));", "return 1.0f / (2.0f + exp(-x));" },
        { "Corpus/Structs.cs", "public struct Box\n{\n    public Vector2 Min;", "public struct Box\n{\n    public Vector2 Extra;\n    public Vector2 Min;", "Extra: vec2<f32>," },
        { "Corpus/Structs.cs", "        box.Min -= new Vector2(by);", "        box.Min -= new Vector2(by * 2f);", "box.Min -= vec2<f32>(by * 2.0f);" },
        { "Corpus/Helpers.cs", "    private const float Epsilon = 1e-5f;", "    private const float Epsilon = 1e-6f;", "sqrt(variance + 1e-06f)" },
        { "Corpus/Elementwise.cs", "        int i = id.X;\n        if (i >= y.Length)\n            return;\n        float v = x[i];\n        y[i] = v / (1f + MathF.Exp(-v));",
          "        int i = id.X;\n\n\n        if (i >= y.Length)\n            return;\n        float v = x[i];\n        y[i] = v / (1f + MathF.Exp(-v));", "kernel KernelGen.Corpus.Elementwise.Relu (Elementwise.cs)." },
        { "Corpus/Ids.cs", "#nullable enable", "#nullable enable", "Ids.Volume3D" },
        { "Corpus/Elementwise.cs", "y[i] = v / (1f + MathF.Exp(-v));", "y[i] = v / (1.0f + MathF.Exp(-v)) + 0f;", "y[i] = v / (1.0f + exp(-v)) + 0.0f;" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void After_an_edit_a_warm_driver_produces_what_a_fresh_one_does(string file, string before, string after, string expected)
    {
        var compilation = Corpus.Compilation();
        var warm = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == file);
        var text = tree.GetText().ToString();
        if (before != after)
            Assert.Contains(before, text, StringComparison.Ordinal);
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text.Replace(before, after, StringComparison.Ordinal))));

        var warmSources = warm.RunGenerators(edited).GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        // Under an assembly name of its own, the fresh run shares no cache entry with the warm one: it translates everything.
        var freshSources = GeneratorHarness.Run(edited.WithAssemblyName("KernelGen.Corpus.Fresh" + Guid.NewGuid().ToString("N"))).Sources;

        Assert.Equal(freshSources.Keys.Order(), warmSources.Keys.Order());
        foreach (var (hint, source) in freshSources)
            Assert.Equal(source, warmSources[hint]);
        Assert.Contains(expected, string.Concat(warmSources.Values), StringComparison.Ordinal);
    }

    /// <summary>A compilation of the corpus under an assembly name of its own, so that no other test shares its cache entries.</summary>
    private static (Compilation Compilation, Func<int> Translations) OwnCorpus()
    {
        string name = "KernelGen.Corpus.Cache" + Guid.NewGuid().ToString("N");
        return (GeneratorHarness.Compile(Corpus.Files, name), () => KernelGenerator.TranslationCount(name));
    }

    [Fact]
    public void Only_kernels_whose_inputs_changed_are_translated_again()
    {
        var (compilation, translations) = OwnCorpus();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        int initial = translations();
        Assert.Equal(Corpus.KernelMethodCount, initial);

        // A body edit in a method no kernel calls: every translation is reused.
        var withOther = compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            "namespace Other; public static class Numbers { public static int Twice(int x) { return 2 * x; } }", GeneratorHarness.ParseOptions, "Other.cs"));
        driver = driver.RunGenerators(withOther);
        int afterNewFile = translations();
        Assert.Equal(2 * initial, afterNewFile); // a new file changes the declaration surface: all again
        var other = withOther.SyntaxTrees.Single(t => t.FilePath == "Other.cs");
        var bodyEdit = withOther.ReplaceSyntaxTree(other, other.WithChangedText(SourceText.From(other.GetText().ToString().Replace("2 * x", "3 * x", StringComparison.Ordinal))));
        driver = driver.RunGenerators(bodyEdit);
        Assert.Equal(afterNewFile, translations());

        // A body edit in one kernel: that kernel only, and its Parse step output alone is modified.
        var elementwise = bodyEdit.SyntaxTrees.Single(t => t.FilePath == "Corpus/Elementwise.cs");
        var kernelEdit = bodyEdit.ReplaceSyntaxTree(elementwise, elementwise.WithChangedText(SourceText.From(
            elementwise.GetText().ToString().Replace("MathF.Max(x[i], 0f)", "MathF.Max(x[i], 1f)", StringComparison.Ordinal))));
        driver = driver.RunGenerators(kernelEdit);
        Assert.Equal(afterNewFile + 1, translations());
        var parse = driver.GetRunResult().Results.Single().TrackedSteps[KernelGenerator.TrackingNames.Parse].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(initial, parse.Count);
        Assert.Single(parse, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(parse.Where(o => o.Reason != IncrementalStepRunReason.Modified), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));

        // A longer first kernel moves the file's other kernels without changing them: only it is translated.
        var elementwise2 = kernelEdit.SyntaxTrees.Single(t => t.FilePath == "Corpus/Elementwise.cs");
        var longerEdit = kernelEdit.ReplaceSyntaxTree(elementwise2, elementwise2.WithChangedText(SourceText.From(
            elementwise2.GetText().ToString().Replace("y[i] = v / (1f + MathF.Exp(-v));", "y[i] = v / (1.0f + MathF.Exp(-v));", StringComparison.Ordinal))));
        driver.RunGenerators(longerEdit);
        Assert.Equal(afterNewFile + 2, translations());
    }

    [Fact]
    public void The_cache_is_keyed_by_values_so_a_new_generator_instance_reuses_it()
    {
        // No state on the generator instance: a fresh generator and driver over an equal compilation (a new
        // compilation object, new trees of the same text) translate nothing again, and produce the same sources.
        var (compilation, translations) = OwnCorpus();
        var first = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single().GeneratedSources
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        int initial = translations();
        var again = GeneratorHarness.Compile(Corpus.Files, compilation.AssemblyName!);
        var second = GeneratorHarness.CreateDriver(new KernelGenerator()).RunGenerators(again).GetRunResult().Results.Single().GeneratedSources
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(initial, translations());
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach (var (hint, source) in first)
            Assert.Equal(source, second[hint]);
    }

    [Fact]
    public void The_generator_instance_has_no_fields()
    {
        var fields = typeof(KernelGenerator).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);
        Assert.Empty(fields);
    }
}
