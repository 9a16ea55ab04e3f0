using System.Reflection;

namespace KernelGen.Samples.EfficientNet.Imaging;

/// <summary>The 1000 ImageNet class names in torchvision's logit order, shipped inside the assembly.</summary>
public static class ImageNetClasses
{
    private static readonly Lazy<IReadOnlyList<string>> names = new(Load);

    /// <summary>Class names, index = logit index.</summary>
    public static IReadOnlyList<string> Names => names.Value;

    private static string[] Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("KernelGen.Samples.EfficientNet.imagenet_classes.txt")
            ?? throw new InvalidOperationException("The embedded resource imagenet_classes.txt is missing from the assembly.");
        using var reader = new StreamReader(stream);
        string[] lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length != 1000)
            throw new InvalidOperationException($"imagenet_classes.txt has {lines.Length} names, expected 1000.");
        return lines;
    }
}
