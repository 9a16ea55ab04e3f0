using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KernelGen.Benchmarks.Web;
using KernelGen.Samples.EfficientNet.Web.Tests;
using Microsoft.Playwright;

// Publishes the page (Release), serves it on 127.0.0.1, opens it in headless chromium (WebGPU via
// --enable-unsafe-webgpu) and prints: the published payload (raw and Brotli), the time from navigation
// to the first classification (with its phases), and the warm inference time. Then, in the same browser (same
// adapter), the peer: onnxruntime-web on the fixture's model.onnx with its WebGPU execution provider and its wasm
// backend (1 and 2 threads; the peer server sends the cross-origin isolation headers threads need), on the fixture's
// reference input, with its logits checked against the reference logits. Writes artifacts/bench/web.json and web.md.
//   dotnet run -c Release --project Benchmarks/WebBench [-- --weights FILE] [--runs N] [--model FILE]
//       [--reference FILE] [--peer-runs N] [--peers webgpu,wasm1,wasm2 | --no-peer] [--ort-version V]
var root = FindRepoRoot();
var fixture = Path.Combine(root, "..", "shared", "fixtures", "efficientnet_b0");
var weights = Path.GetFullPath(Path.Combine(fixture, "weights.f16.safetensors"));
var model = Path.GetFullPath(Path.Combine(fixture, "model.onnx"));
var reference = Path.GetFullPath(Path.Combine(fixture, "reference_io.safetensors"));
var runs = 10;
var peerRuns = 3;
var peers = new List<string> { "webgpu", "wasm1", "wasm2" };
var ortVersion = "1.30.0";
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--no-peer") peers.Clear();
    else if (i == args.Length - 1) return Fail($"{args[i]} needs a value (or is unknown).");
    else if (args[i] == "--weights") weights = Path.GetFullPath(args[++i]);
    else if (args[i] == "--runs") runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--model") model = Path.GetFullPath(args[++i]);
    else if (args[i] == "--reference") reference = Path.GetFullPath(args[++i]);
    else if (args[i] == "--peer-runs") peerRuns = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--peers") peers = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    else if (args[i] == "--ort-version") ortVersion = args[++i];
    else return Fail($"unknown option {args[i]}.");
}
foreach (var p in peers)
    if (p != "webgpu" && !(p.StartsWith("wasm", StringComparison.Ordinal) && int.TryParse(p.AsSpan(4), out var t) && t > 0))
        return Fail($"--peers: '{p}' is not webgpu or wasmN (N threads).");
const string chromium = "/usr/bin/chromium";
if (!File.Exists(chromium)) return Fail($"{chromium} is missing; run scripts/setup-browser.sh.");
if (!File.Exists(weights)) return Fail($"weights not found: {weights} (pass --weights FILE).");
if (!File.Exists(reference)) return Fail($"reference input/logits not found: {reference} (pass --reference FILE).");
string? ortDist = null;
if (peers.Count > 0)
{
    if (!File.Exists(model)) return Fail($"model not found: {model} (pass --model FILE, or --no-peer).");
    ortDist = await EnsureOrtWebAsync(root, ortVersion);
    if (ortDist is null) return Fail($"onnxruntime-web {ortVersion} could not be fetched with npm (pass --no-peer to skip the peer).");
}
var loadAtStart = File.ReadAllText("/proc/loadavg").Trim();
var startedUtc = DateTime.UtcNow;

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
Console.WriteLine($"chromium {browser.Version}; load average {loadAtStart}");
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
// The pipelines compile while the weights download (main.js starts PrecompileAsync once the device exists).
var precompileMs = await page.EvaluateAsync<double>("() => globalThis.kernelgen.precompiled?.milliseconds ?? -1");

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
// Ours on the peer's input: the fixture's reference images (already normalised), one forward pass each.
var ours = await page.EvaluateAsync<JsonElement>("url => globalThis.kernelgen.test.referenceLogits(url)", server.Mount("/reference_io.safetensors", reference));
if (!ours.GetProperty("ok").GetBoolean()) return Fail($"our reference run failed: {ours}");
var expected = SafetensorsF32(reference, "logits").Select(v => (double)v).ToArray();
var ourLogits = ours.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
var ourMaxAbs = 0.0;
for (var i = 0; i < 1000; i++) ourMaxAbs = Math.Max(ourMaxAbs, Math.Abs(ourLogits[i] - expected[i]));
var ourReferenceMs = ours.GetProperty("milliseconds").EnumerateArray().Select(e => e.GetDouble()).Order().ToList();
var ourTop1Ok = ArgMax(ourLogits.AsSpan(0, 1000)) == ArgMax(expected.AsSpan(0, 1000));
await page.CloseAsync(); // the peer gets the browser (and the 2 cores) to itself

warm.Sort();
preprocess.Sort();
var median = warm[warm.Count / 2];

// The peer, one fresh page per configuration (ORT fixes its wasm settings at the first session).
var peerResults = new List<PeerResult>();
if (ortDist is not null)
{
    using var peerServer = new PeerSiteServer();
    peerServer.MountFolder("peer", Path.Combine(root, "Benchmarks", "WebBench", "peer"));
    peerServer.MountFolder("ort", ortDist);
    peerServer.MountFile("model.onnx", model);
    peerServer.MountFile("reference_io.safetensors", reference);
    foreach (var p in peers)
    {
        var ep = p == "webgpu" ? "webgpu" : "wasm";
        var threads = ep == "wasm" ? int.Parse(p.AsSpan(4), CultureInfo.InvariantCulture) : 1;
        Console.WriteLine($"onnxruntime-web {ep} ({threads} thread(s)): {peerRuns} warm runs...");
        var peerPage = await browser.NewPageAsync();
        peerPage.SetDefaultTimeout(600_000);
        peerPage.Console += (_, m) => { if (m.Type is "error" or "warning") Console.WriteLine($"  [{p} console] {m.Text}"); };
        await peerPage.GotoAsync(peerServer.Url($"peer/ort.html?ep={ep}&threads={threads}"));
        await peerPage.WaitForFunctionAsync("() => globalThis.ortBench !== undefined");
        var r = await peerPage.EvaluateAsync<JsonElement>("runs => globalThis.ortBench.run({ runs })", peerRuns);
        await peerPage.CloseAsync();
        if (!r.GetProperty("ok").GetBoolean())
        {
            Console.WriteLine($"  failed: {r.GetProperty("error").GetString()}");
            peerResults.Add(new PeerResult(p, ep, threads, false, r.GetProperty("error").GetString(), null, 0, 0, [], 0, false, false));
            continue;
        }
        var samples = r.GetProperty("warmMs").EnumerateArray().Select(e => Math.Round(e.GetDouble(), 1)).ToList();
        var isolated = r.GetProperty("crossOriginIsolated").GetBoolean();
        peerResults.Add(new PeerResult(p, ep, threads, true, null,
            r.GetProperty("adapter").ValueKind == JsonValueKind.String ? r.GetProperty("adapter").GetString() : null,
            Math.Round(r.GetProperty("createMs").GetDouble()), Math.Round(r.GetProperty("firstMs").GetDouble(), 1), samples,
            r.GetProperty("maxAbsDiff").GetDouble(), r.GetProperty("top1").GetInt32() == r.GetProperty("referenceTop1").GetInt32(), isolated)
        {
            FirstAnswerMs = Math.Round(r.GetProperty("firstAnswerMs").GetDouble()),
        });
        Console.WriteLine($"  created in {peerResults[^1].CreateMs} ms, first {peerResults[^1].FirstMs} ms, first answer {peerResults[^1].FirstAnswerMs} ms from navigation, warm [{string.Join(", ", samples)}] ms, max abs diff {peerResults[^1].MaxAbsDiff:E1}, cross-origin isolated {isolated}");
    }
}
var loadAtEnd = File.ReadAllText("/proc/loadavg").Trim();

var report = new
{
    date = startedUtc.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
    chromium = browser.Version,
    loadAverageAtStart = loadAtStart,
    loadAverageAtEnd = loadAtEnd,
    adapter = start.GetProperty("adapter").GetString(),
    publishSeconds = Math.Round(publishSeconds, 1),
    payloadFiles = payload.Count,
    payloadBytes = raw,
    payloadBrotliBytes = brotli,
    dotnetStartMs = Math.Round(start.GetProperty("dotnetReadyMs").GetDouble()),
    weightsLoadedMs = Math.Round(weightsLoadedMs),
    firstResultMs = Math.Round(firstResultMs),
    precompileMs = Math.Round(precompileMs),
    warmRuns = runs,
    warmMedianMs = Math.Round(median, 1),
    warmMinMs = Math.Round(warm[0], 1),
    warmMaxMs = Math.Round(warm[^1], 1),
    warmPreprocessMedianMs = Math.Round(preprocess[preprocess.Count / 2], 1),
    recordMicrosecondsPerDispatch = Math.Round(chain.GetProperty("recordMicrosecondsPerDispatch").GetDouble(), 1),
    chainOf4200DispatchesMs = Math.Round(chain.GetProperty("totalMs").GetDouble()),
    referenceImagesMs = ourReferenceMs.Select(v => Math.Round(v, 1)).ToList(),
    referenceImage0MaxAbsDiff = ourMaxAbs,
    referenceImage0Top1Matches = ourTop1Ok,
    referenceImagesMedianMs = Math.Round(ourReferenceMs[ourReferenceMs.Count / 2], 1),
    onnxruntimeWeb = new
    {
        version = ortVersion,
        model,
        runs = peerRuns,
        results = peerResults.Select(r => new
        {
            r.Name, r.Ep, r.Threads, r.Ok, r.Error, r.Adapter, r.CreateMs, r.FirstMs, r.FirstAnswerMs, warmMs = r.WarmMs,
            warmMedianMs = r.Ok ? r.WarmMedian : (double?)null, r.MaxAbsDiff, r.Top1Matches, r.CrossOriginIsolated,
            ratioPeerToOurs = r.Ok ? Math.Round(r.WarmMedian / median, 2) : (double?)null,
        }).ToList(),
    },
};
var json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
var md = new StringBuilder()
    .AppendLine("# EfficientNet-B0 page (headless chromium, WebGPU)")
    .AppendLine()
    .AppendLine("| figure | value |").AppendLine("| --- | --- |")
    .AppendLine(CultureInfo.InvariantCulture, $"| date | {report.date} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| chromium | {report.chromium} (headless, --enable-unsafe-webgpu) |")
    .AppendLine(CultureInfo.InvariantCulture, $"| load average (1, 5, 15 min; 2 cores) | start {string.Join(", ", loadAtStart.Split(' ').Take(3))}; end {string.Join(", ", loadAtEnd.Split(' ').Take(3))} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| adapter | {report.adapter} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| image | {Path.GetFileName(image)} |")
    .AppendLine(CultureInfo.InvariantCulture, $"| published payload | {report.payloadFiles} files, {raw / 1e6:F2} MB raw, {brotli / 1e6:F2} MB Brotli |")
    .AppendLine(CultureInfo.InvariantCulture, $"| .NET started (from navigation) | {report.dotnetStartMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| weights downloaded and uploaded (from navigation) | {report.weightsLoadedMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| pipelines compiled (in parallel with the weight download, from device start) | {report.precompileMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| first result (time to first result) | {report.firstResultMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| warm inference (preprocess + forward + readback), median of {runs} | {report.warmMedianMs} ms (min {report.warmMinMs}, max {report.warmMaxMs}) |")
    .AppendLine(CultureInfo.InvariantCulture, $"| of which preprocessing in .NET (interpreter), median | {report.warmPreprocessMedianMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| host recording per dispatch (interpreter; 4200 dispatches, one stream) | {report.recordMicrosecondsPerDispatch} us; all done in {report.chainOf4200DispatchesMs} ms |")
    .AppendLine(CultureInfo.InvariantCulture, $"| forward (upload + forward + readback) on the 8 reference inputs, median (min-max) | {ourReferenceMs[ourReferenceMs.Count / 2]:F1} ms ({ourReferenceMs[0]:F1}-{ourReferenceMs[^1]:F1}); image 0 max abs diff {ourMaxAbs:E1} from the reference logits, top-1 {(ourTop1Ok ? "matches" : "DIFFERS")} |");
if (peerResults.Count > 0)
{
    md.AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"## Against onnxruntime-web {ortVersion} (same browser, same run; batch 1)")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"Peer: `model.onnx` on reference image 0 (already normalised), session created from the model bytes (download excluded), `session.run` timed with the output read back to the CPU, {peerRuns} warm runs after one first run. Ours: the page's warm inference above (preprocessing in .NET + forward + readback), median of {runs}. Ratio = peer warm median / ours (> 1: ours faster).")
        .AppendLine()
        .AppendLine("Time to the first answer: from navigation to the first classification's output (ours: .NET start, weight download over loopback, pipelines compiling in parallel with it, the image chosen once the weights are loaded, the first forward pass; the peer: onnxruntime-web's start, the model download over loopback, session creation, the first inference).")
        .AppendLine()
        .AppendLine("| runner | time to first answer (from navigation) | session creation | first inference | warm median (min-max) | ratio peer / ours | max abs diff from reference logits | top-1 |")
        .AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        .AppendLine(CultureInfo.InvariantCulture, $"| ours (KernelGen page, WebGPU, {report.adapter}) | **{report.firstResultMs} ms** | {report.weightsLoadedMs - report.dotnetStartMs} ms (weights; pipelines compile meanwhile) | {report.firstResultMs - report.weightsLoadedMs} ms | {median:F1} ms ({warm[0]:F1}-{warm[^1]:F1}) | 1 | {ourMaxAbs:E1} | {(ourTop1Ok ? "matches" : "DIFFERS")} |");
    foreach (var r in peerResults)
    {
        var label = r.Ep == "webgpu" ? $"onnxruntime-web WebGPU EP ({r.Adapter})" : $"onnxruntime-web wasm, {r.Threads} thread(s){(r.Threads > 1 && !r.CrossOriginIsolated ? " (NOT cross-origin isolated)" : "")}";
        if (!r.Ok) md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | failed: {r.Error?.Split('\n')[0]} | | | | | | |");
        else md.AppendLine(CultureInfo.InvariantCulture, $"| {label} | **{r.FirstAnswerMs:F0} ms** | {r.CreateMs:F0} ms | {r.FirstMs:F1} ms | {r.WarmMedian:F1} ms ({r.WarmMs.Min():F1}-{r.WarmMs.Max():F1}) | **{r.WarmMedian / median:F2}** | {r.MaxAbsDiff:E1} | {(r.Top1Matches ? "matches" : "DIFFERS")} |");
    }
    var gpu = peerResults.FirstOrDefault(r => r.Ep == "webgpu" && r.Ok);
    if (gpu is not null)
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Target (issue 6): ours at least 5x faster than onnxruntime-web WebGPU on the same adapter: {gpu.WarmMedian / median:F1}x, {(gpu.WarmMedian / median >= 5 ? "met" : "MISSED")}. On the peer's own input (the reference images, ours without preprocessing: median {ourReferenceMs[ourReferenceMs.Count / 2]:F1} ms): {gpu.WarmMedian / ourReferenceMs[ourReferenceMs.Count / 2]:F1}x.");
}
var mdText = md.ToString();
var outDir = Path.Combine(root, "artifacts", "bench");
await File.WriteAllTextAsync(Path.Combine(outDir, "web.json"), json);
await File.WriteAllTextAsync(Path.Combine(outDir, "web.md"), mdText);
Console.WriteLine(mdText);
Console.WriteLine($"wrote {Path.Combine(outDir, "web.json")} and web.md");
return 0;

// onnxruntime-web's dist folder under artifacts/ort-web/<version>/ (git-ignored), fetched with npm when missing.
static async Task<string?> EnsureOrtWebAsync(string root, string version)
{
    var folder = Path.Combine(root, "artifacts", "ort-web", version);
    var dist = Path.Combine(folder, "package", "dist");
    if (File.Exists(Path.Combine(dist, "ort.webgpu.min.mjs"))) return dist;
    Directory.CreateDirectory(folder);
    Console.WriteLine($"fetching onnxruntime-web {version} (npm pack) into {folder}");
    foreach (var (tool, arguments) in new[]
    {
        ("npm", new[] { "pack", $"onnxruntime-web@{version}", "--pack-destination", folder, "--loglevel", "warn" }),
        ("tar", new[] { "xzf", Path.Combine(folder, $"onnxruntime-web-{version}.tgz"), "-C", folder }),
    })
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, arguments))!;
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) return null;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"WebBench: cannot run {tool}: {e.Message}");
            return null;
        }
    }
    return File.Exists(Path.Combine(dist, "ort.webgpu.min.mjs")) ? dist : null;
}

// One F32 tensor of a safetensors file.
static float[] SafetensorsF32(string file, string name)
{
    var bytes = File.ReadAllBytes(file);
    var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
    using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
    if (!header.RootElement.TryGetProperty(name, out var entry)) throw new InvalidDataException($"{file}: no '{name}' tensor.");
    if (entry.GetProperty("dtype").GetString() != "F32") throw new InvalidDataException($"{file}: '{name}' is not F32.");
    var offsets = entry.GetProperty("data_offsets");
    var begin = 8 + headerLength + offsets[0].GetInt32();
    var end = 8 + headerLength + offsets[1].GetInt32();
    return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(begin, end - begin)).ToArray();
}

static int ArgMax(ReadOnlySpan<double> values)
{
    var best = 0;
    for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
    return best;
}

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

internal sealed record PeerResult(string Name, string Ep, int Threads, bool Ok, string? Error, string? Adapter, double CreateMs,
    double FirstMs, List<double> WarmMs, double MaxAbsDiff, bool Top1Matches, bool CrossOriginIsolated)
{
    /// <summary>From navigation to the first inference's output (ORT loaded, model fetched, session created, first run).</summary>
    public double FirstAnswerMs { get; init; }

    public double WarmMedian => WarmMs.Order().ElementAt(WarmMs.Count / 2);
}
