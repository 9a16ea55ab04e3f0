using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// Weight files built to exhaust memory, hide corruption or smuggle bad values: each is refused with a
/// message naming the problem, before the memory it asks for is allocated. The files are made here, never committed.
/// </summary>
public sealed class HostileWeightFileTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static byte[] Half(int count, float value)
    {
        byte[] b = new byte[count * 2];
        for (int i = 0; i < count; i++) BinaryPrimitives.WriteHalfLittleEndian(b.AsSpan(2 * i), (Half)value);
        return b;
    }

    private static WeightFormatException Refused(Func<object> read) => Assert.Throws<WeightFormatException>(read);

    [Fact]
    public void Many_names_onto_one_storage_are_refused_as_aliasing()
    {
        // Six names viewing the same bytes of one storage: materializing each would multiply the storage.
        byte[] pickle = PickleBuilder.StateDict([.. Enumerable.Range(0, 6).Select(i => ($"t{i}", "0", 1024, 0, (int[])[1024]))]);
        string path = PthArchiveBuilder.Write(dir.File("alias.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = Half(1024, 1f) });
        var ex = Refused(() => WeightFile.Read(path));
        Assert.Contains("alias.pth: tensors 't0' and 't1' overlap in storage '0'; aliased tensors are not supported", ex.Message);
    }

    [Fact]
    public void Disjoint_views_of_one_storage_still_load()
    {
        byte[] pickle = PickleBuilder.StateDict(("a", "0", 6, 0, [2]), ("b", "0", 6, 2, [4]));
        byte[] storage = new byte[12];
        for (int i = 0; i < 6; i++) BinaryPrimitives.WriteHalfLittleEndian(storage.AsSpan(2 * i), (Half)(i + 1));
        string path = PthArchiveBuilder.Write(dir.File("split.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = storage });
        var t = WeightFile.Read(path);
        Assert.Equal([1f, 2f], t["a"].Data);
        Assert.Equal([3f, 4f, 5f, 6f], t["b"].Data);
    }

    [Fact]
    public void Schema_is_checked_before_any_storage_is_read()
    {
        // A mis-shaped tensor whose storage is not even in the archive: the schema error comes first,
        // so no byte of a storage the schema would reject is ever read.
        byte[] pickle = PickleBuilder.StateDict(("features.0.0.weight", "0", 1 << 28, 0, [1 << 28]));
        string path = PthArchiveBuilder.Write(dir.File("misshaped.pth"), pickle, new Dictionary<string, byte[]>());
        var ex = Refused(() => EfficientNetB0Weights.Load(path));
        Assert.Contains("misshaped.pth does not match torchvision efficientnet_b0", ex.Message);
        Assert.Contains("features.0.0.weight: expected [32, 3, 3, 3], found [268435456]", ex.Message);
        Assert.DoesNotContain("missing from the archive", ex.Message);
    }

    [Fact]
    public void Safetensors_schema_is_checked_before_the_data_is_read()
    {
        string path = dir.File("misshaped.safetensors");
        SafetensorsWriter.Write(path, [("classifier.1.bias", "F32", [3, 1000], new byte[12000])]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Refused(() => EfficientNetB0Weights.Load(path));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
        Assert.Contains("classifier.1.bias: expected [1000], found [3, 1000]", ex.Message);
    }

    [Fact]
    public void A_large_deflated_storage_is_streamed_not_held()
    {
        // 64 MiB of zeros deflate to ~64 KiB; the reader needs only the 2 KB view.
        const int numel = 32 << 20;
        byte[] pickle = PickleBuilder.StateDict(("w", "0", numel, numel - 1000, [1000]));
        string path = PthArchiveBuilder.Write(dir.File("bomb.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = new byte[numel * 2] }, level: CompressionLevel.SmallestSize);
        Assert.InRange(new FileInfo(path).Length, 0, 1 << 20);
        GC.Collect();
        long before = GC.GetAllocatedBytesForCurrentThread();
        HostTensor t = WeightFile.Read(path)["w"];
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, t.Data.Length);
        Assert.All(t.Data, v => Assert.Equal(0f, v));
        Assert.InRange(allocated, 0, 8 << 20);
    }

    [Fact]
    public void Storage_entry_with_a_wrong_crc_is_refused()
    {
        byte[] data = Half(64, 0.5f);
        data[10] = 0x5A; // a marker to find in the stored (uncompressed) archive
        data[11] = 0xA5;
        string path = PthArchiveBuilder.Write(dir.File("crc.pth"), PickleBuilder.StateDict(("w", "0", 64, 0, [64])), new Dictionary<string, byte[]> { ["0"] = data });
        Assert.Equal(0.5f, WeightFile.Read(path)["w"].Data[0]);
        byte[] file = File.ReadAllBytes(path);
        int at = file.AsSpan().IndexOf([(byte)0x5A, (byte)0xA5]);
        Assert.True(at > 0);
        file[at - 2] ^= 0x01; // one bit of element 4
        File.WriteAllBytes(path, file);
        var ex = Refused(() => WeightFile.Read(path));
        Assert.Contains("crc.pth: archive entry 'archive/data/0' fails its CRC-32 check", ex.Message);
    }

    [Fact]
    public void Pickle_entry_with_a_wrong_crc_is_refused()
    {
        byte[] pickle = PickleBuilder.StateDict(("weight_name_marker", "0", 4, 0, [4]));
        string path = PthArchiveBuilder.Write(dir.File("crcpkl.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = Half(4, 1f) });
        byte[] file = File.ReadAllBytes(path);
        int at = file.AsSpan().IndexOf("weight_name_marker"u8);
        file[at] = (byte)'W';
        File.WriteAllBytes(path, file);
        var ex = Refused(() => WeightFile.Read(path));
        Assert.Contains("archive entry 'archive/data.pkl' fails its CRC-32 check", ex.Message);
    }

    [Fact]
    public void Encrypted_entries_are_refused()
    {
        string path = PthArchiveBuilder.Write(dir.File("locked.pth"), PickleBuilder.StateDict(("w", "0", 4, 0, [4])), new Dictionary<string, byte[]> { ["0"] = Half(4, 1f) });
        PthArchiveBuilder.MarkEncrypted(path);
        var ex = Refused(() => WeightFile.Read(path));
        Assert.Contains("locked.pth: archive entry 'archive/data.pkl' is encrypted", ex.Message);
    }

    [Fact]
    public void Deeply_nested_tuples_are_refused_at_the_depth_cap()
    {
        var p = new PickleBuilder().Proto().Op(0x29); // EMPTY_TUPLE
        for (int i = 0; i < 1000; i++) p.Op(0x85); // TUPLE1
        string path = PthArchiveBuilder.Write(dir.File("deep.pth"), p.Op(0x2E).ToArray(), new Dictionary<string, byte[]>());
        var ex = Refused(() => WeightFile.Read(path));
        Assert.Contains("containers nested more than 64 deep", ex.Message);
    }

    [Fact]
    public void A_pickle_of_millions_of_values_is_refused_at_the_opcode_budget()
    {
        // MARK NONE APPENDS adds one element to a list with a shallow stack; a million of them (3 million
        // opcodes) exceed the budget of 2^21 opcodes.
        var p = new PickleBuilder().Proto().Op(0x5D); // EMPTY_LIST
        for (int i = 0; i < 1_000_000; i++) p.Mark().Op(0x4E).Op(0x65);
        string path = PthArchiveBuilder.Write(dir.File("wide.pth"), p.Op(0x2E).ToArray(), new Dictionary<string, byte[]>(), level: CompressionLevel.SmallestSize);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Refused(() => WeightFile.Read(path));
        Assert.Contains("more than 2097152 opcodes", ex.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 << 20);
    }

    [Theory]
    [InlineData("F32", 600_000_000)]   // 2.4 GB stored
    [InlineData("F16", 600_000_000)]   // 1.2 GB stored, 2.4 GB as float32
    [InlineData("F16", 2_147_483_000)] // between Array.MaxLength and int.MaxValue elements
    public void Safetensors_tensors_over_2_GiB_get_a_clear_error(string dtype, int elements)
    {
        int size = dtype == "F32" ? 4 : 2;
        var ex = SafetensorsError($"{{\"w\":{{\"dtype\":\"{dtype}\",\"shape\":[{elements}],\"data_offsets\":[0,{(long)elements * size}]}}}}", new byte[8]);
        Assert.Contains("tensor 'w': shape", ex.Message);
        Assert.Contains("tensors over 2 GiB are not supported", ex.Message);
    }

    [Fact]
    public void Pth_tensor_and_storage_over_2_GiB_get_a_clear_error()
    {
        byte[] pickle = PickleBuilder.StateDict(("big", "0", 600_000_000, 0, [600_000_000]));
        string path = PthArchiveBuilder.Write(dir.File("big.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = new byte[8] });
        Assert.Contains("big.pth: tensor 'big': shape [600000000] needs 2400000000 bytes; tensors over 2 GiB are not supported", Refused(() => WeightFile.Read(path)).Message);

        // A small view into a storage that declares more than 2 GiB.
        pickle = PickleBuilder.StateDict(("small", "0", 1_200_000_000, 0, [4]));
        path = PthArchiveBuilder.Write(dir.File("bigstorage.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = new byte[8] });
        Assert.Contains("storages over 2 GiB are not supported", Refused(() => WeightFile.Read(path)).Message);
    }

    [Fact]
    public void Safetensors_name_with_invalid_utf8_gets_a_clear_error()
    {
        byte[] header = [.. "{\"bad"u8, 0xFF, 0xFE, .. "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"u8];
        string path = dir.File("utf8.safetensors");
        SafetensorsWriter.WriteRaw(path, header, new byte[4]);
        var ex = Refused(() => SafetensorsReader.Read(path));
        Assert.Contains("utf8.safetensors: the header is not valid UTF-8 (an invalid byte sequence near header byte 5)", ex.Message);
    }

    [Theory]
    [InlineData("features.3.0.block.0.0.weight", float.NaN, "is NaN; weights must be finite")]
    [InlineData("classifier.1.bias", float.PositiveInfinity, "is Infinity; weights must be finite")]
    [InlineData("features.5.2.block.1.1.running_var", -0.25f, "is -0.25; a running variance cannot be negative")]
    public void Non_finite_weights_and_negative_variance_are_refused_naming_the_tensor(string name, float value, string message)
    {
        var dict = EfficientNetB0Weights.RandomStateDict(3).ToDictionary();
        dict[name].Data[7] = value;
        var ex = Refused(() => EfficientNetB0Weights.FromStateDict(dict, "edited.safetensors"));
        Assert.Contains($"edited.safetensors: tensor '{name}' element 7 {message}", ex.Message);
    }

    [Fact]
    public void A_BatchNorm_that_folds_to_infinity_is_refused()
    {
        var dict = EfficientNetB0Weights.RandomStateDict(3).ToDictionary();
        dict["features.0.1.weight"].Data[2] = 3e38f;
        dict["features.0.1.running_var"].Data[2] = 0f;
        var ex = Refused(() => EfficientNetB0Weights.FromStateDict(dict, "edited.safetensors"));
        Assert.Contains("folding BatchNorm 'features.0.1' into 'features.0.0.weight' overflows float32", ex.Message);
    }

    [Fact]
    public void Non_finite_values_in_a_weight_file_are_refused_on_load()
    {
        var dict = EfficientNetB0Weights.RandomStateDict(4);
        string path = dir.File("nan.safetensors");
        SafetensorsWriter.Write(path, dict.Values.Select(t =>
        {
            byte[] b = new byte[t.Data.Length * 4];
            for (int i = 0; i < t.Data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), t.Name == "features.8.1.bias" && i == 11 ? float.NaN : t.Data[i]);
            return (t.Name, "F32", t.Shape.ToArray(), b);
        }));
        var ex = Refused(() => EfficientNetB0Weights.Load(path));
        Assert.Contains("nan.safetensors: tensor 'features.8.1.bias' element 11 is NaN", ex.Message);
    }

    private WeightFormatException SafetensorsError(string header, byte[] data)
    {
        string path = dir.File("bad.safetensors");
        SafetensorsWriter.WriteRaw(path, Encoding.UTF8.GetBytes(header), data);
        return Refused(() => SafetensorsReader.Read(path));
    }
}
