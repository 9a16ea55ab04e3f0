using KernelGen.Generated;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>The generator corpus's kernels among the generated catalog of this assembly (which may hold test kernels too).</summary>
internal static class CorpusCatalog
{
    /// <summary>The corpus's namespace, the prefix of every corpus kernel's name.</summary>
    public const string Namespace = "KernelGen.Corpus.";

    /// <summary>Every kernel of Generator.Tests/Corpus, as the built generator made it.</summary>
    public static IEnumerable<KernelInfo> Kernels => KernelCatalog.All.Where(k => k.Name.StartsWith(Namespace, StringComparison.Ordinal));
}
