namespace KernelGen;

/// <summary>
/// Marks a static method as a GPU kernel. The KernelGen source generator translates it to WGSL and
/// emits a typed dispatch stub in the nested class <c>Gpu</c> of the containing (partial) type.
/// The method stays ordinary C#: the CPU backend runs it as it is.
/// </summary>
/// <remarks>
/// Parameters, in any order:
/// <list type="bullet">
/// <item><see cref="ThreadId"/>, <see cref="LocalId"/>, <see cref="GroupId"/>, <see cref="GroupCount"/>: built-in ids.</item>
/// <item><see cref="ReadOnlySpan{T}"/>: a read-only storage buffer; <see cref="Span{T}"/>: a read-write storage buffer.</item>
/// <item><see cref="Span{T}"/> marked <see cref="GroupSharedAttribute"/>: workgroup-shared memory (not a dispatch argument).</item>
/// <item>Scalars, vectors and structs: packed together into one uniform buffer.</item>
/// </list>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class KernelAttribute : Attribute
{
    /// <summary>Workgroup size along X (WGSL <c>@workgroup_size</c>). Defaults to 64.</summary>
    public int WorkgroupSize { get; init; } = 64;

    /// <summary>Workgroup size along Y. Defaults to 1.</summary>
    public int WorkgroupSizeY { get; init; } = 1;

    /// <summary>Workgroup size along Z. Defaults to 1.</summary>
    public int WorkgroupSizeZ { get; init; } = 1;

    /// <summary>
    /// For a generic kernel (<c>K&lt;T&gt;</c>, T among <c>int</c>, <c>uint</c>, <c>float</c>, <c>Half</c>): type
    /// arguments to generate a WGSL module for, besides those the generator finds at the calls of the kernel's
    /// stub in this assembly (e.g. <c>Types = new[] { typeof(float), typeof(int) }</c>). List a type that only
    /// reaches the stub through another generic method's type parameter.
    /// </summary>
#pragma warning disable CA1819 // An attribute argument: arrays are the only way to list types.
    public Type[]? Types { get; init; }
#pragma warning restore CA1819

    /// <summary>
    /// The name of an <c>int</c> or <c>uint</c> <see cref="SpecializeAttribute"/> parameter whose value is the workgroup size
    /// along X (write <c>nameof(parameter)</c>); replaces <see cref="WorkgroupSize"/>. Dispatches use the size of the value given.
    /// </summary>
    public string? WorkgroupSizeFrom { get; init; }

    /// <summary>Like <see cref="WorkgroupSizeFrom"/>, for the workgroup size along Y.</summary>
    public string? WorkgroupSizeYFrom { get; init; }

    /// <summary>Like <see cref="WorkgroupSizeFrom"/>, for the workgroup size along Z.</summary>
    public string? WorkgroupSizeZFrom { get; init; }
}

/// <summary>
/// Marks a <see cref="Span{T}"/> kernel parameter as workgroup-shared memory of a fixed length
/// (WGSL <c>var&lt;workgroup&gt;</c>). It is shared by the invocations of one workgroup and is not
/// passed at dispatch.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class GroupSharedAttribute : Attribute
{
    /// <summary>A workgroup array of <paramref name="length"/> elements.</summary>
    public GroupSharedAttribute(int length) => Length = length;

    /// <summary>
    /// A workgroup array whose length is the value of the <c>int</c> or <c>uint</c> <see cref="SpecializeAttribute"/> parameter
    /// named <paramref name="lengthFrom"/> (write <c>nameof(parameter)</c>): a WGSL <c>override</c> length.
    /// </summary>
    public GroupSharedAttribute(string lengthFrom) => LengthFrom = lengthFrom;

    /// <summary>Number of elements (0 when <see cref="LengthFrom"/> gives it).</summary>
    public int Length { get; }

    /// <summary>The [Specialize] parameter whose value is the length, or null.</summary>
    public string? LengthFrom { get; }
}
