namespace KernelGen.Packaging.Tests.Infrastructure;

/// <summary>The repository this test assembly was built from (the folder holding KernelGen.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "KernelGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"KernelGen.sln not found above {AppContext.BaseDirectory}");
    }
}
