namespace KernelGen.Samples.EfficientNet.Download;

/// <summary>
/// A download that did not give a verified file: unreachable host, HTTP error, broken or stalled stream
/// past the retries, wrong size or SHA-256; or no place or address for it (the environment's settings).
/// The message says what happened, to which address, and that nothing was left behind.
/// </summary>
public sealed class WeightDownloadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WeightDownloadException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
