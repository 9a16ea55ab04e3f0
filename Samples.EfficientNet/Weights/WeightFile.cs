namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>Opens a weight file by its content: safetensors or a PyTorch zip (<c>.pth</c>/<c>.pt</c>).</summary>
public static class WeightFile
{
    /// <summary>Reads all tensors of <paramref name="path"/>, choosing the format from the file's first bytes.</summary>
    /// <exception cref="WeightFormatException">Unknown format, or the file is malformed.</exception>
    public static IReadOnlyDictionary<string, HostTensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new WeightFormatException($"{path}: file not found.");
        Span<byte> head = stackalloc byte[4];
        int n;
        using (FileStream fs = File.OpenRead(path))
            n = fs.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            return PthReader.Read(path);
        if (path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
            throw new WeightFormatException($"{Path.GetFileName(path)}: not a zip archive; only PyTorch's zip format (torch.save since 1.6) is supported.");
        return SafetensorsReader.Read(path);
    }
}
