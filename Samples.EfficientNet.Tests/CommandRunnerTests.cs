using System.Diagnostics;
using System.Runtime.InteropServices;
using KernelGen.Samples.EfficientNet.Cli;
using KernelGen.Samples.EfficientNet.Model;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>Every expected failure of the tool ends in one <c>error:</c> line and a non-zero exit code, never a stack trace.</summary>
public sealed class CommandRunnerTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args) => Run(new StringWriter(), args);

    private static (int Code, string Output, string Error) Run(TextWriter output, params string[] args)
    {
        var error = new StringWriter();
        int code = CommandRunner.Run(args, output, error);
        return (code, output.ToString() ?? "", error.ToString());
    }

    /// <summary>Progress lines may come first; the failure is the last line, alone, with no stack trace.</summary>
    private static void AssertOneErrorLine(string error, string expected)
    {
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith("error: ", lines[^1]);
        Assert.Contains(expected, lines[^1]);
        Assert.DoesNotContain("   at ", error);
    }

    private sealed class FailingWriter(string reason) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException(reason);
    }

    [Fact]
    public void A_failing_standard_output_is_one_error_line_and_exit_1()
    {
        (int code, _, string error) = Run(new FailingWriter("No space left on device"), "--help");
        Assert.Equal(1, code);
        AssertOneErrorLine(error, "cannot write to standard output: No space left on device");
    }

    [Fact]
    public void Missing_and_unreadable_inputs_are_one_error_line_and_exit_1()
    {
        (int code, _, string error) = Run("classify", "--image", dir.File("absent.jpg"), "--backend", "cpu");
        Assert.Equal(1, code);
        AssertOneErrorLine(error, "Image not found");

        string image = dir.File("image.png");
        File.WriteAllText(image, "not a png");
        (code, _, error) = Run("classify", "--image", image, "--backend", "cpu");
        Assert.Equal(1, code);
        AssertOneErrorLine(error, "image.png: not an image");

        (code, _, error) = Run("verify", "--weights", dir.Path, "--reference", Fixture.ReferenceIo, "--backend", "cpu");
        Assert.Equal(1, code);
        AssertOneErrorLine(error, "file not found");
    }

    [Fact]
    public void Usage_mistakes_exit_2_with_the_usage()
    {
        (int code, _, string error) = Run("classify", "--image", "a.png", "--allow-truncated=yes");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --allow-truncated takes no value.", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Contains("usage:", error);
        Assert.True(CommandLine.Parse(["classify", "--allow-truncated", "--image", "a.png"], Commands.Options, Commands.Flags).Flag("allow-truncated"));
        Assert.False(CommandLine.Parse(["classify", "--image", "a.png"], Commands.Options, Commands.Flags).Flag("allow-truncated"));
    }

    [Fact]
    public void Non_finite_weights_fail_classify_naming_the_tensor_instead_of_printing_NaN_percent()
    {
        var dict = EfficientNetB0Weights.RandomStateDict(5);
        string weights = dir.File("nan.safetensors");
        SafetensorsWriter.Write(weights, dict.Values.Select(t =>
        {
            float[] data = (float[])t.Data.Clone();
            if (t.Name == "classifier.1.weight") data[123] = float.NaN;
            return (t.Name, "F32", t.Shape.ToArray(), MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        }));
        (int code, string output, string error) = Run("classify", "--image", DemoImage(), "--weights", weights, "--backend", "cpu");
        Assert.Equal(1, code);
        AssertOneErrorLine(error, "nan.safetensors: tensor 'classifier.1.weight' element 123 is NaN");
        Assert.DoesNotContain("NaN%", output);
    }

    [Fact]
    public void Classify_verbose_prints_the_execution_plan_without_tuning()
    {
        var dict = EfficientNetB0Weights.RandomStateDict(6);
        string weights = dir.File("random.safetensors");
        SafetensorsWriter.Write(weights, dict.Values.Select(t => (t.Name, "F32", t.Shape.ToArray(), MemoryMarshal.AsBytes(((float[])t.Data).AsSpan()).ToArray())));
        (int code, _, string error) = Run("classify", "--image", DemoImage(), "--weights", weights, "--backend", "cpu", "--verbose");
        Assert.Equal(0, code);
        Assert.Contains("Execution plan, batch 1, tune off", error);
        Assert.Contains("| stem | n1 3->32 224x224/2 | DenseConvolution", error);
        Assert.Contains("| features.1.0.block.depthwise |", error);
        Assert.Contains("| classifier |", error);
        (code, _, error) = Run("classify", "--image", DemoImage(), "--weights", weights, "--backend", "cpu");
        Assert.Equal(0, code);
        Assert.DoesNotContain("Execution plan", error);
    }

    [Fact]
    public void Verify_refuses_a_reference_with_non_finite_logits()
    {
        string path = dir.File("reference.safetensors");
        float[] logits = Fixture.ReferenceTensors["logits"].Data.AsSpan(0, 1000).ToArray();
        logits[42] = float.PositiveInfinity;
        SafetensorsWriter.Write(path, [
            ("input", "F32", [1, 3, 224, 224], MemoryMarshal.AsBytes(Fixture.Inputs(1).AsSpan()).ToArray()),
            ("logits", "F32", [1, 1000], MemoryMarshal.AsBytes(logits.AsSpan()).ToArray())]);
        (int code, _, string error) = Run("verify", "--weights", Fixture.WeightsSafetensors, "--reference", path, "--backend", "cpu");
        Assert.Equal(1, code);
        AssertOneErrorLine(error, "reference.safetensors: tensor 'logits' element 42 is Infinity");
    }

    /// <summary>The real process: redirections the shell sets up, which no in-process writer imitates.</summary>
    [Theory]
    [InlineData("\"$DOTNET\" \"$TOOL\" --help > /dev/full", "cannot write to standard output: No space left on device")]
    [InlineData("( sleep 2; exec \"$DOTNET\" \"$TOOL\" --help ) | true; exit ${PIPESTATUS[0]}", "cannot write to standard output: Broken pipe")]
    public void The_tool_reports_a_full_disk_and_a_closed_pipe(string script, string message)
    {
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["DOTNET"] = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        start.Environment["TOOL"] = ToolPath();
        using Process p = Process.Start(start)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(1, p.ExitCode);
        Assert.Equal($"error: {message}", error.Trim());
    }

    private static string ToolPath()
    {
        // The sample is built alongside the tests, in the same configuration.
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string path = Path.Combine(RepositoryRoot(), "Samples.EfficientNet", "bin", config, "net10.0", "efficientnet.dll");
        Assert.True(File.Exists(path), $"the efficientnet tool is not built at {path}");
        return path;
    }

    private static string DemoImage() => Path.Combine(RepositoryRoot(), "Samples.EfficientNet", "Assets", "demo.jpg");

    private static string RepositoryRoot()
    {
        string? d = AppContext.BaseDirectory;
        while (d is not null && !File.Exists(Path.Combine(d, "KernelGen.sln")))
            d = Path.GetDirectoryName(d);
        return d ?? throw new InvalidOperationException("repository root not found");
    }
}
