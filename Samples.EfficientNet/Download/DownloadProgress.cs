using System.Globalization;

namespace KernelGen.Samples.EfficientNet.Download;

/// <summary>How far a download is.</summary>
/// <param name="BytesReceived">Bytes of the file on disk so far (a resumed download counts what it kept).</param>
/// <param name="TotalBytes">The file's size, when the server or the source says it.</param>
/// <param name="BytesPerSecond">The rate of the current attempt so far.</param>
/// <param name="Eta">The expected time left, when the size and a rate are known.</param>
/// <param name="Note">Set once when something happens besides bytes arriving (a resume, a restart), else null.</param>
public sealed record DownloadProgress(long BytesReceived, long? TotalBytes, double BytesPerSecond, TimeSpan? Eta, string? Note = null)
{
    /// <summary>One line: <c>5.2 of 21.4 MB (24%)  3.1 MB/s  ETA 5 s</c>.</summary>
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        string size = TotalBytes is long total && total > 0
            ? string.Create(c, $"{Megabytes(BytesReceived)} of {Megabytes(total)} MB ({100.0 * BytesReceived / total,3:F0}%)")
            : string.Create(c, $"{Megabytes(BytesReceived)} MB");
        string rate = BytesPerSecond > 0 ? string.Create(c, $"  {BytesPerSecond / 1e6:F1} MB/s") : "";
        string eta = Eta is TimeSpan t ? "  ETA " + FormatDuration(t) : "";
        return size + rate + eta;
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);

    private static string FormatDuration(TimeSpan t) =>
        t.TotalSeconds < 60 ? $"{Math.Ceiling(t.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s"
        : $"{(int)t.TotalMinutes} min {t.Seconds} s";
}
