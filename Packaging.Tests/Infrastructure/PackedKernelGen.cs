using System.Text.RegularExpressions;

namespace KernelGen.Packaging.Tests.Infrastructure;

/// <summary>
/// Packs KernelGen from this repository once per test run into a fresh local feed, with a version no
/// earlier run used (so no package cache anywhere can hold a stale copy), building in a temp folder
/// (so the repository's bin/obj are untouched).
/// </summary>
public sealed partial class PackedKernelGen : IDisposable
{
    /// <summary>Set to 1 to keep the temp folders of a run for inspection.</summary>
    public const string KeepFoldersVariable = "KERNELGEN_KEEP_TEST_PROJECTS";

    public PackedKernelGen()
    {
        Root = Directory.CreateTempSubdirectory("kernelgen-packaging-").FullName;
        Feed = Path.Combine(Root, "feed");
        var suffix = $"test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        Pack = CommandLine.Dotnet(RepositoryRoot.Path, null, TimeSpan.FromMinutes(5),
            "pack", RepositoryRoot.Combine("Runtime", "KernelGen.Runtime.csproj"), "-c", "Release", "-o", Feed,
            "--artifacts-path", Path.Combine(Root, "build"), $"-p:VersionSuffix={suffix}",
            "-nologo", "-tl:off", "--disable-build-servers");
        if (Pack.ExitCode != 0) throw new InvalidOperationException($"Packing KernelGen failed:\n{Pack}");
        var packages = Directory.GetFiles(Feed, "KernelGen.*.nupkg");
        if (packages.Length != 1) throw new InvalidOperationException($"Expected one KernelGen .nupkg in {Feed}, found: {string.Join(", ", packages)}\n{Pack}");
        PackagePath = packages[0];
        var match = PackageFileName().Match(Path.GetFileName(PackagePath));
        if (!match.Success) throw new InvalidOperationException($"Unexpected package file name {PackagePath}");
        Version = match.Groups["version"].Value;
        if (!Version.EndsWith(suffix, StringComparison.Ordinal)) throw new InvalidOperationException($"Package version {Version} lacks the run's suffix {suffix}");
    }

    /// <summary>The run's temp folder (outside the repository).</summary>
    public string Root { get; }

    /// <summary>The local feed holding the packed KernelGen package.</summary>
    public string Feed { get; }

    /// <summary>The .nupkg file.</summary>
    public string PackagePath { get; }

    /// <summary>The package version, e.g. 0.1.0-test.20261129142000.1234.</summary>
    public string Version { get; }

    /// <summary>The pack command and its output.</summary>
    public CommandResult Pack { get; }

    /// <summary>
    /// The machine's global packages folder: user projects restore into their own folder but may take
    /// other packages (the NativeAOT compiler, runtime packs) from here without network.
    /// </summary>
    public static string MachinePackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable(KeepFoldersVariable) == "1") return;
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"^KernelGen\.(?<version>\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?)\.nupkg$")]
    private static partial Regex PackageFileName();
}

/// <summary>Tests that need the packed package share one pack per run and run one at a time (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class PackedKernelGenCollection : ICollectionFixture<PackedKernelGen>
{
    public const string Name = "Packed KernelGen";
}
