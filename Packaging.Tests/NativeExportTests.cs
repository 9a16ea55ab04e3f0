using System.IO.Compression;
using System.Security.Cryptography;
using KernelGen.Packaging.Tests.Infrastructure;
using KernelGen.Packaging.Tests.NativeBinaries;

namespace KernelGen.Packaging.Tests;

/// <summary>
/// The Dawn binaries inside the packed KernelGen package, read with the tests' own ELF, PE and Mach-O readers:
/// each is the pinned file, built for its RID, exports every entry point the packed runtime assembly imports,
/// and needs only what the documentation says it needs. No Windows or macOS machine runs here, so these
/// checks stand in for loading the library there: a binding that adds an entry point one platform's Dawn
/// lacks fails here.
/// </summary>
[Collection(PackedKernelGenCollection.Name)]
public sealed class NativeExportTests(PackedKernelGen package)
{
    private const string DawnLibraryName = "webgpu_wrapper";

    private static readonly Dictionary<string, (BinaryFormat Format, string Machine)> Expected = new()
    {
        ["linux-x64"] = (BinaryFormat.Elf, "x86-64"),
        ["win-x64"] = (BinaryFormat.Pe, "x86-64"),
        ["osx-arm64"] = (BinaryFormat.MachO, "arm64"),
        ["osx-x64"] = (BinaryFormat.MachO, "x86-64"),
    };

    [Fact]
    public void Package_carries_the_pinned_dawn_build_for_each_of_the_four_rids()
    {
        Assert.Equal(["linux-x64", "osx-arm64", "osx-x64", "win-x64"], DawnPins.All.Select(p => p.Rid).Order(StringComparer.Ordinal));
        foreach (var pin in DawnPins.All)
        {
            var bytes = Entry(pin.PackagePath);
            Assert.True(Convert.ToHexStringLower(SHA256.HashData(bytes)) == pin.Sha256,
                $"{pin.PackagePath} in the package is not the file pinned for {pin.Rid} ({pin.Package}@{pin.Version}, SHA-256 {pin.Sha256})");
        }
    }

    [Fact]
    public void Each_binary_is_built_for_its_rid()
    {
        foreach (var pin in DawnPins.All)
        {
            var binary = NativeBinary.Read(Entry(pin.PackagePath));
            Assert.Equal(Expected[pin.Rid], (binary.Format, binary.Machine));
        }
    }

    [Fact]
    public void Every_entry_point_the_runtime_imports_is_exported_by_every_shipped_binary()
    {
        var declared = DeclaredByPackedRuntime();
        // Not vacuous: the binding imports dozens of entry points, the first of them wgpuCreateInstance.
        Assert.Contains("wgpuCreateInstance", declared);
        Assert.Contains("wgpuInstanceWaitAny", declared);
        Assert.True(declared.Count >= 40, $"only {declared.Count} entry points found in the packed KernelGen.Runtime.dll: {string.Join(", ", declared)}");

        var missing = new List<string>();
        foreach (var pin in DawnPins.All)
        {
            var exports = NativeBinary.Read(Entry(pin.PackagePath)).Exports;
            var lacking = declared.Where(name => !exports.Contains(name)).Order(StringComparer.Ordinal).ToList();
            if (lacking.Count > 0) missing.Add($"{pin.Rid} ({pin.PackagePath}) lacks {string.Join(", ", lacking)}");
        }
        Assert.True(missing.Count == 0, "The runtime imports entry points a shipped Dawn does not export:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void The_four_binaries_export_the_same_wgpu_api()
    {
        var sets = DawnPins.All.ToDictionary(p => p.Rid,
            p => NativeBinary.Read(Entry(p.PackagePath)).Exports.Where(n => n.StartsWith("wgpu", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal));
        // The count measured on all four (bun-webgpu 0.1.5/0.1.7, one Dawn commit); a reader that finds nothing fails here.
        Assert.All(sets, s => Assert.True(s.Value.Count == 253, $"{s.Key}: {s.Value.Count} wgpu* exports, expected 253"));
        var linux = sets["linux-x64"];
        foreach (var (rid, names) in sets)
        {
            Assert.True(names.SetEquals(linux),
                $"{rid} differs from linux-x64: only in {rid}: {string.Join(", ", names.Except(linux))}; only in linux-x64: {string.Join(", ", linux.Except(names))}");
        }
        Assert.DoesNotContain("wgpuNotAnEntryPoint", linux);
    }

    [Fact]
    public void Windows_dll_needs_only_the_vc_runtime_beyond_windows_itself()
    {
        var dll = NativeBinary.Read(Entry(DawnPins.All.Single(p => p.Rid == "win-x64").PackagePath));
        var system = new[] { "KERNEL32.dll", "USER32.dll", "ADVAPI32.dll", "ntdll.dll", "dbghelp.dll" };
        var vcRuntime = new[] { "VCRUNTIME140.dll", "VCRUNTIME140_1.dll", "MSVCP140.dll" };
        var others = dll.Imports.Where(i => !system.Contains(i, StringComparer.OrdinalIgnoreCase) && !vcRuntime.Contains(i, StringComparer.OrdinalIgnoreCase)
            && !i.StartsWith("api-ms-win-crt-", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(others.Count == 0, $"webgpu_wrapper.dll imports more than docs/troubleshooting.md says: {string.Join(", ", others)}");
        Assert.All(vcRuntime, v => Assert.Contains(v, dll.Imports, StringComparer.OrdinalIgnoreCase));
        // Vulkan and the HLSL compiler are loaded on demand, so a machine without them still loads Dawn (and gets D3D12 or Vulkan).
        Assert.DoesNotContain(dll.Imports, i => i.StartsWith("vulkan-1", StringComparison.OrdinalIgnoreCase) || i.StartsWith("d3dcompiler", StringComparison.OrdinalIgnoreCase)
            || i.StartsWith("dxcompiler", StringComparison.OrdinalIgnoreCase) || i.StartsWith("d3d12", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Macos_dylibs_need_macos_13_and_link_metal()
    {
        foreach (var pin in DawnPins.All.Where(p => p.Rid.StartsWith("osx-", StringComparison.Ordinal)))
        {
            var dylib = NativeBinary.Read(Entry(pin.PackagePath));
            Assert.True(dylib.MinimumOs == new Version(13, 0, 0), $"{pin.Rid}: minimum macOS {dylib.MinimumOs}, the docs say 13.0");
            Assert.Contains(dylib.Imports, i => i.Contains("/Metal.framework/", StringComparison.Ordinal));
            Assert.DoesNotContain(dylib.Imports, i => !i.StartsWith("/System/Library/", StringComparison.Ordinal) && !i.StartsWith("/usr/lib/", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Linux_library_needs_only_the_c_and_cpp_runtime()
    {
        var so = NativeBinary.Read(Entry(DawnPins.All.Single(p => p.Rid == "linux-x64").PackagePath));
        Assert.Equal(["ld-linux-x86-64.so.2", "libc.so.6", "libdl.so.2", "libgcc_s.so.1", "libm.so.6", "libpthread.so.0", "libstdc++.so.6"], so.Imports.Order(StringComparer.Ordinal));
    }

    private HashSet<string> DeclaredByPackedRuntime()
    {
        using var stream = new MemoryStream(Entry("lib/net10.0/KernelGen.Runtime.dll"));
        return [.. DeclaredEntryPoints.Read(stream, DawnLibraryName)];
    }

    private byte[] Entry(string path)
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var entry = zip.GetEntry(path) ?? throw new InvalidOperationException($"{path} is not in {package.PackagePath}");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
