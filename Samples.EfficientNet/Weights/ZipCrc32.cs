namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>
/// The zip CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), computed incrementally: System.IO.Compression
/// does not check an entry's CRC when reading, so a corrupted storage would otherwise load.
/// </summary>
internal struct ZipCrc32
{
    private static readonly uint[] Table = BuildTable();

    private uint state;

    public ZipCrc32() => state = 0xFFFFFFFFu;

    /// <summary>The CRC of the bytes appended so far.</summary>
    public readonly uint Value => ~state;

    /// <summary>Adds <paramref name="data"/> to the checksum.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        uint c = state;
        uint[] table = Table;
        foreach (byte b in data)
            c = table[(c ^ b) & 0xFF] ^ (c >> 8);
        state = c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
