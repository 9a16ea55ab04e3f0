using System.Buffers.Binary;
using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>Malformed, truncated, lying and malicious weight files are rejected with a message that names the problem.</summary>
public sealed class BadWeightFileTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static byte[] Half(params float[] values)
    {
        byte[] b = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(b.AsSpan(2 * i), (Half)values[i]);
        return b;
    }

    private WeightFormatException SafetensorsError(string header, byte[] data, ulong? declared = null)
    {
        string path = dir.File("bad.safetensors");
        SafetensorsWriter.WriteRaw(path, header, data, declared);
        return Assert.Throws<WeightFormatException>(() => SafetensorsReader.Read(path));
    }

    [Fact]
    public void Safetensors_F32_F16_BF16_widen_exactly()
    {
        string path = dir.File("types.safetensors");
        byte[] f32 = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(4), -3.25e-7f);
        byte[] bf16 = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bf16, (ushort)(BitConverter.SingleToInt32Bits(-2.5f) >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(bf16.AsSpan(2), (ushort)(BitConverter.SingleToInt32Bits(65536f) >> 16));
        SafetensorsWriter.Write(path, [("a", "F32", [2], f32), ("b", "F16", [1, 2], Half(0.099975586f, -1024f)), ("c", "BF16", [2], bf16)]);
        var t = SafetensorsReader.Read(path);
        Assert.Equal([1.5f, -3.25e-7f], t["a"].Data);
        Assert.Equal([0.099975586f, -1024f], t["b"].Data);
        Assert.Equal([1, 2], t["b"].Shape);
        Assert.Equal([-2.5f, 65536f], t["c"].Data);
    }

    [Fact]
    public void Truncated_safetensors_names_the_tensor_that_runs_past_the_end()
    {
        byte[] full = File.ReadAllBytes(Fixture.WeightsSafetensors);
        string path = dir.File("truncated.safetensors");
        File.WriteAllBytes(path, full[..(full.Length - 100)]);
        var ex = Assert.Throws<WeightFormatException>(() => SafetensorsReader.Read(path));
        Assert.Contains("truncated.safetensors: tensor 'features.8.1.weight'", ex.Message);
        Assert.Contains("run past the data section", ex.Message);
    }

    [Fact]
    public void Safetensors_header_length_beyond_the_file_is_rejected()
    {
        var ex = SafetensorsError("{}", [], declared: 1000);
        Assert.Contains("header length 1000 runs past the end of the file", ex.Message);
        ex = SafetensorsError("{}", [], declared: ulong.MaxValue);
        Assert.Contains("outside 1..100000000", ex.Message);
        string tiny = dir.File("tiny.safetensors");
        File.WriteAllBytes(tiny, [1, 2, 3]);
        Assert.Contains("shorter than the 8-byte header length", Assert.Throws<WeightFormatException>(() => SafetensorsReader.Read(tiny)).Message);
    }

    [Fact]
    public void Safetensors_lying_headers_are_rejected()
    {
        Assert.Contains("not valid JSON", SafetensorsError("{\"a\": ", new byte[4]).Message);
        Assert.Contains("tensor 'w': F16 [3] needs 6 bytes but data_offsets [0, 4] span 4",
            SafetensorsError("{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,4]}}", new byte[8]).Message);
        Assert.Contains("tensor 'b'", SafetensorsError(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]).Message);
        Assert.Contains("overlaps tensor 'a'", SafetensorsError(
            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]).Message);
        Assert.Contains("unsupported dtype 'I8'", SafetensorsError("{\"w\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]).Message);
        Assert.Contains("shape entries must be non-negative", SafetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]).Message);
        Assert.Contains("more than 2147483647 elements",
            SafetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", new byte[4]).Message);
        Assert.Contains("'data_offsets' [8, 4] must be two integers with 0 <= begin <= end",
            SafetensorsError("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", new byte[8]).Message);
    }

    [Fact]
    public void Pth_with_GLOBAL_os_system_is_rejected_before_anything_runs()
    {
        // The classic pickle exploit: c os\nsystem\n (S'...' tR.
        byte[] pickle = new PickleBuilder().Proto().Global("os", "system").Str("echo pwned").Op(0x85).Op(0x52).Op(0x2E).ToArray();
        string path = PthArchiveBuilder.Write(dir.File("evil.pth"), pickle, new Dictionary<string, byte[]>());
        var ex = Assert.Throws<WeightFormatException>(() => WeightFile.Read(path));
        Assert.Contains("evil.pth: pickle offset 2: GLOBAL 'os.system' is not allowed", ex.Message);
    }

    [Fact]
    public void Pth_REDUCE_on_an_allowed_non_callable_is_rejected()
    {
        byte[] pickle = new PickleBuilder().Proto().Global("torch", "HalfStorage").Op(0x29).Op(0x52).Op(0x2E).ToArray();
        string path = PthArchiveBuilder.Write(dir.File("reduce.pth"), pickle, new Dictionary<string, byte[]>());
        var ex = Assert.Throws<WeightFormatException>(() => WeightFile.Read(path));
        Assert.Contains("REDUCE on torch.HalfStorage is not allowed", ex.Message);
    }

    [Theory]
    [InlineData(0x93, "STACK_GLOBAL (0x93)")]
    [InlineData(0x69, "INST (0x69)")]
    [InlineData(0x81, "NEWOBJ (0x81)")]
    [InlineData(0x6F, "OBJ (0x6F)")]
    [InlineData(0x8A, "LONG1 (0x8A)")]
    public void Pth_opcodes_outside_the_state_dict_subset_are_rejected_with_name_and_offset(byte opcode, string name)
    {
        byte[] pickle = new PickleBuilder().Proto().Op(0x7D).Op(opcode).Op(0x2E).ToArray();
        string path = PthArchiveBuilder.Write(dir.File("op.pth"), pickle, new Dictionary<string, byte[]>());
        var ex = Assert.Throws<WeightFormatException>(() => WeightFile.Read(path));
        Assert.Contains($"op.pth: pickle offset 3: opcode {name} is not allowed", ex.Message);
    }

    [Fact]
    public void Pth_truncated_pickle_is_rejected()
    {
        byte[] pickle = PickleBuilder.OneTensorStateDict("w", 4, 0, [4], [1]);
        string path = PthArchiveBuilder.Write(dir.File("cut.pth"), pickle[..^9], new Dictionary<string, byte[]> { ["0"] = Half(1, 2, 3, 4) });
        var ex = Assert.Throws<WeightFormatException>(() => WeightFile.Read(path));
        Assert.Contains("cut.pth: pickle offset", ex.Message);
        Assert.Matches("truncated|without a STOP", ex.Message);
    }

    [Fact]
    public void Pth_storage_offset_and_view_are_honoured()
    {
        byte[] pickle = PickleBuilder.OneTensorStateDict("w", 6, 2, [2, 2], [2, 1]);
        string path = PthArchiveBuilder.Write(dir.File("view.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = Half(9, 9, 1, 2, 3, 4) });
        HostTensor t = WeightFile.Read(path)["w"];
        Assert.Equal([2, 2], t.Shape);
        Assert.Equal([1f, 2f, 3f, 4f], t.Data);
    }

    [Fact]
    public void Pth_non_contiguous_tensor_is_rejected()
    {
        byte[] pickle = PickleBuilder.OneTensorStateDict("w", 4, 0, [2, 2], [1, 2]);
        string path = PthArchiveBuilder.Write(dir.File("transposed.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = Half(1, 2, 3, 4) });
        var ex = Assert.Throws<WeightFormatException>(() => WeightFile.Read(path));
        Assert.Contains("transposed.pth: tensor 'w': non-contiguous tensor (shape [2, 2], stride (1, 2))", ex.Message);
    }

    [Fact]
    public void Pth_view_beyond_its_storage_is_rejected()
    {
        byte[] pickle = PickleBuilder.OneTensorStateDict("w", 4, 2, [4], [1]);
        string path = PthArchiveBuilder.Write(dir.File("overrun.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = Half(1, 2, 3, 4) });
        var ex = Assert.Throws<WeightFormatException>(() => WeightFile.Read(path));
        Assert.Contains("tensor 'w': view [offset 2, 4 elements] exceeds its storage '0' of 4 elements", ex.Message);
    }

    [Fact]
    public void Pth_storage_with_wrong_byte_size_or_missing_is_rejected()
    {
        byte[] pickle = PickleBuilder.OneTensorStateDict("w", 4, 0, [4], [1]);
        string shortPath = PthArchiveBuilder.Write(dir.File("short.pth"), pickle, new Dictionary<string, byte[]> { ["0"] = Half(1, 2, 3) });
        Assert.Contains("storage 'archive/data/0' has 6 bytes but the pickle declares 4 x 2 = 8",
            Assert.Throws<WeightFormatException>(() => WeightFile.Read(shortPath)).Message);
        string missingPath = PthArchiveBuilder.Write(dir.File("missing.pth"), pickle, new Dictionary<string, byte[]>());
        Assert.Contains("tensor 'w': storage 'archive/data/0' is missing from the archive",
            Assert.Throws<WeightFormatException>(() => WeightFile.Read(missingPath)).Message);
    }

    [Fact]
    public void Truncated_pth_archive_is_rejected()
    {
        byte[] full = File.ReadAllBytes(Fixture.WeightsPth);
        string path = dir.File("truncated.pth");
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        var ex = Assert.Throws<WeightFormatException>(() => WeightFile.Read(path));
        Assert.StartsWith("truncated.pth: ", ex.Message);
    }

    [Fact]
    public void Pth_in_torchvision_published_layout_loads_OrderedDict_metadata_and_num_batches_tracked()
    {
        // torch.save(model.state_dict()) of torchvision: an OrderedDict filled by SETITEMS, with a
        // `_metadata` OrderedDict attached by BUILD, and int64 num_batches_tracked scalars (shape ()).
        var p = new PickleBuilder().Proto().Global("collections", "OrderedDict").Op(0x29).Op(0x52).Op(0x71).Op(0);
        p.Mark().Str("bn.running_var").Tensor("0", 2, 0, [2], [1]);
        p.Str("bn.num_batches_tracked").Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().Str("storage").Global("torch", "LongStorage").Str("1").Str("cpu").Int(1).Op(0x74).Op(0x51)
            .Int(0).Op(0x29).Op(0x29).Op(0x89).Global("collections", "OrderedDict").Op(0x29).Op(0x52).Op(0x74).Op(0x52);
        p.Op(0x75); // SETITEMS
        p.Op(0x7D).Str("_metadata").Global("collections", "OrderedDict").Op(0x29).Op(0x52)
            .Mark().Str("").Op(0x7D).Str("version").Int(1).Op(0x73).Str("bn").Op(0x7D).Str("version").Int(2).Op(0x73).Op(0x75)
            .Op(0x73).Op(0x62).Op(0x2E); // SETITEM, BUILD, STOP
        byte[] longOne = BitConverter.GetBytes(1234L);
        string path = PthArchiveBuilder.Write(dir.File("efficientnet_b0_rwightman-7f5810bc.pth"), p.ToArray(),
            new Dictionary<string, byte[]> { ["0"] = Half(0.5f, 2f), ["1"] = longOne }, top: "efficientnet_b0_rwightman-7f5810bc");
        var t = WeightFile.Read(path);
        Assert.Equal([0.5f, 2f], t["bn.running_var"].Data);
        Assert.Empty(t["bn.num_batches_tracked"].Shape);
        Assert.Equal([1234f], t["bn.num_batches_tracked"].Data);
    }
}
