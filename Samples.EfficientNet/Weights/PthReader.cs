using System.IO.Compression;

namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>
/// Reads PyTorch <c>torch.save</c> zip archives (<c>&lt;top&gt;/data.pkl</c> + <c>&lt;top&gt;/data/&lt;key&gt;</c>
/// storages) holding a state dict, through <see cref="RestrictedUnpickler"/>. The top folder name may be
/// anything. Tensors must be contiguous views of their storage.
/// </summary>
public static class PthReader
{
    /// <summary>Reads every tensor of the state dict, in pickle order.</summary>
    /// <exception cref="WeightFormatException">The archive is malformed or unsafe; the message names the file and tensor.</exception>
    public static IReadOnlyDictionary<string, HostTensor> Read(string path)
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

        using (zip)
        {
            ZipArchiveEntry[] pickles = [.. zip.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)];
            if (pickles.Length != 1)
                throw new WeightFormatException($"{file}: expected exactly one '<folder>/data.pkl' in the archive, found {pickles.Length}.");
            ZipArchiveEntry pickleEntry = pickles[0];
            string prefix = pickleEntry.FullName[..^"data.pkl".Length];

            object? root = RestrictedUnpickler.Load(ReadEntry(pickleEntry, file, "data.pkl", 256L << 20), file);
            if (root is not PickledDict dict)
                throw new WeightFormatException($"{file}: the pickle does not hold a state dict (a dict of name -> tensor).");

            var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var result = new Dictionary<string, HostTensor>(dict.Items.Count, StringComparer.Ordinal);
            foreach (KeyValuePair<object?, object?> item in dict.Items)
            {
                if (item.Key is not string name)
                    throw new WeightFormatException($"{file}: state dict key {item.Key ?? "None"} is not a string.");
                if (item.Value is not PickledTensor t)
                    throw new WeightFormatException($"{file}: state dict entry '{name}' is not a tensor.");
                if (result.ContainsKey(name))
                    throw new WeightFormatException($"{file}: tensor '{name}' appears twice.");
                result.Add(name, Materialize(zip, prefix, file, name, t, storages));
            }
            return result;
        }
    }

    private static HostTensor Materialize(ZipArchive zip, string prefix, string file, string name, PickledTensor t, Dictionary<string, byte[]> storages)
    {
        string where = $"{file}: tensor '{name}'";
        long count = HostTensor.ElementCount(t.Shape);
        if (count < 0)
            throw new WeightFormatException($"{where}: shape {HostTensor.FormatShape(t.Shape)} is too large.");

        // Only contiguous (row-major) views are supported; dimensions of size 1 may carry any stride.
        long expected = 1;
        for (int i = t.Shape.Length - 1; i >= 0; i--)
        {
            if (t.Shape[i] != 1 && t.Stride[i] != expected)
                throw new WeightFormatException($"{where}: non-contiguous tensor (shape {HostTensor.FormatShape(t.Shape)}, stride ({string.Join(", ", t.Stride)})); save it with .contiguous().");
            expected *= t.Shape[i];
        }

        PickledStorage s = t.Storage;
        int elementSize = ScalarConversion.SizeOf(s.DType);
        if (t.StorageOffset < 0 || t.StorageOffset + count > s.ElementCount)
            throw new WeightFormatException($"{where}: view [offset {t.StorageOffset}, {count} elements] exceeds its storage '{s.Key}' of {s.ElementCount} elements.");

        if (!storages.TryGetValue(s.Key, out byte[]? bytes))
        {
            string entryName = prefix + "data/" + s.Key;
            ZipArchiveEntry entry = zip.GetEntry(entryName)
                ?? throw new WeightFormatException($"{where}: storage '{entryName}' is missing from the archive.");
            if (entry.Length != s.ElementCount * elementSize)
                throw new WeightFormatException($"{where}: storage '{entryName}' has {entry.Length} bytes but the pickle declares {s.ElementCount} x {elementSize} = {s.ElementCount * elementSize}.");
            bytes = ReadEntry(entry, file, entryName, int.MaxValue);
            storages.Add(s.Key, bytes);
        }

        float[] values = new float[count];
        ScalarConversion.ToSingle(s.DType, bytes.AsSpan((int)(t.StorageOffset * elementSize), (int)(count * elementSize)), values);
        return new HostTensor(name, t.Shape, values);
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string file, string what, long maxLength)
    {
        if (entry.Length > maxLength)
            throw new WeightFormatException($"{file}: archive entry '{what}' is {entry.Length} bytes, more than the {maxLength} allowed.");
        var buffer = new byte[entry.Length];
        try
        {
            using Stream s = entry.Open();
            s.ReadExactly(buffer);
            if (s.ReadByte() != -1)
                throw new WeightFormatException($"{file}: archive entry '{what}' is longer than its declared {entry.Length} bytes.");
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new WeightFormatException($"{file}: archive entry '{what}' is corrupt or truncated ({ex.Message}).", ex);
        }
        return buffer;
    }
}
