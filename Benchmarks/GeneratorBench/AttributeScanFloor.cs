using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.GeneratorBench;

/// <summary>
/// The least any [Kernel] generator built on ForAttributeWithMetadataName pays per run: find the
/// attributed methods and read their names. The benchmark's floor for the one-kernel edit.
/// </summary>
[Generator(LanguageNames.CSharp)]
internal sealed class AttributeScanFloor : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var names = context.SyntaxProvider.ForAttributeWithMetadataName(
            "KernelGen.KernelAttribute",
            static (node, _) => node is MethodDeclarationSyntax,
            static (ctx, _) => ctx.TargetSymbol.Name);
        context.RegisterSourceOutput(names.Collect(), static (_, _) => { });
    }
}
