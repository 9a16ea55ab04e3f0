using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelGen.Differential.Tests;

/// <summary>
/// One differential test kernel: its C# source (class <see cref="ClassName"/> holding the kernel
/// <c>Run</c> with the fixed signature below), the seed of its inputs, and the absolute tolerance of
/// each float output slot (0: bit for bit, with +0 equal to -0). The source's header carries the seed
/// and the tolerances, so that a kept regression file is self-contained.
/// </summary>
internal sealed partial record KernelCase(string ClassName, long Seed, string Source, double[] FloatTolerance)
{
    /// <summary>The translator bug a regression file reproduces (its '// known-bug: Name' line), if any.</summary>
    public KnownBug? KnownBug { get; init; }

    public const string Namespace = "KernelGen.Differential.Generated";
    public const string EntryPoint = "Run";

    /// <summary>Invocations per kernel (one workgroup of 64).</summary>
    public const int Threads = 64;

    /// <summary>Inputs of each kind per thread: <c>ia[t * 4 + j]</c>, <c>ua[...]</c>, <c>fa[...]</c>.</summary>
    public const int InputsPerThread = 4;

    /// <summary>Output slots of each kind per thread: <c>oi[t * 16 + k]</c>, <c>ou[...]</c>, <c>of[...]</c>.</summary>
    public const int OutputsPerThread = 16;

    /// <summary>Side-effect log slots per thread: <c>log[t * 8 + k]</c>.</summary>
    public const int LogSlotsPerThread = 8;

    /// <summary>The kernel signature every case has (bindings 0-6, then the uniform block).</summary>
    public const string Signature = "ThreadId id, ReadOnlySpan<int> ia, ReadOnlySpan<uint> ua, ReadOnlySpan<float> fa, Span<int> oi, Span<uint> ou, Span<float> of, Span<int> log, int k, float s";

    public string Describe() => $"{ClassName} (seed {Seed})";

    /// <summary>The header lines a case's source starts with.</summary>
    public static string Header(long seed, IReadOnlyList<double> tolerances) =>
        $"// KernelGen differential kernel. seed: {seed}\n// float-tolerance: {string.Join(' ', tolerances.Select(t => t.ToString("R", CultureInfo.InvariantCulture)))}\n";

    /// <summary>Reads a case back from its source (a regression file).</summary>
    public static KernelCase Parse(string source, string origin)
    {
        var seed = SeedLine().Match(source);
        var tolerance = ToleranceLine().Match(source);
        var name = ClassLine().Match(source);
        if (!seed.Success || !tolerance.Success || !name.Success)
            throw new InvalidOperationException($"{origin}: a differential kernel needs the '// KernelGen differential kernel. seed: N' and '// float-tolerance: ...' header lines and a 'static partial class' (see Differential.Tests/README.md).");
        var tolerances = tolerance.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        if (tolerances.Length != OutputsPerThread) throw new InvalidOperationException($"{origin}: {tolerances.Length} float tolerances, expected {OutputsPerThread}.");
        var bug = KnownBugLine().Match(source);
        return new(name.Groups[1].Value, long.Parse(seed.Groups[1].Value, CultureInfo.InvariantCulture), source, tolerances)
        {
            KnownBug = bug.Success ? Enum.Parse<KnownBug>(bug.Groups[1].Value) : null,
        };
    }

    [GeneratedRegex(@"^// KernelGen differential kernel\. seed: (-?\d+)", RegexOptions.Multiline)]
    private static partial Regex SeedLine();

    [GeneratedRegex(@"^// float-tolerance: ([^\n]*)", RegexOptions.Multiline)]
    private static partial Regex ToleranceLine();

    [GeneratedRegex(@"^// known-bug: (\w+)", RegexOptions.Multiline)]
    private static partial Regex KnownBugLine();

    [GeneratedRegex(@"static partial class (\w+)")]
    private static partial Regex ClassLine();
}
