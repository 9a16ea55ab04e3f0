using KernelGen.Generator.Mappings;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Bit reinterpretation and bit operations: <c>Unsafe.BitCast</c> and <c>Unsafe.As</c> (read as a value) between
/// int, uint and float become <c>bitcast</c>; the <c>Half</c> forms of BitConverter work through int/uint (WGSL has
/// no 16-bit integers); <c>BitOperations.RotateLeft/RotateRight</c>, <c>Log2</c>, <c>IsPow2</c> and
/// <c>RoundUpToPowerOf2</c> on uint (and IsPow2 on int) as built-ins or small functions that read each operand once.
/// </summary>
internal sealed partial class WgslFunctionTranslator
{
    private static bool IsUnsafe(INamedTypeSymbol? type)
        => type is { Name: "Unsafe", ContainingNamespace: { Name: "CompilerServices", ContainingNamespace: { Name: "Runtime", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };

    private static bool IsBitConverter(INamedTypeSymbol? type)
        => type is { Name: "BitConverter", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static bool IsBitOperations(INamedTypeSymbol? type)
        => type is { Name: "BitOperations", ContainingNamespace: { Name: "Numerics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>Unsafe.As&lt;TFrom, TTo&gt;(ref TFrom): a reinterpreted reference.</summary>
    private static bool IsUnsafeAs(IOperation? op)
        => op is IInvocationOperation { TargetMethod: { Name: "As", TypeArguments.Length: 2 } target } && IsUnsafe(target.ContainingType);

    /// <summary>The translation of a bit call, or null when <paramref name="op"/> is none handled here.</summary>
    private WgslExpression? BitsInvocation(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        var type = target.ContainingType;
        if (IsUnsafe(type) && target.Name is "As" or "BitCast")
            return Reinterpret(op);
        if (IsBitConverter(type) && target.Name is "Int16BitsToHalf" or "UInt16BitsToHalf" && op.Arguments.Length == 1)
            return HalfFromBits(op);
        if (IsBitOperations(type) && op.Arguments.Length is 1 or 2)
        {
            var p = target.Parameters;
            bool u32 = p[0].Type.SpecialType == SpecialType.System_UInt32;
            bool i32 = p[0].Type.SpecialType == SpecialType.System_Int32;
            switch (target.Name)
            {
                case "RotateLeft" or "RotateRight" when u32 && p.Length == 2 && p[1].Type.SpecialType == SpecialType.System_Int32:
                {
                    bool left = target.Name == "RotateLeft";
                    var value = Value(op.Arguments[0].Value);
                    var offset = Value(op.Arguments[1].Value);
                    string name = module.RequirePolyfill(left ? "rotateLeft_u32" : "rotateRight_u32", n =>
                        $"// BitOperations.{target.Name}: the offset is taken modulo 32, as in C#.\n" +
                        $"fn {n}(value: u32, offset: i32) -> u32 {{\n" +
                        "    let s: u32 = u32(offset) & 31u;\n" +
                        $"    return (value {(left ? "<<" : ">>")} s) | (value {(left ? ">>" : "<<")} ((32u - s) & 31u));\n" +
                        "}\n");
                    return WgslExpression.Primary($"{name}({value.Text}, {offset.Text})");
                }
                case "Log2" when u32 && p.Length == 1:
                {
                    // C#'s Log2(0) is 0: log2 of (x | 1) has the same top bit for every x but 0.
                    var value = Value(op.Arguments[0].Value);
                    return WgslExpression.Primary($"i32(31u - countLeadingZeros({value.AsOperand(WgslPrecedence.BitOr)} | 1u))");
                }
                case "IsPow2" when (u32 || i32) && p.Length == 1:
                {
                    var value = Value(op.Arguments[0].Value);
                    string t = u32 ? "u32" : "i32";
                    string s = u32 ? "u" : "i";
                    string name = module.RequirePolyfill("isPow2_" + t, n =>
                        $"// BitOperations.IsPow2 ({(u32 ? "uint" : "int")}): exactly one bit set{(u32 ? "" : " in a positive value")}.\n" +
                        $"fn {n}(value: {t}) -> bool {{\n" +
                        $"    return {(u32 ? "value != 0u" : "value > 0i")} && (value & (value - 1{s})) == 0{s};\n" +
                        "}\n");
                    return WgslExpression.Primary($"{name}({value.Text})");
                }
                case "RoundUpToPowerOf2" when u32 && p.Length == 1:
                {
                    var value = Value(op.Arguments[0].Value);
                    string name = module.RequirePolyfill("roundUpToPowerOf2_u32", n =>
                        "// BitOperations.RoundUpToPowerOf2 (uint): 0 for 0 and for values above 2^31, as in C#.\n" +
                        $"fn {n}(value: u32) -> u32 {{\n" +
                        "    let s: u32 = 32u - countLeadingZeros(value - 1u);\n" +
                        "    return select(1u << (s & 31u), 0u, s == 32u);\n" +
                        "}\n");
                    return WgslExpression.Primary($"{name}({value.Text})");
                }
            }
        }
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
    private WgslExpression Reinterpret(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        if (target.TypeArguments.Length != 2 || op.Arguments.Length != 1)
        {
            module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                "reinterprets an object reference, which does not exist on the GPU: use Unsafe.BitCast<TFrom, TTo>(value) between int, uint and float");
            return WgslExpression.Error;
        }
        var from = BitcastType(target.TypeArguments[0]);
        var to = BitcastType(target.TypeArguments[1]);
        if (from is null || to is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                $"reinterprets '{target.TypeArguments[0].ToDisplayString()}' as '{target.TypeArguments[1].ToDisplayString()}': WGSL's bitcast works here between int, uint and float (for Half use BitConverter.HalfToUInt16Bits/UInt16BitsToHalf through uint)");
            return WgslExpression.Error;
        }
        var value = Value(op.Arguments[0].Value);
        return Bitcast(value, from, to);
    }

    private WgslExpression Bitcast(WgslExpression value, WgslType from, WgslType to)
    {
        if (from.Name == to.Name)
            return value;
        if (to.Scalar == WgslScalar.F32)
        {
            // Through a function: WGSL refuses constant NaN and infinity bits.
            string name = module.RequirePolyfill("f32_from_bits", F32FromBits);
            return WgslExpression.Primary(from.Scalar == WgslScalar.U32 ? $"{name}({value.Text})" : $"{name}(bitcast<u32>({value.Text}))");
        }
        return WgslExpression.Primary($"bitcast<{to.Name}>({value.Text})");
    }

    /// <summary>BitConverter.Int16BitsToHalf((short)bits) and UInt16BitsToHalf((ushort)bits), the bits an int or uint.</summary>
    private WgslExpression HalfFromBits(IInvocationOperation op)
    {
        var argument = op.Arguments[0].Value;
        var bits = argument is IConversionOperation { Operand.Type: { } operandType } conversion && BitcastType(operandType) is { IsInteger: true } integer
            ? (Operand: conversion.Operand, Type: integer)
            : default;
        if (bits.Operand is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                $"takes a {(op.TargetMethod.Name == "Int16BitsToHalf" ? "short" : "ushort")}, which WGSL does not have: pass an int or uint converted in the call, e.g. BitConverter.{op.TargetMethod.Name}(({(op.TargetMethod.Name == "Int16BitsToHalf" ? "short" : "ushort")})bits)");
            return WgslExpression.Error;
        }
        if (MapType(op.Type, op.Syntax) is null)
            return WgslExpression.Error;
        var value = Value(bits.Operand);
        string u = bits.Type.Scalar == WgslScalar.U32 ? value.Text : $"u32({value.Text})";
        string name = module.RequirePolyfill("f16_from_bits", F16FromBits);
        return WgslExpression.Primary($"{name}({u})"); // the low 16 bits, as the conversion to (u)short keeps
    }

    /// <summary>
    /// (int)BitConverter.HalfToInt16Bits(h), (uint)BitConverter.HalfToUInt16Bits(h) and the other int/uint
    /// conversions of the two (implicit ones included); null when <paramref name="op"/> is none of these.
    /// </summary>
    private WgslExpression? HalfBitsConversion(IConversionOperation op)
    {
        if (op.Operand is not IInvocationOperation { TargetMethod: { Name: "HalfToInt16Bits" or "HalfToUInt16Bits" } target } call
            || !IsBitConverter(target.ContainingType) || call.Arguments.Length != 1)
            return null;
        var to = BitcastType(op.Type!);
        if (to is not { IsInteger: true })
            return null;
        if (MapType(call.Arguments[0].Value.Type, call.Arguments[0].Value.Syntax) is null)
            return WgslExpression.Error;
        var half = Value(call.Arguments[0].Value);
        string bits = $"(bitcast<u32>(vec2<f16>({half.Text}, 0.0h)) & 0xffffu)";
        if (target.Name == "HalfToInt16Bits")
        {
            // The short's sign extended to 32 bits, then as the int or uint C# converts it to.
            string signed = $"(bitcast<i32>(bitcast<u32>(vec2<f16>({half.Text}, 0.0h)) << 16u) >> 16u)";
            return WgslExpression.Primary(to.Scalar == WgslScalar.I32 ? signed : $"bitcast<u32>{signed}");
        }
        return WgslExpression.Primary(to.Scalar == WgslScalar.U32 ? bits : $"i32{bits}");
    }

    /// <summary>
    /// KG0043 for a bit call whose type WGSL lacks, before that type is reported as unsupported: a Half bits call
    /// used as a 16-bit integer, an Unsafe.BitCast/As from or to anything but int, uint and float.
    /// </summary>
    private bool ReportsUnsupportedBits(IOperation op)
    {
        if (op is not IInvocationOperation { TargetMethod: var target })
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
            Reinterpret((IInvocationOperation)op); // reports
            return true;
        }
        return false;
    }

    private static string F16FromBits(string n) =>
        "// NaN, infinities and -0 from their bits: WGSL has no literal for them, refuses the first two in constant\n" +
        "// expressions and may drop the sign of a constant zero.\n" +
        $"fn {n}(bits: u32) -> f16 {{\n" +
        "    return bitcast<vec2<f16>>(bits).x;\n" +
        "}\n";
}
