using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KernelGen.Generator.Tests.Infrastructure;

/// <summary>Runs <see cref="KernelGenerator"/> over C# sources, the way the compiler does.</summary>
public static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> references = new(LoadReferences);

    /// <summary>The parse options kernels are compiled with (C# latest, as the product's projects).</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>
    /// The framework's reference set as the test process sees it (the trusted platform assemblies),
    /// plus KernelGen.Runtime: what a consumer project compiles against.
    /// </summary>
    public static ImmutableArray<MetadataReference> References => references.Value;

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard" or "KernelGen.Runtime")
                builder.Add(MetadataReference.CreateFromFile(path));
        }
        if (!paths.Any(p => Path.GetFileNameWithoutExtension(p) == "KernelGen.Runtime"))
            builder.Add(MetadataReference.CreateFromFile(typeof(KernelInfo).Assembly.Location));
        return builder.ToImmutable();
    }

    /// <summary>A compilation of <paramref name="sources"/> (path, text) against <see cref="References"/>.</summary>
    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> sources, string assemblyName = "KernelGen.Corpus")
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, s.Path));
        return CSharpCompilation.Create(
            assemblyName,
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static CSharpCompilation Compile(params string[] sources)
        => Compile(sources.Select((s, i) => ($"Source{i}.cs", s)));

    /// <summary>A driver that tracks steps, ready to run.</summary>
    public static GeneratorDriver CreateDriver(KernelGenerator? generator = null)
        => CSharpGeneratorDriver.Create(
            [(generator ?? new KernelGenerator()).AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(driver, driver.GetRunResult(), output, generatorDiagnostics);
    }

    public static GeneratorRun Run(params string[] sources) => Run(Compile(sources));
}

/// <summary>The outcome of one generator run.</summary>
public sealed record GeneratorRun(GeneratorDriver Driver, GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    /// <summary>The diagnostics the generator reported.</summary>
    public ImmutableArray<Diagnostic> Diagnostics => Result.Diagnostics;

    /// <summary>Generated sources by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources
        => Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>The exception the generator threw, if any (there must never be one).</summary>
    public Exception? Exception => Result.Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);

    /// <summary>Errors and warnings of the compilation including the generated code.</summary>
    public IEnumerable<Diagnostic> OutputProblems
        => Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);

    /// <summary>The WGSL of every generated kernel, by "Type.Method", read back from the generated C#.</summary>
    public IReadOnlyDictionary<string, string> Wgsl => WgslExtractor.Extract(Sources.Values);
}
