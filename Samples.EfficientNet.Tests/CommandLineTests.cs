using KernelGen.Samples.EfficientNet.Cli;

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

    [Fact]
    public void Classify_without_weights_says_the_classes_are_meaningless_and_reports_the_time()
    {
        string image = Path.Combine(RepositoryRoot(), "Samples.EfficientNet", "Assets", "demo.jpg");
        var output = new StringWriter();
        CommandLine cl = CommandLine.Parse(["classify", "--image", image, "--top", "3", "--backend", "cpu"], Commands.Options);
        Assert.Equal(0, Commands.Classify(cl, output, TextWriter.Null));
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("NOTE: no --weights given: running on deterministic random weights", lines[0]);
        Assert.Contains("meaningless", lines[0]);
        Assert.StartsWith("Top 3 for demo.jpg", lines[1]);
        Assert.All(lines[2..5], l => Assert.Matches(@"^\d+\.\d\d%  .+ \(\d+\)$", l));
        Assert.Matches(@"^Computed in \d+\.\d ms$", lines[^1]);
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "KernelGen.sln")))
            dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("repository root not found");
    }
}
