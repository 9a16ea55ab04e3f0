using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Mappings;

/// <summary>The scalar (or vector component) kinds WGSL kernels use.</summary>
internal enum WgslScalar
{
    Bool,
    I32,
    U32,
    F32,
    F16,
}

/// <summary>
/// A WGSL type a C# type maps to, with its WGSL layout (host-shareable rules) and the layout of the
/// C# type, so that the two can be compared where bytes cross between them.
/// </summary>
internal sealed class WgslType
{
    private WgslType(string name, WgslScalar? scalar, int vectorSize, int align, int size, int csAlign, int csSize, bool hostShareable)
    {
        Name = name;
        Scalar = scalar;
        VectorSize = vectorSize;
        Align = align;
        Size = size;
        CSharpAlign = csAlign;
        CSharpSize = csSize;
        HostShareable = hostShareable;
    }

    public static readonly WgslType Bool = new("bool", WgslScalar.Bool, 0, 4, 4, 1, 1, hostShareable: false);
    public static readonly WgslType I32 = new("i32", WgslScalar.I32, 0, 4, 4, 4, 4, true);
    public static readonly WgslType U32 = new("u32", WgslScalar.U32, 0, 4, 4, 4, 4, true);
    public static readonly WgslType F32 = new("f32", WgslScalar.F32, 0, 4, 4, 4, 4, true);
    public static readonly WgslType F16 = new("f16", WgslScalar.F16, 0, 2, 2, 2, 2, true);
    /// <summary>
    /// C#'s byte, sbyte, ushort and short: a u32 or i32 in WGSL (C# promotes them to int in arithmetic) whose
    /// value stays in the narrow range (conversions to them truncate as C# does), with the C# size. Not
    /// host-shareable as they are: buffers and uniforms hold them through host-layout code (see HostLayouts).
    /// </summary>
    public static readonly WgslType U8 = new("u32", WgslScalar.U32, 0, 4, 4, 1, 1, hostShareable: false) { NarrowBits = 8 };
    public static readonly WgslType I8 = new("i32", WgslScalar.I32, 0, 4, 4, 1, 1, hostShareable: false) { NarrowBits = 8 };
    public static readonly WgslType U16 = new("u32", WgslScalar.U32, 0, 4, 4, 2, 2, hostShareable: false) { NarrowBits = 16 };
    public static readonly WgslType I16 = new("i32", WgslScalar.I32, 0, 4, 4, 2, 2, hostShareable: false) { NarrowBits = 16 };

    /// <summary>
    /// C#'s long and ulong, emulated on two 32-bit words: <c>vec2&lt;u32&gt;</c> with x the low word and y the high
    /// word (little-endian, so a buffer of them holds C#'s bytes; 8-byte aligned as in C#). Scalar is null so that
    /// no scalar path takes them: every operation goes through the Int64 lowering (exact polyfills or a diagnostic).
    /// </summary>
    public static readonly WgslType I64 = new("vec2<u32>", null, 0, 8, 8, 8, 8, true) { Int64Kind = 1 };
    public static readonly WgslType U64 = new("vec2<u32>", null, 0, 8, 8, 8, 8, true) { Int64Kind = 2 };

    public static readonly WgslType Vec2 = new("vec2<f32>", WgslScalar.F32, 2, 8, 8, 4, 8, true);
    public static readonly WgslType Vec3 = new("vec3<f32>", WgslScalar.F32, 3, 16, 12, 4, 12, true);
    public static readonly WgslType Vec4 = new("vec4<f32>", WgslScalar.F32, 4, 16, 16, 4, 16, true);

    /// <summary>
    /// System.Numerics.Matrix4x4 and Matrix3x2: C#'s row i is WGSL's column i, so the 64 and 24 bytes of the C# value
    /// are the WGSL matrix's bytes (mat3x2's columns are vec2, 8 bytes apart: its size and array stride are 24).
    /// </summary>
    public static readonly WgslType Mat4x4 = new("mat4x4<f32>", null, 0, 16, 64, 4, 64, true) { MatrixColumns = 4, MatrixRows = 4, MatrixColumn = Vec4 };
    public static readonly WgslType Mat3x2 = new("mat3x2<f32>", null, 0, 8, 24, 4, 24, true) { MatrixColumns = 3, MatrixRows = 2, MatrixColumn = Vec2 };

    /// <summary>The built-in id vectors (<c>global_invocation_id</c>, ...).</summary>
    public static readonly WgslType UVec3 = new("vec3<u32>", WgslScalar.U32, 3, 16, 12, 4, 12, true);
    public static readonly WgslType UVec4 = new("vec4<u32>", WgslScalar.U32, 4, 16, 16, 4, 16, true);

    /// <summary>The vectors of WGSL's 4x8 integer packs (no C# type maps to them).</summary>
    public static readonly WgslType IVec4 = new("vec4<i32>", WgslScalar.I32, 4, 16, 16, 4, 16, true);

    /// <summary>Component-wise comparisons of f32 vectors (never stored).</summary>
    public static readonly WgslType BVec2 = new("vec2<bool>", WgslScalar.Bool, 2, 8, 8, 1, 2, false);
    public static readonly WgslType BVec3 = new("vec3<bool>", WgslScalar.Bool, 3, 16, 12, 1, 3, false);
    public static readonly WgslType BVec4 = new("vec4<bool>", WgslScalar.Bool, 4, 16, 16, 1, 4, false);

    /// <summary>The bool vector with as many components as <paramref name="size"/>.</summary>
    public static WgslType BoolVector(int size) => size switch { 2 => BVec2, 3 => BVec3, _ => BVec4 };

    /// <summary>A fixed-size function-scope array <c>array&lt;T, N&gt;</c> (a per-invocation array; never host-shared).</summary>
    public static WgslType ArrayOf(WgslType element, int length)
    {
        int stride = (element.Size + element.Align - 1) / element.Align * element.Align;
        return new($"array<{element.Name}, {length.ToString(System.Globalization.CultureInfo.InvariantCulture)}>", null, 0, element.Align, stride * length, element.CSharpAlign, element.CSharpSize * length, false)
        {
            ArrayElement = element,
            ArrayLength = length,
        };
    }

    /// <summary>A pointer to a function-scope value: <c>ptr&lt;function, T&gt;</c> (a helper's parameter given a caller's array).</summary>
    public static WgslType PointerTo(WgslType target) => new($"ptr<function, {target.Name}>", null, 0, 0, 0, 0, 0, false) { PointeeType = target };

    /// <summary>8 or 16 for the narrow integers (<see cref="U8"/>, ...), 0 otherwise.</summary>
    public int NarrowBits { get; private set; }

    /// <summary>1 for long (<see cref="I64"/>), 2 for ulong (<see cref="U64"/>), 0 otherwise.</summary>
    public int Int64Kind { get; private set; }

    /// <summary>Whether this is long or ulong (two u32 words).</summary>
    public bool Is64 => Int64Kind > 0;

    /// <summary>Whether this is a narrow integer or a struct holding one (at any depth): its host layout differs from WGSL's.</summary>
    public bool HasNarrow => NarrowBits > 0 || (IsStruct && Fields.Exists(f => f.Type.HasNarrow));

    /// <summary>The element type of an <see cref="ArrayOf"/> type; null otherwise.</summary>
    public WgslType? ArrayElement { get; private set; }

    /// <summary>The element count of an <see cref="ArrayOf"/> type.</summary>
    public int ArrayLength { get; private set; }

    /// <summary>For a matrix: its WGSL columns (C#'s rows), the components of each, and the column type; 0 and null otherwise.</summary>
    public int MatrixColumns { get; private set; }

    /// <inheritdoc cref="MatrixColumns"/>
    public int MatrixRows { get; private set; }

    /// <inheritdoc cref="MatrixColumns"/>
    public WgslType? MatrixColumn { get; private set; }

    public bool IsMatrix => MatrixColumns > 0;

    /// <summary>What a <see cref="PointerTo"/> type points to; null otherwise.</summary>
    public WgslType? PointeeType { get; private set; }

    /// <summary>Creates a struct type; its fields are filled in by <see cref="WgslTypeMap"/>.</summary>
    public static WgslType ForStruct(string name, INamedTypeSymbol symbol) => new(name, null, 0, 0, 0, 0, 0, true) { Symbol = symbol };

    /// <summary>The WGSL spelling.</summary>
    public string Name { get; }

    /// <summary>The scalar, or the component of a vector; null for structs.</summary>
    public WgslScalar? Scalar { get; }

    /// <summary>0 for scalars and structs, else the number of components.</summary>
    public int VectorSize { get; }

    /// <summary>WGSL alignment (AlignOf).</summary>
    public int Align { get; private set; }

    /// <summary>WGSL size (SizeOf), which is also the array stride.</summary>
    public int Size { get; private set; }

    /// <summary>Alignment of the C# type.</summary>
    public int CSharpAlign { get; private set; }

    /// <summary>Size of the C# type (Unsafe.SizeOf).</summary>
    public int CSharpSize { get; private set; }

    /// <summary>Whether the type may sit in storage and uniform buffers (no bool inside).</summary>
    public bool HostShareable { get; private set; }

    /// <summary>The C# struct, for struct types.</summary>
    public INamedTypeSymbol? Symbol { get; private set; }

    /// <summary>The fields of a struct type, in declaration order.</summary>
    public List<WgslStructField> Fields { get; } = [];

    /// <summary>For a uniform-block twin of a struct with bool fields (<see cref="WgslTypeMap.UniformTwin"/>): the struct it holds.</summary>
    public WgslType? UniformValueType { get; set; }

    /// <summary>Why the C# and WGSL layouts differ, or null when they are equal.</summary>
    public string? LayoutMismatch { get; private set; }

    public bool IsStruct => Symbol is not null;

    /// <summary>Whether this is the generated struct of a C# tuple type (fields <c>Item1..</c>; no stable host layout).</summary>
    public bool IsTuple { get; private set; }

    /// <summary>Whether this is a tuple or a struct holding one (at any depth).</summary>
    public bool HasTuple => IsTuple || (IsStruct && Fields.Exists(f => f.Type.HasTuple));

    /// <summary>
    /// The index in <see cref="Fields"/> of a C# field of this struct, or -1: by symbol, and for a tuple by its
    /// position (<c>r.min</c>, <c>r.Item1</c> of any tuple type with these element types).
    /// </summary>
    public int FieldIndex(IFieldSymbol field)
    {
        if (IsTuple)
        {
            string name = (field.CorrespondingTupleField ?? field).Name;
            return Fields.FindIndex(f => f.Name == name);
        }
        return Fields.FindIndex(f => SymbolEqualityComparer.Default.Equals(f.Symbol, field));
    }

    /// <summary>Creates the struct of a tuple type; its fields are filled in by <see cref="WgslTypeMap"/>.</summary>
    public static WgslType ForTuple(string name, INamedTypeSymbol symbol) => new(name, null, 0, 0, 0, 0, 0, true) { Symbol = symbol, IsTuple = true };

    public bool IsVector => VectorSize > 0;

    public bool IsScalar => Scalar is not null && VectorSize == 0;

    public bool IsNumericScalar => IsScalar && Scalar != WgslScalar.Bool;

    public bool IsFloat => Scalar is WgslScalar.F32 or WgslScalar.F16;

    public bool IsInteger => Scalar is WgslScalar.I32 or WgslScalar.U32;

    /// <summary>Sets the layouts of a struct type once its fields are known.</summary>
    public void CompleteStruct(int align, int size, int csAlign, int csSize, bool hostShareable, string? layoutMismatch)
    {
        Align = align;
        Size = size;
        CSharpAlign = csAlign;
        CSharpSize = csSize;
        HostShareable = hostShareable;
        LayoutMismatch = layoutMismatch;
    }

    public override string ToString() => Name;
}

/// <summary>A field of a WGSL struct.</summary>
internal sealed record WgslStructField(IFieldSymbol Symbol, string Name, WgslType Type, int Offset, int CSharpOffset)
{
    /// <summary>The member's C# name: the field's, or for an auto-property's backing field the property's.</summary>
    public string CSharpName => CSharpNameOf(Symbol);

    public static string CSharpNameOf(IFieldSymbol field) => field.AssociatedSymbol?.Name ?? field.Name;
}
