using System.Globalization;
using KernelGen.Samples.EfficientNet.Download;

namespace KernelGen.Samples.EfficientNet.Cli;

/// <summary>The <c>weights fetch</c> and <c>weights path</c> commands.</summary>
public static class WeightsCommands
{
    /// <summary>Runs <c>weights fetch</c>: 0 when the cache holds the verified file afterwards.</summary>
    /// <exception cref="WeightDownloadException">The download failed; nothing was stored.</exception>
    public static int Fetch(CommandLine cl, TextWriter output, TextWriter progress, CachedWeights cached, bool interactive,
        WeightDownloadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cl);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(cached);
        string? url = cl.Optional("url"), sha = cl.Optional("sha256");
        if ((url is null) != (sha is null))
            throw new UsageException("--url and --sha256 go together: a download is only stored when its hash is known.");
        WeightSource source;
        try
        {
            source = url is null ? cached.Source : WeightSource.Create(url, sha!);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        string what = source.IsTorchvision ? "torchvision's IMAGENET1K_V1 weights" : source.FileName;
        progress.WriteLine($"Fetching {what}");
        progress.WriteLine($"  from {source.Url}");
        progress.WriteLine($"  into {cached.Cache.PathOf(source)}");
        using var downloader = new WeightDownloader(options);
        var printer = new DownloadProgressPrinter(progress, interactive);
        DownloadResult result = downloader.FetchAsync(source, cached.Cache, printer, cl.Flag("force"), cancellationToken).GetAwaiter().GetResult();
        printer.Finish();
        output.WriteLine(result.Downloaded
            ? string.Create(CultureInfo.InvariantCulture, $"Stored {result.Path} ({result.Bytes} bytes, SHA-256 {source.ShortHash}… verified)")
            : $"Already cached and verified (SHA-256 {source.ShortHash}…): {result.Path}");
        return 0;
    }

    /// <summary>Runs <c>weights path</c>: prints the cached file's path; 0 when it is there, 1 when not.</summary>
    public static int PathOf(TextWriter output, CachedWeights cached)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(cached);
        string path = cached.Cache.PathOf(cached.Source);
        output.WriteLine(path);
        return File.Exists(path) ? 0 : 1;
    }

    /// <summary>Prints progress: one line rewritten in place on a terminal, else a line every 10%.</summary>
    private sealed class DownloadProgressPrinter(TextWriter writer, bool interactive) : IProgress<DownloadProgress>
    {
        private int lastTenth = -1;
        private bool open;

        public void Report(DownloadProgress value)
        {
            if (value.Note is not null)
            {
                Finish();
                writer.WriteLine($"  {value.Note}");
                return;
            }
            if (interactive)
            {
                writer.Write($"\r  {value.Format(),-60}");
                open = true;
                return;
            }
            int tenth = value.TotalBytes is long t && t > 0 ? (int)(10 * value.BytesReceived / t) : (int)(value.BytesReceived / 2_000_000);
            if (tenth != lastTenth)
            {
                lastTenth = tenth;
                writer.WriteLine($"  {value.Format()}");
            }
        }

        public void Finish()
        {
            if (open) writer.WriteLine();
            open = false;
        }
    }
}
