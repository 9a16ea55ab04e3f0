using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Enums with an int or uint underlying type are that integer in WGSL (byte, sbyte, ushort and short ones the small
/// integers, whose + and - wrap as C#'s do) (the type map says so): members fold to
/// literals, conversions to and from integers are identities, comparisons, switches and flag operators apply
/// unchanged. bool uniforms (and bool fields of uniform structs) are u32 0 or 1 in the uniform block
/// (<see cref="WgslTypeMap.UniformTwin"/>), converted where they are read.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>
    /// Whether <paramref name="kind"/> with result <paramref name="type"/> is arithmetic on an enum of byte, sbyte,
    /// ushort or short (C#'s only + and - whose result is a small integer, the others promote to int).
    /// </summary>
    private static bool IsNarrowEnumArithmetic(BinaryOperatorKind kind, WgslType type)
        => type is { NarrowBits: > 0, IsScalar: true } && kind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract;

    /// <summary>A small integer's wider i32/u32 value wrapped to its bits as C# does.</summary>
    private IrExpr WrapNarrow(IrExpr value, WgslType narrow)
        => ToNarrow(value, narrow.Scalar == WgslScalar.I32 ? WgslType.I32 : WgslType.U32, narrow);

    private static bool IsEnumHasFlag(IInvocationOperation op)
        => op.TargetMethod is { Name: "HasFlag", IsStatic: false, Parameters.Length: 1 } target
            && target.ContainingType.SpecialType == SpecialType.System_Enum
            && op.Instance is not null;

    /// <summary><c>flags.HasFlag(Mode.A)</c> as <c>(flags &amp; A) == A</c> (the evaluation-order pass binds a flag used twice).</summary>
    private IrBinary? EnumHasFlag(IInvocationOperation op)
    {
        var instance = Unboxed(op.Instance!);
        var flag = Unboxed(op.Arguments[0].Value);
        var type = MapType(instance.Type, instance.Syntax);
        if (type is null || MapType(flag.Type, flag.Syntax) is null)
            return null;
        if (!SymbolEqualityComparer.Default.Equals(instance.Type, flag.Type))
        {
            Unsupported(op, $"the flag must have the enum's own type '{instance.Type?.ToDisplayString()}'");
            return null;
        }
        var value = Value(instance);
        var bits = Value(flag);
        if (value is null || bits is null)
            return null;
        return new IrBinary(IrBinaryOp.Equal, new IrBinary(IrBinaryOp.BitAnd, value, bits, type), bits, WgslType.Bool);
    }

    /// <summary>The enum value inside the boxing conversion that Enum's instance methods see.</summary>
    private static IOperation Unboxed(IOperation op)
    {
        while (op is IConversionOperation { Type.SpecialType: SpecialType.System_Enum or SpecialType.System_Object or SpecialType.System_ValueType } conversion)
            op = conversion.Operand;
        return op;
    }

    /// <summary>
    /// The kernel-side value of uniform-block expression <paramref name="block"/> holding <paramref name="valueType"/>:
    /// <c>block != 0u</c> for a bool, a conversion function for a struct with bools, else the expression itself.
    /// </summary>
    private IrExpr FromUniform(IrExpr block, WgslType valueType)
    {
        if (valueType.HostShareable || valueType.NarrowBits > 0 || !(valueType.IsStruct || (valueType.IsScalar && valueType.Scalar == WgslScalar.Bool)))
            return block; // a narrow integer is its widened u32/i32 in the block: the same WGSL value
        if (valueType.IsScalar)
            return new IrBinary(IrBinaryOp.NotEqual, block, IrLiteral.U32(0u), WgslType.Bool);
        var twin = module.Types.UniformTwin(valueType);
        // Nested structs with bools get their own conversion functions first.
        var nested = new System.Collections.Generic.Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var field in valueType.Fields.Where(f => f.Type.IsStruct && !f.Type.HostShareable))
            nested[field.Name] = ((IrCall)FromUniform(new IrMember(block, field.Name, module.Types.UniformTwin(field.Type)), field.Type)).Callee.Name;
        var callee = module.RequirePolyfill(valueType.Name + "_from_uniform", n =>
        {
            var fields = valueType.Fields.Select(f => f.Type.HostShareable || f.Type.NarrowBits > 0 ? "u." + f.Name
                : f.Type.IsScalar ? $"u.{f.Name} != 0u" : $"{nested[f.Name]}(u.{f.Name})");
            return $"// {valueType.Name} from the uniform block, which holds each bool as a u32 (0 or 1).\n" +
                $"fn {n}(u: {twin.Name}) -> {valueType.Name} {{\n" +
                $"    return {valueType.Name}({string.Join(", ", fields)});\n" +
                "}\n";
        });
        return new IrCall(callee, [block], valueType);
    }
}
