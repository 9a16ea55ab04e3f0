using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator.Mappings;

/// <summary>
/// Maps C# types to WGSL: the scalar table, System.Numerics vectors, and user structs (defined in
/// WGSL in the order they are first needed, dependencies first).
/// </summary>
internal sealed class WgslTypeMap
{
    private readonly Dictionary<ITypeSymbol, WgslType> structs = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> structNames = new(StringComparer.Ordinal);
    private readonly HashSet<ITypeSymbol> inProgress = new(SymbolEqualityComparer.Default);
    private readonly Func<string, bool> claimName;
    private readonly KnownTypes known;
    private readonly Dictionary<ITypeParameterSymbol, ITypeSymbol> substitutions = new(SymbolEqualityComparer.Default);

    /// <summary>Creates a map whose struct names are claimed through <paramref name="claimName"/> (false when taken).</summary>
    public WgslTypeMap(KnownTypes known, Func<string, bool> claimName)
    {
        this.known = known;
        this.claimName = claimName;
    }

    /// <summary>Struct types in definition order (every struct after the structs it contains).</summary>
    public List<WgslType> Structs { get; } = [];

    /// <summary>Whether a map to <c>f16</c> happened (the module then needs <c>enable f16;</c>).</summary>
    public bool UsesF16 { get; private set; }

    /// <summary>
    /// The struct member (field or auto-property, in source) whose type or form made the last failed <see cref="Map"/>
    /// fail, innermost first; null when the type itself was the problem. The caller clears it before mapping, and
    /// reports the error there, once, instead of at every use of the struct.
    /// </summary>
    public ISymbol? RejectedMember { get; set; }

    /// <summary>Why <see cref="RejectedMember"/> was rejected (said of its struct: "its field 'D' has type 'double': ...").</summary>
    public string RejectedMemberWhy { get; private set; } = "";

    public bool IsHalf(ITypeSymbol type) => known.IsHalf(type);

    /// <summary>2, 3 or 4 for System.Numerics.Vector2/3/4 (by symbol: a user type of that name is a user struct); 0 otherwise.</summary>
    public int NumericsVectorSize(ITypeSymbol type) => known.VectorSize(type);

    /// <summary>The WGSL matrix System.Numerics.Matrix4x4 or Matrix3x2 maps to, or null for any other type.</summary>
    public static WgslType? NumericsMatrix(ITypeSymbol? type)
        => type is { ContainingNamespace: { Name: "Numerics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }
            ? type.Name switch { "Matrix4x4" => WgslType.Mat4x4, "Matrix3x2" => WgslType.Mat3x2, _ => null }
            : null;

    /// <summary>
    /// Translates <paramref name="parameter"/> (of a generic kernel or helper) as <paramref name="argument"/>
    /// until <see cref="EndSubstitution"/>: one WGSL module (function) per type argument.
    /// </summary>
    public void Substitute(ITypeParameterSymbol parameter, ITypeSymbol argument) => substitutions[parameter] = argument;

    /// <summary>Ends a <see cref="Substitute"/>, restoring the previous argument (null: none).</summary>
    public void EndSubstitution(ITypeParameterSymbol parameter, ITypeSymbol? previous)
    {
        if (previous is null)
            substitutions.Remove(parameter);
        else
            substitutions[parameter] = previous;
    }

    /// <summary>The type argument <paramref name="parameter"/> is translated as now, or null.</summary>
    public ITypeSymbol? SubstitutionOf(ITypeParameterSymbol parameter) => substitutions.TryGetValue(parameter, out var argument) ? argument : null;

    /// <summary><paramref name="type"/> with the type parameters being translated replaced by their arguments.</summary>
    public ITypeSymbol Resolve(ITypeSymbol type)
    {
        switch (type)
        {
            case ITypeParameterSymbol parameter when substitutions.TryGetValue(parameter, out var argument):
                return argument;
            case INamedTypeSymbol { IsGenericType: true } named when substitutions.Count > 0:
                var arguments = named.TypeArguments.Select(Resolve).ToArray();
                return arguments.SequenceEqual(named.TypeArguments, SymbolEqualityComparer.Default) ? named : named.OriginalDefinition.Construct(arguments);
            default:
                return type;
        }
    }

    /// <summary>The WGSL type for <paramref name="type"/>, or null with the reason in <paramref name="why"/>.</summary>
    public WgslType? Map(ITypeSymbol? type, out string why)
    {
        why = "";
        if (type is null || type.TypeKind == TypeKind.Error)
        {
            why = "the type could not be resolved";
            return null;
        }
        if (type is ITypeParameterSymbol parameter)
        {
            if (substitutions.TryGetValue(parameter, out var argument))
                return Map(argument, out why);
            why = $"the type parameter '{parameter.Name}' has no type argument here: generic kernels and helpers run for int, uint, float and Half";
            return null;
        }
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return WgslType.Bool;
            case SpecialType.System_Int32: return WgslType.I32;
            case SpecialType.System_UInt32: return WgslType.U32;
            case SpecialType.System_Single: return WgslType.F32;
            case SpecialType.System_Double:
                why = "WGSL has no 64-bit floats: use float (and MathF instead of Math)";
                return null;
            case SpecialType.System_Int64: return WgslType.I64; // two u32 words (FunctionLowering.Int64)
            case SpecialType.System_UInt64: return WgslType.U64;
            case SpecialType.System_Byte: return WgslType.U8;
            case SpecialType.System_SByte: return WgslType.I8;
            case SpecialType.System_UInt16: return WgslType.U16;
            case SpecialType.System_Int16: return WgslType.I16;
            case SpecialType.System_Char:
                why = "char has no GPU meaning: use ushort (or int)";
                return null;
            case SpecialType.System_String:
                why = "WGSL has no strings";
                return null;
            case SpecialType.System_Object:
                why = "WGSL has no objects: use int, uint, float, Half, bool, System.Numerics vectors or structs of those";
                return null;
            case SpecialType.System_Decimal:
                why = "WGSL has no decimals: use float";
                return null;
        }
        if (IsHalf(type))
        {
            UsesF16 = true;
            return WgslType.F16;
        }
        switch (NumericsVectorSize(type))
        {
            case 2: return WgslType.Vec2;
            case 3: return WgslType.Vec3;
            case 4: return WgslType.Vec4;
        }
        if (NumericsMatrix(type) is { } matrix)
            return matrix;
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Struct } named)
            return MapStruct(named, out why);
        if (known.IsIdType(type))
        {
            why = "built-in ids exist only as kernel parameters: read their components into int locals (int x = id.X;)";
            return null;
        }
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            // An enum is its underlying integer in WGSL: constants fold to their values, comparisons and bit
            // operators apply as they are, and the host's 4-byte layout is WGSL's.
            switch (underlying.SpecialType)
            {
                case SpecialType.System_Int32: return WgslType.I32;
                case SpecialType.System_UInt32: return WgslType.U32;
                // byte, sbyte, ushort and short enums are those small integers (an i32/u32 kept in range, C#'s bytes in buffers).
                case SpecialType.System_Byte: return WgslType.U8;
                case SpecialType.System_SByte: return WgslType.I8;
                case SpecialType.System_UInt16: return WgslType.U16;
                case SpecialType.System_Int16: return WgslType.I16;
            }
            why = $"its underlying type is '{underlying.ToDisplayString()}', and WGSL has no 64-bit integers: declare it 'enum {type.Name} : int' or ': uint' (or byte, sbyte, short, ushort)";
            return null;
        }
        if (type.TypeKind == TypeKind.Array)
        {
            why = "arrays are not supported: pass a Span<T> buffer, or declare a [GroupShared(n)] Span<T> parameter for workgroup memory";
            return null;
        }
        if (type.TypeKind == TypeKind.Pointer || type.TypeKind == TypeKind.FunctionPointer)
        {
            why = "WGSL has no pointers: index a Span<T> buffer instead";
            return null;
        }
        if (type.TypeKind == TypeKind.Delegate)
        {
            why = "lambdas and delegates do not exist on the GPU: write a static local function or a helper method and call it";
            return null;
        }
        why = type.IsReferenceType
            ? "classes and other reference types do not exist on the GPU: use structs of int, uint, float, Half and System.Numerics vectors"
            : "only int, uint, float, Half, bool, System.Numerics.Vector2/3/4, Matrix4x4, Matrix3x2 and structs of those are supported";
        return null;
    }

    private WgslType? MapStruct(INamedTypeSymbol type, out string why)
    {
        why = "";
        if (structs.TryGetValue(type, out var mapped))
            return mapped;
        if (known.IsSpan(type))
        {
            why = "spans exist only as a kernel's buffer parameters (Span<T>, ReadOnlySpan<T>, [GroupShared(n)] Span<T> for workgroup memory) passed on to helpers as they are; stackalloc, local spans and slices are not supported";
            return null;
        }
        if (type.IsTupleType)
            return MapTuple(type, out why);
        if (type.IsGenericType && IsCpuSimdVector(type))
        {
            why = "it is a CPU SIMD register, which WGSL has no form of: use Vector4 (or Vector2, Vector3), a vec4<f32> with the same operators and Min, Max, Abs, Dot, Lerp, Clamp, SquareRoot";
            return null;
        }
        if (type.IsGenericType)
        {
            why = type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                ? "nullable values do not exist in WGSL"
                : "generic structs are not supported: declare a non-generic struct";
            return null;
        }
        if (type.IsRefLikeType)
        {
            why = "Span<T> and other ref structs can only be kernel parameters (buffers), not locals, fields or helper parameters";
            return null;
        }
        if (type.DeclaringSyntaxReferences.Length == 0)
        {
            why = type.ToDisplayString() is "System.Numerics.Quaternion" or "System.Numerics.Plane"
                ? "only structs declared in this compilation (of int, uint, float, Half and System.Numerics vectors) are supported: hold it in a Vector4 (X, Y, Z, W) and write its operations as static methods"
                : "only structs declared in this compilation (of int, uint, float, Half and System.Numerics vectors) are supported";
            return null;
        }
        if (!inProgress.Add(type))
        {
            why = "the struct contains itself";
            return null;
        }
        try
        {
            var result = WgslType.ForStruct(UniqueName(type.Name), type);
            int offset = 0, align = 1, csOffset = 0, csAlign = 1, csEnd = 0;
            bool hostShareable = true;
            var (layoutKind, pack, declaredSize) = ReadStructLayout(type);
            foreach (var member in type.GetMembers())
            {
                if (member is not IFieldSymbol { IsStatic: false, IsConst: false } field)
                    continue;
                // An auto-property's backing field (a record struct's positional members too) is laid out as a field,
                // where C# lays it out: its members are in declaration order, positional ones first.
                if (field.IsImplicitlyDeclared && field.AssociatedSymbol is not IPropertySymbol)
                    continue;
                if (field.IsFixedSizeBuffer)
                {
                    why = $"its field '{WgslStructField.CSharpNameOf(field)}' is a fixed-size buffer, which is not supported: declare one field per element, or use a per-invocation array local (stackalloc)";
                    if (RejectedMember is null)
                        (RejectedMember, RejectedMemberWhy) = (field.AssociatedSymbol ?? field, why);
                    return null;
                }
                var fieldType = Map(field.Type, out var fieldWhy);
                if (fieldType is null)
                {
                    why = $"its {(field.AssociatedSymbol is IPropertySymbol ? "property" : "field")} '{WgslStructField.CSharpNameOf(field)}' has type '{field.Type.ToDisplayString()}': {fieldWhy}";
                    if (RejectedMember is null)
                        (RejectedMember, RejectedMemberWhy) = (field.AssociatedSymbol ?? field, why);
                    return null;
                }
                hostShareable &= fieldType.HostShareable;
                offset = RoundUp(offset, fieldType.Align);
                align = Math.Max(align, fieldType.Align);
                int fieldCsAlign = pack > 0 ? Math.Min(pack, fieldType.CSharpAlign) : fieldType.CSharpAlign;
                int fieldCsOffset = layoutKind == LayoutKind.Explicit ? FieldOffset(field) : RoundUp(csOffset, fieldCsAlign);
                csAlign = Math.Max(csAlign, fieldCsAlign);
                string fieldName = WgslNames.Escape(WgslStructField.CSharpNameOf(field));
                while (result.Fields.Any(f => f.Name == fieldName))
                    fieldName += "_"; // 'fn' and 'fn_' both escape to 'fn_'
                result.Fields.Add(new WgslStructField(field, fieldName, fieldType, offset, fieldCsOffset));
                offset += fieldType.Size;
                csOffset = fieldCsOffset + fieldType.CSharpSize;
                csEnd = Math.Max(csEnd, csOffset);
            }
            if (result.Fields.Count == 0)
            {
                why = "it has no fields, and WGSL structs need at least one member";
                return null;
            }
            int size = RoundUp(offset, align);
            int csSize = Math.Max(declaredSize, RoundUp(csEnd, csAlign));
            result.CompleteStruct(align, size, csAlign, csSize, hostShareable, Compare(result, size, csSize));
            structs.Add(type, result);
            structNames.Add(result.Name);
            Structs.Add(result);
            return result;
        }
        finally
        {
            inProgress.Remove(type);
        }
    }

    private readonly Dictionary<string, WgslType> tuples = new(StringComparer.Ordinal);

    /// <summary>
    /// A C# tuple type as a generated WGSL struct named from its element types (<c>Tuple_f32_i32</c>), one per
    /// distinct list of element types in the module, with fields <c>Item1..</c>: the element names are C#-only.
    /// </summary>
    private WgslType? MapTuple(INamedTypeSymbol type, out string why)
    {
        why = "";
        var elements = type.TupleElements;
        if (elements.Length > 7)
        {
            why = "tuples of more than 7 elements are not supported: declare a struct";
            return null;
        }
        var elementTypes = new List<WgslType>();
        foreach (var element in elements)
        {
            var elementType = Map(element.Type, out var elementWhy);
            if (elementType is null)
            {
                why = $"its element '{element.Name}' has type '{element.Type.ToDisplayString()}': {elementWhy}";
                return null;
            }
            elementTypes.Add(elementType);
        }
        // Keyed by the WGSL types, narrow integers apart (a byte element is a u32 that conversions keep in range).
        string key = "(" + string.Join(",", elementTypes.Select(t => t.Name + "/" + t.NarrowBits.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
        if (tuples.TryGetValue(key, out var known))
            return known;
        var result = WgslType.ForTuple(UniqueName("Tuple_" + string.Join("_", elementTypes.Select(TupleNamePart))), type);
        int offset = 0, align = 1, csOffset = 0, csAlign = 1;
        bool hostShareable = true;
        for (int i = 0; i < elements.Length; i++)
        {
            var elementType = elementTypes[i];
            hostShareable &= elementType.HostShareable;
            offset = RoundUp(offset, elementType.Align);
            align = Math.Max(align, elementType.Align);
            int fieldCsOffset = RoundUp(csOffset, elementType.CSharpAlign);
            csAlign = Math.Max(csAlign, elementType.CSharpAlign);
            result.Fields.Add(new WgslStructField(elements[i].CorrespondingTupleField ?? elements[i], "Item" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), elementType, offset, fieldCsOffset));
            offset += elementType.Size;
            csOffset = fieldCsOffset + elementType.CSharpSize;
        }
        // ValueTuple's C# layout is the runtime's choice (auto layout): the kernel parser rejects tuples in buffers and uniforms (KG0067).
        result.CompleteStruct(align, RoundUp(offset, align), csAlign, RoundUp(csOffset, csAlign), hostShareable, layoutMismatch: null);
        tuples.Add(key, result);
        structNames.Add(result.Name);
        Structs.Add(result);
        return result;
    }

    /// <summary>
    /// A WGSL type's spelling as part of a tuple struct's name: <c>vec2&lt;f32&gt;</c> is <c>vec2f</c>, a
    /// <c>byte</c> <c>u8</c>, a struct its WGSL name (unique in the module).
    /// </summary>
    private static string TupleNamePart(WgslType type)
    {
        // byte / sbyte / ushort / short are u32 / i32 that conversions keep in range: their own struct (Tuple_u8_i32).
        if (type.NarrowBits > 0)
            return (type.Scalar == WgslScalar.U32 ? "u" : "i") + type.NarrowBits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (type.IsVector)
            return "vec" + type.VectorSize.ToString(System.Globalization.CultureInfo.InvariantCulture) + (type.Scalar switch { WgslScalar.F32 => "f", WgslScalar.F16 => "h", WgslScalar.I32 => "i", WgslScalar.U32 => "u", _ => "b" });
        if (type.IsMatrix)
            return "mat" + type.MatrixColumns.ToString(System.Globalization.CultureInfo.InvariantCulture) + "x" + type.MatrixRows.ToString(System.Globalization.CultureInfo.InvariantCulture) + "f";
        var name = new System.Text.StringBuilder();
        foreach (char c in type.Name)
            name.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
        return name.ToString().TrimEnd('_');
    }

    private string UniqueName(string name)
    {
        var candidate = WgslNames.Escape(name);
        int n = 2;
        var baseName = candidate;
        while (structNames.Contains(candidate) || !claimName(candidate))
            candidate = baseName + "_" + n++;
        return candidate;
    }

    private static string? Compare(WgslType type, int size, int csSize)
    {
        foreach (var field in type.Fields)
        {
            if (field.Offset != field.CSharpOffset)
            {
                return $"field '{field.CSharpName}' ({field.Type.Name}, aligned to {field.Type.Align} bytes in WGSL) is at byte {field.CSharpOffset} in C# but at byte {field.Offset} in WGSL: " +
                    $"insert {(field.Offset - field.CSharpOffset) / 4} float padding field(s) before it, or reorder the fields (largest alignment first)";
            }
            if (field.Type.IsStruct && field.Type.LayoutMismatch is { } nested)
                return $"field '{field.CSharpName}' has struct type '{field.Type.Symbol!.Name}', which " + nested;
        }
        if (size != csSize)
        {
            return $"its size is {csSize} bytes in C# but {size} bytes in WGSL (rounded up to its {type.Align}-byte alignment): " +
                $"add {(size - csSize) / 4} trailing float padding field(s)";
        }
        return null;
    }

    private readonly Dictionary<WgslType, WgslType> uniformTwins = [];

    /// <summary>
    /// The type that holds <paramref name="type"/> in the uniform block: the type itself when it is
    /// host-shareable; <c>u32</c> for <c>bool</c> (0 or 1, converted on read); for a struct with bool fields,
    /// a twin struct <c>Name_uniform</c> with the same field offsets and <c>u32</c> in place of each bool.
    /// </summary>
    public WgslType UniformTwin(WgslType type)
    {
        if (type.HostShareable)
            return type;
        if (type.Scalar == WgslScalar.Bool && type.IsScalar)
            return WgslType.U32;
        if (type.NarrowBits > 0)
            return type.Scalar == WgslScalar.I32 ? WgslType.I32 : WgslType.U32; // widened by the stub, sign-extended
        if (!type.IsStruct)
            return type;
        if (uniformTwins.TryGetValue(type, out var known))
            return known;
        var twin = WgslType.ForStruct(UniqueName(type.Name + "_uniform"), type.Symbol!);
        foreach (var field in type.Fields)
            twin.Fields.Add(field with { Type = UniformTwin(field.Type) });
        twin.CompleteStruct(type.Align, type.Size, type.CSharpAlign, type.CSharpSize, hostShareable: true, layoutMismatch: null);
        twin.UniformValueType = type;
        uniformTwins.Add(type, twin);
        structNames.Add(twin.Name);
        Structs.Add(twin);
        return twin;
    }

    /// <summary>Why a struct used in the uniform block breaks WGSL's uniform address-space rules, or null.</summary>
    public static string? UniformLayoutProblem(WgslType type)
    {
        if (!type.IsStruct)
            return null;
        for (int i = 0; i < type.Fields.Count; i++)
        {
            var field = type.Fields[i];
            if (!field.Type.IsStruct)
                continue;
            if (field.Offset % 16 != 0)
                return $"its struct field '{field.CSharpName}' is at byte {field.Offset}, but uniform buffers need struct members at multiples of 16 bytes: add padding before it";
            if (i + 1 < type.Fields.Count && type.Fields[i + 1].Offset - field.Offset < RoundUp(field.Type.Size, 16))
                return $"the field after struct field '{field.CSharpName}' must start at least {RoundUp(field.Type.Size, 16)} bytes after it in a uniform buffer: add padding";
            if (UniformLayoutProblem(field.Type) is { } nested)
                return nested;
        }
        return null;
    }

    private (LayoutKind Kind, int Pack, int Size) ReadStructLayout(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (!known.StructLayoutAttribute.Matches(attribute.AttributeClass))
                continue;
            var kind = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is int k ? (LayoutKind)k : LayoutKind.Sequential;
            int pack = 0, size = 0;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Pack" && named.Value.Value is int p)
                    pack = p;
                if (named.Key == "Size" && named.Value.Value is int s)
                    size = s;
            }
            return (kind, pack, size);
        }
        return (LayoutKind.Sequential, 0, 0);
    }

    private int FieldOffset(IFieldSymbol field)
    {
        foreach (var attribute in field.GetAttributes())
        {
            if (known.FieldOffsetAttribute.Matches(attribute.AttributeClass)
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int offset)
                return offset;
        }
        return 0;
    }

    /// <summary>
    /// Whether a property of a struct is read and written as its backing field: an auto-property (<c>{ get; set; }</c>,
    /// <c>{ get; init; }</c>, <c>{ get; }</c>) or a record struct's positional member, whose accessors have no bodies.
    /// </summary>
    public static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.IsStatic || property.IsIndexer || property.DeclaringSyntaxReferences.Length == 0)
            return false;
        foreach (var reference in property.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax())
            {
                case PropertyDeclarationSyntax { AccessorList: { } accessors, ExpressionBody: null } when accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null):
                case ParameterSyntax: // a positional member
                    continue;
                default:
                    return false;
            }
        }
        return BackingField(property) is not null;
    }

    /// <summary>The backing field C# declares for a property, or null.</summary>
    public static IFieldSymbol? BackingField(IPropertySymbol property)
        => property.ContainingType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

    public static int RoundUp(int value, int multiple) => multiple <= 1 ? value : (value + multiple - 1) / multiple * multiple;

    /// <summary>Vector64/128/256/512&lt;T&gt; and System.Numerics.Vector&lt;T&gt;: the CPU's SIMD registers.</summary>
    private static bool IsCpuSimdVector(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        string ns = definition.ContainingNamespace?.ToDisplayString() ?? "";
        return (ns == "System.Runtime.Intrinsics" && definition.MetadataName is "Vector64`1" or "Vector128`1" or "Vector256`1" or "Vector512`1")
            || (ns == "System.Numerics" && definition.MetadataName == "Vector`1");
    }
}
