using System.Buffers.Binary;

namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>The element types weight files may store, and their widening to float32.</summary>
internal enum StoredDType
{
    F32,
    F16,
    BF16,
    F64,
    I64,
}

/// <summary>Widens little-endian stored elements to float32.</summary>
internal static class ScalarConversion
{
    public static int SizeOf(StoredDType type) => type switch
    {
        StoredDType.F32 => 4,
        StoredDType.F16 => 2,
        StoredDType.BF16 => 2,
        StoredDType.F64 => 8,
        StoredDType.I64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Converts <paramref name="source"/> (exactly <c>destination.Length</c> elements) to float32.</summary>
    public static void ToSingle(StoredDType type, ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (source.Length != destination.Length * SizeOf(type))
            throw new ArgumentException("Source byte count does not match the element count.", nameof(source));
        switch (type)
        {
            case StoredDType.F32:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                break;
            case StoredDType.F16:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(2 * i)..]);
                break;
            case StoredDType.BF16:
                // bfloat16 is the upper half of a float32.
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]) << 16);
                break;
            case StoredDType.F64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                break;
            case StoredDType.I64:
                for (int i = 0; i < destination.Length; i++)
                    destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }
}
