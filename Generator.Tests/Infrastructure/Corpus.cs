using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.Generator.Tests.Infrastructure;

/// <summary>The kernel corpus (Corpus/*.cs, copied next to the test assembly) and one generator run over it.</summary>
public static class Corpus
{
    private static readonly Lazy<IReadOnlyList<(string Path, string Text)>> files = new(() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.cs")
            .Order(StringComparer.Ordinal)
            .Select(f => ("Corpus/" + Path.GetFileName(f), File.ReadAllText(f)))
            .ToList());

    private static readonly Lazy<GeneratorRun> run = new(() => GeneratorHarness.Run(Compilation()));

    /// <summary>The corpus files: (path as compiled, text).</summary>
    public static IReadOnlyList<(string Path, string Text)> Files => files.Value;

    /// <summary>A fresh compilation of the corpus.</summary>
    public static CSharpCompilation Compilation() => GeneratorHarness.Compile(Files);

    /// <summary>The generator run over the corpus (shared by the tests; it is immutable).</summary>
    public static GeneratorRun Run => run.Value;

    /// <summary>"Type.Method" of every corpus kernel.</summary>
    public static TheoryData<string> KernelNames => [.. Run.Wgsl.Keys];

    /// <summary>Hint names of the generated files.</summary>
    public static TheoryData<string> GeneratedFiles => [.. Run.Sources.Keys.Order(StringComparer.Ordinal)];
}
