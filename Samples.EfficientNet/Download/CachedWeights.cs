namespace KernelGen.Samples.EfficientNet.Download;

/// <summary>Where <c>classify</c> looks for weights when none are given, and what <c>weights fetch</c> fills.</summary>
/// <param name="Cache">The cache folder.</param>
/// <param name="Source">The file expected there.</param>
public sealed record CachedWeights(WeightCache Cache, WeightSource Source)
{
    /// <summary>The current user's cache and the source from the environment (torchvision's file unless overridden).</summary>
    public static CachedWeights ForCurrentUser() =>
        new(WeightCache.ForCurrentUser(), WeightSource.FromEnvironment(Environment.GetEnvironmentVariable));

    /// <summary>The cached file's path, or null when nothing is cached.</summary>
    public string? Find() => Cache.Find(Source);
}
