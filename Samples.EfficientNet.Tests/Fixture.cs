using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// The shared EfficientNet-B0 fixture (<c>../shared/fixtures/efficientnet_b0</c> relative to the repo
/// root). Missing files fail the tests with the path, never skip them.
/// </summary>
internal static class Fixture
{
    private static readonly Lazy<string> directory = new(Locate);
    private static readonly Lazy<IReadOnlyDictionary<string, HostTensor>> safetensors = new(() => SafetensorsReader.Read(WeightsSafetensors));
    private static readonly Lazy<IReadOnlyDictionary<string, HostTensor>> reference = new(() => SafetensorsReader.Read(ReferenceIo));

    public static string Directory => directory.Value;

    public static string WeightsSafetensors => Path.Combine(Directory, "weights.f16.safetensors");

    public static string WeightsPth => Path.Combine(Directory, "weights.f16.pth");

    public static string ReferenceIo => Path.Combine(Directory, "reference_io.safetensors");

    /// <summary>The fixture state dict (read once per test run).</summary>
    public static IReadOnlyDictionary<string, HostTensor> StateDict => safetensors.Value;

    /// <summary><c>input</c> [8, 3, 224, 224] and <c>logits</c> [8, 1000].</summary>
    public static IReadOnlyDictionary<string, HostTensor> ReferenceTensors => reference.Value;

    /// <summary>The first <paramref name="count"/> images of the reference input.</summary>
    public static float[] Inputs(int count) => ReferenceTensors["input"].Data.AsSpan(0, count * 3 * 224 * 224).ToArray();

    private static string Locate()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "KernelGen.sln")))
            dir = Path.GetDirectoryName(dir);
        if (dir is null)
            throw new InvalidOperationException($"Cannot find the repository root (KernelGen.sln) above {AppContext.BaseDirectory}.");
        string fixture = Path.GetFullPath(Path.Combine(dir, "..", "shared", "fixtures", "efficientnet_b0"));
        if (!File.Exists(Path.Combine(fixture, "weights.f16.safetensors")))
            throw new InvalidOperationException($"The EfficientNet-B0 fixture is missing: expected {fixture}/weights.f16.safetensors.");
        return fixture;
    }
}
