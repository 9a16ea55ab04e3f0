using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using KernelGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.Differential.Tests;

/// <summary>What happened to one random kernel at build time.</summary>
internal enum BuildOutcome
{
    /// <summary>Translated and compiled: <see cref="BuiltKernel.Kernel"/> is set.</summary>
    Built,

    /// <summary>The generator refused it with a KG diagnostic (not KG0029): a legitimate rejection.</summary>
    Rejected,

    /// <summary>The generator failed (KG0029 or an exception) or its generated C# does not compile: a bug.</summary>
    Broken,
}

/// <summary>One kernel of a batch after the build: its KernelInfo, or why there is none.</summary>
internal sealed record BuiltKernel(KernelCase Case, BuildOutcome Outcome, KernelInfo? Kernel, string Detail);

/// <summary>
/// Compiles many kernel sources in one Roslyn compilation with the KernelGen generator (as the
/// compiler runs it), emits the assembly to memory, loads it in a collectible context and reads
/// each kernel's generated <c>Kernels.Run</c> KernelInfo.
/// </summary>
internal sealed class KernelBatch : IDisposable
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private static int batchNumber;

    /// <summary>Time spent in the KernelGen generator and in emitting (binding) the batches (for the summary).</summary>
    public static readonly System.Diagnostics.Stopwatch GeneratorTime = new(), EmitTime = new();

    private readonly AssemblyLoadContext? context;

    public IReadOnlyList<BuiltKernel> Kernels { get; }

    private KernelBatch(IReadOnlyList<BuiltKernel> kernels, AssemblyLoadContext? context)
    {
        Kernels = kernels;
        this.context = context;
    }

    public static KernelBatch Build(IReadOnlyList<KernelCase> cases)
    {
        var results = new BuiltKernel?[cases.Count];
        var parse = PhaseTimes.Measure("parse");
        var trees = cases.Select((c, i) => CSharpSyntaxTree.ParseText(c.Source, ParseOptions, $"{c.ClassName}.cs")).ToArray();

        // A C# error in a kernel source is a bug of the program generator (or of a regression file), never the translator's.
        for (int i = 0; i < cases.Count; i++)
        {
            var errors = trees[i].GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errors.Count > 0) throw new InvalidOperationException($"kernel {cases[i].Describe()} does not parse: {errors[0]}\n{cases[i].Source}");
        }
        parse.Dispose();

        var remaining = Enumerable.Range(0, cases.Count).ToList();
        for (int attempt = 0; ; attempt++)
        {
            var compilation = CSharpCompilation.Create(
                $"KernelGen.Differential.Batch{Interlocked.Increment(ref batchNumber)}",
                remaining.Select(i => trees[i]),
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

            GeneratorDriver driver = CSharpGeneratorDriver.Create([new KernelGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
            GeneratorTime.Start();
            Compilation output;
            using (PhaseTimes.Measure("generator"))
                driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out output, out _);
            GeneratorTime.Stop();
            var run = driver.GetRunResult();
            var exception = run.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
            if (exception is not null)
            {
                // The generator crashed on the batch: every kernel of it is reported (bisecting would find the one).
                foreach (var i in remaining) results[i] = new(cases[i], BuildOutcome.Broken, null, $"the generator threw: {exception}");
                return new([.. results!], null);
            }

            var rejected = new HashSet<int>();
            foreach (var diagnostic in run.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
            {
                var path = diagnostic.Location.GetLineSpan().Path;
                var index = remaining.FirstOrDefault(i => trees[i].FilePath == path, -1);
                if (index < 0) throw new InvalidOperationException($"a generator error outside every kernel source: {diagnostic}");
                if (results[index] is not null && results[index]!.Outcome == BuildOutcome.Broken) continue;
                var broken = diagnostic.Id == "KG0029";
                var detail = $"{diagnostic.Id} at {diagnostic.Location.GetLineSpan().StartLinePosition}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
                if (results[index] is null || broken) results[index] = new(cases[index], broken ? BuildOutcome.Broken : BuildOutcome.Rejected, null, detail);
                rejected.Add(index);
            }

            // One binding pass: emit, and read errors from it. Errors in a kernel's own source are the
            // program generator's bug; errors in generated code are the translator's, blamed on the
            // kernel whose class the generated file names.
            using var image = new MemoryStream();
            EmitTime.Start();
            var emitPhase = PhaseTimes.Measure("emit");
            var emit = output.Emit(image);
            emitPhase.Dispose();
            EmitTime.Stop();
            if (!emit.Success)
            {
                var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
                var inSources = errors.Where(e => trees.Any(t => t.FilePath == e.Location.GetLineSpan().Path)).ToList();
                if (inSources.Count > 0)
                {
                    var messages = inSources.Take(20).Select(e => $"{e.Location.GetLineSpan().Path}: {e}");
                    var first = cases.First(c => inSources[0].Location.GetLineSpan().Path == c.ClassName + ".cs");
                    throw new InvalidOperationException($"kernels that are not valid C# (a program generator bug):\n{string.Join("\n", messages)}\n\n{first.Source}");
                }
                var blamed = new HashSet<int>();
                foreach (var error in errors)
                {
                    var path = error.Location.GetLineSpan().Path;
                    var index = remaining.Where(i => !rejected.Contains(i)).FirstOrDefault(i => path.Contains(cases[i].ClassName + ".", StringComparison.Ordinal), -1);
                    if (index < 0) throw new InvalidOperationException($"generated code that names no kernel does not compile: {error}\n{error.Location.SourceTree}");
                    if (blamed.Add(index)) results[index] = new(cases[index], BuildOutcome.Broken, null, $"the generated C# does not compile: {error}");
                }
                remaining = [.. remaining.Where(i => !blamed.Contains(i))];
                if (attempt < 3) continue;
                throw new InvalidOperationException("generated code still fails after removing the kernels it named");
            }
            image.Position = 0;
            using var load = PhaseTimes.Measure("load");
            var context = new AssemblyLoadContext($"KernelGen.Differential.Batch{batchNumber}", isCollectible: true);
            var assembly = context.LoadFromStream(image);
            foreach (var i in remaining.Where(i => !rejected.Contains(i)))
            {
                var kernel = ReadKernel(assembly, cases[i]);
                results[i] = kernel is null
                    ? new(cases[i], BuildOutcome.Broken, null, "no diagnostic and no generated KernelInfo")
                    : new(cases[i], BuildOutcome.Built, kernel, "");
            }
            return new([.. results.Select((r, i) => r ?? throw new InvalidOperationException($"no outcome for {cases[i].Describe()}"))], context);
        }
    }

    private static KernelInfo? ReadKernel(Assembly assembly, KernelCase kernelCase)
    {
        var type = assembly.GetType($"{KernelCase.Namespace}.{kernelCase.ClassName}+Kernels");
        return type?.GetProperty(KernelCase.EntryPoint, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as KernelInfo;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard")
                builder.Add(MetadataReference.CreateFromFile(path));
        }
        builder.Add(MetadataReference.CreateFromFile(typeof(KernelInfo).Assembly.Location));
        return builder.ToImmutable();
    }

    /// <summary>The batch's load context, weakly: it must be collected once the batch is disposed and its devices are gone.</summary>
    internal WeakReference LoadContext => new(context);

    public void Dispose() => context?.Unload();
}
