using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The pipeline's models are value-equatable: edits that do not change a kernel leave every tracked
/// step cached or unchanged, and a one-kernel edit regenerates only that kernel's file.
/// </summary>
public class IncrementalityTests
{
    private static readonly string[] steps =
    [
        KernelGenerator.TrackingNames.Parse,
        KernelGenerator.TrackingNames.Kernels,
        KernelGenerator.TrackingNames.KernelTypes,
        KernelGenerator.TrackingNames.Catalog,
        KernelGenerator.TrackingNames.Diagnostics,
    ];

    private static (GeneratorDriver Driver, Compilation Compilation) Warm()
    {
        var compilation = Corpus.Compilation();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        return (driver, compilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, Compilation compilation)
        => driver.RunGenerators(compilation).GetRunResult().Results.Single();

    private static Compilation Edit(Compilation compilation, string file, Func<string, string> edit)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == file);
        var text = tree.GetText().ToString();
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(edit(text))));
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        Assert.Null(result.Exception);
        foreach (var name in steps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} was not tracked");
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} output was {reason}");
            }
        }
        foreach (var output in result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"an output step was {output.Reason}");
    }

    [Fact]
    public void A_comment_leaves_every_step_cached_or_unchanged()
    {
        var (driver, compilation) = Warm();
        var edited = Edit(compilation, "Corpus/Elementwise.cs", t => t + "\n// a comment at the end\n");
        AssertAllCachedOrUnchanged(Rerun(driver, edited));
    }

    [Fact]
    public void A_blank_line_above_a_kernel_leaves_every_step_cached_or_unchanged()
    {
        // No line numbers in the generated text or the models: moving a kernel down changes nothing generated.
        var (driver, compilation) = Warm();
        var edited = Edit(compilation, "Corpus/Elementwise.cs", t => t.Replace("public static partial class Elementwise\n{\n", "public static partial class Elementwise\n{\n\n\n", StringComparison.Ordinal));
        Assert.NotEqual(compilation.SyntaxTrees.Single(t => t.FilePath == "Corpus/Elementwise.cs").GetText().ToString(),
            edited.SyntaxTrees.Single(t => t.FilePath == "Corpus/Elementwise.cs").GetText().ToString());
        AssertAllCachedOrUnchanged(Rerun(driver, edited));
    }

    [Fact]
    public void A_new_ordinary_method_leaves_every_step_cached_or_unchanged()
    {
        var (driver, compilation) = Warm();
        var edited = Edit(compilation, "Corpus/Convolution.cs", t => t + "\nnamespace KernelGen.Corpus { public static class Unrelated { public static int Twice(int x) => 2 * x; } }\n");
        AssertAllCachedOrUnchanged(Rerun(driver, edited));
    }

    [Fact]
    public void A_new_unrelated_file_leaves_every_step_cached_or_unchanged()
    {
        var (driver, compilation) = Warm();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Other; public static class Numbers { public const int Answer = 42; }", GeneratorHarness.ParseOptions, "Other.cs"));
        AssertAllCachedOrUnchanged(Rerun(driver, edited));
    }

    [Fact]
    public void Editing_one_kernel_regenerates_only_its_type()
    {
        var (driver, compilation) = Warm();
        var edited = Edit(compilation, "Corpus/Elementwise.cs", t => t.Replace("y[i] = MathF.Max(x[i], 0f);", "y[i] = MathF.Max(x[i], 0.5f);", StringComparison.Ordinal));
        var result = Rerun(driver, edited);

        var modifiedKernels = result.TrackedSteps[KernelGenerator.TrackingNames.Kernels]
            .SelectMany(s => s.Outputs)
            .Where(o => o.Reason == IncrementalStepRunReason.Modified)
            .Select(o => (string?)o.Value.GetType().GetProperty("FullName")!.GetValue(o.Value))
            .ToList();
        Assert.Equal(["KernelGen.Corpus.Elementwise.Relu"], modifiedKernels);

        var regenerated = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Count(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.Equal(1, regenerated);
        Assert.Contains("max_f32(x[i], 0.5f)", result.GeneratedSources.Single(s => s.HintName == "KernelGen.Corpus.Elementwise.Kernels.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }
}
