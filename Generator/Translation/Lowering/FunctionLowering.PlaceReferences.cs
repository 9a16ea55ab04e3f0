using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// A place that a ref local or a helper's ref parameter refers to and that WGSL cannot point to: an element
/// (<paramref name="Index"/> its i32 index, <paramref name="HostType"/> null) of an <c>array&lt;atomic&lt;T&gt;&gt;</c>
/// that atomics use, or a place (<paramref name="Index"/> its u32 byte address, <paramref name="HostType"/> its WGSL
/// type: a field, a component or a whole struct) of a buffer or shared array held in C#'s byte layout (HostElements),
/// such as an array of structs whose fields atomics use (FieldAtomics).
/// </summary>
internal sealed record PlaceAlias(KernelParameterBinding Binding, IrExpr Index, WgslType? HostType, bool Aligned);

/// <summary>
/// A ref/out parameter of a helper version that a call passes such a place: the helper takes the place's index (an
/// atomic element) or byte address (a place in C#'s byte layout) instead of a pointer.
/// </summary>
internal sealed record PlaceReference(int Ordinal, KernelParameterBinding Binding, WgslType? HostType, bool Aligned)
{
    public string Signature => $"{Ordinal}={Binding.WgslName}{(HostType is { } t ? "@" + t.Name + (Aligned ? "" : "~") : "")}";
}

/// <summary>
/// Atomics (and every other access) through references: <c>ref int bin = ref bins[b]; Interlocked.Increment(ref bin);</c>,
/// <c>ref Cell c = ref cells[i]; Interlocked.Add(ref c.Count, 1);</c>, <c>ref Rgba32 p = ref pixels[i]; p.R = 255;</c>,
/// and helpers' ref parameters given such places (<c>static int Bump(ref int counter) =&gt; Interlocked.Increment(ref
/// counter);</c> called with <c>ref bins[b]</c>). WGSL cannot keep a pointer to an element of an atomic array or to a
/// field inside a word of a byte-layout buffer, cannot pass a <c>ptr&lt;storage, atomic&lt;i32&gt;&gt;</c> to a function
/// without a language extension, and one helper may be given storage, workgroup and function places: so a ref local is
/// the array and the index (or byte address), evaluated once where it is declared, and a helper is one WGSL function
/// per array for each such parameter, taking the index as an <c>i32</c> (the byte address as a <c>u32</c>) and naming
/// the module-scope array directly. Each use then is the form an access to that place takes anyway (atomicLoad,
/// atomicStore, atomicAdd, the byte layout's load and store functions), as for <c>bins[b]</c> itself.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>For a helper version: its ref parameters that take a place by index or byte address (see <see cref="PlaceAlias"/>).</summary>
    public IReadOnlyList<PlaceReference>? PlaceReferences { get; init; }

    /// <summary>Ref locals and ref parameters that refer to places WGSL cannot point to (see <see cref="PlaceAlias"/>).</summary>
    private readonly Dictionary<ISymbol, PlaceAlias> placeAliases = new(SymbolEqualityComparer.Default);

    /// <summary>The place alias a ref local or ref parameter reference is, or null.</summary>
    private PlaceAlias? AliasOf(IOperation? op) => (op is null ? null : Unwrap(op)) switch
    {
        ILocalReferenceOperation local when placeAliases.TryGetValue(local.Local, out var alias) => alias,
        IParameterReferenceOperation parameter when placeAliases.TryGetValue(parameter.Parameter, out var alias) => alias,
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="op"/> is a place that a reference stands for by index or byte address (an element of an
    /// atomic array, a place of a buffer or shared array in C#'s byte layout, or an alias of one), without lowering
    /// anything; with its array, WGSL type (null for an atomic element) and whether it is word-aligned.
    /// </summary>
    private bool IsAliasedPlace(IOperation? op, out KernelParameterBinding binding, out WgslType? hostType, out bool aligned)
    {
        op = op is null ? null : Unwrap(op);
        hostType = null;
        aligned = true;
        if (AliasOf(op) is { } alias)
        {
            binding = alias.Binding;
            hostType = alias.HostType;
            aligned = alias.Aligned;
            return true;
        }
        if (IsAtomicElement(op, out var site))
        {
            binding = site.Binding;
            return true;
        }
        if (HostRoot(op) is { HostLayout: not null, Kind: ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared } holder && op!.Type is { } type
            && module.Types.Map(type, out _) is { } mapped)
        {
            binding = holder;
            hostType = mapped;
            aligned = HostWordAligned(op);
            return true;
        }
        binding = null!;
        return false;
    }

    /// <summary>
    /// The alias for such a place (see <see cref="IsAliasedPlace"/>): its index or byte address
    /// evaluated now, bound to a <c>let</c> unless nothing can change it; null when lowering failed (reported).
    /// </summary>
    private PlaceAlias? PlaceAliasFor(IOperation op, bool bind)
    {
        op = Unwrap(op);
        if (AliasOf(op) is { } alias)
            return alias;
        if (IsAtomicElement(op, out var site))
        {
            var index = SiteIndex(site);
            if (index is null)
                return null;
            if (index.Type is not { Scalar: WgslScalar.I32 })
                index = new IrConvert(WgslType.I32, index);
            return new PlaceAlias(site.Binding, bind ? Bind(index, "index") : index, null, true);
        }
        if (IsAliasedPlace(op, out var holder, out var hostType, out bool aligned) && HostPlace(op) is { } place)
            return new PlaceAlias(holder, bind ? Bind(place.Address, "address") : place.Address, hostType ?? place.Type, aligned);
        return null;
    }

    /// <summary>The value at an alias: an atomicLoad of the element, or the host-layout load of the place.</summary>
    private IrExpr AliasValue(PlaceAlias alias)
        => alias.HostType is { } type ? new IrCall(HostLoader(alias.Binding, type), [alias.Index], type) : AtomicLoad(alias.Binding, alias.Index);

    /// <summary>
    /// The helper's ref/out parameters that the call <paramref name="op"/> passes such places, for its
    /// version (<see cref="WgslKernelTranslator.RequireHelper"/>).
    /// </summary>
    private List<PlaceReference> PlaceReferencesOf(IInvocationOperation op)
    {
        var result = new List<PlaceReference>();
        foreach (var argument in op.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Ref or RefKind.Out } parameter
                && IsAliasedPlace(argument.Value, out var binding, out var hostType, out bool aligned))
                result.Add(new PlaceReference(parameter.Ordinal, binding, hostType, aligned));
        }
        return result;
    }

    /// <summary>
    /// Declares ref parameter <paramref name="p"/> of a helper version that receives such a place: an <c>i32</c> index
    /// or <c>u32</c> byte address, every use of it the access that place takes (atomic, or in C#'s byte layout).
    /// </summary>
    private bool PlaceReferenceParameter(IParameterSymbol p)
    {
        if (PlaceReferences?.FirstOrDefault(r => r.Ordinal == p.Ordinal) is not { } reference)
            return false;
        string name = WgslNames.Escape(p.Name);
        while (kernelParameters.Values.Any(b => b.WgslName == name) || module.IsModuleName(name) || UsedByOtherName(name, p.Name) || calledNames.Contains(name) || name == ThisName)
            name += "_";
        var variable = new IrVariable(name, reference.HostType is null ? WgslType.I32 : WgslType.U32, IrVariableKind.Parameter);
        function.Parameters.Add(variable);
        placeAliases[p] = new PlaceAlias(reference.Binding, new IrRef(variable), reference.HostType, reference.Aligned);
        return true;
    }

    /// <summary>
    /// An atomic on a ref parameter (or a ref local naming one) that was given a place atomics cannot use (a local, a
    /// field of a local): KG0074.
    /// </summary>
    private bool ReportAtomicOnReference(IOperation op, IOperation? location)
    {
        var root = location is null ? null : Unwrap(location);
        while (root is IFieldReferenceOperation { Instance: { } instance })
            root = Unwrap(instance);
        if (root is IParameterReferenceOperation parameter && referenceParameters.Contains(parameter.Parameter))
        {
            module.Report(DiagnosticDescriptors.AtomicThroughReference, location!.Syntax, Snippet(location.Syntax),
                $"'{parameter.Parameter.Name}' is a ref parameter of '{method.Name}', and this call of it passes a place that is no element of a Span buffer or [GroupShared] array (a local, a field of a local, a uniform): WGSL's atomics work on buffer and workgroup memory only; pass an element (ref counts[i]), a field of one (ref cells[i].Count), or a ref local or ref parameter that refers to one");
            return true;
        }
        return false;
    }
}
