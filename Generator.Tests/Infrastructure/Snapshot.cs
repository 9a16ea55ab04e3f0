namespace KernelGen.Generator.Tests.Infrastructure;

/// <summary>
/// Compares text with a snapshot file under Generator.Tests/Snapshots in the source tree. With
/// KERNELGEN_ACCEPT_SNAPSHOTS=1 a missing or different snapshot is (re)written instead of failing.
/// </summary>
public static class Snapshot
{
    private static readonly Lazy<string> directory = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KernelGen.sln")))
                return Path.Combine(dir.FullName, "Generator.Tests", "Snapshots");
        }
        throw new InvalidOperationException($"No KernelGen.sln above {AppContext.BaseDirectory}: cannot find the snapshot folder.");
    });

    /// <summary>Generator.Tests/Snapshots in the source tree.</summary>
    public static string Directory => directory.Value;

    public static bool Accepting => Environment.GetEnvironmentVariable("KERNELGEN_ACCEPT_SNAPSHOTS") == "1";

    /// <summary>Asserts that <paramref name="actual"/> equals the snapshot <paramref name="name"/>, byte for byte.</summary>
    public static void Match(string name, string actual)
    {
        var path = Path.Combine(Directory, name);
        if (!File.Exists(path))
        {
            if (Accepting)
            {
                File.WriteAllText(path, actual);
                return;
            }
            Assert.Fail($"Snapshot {name} does not exist. Run the tests with KERNELGEN_ACCEPT_SNAPSHOTS=1 to create it, then review it. Actual:\n{actual}");
        }
        var expected = File.ReadAllText(path);
        if (expected == actual)
            return;
        if (Accepting)
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.Fail($"Output differs from snapshot {name} (set KERNELGEN_ACCEPT_SNAPSHOTS=1 to accept the new output):\n{Diff(expected, actual)}");
    }

    /// <summary>A short line diff: the first differing line with two lines of context.</summary>
    public static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        int first = 0;
        while (first < e.Length && first < a.Length && e[first] == a[first])
            first++;
        var lines = new List<string>();
        for (int i = Math.Max(0, first - 2); i < first; i++)
            lines.Add($"   {i + 1,4}  {e[i]}");
        for (int i = first; i < Math.Min(e.Length, first + 3); i++)
            lines.Add($"-  {i + 1,4}  {e[i]}");
        for (int i = first; i < Math.Min(a.Length, first + 3); i++)
            lines.Add($"+  {i + 1,4}  {a[i]}");
        lines.Add($"(expected {e.Length} lines, actual {a.Length} lines)");
        return string.Join("\n", lines);
    }
}
