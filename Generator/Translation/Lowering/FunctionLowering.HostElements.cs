using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Small integers and buffers in C#'s byte layout.
/// <para>
/// byte, sbyte, ushort and short are u32 and i32 in WGSL whose values stay in the narrow range: C# promotes them to
/// int in arithmetic, and every conversion to them (casts, and the implicit ones of <c>+=</c> and <c>++</c>)
/// truncates as C# does (<c>x &amp; 0xffu</c>, a sign extension for sbyte and short; a float saturates, NaN is 0).
/// </para>
/// <para>
/// A buffer whose element type holds them, or whose C# layout differs from WGSL's (a Vector3 after a float, Pack,
/// Half), is bound as its 32-bit words (<c>array&lt;u32&gt;</c>); per buffer, <c>b_ld_T(a)</c> and <c>b_st_T(a, v)</c>
/// read and write a value of type T at byte address a, field by field at the C# offsets, through <c>b_rd</c>
/// and <c>b_wr</c>, which take the bytes out of and into the words (a value may straddle two words). Element i is
/// at <c>i * Unsafe.SizeOf&lt;T&gt;()</c>. Where a store can cover part of a word (fields under 4 bytes, elements
/// not a multiple of 4 bytes), the words are <c>atomic&lt;u32&gt;</c> and a store clears and sets just its bits
/// with atomicAnd and atomicOr: invocations writing neighbouring bytes (other fields, other elements) never lose
/// each other's bytes, as in C#. A field (<c>b[i].R = x</c>, <c>b[i].Pos.Y += 1</c>) is stored alone.
/// </para>
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>Loads standing for host-layout places being assigned (see <see cref="HostUpdate"/>).</summary>
    private readonly Dictionary<IrCall, (KernelParameterBinding Binding, IrExpr Address, WgslType Type)> hostTargets = []; // IrCall has reference equality

    private bool hostTargetAllowed;

    /// <summary><paramref name="value"/> of type <paramref name="from"/> converted to the narrow integer <paramref name="to"/> as C# converts.</summary>
    private IrExpr ToNarrow(IrExpr value, WgslType from, WgslType to)
    {
        bool signed = to.Scalar == WgslScalar.I32;
        int bits = to.NarrowBits;
        if (from.IsFloat)
        {
            // .NET (since 9) converts a float to a small integer through a saturating int conversion (NaN is 0),
            // then truncates: (byte)300f is 44, (sbyte)float.PositiveInfinity is -1.
            var single = from.Scalar == WgslScalar.F16 ? new IrConvert(WgslType.F32, value) : value;
            var polyfill = module.RequirePolyfill("i32_from_f32_for_small", n =>
                "// C#'s (byte), (sbyte), (ushort) and (short) of a float: the saturating (int)float (toward zero, NaN 0), then truncated.\n" +
                $"fn {n}(v: f32) -> i32 {{\n" +
                "    if ((bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u) {\n" +
                "        return 0i;\n" +
                "    }\n" +
                "    return select(i32(v), 2147483647i, v >= 2147483648.0f);\n" +
                "}\n");
            value = new IrCall(polyfill, [single], WgslType.I32);
            from = WgslType.I32;
        }
        var word = from.Scalar == WgslScalar.U32 && from.IsScalar ? value : new IrConvert(WgslType.U32, value);
        if (!signed)
            return new IrBinary(IrBinaryOp.BitAnd, word, IrLiteral.U32(bits == 8 ? 0xffu : 0xffffu), to);
        // The sign extension of the low bits: extractBits, never a shift that WGSL would refuse to evaluate at shader
        // creation (u32(-27i) << 16u overflows as a const-expression; finding F6).
        var signedWord = from.Scalar == WgslScalar.I32 && from.IsScalar ? value : new IrConvert(WgslType.I32, word);
        return new IrBuiltinCall("extractBits", [signedWord, IrLiteral.U32(0u), IrLiteral.U32((uint)bits)], to, pure: true);
    }

    /// <summary>The host-layout buffer that <paramref name="op"/> is an element of, or a field or component of one; null otherwise.</summary>
    private KernelParameterBinding? HostRoot(IOperation? op)
    {
        while (true)
        {
            switch (op)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation parameter }
                    when kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.HostLayout is not null:
                    return binding;
                case ILocalReferenceOperation or IParameterReferenceOperation when AliasOf(op) is { HostType: not null } alias:
                    return alias.Binding; // a ref local or ref parameter naming a place of an atomic-words array
                case IFieldReferenceOperation { Field.IsStatic: false, Instance: { } instance }:
                    op = instance;
                    continue;
                case IPropertyReferenceOperation { Instance: { } instance } when AutoPropertyField(op) is not null:
                    op = instance;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } vector } when module.Known.VectorSize(vector.Type!) > 0:
                    op = vector;
                    continue;
                default:
                    return null;
            }
        }
    }

    /// <summary>The byte address and type of a host-layout place (<c>b[i]</c>, <c>b[i].F.G</c>, <c>b[i].V[c]</c>); null when lowering failed.</summary>
    private (IrExpr Address, WgslType Type)? HostPlace(IOperation op)
    {
        switch (op)
        {
            case ILocalReferenceOperation or IParameterReferenceOperation when AliasOf(op) is { HostType: { } aliasType } alias:
                return (alias.Index, aliasType);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation parameter } element
                when kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.HostLayout is { } layout:
            {
                var index = Index(element.Arguments[0].Value);
                if (index is null)
                    return null;
                IrExpr word = index.Type is { Scalar: WgslScalar.U32 } ? index : new IrConvert(WgslType.U32, index);
                var address = layout.Stride == 1 ? word : new IrBinary(IrBinaryOp.Multiply, word, IrLiteral.U32((uint)layout.Stride), WgslType.U32);
                return (address, binding.Type!);
            }
            case IPropertyReferenceOperation { Instance: { } instance } when AutoPropertyField(op) is { } backing:
            {
                if (HostPlace(instance) is not { } outer)
                    return null;
                var member = outer.Type.Fields.FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, backing));
                if (member is null)
                {
                    module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), "this property has no WGSL translation");
                    return null;
                }
                return (Offset(outer.Address, member.CSharpOffset), member.Type);
            }
            case IFieldReferenceOperation { Instance: { } instance } field:
            {
                if (HostPlace(instance) is not { } outer)
                    return null;
                if (outer.Type.IsMatrix && field.Field.Name is { Length: 3 } name && name[0] == 'M')
                {
                    char r = name[1], c = name[2];
                    // M<row><column>: C#'s rows are WGSL's columns, stored one after another.
                    return (Offset(outer.Address, 4 * ((r - '1') * outer.Type.MatrixRows + (c - '1'))), WgslType.F32);
                }
                if (outer.Type.IsVector)
                {
                    int component = field.Field.Name switch { "X" => 0, "Y" => 1, "Z" => 2, _ => 3 };
                    return (Offset(outer.Address, 4 * component), WgslType.F32);
                }
                var member = outer.Type.Fields.FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, field.Field));
                if (member is null)
                {
                    module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), "this field has no WGSL translation");
                    return null;
                }
                return (Offset(outer.Address, member.CSharpOffset), member.Type);
            }
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } vector } component:
            {
                var outer = HostPlace(vector);
                var index = Index(component.Arguments[0].Value);
                if (outer is null || index is null)
                    return null;
                IrExpr word = index.Type is { Scalar: WgslScalar.U32 } ? index : new IrConvert(WgslType.U32, index);
                return (new IrBinary(IrBinaryOp.Add, outer.Value.Address, new IrBinary(IrBinaryOp.Multiply, word, IrLiteral.U32(4), WgslType.U32), WgslType.U32), WgslType.F32);
            }
            default:
                return null;
        }
    }

    private static IrExpr Offset(IrExpr address, int offset)
        => offset == 0 ? address : new IrBinary(IrBinaryOp.Add, address, IrLiteral.U32((uint)offset), WgslType.U32);

    /// <summary><c>b[i]</c> of a host-layout buffer as a value: <c>b_ld_T(i * size)</c>.</summary>
    private IrCall? HostLoad(IPropertyReferenceOperation op, KernelParameterBinding binding)
        => HostPlace(op) is { } place ? new IrCall(HostLoader(binding, place.Type), [place.Address], place.Type) : null;

    /// <summary><c>b.Length</c> of a host-layout buffer: its words times 4 over the element size, which needs a whole number of words per element.</summary>
    private IrExpr? HostLength(IPropertyReferenceOperation op, KernelParameterBinding binding, bool isEmpty)
    {
        int stride = binding.HostLayout!.Stride;
        if (stride % 4 != 0)
        {
            module.Report(DiagnosticDescriptors.HostLayoutElementUse, op.Syntax, Snippet(op.Syntax),
                $"is not known on the GPU: the elements of '{binding.Symbol.Name}' are {stride} bytes, and GPU buffers are whole 32-bit words, so the last word may hold padding; pass the length as an int parameter");
            return null;
        }
        IrExpr count = new IrBinary(IrBinaryOp.Divide, ArrayLength(binding), IrLiteral.U32((uint)(stride / 4)), WgslType.U32);
        return isEmpty ? new IrBinary(IrBinaryOp.Equal, count, IrLiteral.U32(0), WgslType.Bool) : new IrConvert(WgslType.I32, count);
    }

    /// <summary>
    /// A host-layout place as an assignment target: the load that stands for it, turned into a store by
    /// <see cref="HostUpdate"/>; anything else (ref, out, Interlocked, deconstruction) is refused.
    /// </summary>
    private IrCall? HostTarget(IOperation op, KernelParameterBinding binding)
    {
        if (!hostTargetAllowed)
        {
            module.Report(DiagnosticDescriptors.HostLayoutElementUse, op.Syntax, Snippet(op.Syntax),
                $"refers to an element of '{binding.Symbol.Name}', a buffer held in C#'s byte layout (its elements are read and written field by field): such elements and their fields can be read, assigned (=, op=, ++, --) and referred to by ref locals and helpers' ref/out parameters, not otherwise (deconstruction, a method of the struct that changes it, a ref/out argument of a built-in); copy the element to a local, work on the local, and assign it back");
            return null;
        }
        if (binding.Kind == ParameterKind.ReadOnlyBuffer)
        {
            module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, op.Syntax, binding.Symbol.Name);
            return null;
        }
        if (HostPlace(op) is not { } place)
            return null;
        var load = new IrCall(HostLoader(binding, place.Type), [place.Address], place.Type);
        hostTargets[load] = (binding, place.Address, place.Type);
        return load;
    }

    /// <summary>
    /// An assignment, compound assignment, ++ or -- of a host-layout place: lowered as any other (the target is a
    /// load of the place), then stored with <c>b_st_T(a, v)</c>, the address one node that the load and store share.
    /// </summary>
    private bool HostUpdate(IOperation op, out IrStmt? result)
    {
        result = null;
        if (hostTargetAllowed)
            return false;
        var target = op switch
        {
            ISimpleAssignmentOperation { IsRef: false } assignment => assignment.Target,
            ICompoundAssignmentOperation compound => compound.Target,
            IIncrementOrDecrementOperation increment => increment.Target,
            _ => null,
        };
        if (HostRoot(target) is null)
            return false;
        hostTargetAllowed = true;
        IrStmt? lowered;
        try
        {
            lowered = UpdateStatement(op);
        }
        finally
        {
            hostTargetAllowed = false;
        }
        switch (lowered)
        {
            case IrAssign { Target: IrCall load } assign when hostTargets.TryGetValue(load, out var place):
            {
                var value = assign.Compound is { } compound ? new IrBinary(compound, load, assign.Value, place.Type) : assign.Value;
                result = new IrCallStatement(new IrCall(HostStorer(place.Binding, place.Type), [place.Address, value], null));
                return true;
            }
            case IrIncrement { Target: IrCall load } increment when hostTargets.TryGetValue(load, out var place):
            {
                var value = new IrBinary(increment.Increment ? IrBinaryOp.Add : IrBinaryOp.Subtract, load, One(place.Type), place.Type);
                result = new IrCallStatement(new IrCall(HostStorer(place.Binding, place.Type), [place.Address, value], null));
                return true;
            }
            case null:
                return true;
            default:
                // Never reached: every target of a host-layout place is its load.
                Unsupported(op, "this assignment to an element of a buffer in C#'s byte layout has no translation: assign the element or one field");
                return true;
        }
    }

    // ---- the WGSL functions of one host-layout buffer ----

    private static string HostSuffix(WgslType type) => type switch
    {
        { IsStruct: true } => type.Name,
        { NarrowBits: > 0 } => (type.Scalar == WgslScalar.I32 ? "i" : "u") + type.NarrowBits.ToString(CultureInfo.InvariantCulture),
        { IsVector: true } => "v" + type.VectorSize.ToString(CultureInfo.InvariantCulture),
        { IsMatrix: true } => "m" + type.MatrixColumns.ToString(CultureInfo.InvariantCulture) + type.MatrixRows.ToString(CultureInfo.InvariantCulture),
        _ => type.Name,
    };

    /// <summary>
    /// <paramref name="text"/> with its one-letter parameters and locals (a, n, v, w, s, m, x, r) renamed where the
    /// buffer has that name (they would hide it).
    /// </summary>
    private static string AvoidBufferName(string text, string buffer)
    {
        // The buffer itself is written as @name in the templates.
        if (buffer.Length != 1 || "anvwsmxr".IndexOf(buffer[0]) < 0)
            return text.Replace("@" + buffer, buffer);
        return System.Text.RegularExpressions.Regex.Replace(text, $@"(?<![\w@.]){buffer}(?!\w)", buffer + "_1").Replace("@" + buffer, buffer);
    }

    private IrPolyfill WithEffects(IrPolyfill polyfill, IrVariable buffer, bool write)
    {
        if (ReferenceEquals(polyfill.Effects, IrEffects.Pure))
        {
            var effects = new IrEffects();
            effects.Reads.Add(buffer);
            if (write)
                effects.Writes.Add(buffer);
            polyfill.Effects = effects;
        }
        return polyfill;
    }

    /// <summary><c>b_rd(a, n)</c>: the n (1, 2 or 4) bytes at byte address a, little-endian, zero-extended.</summary>
    private IrPolyfill HostReadBytes(KernelParameterBinding binding)
    {
        var b = binding.Variable!;
        bool atomic = binding.HostLayout!.Atomic;
        string Word(string w) => atomic ? $"atomicLoad(&@{b.Name}[{w}])" : $"@{b.Name}[{w}]";
        return WithEffects(module.RequirePolyfill(b.Name + "_rd", n => AvoidBufferName(
            $"// @{b.Name} holds C#'s bytes in 32-bit words: the n (1, 2 or 4) bytes at byte a, little-endian (a value may straddle two words).\n" +
            $"fn {n}(a: u32, n: u32) -> u32 {{\n" +
            "    let w: u32 = a >> 2u;\n" +
            "    let s: u32 = (a & 3u) * 8u;\n" +
            $"    var v: u32 = {Word("w")} >> s;\n" +
            "    if (s + n * 8u > 32u) {\n" +
            $"        v = v | ({Word("w + 1u")} << (32u - s));\n" +
            "    }\n" +
            "    if (n < 4u) {\n" +
            "        v = v & ((1u << (n * 8u)) - 1u);\n" +
            "    }\n" +
            "    return v;\n" +
            "}\n", b.Name)), b, write: false);
    }

    /// <summary><c>b_wr(a, n, v)</c>: the low n bytes of v into the bytes at byte address a, leaving the other bytes of the words alone.</summary>
    private IrPolyfill HostWriteBytes(KernelParameterBinding binding)
    {
        var b = binding.Variable!;
        if (!binding.HostLayout!.Atomic)
        {
            // Every store of this element type is a whole word at a multiple of 4 bytes.
            return WithEffects(module.RequirePolyfill(b.Name + "_wr", n => AvoidBufferName(
                $"// @{b.Name}: each field is a whole 32-bit word at a multiple of 4 bytes (n is 4).\n" +
                $"fn {n}(a: u32, n: u32, v: u32) {{\n" +
                $"    @{b.Name}[a >> 2u] = v;\n" +
                "}\n", b.Name)), b, write: true);
        }
        return WithEffects(module.RequirePolyfill(b.Name + "_wr", n => AvoidBufferName(
            $"// @{b.Name}: the low n (1, 2 or 4) bytes of v into the bytes at byte a. The words are atomic, and each store clears and sets only\n" +
            "// its own bits: invocations writing the other bytes of a word (other fields, neighbouring elements) keep theirs, as in C#.\n" +
            $"fn {n}(a: u32, n: u32, v: u32) {{\n" +
            "    let w: u32 = a >> 2u;\n" +
            "    let s: u32 = (a & 3u) * 8u;\n" +
            "    let m: u32 = select(0xffffffffu, (1u << (n * 8u)) - 1u, n < 4u);\n" +
            "    let x: u32 = v & m;\n" +
            "    if (s == 0u && n == 4u) {\n" +
            $"        atomicStore(&@{b.Name}[w], x);\n" +
            "        return;\n" +
            "    }\n" +
            $"    atomicAnd(&@{b.Name}[w], ~(m << s));\n" +
            $"    atomicOr(&@{b.Name}[w], x << s);\n" +
            "    if (s + n * 8u > 32u) {\n" +
            "        let r: u32 = 32u - s;\n" +
            $"        atomicAnd(&@{b.Name}[w + 1u], ~(m >> r));\n" +
            $"        atomicOr(&@{b.Name}[w + 1u], x >> r);\n" +
            "    }\n" +
            "}\n", b.Name)), b, write: true);
    }

    private static string Decode(WgslType type, string bits) => type switch
    {
        { NarrowBits: > 0, Scalar: WgslScalar.I32 } => $"bitcast<i32>({bits} << {32 - type.NarrowBits}u) >> {32 - type.NarrowBits}u",
        { NarrowBits: > 0 } => bits,
        { Scalar: WgslScalar.I32 } => $"bitcast<i32>({bits})",
        { Scalar: WgslScalar.F32 } => $"bitcast<f32>({bits})",
        { Scalar: WgslScalar.F16 } => $"bitcast<vec2<f16>>({bits}).x",
        _ => bits,
    };

    private static string Encode(WgslType type, string value) => type switch
    {
        { Scalar: WgslScalar.U32 } => value,
        { Scalar: WgslScalar.F16 } => $"bitcast<u32>(vec2<f16>({value}, 0.0h))",
        _ => $"bitcast<u32>({value})",
    };

    private static string At(int offset) => offset == 0 ? "a" : $"a + {offset.ToString(CultureInfo.InvariantCulture)}u";

    /// <summary><c>b_ld_T(a)</c>: the value of type T at byte address a of buffer b.</summary>
    private IrPolyfill HostLoader(KernelParameterBinding binding, WgslType type)
    {
        var b = binding.Variable!;
        string rd = HostReadBytes(binding).Name;
        var nested = type.IsStruct
            ? type.Fields.Where(f => f.Type.IsStruct).ToDictionary(f => f.Name, f => HostLoader(binding, f.Type).Name)
            : [];
        string Leaf(WgslType leaf, int offset) => leaf.IsVector || leaf.IsMatrix
            ? $"{leaf.Name}({string.Join(", ", Enumerable.Range(0, leaf.IsMatrix ? leaf.MatrixColumns * leaf.MatrixRows : leaf.VectorSize).Select(c => $"bitcast<f32>({rd}({At(offset + 4 * c)}, 4u))"))})"
            : Decode(leaf, $"{rd}({At(offset)}, {leaf.CSharpSize}u)");
        return WithEffects(module.RequirePolyfill(b.Name + "_ld_" + HostSuffix(type), n =>
        {
            string body = type.IsStruct
                ? $"{type.Name}({string.Join(", ", type.Fields.Select(f => f.Type.IsStruct ? $"{nested[f.Name]}({At(f.CSharpOffset)})" : Leaf(f.Type, f.CSharpOffset)))})"
                : Leaf(type, 0);
            return AvoidBufferName($"// The {type.Name} at byte a of @{b.Name}, from C#'s layout{(type.IsStruct ? $" ({type.CSharpSize} bytes)" : "")}.\n" +
                $"fn {n}(a: u32) -> {type.Name} {{\n" +
                $"    return {body};\n" +
                "}\n", b.Name);
        }), b, write: false);
    }

    /// <summary><c>b_st_T(a, v)</c>: stores the value of type T at byte address a of buffer b, field by field.</summary>
    private IrPolyfill HostStorer(KernelParameterBinding binding, WgslType type)
    {
        var b = binding.Variable!;
        string wr = HostWriteBytes(binding).Name;
        var nested = type.IsStruct
            ? type.Fields.Where(f => f.Type.IsStruct).ToDictionary(f => f.Name, f => HostStorer(binding, f.Type).Name)
            : [];
        IEnumerable<string> Leaf(WgslType leaf, int offset, string value) => leaf.IsMatrix
            ? Enumerable.Range(0, leaf.MatrixColumns * leaf.MatrixRows).Select(k => $"    {wr}({At(offset + 4 * k)}, 4u, bitcast<u32>({value}[{k / leaf.MatrixRows}][{k % leaf.MatrixRows}]));\n")
            : leaf.IsVector
            ? Enumerable.Range(0, leaf.VectorSize).Select(c => $"    {wr}({At(offset + 4 * c)}, 4u, bitcast<u32>({value}.{"xyzw"[c]}));\n")
            : [$"    {wr}({At(offset)}, {leaf.CSharpSize}u, {Encode(leaf, value)});\n"];
        return WithEffects(module.RequirePolyfill(b.Name + "_st_" + HostSuffix(type), n =>
        {
            var lines = type.IsStruct
                ? type.Fields.SelectMany(f => f.Type.IsStruct ? [$"    {nested[f.Name]}({At(f.CSharpOffset)}, v.{f.Name});\n"] : Leaf(f.Type, f.CSharpOffset, "v." + f.Name))
                : Leaf(type, 0, "v");
            return AvoidBufferName($"// Stores the {type.Name} v at byte a of @{b.Name}, in C#'s layout.\n" +
                $"fn {n}(a: u32, v: {type.Name}) {{\n" +
                string.Concat(lines) +
                "}\n", b.Name);
        }), b, write: true);
    }
}
