// Times the KernelGen source generator: generating N kernels from scratch, and re-running after a
// one-kernel edit with a warm driver (what the IDE does on every keystroke). Prints figures and
// writes a JSON report; it asserts nothing.
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KernelGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

string reportPath = args.Length > 0 ? args[0] : Path.Combine("artifacts", "bench", "generator.json");
const int TargetKernels = 200;
const int Repetitions = 7;

var corpus = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.cs").Order(StringComparer.Ordinal)
    .Select(f => (Name: Path.GetFileNameWithoutExtension(f), Text: File.ReadAllText(f))).ToList();
int kernelsPerCopy = corpus.Sum(f => f.Text.Split('\n').Count(l => l.TrimStart().StartsWith("[Kernel", StringComparison.Ordinal)));
int copies = (TargetKernels + kernelsPerCopy - 1) / kernelsPerCopy;

var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll" or "KernelGen.Runtime.dll")
    .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();

// Copies of the corpus in distinct namespaces: realistic kernels (loops, helpers, structs, shared memory).
var sources = new List<(string Path, string Text)>();
for (int copy = 0; copy < copies; copy++)
{
    foreach (var (name, text) in corpus)
        sources.Add(($"Copy{copy}/{name}.cs", text.Replace("namespace KernelGen.Corpus;", $"namespace Bench.Copy{copy};", StringComparison.Ordinal)));
}

CSharpCompilation Compile() => CSharpCompilation.Create("Bench",
    sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path)),
    references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new KernelGenerator().AsSourceGenerator()], parseOptions: parseOptions);

// Sanity: every kernel generates, no diagnostics.
var check = NewDriver().RunGenerators(Compile()).GetRunResult();
int kernels = check.Results.SelectMany(r => r.GeneratedSources).Sum(s => s.SourceText.ToString().Split('\n').Count(l => l.Contains("public static global::KernelGen.KernelInfo ", StringComparison.Ordinal)));
if (check.Diagnostics.Length > 0 || check.Results.Any(r => r.Exception is not null))
    throw new InvalidOperationException("The benchmark input does not generate cleanly: " + string.Join("; ", check.Diagnostics));

// Baseline: what binding every method body costs the compiler anyway (the generator's translation walks these bodies).
var binding = Measure(() =>
{
    var c = Compile();
    foreach (var tree in c.SyntaxTrees)
        c.GetSemanticModel(tree).GetDiagnostics();
});

// From scratch: a fresh compilation and a fresh driver each time.
var scratch = Measure(() => NewDriver().RunGenerators(Compile()));

// One-kernel edit: a warm driver re-runs after one kernel's body changed (alternating two versions).
var baseCompilation = Compile();
var editedTree = baseCompilation.SyntaxTrees.First(t => t.FilePath == "Copy0/Elementwise.cs");
string textA = editedTree.GetText().ToString().Replace("MathF.Max(x[i], 0f)", "MathF.Max(x[i], 0.25f)", StringComparison.Ordinal);
string textB = editedTree.GetText().ToString().Replace("MathF.Max(x[i], 0f)", "MathF.Max(x[i], 0.5f)", StringComparison.Ordinal);
var warm = NewDriver().RunGenerators(baseCompilation);
bool useA = true;
var edit = Measure(() =>
{
    // As after a keystroke: the edited file is parsed again and the compilation is new to the driver.
    var tree = CSharpSyntaxTree.ParseText(useA ? textA : textB, parseOptions, editedTree.FilePath);
    warm = warm.RunGenerators(baseCompilation.ReplaceSyntaxTree(editedTree, tree));
    useA = !useA;
});

var culture = CultureInfo.InvariantCulture;
Console.WriteLine($"KernelGen generator benchmark: {kernels} kernels in {sources.Count} files ({copies} copies of the {kernelsPerCopy}-kernel corpus), {Environment.ProcessorCount} cores, median of {Repetitions}");
Console.WriteLine($"  compiler binding only (baseline): {binding.Median.ToString("F1", culture)} ms total, {(binding.Median / kernels).ToString("F3", culture)} ms/kernel");
Console.WriteLine($"  generation from scratch:          {scratch.Median.ToString("F1", culture)} ms total, {(scratch.Median / kernels).ToString("F3", culture)} ms/kernel (target < 1 ms/kernel)");
Console.WriteLine($"  after a one-kernel edit:          {edit.Median.ToString("F1", culture)} ms total (target < 5 ms), {(edit.Median / kernels).ToString("F3", culture)} ms/kernel");

var report = new
{
    benchmark = "generator",
    kernels,
    files = sources.Count,
    processorCount = Environment.ProcessorCount,
    repetitions = Repetitions,
    bindingOnlyMs = binding,
    fromScratchMs = scratch,
    fromScratchMsPerKernel = scratch.Median / kernels,
    oneKernelEditMs = edit,
    oneKernelEditMsPerKernel = edit.Median / kernels,
    targets = new { fromScratchMsPerKernel = 1.0, oneKernelEditMs = 5.0 },
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
File.WriteAllText(reportPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"  report: {Path.GetFullPath(reportPath)}");

static Timing Measure(Action action)
{
    action(); // warm-up (JIT)
    var samples = new List<double>();
    for (int i = 0; i < Repetitions; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }
    samples.Sort();
    return new Timing(samples[samples.Count / 2], samples[0], samples[^1]);
}

/// <summary>Milliseconds: median, fastest and slowest run.</summary>
internal sealed record Timing(double Median, double Min, double Max);
