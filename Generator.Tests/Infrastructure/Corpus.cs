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

    /// <summary>How many [Kernel] methods made the corpus's modules (a generic kernel makes one module per type argument).</summary>
    public static int KernelMethodCount => Run.Wgsl.Values.Select(KernelOfModule).Distinct().Count();

    /// <summary>The C# kernel a module was made from, without a generic kernel's type argument (its header names it).</summary>
    private static string KernelOfModule(string wgsl)
    {
        var header = wgsl.Split('\n')[0];
        var name = header.Substring(0, header.LastIndexOf(',')).Split(' ').Last();
        return name.Contains('<') ? name.Substring(0, name.IndexOf('<')) : name;
    }

    /// <summary>Hint names of the generated files.</summary>
    public static TheoryData<string> GeneratedFiles => [.. Run.Sources.Keys.Order(StringComparer.Ordinal)];
}
