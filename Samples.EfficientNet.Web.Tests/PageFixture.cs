using System.Diagnostics;
using Microsoft.Playwright;

namespace KernelGen.Samples.EfficientNet.Web.Tests;

/// <summary>
/// Publishes the page once (Release, like scripts/serve-web.sh), serves it, and starts Debian's chromium
/// headless through Playwright. Missing chromium or a failed publish fail every test loudly with the fix.
/// </summary>
public sealed class PageFixture : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string FixtureDir { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures", "efficientnet_b0"));

    public static string ArtifactDir { get; } = Path.Combine(RepoRoot, "artifacts", "web-tests");

    internal StaticSiteServer Server { get; private set; } = null!;

    /// <summary>Chromium with WebGPU (SwiftShader) enabled.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Seconds dotnet publish took (for the benchmark figures).</summary>
    public double PublishSeconds { get; private set; }

    public string SiteRoot { get; } = Path.Combine(RepoRoot, "artifacts", "web-tests", "site");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} is missing: the browser tests need Debian's chromium. Run scripts/setup-browser.sh (scripts/test.sh does).");
        Directory.CreateDirectory(ArtifactDir);
        var watch = Stopwatch.StartNew();
        await Publish().ConfigureAwait(false);
        PublishSeconds = watch.Elapsed.TotalSeconds;
        Server = new StaticSiteServer(Path.Combine(SiteRoot, "wwwroot"));
        playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        Browser = await LaunchAsync(webGpu: true).ConfigureAwait(false);
    }

    /// <summary>Starts another chromium (e.g. without WebGPU).</summary>
    public Task<IBrowser> LaunchAsync(bool webGpu) => playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = webGpu ? ["--enable-unsafe-webgpu", "--disable-quic"] : ["--disable-quic"],
    });

    /// <summary>Opens the page and waits for .NET and the GPU to start; returns the page and the start answer.</summary>
    public async Task<(IPage Page, System.Text.Json.JsonElement Start, List<string> Console)> OpenAsync(IBrowser? browser = null, string query = "")
    {
        var page = await (browser ?? Browser).NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 900, Height = 1100 } }).ConfigureAwait(false);
        page.SetDefaultTimeout(180_000);
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) console.Add($"{m.Type}: {m.Text}"); };
        page.PageError += (_, e) => { lock (console) console.Add($"pageerror: {e}"); };
        await page.GotoAsync(Server.Url("index.html" + query)).ConfigureAwait(false);
        var start = await page.EvaluateAsync<System.Text.Json.JsonElement>("() => globalThis.kernelgen.ready").ConfigureAwait(false);
        return (page, start, console);
    }

    private async Task Publish()
    {
        var project = Path.Combine(RepoRoot, "Samples.EfficientNet.Web", "Samples.EfficientNet.Web.csproj");
        var info = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", SiteRoot, "-nologo", "-v:q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host's MSBuild variables must not leak into the child build.
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        info.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet publish of Samples.EfficientNet.Web took more than 8 minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish of Samples.EfficientNet.Web failed ({process.ExitCode}):\n{await output.ConfigureAwait(false)}\n{await error.ConfigureAwait(false)}");
    }

    public async Task DisposeAsync()
    {
        if (Browser != null) await Browser.CloseAsync().ConfigureAwait(false);
        playwright?.Dispose();
        Server?.Dispose();
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "KernelGen.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"KernelGen.sln not found above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class PageCollection : ICollectionFixture<PageFixture>
{
    public const string Name = "page";
}
