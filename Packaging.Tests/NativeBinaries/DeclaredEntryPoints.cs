using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace KernelGen.Packaging.Tests.NativeBinaries;

/// <summary>
/// The native entry points an assembly imports from one library, read from its metadata's ImplMap table: every
/// [DllImport], including the ones the LibraryImport generator emits behind each [LibraryImport] method. This is
/// what the runtime will ask the loader for, whatever the source looks like.
/// </summary>
public static class DeclaredEntryPoints
{
    public static IReadOnlySet<string> Read(Stream assembly, string libraryName)
    {
        using var pe = new PEReader(assembly, PEStreamOptions.LeaveOpen | PEStreamOptions.PrefetchEntireImage);
        var reader = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.MethodDefinitions)
        {
            var import = reader.GetMethodDefinition(handle).GetImport();
            if (import.Module.IsNil) continue;
            if (reader.GetString(reader.GetModuleReference(import.Module).Name) != libraryName) continue;
            names.Add(reader.GetString(import.Name));
        }
        return names;
    }
}
