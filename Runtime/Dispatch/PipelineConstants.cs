using System.Collections;

namespace KernelGen;

/// <summary>
/// Values of a kernel's WGSL <c>override</c> constants (name to value), fixed when its pipeline is created: natively
/// Dawn's compute-stage <c>constants</c>, in the browser <c>compute.constants</c>, on the CPU readable through
/// <see cref="CpuInvocation.Constant"/>. A kernel gets one pipeline per distinct set; equal sets share one.
/// </summary>
public sealed class PipelineConstants : IEquatable<PipelineConstants>, IReadOnlyList<KeyValuePair<string, double>>
{
    private readonly KeyValuePair<string, double>[] values;
    private readonly int hash;

    /// <summary>No constants: the WGSL defaults.</summary>
    public static PipelineConstants Empty { get; } = new([]);

    /// <summary>A set of constants; names must be unique and not empty, values finite.</summary>
    public PipelineConstants(IEnumerable<KeyValuePair<string, double>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        this.values = values.OrderBy(v => v.Key, StringComparer.Ordinal).ToArray();
        var h = new HashCode();
        for (var i = 0; i < this.values.Length; i++)
        {
            var (name, value) = this.values[i];
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("A pipeline constant needs a name.", nameof(values));
            if (i > 0 && this.values[i - 1].Key == name) throw new ArgumentException($"Pipeline constant '{name}' is given twice.", nameof(values));
            if (!double.IsFinite(value)) throw new ArgumentException($"Pipeline constant '{name}' is {value}; WGSL override values must be finite.", nameof(values));
            h.Add(name);
            h.Add(value);
        }
        hash = h.ToHashCode();
    }

    /// <summary>A set from (name, value) pairs.</summary>
    public static PipelineConstants Of(params (string Name, double Value)[] values)
        => values.Length == 0 ? Empty : new(values.Select(v => KeyValuePair.Create(v.Name, v.Value)));

    /// <inheritdoc/>
    public int Count => values.Length;

    /// <inheritdoc/>
    public KeyValuePair<string, double> this[int index] => values[index];

    /// <summary>The value of <paramref name="name"/>, or null when the set does not give it.</summary>
    public double? Find(string name)
    {
        foreach (var (key, value) in values)
            if (key == name) return value;
        return null;
    }

    /// <inheritdoc/>
    public bool Equals(PipelineConstants? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.hash != hash || other.values.Length != values.Length) return false;
        for (var i = 0; i < values.Length; i++)
            if (values[i].Key != other.values[i].Key || values[i].Value.CompareTo(other.values[i].Value) != 0) return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PipelineConstants);

    /// <inheritdoc/>
    public override int GetHashCode() => hash;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, double>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => values.Length == 0 ? "(no constants)" : string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
}

/// <summary>What a compiled pipeline is keyed by: the kernel (by reference) and its override constants (by value).</summary>
internal readonly record struct PipelineKey(KernelInfo Kernel, PipelineConstants Constants)
{
    public bool Equals(PipelineKey other) => ReferenceEquals(Kernel, other.Kernel) && Constants.Equals(other.Constants);

    public override int GetHashCode() => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Kernel), Constants.GetHashCode());
}
