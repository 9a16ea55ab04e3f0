using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Atomics on fields of struct elements (<c>Interlocked.Add(ref cells[i].Count, 1)</c>, <c>ref grid[i].Bin.Count</c>,
/// on buffers and [GroupShared] arrays). WGSL cannot copy a struct that holds an <c>atomic&lt;T&gt;</c>, so such an
/// array is not a struct array in WGSL at all: it is held as its elements' 32-bit words in C#'s layout,
/// <c>array&lt;atomic&lt;u32&gt;&gt;</c>, through the host-layout code (HostElements): every other access (field reads
/// and writes, whole-element copies <c>var c = cells[i]</c>, <c>cells[i] = c</c>) is an atomicLoad or atomicStore of
/// each word, and the struct itself stays an ordinary WGSL struct for locals, parameters and uniforms. The atomic
/// operates on the field's word: i32 and f32 fields as their bits (add, sub, and, or, exchange and compare-exchange
/// act on bits alike), a signed min/max and a float add through a compare-exchange loop. Only whole 32-bit fields
/// at a multiple of 4 bytes (KG0071 otherwise). Each kernel is its own module, so a buffer updated atomically in one
/// kernel and read plainly in another holds the same bytes in both.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>
    /// Makes buffer or shared array <paramref name="p"/>, whose struct fields atomics use, atomic 32-bit words in C#'s
    /// layout; leaves it as it is where its element type cannot be (the atomic then reports KG0072).
    /// </summary>
    internal static void HoldAsAtomicWords(KernelParameterBinding p)
    {
        if (p.Type is not { IsStruct: true } element || WordsProblem(p) is not null)
            return;
        p.HostLayout = p.HostLayout is { } layout ? layout with { Atomic = true } : new HostLayout(element.CSharpSize, Atomic: true);
    }

    /// <summary>Why the elements of <paramref name="p"/> cannot be held as atomic words, or null.</summary>
    private static string? WordsProblem(KernelParameterBinding p)
    {
        var element = p.Type!;
        if (p.Kind is not (ParameterKind.Buffer or ParameterKind.Shared))
            return "it is not a writable buffer or a [GroupShared] array";
        if (HostLayoutRules.Problem(element) is { } problem)
            return problem;
        if (HostLayoutRules.Leaves(element, 0).FirstOrDefault(l => !(l.Type.IsScalar || l.Type.IsVector)) is { Type: not null } odd)
            return $"its field '{odd.Path}' ({odd.Type.Name}) has no word-by-word form";
        if (p.Kind == ParameterKind.Shared && element.CSharpSize % 4 != 0)
            return $"its elements are {element.CSharpSize} bytes, not whole 32-bit words: pad the struct to a multiple of 4 bytes";
        return null;
    }

    /// <summary>Whether the place <paramref name="op"/> of a host-layout element starts at a multiple of 4 bytes.</summary>
    private bool HostWordAligned(IOperation op)
    {
        switch (op)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation when AliasOf(op) is { HostType: not null } alias:
                return alias.Aligned;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation parameter }
                when kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.HostLayout is { } layout:
                return layout.Stride % 4 == 0;
            case IFieldReferenceOperation { Instance: { } instance } field:
            {
                if (instance.Type is { } t && module.Known.VectorSize(t) > 0)
                    return HostWordAligned(instance);
                var outer = module.Types.Map(instance.Type!, out _);
                var member = outer?.Fields.FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, field.Field));
                return member is not null && member.CSharpOffset % 4 == 0 && HostWordAligned(instance);
            }
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } vector }:
                return HostWordAligned(vector);
            default:
                return false;
        }
    }

    /// <summary>
    /// An atomic call on a field of a struct element (<paramref name="location"/>): the atomic built-in on the field's
    /// word; null when it failed (reported).
    /// </summary>
    private IrExpr? FieldAtomic(IInvocationOperation op, AtomicKind kind, IOperation location, KernelParameterBinding binding, bool statement)
    {
        var fieldType = MapType(location.Type, location.Syntax);
        if (fieldType is null)
            return null;
        if (binding.HostLayout is not { Atomic: true })
        {
            module.Report(DiagnosticDescriptors.FieldAtomicArray, location.Syntax, Snippet(location.Syntax), binding.Symbol.Name,
                WordsProblem(binding) ?? "its elements are not held as atomic words");
            return null;
        }
        if (!HostWordAligned(location))
        {
            module.Report(DiagnosticDescriptors.FieldAtomicWord, location.Syntax, Snippet(location.Syntax),
                $"its {location.Type!.ToDisplayString()} does not start at a multiple of 4 bytes in the element (Pack or [FieldOffset]), and WGSL's atomics work on aligned 32-bit words: lay the struct out so the field is 4-byte aligned");
            return null;
        }
        // The location's address first (its index), then the values in C#'s order.
        var place = HostPlace(location);
        var values = Values(op.Arguments.Where(a => a.Parameter is { Ordinal: > 0 }).OrderBy(a => a.Parameter!.Ordinal).Select(a => a.Value));
        if (place is null || values is null)
            return null;
        var word = new IrBinary(IrBinaryOp.ShiftRight, place.Value.Address, IrLiteral.U32(2), WgslType.U32);
        var buffer = binding.Variable!;
        IrUnary Pointer(IrExpr w) => new(IrUnaryOp.AddressOf, new IrIndex(new IrRef(buffer), w, WgslType.U32), WgslType.U32);
        IrExpr Bits(IrExpr v) => fieldType.Scalar == WgslScalar.U32 ? v : new IrBitcast(WgslType.U32, v);
        IrExpr FromBits(IrExpr v) => fieldType.Scalar == WgslScalar.U32 ? v : new IrBitcast(fieldType, v);
        string t = fieldType.Name;
        string FromBitsText(string v) => fieldType.Scalar == WgslScalar.U32 ? v : $"bitcast<{t}>({v})";
        string BitsText(string v) => fieldType.Scalar == WgslScalar.U32 ? v : $"bitcast<u32>({v})";
        IrCall Polyfill(string name, string text, params IrExpr[] arguments)
        {
            var polyfill = WithEffects(module.RequirePolyfill(buffer.Name + "_" + name, n => AvoidBufferName(text.Replace("@fn", n), buffer.Name)), buffer, write: true);
            return new IrCall(polyfill, [word, .. arguments], fieldType);
        }
        switch (kind)
        {
            case AtomicKind.Increment or AtomicKind.Decrement:
            {
                var call = new IrBuiltinCall(kind == AtomicKind.Increment ? "atomicAdd" : "atomicSub", [Pointer(word), IrLiteral.U32(1)], WgslType.U32, pure: false);
                // C# returns the new value; WGSL the old one.
                return statement ? call : new IrBinary(kind == AtomicKind.Increment ? IrBinaryOp.Add : IrBinaryOp.Subtract, FromBits(call), One(fieldType), fieldType);
            }
            case AtomicKind.Add when fieldType.Scalar != WgslScalar.F32:
                if (statement)
                    return new IrBuiltinCall("atomicAdd", [Pointer(word), Bits(values[0])], WgslType.U32, pure: false);
                return Polyfill("atomicAdd_" + t,
                    $"// Interlocked.Add on a {t} field of @{buffer.Name}'s elements (word w): C# returns the new value, WGSL's atomicAdd the old one.\n" +
                    $"fn @fn(w: u32, value: {t}) -> {t} {{\n" +
                    $"    return {FromBitsText($"atomicAdd(&@{buffer.Name}[w], {BitsText("value")})")} + value;\n" +
                    "}\n", values[0]);
            case AtomicKind.Add:
                return Polyfill("atomicAdd_f32",
                    $"// Atomic.Add on a float field of @{buffer.Name}'s elements (its bits in word w): a compare-exchange loop; returns the new value.\n" +
                    "fn @fn(w: u32, value: f32) -> f32 {\n" +
                    $"    var old: u32 = atomicLoad(&@{buffer.Name}[w]);\n" +
                    "    var sum: f32;\n" +
                    "    loop {\n" +
                    "        sum = bitcast<f32>(old) + value;\n" +
                    $"        let result = atomicCompareExchangeWeak(&@{buffer.Name}[w], old, bitcast<u32>(sum));\n" +
                    "        if (result.exchanged) {\n" +
                    "            break;\n" +
                    "        }\n" +
                    "        old = result.old_value;\n" +
                    "    }\n" +
                    "    return sum;\n" +
                    "}\n", values[0]);
            case AtomicKind.CompareExchange:
                return Polyfill("compareExchange_" + t,
                    $"// Interlocked.CompareExchange on a {t} field of @{buffer.Name}'s elements (word w{(fieldType.Scalar == WgslScalar.F32 ? ", compared bitwise as .NET does" : "")}): strong as in C#,\n" +
                    "// so WGSL's weak compare-exchange is retried while it fails with the value still equal to the comparand. Returns the old value.\n" +
                    $"fn @fn(w: u32, value: {t}, comparand: {t}) -> {t} {{\n" +
                    $"    var result = atomicCompareExchangeWeak(&@{buffer.Name}[w], {BitsText("comparand")}, {BitsText("value")});\n" +
                    $"    while (!result.exchanged && result.old_value == {BitsText("comparand")}) {{\n" +
                    $"        result = atomicCompareExchangeWeak(&@{buffer.Name}[w], {BitsText("comparand")}, {BitsText("value")});\n" +
                    "    }\n" +
                    $"    return {FromBitsText("result.old_value")};\n" +
                    "}\n", values[0], values[1]);
            case AtomicKind.Min or AtomicKind.Max when fieldType.Scalar == WgslScalar.I32:
            {
                // The words are atomic<u32>, whose atomicMin/Max compare unsigned: a signed one is a compare-exchange loop.
                string name = kind == AtomicKind.Min ? "Min" : "Max";
                string done = kind == AtomicKind.Min ? "<=" : ">=";
                return Polyfill("atomic" + name + "_i32",
                    $"// Atomic.{name} on an int field of @{buffer.Name}'s elements (word w): a signed compare through a compare-exchange loop\n" +
                    "// (the words are atomic<u32>, whose atomicMin/Max are unsigned). Returns the original value.\n" +
                    "fn @fn(w: u32, value: i32) -> i32 {\n" +
                    $"    var old: u32 = atomicLoad(&@{buffer.Name}[w]);\n" +
                    "    loop {\n" +
                    $"        if (bitcast<i32>(old) {done} value) {{\n" +
                    "            break;\n" +
                    "        }\n" +
                    $"        let result = atomicCompareExchangeWeak(&@{buffer.Name}[w], old, bitcast<u32>(value));\n" +
                    "        if (result.exchanged) {\n" +
                    "            break;\n" +
                    "        }\n" +
                    "        old = result.old_value;\n" +
                    "    }\n" +
                    "    return bitcast<i32>(old);\n" +
                    "}\n", values[0]);
            }
            default:
            {
                string builtin = kind switch
                {
                    AtomicKind.Exchange => "atomicExchange",
                    AtomicKind.And => "atomicAnd",
                    AtomicKind.Or => "atomicOr",
                    AtomicKind.Min => "atomicMin",
                    _ => "atomicMax",
                };
                // These return the original value in C# too.
                return FromBits(new IrBuiltinCall(builtin, [Pointer(word), Bits(values[0])], WgslType.U32, pure: false));
            }
        }
    }
}
