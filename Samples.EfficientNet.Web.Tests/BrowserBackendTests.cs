using System.Text.Json;
using Microsoft.Playwright;

namespace KernelGen.Samples.EfficientNet.Web.Tests;

/// <summary>KernelGen's browser backend, exercised in headless chromium on WebGPU (SwiftShader) through the page's test hook.</summary>
[Collection(PageCollection.Name)]
public sealed class BrowserBackendTests(PageFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Page_StartsOnTheBrowsersWebGpuAdapter()
    {
        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");
        Assert.Equal("Browser", start.GetProperty("backend").GetString());
        Assert.False(string.IsNullOrWhiteSpace(start.GetProperty("adapter").GetString()));
        var text = await page.InnerTextAsync("#gpu-status");
        Assert.Contains(start.GetProperty("adapter").GetString()!, text, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedPage_CarriesNoNativeDawnLibrary()
    {
        var native = Directory.EnumerateFiles(fixture.SiteRoot, "*.so", SearchOption.AllDirectories).ToList();
        Assert.True(native.Count == 0, $"the browser publish carries native libraries: {string.Join(", ", native)}");
        Assert.True(File.Exists(Path.Combine(fixture.SiteRoot, "wwwroot", "_framework", "dotnet.js")), "the publish has no _framework/dotnet.js");
    }

    [Fact]
    public async Task TestKernels_InThePage_MatchCSharp()
    {
        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");

        const int n = 1000; // not a multiple of the workgroup size: the bounds checks matter
        var random = new Random(1234);
        var a = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        const float scale = 2.5f, shift = -0.75f;
        var result = await page.EvaluateAsync<JsonElement>(
            "([a, b, s, t]) => globalThis.kernelgen.test.runTestKernels(a, b, s, t)", new object[] { a.Select(v => (double)v).ToArray(), b.Select(v => (double)v).ToArray(), (double)scale, (double)shift });
        Assert.True(result.GetProperty("ok").GetBoolean(), $"the kernels failed in the page: {result}\n{string.Join('\n', console)}");

        var added = Floats(result, "add");
        var scaled = Floats(result, "scaled");
        var sums = Floats(result, "sums");
        Assert.Equal(n, added.Length);
        Assert.Equal(n, scaled.Length);
        Assert.Equal((n + 63) / 64, sums.Length);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(a[i] + b[i], added[i]); // one IEEE f32 addition: exact
            var expected = scale * a[i] + shift;
            Assert.True(Math.Abs(scaled[i] - expected) <= 1e-6f * Math.Max(1f, Math.Abs(expected)), $"scaled[{i}] = {scaled[i]}, expected {expected}");
        }
        for (var g = 0; g < sums.Length; g++)
        {
            var expected = 0.0;
            for (var i = g * 64; i < Math.Min(n, g * 64 + 64); i++) expected += a[i];
            Assert.True(Math.Abs(sums[g] - expected) <= 1e-4, $"sums[{g}] = {sums[g]}, expected {expected}");
        }
        Assert.Equal(added[^3..], Floats(result, "addTail"));
    }

    [Fact]
    public async Task ManyDispatches_OverflowingTheUniformArena_AndAGraphReplay_GiveCSharpResults()
    {
        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");
        // 4200 dispatches with a 256-byte uniform slot each: more than the 1 MiB arena (4096 slots) holds.
        const int n = 300, dispatches = 4200;
        var a = Enumerable.Range(0, n).Select(i => (double)(i % 17 - 8)).ToArray();
        var result = await page.EvaluateAsync<JsonElement>(
            "([a, d, s, t]) => globalThis.kernelgen.test.runChainAndGraph(a, d, s, t)", new object[] { a, dispatches, -1.5, 0.25 });
        Assert.True(result.GetProperty("ok").GetBoolean(), $"the dispatches failed in the page: {result}\n{string.Join('\n', console)}");
        var chain = Floats(result, "chain");
        var graph = Floats(result, "graph");
        for (var i = 0; i < n; i++)
        {
            Assert.Equal((float)a[i] + dispatches, chain[i]); // small integers: exact in f32
            Assert.Equal(-1.5f * (float)a[i] + 0.25f, graph[i]);
        }
        Assert.Equal(1, result.GetProperty("graphDispatches").GetInt32());
        output.WriteLine($"{dispatches} dispatches: {result.GetProperty("recordMicrosecondsPerDispatch").GetDouble():F1} us host recording each " +
            $"(WebAssembly interpreter), {result.GetProperty("totalMs").GetDouble():F0} ms until done");
    }

    [Fact]
    public async Task BlockingCalls_InTheBrowser_ThrowNamingTheAsyncAlternative()
    {
        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");
        var messages = await page.EvaluateAsync<JsonElement>("() => globalThis.kernelgen.test.blockingCallMessages()");
        Assert.StartsWith("PlatformNotSupportedException", messages.GetProperty("synchronize").GetString(), StringComparison.Ordinal);
        Assert.Contains("SynchronizeAsync", messages.GetProperty("synchronize").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("PlatformNotSupportedException", messages.GetProperty("download").GetString(), StringComparison.Ordinal);
        Assert.Contains("DownloadAsync", messages.GetProperty("download").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("PlatformNotSupportedException", messages.GetProperty("create").GetString(), StringComparison.Ordinal);
        Assert.Contains("CreateAsync", messages.GetProperty("create").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenWgsl_InTheBrowser_ThrowsCompilationErrorNamingKernelAndLine()
    {
        var (page, start, console) = await fixture.OpenAsync();
        await using var _ = page.Context;
        Assert.True(start.GetProperty("ok").GetBoolean(), $"WebGPU did not start in chromium: {start}\n{string.Join('\n', console)}");
        var answer = await page.EvaluateAsync<JsonElement>("() => globalThis.kernelgen.test.brokenKernel()");
        Assert.False(answer.GetProperty("ok").GetBoolean(), "the broken WGSL compiled");
        Assert.Equal("GpuCompilationException", answer.GetProperty("error").GetString());
        var reason = answer.GetProperty("reason").GetString()!;
        Assert.Contains("KernelGen.Samples.EfficientNet.Web.TestKernels.Broken (TestKernels.cs(1))", reason, StringComparison.Ordinal);
        Assert.Contains("5:", reason, StringComparison.Ordinal); // the line of the unresolved identifier
        Assert.Contains("undefined_value", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_WithoutWebGpu_FallsBackToTheCpu_FetchesTorchvisionsWeightsAndStillAnswers()
    {
        var reference = ReferenceFixture.Load();
        var image = Enumerable.Range(0, reference.Images).MaxBy(reference.Margin);
        var browser = await fixture.LaunchAsync(webGpu: false);
        try
        {
            var (page, start, console) = await fixture.OpenAsync(browser);
            Assert.True(start.GetProperty("ok").GetBoolean(), $"the CPU fallback did not start: {start}\n{string.Join('\n', console)}");
            Assert.True(start.GetProperty("cpuFallback").GetBoolean(), $"chromium without --enable-unsafe-webgpu unexpectedly offered WebGPU here: {start}");
            Assert.Equal("Cpu", start.GetProperty("backend").GetString());
            var text = await page.InnerTextAsync("#gpu-status");
            Assert.StartsWith("No WebGPU here (", text, StringComparison.Ordinal);
            Assert.Contains("requestAdapter", text, StringComparison.Ordinal);
            Assert.Contains("on the CPU in .NET WebAssembly", text, StringComparison.Ordinal);
            // The first screen says what the page needs before it can answer.
            Assert.StartsWith("To answer, this page needs EfficientNet-B0's trained weights", await page.InnerTextAsync("#weights-needed"), StringComparison.Ordinal);
            Assert.False(await page.IsDisabledAsync("#image-file"));

            // "Use torchvision's weights", pointed at a loopback copy (the fixture .pth, torchvision's layout): a wrong hash is refused, the right one loads.
            var pthUrl = fixture.Server.Mount("/models/weights.f16.pth", Path.Combine(PageFixture.FixtureDir, "weights.f16.pth"));
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(PageFixture.FixtureDir, "weights.f16.pth"))));
            await page.EvaluateAsync("([url]) => Object.assign(globalThis.kernelgen.torchvision, { url, sha256: '0'.repeat(64), name: 'weights.f16.pth' })", new[] { pthUrl });
            await page.ClickAsync("#weights-torchvision");
            await Assertions.Expect(page.Locator("#weights-status")).ToContainTextAsync("weights.f16.pth: SHA-256 " + sha[..8] + "… instead of 00000000…; the download was discarded.", new() { Timeout = 120_000 });
            await page.EvaluateAsync("([sha]) => { globalThis.kernelgen.torchvision.sha256 = sha; }", new[] { sha });
            await page.ClickAsync("#weights-torchvision");
            await Assertions.Expect(page.Locator("#weights-status")).ToContainTextAsync("Loaded weights.f16.pth", new() { Timeout = 180_000 });
            Assert.False(await page.IsVisibleAsync("#weights-needed"));

            // One answer on the CPU backend, slowly, but the right class.
            var pngUrl = fixture.Server.Mount($"/cpu-{image}.png", await EfficientNetPageTests.WritePng(reference, image));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await page.EvaluateAsync("url => globalThis.kernelgen.classifyUrl(url)", pngUrl);
            await Assertions.Expect(page.Locator("#answer")).ToHaveTextAsync($"The image contains a — {reference.ClassNames[reference.Top1(image)]}", new() { Timeout = 60_000 });
            output.WriteLine($"CPU fallback in .NET WebAssembly: one image in {watch.Elapsed.TotalSeconds:F1} s; {await page.InnerTextAsync("#timing")}");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PageFixture.ArtifactDir, "page-without-webgpu.png"), FullPage = true });
        }
        finally
        {
            await browser.CloseAsync();
        }
    }

    internal static float[] Floats(JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(v => v.GetSingle()).ToArray();
}
