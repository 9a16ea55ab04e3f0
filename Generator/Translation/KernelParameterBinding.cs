using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Translation;

/// <summary>How one kernel parameter appears in WGSL (translation-time only; holds symbols).</summary>
internal sealed class KernelParameterBinding
{
    public KernelParameterBinding(IParameterSymbol symbol, ParameterKind kind, WgslType? type, string wgslName)
    {
        Symbol = symbol;
        Kind = kind;
        Type = type;
        WgslName = wgslName;
    }

    public IParameterSymbol Symbol { get; }

    public ParameterKind Kind { get; }

    /// <summary>The value type for uniforms; the element type for buffers and shared arrays; null for ids.</summary>
    public WgslType? Type { get; }

    /// <summary>The WGSL name: module-scope variable, uniform member, or entry-point parameter.</summary>
    public string WgslName { get; }

    /// <summary>The <c>@binding</c> of a buffer, the index of a shared array.</summary>
    public int Slot { get; set; }

    /// <summary>
    /// The type of the uniform-block member: <see cref="Type"/>, or for bool and structs with bool fields its
    /// host-shareable twin (<c>u32</c> in place of each bool), converted to <see cref="Type"/> where it is read.
    /// </summary>
    public WgslType? UniformType { get; set; }

    /// <summary>Whether the uniform block holds a twin of the value (<see cref="UniformType"/>), packed field by field.</summary>
    public bool HasUniformTwin => Kind == ParameterKind.Uniform && UniformType is not null && UniformType != Type;

    /// <summary>Byte offset in the uniform block.</summary>
    public int UniformOffset { get; set; }

    /// <summary>Extra WGSL attributes of a uniform member (<c>@align(16)</c> for structs).</summary>
    public string UniformAttributes { get; set; } = "";

    public int SharedLength { get; set; }

    /// <summary>A Vector3 buffer in C#'s 12-byte layout, bound as <c>array&lt;f32&gt;</c> (see WgslFunctionTranslator.HostLayouts).</summary>
    public bool PackedVector3 { get; set; }

    /// <summary>
    /// A buffer whose elements keep C#'s byte layout where WGSL's differs (byte/short fields, Vector3 fields,
    /// Pack): bound as 32-bit words, read and written field by field at the C# offsets (see FunctionLowering.HostLayouts).
    /// </summary>
    public HostLayout? HostLayout { get; set; }

    /// <summary>The WGSL <c>override</c> that gives a shared array's length (a [Specialize] parameter); null for a constant length.</summary>
    public string? SharedLengthName { get; set; }

    /// <summary>
    /// For a helper's Span/array parameter that receives a caller's per-invocation array: the WGSL pointer type
    /// (<c>ptr&lt;function, array&lt;T, N&gt;&gt;</c>) of the real WGSL parameter; null for a module-scope buffer.
    /// </summary>
    public string? PointerType { get; set; }

    /// <summary>
    /// For a span that is a slice of a buffer or workgroup array (a helper's Span parameter given <c>x.Slice(a, n)</c>,
    /// <c>x[a..b]</c>, or a Span local set to one): the i32 offset of its first element in <see cref="Variable"/> and its
    /// length, as IR (references to the helper's two parameters or the local's two lets); null for the whole array.
    /// </summary>
    public Ir.IrExpr? SliceOffset { get; set; }

    /// <inheritdoc cref="SliceOffset"/>
    public Ir.IrExpr? SliceLength { get; set; }

    /// <summary>For a helper's Span parameter bound to a slice: its two WGSL parameters (offset, length), after the others before it.</summary>
    public Ir.IrVariable? SliceOffsetParameter { get; set; }

    /// <inheritdoc cref="SliceOffsetParameter"/>
    public Ir.IrVariable? SliceLengthParameter { get; set; }

    /// <summary>Whether this binds a slice: the helper function takes the offset and length as arguments.</summary>
    public bool IsSlice { get; set; }

    /// <summary>The entry-point parameter holding <c>local_invocation_index</c> (LocalId only).</summary>
    public string? IndexName { get; set; }

    /// <summary>The entry-point parameters holding <c>subgroup_invocation_id</c> and <c>subgroup_size</c> (SubgroupId only).</summary>
    public string? LaneName { get; set; }

    /// <inheritdoc cref="LaneName"/>
    public string? SizeName { get; set; }

    /// <summary>The IR variable: the module-scope buffer or workgroup array, or the entry point's id parameter.</summary>
    public Ir.IrVariable? Variable { get; set; }

    /// <summary>The IR variable of <see cref="IndexName"/>.</summary>
    public Ir.IrVariable? IndexVariable { get; set; }

    /// <summary>The IR variables of <see cref="LaneName"/> and <see cref="SizeName"/>.</summary>
    public Ir.IrVariable? LaneVariable { get; set; }

    /// <inheritdoc cref="LaneVariable"/>
    public Ir.IrVariable? SizeVariable { get; set; }

    public bool IsId => Kind is ParameterKind.ThreadId or ParameterKind.LocalId or ParameterKind.GroupId or ParameterKind.GroupCount or ParameterKind.SubgroupId;

    public bool IsBuffer => Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer;
}

/// <summary>How a host-layout buffer holds its elements: <see cref="Stride"/> bytes each (Unsafe.SizeOf), in 32-bit words.</summary>
/// <param name="Stride">The C# element size in bytes.</param>
/// <param name="Atomic">
/// Whether the words are <c>atomic&lt;u32&gt;</c>: a writable buffer where a store can cover only part of a word (a field
/// under 4 bytes, or one not at a multiple of 4), which other invocations may be writing the rest of; such stores
/// clear and set their bits with atomicAnd and atomicOr, so neighbouring bytes are never lost.
/// </param>
internal sealed record HostLayout(int Stride, bool Atomic);
