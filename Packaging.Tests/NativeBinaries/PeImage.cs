namespace KernelGen.Packaging.Tests.NativeBinaries;

/// <summary>
/// PE32+ (64-bit Windows DLL): exports are the names of the export directory's name table; imports are the
/// DLL names of the import directory (load-time dependencies; DLLs loaded with LoadLibrary are not listed).
/// </summary>
internal static class PeImage
{
    public static NativeBinary Read(byte[] b)
    {
        var pe = NativeBinary.U32(b, 0x3C);
        if (NativeBinary.U32(b, pe) != 0x00004550) throw new InvalidDataException("no PE signature");
        var coff = pe + 4;
        var machine = NativeBinary.U16(b, coff) switch
        {
            0x8664 => "x86-64",
            0xAA64 => "arm64",
            0x14C => "x86",
            var other => $"PE machine 0x{other:X}",
        };
        var sectionCount = NativeBinary.U16(b, coff + 2);
        var optionalSize = NativeBinary.U16(b, coff + 16);
        var optional = coff + 20;
        if (NativeBinary.U16(b, optional) != 0x20B) throw new InvalidDataException("not a PE32+ image");
        var directories = optional + 112;
        var sections = optional + optionalSize;

        long Offset(uint rva)
        {
            for (var i = 0; i < sectionCount; i++)
            {
                var s = sections + i * 40;
                var virtualSize = NativeBinary.U32(b, s + 8);
                var virtualAddress = NativeBinary.U32(b, s + 12);
                var rawSize = NativeBinary.U32(b, s + 16);
                var rawPointer = NativeBinary.U32(b, s + 20);
                if (rva >= virtualAddress && rva < virtualAddress + Math.Max(virtualSize, rawSize)) return rawPointer + (rva - virtualAddress);
            }
            throw new InvalidDataException($"RVA 0x{rva:X} lies in no section");
        }

        var exports = new HashSet<string>(StringComparer.Ordinal);
        var exportRva = NativeBinary.U32(b, directories);
        if (exportRva != 0)
        {
            var directory = Offset(exportRva);
            var nameCount = NativeBinary.U32(b, directory + 24);
            var names = Offset(NativeBinary.U32(b, directory + 32));
            for (var i = 0; i < nameCount; i++) exports.Add(NativeBinary.CString(b, Offset(NativeBinary.U32(b, names + i * 4))));
        }

        var imports = new List<string>();
        var importRva = NativeBinary.U32(b, directories + 8);
        if (importRva != 0)
        {
            for (var descriptor = Offset(importRva); ; descriptor += 20)
            {
                var nameRva = NativeBinary.U32(b, descriptor + 12);
                if (nameRva == 0) break;
                imports.Add(NativeBinary.CString(b, Offset(nameRva)));
            }
        }
        return new NativeBinary(BinaryFormat.Pe, machine, exports, imports, null);
    }
}
