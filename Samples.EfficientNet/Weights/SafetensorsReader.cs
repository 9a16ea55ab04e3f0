using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>
/// Reads safetensors files (F32, F16, BF16; also F64 and I64 for completeness) into float32 tensors.
/// Everything in the header is checked against the file before any data is read: the header length,
/// the JSON (strict UTF-8), each dtype/shape/byte-size triple, offsets inside the data section and not
/// overlapping; then the caller's <see cref="TensorSelector"/> sees the declared tensors, and only those it
/// picks are read.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>The safetensors specification caps the JSON header at 100 MB.</summary>
    private const long MaxHeaderLength = 100_000_000;

    /// <summary>Reads the tensors of the file, in header order.</summary>
    /// <param name="path">The file.</param>
    /// <param name="select">Checks the declared tensors before any data is read and picks those to read; null reads all.</param>
    /// <exception cref="WeightFormatException">The file is malformed; the message names the file and tensor.</exception>
    public static IReadOnlyDictionary<string, HostTensor> Read(string path, TensorSelector? select = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new WeightFormatException($"{path}: file not found.");

        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WeightFormatException($"{path}: cannot read the file ({ex.Message}).", ex);
        }
        using (handle)
        {
            try
            {
                return Read(handle, file, select);
            }
            catch (NotSupportedException ex)
            {
                throw new WeightFormatException($"{path}: not a regular file ({ex.Message}).", ex);
            }
        }
    }

    private static Dictionary<string, HostTensor> Read(SafeFileHandle handle, string file, TensorSelector? select)
    {
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
            throw new WeightFormatException($"{file}: not a safetensors file: {fileLength} bytes is shorter than the 8-byte header length.");

        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(handle, lengthBytes, 0, file);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength == 0 || headerLength > MaxHeaderLength)
            throw new WeightFormatException($"{file}: header length {headerLength} is outside 1..{MaxHeaderLength} bytes; not a safetensors file or corrupted.");
        if ((long)headerLength > fileLength - 8)
            throw new WeightFormatException($"{file}: header length {headerLength} runs past the end of the file ({fileLength} bytes); the file is truncated or the header lies.");

        byte[] headerBytes = new byte[headerLength];
        ReadExactly(handle, headerBytes, 8, file);
        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;

        List<Entry> entries = ParseHeader(headerBytes, file, dataLength);

        // Offsets may not overlap (sorted by start, each must begin at or after the previous end).
        Entry[] byStart = [.. entries.OrderBy(e => e.Begin).ThenBy(e => e.End)];
        for (int i = 1; i < byStart.Length; i++)
        {
            if (byStart[i].Begin < byStart[i - 1].End)
                throw new WeightFormatException(
                    $"{file}: tensor '{byStart[i].Name}' (bytes {byStart[i].Begin}..{byStart[i].End}) overlaps tensor '{byStart[i - 1].Name}' (bytes {byStart[i - 1].Begin}..{byStart[i - 1].End}).");
        }

        IReadOnlySet<string> wanted = WeightFile.Select(select, [.. entries.Select(e => new TensorHeader(e.Name, e.Shape, e.DType.ToString()))], file);
        var result = new Dictionary<string, HostTensor>(entries.Count, StringComparer.Ordinal);
        foreach (Entry e in entries)
        {
            if (!wanted.Contains(e.Name))
                continue;
            byte[] raw = new byte[e.End - e.Begin];
            ReadExactly(handle, raw, dataStart + e.Begin, file);
            float[] values = new float[e.ElementCount];
            ScalarConversion.ToSingle(e.DType, raw, values);
            result.Add(e.Name, new HostTensor(e.Name, e.Shape, values));
        }
        return result;
    }

    private static List<Entry> ParseHeader(byte[] headerBytes, string file, long dataLength)
    {
        // JsonDocument would fail on invalid UTF-8 in a name only when the name is read, with an exception of its own.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes))
        {
            int at = 0;
            try
            {
                _ = new System.Text.UTF8Encoding(false, true).GetCharCount(headerBytes);
            }
            catch (System.Text.DecoderFallbackException ex)
            {
                at = ex.Index;
            }
            throw new WeightFormatException($"{file}: the header is not valid UTF-8 (an invalid byte sequence near header byte {at}); tensor names must be UTF-8.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(headerBytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            throw new WeightFormatException($"{file}: the header is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new WeightFormatException($"{file}: the header must be a JSON object, found {doc.RootElement.ValueKind}.");

            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__")
                    continue;
                if (!seen.Add(p.Name))
                    throw new WeightFormatException($"{file}: tensor '{p.Name}' appears twice in the header.");
                entries.Add(ParseEntry(p, file, dataLength));
            }
            return entries;
        }
    }

    private static Entry ParseEntry(JsonProperty p, string file, long dataLength)
    {
        string name = p.Name;
        string where = $"{file}: tensor '{name}'";
        if (p.Value.ValueKind != JsonValueKind.Object)
            throw new WeightFormatException($"{where}: header entry must be an object.");

        if (!p.Value.TryGetProperty("dtype", out JsonElement dtypeEl) || dtypeEl.ValueKind != JsonValueKind.String)
            throw new WeightFormatException($"{where}: missing string 'dtype'.");
        string dtypeName = dtypeEl.GetString()!;
        StoredDType dtype = dtypeName switch
        {
            "F32" => StoredDType.F32,
            "F16" => StoredDType.F16,
            "BF16" => StoredDType.BF16,
            "F64" => StoredDType.F64,
            "I64" => StoredDType.I64,
            _ => throw new WeightFormatException($"{where}: unsupported dtype '{dtypeName}' (supported: F32, F16, BF16, F64, I64)."),
        };

        if (!p.Value.TryGetProperty("shape", out JsonElement shapeEl) || shapeEl.ValueKind != JsonValueKind.Array)
            throw new WeightFormatException($"{where}: missing array 'shape'.");
        var shape = new int[shapeEl.GetArrayLength()];
        int k = 0;
        foreach (JsonElement d in shapeEl.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out int dim) || dim < 0)
                throw new WeightFormatException($"{where}: shape entries must be non-negative 32-bit integers, found {d.GetRawText()}.");
            shape[k++] = dim;
        }
        long count = HostTensor.ElementCount(shape);
        if (count < 0)
            throw new WeightFormatException($"{where}: shape {HostTensor.FormatShape(shape)} has more than {int.MaxValue} elements.");
        WeightFile.CheckSize(where, shape, ScalarConversion.SizeOf(dtype));

        if (!p.Value.TryGetProperty("data_offsets", out JsonElement offEl) || offEl.ValueKind != JsonValueKind.Array || offEl.GetArrayLength() != 2)
            throw new WeightFormatException($"{where}: 'data_offsets' must be an array [begin, end].");
        JsonElement b = offEl[0], e = offEl[1];
        if (b.ValueKind != JsonValueKind.Number || e.ValueKind != JsonValueKind.Number
            || !b.TryGetInt64(out long begin) || !e.TryGetInt64(out long end) || begin < 0 || end < begin)
            throw new WeightFormatException($"{where}: 'data_offsets' [{b.GetRawText()}, {e.GetRawText()}] must be two integers with 0 <= begin <= end.");
        if (end > dataLength)
            throw new WeightFormatException($"{where}: data_offsets [{begin}, {end}] run past the data section ({dataLength} bytes); the file is truncated or the header lies.");
        long expectedBytes = count * ScalarConversion.SizeOf(dtype);
        if (end - begin != expectedBytes)
            throw new WeightFormatException($"{where}: {dtypeName} {HostTensor.FormatShape(shape)} needs {expectedBytes} bytes but data_offsets [{begin}, {end}] span {end - begin}.");

        return new Entry(name, dtype, shape, (int)count, begin, end);
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset, string file)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n;
            try
            {
                n = RandomAccess.Read(handle, buffer[done..], offset + done);
            }
            catch (IOException ex)
            {
                throw new WeightFormatException($"{file}: cannot read byte {offset + done} ({ex.Message}).", ex);
            }
            if (n <= 0)
                throw new WeightFormatException($"{file}: unexpected end of file at byte {offset + done}.");
            done += n;
        }
    }

    private sealed record Entry(string Name, StoredDType DType, int[] Shape, int ElementCount, long Begin, long End);
}
