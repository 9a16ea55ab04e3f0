namespace KernelGen.Samples.EfficientNet.Weights;

/// <summary>A named float32 tensor in host memory, row-major (C order), as read from a weight file.</summary>
public sealed class HostTensor
{
    /// <summary>Creates a tensor; <paramref name="data"/> must hold exactly the product of <paramref name="shape"/> elements.</summary>
    public HostTensor(string name, int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = ElementCount(shape);
        if (count != data.Length)
            throw new ArgumentException($"Tensor '{name}' has shape {FormatShape(shape)} ({count} elements) but {data.Length} values.", nameof(data));
        Name = name;
        Shape = shape;
        Data = data;
    }

    /// <summary>The state-dict name, e.g. <c>features.0.0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The dimensions.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values, row-major.</summary>
    public float[] Data { get; }

    /// <summary>Number of elements of a shape (1 for a scalar).</summary>
    public static long ElementCount(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) return -1;
            n *= d;
            if (n > int.MaxValue) return -1;
        }
        return n;
    }

    /// <summary>Formats a shape as <c>[a, b, c]</c>.</summary>
    public static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {FormatShape(Shape)}";
}
