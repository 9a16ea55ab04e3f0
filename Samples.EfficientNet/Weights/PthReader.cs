using System.IO.Compression;

namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>
/// Reads PyTorch <c>torch.save</c> zip archives (<c>&lt;top&gt;/data.pkl</c> + <c>&lt;top&gt;/data/&lt;key&gt;</c>
/// storages) holding a state dict, through <see cref="RestrictedUnpickler"/>. The top folder name may be
/// anything. Tensors must be contiguous views of their storage.
/// </summary>
/// <remarks>
/// Memory stays bounded by what is materialized: the pickle is capped, every tensor's name, dtype and shape go
/// through the caller's <see cref="TensorSelector"/> before any storage is opened, each storage is streamed once
/// (never held whole) with only the selected views copied out, and views that overlap (several names onto the
/// same bytes, which would multiply a small file into many copies) are refused. Every entry read has its
/// CRC-32 checked; encrypted entries are refused.
/// </remarks>
public static class PthReader
{
    /// <summary>A state dict's pickle is a few hundred kilobytes; 64 MiB leaves room for very large models.</summary>
    private const long MaxPickleBytes = 64L << 20;

    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads the tensors of the state dict, in pickle order.</summary>
    /// <param name="path">The archive.</param>
    /// <param name="select">Checks the declared tensors before any storage is read and picks those to read; null reads all.</param>
    /// <exception cref="WeightFormatException">The archive is malformed or unsafe; the message names the file and tensor.</exception>
    public static IReadOnlyDictionary<string, HostTensor> Read(string path, TensorSelector? select = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string file = Path.GetFileName(path);
        if (!File.Exists(path))
            throw new WeightFormatException($"{path}: file not found.");

        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw new WeightFormatException($"{file}: not a PyTorch zip archive ({ex.Message}). Legacy (pre-1.6) non-zip .pth files are not supported; re-save with torch.save.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new WeightFormatException($"{path}: cannot read the file as a zip archive ({ex.Message}).", ex);
        }

        using (zip)
        {
            foreach (ZipArchiveEntry e in zip.Entries)
            {
                if (e.IsEncrypted)
                    throw new WeightFormatException($"{file}: archive entry '{e.FullName}' is encrypted; encrypted weight files are not supported.");
            }
            ZipArchiveEntry[] pickles = [.. zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)];
            if (pickles.Length != 1)
                throw new WeightFormatException($"{file}: expected exactly one '<folder>/data.pkl' in the archive, found {pickles.Length}.");
            ZipArchiveEntry pickleEntry = pickles[0];
            string prefix = pickleEntry.FullName[..^"data.pkl".Length];

            object? root = RestrictedUnpickler.Load(ReadEntry(pickleEntry, file, pickleEntry.FullName, MaxPickleBytes), file);
            if (root is not PickledDict dict)
                throw new WeightFormatException($"{file}: the pickle does not hold a state dict (a dict of name -> tensor).");

            // First everything the pickle declares, checked without touching a storage.
            var declared = new List<(string Name, PickledTensor Tensor)>(dict.Items.Count);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (KeyValuePair<object?, object?> item in dict.Items)
            {
                if (item.Key is not string name)
                    throw new WeightFormatException($"{file}: state dict key {item.Key ?? "None"} is not a string.");
                if (item.Value is not PickledTensor t)
                    throw new WeightFormatException($"{file}: state dict entry '{name}' is not a tensor.");
                if (!names.Add(name))
                    throw new WeightFormatException($"{file}: tensor '{name}' appears twice.");
                CheckView($"{file}: tensor '{name}'", t);
                declared.Add((name, t));
            }
            IReadOnlySet<string> wanted = WeightFile.Select(
                select, [.. declared.Select(d => new TensorHeader(d.Name, d.Tensor.Shape, DTypeName(d.Tensor.Storage.DType)))], file);

            // Then each storage once, copying out only the selected views.
            var read = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
            foreach (IGrouping<string, (string Name, PickledTensor Tensor)> group in declared.Where(d => wanted.Contains(d.Name)).GroupBy(d => d.Tensor.Storage.Key, StringComparer.Ordinal))
                ReadStorage(zip, prefix, file, group.Key, [.. group], read);

            var result = new Dictionary<string, HostTensor>(read.Count, StringComparer.Ordinal);
            foreach ((string name, _) in declared)
            {
                if (read.TryGetValue(name, out HostTensor? t))
                    result.Add(name, t);
            }
            return result;
        }
    }

    private static string DTypeName(StoredDType t) => t.ToString();

    private static void CheckView(string where, PickledTensor t)
    {
        int elementSize = ScalarConversion.SizeOf(t.Storage.DType);
        WeightFile.CheckSize(where, t.Shape, elementSize);
        long count = HostTensor.ElementCount(t.Shape);

        // Only contiguous (row-major) views are supported; dimensions of size 1 may carry any stride.
        long expected = 1;
        for (int i = t.Shape.Length - 1; i >= 0; i--)
        {
            if (t.Shape[i] != 1 && t.Stride[i] != expected)
                throw new WeightFormatException($"{where}: non-contiguous tensor (shape {HostTensor.FormatShape(t.Shape)}, stride ({string.Join(", ", t.Stride)})); save it with .contiguous().");
            expected *= t.Shape[i];
        }

        PickledStorage s = t.Storage;
        if (t.StorageOffset < 0 || t.StorageOffset > s.ElementCount || count > s.ElementCount - t.StorageOffset)
            throw new WeightFormatException($"{where}: view [offset {t.StorageOffset}, {count} elements] exceeds its storage '{s.Key}' of {s.ElementCount} elements.");
    }

    private static void ReadStorage(ZipArchive zip, string prefix, string file, string key, (string Name, PickledTensor Tensor)[] views, Dictionary<string, HostTensor> into)
    {
        PickledStorage s = views[0].Tensor.Storage;
        string first = $"{file}: tensor '{views[0].Name}'";
        foreach ((string name, PickledTensor t) in views)
        {
            if (t.Storage.DType != s.DType || t.Storage.ElementCount != s.ElementCount)
                throw new WeightFormatException(
                    $"{file}: tensors '{views[0].Name}' and '{name}' declare storage '{key}' differently ({s.DType} x {s.ElementCount} and {t.Storage.DType} x {t.Storage.ElementCount}).");
        }
        int elementSize = ScalarConversion.SizeOf(s.DType);
        string entryName = prefix + "data/" + key;
        ZipArchiveEntry entry = zip.GetEntry(entryName)
            ?? throw new WeightFormatException($"{first}: storage '{entryName}' is missing from the archive.");
        if (s.ElementCount > WeightFile.MaxTensorBytes / elementSize)
            throw new WeightFormatException($"{first}: storage '{entryName}' declares {s.ElementCount} x {elementSize} bytes; storages over 2 GiB are not supported.");
        if (entry.Length != s.ElementCount * elementSize)
            throw new WeightFormatException($"{first}: storage '{entryName}' has {entry.Length} bytes but the pickle declares {s.ElementCount} x {elementSize} = {s.ElementCount * elementSize}.");

        // Views of one storage must not overlap: aliasing would let one stored byte become many materialized ones.
        (string Name, PickledTensor Tensor, long Begin, long End)[] byOffset =
            [.. views.Select(v => (v.Name, v.Tensor, v.Tensor.StorageOffset * elementSize, (v.Tensor.StorageOffset + HostTensor.ElementCount(v.Tensor.Shape)) * elementSize))
                .OrderBy(v => v.Item3).ThenBy(v => v.Item4)];
        for (int i = 1; i < byOffset.Length; i++)
        {
            if (byOffset[i].Begin < byOffset[i - 1].End)
                throw new WeightFormatException(
                    $"{file}: tensors '{byOffset[i - 1].Name}' and '{byOffset[i].Name}' overlap in storage '{key}'; aliased tensors are not supported (save each with .clone()).");
        }

        byte[][] raw = [.. byOffset.Select(v => new byte[v.End - v.Begin])];
        int next = 0;
        StreamEntry(entry, file, entryName, (chunk, position) =>
        {
            long chunkEnd = position + chunk.Length;
            for (int i = next; i < byOffset.Length && byOffset[i].Begin < chunkEnd; i++)
            {
                long from = Math.Max(byOffset[i].Begin, position), to = Math.Min(byOffset[i].End, chunkEnd);
                if (from < to)
                    chunk[(int)(from - position)..(int)(to - position)].CopyTo(raw[i].AsSpan((int)(from - byOffset[i].Begin)));
                if (byOffset[i].End <= chunkEnd && i == next)
                    next++;
            }
        });

        for (int i = 0; i < byOffset.Length; i++)
        {
            (string name, PickledTensor t, _, _) = byOffset[i];
            float[] values = new float[HostTensor.ElementCount(t.Shape)];
            ScalarConversion.ToSingle(s.DType, raw[i], values);
            raw[i] = [];
            into.Add(name, new HostTensor(name, t.Shape, values));
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string file, string what, long maxLength)
    {
        if (entry.Length > maxLength)
            throw new WeightFormatException($"{file}: archive entry '{what}' is {entry.Length} bytes, more than the {maxLength} allowed.");
        var buffer = new byte[entry.Length];
        StreamEntry(entry, file, what, (chunk, position) => chunk.CopyTo(buffer.AsSpan((int)position)));
        return buffer;
    }

    private delegate void ChunkSink(ReadOnlySpan<byte> chunk, long position);

    /// <summary>Streams an entry through <paramref name="sink"/> in chunks, checking its length and CRC-32.</summary>
    private static void StreamEntry(ZipArchiveEntry entry, string file, string what, ChunkSink sink)
    {
        byte[] chunk = new byte[(int)Math.Min(ChunkBytes, Math.Max(entry.Length, 1))];
        var crc = new ZipCrc32();
        long position = 0;
        try
        {
            using Stream s = entry.Open();
            while (position < entry.Length)
            {
                int want = (int)Math.Min(chunk.Length, entry.Length - position);
                s.ReadExactly(chunk, 0, want);
                crc.Append(chunk.AsSpan(0, want));
                sink(chunk.AsSpan(0, want), position);
                position += want;
            }
            if (s.ReadByte() != -1)
                throw new WeightFormatException($"{file}: archive entry '{what}' is longer than its declared {entry.Length} bytes.");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new WeightFormatException($"{file}: archive entry '{what}' is corrupt or truncated ({ex.Message}).", ex);
        }
        if (crc.Value != entry.Crc32)
            throw new WeightFormatException($"{file}: archive entry '{what}' fails its CRC-32 check (stored 0x{entry.Crc32:X8}, computed 0x{crc.Value:X8}); the file is corrupt.");
    }
}
