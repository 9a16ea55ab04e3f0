using System.Diagnostics;
using System.Globalization;
using KernelGen.Samples.EfficientNet.Download;
using KernelGen.Samples.EfficientNet.Model;

namespace KernelGen.Samples.EfficientNet.Cli;

/// <summary>What the network runs on; scripts read it as <c>"weights"</c> in <c>classify --json</c>.</summary>
public enum WeightsKind
{
    /// <summary>Deterministic random weights: the classes mean nothing.</summary>
    Random,

    /// <summary>A weight file that is not torchvision's published one (by SHA-256).</summary>
    File,

    /// <summary>torchvision's IMAGENET1K_V1 file, identified by its SHA-256.</summary>
    Torchvision,
}

/// <summary>The weights <c>classify</c> runs on, and where they came from.</summary>
/// <param name="Kind">Random, a file, or torchvision's file.</param>
/// <param name="Weights">The folded weights.</param>
/// <param name="Path">The file, null for random weights.</param>
/// <param name="Sha256">The file's SHA-256, null for random weights.</param>
public sealed record ChosenWeights(WeightsKind Kind, EfficientNetB0Weights Weights, string? Path, string? Sha256)
{
    /// <summary>The lower-case name used in JSON: <c>random</c>, <c>file</c> or <c>torchvision</c>.</summary>
    public string KindName => Kind.ToString().ToLowerInvariant();

    /// <summary>
    /// <paramref name="explicitPath"/> when given; else the file in <paramref name="cached"/> when there is one
    /// (its SHA-256 checked again); else random weights.
    /// </summary>
    /// <exception cref="WeightDownloadException">The cached file does not match its SHA-256.</exception>
    public static ChosenWeights Choose(string? explicitPath, CachedWeights cached, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(cached);
        ArgumentNullException.ThrowIfNull(progress);
        if (explicitPath is not null)
        {
            EfficientNetB0Weights w = Commands.LoadWeights(explicitPath, progress);
            string sha = WeightCache.Sha256Of(explicitPath);
            return new ChosenWeights(sha == WeightSource.TorchvisionImageNet1kV1.Sha256 ? WeightsKind.Torchvision : WeightsKind.File, w, explicitPath, sha);
        }
        if (cached.Find() is string path)
        {
            var sw = Stopwatch.StartNew();
            string sha = WeightCache.Sha256Of(path);
            if (sha != cached.Source.Sha256)
                throw new WeightDownloadException(
                    $"{path}: the cached weights do not match their SHA-256 ({sha[..8]}… instead of {cached.Source.ShortHash}…): the file was changed or damaged. " +
                    "`efficientnet weights fetch --force` downloads it again.");
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Cached weights {path}: SHA-256 verified in {sw.Elapsed.TotalMilliseconds:F0} ms"));
            EfficientNetB0Weights w = Commands.LoadWeights(path, progress);
            return new ChosenWeights(cached.Source.IsTorchvision ? WeightsKind.Torchvision : WeightsKind.File, w, path, sha);
        }
        return new ChosenWeights(WeightsKind.Random, EfficientNetB0Weights.Random(Commands.RandomWeightsSeed), null, null);
    }
}
