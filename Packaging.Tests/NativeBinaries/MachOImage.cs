namespace KernelGen.Packaging.Tests.NativeBinaries;

/// <summary>
/// 64-bit Mach-O: exports are the terminal entries of the export trie dyld resolves symbols against
/// (LC_DYLD_EXPORTS_TRIE or LC_DYLD_INFO[_ONLY]); imports are the LC_LOAD_DYLIB / LC_LOAD_WEAK_DYLIB paths;
/// the minimum OS is LC_BUILD_VERSION's minos (or LC_VERSION_MIN_MACOSX's).
/// </summary>
internal static class MachOImage
{
    public const uint Magic64 = 0xFEEDFACF;
    private const uint LoadDylib = 0x0C;
    private const uint LoadWeakDylib = 0x80000018;
    private const uint DyldInfo = 0x22;
    private const uint DyldInfoOnly = 0x80000022;
    private const uint DyldExportsTrie = 0x80000033;
    private const uint BuildVersion = 0x32;
    private const uint VersionMinMacOs = 0x24;

    public static NativeBinary Read(byte[] b)
    {
        var machine = NativeBinary.U32(b, 4) switch
        {
            0x01000007 => "x86-64",
            0x0100000C => "arm64",
            var other => $"Mach-O CPU 0x{other:X}",
        };
        var commandCount = NativeBinary.U32(b, 16);
        long at = 32;
        long trieOffset = 0, trieSize = 0;
        Version? minimum = null;
        var imports = new List<string>();
        for (var i = 0; i < commandCount; i++)
        {
            var command = NativeBinary.U32(b, at);
            var size = NativeBinary.U32(b, at + 4);
            switch (command)
            {
                case LoadDylib or LoadWeakDylib:
                    imports.Add(NativeBinary.CString(b, at + NativeBinary.U32(b, at + 8)));
                    break;
                case DyldInfo or DyldInfoOnly when trieSize == 0:
                    trieOffset = NativeBinary.U32(b, at + 40);
                    trieSize = NativeBinary.U32(b, at + 44);
                    break;
                case DyldExportsTrie:
                    trieOffset = NativeBinary.U32(b, at + 8);
                    trieSize = NativeBinary.U32(b, at + 12);
                    break;
                case BuildVersion:
                    minimum = Decode(NativeBinary.U32(b, at + 12));
                    break;
                case VersionMinMacOs:
                    minimum ??= Decode(NativeBinary.U32(b, at + 8));
                    break;
            }
            at += size;
        }
        if (trieSize == 0) throw new InvalidDataException("no export trie (LC_DYLD_EXPORTS_TRIE / LC_DYLD_INFO)");

        var exports = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(long Node, string Prefix)>();
        pending.Push((0, ""));
        var visited = 0;
        while (pending.Count > 0)
        {
            var (node, prefix) = pending.Pop();
            if (++visited > 1_000_000 || node >= trieSize) throw new InvalidDataException("malformed export trie");
            var p = trieOffset + node;
            var terminalSize = Uleb(b, ref p);
            if (terminalSize != 0)
            {
                // Mach-O C symbols carry a leading underscore.
                exports.Add(prefix.StartsWith('_') ? prefix[1..] : prefix);
                p += (long)terminalSize;
            }
            var children = b[p++];
            for (var c = 0; c < children; c++)
            {
                var edge = NativeBinary.CString(b, p);
                p += System.Text.Encoding.UTF8.GetByteCount(edge) + 1;
                var child = (long)Uleb(b, ref p);
                pending.Push((child, prefix + edge));
            }
        }
        return new NativeBinary(BinaryFormat.MachO, machine, exports, imports, minimum);
    }

    private static Version Decode(uint packed) => new((int)(packed >> 16), (int)((packed >> 8) & 0xFF), (int)(packed & 0xFF));

    private static ulong Uleb(byte[] b, ref long p)
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var x = b[p++];
            value |= (ulong)(x & 0x7F) << shift;
            if ((x & 0x80) == 0) return value;
            shift += 7;
            if (shift > 63) throw new InvalidDataException("ULEB128 too long");
        }
    }
}
