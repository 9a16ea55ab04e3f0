using System.IO.Compression;
using System.Text;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>Writes pickle opcodes and <c>torch.save</c>-style zip archives for the loader tests.</summary>
internal sealed class PickleBuilder
{
    private readonly MemoryStream bytes = new();

    public PickleBuilder Op(byte op) { bytes.WriteByte(op); return this; }

    public PickleBuilder Proto() => Op(0x80).Op(2);

    public PickleBuilder Mark() => Op(0x28);

    public PickleBuilder Str(string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        Op(0x58);
        bytes.Write(BitConverter.GetBytes(b.Length));
        bytes.Write(b);
        return this;
    }

    public PickleBuilder Int(int v)
    {
        Op(0x4A);
        bytes.Write(BitConverter.GetBytes(v));
        return this;
    }

    public PickleBuilder Global(string module, string name)
    {
        Op(0x63);
        bytes.Write(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));
        return this;
    }

    public PickleBuilder IntTuple(params int[] values)
    {
        Mark();
        foreach (int v in values) Int(v);
        return Op(0x74);
    }

    /// <summary>One <c>_rebuild_tensor_v2</c> call on a HalfStorage, as torch.save writes it.</summary>
    public PickleBuilder Tensor(string key, int storageNumel, int offset, int[] shape, int[] stride)
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        Mark().Str("storage").Global("torch", "HalfStorage").Str(key).Str("cpu").Int(storageNumel).Op(0x74).Op(0x51); // TUPLE, BINPERSID
        Int(offset).IntTuple(shape).IntTuple(stride).Op(0x89); // NEWFALSE
        Global("collections", "OrderedDict").Op(0x29).Op(0x52); // EMPTY_TUPLE, REDUCE
        Op(0x74); // TUPLE of the arguments
        return Op(0x52); // REDUCE
    }

    public byte[] ToArray() => bytes.ToArray();

    /// <summary>A state dict <c>{name: tensor}</c> with one F16 tensor of <paramref name="shape"/>.</summary>
    public static byte[] StateDict(params (string Name, string Key, int StorageNumel, int Offset, int[] Shape)[] tensors)
    {
        var p = new PickleBuilder().Proto().Op(0x7D).Mark();
        foreach ((string name, string key, int numel, int offset, int[] shape) in tensors)
        {
            int[] stride = new int[shape.Length];
            int s = 1;
            for (int i = shape.Length - 1; i >= 0; i--) { stride[i] = s; s *= shape[i]; }
            p.Str(name).Tensor(key, numel, offset, shape, stride);
        }
        return p.Op(0x75).Op(0x2E).ToArray();
    }

    public static byte[] OneTensorStateDict(string name, int storageNumel, int offset, int[] shape, int[] stride) =>
        new PickleBuilder().Proto().Op(0x7D).Mark().Str(name).Tensor("0", storageNumel, offset, shape, stride).Op(0x75).Op(0x2E).ToArray();
}

internal static class PthArchiveBuilder
{
    /// <summary>Writes a zip with <c>{top}/data.pkl</c> and <c>{top}/data/{key}</c> entries.</summary>
    public static string Write(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]> storages, string top = "archive", CompressionLevel level = CompressionLevel.NoCompression)
    {
        using FileStream fs = File.Create(path);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Create);
        Add(zip, $"{top}/data.pkl", pickle, level);
        foreach ((string key, byte[] data) in storages)
            Add(zip, $"{top}/data/{key}", data, level);
        return path;
    }

    /// <summary>Sets the "encrypted" bit (general purpose flag bit 0) of every entry, in local and central headers.</summary>
    public static void MarkEncrypted(string path)
    {
        byte[] b = File.ReadAllBytes(path);
        for (int i = 0; i + 8 < b.Length; i++)
        {
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 3 && b[i + 3] == 4) b[i + 6] |= 1; // local file header
            if (b[i] == 'P' && b[i + 1] == 'K' && b[i + 2] == 1 && b[i + 3] == 2) b[i + 8] |= 1; // central directory
        }
        File.WriteAllBytes(path, b);
    }

    /// <summary>Copies a zip, renaming its top folder.</summary>
    public static void CopyWithTopFolder(string source, string destination, string top)
    {
        using ZipArchive src = ZipFile.OpenRead(source);
        using FileStream fs = File.Create(destination);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Create);
        foreach (ZipArchiveEntry e in src.Entries)
        {
            using var ms = new MemoryStream();
            using (Stream s = e.Open()) s.CopyTo(ms);
            Add(zip, top + e.FullName[e.FullName.IndexOf('/', StringComparison.Ordinal)..], ms.ToArray());
        }
    }

    private static void Add(ZipArchive zip, string name, byte[] data, CompressionLevel level = CompressionLevel.NoCompression)
    {
        using Stream s = zip.CreateEntry(name, level).Open();
        s.Write(data);
    }
}

/// <summary>A temporary directory deleted after the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => System.IO.Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kg-effnet-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
