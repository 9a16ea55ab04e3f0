using System.Collections.Immutable;

namespace KernelGen;

/// <summary>How a kernel binding is accessed.</summary>
public enum BindingKind
{
    /// <summary><c>var&lt;storage, read&gt;</c>, from a <see cref="ReadOnlySpan{T}"/> parameter.</summary>
    ReadOnlyStorage,

    /// <summary><c>var&lt;storage, read_write&gt;</c>, from a <see cref="Span{T}"/> parameter.</summary>
    Storage,

    /// <summary><c>var&lt;uniform&gt;</c>: the kernel's scalar, vector and struct parameters packed together.</summary>
    Uniform,
}

/// <summary>One binding of a kernel, in <c>@group(0)</c>.</summary>
/// <param name="Binding">The WGSL <c>@binding</c> index.</param>
/// <param name="Name">The C# parameter name (or <c>"uniforms"</c>).</param>
/// <param name="Kind">How the binding is accessed.</param>
/// <param name="ElementType">The C# element type of a storage buffer; null for the uniform block.</param>
/// <param name="ElementSize">Bytes per element (array stride) of a storage buffer; the block size for the uniform block.</param>
public readonly record struct KernelBinding(int Binding, string Name, BindingKind Kind, Type? ElementType, int ElementSize);

/// <summary>A workgroup-shared array of a kernel (a <see cref="GroupSharedAttribute"/> parameter).</summary>
/// <param name="Name">The C# parameter name.</param>
/// <param name="ElementSize">Bytes per element.</param>
/// <param name="Length">Number of elements.</param>
public readonly record struct GroupSharedArray(string Name, int ElementSize, int Length);

/// <summary>Runs one invocation of a kernel on the CPU backend.</summary>
public delegate void CpuKernelBody(in CpuInvocation invocation);

/// <summary>
/// Everything the runtime needs to run one kernel: emitted by the source generator for every
/// <see cref="KernelAttribute"/> method, and listed in the assembly's kernel registry.
/// </summary>
public sealed class KernelInfo
{
    /// <summary>The C# name, <c>Namespace.Type.Method</c>: the name errors use.</summary>
    public required string Name { get; init; }

    /// <summary>Where the C# method is declared (<c>file(line)</c>), for error messages.</summary>
    public required string SourceLocation { get; init; }

    /// <summary>The complete WGSL module.</summary>
    public required string Wgsl { get; init; }

    /// <summary>The WGSL entry point's name.</summary>
    public required string EntryPoint { get; init; }

    /// <summary>Workgroup size along X, Y and Z.</summary>
    public required int WorkgroupSizeX { get; init; }

    /// <inheritdoc cref="WorkgroupSizeX"/>
    public required int WorkgroupSizeY { get; init; }

    /// <inheritdoc cref="WorkgroupSizeX"/>
    public required int WorkgroupSizeZ { get; init; }

    /// <summary>Storage buffers in parameter order, then the uniform block if the kernel has one.</summary>
    public required ImmutableArray<KernelBinding> Bindings { get; init; }

    /// <summary>Size in bytes of the uniform block (0 when the kernel has no uniform parameter).</summary>
    public int UniformSize { get; init; }

    /// <summary>Workgroup-shared arrays, in parameter order.</summary>
    public ImmutableArray<GroupSharedArray> SharedArrays { get; init; } = [];

    /// <summary>True when the kernel (or a function it calls) uses a workgroup or storage barrier.</summary>
    public bool UsesBarriers { get; init; }

    /// <summary>True when the WGSL needs the <c>shader-f16</c> feature.</summary>
    public bool UsesF16 { get; init; }

    /// <summary>
    /// True when the kernel (or a function it calls) uses <see cref="Subgroup"/> operations or a <see cref="SubgroupId"/>
    /// parameter: the WGSL needs the <c>subgroups</c> feature, and the CPU backend runs its workgroups in lockstep.
    /// </summary>
    public bool UsesSubgroups { get; init; }

    /// <summary>The kernel as C#, one invocation at a time, for the CPU backend.</summary>
    public required CpuKernelBody Cpu { get; init; }

    /// <summary>
    /// For a kernel with barriers: the kernel as a C# iterator that stops at each barrier, so the CPU
    /// backend runs a workgroup's invocations as loops on one thread. Null when the generator kept the
    /// kernel on the threaded path (barriers inside helpers, or span locals live across a barrier).
    /// </summary>
    public CpuPhasedKernelBody? CpuPhased { get; init; }

    /// <summary>Number of storage-buffer bindings (the arguments a dispatch takes).</summary>
    public int StorageBindingCount => UniformSize > 0 ? Bindings.Length - 1 : Bindings.Length;

    /// <summary>Invocations per workgroup.</summary>
    public int InvocationsPerWorkgroup => WorkgroupSizeX * WorkgroupSizeY * WorkgroupSizeZ;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
