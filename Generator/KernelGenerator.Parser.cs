using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator;

public sealed partial class KernelGenerator
{
    /// <summary>
    /// Reads one [Kernel] method: validates its declaration and parameters, translates its body (and
    /// the helpers it calls) to WGSL, and returns a plain model plus diagnostics. Never throws, except
    /// for cancellation.
    /// </summary>
    internal static KernelParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        => ParseWithDependencies(context, cancellationToken).Result;

    /// <summary><see cref="Parse"/>, and the helper declarations the translation read.</summary>
    internal static (KernelParseResult Result, IReadOnlyList<SyntaxNode> Dependencies) ParseWithDependencies(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (context.TargetSymbol is IMethodSymbol { IsGenericMethod: true, TypeParameters.Length: 1 })
                return GenericKernels.Parse(context, cancellationToken);
            var parser = new Parser(context, cancellationToken);
            return (parser.Parse(), parser.Dependencies);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // The generator must never fail the build with an exception: report it instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var name = context.TargetSymbol is IMethodSymbol m ? m.ContainingType?.Name + "." + m.Name : context.TargetSymbol.Name;
            var location = context.TargetNode is MethodDeclarationSyntax syntax ? syntax.Identifier.GetLocation() : context.TargetNode.GetLocation();
            return (new KernelParseResult(null, new EquatableArray<DiagnosticInfo>(
                [DiagnosticInfo.Create(DiagnosticDescriptors.TranslationFailure, location, name, e.GetType().Name + ": " + e.Message)])), []);
        }
    }

    private sealed class Parser
    {
        private const int MaxInvocationsPerWorkgroup = 256;
        private const int MaxWorkgroupStorageBytes = 16384;

        private readonly GeneratorAttributeSyntaxContext context;
        private readonly CancellationToken cancellationToken;
        private readonly IMethodSymbol method; // the implementing part, for a partial method
        private readonly MethodDeclarationSyntax syntax; // the part with the body
        private readonly WgslKernelTranslator translator;
        private readonly (string Name, string Property)?[] workgroupSizeFrom = new (string, string)?[3];
        private readonly Location?[] workgroupSizeLocations = new Location?[3];

        private readonly ITypeSymbol? typeArgument; // a generic kernel's type argument, for the module being made

        public Parser(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken, ITypeSymbol? typeArgument = null)
        {
            this.context = context;
            this.cancellationToken = cancellationToken;
            this.typeArgument = typeArgument;
            method = (IMethodSymbol)context.TargetSymbol;
            syntax = (MethodDeclarationSyntax)context.TargetNode;
            translator = new WgslKernelTranslator(context.SemanticModel.Compilation, cancellationToken);
            // [Kernel] on the declaring part of a partial method: the body (and the parameter symbols it uses)
            // are the implementing part's, possibly in another file, which the translation then depends on.
            if (syntax.Body is null && syntax.ExpressionBody is null
                && method.PartialImplementationPart is { } implementation
                && implementation.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax implementationSyntax)
            {
                method = implementation;
                syntax = implementationSyntax;
                translator.HelperDeclarations.Add(implementationSyntax);
            }
            if (typeArgument is not null)
                translator.Types.Substitute(method.TypeParameters[0], typeArgument);
        }

        public IReadOnlyList<SyntaxNode> Dependencies => translator.HelperDeclarations;

        private void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
            => translator.Report(descriptor, location, args);

        public KernelParseResult Parse()
        {
            if (!method.IsStatic)
                Report(DiagnosticDescriptors.KernelMustBeStatic, syntax.Identifier.GetLocation(), method.Name);
            if (method.IsGenericMethod && method.TypeParameters.Length > 1)
                Report(DiagnosticDescriptors.KernelMustNotBeGeneric, syntax.TypeParameterList?.GetLocation() ?? syntax.Identifier.GetLocation(), method.Name, method.TypeParameters.Length);
            if (!method.ReturnsVoid)
                Report(DiagnosticDescriptors.KernelMustReturnVoid, syntax.ReturnType.GetLocation(), method.Name, method.ReturnType.ToDisplayString());
            var containingTypes = ContainingTypes();
            if (method.ContainingType.GetMembers(method.Name).Count(m => m is IMethodSymbol other && other.GetAttributes().Any(translator.Known.IsKernelAttribute)) > 1)
                Report(DiagnosticDescriptors.DuplicateKernelName, syntax.Identifier.GetLocation(), method.ContainingType.Name, method.Name);
            var workgroupSize = WorkgroupSize();
            var parameters = Parameters();
            int uniformSize = LayoutUniforms(parameters);
            var sizeFrom = ResolveWorkgroupSizeFrom();
            translator.WorkgroupSizeNames = sizeFrom;

            string entryPoint = WgslNames.Escape(method.Name);
            while (!translator.ClaimName(entryPoint))
                entryPoint += "_";
            // The file, not the line: nothing in the model (or the generated text) moves when lines are added above.
            string sourceLocation = Path.GetFileName(syntax.SyntaxTree.FilePath);
            string fullName = method.ContainingType.ToDisplayString() + "." + method.Name;
            GenericInstance? generic = null;
            if (typeArgument is not null)
            {
                generic = new GenericInstance(method.TypeParameters[0].Name, typeArgument.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), GenericKernels.ShortName(typeArgument));
                fullName += "<" + generic.ArgumentName + ">";
            }

            string wgsl = translator.Translate(method, syntax, translator.GetSemanticModel(syntax.SyntaxTree), parameters, entryPoint, workgroupSize, fullName, sourceLocation);
            cancellationToken.ThrowIfCancellationRequested();

            var diagnostics = translator.Diagnostics.ToEquatableArray();
            if (translator.HasErrors || containingTypes is null)
                return new KernelParseResult(null, diagnostics);

            var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            var model = new KernelModel(
                ns,
                containingTypes.ToEquatableArray(),
                method.Name,
                fullName,
                method.DeclaredAccessibility == Accessibility.Public && method.ContainingType.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                sourceLocation,
                wgsl,
                entryPoint,
                workgroupSize.X,
                workgroupSize.Y,
                workgroupSize.Z,
                parameters.Select(ToModel).ToEquatableArray(),
                uniformSize,
                translator.UsesBarriers,
                translator.RequiredFeatures.Contains(Translation.Passes.FeatureUse.ShaderF16),
                translator.RequiredFeatures.ToEquatableArray(),
                UsesSubgroups: translator.UsesSubgroups,
                Generic: generic,
                WorkgroupSizeXFrom: sizeFrom[0],
                WorkgroupSizeYFrom: sizeFrom[1],
                WorkgroupSizeZFrom: sizeFrom[2],
                // C# 11's UTF-8 literals live in the data section, not the 16 MiB user-string heap that string literals share (CS8103).
                Utf8Literals: ((Microsoft.CodeAnalysis.CSharp.CSharpParseOptions)syntax.SyntaxTree.Options).LanguageVersion >= Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp11);
            // Subgroup operations exchange values mid-expression: such kernels run on the threaded CPU path, not a phased form.
            if (model.UsesBarriers && !model.UsesSubgroups)
            {
                model = model with
                {
                    CpuForm = generic is null
                        ? CpuForm.Build(method, syntax, context.SemanticModel, model.Parameters, cancellationToken)
                        : new CpuFormModel(null, null, null, null, "a generic kernel's phased CPU form is not generated"),
                };
            }
            return new KernelParseResult(model, diagnostics);
        }

        private KernelParameter ToModel(KernelParameterBinding p)
        {
            var type = p.Kind switch
            {
                ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared => ((INamedTypeSymbol)p.Symbol.Type).TypeArguments[0],
                _ => p.Symbol.Type,
            };
            string typeName = translator.Types.Resolve(type).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            string? open = typeArgument is null ? null : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return p.Kind switch
            {
                ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer => new KernelParameter(p.Symbol.Name, p.Kind, typeName, p.Slot, p.HostLayout?.Stride ?? p.Type!.Size, 0, OpenTypeName: open),
                ParameterKind.Shared => new KernelParameter(p.Symbol.Name, p.Kind, typeName, p.Slot, p.Type!.CSharpSize, p.SharedLength, OpenTypeName: open, Constant: p.SharedLengthName),
                ParameterKind.Specialized => new KernelParameter(p.Symbol.Name, p.Kind, typeName, 0, p.Type!.Size, 0, OpenTypeName: open, Constant: p.WgslName) { EnumUnderlying = EnumUnderlying(p.Symbol.Type) },
                ParameterKind.Uniform => new KernelParameter(p.Symbol.Name, p.Kind, typeName, p.UniformOffset, p.Type!.Size, 0, OpenTypeName: open)
                {
                    UniformLeaves = p.HasUniformTwin ? UniformLeaves(p.Type, p.Symbol.Type, p.UniformOffset, 0).ToEquatableArray() : EquatableArray<UniformLeaf>.Empty,
                },
                _ => new KernelParameter(p.Symbol.Name, p.Kind, typeName, 0, 0, 0, OpenTypeName: open),
            };
        }

        /// <summary>
        /// The scalars and vectors of a uniform value that holds bools, with their offsets in the C# value and in
        /// the uniform block: the stub and the CPU backend copy them one by one, each bool as a u32 0 or 1.
        /// </summary>
        private static IEnumerable<UniformLeaf> UniformLeaves(WgslType type, ITypeSymbol symbol, int uniformOffset, int csharpOffset)
        {
            if (!type.IsStruct)
            {
                yield return new UniformLeaf(csharpOffset, uniformOffset, symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), type.Scalar == WgslScalar.Bool && type.IsScalar)
                {
                    Wide = type.NarrowBits == 0 ? null : type.Scalar == WgslScalar.I32 ? "int" : "uint",
                };
                yield break;
            }
            foreach (var field in type.Fields)
            {
                foreach (var leaf in UniformLeaves(field.Type, field.Symbol.Type, uniformOffset + field.Offset, csharpOffset + field.CSharpOffset))
                    yield return leaf;
            }
        }

        /// <summary>The containing types, outermost first; null (reported) when one cannot take generated members.</summary>
        private List<ContainingType>? ContainingTypes()
        {
            var result = new List<ContainingType>();
            bool ok = true;
            var declarations = syntax.Ancestors().OfType<BaseTypeDeclarationSyntax>().ToList();
            int index = 0;
            for (var type = method.ContainingType; type is not null; type = type.ContainingType, index++)
            {
                var declaration = index < declarations.Count ? declarations[index] : null;
                var location = declaration is null ? syntax.Identifier.GetLocation() : declaration.Identifier.GetLocation();
                string keyword = declaration switch
                {
                    RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                    StructDeclarationSyntax => "struct",
                    InterfaceDeclarationSyntax => "interface",
                    _ => "class",
                };
                if (type.TypeKind == TypeKind.Interface)
                {
                    Report(DiagnosticDescriptors.ContainingTypeNotSupported, location, type.Name, method.Name, "is an interface");
                    ok = false;
                }
                else if (type.IsGenericType)
                {
                    Report(DiagnosticDescriptors.ContainingTypeNotSupported, location, type.Name, method.Name, "is generic");
                    ok = false;
                }
                bool isPartial = type.DeclaringSyntaxReferences
                    .Select(r => r.GetSyntax(cancellationToken))
                    .OfType<TypeDeclarationSyntax>()
                    .Any(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!isPartial)
                {
                    Report(DiagnosticDescriptors.ContainingTypeMustBePartial, location, type.Name, method.Name, (type.IsStatic ? "static " : "") + keyword);
                    ok = false;
                }
                result.Insert(0, new ContainingType(keyword, type.Name, type.IsStatic));
            }
            return ok ? result : null;
        }

        private (int X, int Y, int Z) WorkgroupSize()
        {
            int x = 64, y = 1, z = 1;
            var attribute = context.Attributes.FirstOrDefault();
            if (attribute is null)
                return (x, y, z);
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Value.Kind == TypedConstantKind.Array)
                    continue; // Types = new[] { ... }: read by the generic-kernel step
                if (named.Value.Value is string from)
                {
                    int axis = named.Key switch { "WorkgroupSizeFrom" => 0, "WorkgroupSizeYFrom" => 1, _ => 2 };
                    workgroupSizeFrom[axis] = (from, named.Key);
                    continue;
                }
                if (named.Value.Value is not int value)
                    continue;
                switch (named.Key)
                {
                    case "WorkgroupSize": x = value; break;
                    case "WorkgroupSizeY": y = value; break;
                    case "WorkgroupSizeZ": z = value; break;
                }
            }
            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            Location ArgumentLocation(string name)
                => attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == name)?.GetLocation()
                    ?? attributeSyntax?.GetLocation() ?? syntax.Identifier.GetLocation();

            bool ok = true;
            string[] axisNames = ["WorkgroupSize", "WorkgroupSizeY", "WorkgroupSizeZ"];
            for (int axis = 0; axis < 3; axis++)
            {
                if (workgroupSizeFrom[axis] is not { } from)
                    continue;
                if (attribute.NamedArguments.Any(a => a.Key == axisNames[axis]))
                {
                    Report(DiagnosticDescriptors.InvalidSpecializedSize, ArgumentLocation(from.Property), from.Property, from.Name, $"{axisNames[axis]} is set too: keep one of the two");
                    workgroupSizeFrom[axis] = null;
                }
                workgroupSizeLocations[axis] = ArgumentLocation(from.Property);
                // The size is the constant's value, checked at dispatch; 1 here keeps the static checks of the other axes.
                if (axis == 0) x = 1;
                else if (axis == 1) y = 1;
                else z = 1;
            }
            foreach (var (name, value, max) in new[] { ("WorkgroupSize", x, 256), ("WorkgroupSizeY", y, 256), ("WorkgroupSizeZ", z, 64) })
            {
                if (value <= 0)
                {
                    Report(DiagnosticDescriptors.InvalidWorkgroupSize, ArgumentLocation(name), method.Name, $"{name} is {value}, but every workgroup dimension must be at least 1");
                    ok = false;
                }
                else if (value > max)
                {
                    Report(DiagnosticDescriptors.InvalidWorkgroupSize, ArgumentLocation(name), method.Name, $"{name} is {value}, above WebGPU's default limit of {max} for this dimension");
                    ok = false;
                }
            }
            if (ok && (long)x * y * z > MaxInvocationsPerWorkgroup)
            {
                Report(DiagnosticDescriptors.InvalidWorkgroupSize, attributeSyntax?.GetLocation() ?? syntax.Identifier.GetLocation(), method.Name,
                    $"{x} x {y} x {z} = {(long)x * y * z} invocations, above WebGPU's default maxComputeInvocationsPerWorkgroup of {MaxInvocationsPerWorkgroup}: use smaller sizes");
            }
            return (Math.Max(1, x), Math.Max(1, y), Math.Max(1, z));
        }

        private List<KernelParameterBinding> Parameters()
        {
            var result = new List<KernelParameterBinding>();
            var seenIds = new HashSet<ParameterKind>();
            var parameterNames = new HashSet<string>(method.Parameters.Select(p => WgslNames.Escape(p.Name)), StringComparer.Ordinal);
            int binding = 0, sharedIndex = 0, sharedBytes = 0;
            foreach (var p in method.Parameters)
            {
                var parameterSyntax = p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as ParameterSyntax;
                var typeLocation = parameterSyntax?.Type?.GetLocation() ?? p.Locations.FirstOrDefault();
                if (p.RefKind != RefKind.None)
                {
                    var modifier = parameterSyntax?.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.InKeyword));
                    Report(DiagnosticDescriptors.ParameterByReference, modifier?.GetLocation() ?? typeLocation, p.Name, Translation.Lowering.FunctionLowering.RefKindText(p.RefKind));
                    continue;
                }
                if (p.IsParams)
                {
                    Report(DiagnosticDescriptors.UnsupportedParameterType, parameterSyntax?.GetLocation() ?? typeLocation, p.Name, method.Name, p.Type.ToDisplayString(),
                        "params arrays cannot be passed to the GPU: take a ReadOnlySpan<T> buffer");
                    continue;
                }
                var type = p.Type;
                string name = WgslNames.Escape(p.Name);
                if (Translation.Lowering.FunctionLowering.IsSpecializeParameter(translator.Known, p))
                {
                    if (SpecializedParameter(p, typeLocation) is { } specialized)
                        result.Add(specialized);
                    continue;
                }
                if (translator.Known.IsIdType(type))
                {
                    var kind = type.Name switch
                    {
                        "ThreadId" => ParameterKind.ThreadId,
                        "LocalId" => ParameterKind.LocalId,
                        "GroupId" => ParameterKind.GroupId,
                        "SubgroupId" => ParameterKind.SubgroupId,
                        _ => ParameterKind.GroupCount,
                    };
                    if (!seenIds.Add(kind))
                    {
                        Report(DiagnosticDescriptors.DuplicateBuiltinParameter, typeLocation, method.Name, type.Name);
                        continue;
                    }
                    var id = new KernelParameterBinding(p, kind, null, name);
                    if (kind == ParameterKind.LocalId)
                    {
                        string indexName = name + "_index";
                        while (parameterNames.Contains(indexName))
                            indexName += "_";
                        id.IndexName = indexName;
                    }
                    if (kind == ParameterKind.SubgroupId)
                    {
                        string laneName = name + "_lane", sizeName = name + "_size";
                        while (parameterNames.Contains(laneName))
                            laneName += "_";
                        while (parameterNames.Contains(sizeName))
                            sizeName += "_";
                        id.LaneName = laneName;
                        id.SizeName = sizeName;
                    }
                    result.Add(id);
                    continue;
                }
                if (translator.Known.IsSpan(type))
                {
                    var element = ((INamedTypeSymbol)type).TypeArguments[0];
                    bool readOnly = translator.Known.ReadOnlySpan.Matches(type);
                    var shared = p.GetAttributes().FirstOrDefault(translator.Known.IsGroupSharedAttribute);
                    var elementType = translator.Types.Map(element, out var why);
                    if (shared is null && elementType is { HasTuple: true })
                    {
                        Report(DiagnosticDescriptors.TupleInHostMemory, typeLocation, p.Name, type.ToDisplayString());
                        continue;
                    }
                    if (shared is not null)
                    {
                        var attributeLocation = shared.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? typeLocation;
                        int length = shared.ConstructorArguments.FirstOrDefault().Value is int l ? l : 0;
                        string? lengthFrom = shared.ConstructorArguments.FirstOrDefault().Value as string;
                        if (readOnly)
                        {
                            Report(DiagnosticDescriptors.InvalidGroupShared, typeLocation, p.Name, "workgroup memory is written by the kernel: declare it as Span<T>, not ReadOnlySpan<T>");
                            continue;
                        }
                        if (elementType is null)
                        {
                            Report(DiagnosticDescriptors.InvalidGroupShared, typeLocation, p.Name, $"its element type '{element.ToDisplayString()}' is not supported: {why}");
                            continue;
                        }
                        if (lengthFrom is not null)
                        {
                            // The length is the constant's value, checked at dispatch against the device's workgroup storage.
                            string? constant = SizeConstant(lengthFrom, "[GroupShared]", attributeLocation);
                            if (constant is null)
                                continue;
                            if (!translator.ClaimName(name))
                            {
                                Report(DiagnosticDescriptors.DuplicateModuleName, p.Locations.FirstOrDefault(), p.Name, name, "another parameter");
                                continue;
                            }
                            result.Add(new KernelParameterBinding(p, ParameterKind.Shared, elementType, name) { Slot = sharedIndex++, SharedLengthName = constant });
                            continue;
                        }
                        if (length <= 0)
                        {
                            Report(DiagnosticDescriptors.InvalidGroupShared, attributeLocation, p.Name, $"its length is {length}; give a positive number of elements, e.g. [GroupShared(256)]");
                            continue;
                        }
                        sharedBytes += length * elementType.Size;
                        if (sharedBytes > MaxWorkgroupStorageBytes)
                        {
                            Report(DiagnosticDescriptors.InvalidGroupShared, attributeLocation, p.Name,
                                $"the kernel's workgroup arrays take {sharedBytes} bytes, above WebGPU's default maxComputeWorkgroupStorageSize of {MaxWorkgroupStorageBytes}: use smaller tiles");
                            continue;
                        }
                        if (!translator.ClaimName(name))
                        {
                            Report(DiagnosticDescriptors.DuplicateModuleName, p.Locations.FirstOrDefault(), p.Name, name, "another parameter");
                            continue;
                        }
                        result.Add(new KernelParameterBinding(p, ParameterKind.Shared, elementType, name) { Slot = sharedIndex++, SharedLength = length });
                        continue;
                    }
                    if (elementType is null)
                    {
                        Report(DiagnosticDescriptors.UnsupportedBufferElementType, typeLocation, p.Name, element.ToDisplayString(), why);
                        continue;
                    }
                    if (HostLayoutRules.Needs(elementType))
                    {
                        // Elements in C#'s byte layout (byte/short fields, Vector3 after a float, Pack=...): 32-bit words, read
                        // and written field by field at the C# offsets (FunctionLowering.HostLayouts).
                        if (HostLayoutRules.Problem(elementType) is { } layoutProblem)
                        {
                            Report(DiagnosticDescriptors.HostLayoutUnsupported, typeLocation, p.Name, element.ToDisplayString(), layoutProblem);
                            continue;
                        }
                        if (!translator.ClaimName(name))
                        {
                            Report(DiagnosticDescriptors.DuplicateModuleName, p.Locations.FirstOrDefault(), p.Name, name, "another parameter");
                            continue;
                        }
                        result.Add(new KernelParameterBinding(p, readOnly ? ParameterKind.ReadOnlyBuffer : ParameterKind.Buffer, elementType, name)
                        {
                            Slot = binding++,
                            HostLayout = new HostLayout(elementType.CSharpSize, Atomic: !readOnly && HostLayoutRules.PartialWords(elementType)),
                        });
                        continue;
                    }
                    if (!elementType.HostShareable)
                    {
                        Report(DiagnosticDescriptors.UnsupportedBufferElementType, typeLocation, p.Name, element.ToDisplayString(),
                            "bool has no defined size in GPU buffers: store an int (0 or 1) or a uint");
                        continue;
                    }
                    if (elementType.LayoutMismatch is { } mismatch)
                    {
                        Report(DiagnosticDescriptors.StructLayoutMismatch, typeLocation, element.Name, mismatch);
                        continue;
                    }
                    if (!translator.ClaimName(name))
                    {
                        Report(DiagnosticDescriptors.DuplicateModuleName, p.Locations.FirstOrDefault(), p.Name, name, "another parameter");
                        continue;
                    }
                    // Vector3 elements keep C#'s 12-byte layout: three f32 each (WGSL's vec3<f32> would take 16).
                    result.Add(new KernelParameterBinding(p, readOnly ? ParameterKind.ReadOnlyBuffer : ParameterKind.Buffer, elementType, name) { Slot = binding++, PackedVector3 = elementType.VectorSize == 3 });
                    continue;
                }

                var uniformType = translator.Types.Map(type, out var uniformWhy);
                if (uniformType is null)
                {
                    Report(DiagnosticDescriptors.UnsupportedParameterType, typeLocation, p.Name, method.Name, type.ToDisplayString(), uniformWhy);
                    continue;
                }
                if (uniformType.HasTuple)
                {
                    Report(DiagnosticDescriptors.TupleInHostMemory, typeLocation, p.Name, type.ToDisplayString());
                    continue;
                }
                // bool and structs with bool fields sit in the uniform block as a twin with u32 in place of each
                // bool, packed field by field by the stub: C#'s one-byte bool layout does not matter then.
                var blockType = translator.Types.UniformTwin(uniformType);
                if (blockType == uniformType && uniformType.LayoutMismatch is { } uniformMismatch)
                {
                    Report(DiagnosticDescriptors.StructLayoutMismatch, typeLocation, type.Name, uniformMismatch);
                    continue;
                }
                if (WgslTypeMap.UniformLayoutProblem(blockType) is { } problem)
                {
                    Report(DiagnosticDescriptors.UnsupportedUniformType, typeLocation, p.Name, type.ToDisplayString(), problem);
                    continue;
                }
                result.Add(new KernelParameterBinding(p, ParameterKind.Uniform, uniformType, name) { UniformType = blockType });
            }
            return result;
        }

        /// <summary>The WGSL overrides that give the workgroup size along X, Y and Z (null: the constant size); KG0059 for a bad name.</summary>
        private string?[] ResolveWorkgroupSizeFrom()
        {
            var result = new string?[3];
            for (int axis = 0; axis < 3; axis++)
            {
                if (workgroupSizeFrom[axis] is { } from)
                    result[axis] = SizeConstant(from.Name, from.Property, workgroupSizeLocations[axis]);
            }
            return result;
        }

        /// <summary>The override name of the int/uint [Specialize] parameter <paramref name="name"/>, for a size; null (KG0059) when it is not one.</summary>
        private string? SizeConstant(string name, string what, Location? location)
        {
            var parameter = method.Parameters.FirstOrDefault(p => p.Name == name);
            string? problem = parameter is null ? $"kernel '{method.Name}' has no parameter of that name: write nameof(parameter) of one of its [Specialize] parameters"
                : !Translation.Lowering.FunctionLowering.IsSpecializeParameter(translator.Known, parameter) ? "that parameter is not marked [Specialize]: mark it, so its value is fixed when the pipeline is created"
                : parameter.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_UInt32) ? $"it is a '{parameter.Type.ToDisplayString()}': a size must be an int or a uint"
                : null;
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.InvalidSpecializedSize, location, what, name, problem);
                return null;
            }
            return WgslNames.Escape(name); // the override's name (SpecializedParameter claims it)
        }

        /// <summary>"int" or "uint" for an enum whose underlying type is that or a smaller integer of its sign (an i32 or u32 override), else null.</summary>
        private static string? EnumUnderlying(ITypeSymbol type)
            => type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType.SpecialType: var underlying }
                ? underlying switch
                {
                    SpecialType.System_Int32 or SpecialType.System_SByte or SpecialType.System_Int16 => "int",
                    SpecialType.System_UInt32 or SpecialType.System_Byte or SpecialType.System_UInt16 => "uint",
                    _ => null,
                }
                : null;

        /// <summary>A [Specialize] parameter: a WGSL override of int, uint, float, bool or an enum of up to 32 bits; null (KG0058) otherwise.</summary>
        private KernelParameterBinding? SpecializedParameter(IParameterSymbol p, Location? typeLocation)
        {
            string? problem = p.Type.SpecialType switch
            {
                SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single or SpecialType.System_Boolean => null,
                _ when EnumUnderlying(p.Type) is not null => null,
                _ when p.Type.TypeKind == TypeKind.Enum => $"it is the enum '{p.Type.ToDisplayString()}', whose underlying type is 64-bit: WGSL override constants are i32 or u32 (declare it 'enum {p.Type.Name} : int')",
                SpecialType.System_Int64 or SpecialType.System_UInt64 => $"it is a '{p.Type.ToDisplayString()}', two 32-bit words on the GPU, and WGSL override constants are single 32-bit scalars: pass it as a plain uniform parameter, or specialise its two halves as uint parameters and combine them ((ulong)high << 32 | low)",
                _ when translator.Known.IsSpan(p.Type) => "buffers and workgroup arrays are bound, not specialised: only int, uint, float and bool values can be",
                _ when translator.Known.IsIdType(p.Type) => "built-in ids are per invocation: only int, uint, float and bool values can be specialised",
                _ => $"it is a '{p.Type.ToDisplayString()}': WGSL override constants are int, uint, float or bool (pass other values as plain uniform parameters)",
            };
            if (problem is null && p.GetAttributes().Any(translator.Known.IsGroupSharedAttribute))
                problem = "it is also marked [GroupShared]";
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.InvalidSpecializeParameter, typeLocation, p.Name, method.Name, problem);
                return null;
            }
            string name = WgslNames.Escape(p.Name);
            if (!translator.ClaimName(name))
            {
                Report(DiagnosticDescriptors.DuplicateModuleName, p.Locations.FirstOrDefault(), p.Name, name, "another module-scope name");
                return null;
            }
            var type = translator.Types.Map(p.Type, out _)!;
            if (type.Scalar == WgslScalar.U32)
                translator.UnsignedOverrides.Add(name);
            return new KernelParameterBinding(p, ParameterKind.Specialized, type, name);
        }

        /// <summary>Places the uniform parameters at their WGSL offsets; returns the buffer size (a multiple of 16).</summary>
        private static int LayoutUniforms(List<KernelParameterBinding> parameters)
        {
            int offset = 0, align = 0;
            foreach (var p in parameters.Where(p => p.Kind == ParameterKind.Uniform))
            {
                var type = p.UniformType ?? p.Type!;
                int memberAlign = type.Align, memberSize = type.Size;
                if (type.IsStruct)
                {
                    // Uniform buffers align struct members to 16 bytes and pad them to 16.
                    memberAlign = WgslTypeMap.RoundUp(type.Align, 16);
                    memberSize = WgslTypeMap.RoundUp(type.Size, 16);
                    p.UniformAttributes = (type.Align < 16 ? "@align(16) " : "") + (memberSize != type.Size ? $"@size({memberSize}) " : "");
                }
                offset = WgslTypeMap.RoundUp(offset, memberAlign);
                p.UniformOffset = offset;
                offset += memberSize;
                align = Math.Max(align, memberAlign);
            }
            if (align == 0)
                return 0;
            return WgslTypeMap.RoundUp(WgslTypeMap.RoundUp(offset, align), 16);
        }
    }
}
