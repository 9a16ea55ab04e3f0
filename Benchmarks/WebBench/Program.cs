using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KernelGen.Samples.EfficientNet.Web.Tests;
using Microsoft.Playwright;

// Publishes the page (Release), serves it on 127.0.0.1, opens it in headless chromium (WebGPU via
// --enable-unsafe-webgpu) and prints: the published payload (raw and Brotli), the time from navigation
// to the first classification (with its phases), and the warm inference time. Writes
// artifacts/bench/web.json and web.md.
//   dotnet run -c Release --project Benchmarks/WebBench [-- --weights FILE] [--runs N]
var root = FindRepoRoot();
var weights = Path.GetFullPath(Path.Combine(root, "..", "shared", "fixtures", "efficientnet_b0", "weights.f16.safetensors"));
var runs = 10;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--weights") weights = Path.GetFullPath(args[++i]);
    else if (args[i] == "--runs") runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
}
const string chromium = "/usr/bin/chromium";
if (!File.Exists(chromium)) return Fail($"{chromium} is missing; run scripts/setup-browser.sh.");
if (!File.Exists(weights)) return Fail($"weights not found: {weights} (pass --weights FILE).");

var site = Path.Combine(root, "artifacts", "bench", "web-site");
// A clean folder: publishing over an old one leaves its fingerprinted files behind, which would count as payload.
if (Directory.Exists(site)) Directory.Delete(site, recursive: true);
var watch = Stopwatch.StartNew();
var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "Samples.EfficientNet.Web", "Samples.EfficientNet.Web.csproj"), "-c", "Release", "-o", site, "-nologo", "-v:q"]))!;
await publish.WaitForExitAsync();
if (publish.ExitCode != 0) return Fail("dotnet publish failed.");
var publishSeconds = watch.Elapsed.TotalSeconds;
var wwwroot = Path.Combine(site, "wwwroot");

// What the page downloads at start: everything under wwwroot except source maps, symbols and the compressed twins.
var payload = Directory.EnumerateFiles(wwwroot, "*", SearchOption.AllDirectories)
    .Where(f => !f.EndsWith(".br", StringComparison.Ordinal) && !f.EndsWith(".gz", StringComparison.Ordinal)
        && !f.EndsWith(".map", StringComparison.Ordinal) && !f.EndsWith(".pdb", StringComparison.Ordinal))
    .ToList();
long raw = payload.Sum(f => new FileInfo(f).Length);
long brotli = payload.Sum(f => File.Exists(f + ".br") ? new FileInfo(f + ".br").Length : new FileInfo(f).Length);

using var server = new StaticSiteServer(wwwroot);
server.Mount("/weights.safetensors", weights);
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = chromium, Headless = true, Args = ["--enable-unsafe-webgpu", "--disable-quic"],
});
var page = await browser.NewPageAsync();
page.SetDefaultTimeout(300_000);
// The sample's demo photo (a JPEG, decoded by the browser); a generated PNG if it is missing.
var image = Path.Combine(root, "Samples.EfficientNet", "Assets", "demo.jpg");
if (!File.Exists(image))
{
    image = Path.Combine(root, "artifacts", "bench", "bench-image.png");
    Directory.CreateDirectory(Path.GetDirectoryName(image)!);
    await File.WriteAllBytesAsync(image, GradientPng());
}
var imageUrl = server.Mount("/bench-image" + Path.GetExtension(image), image);

await page.GotoAsync(server.Url("index.html?weights=weights.safetensors"));
var start = await page.EvaluateAsync<JsonElement>("() => globalThis.kernelgen.ready");
if (!start.GetProperty("ok").GetBoolean()) return Fail($"WebGPU did not start: {start}");
await page.Locator("#weights-status").Filter(new() { HasText = "Loaded" }).WaitForAsync();
var weightsLoadedMs = await page.EvaluateAsync<double>("() => performance.now()");
await page.Locator("#image-file").SetInputFilesAsync(image);
await page.Locator("#result").WaitForAsync(new() { State = WaitForSelectorState.Visible });
var firstResultMs = await page.EvaluateAsync<double>("() => performance.now()");

var warm = new List<double>();
var preprocess = new List<double>();
for (var i = 0; i < runs; i++)
{
    var answer = await page.EvaluateAsync<JsonElement>("url => globalThis.kernelgen.classifyUrl(url)", imageUrl);
    warm.Add(answer.GetProperty("milliseconds").GetDouble());
    preprocess.Add(answer.GetProperty("preprocessMs").GetDouble());
}
// Host cost of recording one dispatch on the interpreter: 4200 small dependent dispatches, one stream.
var chain = await page.EvaluateAsync<JsonElement>("() => globalThis.kernelgen.test.runChainAndGraph(Array.from({ length: 256 }, (_, i) => i), 4200, 1, 0)");
if (!chain.GetProperty("ok").GetBoolean()) return Fail($"the dispatch run failed: {chain}");
warm.Sort();
preprocess.Sort();
var median = warm[warm.Count / 2];

var report = new
{
    adapter = start.GetProperty("adapter").GetString(),
    publishSeconds = Math.Round(publishSeconds, 1),
    payloadFiles = payload.Count,
    payloadBytes = raw,
    payloadBrotliBytes = brotli,
    dotnetStartMs = Math.Round(start.GetProperty("dotnetReadyMs").GetDouble()),
    weightsLoadedMs = Math.Round(weightsLoadedMs),
    firstResultMs = Math.Round(firstResultMs),
    warmRuns = runs,
    warmMedianMs = Math.Round(median, 1),
    warmMinMs = Math.Round(warm[0], 1),
    warmMaxMs = Math.Round(warm[^1], 1),
    warmPreprocessMedianMs = Math.Round(preprocess[preprocess.Count / 2], 1),
    recordMicrosecondsPerDispatch = Math.Round(chain.GetProperty("recordMicrosecondsPerDispatch").GetDouble(), 1),
    chainOf4200DispatchesMs = Math.Round(chain.GetProperty("totalMs").GetDouble()),
};
var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
var md = new StringBuilder()
    .AppendLine("# EfficientNet-B0 page (headless chromium, WebGPU)")
    .AppendLine()
    .AppendLine("| figure | value |").AppendLine("| --- | --- |")
    .AppendLine(CultureInfo.InvariantCulture, $"| adapter | {report.adapter} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| image | {Path.GetFileName(image)} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| published payload | {report.payloadFiles} files, {raw / 1e6:F2} MB raw, {brotli / 1e6:F2} MB Brotli |")
    .AppendLine(CultureInfo.InvariantCulture, $"| .NET started (from navigation) | {report.dotnetStartMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| weights downloaded, uploaded, pipelines compiled | {report.weightsLoadedMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| first result (time to first result) | {report.firstResultMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| warm inference (preprocess + forward + readback), median of {runs} | {report.warmMedianMs} ms (min {report.warmMinMs}, max {report.warmMaxMs}) |")
    .AppendLine(CultureInfo.InvariantCulture, $"| of which preprocessing in .NET (interpreter), median | {report.warmPreprocessMedianMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| host recording per dispatch (interpreter; 4200 dispatches, one stream) | {report.recordMicrosecondsPerDispatch} us; all done in {report.chainOf4200DispatchesMs} ms |")
    .ToString();
var outDir = Path.Combine(root, "artifacts", "bench");
await File.WriteAllTextAsync(Path.Combine(outDir, "web.json"), json);
await File.WriteAllTextAsync(Path.Combine(outDir, "web.md"), md);
Console.WriteLine(md);
Console.WriteLine($"wrote {Path.Combine(outDir, "web.json")} and web.md");
return 0;

static int Fail(string message)
{
    Console.Error.WriteLine($"WebBench: {message}");
    return 1;
}

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !File.Exists(Path.Combine(dir.FullName, "KernelGen.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("KernelGen.sln not found.");
}

// A 320 x 240 colour gradient: the page resizes and crops it like any photo.
static byte[] GradientPng()
{
    const int w = 320, h = 240;
    var rgb = new byte[w * h * 3];
    for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            rgb[(y * w + x) * 3] = (byte)(255 * x / w);
            rgb[(y * w + x) * 3 + 1] = (byte)(255 * y / h);
            rgb[(y * w + x) * 3 + 2] = (byte)((x ^ y) & 255);
        }
    return Png.Encode(rgb, w, h);
}
