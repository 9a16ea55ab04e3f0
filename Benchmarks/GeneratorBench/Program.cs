// Times the KernelGen source generator: generating N kernels from scratch, and re-running after a
// one-kernel edit with a warm driver (what the IDE does on every keystroke). Prints figures and
// writes a JSON report; it asserts nothing.
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using KernelGen.Generator;
using KernelGen.GeneratorBench;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

string reportPath = args.Length > 0 ? args[0] : Path.Combine("artifacts", "bench", "generator.json");
const int TargetKernels = 200;
const int Repetitions = 9;

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

// The translation cache is keyed by values (the assembly name among them): a run under a new name shares no entry.
int compileCount = 0;
CSharpCompilation Compile() => CompileAs("Bench");
CSharpCompilation CompileFresh() => CompileAs("Bench" + (++compileCount).ToString(CultureInfo.InvariantCulture));
CSharpCompilation CompileAs(string assemblyName) => CSharpCompilation.Create(assemblyName,
    sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path)),
    references,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));

GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new KernelGenerator().AsSourceGenerator()], parseOptions: parseOptions);

// Sanity: every kernel generates, no diagnostics.
var check = NewDriver().RunGenerators(CompileFresh()).GetRunResult();
int kernels = check.Results.SelectMany(r => r.GeneratedSources).Sum(s => s.SourceText.ToString().Split('\n').Count(l => l.Contains("public static global::KernelGen.KernelInfo ", StringComparison.Ordinal)));
if (check.Diagnostics.Length > 0 || check.Results.Any(r => r.Exception is not null))
    throw new InvalidOperationException("The benchmark input does not generate cleanly: " + string.Join("; ", check.Diagnostics));

// Every timed run gets its own compilation, created (parsed) outside the timed region: parsing is
// the compiler's work whether or not the generator runs.
var kernelMethods = new List<(string Path, int Position)>();
foreach (var tree in Compile().SyntaxTrees)
{
    foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
    {
        if (method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().StartsWith("Kernel", StringComparison.Ordinal)))
            kernelMethods.Add((tree.FilePath, method.SpanStart));
    }
}

// Floor: binding the kernel bodies, which any generator that reads their semantics has to pay.
var binding = Measure(Compile, compilation =>
{
    foreach (var tree in compilation.SyntaxTrees)
    {
        var model = compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        foreach (var (path, position) in kernelMethods)
        {
            if (path == tree.FilePath)
                model.GetOperation(root.FindToken(position).Parent!.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().First());
        }
    }
});

// From scratch: a fresh driver on a fresh compilation.
var scratch = Measure(CompileFresh, compilation => NewDriver().RunGenerators(compilation));

// A new driver (and generator instance) over a new compilation equal to one already generated: what a
// build server's next build of an unchanged project, or a reopened IDE project, costs with the value-keyed cache.
var newDriverEqual = Measure(Compile, compilation => NewDriver().RunGenerators(compilation));

// One-kernel edit: a warm driver re-runs after one kernel's body changed (alternating two versions),
// on a compilation new to the driver, as after a keystroke in the IDE.
var baseCompilation = Compile();
var editedTree = baseCompilation.SyntaxTrees.First(t => t.FilePath == "Copy0/Elementwise.cs");
string baseText = editedTree.GetText().ToString();
var warm = NewDriver().RunGenerators(baseCompilation);
int editCount = 0;
CSharpCompilation NextEdit()
{
    string value = (editCount++ % 2 == 0) ? "0.25f" : "0.5f";
    var tree = CSharpSyntaxTree.ParseText(baseText.Replace("MathF.Max(x[i], 0f)", $"MathF.Max(x[i], {value})", StringComparison.Ordinal), parseOptions, editedTree.FilePath);
    return baseCompilation.ReplaceSyntaxTree(editedTree, tree);
}
var edit = Measure(NextEdit, compilation => warm = warm.RunGenerators(compilation));

// A blank line above the kernels of one file (alternating one and two): nothing generated changes, since
// neither the models nor the WGSL hold line numbers.
int moveCount = 0;
CSharpCompilation NextMove()
{
    string blank = (moveCount++ % 2 == 0) ? "\n" : "\n\n";
    var tree = CSharpSyntaxTree.ParseText(baseText.Replace("public static partial class Elementwise\n{\n", "public static partial class Elementwise\n{\n" + blank, StringComparison.Ordinal), parseOptions, editedTree.FilePath);
    return baseCompilation.ReplaceSyntaxTree(editedTree, tree);
}
var move = Measure(NextMove, compilation => warm = warm.RunGenerators(compilation));

// Floor of the edit case: the same pipeline entry (ForAttributeWithMetadataName) with a transform
// that only reads the method's name.
var warmFloor = CSharpGeneratorDriver.Create([new AttributeScanFloor().AsSourceGenerator()], parseOptions: parseOptions).RunGenerators(baseCompilation);
var floorEdit = Measure(NextEdit, compilation => warmFloor = warmFloor.RunGenerators(compilation));

var culture = CultureInfo.InvariantCulture;
Console.WriteLine($"KernelGen generator benchmark: {kernels} kernels in {sources.Count} files ({copies} copies of the {kernelsPerCopy}-kernel corpus), {Environment.ProcessorCount} cores, median of {Repetitions}");
Console.WriteLine($"  binding the kernel bodies (floor): {Describe(binding)}");
Console.WriteLine($"  generation from scratch:           {Describe(scratch)}   (target < 1 ms/kernel)");
Console.WriteLine($"  new driver, equal compilation:     {Describe(newDriverEqual)}");
Console.WriteLine($"  after a one-kernel edit:           {edit.Median.ToString("F2", culture)} ms total, min {edit.Min.ToString("F2", culture)}   (target < 5 ms)");
Console.WriteLine($"  after blank lines above the kernels of one file: {move.Median.ToString("F2", culture)} ms total, min {move.Min.ToString("F2", culture)}");
Console.WriteLine($"  edit, attribute scan only (floor): {floorEdit.Median.ToString("F2", culture)} ms total, min {floorEdit.Min.ToString("F2", culture)}");

string Describe(Timing t) => $"{t.Median.ToString("F1", culture)} ms total, {(t.Median / kernels).ToString("F3", culture)} ms/kernel (min {(t.Min / kernels).ToString("F3", culture)})";

var report = new
{
    benchmark = "generator",
    kernels,
    files = sources.Count,
    processorCount = Environment.ProcessorCount,
    repetitions = Repetitions,
    bindingKernelBodiesMs = binding,
    fromScratchMs = scratch,
    fromScratchMsPerKernel = scratch.Median / kernels,
    newDriverEqualCompilationMs = newDriverEqual,
    oneKernelEditMs = edit,
    oneKernelEditMsPerKernel = edit.Median / kernels,
    oneKernelEditAttributeScanFloorMs = floorEdit,
    blankLinesAboveKernelsMs = move,
    targets = new { fromScratchMsPerKernel = 1.0, oneKernelEditMs = 5.0 },
};
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
File.WriteAllText(reportPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"  report: {Path.GetFullPath(reportPath)}");

static Timing Measure(Func<CSharpCompilation> prepare, Action<CSharpCompilation> action)
{
    action(prepare()); // warm-up (JIT)
    var samples = new List<double>();
    for (int i = 0; i < Repetitions; i++)
    {
        var input = prepare();
        var watch = Stopwatch.StartNew();
        action(input);
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }
    samples.Sort();
    return new Timing(samples[samples.Count / 2], samples[0], samples[^1]);
}

/// <summary>Milliseconds: median, fastest and slowest run.</summary>
internal sealed record Timing(double Median, double Min, double Max);
