using Microsoft.CodeAnalysis;

namespace KernelGen.Generator;

/// <summary>Translates [Kernel] methods to WGSL and typed dispatch stubs.</summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class KernelGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
