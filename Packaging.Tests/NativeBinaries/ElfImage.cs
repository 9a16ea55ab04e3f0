namespace KernelGen.Packaging.Tests.NativeBinaries;

/// <summary>
/// ELF64 little-endian: exports are the defined GLOBAL/WEAK symbols of default or protected visibility in
/// .dynsym (what the dynamic loader resolves against); imports are the DT_NEEDED entries of .dynamic.
/// </summary>
internal static class ElfImage
{
    private const uint SectionDynSym = 11;
    private const uint SectionDynamic = 6;
    private const long DtNeeded = 1;

    public static NativeBinary Read(byte[] b)
    {
        if (b[4] != 2 || b[5] != 1) throw new InvalidDataException("only 64-bit little-endian ELF is read here");
        var machine = NativeBinary.U16(b, 0x12) switch
        {
            0x3E => "x86-64",
            0xB7 => "arm64",
            var other => $"ELF machine 0x{other:X}",
        };
        var sectionTable = (long)NativeBinary.U64(b, 0x28);
        var entrySize = NativeBinary.U16(b, 0x3A);
        var count = NativeBinary.U16(b, 0x3C);
        (uint Type, long Offset, long Size, uint Link) Section(int i)
        {
            var at = sectionTable + (long)i * entrySize;
            return (NativeBinary.U32(b, at + 4), (long)NativeBinary.U64(b, at + 0x18), (long)NativeBinary.U64(b, at + 0x20), NativeBinary.U32(b, at + 0x28));
        }

        var exports = new HashSet<string>(StringComparer.Ordinal);
        var imports = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var section = Section(i);
            if (section.Type == SectionDynSym)
            {
                var strings = Section((int)section.Link).Offset;
                for (var at = section.Offset; at + 24 <= section.Offset + section.Size; at += 24)
                {
                    var name = NativeBinary.U32(b, at);
                    var info = b[at + 4];
                    var visibility = b[at + 5] & 3;
                    var sectionIndex = NativeBinary.U16(b, at + 6);
                    var binding = info >> 4;
                    if (sectionIndex == 0 || name == 0 || (binding != 1 && binding != 2) || (visibility != 0 && visibility != 3)) continue;
                    exports.Add(NativeBinary.CString(b, strings + name));
                }
            }
            else if (section.Type == SectionDynamic)
            {
                var strings = Section((int)section.Link).Offset;
                for (var at = section.Offset; at + 16 <= section.Offset + section.Size; at += 16)
                {
                    var tag = (long)NativeBinary.U64(b, at);
                    if (tag == 0) break;
                    if (tag == DtNeeded) imports.Add(NativeBinary.CString(b, strings + (long)NativeBinary.U64(b, at + 8)));
                }
            }
        }
        return new NativeBinary(BinaryFormat.Elf, machine, exports, imports, null);
    }
}
