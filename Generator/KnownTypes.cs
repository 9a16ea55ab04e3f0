using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator;

/// <summary>
/// One well-known type of a compilation: every type of that metadata name that the compilation's references
/// define (the .NET ones), or for KernelGen's own types also one the compilation itself defines. A user type of
/// the same simple name in another namespace, or a source type posing as a .NET one, never matches.
/// </summary>
internal sealed class KnownType
{
    private readonly ImmutableArray<INamedTypeSymbol> candidates;

    public KnownType(ImmutableArray<INamedTypeSymbol> candidates) => this.candidates = candidates;

    /// <summary>Whether the compilation has this type at all.</summary>
    public bool Exists => !candidates.IsDefaultOrEmpty;

    /// <summary>The type (the core library's when several references define it), or null.</summary>
    public INamedTypeSymbol? Symbol => candidates.IsDefaultOrEmpty ? null : candidates[0];

    /// <summary>Whether <paramref name="type"/> is this type (a constructed generic type matches its definition).</summary>
    public bool Matches(ITypeSymbol? type)
    {
        if (type is null || candidates.IsDefaultOrEmpty)
            return false;
        var definition = type.OriginalDefinition;
        foreach (var candidate in candidates)
        {
            if (SymbolEqualityComparer.Default.Equals(definition, candidate))
                return true;
        }
        return false;
    }
}

/// <summary>
/// The well-known types the generator recognises, resolved by symbol once per compilation (lazily, each on first
/// use), in System.Text.Json's <c>KnownTypeSymbols</c> shape. Every check of "is this System.Half / Span&lt;T&gt; /
/// KernelGen.Atomic" goes through here as a symbol comparison, never a name or display-string compare.
/// </summary>
/// <remarks>
/// The incremental pipeline never carries this object (its values stay equatable models): each transform asks
/// <see cref="For"/> for its compilation. The table is weak: an instance lives exactly as long as its compilation.
/// </remarks>
internal sealed class KnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, KnownTypes> perCompilation = new();

    private readonly Compilation compilation;
    private KnownType? spanType;
    private KnownType? readOnlySpanType;
    private KnownType? halfType;
    private KnownType? mathType;
    private KnownType? mathFType;
    private KnownType? bitConverterType;
    private KnownType? consoleType;
    private KnownType? rangeType;
    private KnownType? unsafeType;
    private KnownType? memoryMarshalType;
    private KnownType? structLayoutAttributeType;
    private KnownType? fieldOffsetAttributeType;
    private KnownType? interlockedType;
    private KnownType? threadType;
    private KnownType? monitorType;
    private KnownType? volatileType;
    private KnownType? debugType;
    private KnownType? traceType;
    private KnownType? enumerableType;
    private KnownType? vector2Type;
    private KnownType? vector3Type;
    private KnownType? vector4Type;
    private KnownType? matrix3x2Type;
    private KnownType? matrix4x4Type;
    private KnownType? bitOperationsType;
    private KnownType? iNumberType;
    private KnownType? iNumberBaseType;
    private KnownType? kernelAttributeType;
    private KnownType? groupSharedAttributeType;
    private KnownType? specializeAttributeType;
    private KnownType? atomicType;
    private KnownType? packType;
    private KnownType? subgroupType;
    private KnownType? workgroupType;
    private KnownType? gpuBufferType;
    private KnownType? threadIdType;
    private KnownType? localIdType;
    private KnownType? groupIdType;
    private KnownType? groupCountType;
    private KnownType? subgroupIdType;
    private ImmutableArray<KnownType> idTypes;
    private ImmutableArray<KnownType> genericMath;

    private KnownTypes(Compilation compilation) => this.compilation = compilation;

    /// <summary>The known types of <paramref name="compilation"/> (one instance per compilation).</summary>
    public static KnownTypes For(Compilation compilation) => perCompilation.GetValue(compilation, static c => new KnownTypes(c));

    // System
    public KnownType Span => spanType ??= Get("System.Span`1");

    public KnownType ReadOnlySpan => readOnlySpanType ??= Get("System.ReadOnlySpan`1");

    public KnownType Half => halfType ??= Get("System.Half");

    public KnownType Math => mathType ??= Get("System.Math");

    public KnownType MathF => mathFType ??= Get("System.MathF");

    public KnownType BitConverter => bitConverterType ??= Get("System.BitConverter");

    public KnownType Console => consoleType ??= Get("System.Console");

    public KnownType Range => rangeType ??= Get("System.Range");

    public KnownType Unsafe => unsafeType ??= Get("System.Runtime.CompilerServices.Unsafe");

    public KnownType MemoryMarshal => memoryMarshalType ??= Get("System.Runtime.InteropServices.MemoryMarshal");

    public KnownType StructLayoutAttribute => structLayoutAttributeType ??= Get("System.Runtime.InteropServices.StructLayoutAttribute");

    public KnownType FieldOffsetAttribute => fieldOffsetAttributeType ??= Get("System.Runtime.InteropServices.FieldOffsetAttribute");

    public KnownType Interlocked => interlockedType ??= Get("System.Threading.Interlocked");

    public KnownType Thread => threadType ??= Get("System.Threading.Thread");

    public KnownType Monitor => monitorType ??= Get("System.Threading.Monitor");

    public KnownType Volatile => volatileType ??= Get("System.Threading.Volatile");

    public KnownType Debug => debugType ??= Get("System.Diagnostics.Debug");

    public KnownType Trace => traceType ??= Get("System.Diagnostics.Trace");

    public KnownType Enumerable => enumerableType ??= Get("System.Linq.Enumerable");

    // System.Numerics
    public KnownType Vector2 => vector2Type ??= Get("System.Numerics.Vector2");

    public KnownType Vector3 => vector3Type ??= Get("System.Numerics.Vector3");

    public KnownType Vector4 => vector4Type ??= Get("System.Numerics.Vector4");

    public KnownType Matrix3x2 => matrix3x2Type ??= Get("System.Numerics.Matrix3x2");

    public KnownType Matrix4x4 => matrix4x4Type ??= Get("System.Numerics.Matrix4x4");

    public KnownType BitOperations => bitOperationsType ??= Get("System.Numerics.BitOperations");

    public KnownType INumber => iNumberType ??= Get("System.Numerics.INumber`1");

    public KnownType INumberBase => iNumberBaseType ??= Get("System.Numerics.INumberBase`1");

    // KernelGen
    public KnownType KernelAttribute => kernelAttributeType ??= Get("KernelGen.KernelAttribute", kernelGen: true);

    public KnownType GroupSharedAttribute => groupSharedAttributeType ??= Get("KernelGen.GroupSharedAttribute", kernelGen: true);

    public KnownType SpecializeAttribute => specializeAttributeType ??= Get("KernelGen.SpecializeAttribute", kernelGen: true);

    public KnownType Atomic => atomicType ??= Get("KernelGen.Atomic", kernelGen: true);

    public KnownType Pack => packType ??= Get("KernelGen.Pack", kernelGen: true);

    public KnownType Subgroup => subgroupType ??= Get("KernelGen.Subgroup", kernelGen: true);

    public KnownType Workgroup => workgroupType ??= Get("KernelGen.Workgroup", kernelGen: true);

    public KnownType GpuBuffer => gpuBufferType ??= Get("KernelGen.GpuBuffer`1", kernelGen: true);

    public KnownType ThreadId => threadIdType ??= Get("KernelGen.ThreadId", kernelGen: true);

    public KnownType LocalId => localIdType ??= Get("KernelGen.LocalId", kernelGen: true);

    public KnownType GroupId => groupIdType ??= Get("KernelGen.GroupId", kernelGen: true);

    public KnownType GroupCount => groupCountType ??= Get("KernelGen.GroupCount", kernelGen: true);

    public KnownType SubgroupId => subgroupIdType ??= Get("KernelGen.SubgroupId", kernelGen: true);

    /// <summary>Whether <paramref name="type"/> is System.Span&lt;T&gt; or System.ReadOnlySpan&lt;T&gt;.</summary>
    public bool IsSpan(ITypeSymbol? type) => Span.Matches(type) || ReadOnlySpan.Matches(type);

    public bool IsHalf(ITypeSymbol? type) => Half.Matches(type);

    /// <summary>2, 3 or 4 for System.Numerics.Vector2/3/4; 0 otherwise.</summary>
    public int VectorSize(ITypeSymbol? type)
        => type is null ? 0 : Vector2.Matches(type) ? 2 : Vector3.Matches(type) ? 3 : Vector4.Matches(type) ? 4 : 0;

    /// <summary>Whether <paramref name="type"/> is one of KernelGen's built-in id types (ThreadId, LocalId, GroupId, GroupCount, SubgroupId).</summary>
    public bool IsIdType(ITypeSymbol? type)
    {
        if (idTypes.IsDefault)
            ImmutableInterlocked.InterlockedInitialize(ref idTypes, [ThreadId, LocalId, GroupId, GroupCount, SubgroupId]);
        foreach (var id in idTypes)
        {
            if (id.Matches(type))
                return true;
        }
        return false;
    }

    /// <summary>Whether <paramref name="type"/> is System.Threading.Interlocked or KernelGen.Atomic.</summary>
    public bool IsAtomicType(ITypeSymbol? type) => Interlocked.Matches(type) || Atomic.Matches(type);

    /// <summary>Whether <paramref name="method"/> is Workgroup.Barrier() or Workgroup.StorageBarrier().</summary>
    public bool IsWorkgroupBarrier(IMethodSymbol? method)
        => method is { Name: "Barrier" or "StorageBarrier" } && Workgroup.Matches(method.ContainingType);

    public bool IsKernelAttribute(AttributeData attribute) => KernelAttribute.Matches(attribute.AttributeClass);

    public bool IsGroupSharedAttribute(AttributeData attribute) => GroupSharedAttribute.Matches(attribute.AttributeClass);

    public bool IsSpecializeAttribute(AttributeData attribute) => SpecializeAttribute.Matches(attribute.AttributeClass);

    /// <summary>
    /// Whether <paramref name="type"/> is one of the generic math interfaces with static properties
    /// (<c>T.Zero</c>, <c>T.MaxValue</c>, <c>T.Pi</c>, ...).
    /// </summary>
    public bool IsGenericMathInterface(ITypeSymbol? type)
    {
        if (genericMath.IsDefault)
        {
            ImmutableInterlocked.InterlockedInitialize(ref genericMath,
            [
                INumberBase, INumber, Get("System.Numerics.IAdditiveIdentity`2"), Get("System.Numerics.IMultiplicativeIdentity`2"),
                Get("System.Numerics.ISignedNumber`1"), Get("System.Numerics.IMinMaxValue`1"), Get("System.Numerics.IFloatingPointConstants`1"),
                Get("System.Numerics.IFloatingPointIeee754`1"), Get("System.Numerics.IBinaryNumber`1"), Get("System.Numerics.IBinaryInteger`1"),
                Get("System.Numerics.IFloatingPoint`1"),
            ]);
        }
        foreach (var contract in genericMath)
        {
            if (contract.Matches(type))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The key of <paramref name="type"/> in the intrinsic tables (which stay keyed by these names once the type
    /// has matched by symbol): "float", "int", "uint" for the special types, the metadata name for the known
    /// .NET and KernelGen classes with intrinsics, null for any other type.
    /// </summary>
    public string? IntrinsicKey(ITypeSymbol? type)
    {
        switch (type?.SpecialType)
        {
            case null: return null;
            case SpecialType.System_Single: return "float";
            case SpecialType.System_Int32: return "int";
            case SpecialType.System_UInt32: return "uint";
        }
        return MathF.Matches(type) ? "System.MathF"
            : Math.Matches(type) ? "System.Math"
            : Half.Matches(type) ? "System.Half"
            : Vector2.Matches(type) ? "System.Numerics.Vector2"
            : Vector3.Matches(type) ? "System.Numerics.Vector3"
            : Vector4.Matches(type) ? "System.Numerics.Vector4"
            : BitOperations.Matches(type) ? "System.Numerics.BitOperations"
            : BitConverter.Matches(type) ? "System.BitConverter"
            : Pack.Matches(type) ? "KernelGen.Pack"
            : Unsafe.Matches(type) ? "System.Runtime.CompilerServices.Unsafe"
            : MemoryMarshal.Matches(type) ? "System.Runtime.InteropServices.MemoryMarshal"
            : Thread.Matches(type) ? "System.Threading.Thread"
            : Monitor.Matches(type) ? "System.Threading.Monitor"
            : Volatile.Matches(type) ? "System.Threading.Volatile"
            : Console.Matches(type) ? "System.Console"
            : Debug.Matches(type) ? "System.Diagnostics.Debug"
            : Trace.Matches(type) ? "System.Diagnostics.Trace"
            : null;
    }

    // Each property resolves on first use; two threads racing there resolve the same value, and either may win.
    private KnownType Get(string metadataName, bool kernelGen = false) => new(Resolve(metadataName, kernelGen));

    /// <summary>
    /// The types of that name the references define, the core library's first. KernelGen's own types may also come
    /// from the compilation itself (a project that defines them); .NET's never do: a source type that takes a .NET
    /// name is a user type.
    /// </summary>
    private ImmutableArray<INamedTypeSymbol> Resolve(string metadataName, bool kernelGen)
    {
        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var own = compilation.Assembly;
        var core = compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly;
        foreach (var type in compilation.GetTypesByMetadataName(metadataName))
        {
            if (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, own) && !kernelGen)
                continue;
            if (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, core))
                builder.Insert(0, type);
            else
                builder.Add(type);
        }
        return builder.ToImmutable();
    }
}
