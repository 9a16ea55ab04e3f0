using System.Globalization;

namespace KernelGen.Samples.EfficientNet.Download;

/// <summary>
/// Where a weight file comes from and what it must be: its address, its full SHA-256 and, when known,
/// its size. The cache stores it under <see cref="FileName"/>.
/// </summary>
/// <param name="Url">The http(s) address.</param>
/// <param name="Sha256">The full SHA-256 of the file, 64 lower-case hex digits.</param>
/// <param name="Size">The file's size in bytes when known (then a longer stream is refused and the ETA is known without Content-Length).</param>
/// <param name="FileName">The name in the cache folder.</param>
public sealed record WeightSource(Uri Url, string Sha256, long? Size, string FileName)
{
    /// <summary>Names the environment variable that replaces <see cref="TorchvisionImageNet1kV1"/>'s address (a mirror; the tests' loopback server).</summary>
    public const string UrlVariable = "KERNELGEN_WEIGHTS_URL";

    /// <summary>Names the environment variable holding the SHA-256 that goes with <see cref="UrlVariable"/> (required with it).</summary>
    public const string Sha256Variable = "KERNELGEN_WEIGHTS_SHA256";

    /// <summary>
    /// torchvision's <c>EfficientNet_B0_Weights.IMAGENET1K_V1</c> at its official address. torchvision names
    /// the file by the first 8 hex digits of its SHA-256 (<c>7f5810bc</c>); the full hash and the size pinned
    /// here are the ones that several public projects record for this download (inventories of
    /// torchvision checkpoints listing 21,444,401 bytes and this digest, and scripts that assert it), all
    /// agreeing, and they begin with torchvision's own prefix. They could not be checked against the live
    /// file from the machine this was written on (no network); a mismatch is reported, never accepted.
    /// </summary>
    public static WeightSource TorchvisionImageNet1kV1 { get; } = new(
        new Uri("https://download.pytorch.org/models/efficientnet_b0_rwightman-7f5810bc.pth"),
        "7f5810bc96def8f7552d5b7e68d53c4786f81167d28291b21c0d90e1fca14934",
        21_444_401,
        "efficientnet_b0_rwightman-7f5810bc.pth");

    /// <summary>Whether this is torchvision's published file (by hash, wherever it is served from).</summary>
    public bool IsTorchvision => Sha256 == TorchvisionImageNet1kV1.Sha256;

    /// <summary>
    /// A source for <paramref name="url"/> with <paramref name="sha256"/>; the cache file name is the last
    /// segment of the address (<c>weights.pth</c> when it has none), or torchvision's name and size when the
    /// hash is torchvision's.
    /// </summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) address, or not 64 hex digits.</exception>
    public static WeightSource Create(string url, string sha256)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(sha256);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{url}' is not an absolute http:// or https:// address.", nameof(url));
        string hash = sha256.Trim().ToLowerInvariant();
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"a SHA-256 is 64 hex digits, got '{sha256}'.", nameof(sha256));
        // torchvision's file from a mirror is still torchvision's file: same name and size in the cache.
        if (hash == TorchvisionImageNet1kV1.Sha256)
            return TorchvisionImageNet1kV1 with { Url = uri };
        string name = Uri.UnescapeDataString(uri.Segments[^1]).Trim('/');
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            name = "weights.pth";
        return new WeightSource(uri, hash, null, name);
    }

    /// <summary>
    /// The source to use: <see cref="UrlVariable"/> with <see cref="Sha256Variable"/> when set, else
    /// <see cref="TorchvisionImageNet1kV1"/>.
    /// </summary>
    /// <exception cref="WeightDownloadException">One variable without the other, or a bad value.</exception>
    public static WeightSource FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? url = environment(UrlVariable), sha = environment(Sha256Variable);
        if (string.IsNullOrEmpty(url) && string.IsNullOrEmpty(sha))
            return TorchvisionImageNet1kV1;
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(sha))
            throw new WeightDownloadException($"{UrlVariable} and {Sha256Variable} go together: set both or neither.");
        try
        {
            return Create(url, sha);
        }
        catch (ArgumentException ex)
        {
            throw new WeightDownloadException($"{UrlVariable}/{Sha256Variable}: {ex.Message}");
        }
    }

    /// <summary>The first 8 hex digits of the hash, as torchvision prints them.</summary>
    public string ShortHash => Sha256[..8];

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Url} (sha256 {ShortHash}…)");
}
