using KernelGen.Generator.Tests.Infrastructure;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The corpus (every construct of the kernel language) generates exactly the WGSL and C# kept in
/// Snapshots/, compiles cleanly, and raises no diagnostic.
/// </summary>
public class CorpusSnapshotTests
{
    [Theory]
    [MemberData(nameof(Corpus.KernelNames), MemberType = typeof(Corpus))]
    public void Kernel_wgsl_matches_its_snapshot(string kernel)
        => Snapshot.Match(kernel + ".wgsl", Corpus.Run.Wgsl[kernel]);

    [Theory]
    [MemberData(nameof(Corpus.GeneratedFiles), MemberType = typeof(Corpus))]
    public void Generated_csharp_matches_its_snapshot(string hintName)
        => Snapshot.Match(hintName + ".txt", Corpus.Run.Sources[hintName]);

    [Fact]
    public void Every_snapshot_belongs_to_a_generated_kernel_or_file()
    {
        var expected = Corpus.Run.Wgsl.Keys.Select(k => k + ".wgsl")
            .Concat(Corpus.Run.Sources.Keys.Select(h => h + ".txt"))
            .Order(StringComparer.Ordinal);
        var present = Directory.GetFiles(Snapshot.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, present!);
    }

    [Fact]
    public void Corpus_has_at_least_forty_kernels_and_no_diagnostics()
    {
        Assert.Null(Corpus.Run.Exception);
        Assert.Empty(Corpus.Run.Diagnostics);
        Assert.True(Corpus.Run.Wgsl.Count >= 40, $"only {Corpus.Run.Wgsl.Count} kernels");
        Assert.Equal(CountKernelAttributes(), Corpus.KernelMethodCount);
    }

    [Fact]
    public void Corpus_with_generated_code_compiles_without_errors_or_warnings()
        => Assert.Empty(Corpus.Run.OutputProblems.Select(d => d.ToString()));

    [Fact]
    public void Catalog_lists_every_corpus_kernel_in_name_order()
    {
        var catalog = Corpus.Run.Sources["KernelGen.KernelCatalog.g.cs"];
        var listed = catalog.Split('\n').Where(l => l.TrimStart().StartsWith("global::KernelGen.Corpus.", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.Equal(Corpus.Run.Wgsl.Count, listed.Count);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
    }

    private static int CountKernelAttributes()
        => Corpus.Files.Sum(f => f.Text.Split('\n').Count(l => l.TrimStart().StartsWith("[Kernel", StringComparison.Ordinal)));
}
