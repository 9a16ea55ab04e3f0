namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// The generator's WGSL snapshots (Generator.Tests/Snapshots) are valid WGSL for Dawn, and they are
/// exactly what the built generator emits for the corpus compiled into this assembly.
/// </summary>
public class SnapshotCompilationTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const string CorpusNamespace = CorpusCatalog.Namespace;

    /// <summary>Every *.wgsl file of the snapshot folder, by file name.</summary>
    public static TheoryData<string> SnapshotFiles()
    {
        var files = Directory.GetFiles(RepositoryPaths.Snapshots, "*.wgsl").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 0, $"No *.wgsl snapshot in '{RepositoryPaths.Snapshots}'.");
        return new TheoryData<string>(files!);
    }

    /// <summary>Every kernel of the generated catalog, by name.</summary>
    public static TheoryData<string> CatalogKernels() => new(CorpusCatalog.Kernels.Select(k => k.Name));

    [Theory]
    [MemberData(nameof(SnapshotFiles))]
    public void Snapshot_compiles_on_Dawn_without_error(string file)
    {
        var path = Path.Combine(RepositoryPaths.Snapshots, file);
        var kernel = CatalogKernelOf(file);
        // The snapshot text itself is compiled (not the catalog's copy), with the kernel's binding layout.
        var fromSnapshot = new KernelInfo
        {
            Name = kernel.Name,
            SourceLocation = path,
            Wgsl = File.ReadAllText(path),
            EntryPoint = kernel.EntryPoint,
            WorkgroupSizeX = kernel.WorkgroupSizeX,
            WorkgroupSizeY = kernel.WorkgroupSizeY,
            WorkgroupSizeZ = kernel.WorkgroupSizeZ,
            Bindings = kernel.Bindings,
            UniformSize = kernel.UniformSize,
            SharedArrays = kernel.SharedArrays,
            UsesBarriers = kernel.UsesBarriers,
            UsesF16 = kernel.UsesF16,
            UsesSubgroups = kernel.UsesSubgroups,
            Cpu = kernel.Cpu,
            SpecializationConstants = kernel.SpecializationConstants,
            WorkgroupSizeXFrom = kernel.WorkgroupSizeXFrom,
            WorkgroupSizeYFrom = kernel.WorkgroupSizeYFrom,
            WorkgroupSizeZFrom = kernel.WorkgroupSizeZFrom,
        };
        fixture.Device.Compile(fromSnapshot, SampleConstants.For(kernel)); // throws GpuCompilationException with Dawn's messages
    }

    [Theory]
    [MemberData(nameof(CatalogKernels))]
    public void Catalog_wgsl_equals_its_snapshot(string kernelName)
    {
        var kernel = CorpusCatalog.Kernels.Single(k => k.Name == kernelName);
        Assert.StartsWith(CorpusNamespace, kernel.Name);
        var path = Path.Combine(RepositoryPaths.Snapshots, SnapshotName(kernel.Name)[CorpusNamespace.Length..] + ".wgsl");
        Assert.True(File.Exists(path), $"{kernel.Name} ({kernel.SourceLocation}) has no snapshot '{path}'.");
        // Line endings are normalised only in case a checkout converted them; everything else is exact.
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), kernel.Wgsl.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_snapshot_belongs_to_a_catalog_kernel()
    {
        var snapshots = Directory.GetFiles(RepositoryPaths.Snapshots, "*.wgsl").Select(f => CorpusNamespace + Path.GetFileNameWithoutExtension(f)).ToHashSet();
        var catalog = CorpusCatalog.Kernels.Select(k => SnapshotName(k.Name)).ToHashSet();
        Assert.Empty(snapshots.Except(catalog).Order(StringComparer.Ordinal));
        Assert.Empty(catalog.Except(snapshots).Order(StringComparer.Ordinal));
    }

    /// <summary>A kernel's snapshot name: a generic kernel's module <c>K&lt;float&gt;</c> is <c>K_float</c> (as its Kernels member).</summary>
    private static string SnapshotName(string kernelName)
        => kernelName.EndsWith('>') ? kernelName[..kernelName.IndexOf('<')] + "_" + kernelName[(kernelName.IndexOf('<') + 1)..^1] : kernelName;

    private static KernelInfo CatalogKernelOf(string file)
    {
        var name = CorpusNamespace + Path.GetFileNameWithoutExtension(file);
        return CorpusCatalog.Kernels.SingleOrDefault(k => SnapshotName(k.Name) == name)
            ?? throw new Xunit.Sdk.XunitException($"Snapshot '{file}' has no kernel '{name}' in KernelCatalog.All (a stale snapshot?).");
    }
}
