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
}

/// <summary>One parameter of a kernel, as the emitted C# needs it.</summary>
/// <param name="Name">The C# name (without <c>@</c>).</param>
/// <param name="Kind">How it is bound.</param>
/// <param name="TypeName">Fully qualified C# type of the value (the element type for buffers and shared arrays).</param>
/// <param name="Slot">Binding index for buffers, shared-array index for shared arrays, byte offset for uniforms.</param>
/// <param name="Size">Element size in bytes for buffers and shared arrays; value size for uniforms.</param>
/// <param name="SharedLength">Element count of a shared array.</param>
internal sealed record KernelParameter(string Name, ParameterKind Kind, string TypeName, int Slot, int Size, int SharedLength);

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
    bool UsesSubgroups = false)
{
    /// <summary>Identifies the generated file: the containing type, fully qualified.</summary>
    public string TypeKey => (Namespace is null ? "" : Namespace + ".") + string.Join(".", System.Linq.Enumerable.Select(ContainingTypes, t => t.Name));
}

/// <summary>
/// The phased CPU form of a barrier kernel (see <c>KernelGenerator.CpuForm</c>): the iterator's usings,
/// nullable directive, parameter list and body; or, with a null body, why the kernel keeps the threaded path.
/// </summary>
internal sealed record CpuFormModel(string? Usings, string? Nullable, string? Parameters, string? Body, string? Fallback);

/// <summary>The result of parsing one <c>[Kernel]</c> method: a model when it translated, and its diagnostics.</summary>
internal sealed record KernelParseResult(KernelModel? Kernel, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The kernels of one containing type: one generated file.</summary>
internal sealed record KernelTypeModel(string TypeKey, EquatableArray<KernelModel> Kernels);

/// <summary>One entry of the assembly's kernel catalog.</summary>
internal sealed record CatalogEntry(string TypeKey, string MethodName);
