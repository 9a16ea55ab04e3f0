using System.Linq;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Model;

/// <summary>A diagnostic as plain, equatable data; turned into a <see cref="Diagnostic"/> only when reported.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
        => new(descriptor.Id, LocationInfo.From(location), args.Select(a => a?.ToString() ?? "").ToEquatableArray());

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SyntaxNode? node, params object?[] args)
        => Create(descriptor, node?.GetLocation(), args);

    public Diagnostic ToDiagnostic()
        => Diagnostic.Create(
            DiagnosticDescriptors.ById(Id),
            Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
            MessageArgs.Select(a => (object)a).ToArray());
}
