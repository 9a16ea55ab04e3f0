using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator.Tests.Infrastructure;

/// <summary>Reads each kernel's WGSL string back out of the generated C# (by syntax, not by text search).</summary>
public static class WgslExtractor
{
    public static IReadOnlyDictionary<string, string> Extract(IEnumerable<string> generatedSources)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in generatedSources)
        {
            var root = CSharpSyntaxTree.ParseText(source).GetRoot();
            foreach (var property in root.DescendantNodes().OfType<PropertyDeclarationSyntax>())
            {
                if (property.Parent is not ClassDeclarationSyntax { Identifier.Text: "Kernels" } kernels)
                    continue;
                var owner = kernels.Parent as TypeDeclarationSyntax;
                var right = property.Initializer?.Value.DescendantNodes().OfType<AssignmentExpressionSyntax>()
                    .FirstOrDefault(a => a.Left is IdentifierNameSyntax { Identifier.Text: "Wgsl" })?.Right;
                // A string literal, or Encoding.UTF8.GetString(@"..."u8) (a UTF-8 literal, kept out of the user-string heap).
                var wgsl = right as LiteralExpressionSyntax
                    ?? (right as InvocationExpressionSyntax)?.ArgumentList.Arguments.FirstOrDefault()?.Expression as LiteralExpressionSyntax;
                if (owner is null || wgsl is null)
                    continue;
                result[owner.Identifier.Text + "." + property.Identifier.Text] = wgsl.Token.ValueText;
            }
        }
        return result;
    }
}
