using System.Globalization;
using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Model;

/// <summary>A convolution or linear layer after BatchNorm folding: weight (row-major, output channel first) and bias.</summary>
/// <param name="Weight">Weights, <c>[out, in/groups, k, k]</c> flattened (<c>[out, in]</c> for 1x1 and linear layers).</param>
/// <param name="Bias">Bias, one per output channel.</param>
public sealed record FoldedLayer(float[] Weight, float[] Bias);

/// <summary>The folded layers of one MBConv block.</summary>
/// <param name="Spec">The block's configuration.</param>
/// <param name="Expansion">1x1 expansion convolution (BN folded), null when the expand ratio is 1.</param>
/// <param name="Depthwise">Depthwise convolution <c>[C, k, k]</c> (BN folded).</param>
/// <param name="SqueezeReduce">SE <c>fc1</c>: <c>[squeeze, C]</c>.</param>
/// <param name="SqueezeExpand">SE <c>fc2</c>: <c>[C, squeeze]</c>.</param>
/// <param name="Projection">1x1 projection convolution (BN folded).</param>
public sealed record MBConvBlockWeights(
    MBConvBlockSpec Spec, FoldedLayer? Expansion, FoldedLayer Depthwise, FoldedLayer SqueezeReduce, FoldedLayer SqueezeExpand, FoldedLayer Projection);

/// <summary>
/// EfficientNet-B0 weights ready for inference: validated against <see cref="EfficientNetB0Schema"/>,
/// every BatchNorm folded into the convolution before it (<c>w' = w * g / sqrt(var + eps)</c>,
/// <c>b' = beta - mean * g / sqrt(var + eps)</c>, computed in double).
/// </summary>
public sealed class EfficientNetB0Weights
{
    private EfficientNetB0Weights(FoldedLayer stem, IReadOnlyList<MBConvBlockWeights> blocks, FoldedLayer head, FoldedLayer classifier)
    {
        Stem = stem;
        Blocks = blocks;
        Head = head;
        Classifier = classifier;
    }

    /// <summary>Stem 3x3 stride-2 convolution, <c>[32, 3, 3, 3]</c>.</summary>
    public FoldedLayer Stem { get; }

    /// <summary>The 16 MBConv blocks.</summary>
    public IReadOnlyList<MBConvBlockWeights> Blocks { get; }

    /// <summary>Head 1x1 convolution, <c>[1280, 320]</c>.</summary>
    public FoldedLayer Head { get; }

    /// <summary>Classifier, <c>[1000, 1280]</c>.</summary>
    public FoldedLayer Classifier { get; }

    /// <summary>Reads, validates and folds a weight file (safetensors or <c>.pth</c>).</summary>
    /// <exception cref="WeightFormatException">The file is malformed or does not match the model.</exception>
    /// <remarks>The schema is checked against what the file declares before any tensor data is read, and only the expected tensors are read.</remarks>
    public static EfficientNetB0Weights Load(string path) => FromStateDict(WeightFile.Read(path, EfficientNetB0Schema.Select), Path.GetFileName(path));

    /// <summary>Validates a torchvision state dict against the model and folds its BatchNorms.</summary>
    /// <exception cref="WeightFormatException">
    /// Missing, unexpected or mis-shaped tensors (all listed); a NaN or infinite value, a negative running
    /// variance, or a BatchNorm whose folding overflows float32 (each naming the tensor).
    /// </exception>
    public static EfficientNetB0Weights FromStateDict(IReadOnlyDictionary<string, HostTensor> tensors, string source)
    {
        EfficientNetB0Schema.Validate(tensors, source);
        foreach ((string name, _) in EfficientNetB0Schema.Expected)
            CheckValues(tensors[name], source);
        float[] T(string name) => tensors[name].Data;
        FoldedLayer ConvBn(string conv, string bn)
        {
            FoldedLayer folded = BatchNormFolding.Fold(T(conv + ".weight"), T(bn + ".weight"), T(bn + ".bias"), T(bn + ".running_mean"), T(bn + ".running_var"));
            if (!AllFinite(folded.Weight) || !AllFinite(folded.Bias))
                throw new WeightFormatException($"{source}: folding BatchNorm '{bn}' into '{conv}.weight' overflows float32 (a tiny running_var or a huge weight); the file is corrupt.");
            return folded;
        }

        FoldedLayer stem = ConvBn("features.0.0", "features.0.1");
        var blocks = new List<MBConvBlockWeights>();
        foreach (MBConvBlockSpec b in EfficientNetB0Config.Blocks)
        {
            FoldedLayer? expansion = b.HasExpansion ? ConvBn($"{b.Prefix}.0.0", $"{b.Prefix}.0.1") : null;
            FoldedLayer depthwise = ConvBn($"{b.Prefix}.{b.DepthwiseIndex}.0", $"{b.Prefix}.{b.DepthwiseIndex}.1");
            string se = $"{b.Prefix}.{b.SqueezeExcitationIndex}";
            var reduce = new FoldedLayer((float[])T($"{se}.fc1.weight").Clone(), (float[])T($"{se}.fc1.bias").Clone());
            var expand = new FoldedLayer((float[])T($"{se}.fc2.weight").Clone(), (float[])T($"{se}.fc2.bias").Clone());
            FoldedLayer projection = ConvBn($"{b.Prefix}.{b.ProjectionIndex}.0", $"{b.Prefix}.{b.ProjectionIndex}.1");
            blocks.Add(new MBConvBlockWeights(b, expansion, depthwise, reduce, expand, projection));
        }
        FoldedLayer head = ConvBn("features.8.0", "features.8.1");
        var classifier = new FoldedLayer((float[])T("classifier.1.weight").Clone(), (float[])T("classifier.1.bias").Clone());
        return new EfficientNetB0Weights(stem, blocks, head, classifier);
    }

    /// <summary>Refuses NaN and infinite values, and negative BatchNorm running variances, naming the tensor and element.</summary>
    private static void CheckValues(HostTensor t, string source)
    {
        float[] data = t.Data;
        bool variance = t.Name.EndsWith(".running_var", StringComparison.Ordinal);
        for (int i = 0; i < data.Length; i++)
        {
            float v = data[i];
            if (!float.IsFinite(v))
                throw new WeightFormatException(string.Create(CultureInfo.InvariantCulture, $"{source}: tensor '{t.Name}' element {i} is {v}; weights must be finite."));
            if (variance && v < 0)
                throw new WeightFormatException(string.Create(CultureInfo.InvariantCulture, $"{source}: tensor '{t.Name}' element {i} is {v}; a running variance cannot be negative."));
        }
    }

    private static bool AllFinite(float[] values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) return false;
        }
        return true;
    }

    /// <summary>
    /// Deterministic random weights (Kaiming-normal fan-in convolutions, identity BatchNorm, uniform
    /// classifier). Fan-in rather than torchvision's fan-out keeps activations from vanishing through 16
    /// untrained blocks, so the logits are not all equal. Only for demos and tests: the classes are meaningless.
    /// </summary>
    public static EfficientNetB0Weights Random(int seed) => FromStateDict(RandomStateDict(seed), $"random weights (seed {seed})");

    /// <summary>A synthetic torchvision-layout state dict, deterministic for a seed.</summary>
    public static IReadOnlyDictionary<string, HostTensor> RandomStateDict(int seed)
    {
        var rng = new System.Random(seed);
        var dict = new Dictionary<string, HostTensor>(StringComparer.Ordinal);
        foreach ((string name, int[] shape) in EfficientNetB0Schema.Expected)
        {
            float[] data = new float[HostTensor.ElementCount(shape)];
            if (name.EndsWith("running_var", StringComparison.Ordinal))
                Array.Fill(data, 1f);
            else if (name.EndsWith(".fc2.bias", StringComparison.Ordinal))
                Array.Fill(data, 3f); // SE gates near 0.95 instead of 0.5, which would halve the signal in every block
            else if (name.EndsWith(".weight", StringComparison.Ordinal) && shape.Length == 1)
                Array.Fill(data, 1f); // BatchNorm gamma
            else if (name.StartsWith("classifier", StringComparison.Ordinal) && shape.Length == 2)
            {
                float range = 1f / MathF.Sqrt(shape[1]);
                for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1) * range;
            }
            else if (shape.Length == 4)
            {
                // Kaiming normal, fan_in: std = sqrt(2 / (in_channels_per_group * k * k)).
                double std = Math.Sqrt(2.0 / (shape[1] * shape[2] * shape[3]));
                for (int i = 0; i < data.Length; i++)
                {
                    double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                    data[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                }
            }
            dict.Add(name, new HostTensor(name, shape, data));
        }
        return dict;
    }
}
