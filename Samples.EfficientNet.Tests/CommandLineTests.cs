using System.Text.Json;
using KernelGen.Samples.EfficientNet.Cli;
using KernelGen.Samples.EfficientNet.Download;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>The hand-written argument parser and the <c>verify</c> command's output contract.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Options_are_parsed_with_space_or_equals()
    {
        CommandLine cl = CommandLine.Parse(["classify", "--image", "a.jpg", "--top=3", "--backend", "cpu"], Commands.Options);
        Assert.Equal("classify", cl.Command);
        Assert.Equal("a.jpg", cl.Required("image"));
        Assert.Equal(3, cl.Int32Option("top", 5, 1, 1000));
        Assert.Equal(GpuBackend.Cpu, cl.Backend());
        Assert.Null(cl.Optional("weights"));
    }

    [Theory]
    [InlineData(new[] { "train" }, "unknown command 'train'")]
    [InlineData(new[] { "classify", "--imag", "x" }, "'classify' has no option --imag")]
    [InlineData(new[] { "classify", "--image" }, "--image needs a value")]
    [InlineData(new[] { "classify", "--image", "a", "--image", "b" }, "--image is given twice")]
    [InlineData(new[] { "classify", "a.jpg" }, "unexpected argument 'a.jpg'")]
    [InlineData(new[] { "verify", "--weights", "--reference", "r" }, "--weights needs a value")]
    public void Mistakes_are_usage_errors(string[] args, string message) =>
        Assert.Contains(message, Assert.Throws<UsageException>(() => CommandLine.Parse(args, Commands.Options)).Message);

    [Fact]
    public void Option_values_are_checked()
    {
        CommandLine cl = CommandLine.Parse(["classify", "--top", "0", "--backend", "gpu"], Commands.Options);
        Assert.Contains("--top must be an integer from 1 to 1000, got '0'", Assert.Throws<UsageException>(() => cl.Int32Option("top", 5, 1, 1000)).Message);
        Assert.Contains("--backend must be 'native' or 'cpu', got 'gpu'", Assert.Throws<UsageException>(() => cl.Backend()).Message);
        Assert.Contains("'classify' needs --image", Assert.Throws<UsageException>(() => cl.Required("image")).Message);
    }

    private static (int Code, string[] Lines) RunVerify(string weights, string reference)
    {
        var output = new StringWriter();
        CommandLine cl = CommandLine.Parse(["verify", "--weights", weights, "--reference", reference, "--backend", "cpu"], Commands.Options);
        int code = Commands.Verify(cl, output, TextWriter.Null);
        return (code, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private string ReferenceWith(int images, Func<int, float, float> editLogit)
    {
        string path = dir.File("reference.safetensors");
        float[] input = Fixture.Inputs(images);
        float[] logits = Fixture.ReferenceTensors["logits"].Data.AsSpan(0, images * 1000).ToArray();
        for (int i = 0; i < logits.Length; i++) logits[i] = editLogit(i, logits[i]);
        SafetensorsWriter.Write(path, [
            ("input", "F32", [images, 3, 224, 224], System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.AsSpan()).ToArray()),
            ("logits", "F32", [images, 1000], System.Runtime.InteropServices.MemoryMarshal.AsBytes(logits.AsSpan()).ToArray())]);
        return path;
    }

    [Fact]
    public void Verify_passes_on_the_fixture_and_ends_with_the_summary_line()
    {
        (int code, string[] lines) = RunVerify(Fixture.WeightsPth, ReferenceWith(2, (_, v) => v));
        Assert.Equal(0, code);
        Assert.StartsWith("input 0: max_abs_diff=", lines[0]);
        Assert.EndsWith("match", lines[1]);
        Assert.Matches(@"^max_abs_diff=\d\.\d{3}e-\d\d top1_match=2/2$", lines[^1]);
    }

    [Fact]
    public void Verify_fails_when_the_reference_disagrees()
    {
        // Push one logit of image 1 far up: its top-1 no longer matches, and the difference exceeds 1e-3.
        (int code, string[] lines) = RunVerify(Fixture.WeightsSafetensors, ReferenceWith(2, (i, v) => i == 1000 + 7 ? v + 100 : v));
        Assert.Equal(1, code);
        Assert.Contains("MISMATCH", lines[1]);
        Assert.EndsWith("top1_match=1/2", lines[^1]);
    }

    private static string DemoImage => Path.Combine(RepositoryRoot(), "Samples.EfficientNet", "Assets", "demo.jpg");

    private CachedWeights EmptyCache() => new(new WeightCache(dir.File("empty-cache")), WeightSource.TorchvisionImageNet1kV1);

    private static (int Code, string Output) Classify(CachedWeights cached, params string[] extra)
    {
        var output = new StringWriter();
        CommandLine cl = CommandLine.Parse(["classify", "--image", DemoImage, "--top", "3", "--backend", "cpu", .. extra], Commands.Options, Commands.Flags);
        int code = Commands.Classify(cl, output, TextWriter.Null, cached);
        return (code, output.ToString());
    }

    [Fact]
    public void Classify_on_random_weights_says_so_on_every_line_shows_no_percentage_and_exits_with_3()
    {
        (int code, string text) = Classify(EmptyCache());
        Assert.Equal(Commands.RandomWeightsExitCode, code);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("NOTE: random weights (seed 0)", lines[0]);
        Assert.Contains("meaningless", lines[0]);
        Assert.Contains("efficientnet weights fetch", lines[0]);
        Assert.Matches(@"^Top 3 for demo\.jpg \(Cpu: .+\), on RANDOM weights: not a prediction$", lines[1]);
        Assert.All(lines[2..5], l => Assert.Matches(@"^random weights, meaningless:  .+ \(\d+\)$", l));
        Assert.DoesNotContain('%', string.Join('\n', lines[..5]));
        Assert.Matches(@"^Computed in \d+\.\d ms$", lines[^1]);
    }

    [Fact]
    public void Classify_json_carries_the_weights_kind_random()
    {
        (int code, string text) = Classify(EmptyCache(), "--json");
        Assert.Equal(Commands.RandomWeightsExitCode, code);
        using var doc = JsonDocument.Parse(text);
        JsonElement root = doc.RootElement;
        Assert.Equal("random", root.GetProperty("weights").GetString());
        Assert.False(root.GetProperty("meaningful").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("weightsFile").ValueKind);
        Assert.Equal(3, root.GetProperty("top").GetArrayLength());
    }

    [Fact]
    public void Weights_fetch_then_classify_uses_the_cached_file_as_the_same_file_given_by_path()
    {
        // The whole first-use path against a loopback server: fetch stores the file, classify finds it.
        byte[] file = File.ReadAllBytes(Fixture.WeightsPth);
        string sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
        using var server = new LoopbackHttpServer(r => LoopbackResponse.File(file, r));
        var cached = new CachedWeights(new WeightCache(dir.File("cache")), WeightSource.Create(server.Url("models/fixture-weights.pth"), sha));
        var fetchOut = new StringWriter();
        var fetchProgress = new StringWriter();
        CommandLine fetch = CommandLine.Parse(["weights", "fetch"], Commands.Options, Commands.Flags);
        Assert.Equal("weights fetch", fetch.Command);

        Assert.Equal(0, WeightsCommands.Fetch(fetch, fetchOut, fetchProgress, cached, interactive: false));

        string stored = Path.Combine(dir.File("cache"), "fixture-weights.pth");
        Assert.Equal($"Stored {stored} ({file.Length} bytes, SHA-256 {sha[..8]}… verified)", fetchOut.ToString().Trim());
        Assert.Contains($"  from {server.Url("models/fixture-weights.pth")}", fetchProgress.ToString());
        Assert.Contains("(100%)", fetchProgress.ToString());

        (int code, string text) = Classify(cached, "--json");
        Assert.Equal(0, code);
        using var fromCache = JsonDocument.Parse(text);
        Assert.Equal("file", fromCache.RootElement.GetProperty("weights").GetString());
        Assert.True(fromCache.RootElement.GetProperty("meaningful").GetBoolean());
        Assert.Equal(stored, fromCache.RootElement.GetProperty("weightsFile").GetString());
        Assert.Equal(sha, fromCache.RootElement.GetProperty("sha256").GetString());

        (int code2, string text2) = Classify(EmptyCache(), "--json", "--weights", Fixture.WeightsPth);
        Assert.Equal(0, code2);
        using var fromPath = JsonDocument.Parse(text2);
        Assert.Equal(fromPath.RootElement.GetProperty("top").ToString(), fromCache.RootElement.GetProperty("top").ToString());

        // Fetching again downloads nothing.
        var again = new StringWriter();
        Assert.Equal(0, WeightsCommands.Fetch(fetch, again, TextWriter.Null, cached, interactive: false));
        Assert.StartsWith("Already cached and verified", again.ToString());
        Assert.Single(server.Requests);
    }

    [Fact]
    public void Classify_with_real_weights_prints_percentages_and_names_the_file()
    {
        (int code, string text) = Classify(EmptyCache(), "--weights", Fixture.WeightsPth);
        Assert.Equal(0, code);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^Top 3 for demo\.jpg \(Cpu: .+\), weights weights\.f16\.pth \(sha256 [0-9a-f]{8}…\):$", lines[0]);
        Assert.All(lines[1..4], l => Assert.Matches(@"^\d+\.\d\d%  .+ \(\d+\)$", l));
        Assert.DoesNotContain("random", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_damaged_cached_file_is_an_error_that_says_how_to_fetch_it_again()
    {
        var cached = EmptyCache();
        Directory.CreateDirectory(cached.Cache.Directory);
        File.WriteAllText(cached.Cache.PathOf(cached.Source), "not the weights");
        var ex = Assert.Throws<WeightDownloadException>(() => Classify(cached));
        Assert.Contains("the cached weights do not match their SHA-256", ex.Message);
        Assert.Contains("efficientnet weights fetch --force", ex.Message);
    }

    [Theory]
    [InlineData(new[] { "weights" }, "'weights' needs one of: fetch, path")]
    [InlineData(new[] { "weights", "fetch", "--url", "http://h/x" }, "--url and --sha256 go together")]
    [InlineData(new[] { "weights", "fetch", "--force=yes" }, "--force takes no value")]
    public void Weights_command_mistakes_are_usage_errors(string[] args, string message)
    {
        var ex = Assert.Throws<UsageException>(() =>
        {
            CommandLine cl = CommandLine.Parse(args, Commands.Options, Commands.Flags);
            WeightsCommands.Fetch(cl, TextWriter.Null, TextWriter.Null, EmptyCache(), interactive: false);
        });
        Assert.Contains(message, ex.Message);
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "KernelGen.sln")))
            dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
