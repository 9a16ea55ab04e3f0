using System.Linq;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Mappings;

/// <summary>
/// .NET methods with a WGSL built-in equivalent. A template names the call's arguments {0}, {1}, {2}
/// (for instance methods, {0} is the receiver); a bare name means "name(args...)".
/// </summary>
internal static class Intrinsics
{
    private static readonly Dictionary<string, string> math = new(System.StringComparer.Ordinal)
    {
        ["Abs"] = "abs", ["Max"] = "max", ["Min"] = "min", ["Clamp"] = "clamp",
        ["Sqrt"] = "sqrt", ["Exp"] = "exp", ["Exp2"] = "exp2", ["Log2"] = "log2", ["Pow"] = "pow",
        ["Sin"] = "sin", ["Cos"] = "cos", ["Tan"] = "tan", ["Asin"] = "asin", ["Acos"] = "acos", ["Atan"] = "atan",
        ["Sinh"] = "sinh", ["Cosh"] = "cosh", ["Tanh"] = "tanh", ["Asinh"] = "asinh", ["Acosh"] = "acosh", ["Atanh"] = "atanh",
        ["Atan2"] = "atan2", ["Floor"] = "floor", ["Ceiling"] = "ceil", ["Truncate"] = "trunc",
        ["FusedMultiplyAdd"] = "fma", ["ReciprocalSqrtEstimate"] = "inverseSqrt", ["Lerp"] = "mix",
        ["DegreesToRadians"] = "radians", ["RadiansToDegrees"] = "degrees",
    };

    private static readonly Dictionary<string, string> vectorStatic = new(System.StringComparer.Ordinal)
    {
        ["Dot"] = "dot", ["Cross"] = "cross", ["Normalize"] = "normalize", ["Distance"] = "distance",
        ["Lerp"] = "mix", ["Clamp"] = "clamp", ["Min"] = "min", ["Max"] = "max", ["Abs"] = "abs",
        ["SquareRoot"] = "sqrt", ["Reflect"] = "reflect",
    };

    /// <summary>KernelGen.Pack: WGSL's packing built-ins (the runtime's CPU forms follow the WGSL specification).</summary>
    private static readonly Dictionary<string, string> pack = new(System.StringComparer.Ordinal)
    {
        ["Pack4x8Snorm"] = "pack4x8snorm", ["Pack4x8Unorm"] = "pack4x8unorm", ["Pack2x16Snorm"] = "pack2x16snorm",
        ["Pack2x16Unorm"] = "pack2x16unorm", ["Pack2x16Float"] = "pack2x16float",
        ["Unpack4x8Snorm"] = "unpack4x8snorm", ["Unpack4x8Unorm"] = "unpack4x8unorm", ["Unpack2x16Snorm"] = "unpack2x16snorm",
        ["Unpack2x16Unorm"] = "unpack2x16unorm", ["Unpack2x16Float"] = "unpack2x16float",
    };

    /// <summary>The Math/MathF methods with a WGSL translation, for diagnostics ("supported: ...").</summary>
    public static string SupportedMath
        => string.Join(", ", math.Keys.Concat(["Log", "Log10", "Round", "Sign"]).Distinct().OrderBy(k => k, System.StringComparer.Ordinal))
            + "; float/Half: IsNaN, IsInfinity, IsFinite, IsNegative, IsPositiveInfinity, IsNegativeInfinity, IsNormal, IsSubnormal";

    /// <summary>
    /// Why a .NET type without WGSL translation cannot simply be rewritten by the user as a helper, or null
    /// when "write it as a static method" is the advice.
    /// </summary>
    public static string? AdviceFor(INamedTypeSymbol type) => type.ToDisplayString() switch
    {
        "System.Runtime.CompilerServices.Unsafe" or "System.Runtime.InteropServices.MemoryMarshal" => "reinterpreting memory is not supported: reinterpret values with Unsafe.BitCast<TFrom, TTo>(value) (or Unsafe.As<TFrom, TTo>(ref x) read as a value) between int, uint and float",
        "System.BitConverter" => "supported are BitConverter.SingleToInt32Bits, SingleToUInt32Bits, Int32BitsToSingle, UInt32BitsToSingle (WGSL bitcast) and the Half forms through int/uint ((uint)BitConverter.HalfToUInt16Bits(h), BitConverter.UInt16BitsToHalf((ushort)bits))",
        "System.Threading.Thread" or "System.Threading.Monitor" or "System.Threading.Volatile" => "use Workgroup.Barrier() to synchronise the invocations of a workgroup",
        "System.Console" or "System.Diagnostics.Debug" or "System.Diagnostics.Trace" => "GPU code cannot print: write values to a Span<T> buffer parameter and read it back",
        _ => null,
    };

    /// <summary>The WGSL template for <paramref name="method"/>, or null when it has none.</summary>
    public static string? Find(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
            return null;
        string typeName = type.ToDisplayString();
        string name = method.Name;
        int arity = method.Parameters.Length;
        switch (typeName)
        {
            case "System.MathF":
            case "System.Math":
            case "float":
            case "int":
            case "uint":
            case "System.Half":
                if (name == "Log" && arity == 1)
                    return "log";
                if (name == "Log" && arity == 2)
                    return "(log({0}) / log({1}))";
                if (name == "Log10" && arity == 1)
                    return method.Parameters[0].Type.ToDisplayString() == "System.Half" ? "(log({0}) * 0.4342945h)" : "(log({0}) * 0.4342945f)";
                if (name == "Round" && arity == 1)
                    return "round";
                if (name == "Sign" && arity == 1)
                    return method.Parameters[0].Type.SpecialType == SpecialType.System_Int32 ? "sign" : "i32(sign({0}))";
                if (name == "Lerp" && arity != 3)
                    return null;
                return math.TryGetValue(name, out var m) && !method.IsGenericMethod ? m : null;
            case "System.Numerics.Vector2":
            case "System.Numerics.Vector3":
            case "System.Numerics.Vector4":
                if (!method.IsStatic)
                {
                    return (name, arity) switch
                    {
                        ("Length", 0) => "length({0})",
                        ("LengthSquared", 0) => "dot({0}, {0})",
                        _ => null,
                    };
                }
                if (name == "DistanceSquared" && arity == 2)
                    return "dot(({0} - {1}), ({0} - {1}))";
                if (name == "Lerp" && method.Parameters[2].Type.SpecialType == SpecialType.System_Single)
                    return "mix({0}, {1}, vec" + VectorSize(typeName) + "<f32>({2}))";
                return vectorStatic.TryGetValue(name, out var v) ? v : null;
            case "System.Numerics.BitOperations":
                return (name, arity) switch
                {
                    ("PopCount", 1) => "i32(countOneBits({0}))",
                    ("LeadingZeroCount", 1) => "i32(countLeadingZeros({0}))",
                    ("TrailingZeroCount", 1) => "i32(countTrailingZeros({0}))",
                    _ => null,
                };
            case "System.BitConverter":
                // The float direction goes through f32_from_bits (a function: constant NaN bits are a WGSL error).
                return (name, arity) switch
                {
                    ("SingleToInt32Bits", 1) => "bitcast<i32>({0})",
                    ("SingleToUInt32Bits", 1) => "bitcast<u32>({0})",
                    _ => null,
                };
            case "KernelGen.Pack":
                if (pack.TryGetValue(name, out var p))
                    return p;
                return (name, arity) switch
                {
                    ("Pack4xI8", 4) => "pack4xI8(vec4<i32>({0}, {1}, {2}, {3}))",
                    ("Pack4xU8", 4) => "pack4xU8(vec4<u32>({0}, {1}, {2}, {3}))",
                    ("Pack4xI8Clamp", 4) => "pack4xI8Clamp(vec4<i32>({0}, {1}, {2}, {3}))",
                    ("Pack4xU8Clamp", 4) => "pack4xU8Clamp(vec4<u32>({0}, {1}, {2}, {3}))",
                    // The lane modulo 4, as the CPU form takes it (a vector index out of range is undefined in WGSL).
                    ("Unpack4xI8", 2) => "unpack4xI8({0})[u32({1}) & 3u]",
                    ("Unpack4xU8", 2) => "unpack4xU8({0})[u32({1}) & 3u]",
                    _ => null,
                };
            case "KernelGen.Workgroup":
                return (name, arity) switch
                {
                    ("Barrier", 0) => "workgroupBarrier()",
                    ("StorageBarrier", 0) => "storageBarrier()",
                    _ => null,
                };
        }
        return null;
    }

    private static char VectorSize(string typeName) => typeName[typeName.Length - 1];
}
