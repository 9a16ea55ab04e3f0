using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace KernelGen.Samples.EfficientNet.Download;

/// <summary>Limits of a download; the defaults suit a person on a normal connection.</summary>
public sealed record WeightDownloadOptions
{
    /// <summary>Connections tried for one file (a broken or stalled stream is resumed or restarted until then).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>How long a TCP/TLS connection may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the server may send nothing (headers or body) before the attempt counts as stalled.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before the next attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The least time between two progress reports (the last one always comes).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>What <see cref="WeightDownloader.FetchAsync"/> did.</summary>
/// <param name="Path">The verified file in the cache.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Downloaded">False when a verified copy was already cached and nothing was fetched.</param>
/// <param name="Attempts">Connections made (0 when nothing was fetched).</param>
public sealed record DownloadResult(string Path, long Bytes, bool Downloaded, int Attempts);

/// <summary>
/// Downloads a <see cref="WeightSource"/> into a <see cref="WeightCache"/>: streams into a private
/// <c>.partial</c> file in the cache folder while hashing, resumes a broken or stalled stream with an HTTP
/// <c>Range</c> request (or restarts from zero when the server ignores it), checks the size and the
/// SHA-256, and only then renames the file into place (atomic on one file system). Whatever fails, the
/// partial file is deleted: the cache holds whole, verified files or nothing.
/// </summary>
public sealed class WeightDownloader : IDisposable
{
    private readonly HttpClient client;
    private readonly bool ownsClient;
    private readonly WeightDownloadOptions options;

    /// <summary>A downloader with its own <see cref="HttpClient"/> (system proxy settings apply).</summary>
    public WeightDownloader(WeightDownloadOptions? options = null)
    {
        this.options = options ?? new WeightDownloadOptions();
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = this.options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None, // the hash is of the file's bytes
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("kernelgen-efficientnet", "0.1"));
        ownsClient = true;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (ownsClient) client.Dispose();
    }

    /// <summary>
    /// Makes sure <paramref name="cache"/> holds <paramref name="source"/>, verified: returns the cached
    /// copy when its SHA-256 matches (unless <paramref name="force"/>), else downloads it.
    /// </summary>
    /// <exception cref="WeightDownloadException">No verified file could be had; nothing is left in the cache.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; nothing is left in the cache.</exception>
    public async Task<DownloadResult> FetchAsync(
        WeightSource source, WeightCache cache, IProgress<DownloadProgress>? progress = null, bool force = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(cache);
        string final = cache.PathOf(source);
        if (!force && File.Exists(final))
        {
            if (WeightCache.Sha256Of(final) == source.Sha256)
                return new DownloadResult(final, new FileInfo(final).Length, Downloaded: false, Attempts: 0);
            progress?.Report(new DownloadProgress(0, source.Size, 0, null, $"the cached {source.FileName} does not match its SHA-256: downloading it again"));
        }

        Directory.CreateDirectory(cache.Directory);
        // A private name per download: two processes fetching at once never write into each other's file.
        string partial = $"{final}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.partial";
        try
        {
            (long bytes, int attempts, string sha) = await DownloadToAsync(source, partial, progress, cancellationToken).ConfigureAwait(false);
            if (sha != source.Sha256)
            {
                File.Delete(partial);
                throw new WeightDownloadException(
                    $"{source.Url}: the downloaded file ({bytes.ToString(CultureInfo.InvariantCulture)} bytes) has SHA-256 {sha}, expected {source.Sha256}; " +
                    "it was deleted and nothing was stored. The server sent a different file (a proxy's error page, or a changed upload).");
            }
            File.Move(partial, final, overwrite: true);
            return new DownloadResult(final, bytes, Downloaded: true, attempts);
        }
        finally
        {
            TryDelete(partial);
        }
    }

    private async Task<(long Bytes, int Attempts, string Sha256)> DownloadToAsync(
        WeightSource source, string partial, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            long have = 0;
            string? lastFailure = null;
            byte[] buffer = new byte[1 << 16];
            for (int attempt = 1; attempt <= options.MaxAttempts; attempt++)
            {
                if (attempt > 1)
                    await Task.Delay(options.RetryDelay, cancellationToken).ConfigureAwait(false);
                try
                {
                    long? total = await ReceiveAsync().ConfigureAwait(false);
                    if (total is long t && have < t)
                        throw new IOException($"the connection closed after {have.ToString(CultureInfo.InvariantCulture)} of {t.ToString(CultureInfo.InvariantCulture)} bytes");
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    file.Flush(flushToDisk: true);
                    return (have, attempt, Convert.ToHexStringLower(hash.GetHashAndReset()));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not WeightDownloadException)
                {
                    if (ex is HttpRequestException { StatusCode: null } http && have == 0 && IsUnreachable(http))
                        throw Unreachable(http, source.Url);
                    if (ex is not (HttpRequestException or IOException or TimeoutException))
                        throw;
                    lastFailure = Describe(ex);
                    if (attempt < options.MaxAttempts)
                        progress?.Report(new DownloadProgress(have, source.Size, 0, null, $"{lastFailure}; trying again ({attempt + 1} of {options.MaxAttempts})"));
                }
            }
            throw new WeightDownloadException(
                $"{source.Url}: gave up after {options.MaxAttempts} attempts ({lastFailure}); the partial file was deleted and nothing was stored.");

            // One connection: appends to the file from `have` on; returns the expected total when known.
            async Task<long?> ReceiveAsync()
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, source.Url);
                if (have > 0)
                    request.Headers.Range = new RangeHeaderValue(have, null);
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(options.StallTimeout);
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no response within {options.StallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                }
                using (response)
                {
                    long? total = Expect(response, ref have);
                    var sw = Stopwatch.StartNew();
                    long startedAt = have;
                    TimeSpan? lastReport = null;
                    using Stream body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
                    while (true)
                    {
                        stall.CancelAfter(options.StallTimeout);
                        int n;
                        try
                        {
                            n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            throw new TimeoutException($"the server sent nothing for {options.StallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                        }
                        catch (IOException ex)
                        {
                            // HttpClient's own "response ended prematurely": say how far it got.
                            throw new IOException($"the connection closed after {have.ToString(CultureInfo.InvariantCulture)} of {total?.ToString(CultureInfo.InvariantCulture) ?? "?"} bytes", ex);
                        }
                        if (n == 0) break;
                        if (total is long limit && have + n > limit)
                            throw new WeightDownloadException($"{source.Url}: the server sent more than the {limit.ToString(CultureInfo.InvariantCulture)} bytes expected; nothing was stored.");
                        await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        hash.AppendData(buffer, 0, n);
                        have += n;
                        if (progress is not null && (lastReport is null || sw.Elapsed - lastReport >= options.ProgressInterval))
                        {
                            lastReport = sw.Elapsed;
                            progress.Report(Progress(have, total, have - startedAt, sw.Elapsed));
                        }
                    }
                    progress?.Report(Progress(have, total, have - startedAt, sw.Elapsed));
                    return total;
                }
            }
        }
        finally
        {
            hash.Dispose();
        }

        // Checks the response and moves `have` back to 0 when the server restarts from the beginning.
        long? Expect(HttpResponseMessage response, ref long have)
        {
            if (response.StatusCode == HttpStatusCode.PartialContent && have > 0)
            {
                ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
                if (range?.From != have)
                    throw new IOException($"the server resumed at byte {range?.From?.ToString(CultureInfo.InvariantCulture) ?? "?"} instead of {have.ToString(CultureInfo.InvariantCulture)}");
                progress?.Report(new DownloadProgress(have, range.Length ?? source.Size, 0, null, $"resuming at {have.ToString(CultureInfo.InvariantCulture)} bytes"));
                return CheckSize(range.Length ?? (response.Content.Headers.ContentLength + have) ?? source.Size);
            }
            if (response.StatusCode == HttpStatusCode.OK)
            {
                if (have > 0)
                {
                    // The server ignored the Range request: start over.
                    progress?.Report(new DownloadProgress(0, source.Size, 0, null, "the server cannot resume: starting again from the beginning"));
                    file.SetLength(0);
                    file.Position = 0;
                    hash.GetHashAndReset();
                    have = 0;
                }
                return CheckSize(response.Content.Headers.ContentLength ?? source.Size);
            }
            string status = $"HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}";
            if ((int)response.StatusCode >= 500)
                throw new HttpRequestException(status, null, response.StatusCode);
            throw new WeightDownloadException($"{source.Url}: {status}; nothing was stored.");
        }

        long? CheckSize(long? total)
        {
            if (total is long t && source.Size is long expected && t != expected)
                throw new WeightDownloadException(
                    $"{source.Url}: the server offers {t.ToString(CultureInfo.InvariantCulture)} bytes, but {source.FileName} has {expected.ToString(CultureInfo.InvariantCulture)}; nothing was stored.");
            return total;
        }
    }

    private static DownloadProgress Progress(long have, long? total, long thisAttempt, TimeSpan elapsed)
    {
        double rate = elapsed.TotalSeconds > 0 ? thisAttempt / elapsed.TotalSeconds : 0;
        TimeSpan? eta = total is long t && rate > 0 ? TimeSpan.FromSeconds((t - have) / rate) : null;
        return new DownloadProgress(have, total, rate, eta);
    }

    // An unreachable host on the first connection is not worth another (no network: say so at once); a stream
    // that broke or stalled, a lost connection and a server error (5xx) are.
    private static bool IsUnreachable(HttpRequestException ex) =>
        ex.InnerException is SocketException || ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;

    private static WeightDownloadException Unreachable(HttpRequestException ex, Uri url) =>
        new($"cannot reach {url.Host} ({Describe(ex)}): no network, a firewall, or a proxy that needs HTTPS_PROXY; nothing was stored. " +
            $"Elsewhere, download {url} and pass the file with --weights.", ex);

    private static string Describe(Exception ex) => ex switch
    {
        HttpRequestException { InnerException: SocketException s } => s.Message,
        HttpRequestException { InnerException: IOException io } h => $"{h.Message} {io.Message}",
        _ => ex.Message,
    };

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
