namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>What a weight file declares about one tensor, known before any of its data is read.</summary>
/// <param name="Name">The state-dict name.</param>
/// <param name="Shape">The dimensions.</param>
/// <param name="DType">The stored element type as the file names it (<c>F32</c>, <c>F16</c>, <c>BF16</c>, <c>F64</c>, <c>I64</c>).</param>
public sealed record TensorHeader(string Name, IReadOnlyList<int> Shape, string DType);

/// <summary>
/// Checks the tensors a file declares before any data is read (throwing <see cref="WeightFormatException"/>
/// when they do not fit), and returns the names to read; the others are skipped. This is what bounds the
/// memory a hostile file can make the reader allocate: only what the schema accepts is ever materialized.
/// </summary>
/// <param name="declared">Every tensor the file declares, in file order.</param>
/// <param name="source">The file name, for messages.</param>
public delegate IReadOnlySet<string> TensorSelector(IReadOnlyList<TensorHeader> declared, string source);

/// <summary>Opens a weight file by its content: safetensors or a PyTorch zip (<c>.pth</c>/<c>.pt</c>).</summary>
public static class WeightFile
{
    /// <summary>The largest tensor the readers materialize, stored or as float32: 2 GiB - 1 byte (a .NET array's byte limit).</summary>
    public const long MaxTensorBytes = int.MaxValue;

    /// <summary>Reads the tensors of <paramref name="path"/>, choosing the format from the file's first bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="select">Checks the declared tensors before any data is read and picks those to read; null reads all.</param>
    /// <exception cref="WeightFormatException">Unknown format, the file is malformed, or <paramref name="select"/> refused it.</exception>
    public static IReadOnlyDictionary<string, HostTensor> Read(string path, TensorSelector? select = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new WeightFormatException($"{path}: file not found.");
        Span<byte> head = stackalloc byte[4];
        int n;
        try
        {
            using FileStream fs = File.OpenRead(path);
            n = fs.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new WeightFormatException($"{path}: cannot read the file ({ex.Message}).", ex);
        }
        if (n >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4)
            return PthReader.Read(path, select);
        if (path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase))
            throw new WeightFormatException($"{Path.GetFileName(path)}: not a zip archive; only PyTorch's zip format (torch.save since 1.6) is supported.");
        return SafetensorsReader.Read(path, select);
    }

    /// <summary>Refuses a tensor whose stored or float32 form exceeds <see cref="MaxTensorBytes"/>, naming it.</summary>
    internal static void CheckSize(string where, IReadOnlyList<int> shape, int storedElementSize)
    {
        long count = HostTensor.ElementCount(shape);
        long bytes = count < 0 ? long.MaxValue : count * Math.Max(storedElementSize, sizeof(float));
        if (count < 0 || bytes > MaxTensorBytes)
            throw new WeightFormatException(
                $"{where}: shape {HostTensor.FormatShape(shape)} needs {(count < 0 ? "more than 2^31 elements" : $"{bytes} bytes")}; tensors over 2 GiB are not supported.");
    }

    /// <summary>Applies <paramref name="select"/> (or selects everything), checking it only names declared tensors.</summary>
    internal static IReadOnlySet<string> Select(TensorSelector? select, IReadOnlyList<TensorHeader> declared, string file)
    {
        if (select is null)
            return declared.Select(h => h.Name).ToHashSet(StringComparer.Ordinal);
        return select(declared, file);
    }
}
