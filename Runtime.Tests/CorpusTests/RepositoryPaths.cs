namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Folders of the repository the tests read (found by walking up to KernelGen.sln, never by a fixed path).</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> root = new(FindRoot);

    /// <summary>The repository root: the nearest folder above the test binaries holding KernelGen.sln.</summary>
    public static string Root => root.Value;

    /// <summary>The generator's WGSL snapshots (Generator.Tests/Snapshots).</summary>
    public static string Snapshots => Path.Combine(Root, "Generator.Tests", "Snapshots");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "KernelGen.sln"))) return folder.FullName;
        }
        throw new DirectoryNotFoundException($"No KernelGen.sln in '{AppContext.BaseDirectory}' or any folder above it; the corpus tests run from inside the repository.");
    }
}
