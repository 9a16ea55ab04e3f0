using System.Buffers.Binary;
using System.Text;

namespace KernelGen.Packaging.Tests.NativeBinaries;

/// <summary>The container format of a shared library.</summary>
public enum BinaryFormat
{
    Elf,
    Pe,
    MachO,
}

/// <summary>
/// What a shared library offers and needs, read from its own headers: the exported symbol names (C names,
/// without Mach-O's leading underscore), the CPU it is built for, the DLLs/shared objects it imports by name
/// and, for Mach-O, the minimum OS version it declares.
/// </summary>
public sealed record NativeBinary(BinaryFormat Format, string Machine, IReadOnlySet<string> Exports, IReadOnlyList<string> Imports, Version? MinimumOs)
{
    /// <summary>Reads an ELF (64-bit little-endian), PE32+ or 64-bit Mach-O image; throws on anything else.</summary>
    public static NativeBinary Read(byte[] image)
    {
        if (image.Length >= 4 && image[0] == 0x7F && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F') return ElfImage.Read(image);
        if (image.Length >= 2 && image[0] == (byte)'M' && image[1] == (byte)'Z') return PeImage.Read(image);
        if (image.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(image) == MachOImage.Magic64) return MachOImage.Read(image);
        throw new InvalidDataException("not an ELF, PE or 64-bit Mach-O image (a fat Mach-O or a 32-bit image is not expected here)");
    }

    internal static ushort U16(byte[] b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(checked((int)at), 2));

    internal static uint U32(byte[] b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(checked((int)at), 4));

    internal static ulong U64(byte[] b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(checked((int)at), 8));

    /// <summary>A NUL-terminated string (ASCII/UTF-8) at a file offset.</summary>
    internal static string CString(byte[] b, long at)
    {
        var start = checked((int)at);
        var end = Array.IndexOf(b, (byte)0, start);
        if (end < 0) throw new InvalidDataException($"unterminated string at offset {at}");
        return Encoding.UTF8.GetString(b, start, end - start);
    }
}
