namespace KernelGen.Generator.Model;

/// <summary>How a kernel parameter reaches the kernel.</summary>
internal enum ParameterKind
{
    ThreadId,
    LocalId,
    GroupId,
    GroupCount,
    SubgroupId,
    ReadOnlyBuffer,
    Buffer,
    Shared,
    Uniform,
    Specialized,
}

/// <summary>One parameter of a kernel, as the emitted C# needs it.</summary>
/// <param name="Name">The C# name (without <c>@</c>).</param>
/// <param name="Kind">How it is bound.</param>
/// <param name="TypeName">Fully qualified C# type of the value (the element type for buffers and shared arrays).</param>
/// <param name="Slot">Binding index for buffers, shared-array index for shared arrays, byte offset for uniforms.</param>
/// <param name="Size">Element size in bytes for buffers and shared arrays; value size for uniforms.</param>
/// <param name="SharedLength">Element count of a shared array.</param>
/// <param name="OpenTypeName">For a generic kernel: the type as declared, naming the type parameter (<c>T</c>); else null.</param>
/// <param name="Constant">The WGSL override of a [Specialize] parameter, or the one that gives a shared array's length.</param>
internal sealed record KernelParameter(string Name, ParameterKind Kind, string TypeName, int Slot, int Size, int SharedLength, string? OpenTypeName = null, string? Constant = null)
{
    /// <summary>For a uniform holding bools: its scalars and vectors, copied one by one (empty: the value is copied whole).</summary>
    public EquatableArray<UniformLeaf> UniformLeaves { get; init; } = EquatableArray<UniformLeaf>.Empty;

    /// <summary>For an enum [Specialize] parameter, its underlying C# type ("int" or "uint"); null otherwise.</summary>
    public string? EnumUnderlying { get; init; }
}

/// <summary>A scalar or vector inside a uniform value that holds bools.</summary>
/// <param name="CSharpOffset">Byte offset in the C# value.</param>
/// <param name="UniformOffset">Byte offset in the uniform block.</param>
/// <param name="TypeName">Fully qualified C# type.</param>
/// <param name="IsBool">A bool: one byte in C#, a u32 0 or 1 in the uniform block.</param>
internal sealed record UniformLeaf(int CSharpOffset, int UniformOffset, string TypeName, bool IsBool)
{
    /// <summary>For a byte/sbyte/ushort/short leaf, the 32-bit C# type it is widened to in the block ("uint" or "int"); null otherwise.</summary>
    public string? Wide { get; init; }
}

/// <summary>A type that contains a kernel, outermost first in <see cref="KernelModel.ContainingTypes"/>.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>.</param>
/// <param name="Name">The type name.</param>
/// <param name="IsStatic">Whether it is declared static.</param>
internal sealed record ContainingType(string Keyword, string Name, bool IsStatic);

/// <summary>Everything the emitter needs about one successfully translated kernel.</summary>
internal sealed record KernelModel(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string MethodName,
    string FullName,
    string Accessibility,
    string SourceLocation,
    string Wgsl,
    string EntryPoint,
    int WorkgroupSizeX,
    int WorkgroupSizeY,
    int WorkgroupSizeZ,
    EquatableArray<KernelParameter> Parameters,
    int UniformSize,
    bool UsesBarriers,
    bool UsesF16,
    EquatableArray<string> RequiredFeatures,
    CpuFormModel? CpuForm = null,
    bool UsesSubgroups = false,
    GenericInstance? Generic = null,
    string? WorkgroupSizeXFrom = null,
    string? WorkgroupSizeYFrom = null,
    string? WorkgroupSizeZFrom = null,
    bool Utf8Literals = false)
{
    /// <summary>Identifies the generated file: the containing type, fully qualified.</summary>
    public string TypeKey => (Namespace is null ? "" : Namespace + ".") + string.Join(".", System.Linq.Enumerable.Select(ContainingTypes, t => t.Name));

    /// <summary>The member of <c>Kernels</c> holding this kernel: the method name, and for a generic kernel's module its type argument (<c>Scale_float</c>).</summary>
    public string MemberName => Generic is null ? MethodName : MethodName + "_" + Generic.ArgumentName;
}

/// <summary>The type argument one module of a generic kernel was translated for.</summary>
/// <param name="TypeParameter">The kernel's type parameter (<c>T</c>).</param>
/// <param name="Argument">The type argument, fully qualified C# (<c>float</c>, <c>global::System.Half</c>).</param>
/// <param name="ArgumentName">Its short name (<c>float</c>, <c>Half</c>), used in member and catalog names.</param>
internal sealed record GenericInstance(string TypeParameter, string Argument, string ArgumentName);

/// <summary>
/// A generic kernel as parsed: one translation per type argument WGSL has that satisfies its constraints,
/// each with its own diagnostics; which of them are emitted depends on the stub's call sites and the
/// attribute's <c>Types</c>.
/// </summary>
/// <param name="TypeKey">The containing type (as <see cref="KernelModel.TypeKey"/>).</param>
/// <param name="MethodName">The kernel's name.</param>
/// <param name="Listed">The short names of the type arguments listed in <c>[Kernel(Types = ...)]</c>.</param>
/// <param name="Translations">One per candidate type argument, by short name.</param>
internal sealed record GenericKernelModel(string TypeKey, string MethodName, EquatableArray<string> Listed, EquatableArray<GenericTranslation> Translations);

/// <summary>One candidate type argument of a generic kernel: its module when it translated, and its diagnostics.</summary>
internal sealed record GenericTranslation(string ArgumentName, KernelModel? Kernel, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A call of a generic kernel's stub (<c>Ops.Gpu.Scale(...)</c>) found in the compilation, with its type argument.</summary>
/// <param name="TypeKey">The kernel's containing type.</param>
/// <param name="MethodName">The kernel's name.</param>
/// <param name="ArgumentName">The type argument's short name (<c>float</c>), or null when it is an open type parameter.</param>
/// <param name="Problem">Why the type argument cannot be a WGSL module, or null.</param>
/// <param name="Location">The call.</param>
internal sealed record GenericCallSite(string TypeKey, string MethodName, string? ArgumentName, string? Problem, LocationInfo? Location);

/// <summary>
/// The phased CPU form of a barrier kernel (see <c>KernelGenerator.CpuForm</c>): the iterator's usings,
/// nullable directive, parameter list and body; or, with a null body, why the kernel keeps the threaded path.
/// </summary>
internal sealed record CpuFormModel(string? Usings, string? Nullable, string? Parameters, string? Body, string? Fallback);

/// <summary>The result of parsing one <c>[Kernel]</c> method: a model when it translated, and its diagnostics.</summary>
internal sealed record KernelParseResult(KernelModel? Kernel, EquatableArray<DiagnosticInfo> Diagnostics, GenericKernelModel? Generic = null);

/// <summary>What one [Kernel] method contributes once generic kernels are instantiated: its modules and its diagnostics.</summary>
internal sealed record KernelOutput(EquatableArray<KernelModel> Kernels, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The kernels of one containing type: one generated file.</summary>
internal sealed record KernelTypeModel(string TypeKey, EquatableArray<KernelModel> Kernels);

/// <summary>One entry of the assembly's kernel catalog.</summary>
internal sealed record CatalogEntry(string TypeKey, string MemberName);
