using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Bit reinterpretation: <c>Unsafe.BitCast</c> and <c>Unsafe.As</c> (read as a value) between int, uint and float become
/// <c>bitcast</c> (to float through <c>f32_from_bits</c>); the <c>Half</c> forms of BitConverter work through int/uint
/// (WGSL has no 16-bit integers), with KG0043 where a 16-bit integer would be needed. (Pack and the BitOperations
/// forms are entries of the intrinsic table.)
/// </summary>
internal sealed partial class FunctionLowering
{
    private bool IsUnsafe(INamedTypeSymbol? type) => module.Known.Unsafe.Matches(type);

    private bool IsBitConverter(INamedTypeSymbol? type) => module.Known.BitConverter.Matches(type);

    /// <summary>Unsafe.As&lt;TFrom, TTo&gt;(ref TFrom): a reinterpreted reference.</summary>
    private bool IsUnsafeAs(IOperation? op)
        => op is IInvocationOperation { TargetMethod: { Name: "As", TypeArguments.Length: 2 } target } && IsUnsafe(target.ContainingType);

    /// <summary>The translation of a bit call handled here (<paramref name="handled"/>); null when it failed (reported).</summary>
    private IrExpr? BitsInvocation(IInvocationOperation op, out bool handled)
    {
        var target = op.TargetMethod;
        handled = true;
        if (IsUnsafe(target.ContainingType) && target.Name is "As" or "BitCast")
            return Reinterpret(op);
        if (IsBitConverter(target.ContainingType) && target.Name is "Int16BitsToHalf" or "UInt16BitsToHalf" && op.Arguments.Length == 1)
            return HalfFromBits(op);
        handled = false;
        return null;
    }

    /// <summary>The 32-bit scalar types a WGSL bitcast works between.</summary>
    private static WgslType? BitcastType(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Int32 => WgslType.I32,
        SpecialType.System_UInt32 => WgslType.U32,
        SpecialType.System_Single => WgslType.F32,
        _ => null,
    };

    /// <summary>Unsafe.BitCast&lt;TFrom, TTo&gt;(value) and Unsafe.As&lt;TFrom, TTo&gt;(ref value) read as a value.</summary>
    private IrExpr? Reinterpret(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        if (target.TypeArguments.Length != 2 || op.Arguments.Length != 1)
        {
            module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                "reinterprets an object reference, which does not exist on the GPU: use Unsafe.BitCast<TFrom, TTo>(value) between int, uint and float");
            return null;
        }
        var from = BitcastType(target.TypeArguments[0]);
        var to = BitcastType(target.TypeArguments[1]);
        if (from is null || to is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                $"reinterprets '{target.TypeArguments[0].ToDisplayString()}' as '{target.TypeArguments[1].ToDisplayString()}': WGSL's bitcast works here between int, uint and float (for Half use BitConverter.HalfToUInt16Bits/UInt16BitsToHalf through uint)");
            return null;
        }
        var value = Value(op.Arguments[0].Value);
        if (value is null)
            return null;
        if (from.Name == to.Name)
            return value;
        if (to.Scalar == WgslScalar.F32)
        {
            // Through a function: WGSL refuses constant NaN and infinity bits.
            var bits = from.Scalar == WgslScalar.U32 ? value : new IrBitcast(WgslType.U32, value);
            return new IrCall(module.RequirePolyfill("f32_from_bits", Polyfills.F32FromBits), [bits], WgslType.F32);
        }
        return new IrBitcast(to, value);
    }

    /// <summary>BitConverter.Int16BitsToHalf((short)bits) and UInt16BitsToHalf((ushort)bits), the bits an int or uint.</summary>
    private IrCall? HalfFromBits(IInvocationOperation op)
    {
        if (op.Arguments[0].Value is not IConversionOperation { Operand: { Type: { } operandType } operand } || BitcastType(operandType) is not { IsInteger: true } integer)
        {
            string small = op.TargetMethod.Name == "Int16BitsToHalf" ? "short" : "ushort";
            module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                $"takes a {small}, which WGSL does not have: pass an int or uint converted in the call, e.g. BitConverter.{op.TargetMethod.Name}(({small})bits)");
            return null;
        }
        if (MapType(op.Type, op.Syntax) is null)
            return null;
        var value = Value(operand);
        if (value is null)
            return null;
        // The low 16 bits, as the conversion to (u)short keeps.
        var bits = integer.Scalar == WgslScalar.U32 ? value : new IrConvert(WgslType.U32, value);
        return new IrCall(module.RequirePolyfill("f16_from_bits", Polyfills.F16FromBits), [bits], WgslType.F16);
    }

    /// <summary>
    /// (int)BitConverter.HalfToInt16Bits(h), (uint)BitConverter.HalfToUInt16Bits(h) and the other int/uint conversions
    /// of the two (implicit ones included); null with <paramref name="handled"/> false when <paramref name="op"/> is none.
    /// </summary>
    private IrExpr? HalfBitsConversion(IConversionOperation op, out bool handled)
    {
        handled = false;
        if (op.Operand is not IInvocationOperation { TargetMethod: { Name: "HalfToInt16Bits" or "HalfToUInt16Bits" } target } call
            || !IsBitConverter(target.ContainingType) || call.Arguments.Length != 1 || BitcastType(op.Type!) is not { IsInteger: true } to)
            return null;
        handled = true;
        if (MapType(call.Arguments[0].Value.Type, call.Arguments[0].Value.Syntax) is null || Value(call.Arguments[0].Value) is not { } half)
            return null;
        if (target.Name == "HalfToInt16Bits")
        {
            // The short's sign extended to 32 bits, then as the int or uint C# converts it to.
            var signed = new IrCall(module.RequirePolyfill("half_bits_i32", n =>
                "// BitConverter.HalfToInt16Bits as an int: the f16's bits, sign-extended from 16 bits (WGSL has no i16).\n" +
                $"fn {n}(x: f16) -> i32 {{\n" +
                "    return bitcast<i32>(bitcast<u32>(vec2<f16>(x, 0.0h)) << 16u) >> 16u;\n" +
                "}\n"), [half], WgslType.I32);
            return to.Scalar == WgslScalar.I32 ? signed : new IrBitcast(WgslType.U32, signed);
        }
        var bits = new IrCall(module.RequirePolyfill("half_bits_u32", n =>
            "// BitConverter.HalfToUInt16Bits as a uint: the f16's 16 bits (WGSL has no u16).\n" +
            $"fn {n}(x: f16) -> u32 {{\n" +
            "    return bitcast<u32>(vec2<f16>(x, 0.0h)) & 0xffffu;\n" +
            "}\n"), [half], WgslType.U32);
        return to.Scalar == WgslScalar.U32 ? bits : new IrConvert(WgslType.I32, bits);
    }

    /// <summary>
    /// KG0043 for a bit call whose type WGSL lacks, before that type is reported as unsupported: a Half bits call
    /// used as a 16-bit integer, an Unsafe.BitCast/As from or to anything but int, uint and float.
    /// </summary>
    private bool ReportsUnsupportedBits(IOperation op)
    {
        if (op is not IInvocationOperation { TargetMethod: var target } call)
            return false;
        if (target.Name is "HalfToInt16Bits" or "HalfToUInt16Bits" && IsBitConverter(target.ContainingType))
        {
            string cast = target.Name == "HalfToInt16Bits" ? "int" : "uint";
            module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                $"gives a {(cast == "int" ? "short" : "ushort")}, which WGSL does not have: convert it where it is called, e.g. ({cast})BitConverter.{target.Name}(h)");
            return true;
        }
        if (target.Name is "As" or "BitCast" && IsUnsafe(target.ContainingType)
            && (target.TypeArguments.Length != 2 || BitcastType(target.TypeArguments[0]) is null || BitcastType(target.TypeArguments[1]) is null))
        {
            Reinterpret(call); // reports
            return true;
        }
        return false;
    }
}
