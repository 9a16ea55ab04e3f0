using System.Text;
using System.Text.Json;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>Writes small safetensors files (possibly with a deliberately wrong header) for the loader tests.</summary>
internal static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<(string Name, string DType, int[] Shape, byte[] Data)> tensors)
    {
        var header = new Dictionary<string, object>();
        var data = new MemoryStream();
        foreach ((string name, string dtype, int[] shape, byte[] bytes) in tensors)
        {
            header[name] = new { dtype, shape, data_offsets = new[] { data.Length, data.Length + bytes.Length } };
            data.Write(bytes);
        }
        WriteRaw(path, JsonSerializer.Serialize(header), data.ToArray());
    }

    public static void WriteRaw(string path, string headerJson, byte[] data, ulong? declaredHeaderLength = null) =>
        WriteRaw(path, Encoding.UTF8.GetBytes(headerJson), data, declaredHeaderLength);

    public static void WriteRaw(string path, byte[] header, byte[] data, ulong? declaredHeaderLength = null)
    {
        using FileStream fs = File.Create(path);
        fs.Write(BitConverter.GetBytes(declaredHeaderLength ?? (ulong)header.Length));
        fs.Write(header);
        fs.Write(data);
    }
}
