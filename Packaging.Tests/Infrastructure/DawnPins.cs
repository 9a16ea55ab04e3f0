using System.Xml.Linq;

namespace KernelGen.Packaging.Tests.Infrastructure;

/// <summary>One Dawn build pinned in build/KernelGen.Dawn.props.</summary>
public sealed record DawnPin(string Rid, string Package, string Version, string TarballSha256, string File, string Sha256, string Path)
{
    /// <summary>Where the package carries it.</summary>
    public string PackagePath => $"runtimes/{Rid}/native/{File}";

    /// <summary>Where the build and scripts/setup-native.sh put it in this repository.</summary>
    public string RepositoryFile => RepositoryRoot.Combine([".native", .. Path.Split('/')]);
}

/// <summary>The pins of build/KernelGen.Dawn.props, the one list of what the package ships.</summary>
internal static class DawnPins
{
    public static IReadOnlyList<DawnPin> All { get; } = Load();

    private static List<DawnPin> Load()
    {
        var props = XDocument.Load(RepositoryRoot.Combine("build", "KernelGen.Dawn.props"));
        string Attribute(XElement e, string name) => e.Attribute(name)?.Value ?? throw new InvalidDataException($"KernelGen.Dawn.props: {e} lacks {name}");
        return props.Descendants().Where(e => e.Name.LocalName == "KernelGenDawnNative")
            .Select(e => new DawnPin(Attribute(e, "Include"), Attribute(e, "Package"), Attribute(e, "Version"), Attribute(e, "TarballSha256"),
                Attribute(e, "File"), Attribute(e, "Sha256"), Attribute(e, "Path")))
            .ToList();
    }
}
