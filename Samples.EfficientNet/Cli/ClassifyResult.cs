using System.Globalization;
using System.Text.Json;
using KernelGen.Samples.EfficientNet.Imaging;

namespace KernelGen.Samples.EfficientNet.Cli;

/// <summary>What <c>classify</c> found, written as the table a person reads or as JSON for scripts.</summary>
internal sealed record ClassifyResult(
    string Image, ChosenWeights Weights, string Backend, string Device, int[] Order, float[] Probabilities,
    double CompileMs, double FirstRunMs, double SteadyMs)
{
    /// <summary>The table. On random weights every line says so and no line shows a percentage.</summary>
    public void WriteTable(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        bool random = Weights.Kind == WeightsKind.Random;
        output.WriteLine(random
            ? $"Top {Order.Length} for {Image} ({Backend}: {Device}), on RANDOM weights: not a prediction"
            : $"Top {Order.Length} for {Image} ({Backend}: {Device}), {Describe(Weights)}:");
        foreach (int k in Order)
            output.WriteLine(random
                ? $"  random weights, meaningless:  {ImageNetClasses.Names[k]} ({k})"
                : string.Create(c, $"  {Probabilities[k] * 100,7:F2}%  {ImageNetClasses.Names[k]} ({k})"));
        output.WriteLine(string.Create(c, $"Pipeline compilation: {CompileMs:F1} ms ({Model.EfficientNetB0.Kernels.Count} kernels, once per process)"));
        output.WriteLine(string.Create(c, $"First run (buffer allocation, warm-up): {FirstRunMs:F1} ms"));
        output.WriteLine(string.Create(c, $"Computed in {SteadyMs:F1} ms"));
    }

    /// <summary>One JSON object: <c>weights</c> is <c>random</c>, <c>file</c> or <c>torchvision</c>.</summary>
    public void WriteJson(TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("image", Image);
            json.WriteString("weights", Weights.KindName);
            json.WriteString("weightsFile", Weights.Path);
            json.WriteString("sha256", Weights.Sha256);
            json.WriteBoolean("meaningful", Weights.Kind != WeightsKind.Random);
            json.WriteString("backend", Backend);
            json.WriteString("device", Device);
            json.WriteStartArray("top");
            foreach (int k in Order)
            {
                json.WriteStartObject();
                json.WriteNumber("class", k);
                json.WriteString("name", ImageNetClasses.Names[k]);
                json.WriteNumber("probability", Math.Round(Probabilities[k], 6));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("timingsMs");
            json.WriteNumber("pipelineCompilation", Math.Round(CompileMs, 2));
            json.WriteNumber("firstRun", Math.Round(FirstRunMs, 2));
            json.WriteNumber("steady", Math.Round(SteadyMs, 2));
            json.WriteEndObject();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Describe(ChosenWeights w) => w.Kind switch
    {
        WeightsKind.Torchvision => $"torchvision IMAGENET1K_V1 weights ({Path.GetFileName(w.Path)}, SHA-256 verified)",
        _ => $"weights {Path.GetFileName(w.Path)} (sha256 {w.Sha256?[..8]}…)",
    };
}
