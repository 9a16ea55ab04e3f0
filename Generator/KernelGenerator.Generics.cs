using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator;

public sealed partial class KernelGenerator
{
    /// <summary>
    /// Generic kernels (<c>K&lt;T&gt;</c>): translated once per numeric type WGSL has (int, uint, float, Half) that
    /// satisfies the constraints; a module is emitted for each type argument the stub's calls in this
    /// compilation use or <c>[Kernel(Types = ...)]</c> lists. Translating every candidate keeps the parse step
    /// independent of other files: the calls only select among the translations.
    /// </summary>
    internal static class GenericKernels
    {
        /// <summary>Translates each candidate type argument of a generic kernel with one type parameter.</summary>
        public static (KernelParseResult Result, IReadOnlyList<SyntaxNode> Dependencies) Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var method = (IMethodSymbol)context.TargetSymbol;
            var compilation = context.SemanticModel.Compilation;
            var parameter = method.TypeParameters[0];
            var diagnostics = new List<DiagnosticInfo>();
            var listed = new List<string>();
            var attribute = context.Attributes.FirstOrDefault();
            if (attribute is not null)
            {
                var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
                var typesLocation = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == "Types")?.GetLocation() ?? attributeSyntax?.GetLocation();
                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key != "Types" || named.Value.Kind != TypedConstantKind.Array)
                        continue;
                    foreach (var value in named.Value.Values)
                    {
                        if (value.Value is not ITypeSymbol type)
                            continue;
                        if (Problem(compilation, parameter, type) is { } problem)
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericKernelTypeArgument, typesLocation, method.Name, type.ToDisplayString(), problem));
                        else if (!listed.Contains(ShortName(type)))
                            listed.Add(ShortName(type));
                    }
                }
            }
            var translations = new List<GenericTranslation>();
            var dependencies = new List<SyntaxNode>();
            foreach (var candidate in Candidates(compilation))
            {
                if (!Satisfies(compilation, parameter, candidate))
                    continue;
                var parser = new Parser(context, cancellationToken, candidate);
                var result = parser.Parse();
                foreach (var dependency in parser.Dependencies)
                {
                    if (!dependencies.Contains(dependency))
                        dependencies.Add(dependency);
                }
                translations.Add(new GenericTranslation(ShortName(candidate), result.Kernel, result.Diagnostics));
            }
            var generic = new GenericKernelModel(TypeKey(method.ContainingType), method.Name, listed.ToEquatableArray(), translations.ToEquatableArray());
            return (new KernelParseResult(null, diagnostics.ToEquatableArray(), generic), dependencies);
        }

        /// <summary>The kernels of one [Kernel] method: itself, or the modules of a generic kernel that are used.</summary>
        public static KernelOutput Instantiate(KernelParseResult result, EquatableArray<GenericCallSite> calls)
        {
            if (result.Generic is not { } generic)
                return new KernelOutput(result.Kernel is null ? [] : new EquatableArray<KernelModel>([result.Kernel]), result.Diagnostics);
            var diagnostics = new List<DiagnosticInfo>(result.Diagnostics);
            var used = new SortedSet<string>(generic.Listed, System.StringComparer.Ordinal);
            foreach (var call in calls)
            {
                if (call.TypeKey != generic.TypeKey || call.MethodName != generic.MethodName)
                    continue;
                if (call.Problem is not null)
                    diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.GenericKernelTypeArgument.Id, call.Location, new EquatableArray<string>([generic.MethodName, call.ArgumentName ?? "?", call.Problem])));
                else if (call.ArgumentName is null)
                {
                    if (generic.Listed.Count == 0)
                        diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.GenericKernelOpenTypeArgument.Id, call.Location, new EquatableArray<string>([generic.MethodName])));
                }
                else
                    used.Add(call.ArgumentName);
            }
            var kernels = new List<KernelModel>();
            foreach (var name in used)
            {
                var translation = generic.Translations.FirstOrDefault(t => t.ArgumentName == name);
                if (translation is null)
                    continue; // its constraints were not met: reported where it was named
                diagnostics.AddRange(translation.Diagnostics);
                if (translation.Kernel is not null)
                    kernels.Add(translation.Kernel);
            }
            return new KernelOutput(kernels.ToEquatableArray(), diagnostics.Distinct().ToEquatableArray());
        }

        /// <summary>Cheap syntax filter for calls through a generated <c>Gpu</c> class: <c>X.Gpu.K(...)</c> or <c>Gpu.K(...)</c>.</summary>
        public static bool IsStubCall(SyntaxNode node, CancellationToken cancellationToken)
            => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var left } }
                && (left is IdentifierNameSyntax { Identifier.ValueText: "Gpu" } || left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Gpu" });

        /// <summary>
        /// The generic kernel a stub call reaches and its type argument, or null when the call is not one. The
        /// generated stub is not part of the compilation the generator sees, so the call is resolved by hand:
        /// the kernel from the type before <c>.Gpu</c>, the type argument from <c>K&lt;float&gt;</c> or, as C#
        /// infers it, from the argument given for a <c>Span&lt;T&gt;</c> (a <c>GpuBuffer&lt;float&gt;</c>) or a <c>T</c> parameter.
        /// </summary>
        public static GenericCallSite? ReadCallSite(GeneratorSyntaxContext context, CancellationToken cancellationToken)
        {
            var invocation = (InvocationExpressionSyntax)context.Node;
            var access = (MemberAccessExpressionSyntax)invocation.Expression;
            var model = context.SemanticModel;
            var containers = new List<INamedTypeSymbol>();
            if (access.Expression is MemberAccessExpressionSyntax { Expression: var typeExpression })
            {
                if (model.GetSymbolInfo(typeExpression, cancellationToken).Symbol is INamedTypeSymbol type)
                    containers.Add(type);
            }
            else
            {
                for (var type = model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken)?.ContainingType; type is not null; type = type.ContainingType)
                    containers.Add(type);
            }
            string name = access.Name.Identifier.ValueText;
            var kernel = containers
                .SelectMany(c => c.GetMembers(name).OfType<IMethodSymbol>())
                .FirstOrDefault(m => m.IsGenericMethod && m.TypeParameters.Length == 1 && m.GetAttributes().Any(KnownTypes.For(model.Compilation).IsKernelAttribute));
            if (kernel is null)
                return null;
            ITypeSymbol? argument = access.Name is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } genericName
                ? model.GetTypeInfo(genericName.TypeArgumentList.Arguments[0], cancellationToken).Type
                : Infer(kernel, invocation, model, cancellationToken);
            if (argument is null || argument.TypeKind == TypeKind.Error)
                return null;
            var location = LocationInfo.From(invocation);
            string typeKey = TypeKey(kernel.ContainingType);
            if (argument is ITypeParameterSymbol)
                return new GenericCallSite(typeKey, kernel.Name, null, null, location);
            return new GenericCallSite(typeKey, kernel.Name, ShortName(argument), Problem(model.Compilation, kernel.TypeParameters[0], argument), location);
        }

        private static ITypeSymbol? Infer(IMethodSymbol kernel, InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
        {
            var parameter = kernel.TypeParameters[0];
            var known = KnownTypes.For(model.Compilation);
            // The stub's parameters: the stream, the buffers and uniforms in order, the grid.
            var dispatched = kernel.Parameters.Where(p => !known.IsIdType(p.Type) && !p.GetAttributes().Any(known.IsGroupSharedAttribute)).ToList();
            ITypeSymbol? fromBuffer = null, fromValue = null;
            var arguments = invocation.ArgumentList.Arguments;
            for (int i = 0; i < arguments.Count; i++)
            {
                var argument = arguments[i];
                IParameterSymbol? target = argument.NameColon is { } nameColon
                    ? dispatched.FirstOrDefault(p => p.Name == nameColon.Name.Identifier.ValueText)
                    : i >= 1 && i - 1 < dispatched.Count ? dispatched[i - 1] : null;
                if (target is null)
                    continue;
                var type = model.GetTypeInfo(argument.Expression, cancellationToken).Type;
                if (type is null)
                    continue;
                if (known.IsSpan(target.Type) && target.Type is INamedTypeSymbol span
                    && SymbolEqualityComparer.Default.Equals(span.TypeArguments[0], parameter)
                    && type is INamedTypeSymbol buffer && known.GpuBuffer.Matches(buffer))
                    fromBuffer ??= buffer.TypeArguments[0];
                else if (SymbolEqualityComparer.Default.Equals(target.Type, parameter))
                    fromValue ??= type;
            }
            return fromBuffer ?? fromValue;
        }

        /// <summary>Why <paramref name="type"/> cannot be the type argument of a kernel with type parameter <paramref name="parameter"/>, or null.</summary>
        private static string? Problem(Compilation compilation, ITypeParameterSymbol parameter, ITypeSymbol type)
        {
            if (!Candidates(compilation).Contains(type, SymbolEqualityComparer.Default))
            {
                return type.SpecialType switch
                {
                    SpecialType.System_Double => "WGSL has no 64-bit floats: use float",
                    SpecialType.System_Int64 or SpecialType.System_UInt64 => "WGSL has no 64-bit integers: use int or uint",
                    SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 => "generic kernels run for int, uint, float and Half (byte, sbyte, ushort and short arithmetic would wrap at their width): write the kernel for this type without a type parameter, or run it for int",
                    SpecialType.System_Char => "char has no GPU meaning: use ushort in a non-generic kernel, or int",
                    _ => "generic kernels run for int, uint, float and Half, the numeric types WGSL has",
                };
            }
            if (!Satisfies(compilation, parameter, type))
                return $"'{type.ToDisplayString()}' does not satisfy the constraints of '{parameter.Name}'";
            return null;
        }

        /// <summary>The type arguments a generic kernel can have: the numeric types of WGSL.</summary>
        private static IEnumerable<ITypeSymbol> Candidates(Compilation compilation)
        {
            yield return compilation.GetSpecialType(SpecialType.System_Int32);
            yield return compilation.GetSpecialType(SpecialType.System_UInt32);
            yield return compilation.GetSpecialType(SpecialType.System_Single);
            if (KnownTypes.For(compilation).Half.Symbol is { } half)
                yield return half;
        }

        private static bool Satisfies(Compilation compilation, ITypeParameterSymbol parameter, ITypeSymbol type)
        {
            if (parameter.HasReferenceTypeConstraint)
                return false;
            foreach (var constraint in parameter.ConstraintTypes)
            {
                var constructed = Substitute(constraint, parameter, type);
                if (!compilation.ClassifyCommonConversion(type, constructed).IsImplicit)
                    return false;
            }
            return true;
        }

        private static ITypeSymbol Substitute(ITypeSymbol type, ITypeParameterSymbol parameter, ITypeSymbol argument) => type switch
        {
            ITypeParameterSymbol p when SymbolEqualityComparer.Default.Equals(p, parameter) => argument,
            INamedTypeSymbol { IsGenericType: true } named => named.OriginalDefinition.Construct(named.TypeArguments.Select(t => Substitute(t, parameter, argument)).ToArray()),
            _ => type,
        };

        /// <summary>The short C# name of a type argument: <c>float</c>, <c>int</c>, <c>Half</c>.</summary>
        public static string ShortName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

        private static string TypeKey(INamedTypeSymbol type)
        {
            var names = new List<string>();
            for (var t = type; t is not null; t = t.ContainingType)
                names.Insert(0, t.Name);
            var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
            return ns + string.Join(".", names);
        }
    }
}
