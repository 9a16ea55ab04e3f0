using System.Security.Cryptography;
using KernelGen.Samples.EfficientNet.Download;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// <see cref="WeightDownloader"/> against a loopback server serving the fixture's <c>weights.f16.pth</c> (torchvision's
/// layout) or made-up bytes: right hash, wrong hash, truncated streams, 404, slow and stalled servers, no server.
/// Each ends with the verified file in the cache or with nothing there (no partial file left behind).
/// </summary>
public sealed class WeightDownloadTests : IDisposable
{
    private static readonly byte[] FixtureFile = File.ReadAllBytes(Fixture.WeightsPth);
    private static readonly string FixtureSha = Convert.ToHexStringLower(SHA256.HashData(FixtureFile));

    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private WeightCache Cache => new(Path.Combine(dir.Path, "cache"));

    private static WeightDownloadOptions Quick => new()
    {
        MaxAttempts = 3,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        StallTimeout = TimeSpan.FromSeconds(20),
        ProgressInterval = TimeSpan.Zero,
    };

    private string[] CacheFiles() =>
        Directory.Exists(Cache.Directory) ? [.. Directory.GetFiles(Cache.Directory).Select(Path.GetFileName).Order()!] : [];

    private static async Task<DownloadResult> Fetch(WeightSource source, WeightCache cache, WeightDownloadOptions options, List<DownloadProgress>? log = null)
    {
        using var downloader = new WeightDownloader(options);
        return await downloader.FetchAsync(source, cache, log is null ? null : new SynchronousProgress(log));
    }

    [Fact]
    public async Task Right_hash_stores_the_file_whole_under_its_name_and_a_second_fetch_downloads_nothing()
    {
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(FixtureFile, r));
        var source = WeightSource.Create(server.Url("models/efficientnet_b0_rwightman-0123abcd.pth"), FixtureSha);
        var log = new List<DownloadProgress>();

        DownloadResult result = await Fetch(source, Cache, Quick, log);

        Assert.True(result.Downloaded);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(FixtureFile.Length, result.Bytes);
        Assert.Equal(["efficientnet_b0_rwightman-0123abcd.pth"], CacheFiles());
        Assert.Equal(FixtureFile, File.ReadAllBytes(result.Path));
        DownloadProgress last = log[^1];
        Assert.Equal(FixtureFile.Length, last.BytesReceived);
        Assert.Equal(FixtureFile.Length, last.TotalBytes);
        Assert.Contains("of 10.8 MB (100%)", last.Format(), StringComparison.Ordinal);

        DownloadResult again = await Fetch(source, Cache, Quick);
        Assert.False(again.Downloaded);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Wrong_hash_deletes_the_download_and_says_so()
    {
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(FixtureFile, r));
        var source = WeightSource.Create(server.Url("w.pth"), new string('a', 64));

        var ex = await Assert.ThrowsAsync<WeightDownloadException>(() => Fetch(source, Cache, Quick));

        Assert.Contains($"has SHA-256 {FixtureSha}, expected {new string('a', 64)}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("it was deleted and nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task A_cached_file_that_does_not_match_is_replaced()
    {
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(FixtureFile, r));
        var source = WeightSource.Create(server.Url("w.pth"), FixtureSha);
        Directory.CreateDirectory(Cache.Directory);
        File.WriteAllBytes(Cache.PathOf(source), FixtureFile[..1000]);
        var log = new List<DownloadProgress>();

        DownloadResult result = await Fetch(source, Cache, Quick, log);

        Assert.True(result.Downloaded);
        Assert.Equal(FixtureFile, File.ReadAllBytes(result.Path));
        Assert.Contains(log, p => p.Note?.Contains("does not match its SHA-256", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_truncated_stream_is_resumed_with_a_range_request()
    {
        int cut = FixtureFile.Length / 3;
        using var server = new LoopbackHttpServer(r =>
            r.Range is null ? LoopbackResponse.File(FixtureFile, r) with { CloseAfter = cut } : LoopbackResponse.File(FixtureFile, r));
        var source = WeightSource.Create(server.Url("w.pth"), FixtureSha);
        var log = new List<DownloadProgress>();

        DownloadResult result = await Fetch(source, Cache, Quick, log);

        Assert.Equal(2, result.Attempts);
        Assert.Equal([null, $"bytes={cut}-"], server.Requests.Select(r => r.Range));
        Assert.Equal(FixtureFile, File.ReadAllBytes(result.Path));
        Assert.Contains(log, p => p.Note == $"resuming at {cut} bytes");
        Assert.Equal(["w.pth"], CacheFiles());
    }

    [Fact]
    public async Task A_truncated_stream_restarts_from_zero_when_the_server_ignores_the_range()
    {
        int cut = FixtureFile.Length / 2;
        int count = 0;
        using var server = new LoopbackHttpServer(r =>
            Interlocked.Increment(ref count) == 1
                ? LoopbackResponse.File(FixtureFile, r, honourRange: false) with { CloseAfter = cut }
                : LoopbackResponse.File(FixtureFile, r, honourRange: false));
        var source = WeightSource.Create(server.Url("w.pth"), FixtureSha);
        var log = new List<DownloadProgress>();

        DownloadResult result = await Fetch(source, Cache, Quick, log);

        Assert.Equal(2, result.Attempts);
        Assert.Equal($"bytes={cut}-", server.Requests[1].Range);
        Assert.Equal(FixtureFile, File.ReadAllBytes(result.Path));
        Assert.Contains(log, p => p.Note == "the server cannot resume: starting again from the beginning");
    }

    [Fact]
    public async Task A_stream_that_always_breaks_gives_up_after_the_attempts_and_leaves_nothing()
    {
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(FixtureFile, r, honourRange: false) with { CloseAfter = 100_000 });
        var source = WeightSource.Create(server.Url("w.pth"), FixtureSha);

        var ex = await Assert.ThrowsAsync<WeightDownloadException>(() => Fetch(source, Cache, Quick));

        Assert.Contains("gave up after 3 attempts (the connection closed after 100000 of", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the partial file was deleted", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task Not_found_fails_at_once_with_the_status()
    {
        using var server = new LoopbackHttpServer(_ => new LoopbackResponse(404, "no such file"u8.ToArray()));
        var source = WeightSource.Create(server.Url("missing.pth"), FixtureSha);

        var ex = await Assert.ThrowsAsync<WeightDownloadException>(() => Fetch(source, Cache, Quick));

        Assert.Equal($"{source.Url}: HTTP 404 Not Found; nothing was stored.", ex.Message);
        Assert.Single(server.Requests);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task A_server_error_is_tried_again()
    {
        int count = 0;
        using var server = new LoopbackHttpServer(r =>
            Interlocked.Increment(ref count) == 1 ? new LoopbackResponse(500, "busy"u8.ToArray()) : LoopbackResponse.File(FixtureFile, r));
        var source = WeightSource.Create(server.Url("w.pth"), FixtureSha);

        DownloadResult result = await Fetch(source, Cache, Quick);

        Assert.Equal(2, result.Attempts);
        Assert.Equal(FixtureFile, File.ReadAllBytes(result.Path));
    }

    [Fact]
    public async Task A_slow_server_is_waited_for_with_a_rate_and_an_eta()
    {
        byte[] file = RandomNumberGenerator.GetBytes(256 * 1024);
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(file, r) with { ChunkSize = 16 * 1024, ChunkDelay = TimeSpan.FromMilliseconds(40) });
        var source = WeightSource.Create(server.Url("slow.bin"), Convert.ToHexStringLower(SHA256.HashData(file)));
        var log = new List<DownloadProgress>();

        DownloadResult result = await Fetch(source, Cache, Quick, log);

        Assert.Equal(file, File.ReadAllBytes(result.Path));
        List<DownloadProgress> midway = [.. log.Where(p => p.Note is null && p.BytesReceived < file.Length)];
        Assert.True(midway.Count >= 4, $"expected progress while the bytes trickle in, got {midway.Count} reports");
        Assert.All(midway.Where(p => p.BytesPerSecond > 0), p => Assert.NotNull(p.Eta));
        Assert.Contains(midway, p => p.Format().Contains("MB/s  ETA ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stalled_server_times_out_and_leaves_nothing()
    {
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(FixtureFile, r) with { StallAfterHeaders = true });
        var source = WeightSource.Create(server.Url("w.pth"), FixtureSha);
        WeightDownloadOptions options = Quick with { MaxAttempts = 2, StallTimeout = TimeSpan.FromSeconds(1.5) };

        var ex = await Assert.ThrowsAsync<WeightDownloadException>(() => Fetch(source, Cache, options));

        // On a loaded machine even the headers may miss the deadline: both are the stall, reported as such.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(ex.Message, @"gave up after 2 attempts \((the server sent nothing for|no response within) 1\.5 s\)"), ex.Message);
        Assert.Equal(2, server.Requests.Count);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task No_server_fails_at_once_and_says_the_host_cannot_be_reached()
    {
        int port = LoopbackHttpServer.FreePort();
        var source = WeightSource.Create($"http://127.0.0.1:{port}/w.pth", FixtureSha);

        var ex = await Assert.ThrowsAsync<WeightDownloadException>(() => Fetch(source, Cache, Quick));

        Assert.StartsWith("cannot reach 127.0.0.1 (Connection refused)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was stored", ex.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task A_file_of_the_wrong_size_for_torchvisions_hash_is_refused_before_its_body()
    {
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(FixtureFile, r));
        var source = WeightSource.Create(server.Url("efficientnet_b0_rwightman-7f5810bc.pth"), WeightSource.TorchvisionImageNet1kV1.Sha256);

        var ex = await Assert.ThrowsAsync<WeightDownloadException>(() => Fetch(source, Cache, Quick));

        Assert.Contains($"the server offers {FixtureFile.Length} bytes, but efficientnet_b0_rwightman-7f5810bc.pth has 21444401", ex.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public void Torchvisions_file_is_pinned_by_its_full_hash_which_starts_with_the_hex_in_its_name()
    {
        WeightSource tv = WeightSource.TorchvisionImageNet1kV1;
        Assert.Equal("https://download.pytorch.org/models/efficientnet_b0_rwightman-7f5810bc.pth", tv.Url.ToString());
        Assert.Matches("^[0-9a-f]{64}$", tv.Sha256);
        Assert.StartsWith("7f5810bc", tv.Sha256, StringComparison.Ordinal);
        Assert.Equal(21_444_401, tv.Size);
        Assert.True(tv.IsTorchvision);
        // A mirror of the same bytes is the same file in the cache.
        Assert.Equal(tv with { Url = new Uri("http://127.0.0.1:1/x.pth") }, WeightSource.Create("http://127.0.0.1:1/x.pth", tv.Sha256.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("ftp://example/x.pth", "is not an absolute http:// or https:// address")]
    [InlineData("x.pth", "is not an absolute http:// or https:// address")]
    public void Bad_addresses_are_refused(string url, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => WeightSource.Create(url, FixtureSha)).Message, StringComparison.Ordinal);

    [Fact]
    public void Bad_hashes_and_half_set_environments_are_refused()
    {
        Assert.Contains("a SHA-256 is 64 hex digits", Assert.Throws<ArgumentException>(() => WeightSource.Create("http://h/x", "7f5810bc")).Message, StringComparison.Ordinal);
        Assert.Same(WeightSource.TorchvisionImageNet1kV1, WeightSource.FromEnvironment(_ => null));
        var env = new Dictionary<string, string> { [WeightSource.UrlVariable] = "http://127.0.0.1:9/w.pth" };
        Assert.Contains("go together", Assert.Throws<WeightDownloadException>(() => WeightSource.FromEnvironment(n => env.GetValueOrDefault(n))).Message, StringComparison.Ordinal);
        env[WeightSource.Sha256Variable] = FixtureSha;
        Assert.Equal(new Uri("http://127.0.0.1:9/w.pth"), WeightSource.FromEnvironment(n => env.GetValueOrDefault(n)).Url);
    }

    [Theory]
    [InlineData(WeightCache.OsFamily.Unix, "XDG_CACHE_HOME=/xdg;HOME=/home/u", "/xdg/kernelgen")]
    [InlineData(WeightCache.OsFamily.Unix, "XDG_CACHE_HOME=relative;HOME=/home/u", "/home/u/.cache/kernelgen")]
    [InlineData(WeightCache.OsFamily.Unix, "HOME=/home/u", "/home/u/.cache/kernelgen")]
    [InlineData(WeightCache.OsFamily.MacOs, "XDG_CACHE_HOME=/xdg;HOME=/Users/u", "/Users/u/Library/Caches/kernelgen")]
    [InlineData(WeightCache.OsFamily.Windows, "LOCALAPPDATA=/c/Users/u/AppData/Local;USERPROFILE=/c/Users/u", "/c/Users/u/AppData/Local/kernelgen")]
    [InlineData(WeightCache.OsFamily.Windows, "USERPROFILE=/c/Users/u", "/c/Users/u/AppData/Local/kernelgen")]
    public void The_cache_folder_follows_each_OS(WeightCache.OsFamily os, string environment, string expected)
    {
        Dictionary<string, string> env = environment.Split(';').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(expected, WeightCache.DefaultDirectory(n => env.GetValueOrDefault(n), os).Replace('\\', '/'));
    }

    [Fact]
    public void No_home_at_all_is_a_clear_error() =>
        Assert.Contains("neither XDG_CACHE_HOME nor HOME is set", Assert.Throws<WeightDownloadException>(() => WeightCache.DefaultDirectory(_ => null, WeightCache.OsFamily.Unix)).Message, StringComparison.Ordinal);

    /// <summary>Records reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SynchronousProgress(List<DownloadProgress> log) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            lock (log) log.Add(value);
        }
    }
}
