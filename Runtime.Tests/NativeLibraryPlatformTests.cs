using System.Runtime.InteropServices;
using System.Xml.Linq;
using KernelGen.Interop.Dawn;

namespace KernelGen.Runtime.Tests;

/// <summary>
/// What the runtime knows about the Dawn builds per OS (file names, RIDs, npm origins) agrees with the pins the
/// build fetches and packs (build/KernelGen.Dawn.props), and its messages say what is missing on each OS.
/// </summary>
public class NativeLibraryPlatformTests
{
    [Fact]
    public void Shipped_table_matches_the_pins_in_build_props()
    {
        var props = XDocument.Load(Path.Combine(RepositoryRoot(), "build", "KernelGen.Dawn.props"));
        var pins = props.Descendants().Where(e => e.Name.LocalName == "KernelGenDawnNative")
            .Select(e => new ShippedDawn(e.Attribute("Include")!.Value, e.Attribute("File")!.Value, e.Attribute("Package")!.Value,
                e.Attribute("Version")!.Value, e.Attribute("Path")!.Value))
            .ToList();
        Assert.Equal(4, pins.Count);
        Assert.Equal(pins, WebGpuLibrary.Shipped);
    }

    [Theory]
    [InlineData("Linux", Architecture.X64, "linux-x64", "libwebgpu_wrapper.so")]
    [InlineData("Windows", Architecture.X64, "win-x64", "webgpu_wrapper.dll")]
    [InlineData("MacOS", Architecture.Arm64, "osx-arm64", "libwebgpu_wrapper.dylib")]
    [InlineData("MacOS", Architecture.X64, "osx-x64", "libwebgpu_wrapper.dylib")]
    [InlineData("Linux", Architecture.Arm64, "linux-arm64", "libwebgpu_wrapper.so")]
    public void Rid_and_file_name_follow_the_os_and_cpu(string osName, Architecture architecture, string rid, string fileName)
    {
        var os = Enum.Parse<DawnOs>(osName);
        Assert.Equal(rid, WebGpuLibrary.RidFor(os, architecture));
        Assert.Equal(fileName, WebGpuLibrary.FileNameFor(os));
        // Each shipped RID's file name is the one the package carries under runtimes/<rid>/native/.
        if (WebGpuLibrary.Shipped.FirstOrDefault(d => d.Rid == rid) is { } shipped) Assert.Equal(fileName, shipped.FileName);
    }

    [Fact]
    public void This_process_resolves_to_the_linux_x64_build()
    {
        Assert.Equal("linux-x64", WebGpuLibrary.Rid);
        Assert.Equal("libwebgpu_wrapper.so", WebGpuLibrary.FileName);
        Assert.Equal("bun-webgpu-linux-x64", WebGpuLibrary.ForThisProcess!.NpmPackage);
    }

    [Theory]
    [InlineData("Windows", "Visual C++ 2015-2022 Redistributable", "VCRUNTIME140_1.dll")]
    [InlineData("MacOS", "macOS 13", "osx-arm64 on Apple silicon")]
    [InlineData("Linux", "glibc 2.27", "musl")]
    public void Load_failure_hint_names_what_that_os_needs(string osName, string first, string second)
    {
        var hint = WebGpuLibrary.LoadFailureHint(Enum.Parse<DawnOs>(osName));
        Assert.Contains(first, hint, StringComparison.Ordinal);
        Assert.Contains(second, hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_exists_but_is_no_library_is_reported_with_the_loaders_reason_and_the_os_hint()
    {
        var bogus = Path.Combine(Path.GetTempPath(), $"kernelgen-not-a-library-{Environment.ProcessId}.so");
        File.WriteAllText(bogus, "not an ELF file");
        try
        {
            var message = WebGpuLibrary.MessageForCandidate(bogus);
            Assert.Contains("could not be loaded", message, StringComparison.Ordinal);
            Assert.Contains($"exists but failed to load", message, StringComparison.Ordinal);
            Assert.Contains(bogus, message, StringComparison.Ordinal);
            Assert.Contains("glibc 2.27", message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(bogus);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "KernelGen.sln"))) return dir.FullName;
        throw new InvalidOperationException($"KernelGen.sln not found above {AppContext.BaseDirectory}");
    }
}
