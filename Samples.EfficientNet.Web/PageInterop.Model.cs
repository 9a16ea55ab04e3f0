using System.Diagnostics;
using System.Runtime.InteropServices.JavaScript;
using System.Text.Json;
using KernelGen.Samples.EfficientNet.Imaging;
using KernelGen.Samples.EfficientNet.Model;
using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Web;

public static partial class PageInterop
{
    private static EfficientNetB0? network;
    private static string weightsName = "";

    private static Task? precompiled;

    /// <summary>
    /// Compiles the network's pipelines before any weights exist, so the page can do it while the weights download
    /// (pipelines depend on the kernels only). <see cref="LoadWeightsAsync"/> then finds them compiled. Idempotent.
    /// </summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static async Task<string> PrecompileAsync()
    {
        try
        {
            var watch = Stopwatch.StartNew();
            precompiled ??= Device.CompileAsync(EfficientNetB0.Kernels);
            await precompiled.ConfigureAwait(true);
            var ms = watch.Elapsed.TotalMilliseconds;
            return JsonText.Write(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteNumber("kernels", EfficientNetB0.Kernels.Count);
                w.WriteNumber("milliseconds", ms);
            });
        }
        catch (Exception e)
        {
            precompiled = null;
            return JsonText.Error(e);
        }
    }

    /// <summary>
    /// Loads weights (safetensors or PyTorch .pth bytes, torchvision names): validated and BatchNorm-folded by the
    /// sample's loader and uploaded to the GPU, while the pipelines go on compiling (asynchronously, in parallel, since
    /// <see cref="PrecompileAsync"/>): the first forward pass starts at once, each submit waiting only for the pipelines
    /// it uses, and a refused kernel surfaces at that pass's wait. Replaces any network loaded before.
    /// </summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static Task<string> LoadWeightsAsync(byte[] bytes, string name) => Task.FromResult(LoadWeights(bytes, name));

    private static string LoadWeights(byte[] bytes, string name)
    {
        try
        {
            var d = Device;
            var watch = Stopwatch.StartNew();
            var weights = EfficientNetB0Weights.FromStateDict(ReadWeights(bytes, name, EfficientNetB0Schema.Select), name);
            var parseMs = watch.Elapsed.TotalMilliseconds;
            network?.Dispose();
            network = null;
            var created = new EfficientNetB0(d, weights);
            d.Compile(EfficientNetB0.Kernels); // starts what PrecompileAsync did not (e.g. on the CPU backend); waits for nothing
            created.Prepare(1);
            network = created;
            weightsName = name;
            var totalMs = watch.Elapsed.TotalMilliseconds;
            return JsonText.Write(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteString("summary", $"{bytes.Length / 1e6:F1} MB, {EfficientNetB0.Kernels.Count} kernels");
                w.WriteNumber("parseMs", parseMs);
                w.WriteNumber("totalMs", totalMs);
            });
        }
        catch (Exception e)
        {
            return JsonText.Error(e);
        }
    }

    /// <summary>Classifies RGBA pixels (the browser decoded the image): the sample's preprocessing, one forward pass, top-5.</summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static async Task<string> ClassifyAsync(byte[] rgba, int width, int height)
    {
        try
        {
            var net = network ?? throw new InvalidOperationException("Load the weights first.");
            var watch = Stopwatch.StartNew();
            var input = ImagePreprocessor.Preprocess(rgba, width, height);
            var preprocessMs = watch.Elapsed.TotalMilliseconds;
            var logits = new float[1000];
            await net.ForwardAsync(input, 1, logits).ConfigureAwait(true);
            var totalMs = watch.Elapsed.TotalMilliseconds;
            var probabilities = Softmax(logits);
            var top = Enumerable.Range(0, logits.Length).OrderByDescending(i => logits[i]).Take(5).ToArray();
            return JsonText.Write(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteStartArray("top");
                foreach (var i in top)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", i);
                    w.WriteString("label", ImageNetClasses.Names[i]);
                    w.WriteNumber("probability", probabilities[i]);
                    w.WriteNumber("logit", logits[i]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteNumber("milliseconds", totalMs);
                w.WriteNumber("preprocessMs", preprocessMs);
                w.WriteString("adapter", Device.Info.Device);
                w.WriteString("weights", weightsName);
            });
        }
        catch (Exception e)
        {
            return JsonText.Error(e);
        }
    }

    /// <summary>
    /// Test hook: runs the loaded network on every image of a reference_io.safetensors (<c>input</c>: [n, 3, 224, 224],
    /// already normalised), one forward pass per image, and returns the logits (the test compares them with the reference).
    /// </summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static async Task<string> ReferenceLogitsAsync(byte[] bytes)
    {
        try
        {
            var net = network ?? throw new InvalidOperationException("Load the weights first.");
            var tensors = ReadWeights(bytes, "reference_io.safetensors");
            if (!tensors.TryGetValue("input", out var input))
                throw new InvalidDataException("reference_io.safetensors has no 'input' tensor.");
            var n = input.Data.Length / EfficientNetB0.InputSize;
            var logits = new float[n * 1000];
            var times = new List<double>();
            for (var i = 0; i < n; i++)
            {
                var watch = Stopwatch.StartNew();
                await net.ForwardAsync(input.Data.AsMemory(i * EfficientNetB0.InputSize, EfficientNetB0.InputSize), 1, logits.AsMemory(i * 1000, 1000)).ConfigureAwait(true);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            return JsonText.Write(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteNumber("images", n);
                w.WriteArray("logits", logits);
                w.WriteStartArray("milliseconds");
                foreach (var t in times) w.WriteNumberValue(t);
                w.WriteEndArray();
            });
        }
        catch (Exception e)
        {
            return JsonText.Error(e);
        }
    }

    /// <summary>Parses weight bytes with the sample's readers (they read files: the bytes go to the in-memory file system).</summary>
    private static IReadOnlyDictionary<string, HostTensor> ReadWeights(byte[] bytes, string name, TensorSelector? select = null)
    {
        var safeName = string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));
        var directory = Path.Combine(Path.GetTempPath(), "kernelgen-weights");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, safeName.Length > 0 ? safeName : "weights.safetensors");
        File.WriteAllBytes(path, bytes);
        try
        {
            return WeightFile.Read(path, select);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        var result = new float[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = MathF.Exp(logits[i] - max);
            sum += result[i];
        }
        for (var i = 0; i < result.Length; i++) result[i] = (float)(result[i] / sum);
        return result;
    }
}
