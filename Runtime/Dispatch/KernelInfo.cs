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
/// <param name="Length">Number of elements (in a kernel made by <see cref="KernelInfo.Specialize"/>, the specialised one).</param>
/// <param name="LengthFrom">The specialisation constant that gives the length (<c>[GroupShared(nameof(p))]</c>), or null.</param>
public readonly record struct GroupSharedArray(string Name, int ElementSize, int Length, string? LengthFrom = null);

/// <summary>A specialisation constant of a kernel: a <see cref="SpecializeAttribute"/> parameter, a WGSL <c>override</c>.</summary>
/// <param name="Name">The WGSL <c>override</c>'s name: the key in <see cref="PipelineConstants"/>.</param>
/// <param name="Parameter">The C# parameter name.</param>
/// <param name="Type">The C# type: <see cref="int"/>, <see cref="uint"/>, <see cref="float"/> or <see cref="bool"/>.</param>
public readonly record struct SpecializationConstant(string Name, string Parameter, Type Type);

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

    private int workgroupSizeX, workgroupSizeY, workgroupSizeZ;
    private ImmutableArray<GroupSharedArray> sharedArrays = [];
    private PipelineConstants constants = PipelineConstants.Empty;
    private KernelInfo? generic;
    private System.Collections.Concurrent.ConcurrentDictionary<PipelineConstants, KernelInfo>? specialized;

    /// <summary>
    /// Workgroup size along X, Y and Z. A size given by a specialisation constant (<see cref="WorkgroupSizeXFrom"/>) is 1 here
    /// and the constant's value in the kernel <see cref="Specialize"/> returns.
    /// </summary>
    public required int WorkgroupSizeX { get => workgroupSizeX; init => workgroupSizeX = value; }

    /// <inheritdoc cref="WorkgroupSizeX"/>
    public required int WorkgroupSizeY { get => workgroupSizeY; init => workgroupSizeY = value; }

    /// <inheritdoc cref="WorkgroupSizeX"/>
    public required int WorkgroupSizeZ { get => workgroupSizeZ; init => workgroupSizeZ = value; }

    /// <summary>The specialisation constant that gives the workgroup size along X (<see cref="KernelAttribute.WorkgroupSizeFrom"/>), or null.</summary>
    public string? WorkgroupSizeXFrom { get; init; }

    /// <inheritdoc cref="WorkgroupSizeXFrom"/>
    public string? WorkgroupSizeYFrom { get; init; }

    /// <inheritdoc cref="WorkgroupSizeXFrom"/>
    public string? WorkgroupSizeZFrom { get; init; }

    /// <summary>The kernel's <see cref="SpecializeAttribute"/> parameters, in parameter order (WGSL <c>override</c> constants).</summary>
    public ImmutableArray<SpecializationConstant> SpecializationConstants { get; init; } = [];

    /// <summary>The values this kernel was specialised with (<see cref="Specialize"/>); empty for the kernel as generated.</summary>
    public PipelineConstants Constants => constants;

    /// <summary>The kernel as generated, for one made by <see cref="Specialize"/>; else this kernel.</summary>
    public KernelInfo Generic => generic ?? this;

    /// <summary>Storage buffers in parameter order, then the uniform block if the kernel has one.</summary>
    public required ImmutableArray<KernelBinding> Bindings { get; init; }

    /// <summary>Size in bytes of the uniform block (0 when the kernel has no uniform parameter).</summary>
    public int UniformSize { get; init; }

    /// <summary>Workgroup-shared arrays, in parameter order.</summary>
    public ImmutableArray<GroupSharedArray> SharedArrays { get => sharedArrays; init => sharedArrays = value; }

    /// <summary>True when the kernel (or a function it calls) uses a workgroup or storage barrier.</summary>
    public bool UsesBarriers { get; init; }

    /// <summary>True when the WGSL needs the <c>shader-f16</c> feature (also listed in <see cref="RequiredFeatures"/>).</summary>
    public bool UsesF16 { get; init; }

    /// <summary>
    /// The WebGPU features the WGSL needs (<c>shader-f16</c>, ...), found by the generator's feature pass; a
    /// device without one throws <see cref="GpuFeatureNotSupportedException"/> on every backend.
    /// </summary>
    public ImmutableArray<string> RequiredFeatures { get; init; } = [];

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

    /// <summary>
    /// The kernel for one set of values of its specialisation constants (each <see cref="SpecializationConstants"/> entry by its
    /// <see cref="SpecializationConstant.Name"/>): workgroup size and shared-array lengths resolved, <see cref="Constants"/> set.
    /// Equal sets give the same instance (so one pipeline each); a kernel without constants returns itself for the empty set.
    /// Dispatching with constants specialises on its own; this is for reading the sizes a set gives.
    /// </summary>
    /// <exception cref="ArgumentException">A constant is missing, unknown, or has a value its type cannot hold, or a size is below 1.</exception>
    public KernelInfo Specialize(PipelineConstants constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        if (generic is not null)
            return generic.Specialize(constants);
        if (SpecializationConstants.IsEmpty)
            return this; // hand-written WGSL may have override constants of its own: they are passed through unchecked
        specialized ??= new();
        if (specialized.TryGetValue(constants, out var known))
            return known;
        return specialized.GetOrAdd(constants, Build(constants));
    }

    private KernelInfo Build(PipelineConstants values)
    {
        foreach (var (key, _) in values)
        {
            if (!SpecializationConstants.Any(c => c.Name == key))
                throw new ArgumentException($"Kernel {Name} ({SourceLocation}) has no specialisation constant '{key}'; it has {string.Join(", ", SpecializationConstants.Select(c => c.Name))}.", nameof(values));
        }
        foreach (var constant in SpecializationConstants)
        {
            var value = values.Find(constant.Name)
                ?? throw new ArgumentException($"Kernel {Name} ({SourceLocation}) needs a value for its [Specialize] parameter '{constant.Parameter}' (override '{constant.Name}'): pass it to the dispatch stub, or to device.Compile(kernel, PipelineConstants.Of((\"{constant.Name}\", value))).", nameof(values));
            bool fits = constant.Type == typeof(int) ? value == Math.Floor(value) && value >= int.MinValue && value <= int.MaxValue
                : constant.Type == typeof(uint) ? value == Math.Floor(value) && value >= 0 && value <= uint.MaxValue
                : constant.Type == typeof(bool) ? value is 0 or 1
                : (double)(float)value == value;
            if (!fits)
                throw new ArgumentException($"Kernel {Name}: {value} is not a {constant.Type.Name} value for specialisation constant '{constant.Name}'.", nameof(values));
        }
        int Size(string? from, int size, string what)
        {
            if (from is null)
                return size;
            var value = values.Find(from)!.Value;
            if (value < 1)
                throw new ArgumentOutOfRangeException(nameof(values), $"Kernel {Name}: {what} comes from '{from}', which is {value}; it must be at least 1.");
            return (int)Math.Min(value, int.MaxValue);
        }
        var clone = (KernelInfo)MemberwiseClone();
        clone.workgroupSizeX = Size(WorkgroupSizeXFrom, WorkgroupSizeX, "the workgroup size along X");
        clone.workgroupSizeY = Size(WorkgroupSizeYFrom, WorkgroupSizeY, "the workgroup size along Y");
        clone.workgroupSizeZ = Size(WorkgroupSizeZFrom, WorkgroupSizeZ, "the workgroup size along Z");
        clone.sharedArrays = SharedArrays.Select(a => a with { Length = Size(a.LengthFrom, a.Length, $"the length of workgroup array '{a.Name}'") }).ToImmutableArray();
        clone.constants = values;
        clone.generic = this;
        clone.specialized = null;
        return clone;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
