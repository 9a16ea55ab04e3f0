using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Model;

/// <summary>
/// The tensors torchvision's <c>efficientnet_b0</c> state dict holds (311: names and shapes), checked
/// against a weight file before anything is used.
/// </summary>
public static class EfficientNetB0Schema
{
    /// <summary>Expected tensor names and shapes, in torchvision's order.</summary>
    public static IReadOnlyList<(string Name, int[] Shape)> Expected { get; } = Build();

    private static (string, int[])[] Build()
    {
        var list = new List<(string, int[])>();
        void Conv(string prefix, int outC, int inCPerGroup, int k) => list.Add(($"{prefix}.weight", [outC, inCPerGroup, k, k]));
        void Bn(string prefix, int c)
        {
            foreach (string p in (string[])["weight", "bias", "running_mean", "running_var"])
                list.Add(($"{prefix}.{p}", [c]));
        }

        Conv("features.0.0", EfficientNetB0Config.StemChannels, EfficientNetB0Config.InputChannels, 3);
        Bn("features.0.1", EfficientNetB0Config.StemChannels);
        foreach (MBConvBlockSpec b in EfficientNetB0Config.Blocks)
        {
            int e = b.ExpandedChannels;
            if (b.HasExpansion)
            {
                Conv($"{b.Prefix}.0.0", e, b.InChannels, 1);
                Bn($"{b.Prefix}.0.1", e);
            }
            Conv($"{b.Prefix}.{b.DepthwiseIndex}.0", e, 1, b.KernelSize);
            Bn($"{b.Prefix}.{b.DepthwiseIndex}.1", e);
            string se = $"{b.Prefix}.{b.SqueezeExcitationIndex}";
            list.Add(($"{se}.fc1.weight", [b.SqueezeChannels, e, 1, 1]));
            list.Add(($"{se}.fc1.bias", [b.SqueezeChannels]));
            list.Add(($"{se}.fc2.weight", [e, b.SqueezeChannels, 1, 1]));
            list.Add(($"{se}.fc2.bias", [e]));
            Conv($"{b.Prefix}.{b.ProjectionIndex}.0", b.OutChannels, e, 1);
            Bn($"{b.Prefix}.{b.ProjectionIndex}.1", b.OutChannels);
        }
        Conv("features.8.0", EfficientNetB0Config.HeadChannels, EfficientNetB0Config.Blocks[^1].OutChannels, 1);
        Bn("features.8.1", EfficientNetB0Config.HeadChannels);
        list.Add(("classifier.1.weight", [EfficientNetB0Config.Classes, EfficientNetB0Config.HeadChannels]));
        list.Add(("classifier.1.bias", [EfficientNetB0Config.Classes]));
        return [.. list];
    }

    /// <summary>
    /// Checks that <paramref name="tensors"/> holds exactly the expected names with the expected shapes.
    /// BatchNorm <c>num_batches_tracked</c> counters (training state) are tolerated and ignored.
    /// </summary>
    /// <exception cref="WeightFormatException">Lists every missing, unexpected and mis-shaped tensor.</exception>
    public static void Validate(IReadOnlyDictionary<string, HostTensor> tensors, string source)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Check([.. tensors.Values.Select(t => new TensorHeader(t.Name, t.Shape, "F32"))], source);
    }

    /// <summary>
    /// A <see cref="TensorSelector"/>: checks what a weight file declares (names, shapes and floating-point
    /// dtypes) before any data is read, and selects the expected tensors (not the ignored counters).
    /// </summary>
    /// <exception cref="WeightFormatException">Lists every missing, unexpected, mis-shaped and mis-typed tensor.</exception>
    public static IReadOnlySet<string> Select(IReadOnlyList<TensorHeader> declared, string source)
    {
        ArgumentNullException.ThrowIfNull(declared);
        Check(declared, source);
        return Expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
    }

    private static void Check(IReadOnlyList<TensorHeader> declared, string source)
    {
        var expected = Expected.ToDictionary(e => e.Name, e => e.Shape, StringComparer.Ordinal);
        var byName = new Dictionary<string, TensorHeader>(StringComparer.Ordinal);
        foreach (TensorHeader h in declared)
            byName.TryAdd(h.Name, h);
        var missing = Expected.Where(e => !byName.ContainsKey(e.Name)).Select(e => $"{e.Name} {HostTensor.FormatShape(e.Shape)}").ToList();
        var unexpected = byName.Values
            .Where(h => !expected.ContainsKey(h.Name) && !IsIgnorable(h.Name, expected))
            .Select(h => $"{h.Name} {HostTensor.FormatShape(h.Shape)}")
            .ToList();
        var misShaped = Expected
            .Where(e => byName.TryGetValue(e.Name, out TensorHeader? h) && !h.Shape.SequenceEqual(e.Shape))
            .Select(e => $"{e.Name}: expected {HostTensor.FormatShape(e.Shape)}, found {HostTensor.FormatShape(byName[e.Name].Shape)}")
            .ToList();
        var misTyped = Expected
            .Where(e => byName.TryGetValue(e.Name, out TensorHeader? h) && h.DType is not ("F32" or "F16" or "BF16" or "F64"))
            .Select(e => $"{e.Name}: {byName[e.Name].DType} (weights must be F32, F16, BF16 or F64)")
            .ToList();
        if (missing.Count + unexpected.Count + misShaped.Count + misTyped.Count == 0)
            return;

        var lines = new List<string> { $"{source} does not match torchvision efficientnet_b0 ({Expected.Count} tensors expected, {declared.Count} found):" };
        void Section(string title, List<string> items)
        {
            if (items.Count == 0) return;
            lines.Add($"  {title} ({items.Count}):");
            lines.AddRange(items.Take(20).Select(i => "    " + i));
            if (items.Count > 20) lines.Add($"    ... and {items.Count - 20} more");
        }
        Section("missing", missing);
        Section("unexpected", unexpected);
        Section("wrong shape", misShaped);
        Section("wrong dtype", misTyped);
        throw new WeightFormatException(string.Join(Environment.NewLine, lines));
    }

    private static bool IsIgnorable(string name, Dictionary<string, int[]> expected) =>
        name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)
        && expected.ContainsKey(name[..^".num_batches_tracked".Length] + ".running_mean");
}
