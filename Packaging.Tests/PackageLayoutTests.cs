using System.IO.Compression;
using System.Xml.Linq;
using KernelGen.Packaging.Tests.Infrastructure;

namespace KernelGen.Packaging.Tests;

/// <summary>What the KernelGen .nupkg holds and declares.</summary>
[Collection(PackedKernelGenCollection.Name)]
public sealed class PackageLayoutTests(PackedKernelGen package)
{
    [Fact]
    public void Package_holds_runtime_docs_generator_as_analyzer_dawn_for_each_rid_and_readme()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var files = zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
        [
            "KernelGen.nuspec",
            "README.md",
            "analyzers/dotnet/cs/KernelGen.Generator.dll",
            "buildTransitive/KernelGen.targets",
            "lib/net10.0/KernelGen.Runtime.dll",
            "lib/net10.0/KernelGen.Runtime.xml",
            "runtimes/linux-x64/native/libwebgpu_wrapper.so",
            "runtimes/osx-arm64/native/libwebgpu_wrapper.dylib",
            "runtimes/osx-x64/native/libwebgpu_wrapper.dylib",
            "runtimes/win-x64/native/webgpu_wrapper.dll",
        ], files);
        foreach (var pin in DawnPins.All)
            Assert.Equal(new FileInfo(pin.RepositoryFile).Length, zip.GetEntry(pin.PackagePath)!.Length);
    }

    [Fact]
    public void Nuspec_declares_version_license_readme_repository_and_no_dependencies()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        using var stream = zip.GetEntry("KernelGen.nuspec")!.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        XElement Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name);

        Assert.Equal("KernelGen", Value("id"));
        Assert.Equal(package.Version, Value("version"));
        Assert.StartsWith(VersionPrefixFromDirectoryBuildProps() + "-", package.Version, StringComparison.Ordinal);
        Assert.Equal("expression", Element("license").Attribute("type")!.Value);
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("git", Element("repository").Attribute("type")!.Value);
        Assert.Matches("^[0-9a-f]{40}$", Element("repository").Attribute("commit")!.Value);
        // The generator and Roslyn are build-time only: a user's app depends on nothing else.
        var dependencies = Element("dependencies").Descendants().Where(e => e.Name.LocalName == "dependency").ToList();
        Assert.Empty(dependencies);
    }

    [Fact]
    public void Readme_in_the_package_is_the_docs_package_readme()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        using var reader = new StreamReader(zip.GetEntry("README.md")!.Open());
        Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("docs", "package-readme.md")), reader.ReadToEnd());
    }

    private static string VersionPrefixFromDirectoryBuildProps()
    {
        var props = XDocument.Load(RepositoryRoot.Combine("Directory.Build.props"));
        return props.Descendants().Single(e => e.Name.LocalName == "VersionPrefix").Value;
    }
}
