using System.Linq;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator;

/// <summary>
/// Translates <c>[Kernel]</c> methods to WGSL and emits, per containing type, the kernel descriptions
/// (<c>Kernels</c>) and typed dispatch stubs (<c>Gpu</c>), plus a catalog of the assembly's kernels.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class KernelGenerator : IIncrementalGenerator
{
    /// <summary>
    /// How many kernel translations ran for compilations of that assembly name (reused ones not counted), in this
    /// process; for tests and benchmarks. The generator instance holds no state: the translation cache is keyed by values.
    /// </summary>
    public static int TranslationCount(string assemblyName) => Translation.KernelTranslationCache.TranslationCount(assemblyName);

    /// <summary>Names of the tracked pipeline steps (for incrementality tests).</summary>
    public static class TrackingNames
    {
        /// <summary>Parse and translate one [Kernel] method.</summary>
        public const string Parse = "KernelParse";

        /// <summary>Calls of generic kernels' stubs, with their type arguments.</summary>
        public const string GenericCalls = "GenericCalls";

        /// <summary>Each [Kernel] method's modules (a generic kernel's for the type arguments used) and diagnostics.</summary>
        public const string Instantiate = "Instantiate";

        /// <summary>The translated kernels.</summary>
        public const string Kernels = "Kernels";

        /// <summary>Kernels grouped by containing type (one generated file each).</summary>
        public const string KernelTypes = "KernelTypes";

        /// <summary>The assembly's kernel catalog.</summary>
        public const string Catalog = "Catalog";

        /// <summary>All diagnostics.</summary>
        public const string Diagnostics = "Diagnostics";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "KernelGen.KernelAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => ParseCached(ctx, ct))
            .WithTrackingName(TrackingNames.Parse);

        // Calls of generic kernels' stubs pick which of their translations become modules.
        var genericCalls = context.SyntaxProvider
            .CreateSyntaxProvider(GenericKernels.IsStubCall, GenericKernels.ReadCallSite)
            .Where(static c => c is not null)
            .Select(static (c, _) => c!)
            .Collect()
            .Select(static (all, _) => all.Distinct().ToEquatableArray())
            .WithTrackingName(TrackingNames.GenericCalls);
        var outputs = results
            .Combine(genericCalls)
            .Select(static (pair, _) => GenericKernels.Instantiate(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Instantiate);

        var diagnostics = outputs
            .Select(static (r, _) => r.Diagnostics)
            .Collect()
            .Select(static (all, _) => all.SelectMany(d => d).Distinct().ToEquatableArray())
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (spc, all) =>
        {
            foreach (var diagnostic in all)
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var kernels = outputs
            .SelectMany(static (r, _) => r.Kernels)
            .WithTrackingName(TrackingNames.Kernels);

        var types = kernels
            .Collect()
            .SelectMany(static (all, _) => all
                .GroupBy(k => k.TypeKey)
                .OrderBy(g => g.Key, System.StringComparer.Ordinal)
                .Select(g => new KernelTypeModel(g.Key, g.OrderBy(k => k.MethodName, System.StringComparer.Ordinal).ThenBy(k => k.MemberName, System.StringComparer.Ordinal).ToEquatableArray())))
            .WithTrackingName(TrackingNames.KernelTypes);
        context.RegisterSourceOutput(types, static (spc, type) =>
            Guard(spc, type.TypeKey, () => spc.AddSource(type.TypeKey + ".Kernels.g.cs", Emitter.EmitType(type))));

        context.RegisterSourceOutput(kernels.Where(static k => k.CpuForm?.Body is not null), static (spc, kernel) =>
            Guard(spc, kernel.FullName, () => spc.AddSource(CpuForm.HintName(kernel), CpuForm.EmitFile(kernel))));

        var catalog = kernels
            .Select(static (k, _) => new CatalogEntry(k.TypeKey, k.MemberName))
            .Collect()
            .Select(static (all, _) => all
                .OrderBy(e => e.TypeKey, System.StringComparer.Ordinal)
                .ThenBy(e => e.MemberName, System.StringComparer.Ordinal)
                .ToEquatableArray())
            .WithTrackingName(TrackingNames.Catalog);
        context.RegisterSourceOutput(catalog, static (spc, entries) =>
        {
            if (entries.Count > 0)
                Guard(spc, "the kernel catalog", () => spc.AddSource("KernelGen.KernelCatalog.g.cs", Emitter.EmitCatalog(entries)));
        });
    }

    /// <summary>Parses through the translation cache; should the cache itself fail, parses without it.</summary>
    private static KernelParseResult ParseCached(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        try
        {
            return Translation.KernelTranslationCache.GetOrTranslate(context, ParseWithDependencies, cancellationToken);
        }
        catch (System.OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // The cache is an optimisation: never let it fail the generator.
        catch (System.Exception)
#pragma warning restore CA1031
        {
            return Parse(context, cancellationToken);
        }
    }

    /// <summary>Runs an output step; an unexpected exception becomes KG0029 instead of failing the build's generator.</summary>
    private static void Guard(SourceProductionContext context, string what, System.Action emit)
    {
        try
        {
            emit();
        }
        catch (System.OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // The generator must never throw: report instead.
        catch (System.Exception e)
#pragma warning restore CA1031
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.TranslationFailure, Location.None, what, e.GetType().Name + ": " + e.Message));
        }
    }
}
