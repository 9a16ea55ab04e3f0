using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Mappings;

/// <summary>What an intrinsic builder may use: the call's WGSL types and the module's polyfills.</summary>
internal interface IIntrinsicContext
{
    /// <summary>The WGSL type of the call's value (null for void).</summary>
    WgslType? ResultType { get; }

    /// <summary>The WGSL types of the arguments (the receiver first for instance methods).</summary>
    IReadOnlyList<WgslType> ArgumentTypes { get; }

    /// <summary>A polyfill function of the module (emitted once), by its fixed base name and text.</summary>
    IrCallable Polyfill(string baseName, System.Func<string, string> text);
}

/// <summary>
/// One .NET method with a WGSL translation: a builder that makes the IR from the argument nodes. A builder
/// may use an argument node more than once (the evaluation-order pass binds impure ones to a let first),
/// and says whether the call is pure.
/// </summary>
internal sealed class Intrinsic
{
    public Intrinsic(System.Func<IIntrinsicContext, IReadOnlyList<IrExpr>, IrExpr> build, bool pure = true)
    {
        Build = build;
        IsPure = pure;
    }

    public System.Func<IIntrinsicContext, IReadOnlyList<IrExpr>, IrExpr> Build { get; }

    public bool IsPure { get; }
}

/// <summary>
/// The table of .NET methods with a WGSL built-in equivalent, keyed by type, name and parameter count. The type
/// key comes from <see cref="KnownTypes.IntrinsicKey"/>: the containing type is matched by symbol first, so a user
/// type that happens to be named MathF or Vector4 never reaches the table.
/// </summary>
internal static class Intrinsics
{
    private static readonly string[] mathTypes = ["System.MathF", "System.Math", "float", "int", "uint", "System.Half"];
    private static readonly string[] vectorTypes = ["System.Numerics.Vector2", "System.Numerics.Vector3", "System.Numerics.Vector4"];

    private static readonly Dictionary<string, string> math = new(System.StringComparer.Ordinal)
    {
        ["Abs"] = "abs", ["Max"] = "max", ["Min"] = "min", ["Clamp"] = "clamp",
        ["Sqrt"] = "sqrt", ["Exp"] = "exp", ["Exp2"] = "exp2", ["Log2"] = "log2",
        ["Sin"] = "sin", ["Cos"] = "cos", ["Tan"] = "tan", ["Asin"] = "asin", ["Acos"] = "acos", ["Atan"] = "atan",
        ["Sinh"] = "sinh", ["Cosh"] = "cosh", ["Tanh"] = "tanh", ["Asinh"] = "asinh", ["Acosh"] = "acosh", ["Atanh"] = "atanh",
        ["Atan2"] = "atan2", ["Floor"] = "floor", ["Ceiling"] = "ceil", ["Truncate"] = "trunc",
        ["FusedMultiplyAdd"] = "fma", ["ReciprocalSqrtEstimate"] = "inverseSqrt",
        ["DegreesToRadians"] = "radians", ["RadiansToDegrees"] = "degrees",
    };

    private static readonly Dictionary<string, string> vectorStatic = new(System.StringComparer.Ordinal)
    {
        ["Dot"] = "dot", ["Cross"] = "cross", ["Normalize"] = "normalize", ["Distance"] = "distance",
        ["Clamp"] = "clamp", ["Min"] = "min", ["Max"] = "max", ["Abs"] = "abs",
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

    /// <summary>(type, name, parameter count; -1 for any) -> builder.</summary>
    private static readonly Dictionary<(string Type, string Name, int Arity), Intrinsic> table = Build();

    private static Dictionary<(string, string, int), Intrinsic> Build()
    {
        var t = new Dictionary<(string, string, int), Intrinsic>();
        foreach (var type in mathTypes)
        {
            foreach (var pair in math)
                t[(type, pair.Key, -1)] = Call(pair.Value);
            t[(type, "Lerp", 3)] = type == "System.Half" ? Call("mix") : FusedLerp();
            t[(type, "Max", 2)] = FloatMaxMin(max: true);
            t[(type, "Min", 2)] = FloatMaxMin(max: false);
            t[(type, "Clamp", 3)] = type == "System.Math" ? MathClamp() : ClampThroughMaxMin();
            // SinCos(x) is the tuple (Sin(x), Cos(x)); the evaluation-order pass binds an impure x once.
            t[(type, "SinCos", 1)] = new((c, a) => new IrConstruct(c.ResultType!, [
                new IrBuiltinCall("sin", a, c.ResultType!.Fields[0].Type),
                new IrBuiltinCall("cos", a, c.ResultType!.Fields[1].Type)]));
            // C#'s Round(x) rounds half to even, as WGSL's round() does.
            t[(type, "Round", 1)] = Call("round");
            // Round(x, MidpointRounding); Round(x, digits) has no entry (Find says why).
            t[(type, "Round", 2)] = new((c, a) => RoundWithMode(c, a[0], a[1]));
            t[(type, "Pow", 2)] = new((c, a) => c.ArgumentTypes[0] is { IsScalar: true, IsFloat: true } x
                ? new IrCall(c.Polyfill("pow_" + x.Name, Polyfills.Pow(x)), a, c.ResultType)
                : new IrBuiltinCall("pow", a, c.ResultType));
            t[(type, "Log", 1)] = Call("log");
            t[(type, "Log", 2)] = new((c, a) => new IrBinary(IrBinaryOp.Divide, Log(c, a[0]), Log(c, a[1]), c.ResultType!));
            t[(type, "Log10", 1)] = new((c, a) => new IrBinary(IrBinaryOp.Multiply, Log(c, a[0]),
                c.ArgumentTypes[0].Scalar == WgslScalar.F16 ? IrLiteral.F16(0x36f3) : IrLiteral.F32(0.4342945f), c.ResultType!));
            t[(type, "Sign", 1)] = new((c, a) => c.ArgumentTypes[0].Scalar switch
            {
                WgslScalar.I32 => new IrBuiltinCall("sign", a, c.ResultType),
                // WGSL's sign() takes no u32 (uint.Sign, reached through generic math): min(x, 1u).
                WgslScalar.U32 => new IrConvert(WgslType.I32, new IrBuiltinCall("min", [a[0], IrLiteral.U32(1u)], WgslType.U32)),
                _ => new IrConvert(WgslType.I32, new IrBuiltinCall("sign", a, c.ArgumentTypes[0])),
            });
        }
        foreach (var type in new[] { "System.MathF", "float" })
        {
            // f32 only (Half.Cbrt and the rest have no entry: KG0018).
            t[(type, "Cbrt", 1)] = new((c, a) => new IrCall(c.Polyfill("cbrt_f32", Polyfills.CbrtF32), a, WgslType.F32));
            t[(type, "CopySign", 2)] = new((c, a) => new IrCall(c.Polyfill("copySign_f32", Polyfills.CopySignF32), a, WgslType.F32));
            t[(type, "ReciprocalEstimate", 1)] = new((c, a) => new IrBinary(IrBinaryOp.Divide, IrLiteral.F32(1f), a[0], WgslType.F32));
        }
        foreach (var type in vectorTypes)
        {
            foreach (var pair in vectorStatic)
                t[(type, pair.Key, -1)] = Call(pair.Value);
            t[(type, "Length", 0)] = Call("length");
            t[(type, "LengthSquared", 0)] = new((c, a) => new IrBuiltinCall("dot", [a[0], a[0]], c.ResultType));
            t[(type, "DistanceSquared", 2)] = new((c, a) =>
            {
                var difference = new IrBinary(IrBinaryOp.Subtract, a[0], a[1], c.ArgumentTypes[0]);
                return new IrBuiltinCall("dot", [difference, difference], c.ResultType);
            });
            // The named forms of the operators (Vector3.Multiply(2f, v), Vector3.Negate(v)), and the fused multiply-add.
            t[(type, "Add", 2)] = new((c, a) => new IrBinary(IrBinaryOp.Add, a[0], a[1], c.ResultType!));
            t[(type, "Subtract", 2)] = new((c, a) => new IrBinary(IrBinaryOp.Subtract, a[0], a[1], c.ResultType!));
            t[(type, "Multiply", 2)] = new((c, a) => new IrBinary(IrBinaryOp.Multiply, a[0], a[1], c.ResultType!));
            t[(type, "Divide", 2)] = new((c, a) => new IrBinary(IrBinaryOp.Divide, a[0], a[1], c.ResultType!));
            t[(type, "Negate", 1)] = new((c, a) => new IrUnary(IrUnaryOp.Negate, a[0], c.ResultType));
            t[(type, "FusedMultiplyAdd", 3)] = Call("fma");
            t[(type, "Lerp", 3)] = FusedLerp();
            t[(type, "Max", 2)] = FloatMaxMin(max: true);
            t[(type, "Min", 2)] = FloatMaxMin(max: false);
            t[(type, "Clamp", 3)] = ClampThroughMaxMin();
        }
        t[("System.Numerics.BitOperations", "PopCount", 1)] = CountBits("countOneBits");
        t[("System.Numerics.BitOperations", "LeadingZeroCount", 1)] = CountBits("countLeadingZeros");
        t[("System.Numerics.BitOperations", "TrailingZeroCount", 1)] = CountBits("countTrailingZeros");
        t[("System.Numerics.BitOperations", "RotateLeft", 2)] = Rotate(left: true);
        t[("System.Numerics.BitOperations", "RotateRight", 2)] = Rotate(left: false);
        // C#'s Log2(0) is 0: log2 of (x | 1) has the same top bit for every x but 0.
        t[("System.Numerics.BitOperations", "Log2", 1)] = new((c, a) => c.ArgumentTypes[0].Scalar == WgslScalar.U32
            ? new IrConvert(WgslType.I32, new IrBinary(IrBinaryOp.Subtract, IrLiteral.U32(31),
                new IrBuiltinCall("countLeadingZeros", [new IrBinary(IrBinaryOp.BitOr, a[0], IrLiteral.U32(1), WgslType.U32)], WgslType.U32), WgslType.U32))
            : new IrBuiltinCall("log2", a, c.ResultType));
        t[("System.Numerics.BitOperations", "IsPow2", 1)] = new((c, a) =>
        {
            bool u32 = c.ArgumentTypes[0].Scalar == WgslScalar.U32;
            string type = u32 ? "u32" : "i32", s = u32 ? "u" : "i";
            return new IrCall(c.Polyfill("isPow2_" + type, n =>
                $"// BitOperations.IsPow2 ({(u32 ? "uint" : "int")}): exactly one bit set{(u32 ? "" : " in a positive value")}.\n" +
                $"fn {n}(value: {type}) -> bool {{\n" +
                $"    return {(u32 ? "value != 0u" : "value > 0i")} && (value & (value - 1{s})) == 0{s};\n" +
                "}\n"), a, WgslType.Bool);
        });
        // The same counts as members of int and uint (IBinaryInteger<T>: uint.PopCount, int.TrailingZeroCount, ...),
        // which return their argument's type, as WGSL's count built-ins do.
        foreach (var integer in new[] { "int", "uint" })
        {
            t[(integer, "PopCount", 1)] = Call("countOneBits");
            t[(integer, "LeadingZeroCount", 1)] = Call("countLeadingZeros");
            t[(integer, "TrailingZeroCount", 1)] = Call("countTrailingZeros");
            t[(integer, "IsPow2", 1)] = t[("System.Numerics.BitOperations", "IsPow2", 1)];
        }
        // Math.DivRem(int, int) and int.DivRem (uint too): the (quotient, remainder) tuple, truncating as C#'s / and %
        // (a divisor of 0 gives WGSL's defined results, as / and % do). The out form has no entry (KG0018).
        foreach (var type in new[] { "System.Math", "int", "uint" })
        {
            t[(type, "DivRem", 2)] = new((c, a) => new IrConstruct(c.ResultType!,
                [new IrBinary(IrBinaryOp.Divide, a[0], a[1], c.ArgumentTypes[0]), new IrBinary(IrBinaryOp.Remainder, a[0], a[1], c.ArgumentTypes[0])]));
        }
        // IsNegative, IsPositive, IsEvenInteger, IsOddInteger (INumberBase<T>) on int and uint, as C# defines them.
        t[("int", "IsNegative", 1)] = new((c, a) => new IrBinary(IrBinaryOp.Less, a[0], IrLiteral.I32(0), WgslType.Bool));
        t[("int", "IsPositive", 1)] = new((c, a) => new IrBinary(IrBinaryOp.GreaterEqual, a[0], IrLiteral.I32(0), WgslType.Bool));
        foreach (var integer in new[] { "int", "uint" })
        {
            bool signed = integer == "int";
            IrLiteral Literal(uint v) => signed ? IrLiteral.I32((int)v) : IrLiteral.U32(v);
            var type = signed ? WgslType.I32 : WgslType.U32;
            t[(integer, "IsEvenInteger", 1)] = new((c, a) => new IrBinary(IrBinaryOp.Equal, new IrBinary(IrBinaryOp.BitAnd, a[0], Literal(1), type), Literal(0), WgslType.Bool));
            t[(integer, "IsOddInteger", 1)] = new((c, a) => new IrBinary(IrBinaryOp.NotEqual, new IrBinary(IrBinaryOp.BitAnd, a[0], Literal(1), type), Literal(0), WgslType.Bool));
        }
        t[("uint", "RotateLeft", 2)] = Rotate(left: true);
        t[("uint", "RotateRight", 2)] = Rotate(left: false);
        // int.RotateLeft/RotateRight: the same bits as the uint rotation.
        t[("int", "RotateLeft", 2)] = RotateSigned(left: true);
        t[("int", "RotateRight", 2)] = RotateSigned(left: false);
        // int.CopySign: |value| with sign's sign. C# throws OverflowException for CopySign(int.MinValue, s >= 0);
        // here int.MinValue, as WGSL's abs gives.
        t[("int", "CopySign", 2)] = new((c, a) => new IrCall(c.Polyfill("copySign_i32", n =>
            "// int.CopySign: the magnitude of value with the sign of sign (int.MinValue stays int.MinValue, where C# throws).\n" +
            $"fn {n}(value: i32, sign: i32) -> i32 {{\n" +
            "    let magnitude: i32 = abs(value);\n" +
            "    return select(magnitude, -magnitude, sign < 0i);\n" +
            "}\n"), a, WgslType.I32));
        // uint.Log2 and int.Log2 return their argument's type, 0 for 0, as BitOperations.Log2 (WGSL's log2 takes only
        // floats: the math table's entry would be refused by Dawn). int.Log2 of a negative value throws in C#; here 31.
        t[("uint", "Log2", 1)] = new((c, a) => new IrBinary(IrBinaryOp.Subtract, IrLiteral.U32(31),
            new IrBuiltinCall("countLeadingZeros", [new IrBinary(IrBinaryOp.BitOr, a[0], IrLiteral.U32(1), WgslType.U32)], WgslType.U32), WgslType.U32));
        t[("int", "Log2", 1)] = new((c, a) => new IrBinary(IrBinaryOp.Subtract, IrLiteral.I32(31),
            new IrBuiltinCall("countLeadingZeros", [new IrBinary(IrBinaryOp.BitOr, a[0], IrLiteral.I32(1), WgslType.I32)], WgslType.I32), WgslType.I32));
        t[("System.Numerics.BitOperations", "RoundUpToPowerOf2", 1)] = new((c, a) => new IrCall(c.Polyfill("roundUpToPowerOf2_u32", n =>
            "// BitOperations.RoundUpToPowerOf2 (uint): 0 for 0 and for values above 2^31, as in C#.\n" +
            $"fn {n}(value: u32) -> u32 {{\n" +
            "    let s: u32 = 32u - countLeadingZeros(value - 1u);\n" +
            "    return select(1u << (s & 31u), 0u, s == 32u);\n" +
            "}\n"), a, WgslType.U32));
        foreach (var pair in pack)
            t[("KernelGen.Pack", pair.Key, 1)] = Call(pair.Value);
        foreach (var name in new[] { "Pack4xI8", "Pack4xI8Clamp" })
            t[("KernelGen.Pack", name, 4)] = new((c, a) => new IrBuiltinCall(char.ToLowerInvariant(name[0]) + name.Substring(1), [new IrConstruct(WgslType.IVec4, a)], WgslType.U32));
        foreach (var name in new[] { "Pack4xU8", "Pack4xU8Clamp" })
            t[("KernelGen.Pack", name, 4)] = new((c, a) => new IrBuiltinCall(char.ToLowerInvariant(name[0]) + name.Substring(1), [new IrConstruct(WgslType.UVec4, a)], WgslType.U32));
        // The lane modulo 4, as the CPU form takes it (a vector index out of range is undefined in WGSL).
        t[("KernelGen.Pack", "Unpack4xI8", 2)] = new((c, a) => new IrIndex(new IrBuiltinCall("unpack4xI8", [a[0]], WgslType.IVec4), Lane(a[1]), WgslType.I32));
        t[("KernelGen.Pack", "Unpack4xU8", 2)] = new((c, a) => new IrIndex(new IrBuiltinCall("unpack4xU8", [a[0]], WgslType.UVec4), Lane(a[1]), WgslType.U32));
        t[("System.BitConverter", "SingleToInt32Bits", 1)] = new((c, a) => new IrBitcast(WgslType.I32, a[0]));
        t[("System.BitConverter", "SingleToUInt32Bits", 1)] = new((c, a) => new IrBitcast(WgslType.U32, a[0]));
        // The float direction goes through f32_from_bits (a function: constant NaN bits are a WGSL error).
        t[("System.BitConverter", "Int32BitsToSingle", 1)] = new((c, a) => new IrCall(c.Polyfill("f32_from_bits", Polyfills.F32FromBits), [new IrBitcast(WgslType.U32, a[0])], WgslType.F32));
        t[("System.BitConverter", "UInt32BitsToSingle", 1)] = new((c, a) => new IrCall(c.Polyfill("f32_from_bits", Polyfills.F32FromBits), a, WgslType.F32));
        foreach (var name in Polyfills.FloatClassifications)
        {
            foreach (var (type, half) in new[] { ("float", false), ("System.Half", true) })
            {
                string wgsl = half ? "f16" : "f32";
                string baseName = char.ToLowerInvariant(name[0]) + name.Substring(1) + "_" + wgsl;
                t[(type, name, 1)] = new((c, a) => new IrCall(c.Polyfill(baseName, Polyfills.FloatClassification(name, half)), a, WgslType.Bool));
            }
        }
        return t;
    }

    private static IrBinary Lane(IrExpr lane) => new IrBinary(IrBinaryOp.BitAnd, new IrConvert(WgslType.U32, lane), IrLiteral.U32(3), WgslType.U32);

    /// <summary>BitOperations.RotateLeft/RotateRight on uint: a function, so that each operand is evaluated once.</summary>
    private static Intrinsic Rotate(bool left) => new((c, a) =>
    {
        if (c.ArgumentTypes[0].Scalar != WgslScalar.U32)
            return new IrBuiltinCall(left ? "rotateLeft" : "rotateRight", a, c.ResultType); // not reached: ulong/nuint are rejected first
        string name = left ? "RotateLeft" : "RotateRight";
        return new IrCall(c.Polyfill(left ? "rotateLeft_u32" : "rotateRight_u32", n =>
            $"// BitOperations.{name}: the offset is taken modulo 32, as in C#.\n" +
            $"fn {n}(value: u32, offset: i32) -> u32 {{\n" +
            "    let s: u32 = u32(offset) & 31u;\n" +
            $"    return (value {(left ? "<<" : ">>")} s) | (value {(left ? ">>" : "<<")} ((32u - s) & 31u));\n" +
            "}\n"), a, WgslType.U32);
    });

    /// <summary>int.RotateLeft/RotateRight: the uint rotation of the same bits (rotateLeft_u32 / rotateRight_u32).</summary>
    private static Intrinsic RotateSigned(bool left) => new((c, a) =>
    {
        var unsigned = Rotate(left).Build(new UnsignedView(c), [new IrBitcast(WgslType.U32, a[0]), a[1]]);
        return new IrBitcast(WgslType.I32, unsigned);
    });

    /// <summary>The context of a call seen with a u32 first argument and result (int rotations through the uint ones).</summary>
    private sealed class UnsignedView(IIntrinsicContext inner) : IIntrinsicContext
    {
        public WgslType? ResultType => WgslType.U32;

        public IReadOnlyList<WgslType> ArgumentTypes => [WgslType.U32, .. inner.ArgumentTypes.Skip(1)];

        public IrCallable Polyfill(string baseName, System.Func<string, string> text) => inner.Polyfill(baseName, text);
    }

    /// <summary>
    /// MathF.Round(x, mode) (and Math/Half/float.Round): a constant mode is one built-in (ToEven round, ToZero trunc,
    /// ToNegativeInfinity floor, ToPositiveInfinity ceil); AwayFromZero and a computed mode go through a function.
    /// </summary>
    private static IrExpr RoundWithMode(IIntrinsicContext c, IrExpr x, IrExpr mode)
    {
        var type = c.ArgumentTypes[0];
        if (mode is IrLiteral { Kind: IrLiteralKind.I32 } constant && (int)constant.Bits is >= 0 and <= 4 and not 1)
            return new IrBuiltinCall(((int)constant.Bits) switch { 0 => "round", 2 => "trunc", 3 => "floor", _ => "ceil" }, [x], c.ResultType);
        return new IrCall(c.Polyfill("round_" + type.Name, n =>
            "// Round(x, MidpointRounding) as .NET defines it: 0 ToEven, 1 AwayFromZero, 2 ToZero, 3 ToNegativeInfinity,\n" +
            "// 4 ToPositiveInfinity (.NET throws for other values; here they round to even). x - trunc(x) is exact.\n" +
            $"fn {n}(x: {type.Name}, mode: i32) -> {type.Name} {{\n" +
            "    switch mode {\n" +
            "        case 1i: {\n" +
            "            let t = trunc(x);\n" +
            "            return select(t, t + sign(x), abs(x - t) >= 0.5);\n" +
            "        }\n" +
            "        case 2i: { return trunc(x); }\n" +
            "        case 3i: { return floor(x); }\n" +
            "        case 4i: { return ceil(x); }\n" +
            "        default: { return round(x); }\n" +
            "    }\n" +
            "}\n"), [x, mode], c.ResultType);
    }

    private static Intrinsic Call(string name) => new((c, a) => new IrBuiltinCall(name, a, c.ResultType));

    private static bool IsFloat(WgslType type) => type.Scalar is WgslScalar.F32 or WgslScalar.F16;

    private static IrCall MaxMinCall(IIntrinsicContext c, WgslType type, bool max, IrExpr a, IrExpr b)
        => new IrCall(c.Polyfill(Polyfills.FloatName(max ? "max" : "min", type), Polyfills.MaxMin(type, max)), [a, b], type);

    /// <summary>Max/Min: the built-in on integers; on floats .NET's NaN and signed-zero rules (Polyfills.MaxMin).</summary>
    private static Intrinsic FloatMaxMin(bool max) => new((c, a) => IsFloat(c.ArgumentTypes[0])
        ? MaxMinCall(c, c.ArgumentTypes[0], max, a[0], a[1])
        : new IrBuiltinCall(max ? "max" : "min", a, c.ResultType));

    /// <summary>Math.Clamp: the built-in on integers, .NET's comparisons on float (Polyfills.MathClampF32).</summary>
    private static Intrinsic MathClamp() => new((c, a) => c.ArgumentTypes[0].Scalar == WgslScalar.F32 && c.ArgumentTypes[0].IsScalar
        ? new IrCall(c.Polyfill("clamp_f32", Polyfills.MathClampF32), a, WgslType.F32)
        : new IrBuiltinCall("clamp", a, c.ResultType));

    /// <summary>float.Clamp, Half.Clamp and Vector2/3/4.Clamp are .NET's Min(Max(value, min), max).</summary>
    private static Intrinsic ClampThroughMaxMin() => new((c, a) =>
    {
        var type = c.ArgumentTypes[0];
        if (!IsFloat(type))
            return new IrBuiltinCall("clamp", a, c.ResultType);
        return MaxMinCall(c, type, max: false, MaxMinCall(c, type, max: true, a[0], a[1]), a[2]);
    });

    /// <summary>
    /// float.Lerp and Vector2/3/4.Lerp are value1 * (1 - amount) + value2 * amount in .NET, the first product fused
    /// with the sum (MultiplyAddEstimate: one rounding where the CPU has FMA); WGSL's mix() is computed otherwise
    /// (lavapipe: a + t * (b - a)) and differs in the last bit, and for an infinite amount. A scalar amount of a
    /// vector Lerp is splat.
    /// </summary>
    private static Intrinsic FusedLerp() => new((c, a) =>
    {
        var type = c.ArgumentTypes[0];
        IrExpr amount = type.IsVector && c.ArgumentTypes[2].IsScalar ? new IrConstruct(type, [a[2]]) : a[2];
        IrExpr one = type.Scalar == WgslScalar.F16 ? IrLiteral.F16(0x3c00) : IrLiteral.F32(1f);
        if (type.IsVector)
            one = new IrConstruct(type, [one]);
        var rest = new IrBinary(IrBinaryOp.Subtract, one, amount, type);
        return new IrBuiltinCall("fma", [a[0], rest, new IrBinary(IrBinaryOp.Multiply, a[1], amount, type)], type);
    });

    private static Intrinsic CountBits(string name) => new((c, a) => new IrConvert(WgslType.I32, new IrBuiltinCall(name, a, c.ArgumentTypes[0])));

    private static IrBuiltinCall Log(IIntrinsicContext c, IrExpr x) => new IrBuiltinCall("log", [x], c.ArgumentTypes[0]);

    /// <summary>Why Round(x, digits) is not translated, or null for other methods.</summary>
    public static string? RoundDigitsReason(IMethodSymbol method)
        => method.Name == "Round" && method.Parameters.Length >= 2 && method.Parameters[1].Type.SpecialType == SpecialType.System_Int32
            ? "rounding to decimal digits divides by a power of ten, which WGSL does not round correctly (2.5 ulp), so results would differ from C#: multiply by the power of ten, Round, and divide yourself where that difference is acceptable"
            : null;

    /// <summary>Whether <paramref name="typeKey"/> is one of the math types whose methods the table maps by name.</summary>
    public static bool IsMathType(string? typeKey) => typeKey is not null && mathTypes.Contains(typeKey);

    /// <summary>The Math/MathF methods with a WGSL translation, for diagnostics ("supported: ..."), from the table.</summary>
    public static string SupportedMath
        => string.Join(", ", SupportedMethods("System.MathF")) + "; float/Half: " + string.Join(", ", Polyfills.FloatClassifications);

    /// <summary>
    /// The methods of the math type <paramref name="type"/> (key <paramref name="typeKey"/>) that translate, for its
    /// diagnostics: the table's names that the type really declares (int has no Sqrt, float has IsNaN).
    /// </summary>
    public static string SupportedMathOf(string typeKey, INamedTypeSymbol type)
    {
        var names = SupportedMethods(typeKey).Concat(typeKey is "float" or "System.Half" ? Polyfills.FloatClassifications : [])
            .Where(name => type.GetMembers(name).Any(m => m is IMethodSymbol { DeclaredAccessibility: Accessibility.Public }))
            .Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        return names.Count > 0 ? string.Join(", ", names) : SupportedMath;
    }

    /// <summary>The names of the methods of <paramref name="typeName"/> (display form) that the table translates, sorted.</summary>
    public static IEnumerable<string> SupportedMethods(string typeName)
        => table.Keys.Where(k => k.Type == typeName).Select(k => k.Name).Distinct().OrderBy(k => k, System.StringComparer.Ordinal);

    /// <summary>Whether the table translates any method of <paramref name="typeName"/>: a missing one is listed against the rest.</summary>
    public static bool HasMethodsOf(string typeName) => table.Keys.Any(k => k.Type == typeName);

    /// <summary>
    /// Why a .NET type without WGSL translation cannot simply be rewritten by the user as a helper, or null
    /// when "write it as a static method" is the advice.
    /// </summary>
    public static string? AdviceFor(KnownTypes known, INamedTypeSymbol type) => known.IntrinsicKey(type) switch
    {
        "System.Runtime.CompilerServices.Unsafe" or "System.Runtime.InteropServices.MemoryMarshal" => "reinterpreting memory is not supported: reinterpret values with Unsafe.BitCast<TFrom, TTo>(value) (or Unsafe.As<TFrom, TTo>(ref x) read as a value) between int, uint and float",
        "System.BitConverter" => "supported are BitConverter." + string.Join(", ", table.Keys.Where(k => k.Type == "System.BitConverter").Select(k => k.Name).OrderBy(k => k, System.StringComparer.Ordinal)) + " (WGSL bitcast) and the Half forms through int/uint ((uint)BitConverter.HalfToUInt16Bits(h), BitConverter.UInt16BitsToHalf((ushort)bits))",
        "System.Threading.Thread" or "System.Threading.Monitor" or "System.Threading.Volatile" => "use Workgroup.Barrier() to synchronise the invocations of a workgroup",
        "System.Console" or "System.Diagnostics.Debug" or "System.Diagnostics.Trace" => "GPU code cannot print: write values to a Span<T> buffer parameter and read it back",
        _ => null,
    };

    /// <summary>The intrinsic for <paramref name="method"/>, or null when it has none.</summary>
    public static Intrinsic? Find(KnownTypes known, IMethodSymbol method) => Find(known, method, method.Name);

    /// <summary>
    /// The intrinsic for <paramref name="method"/> under the name <paramref name="name"/> (an explicit interface
    /// implementation such as <c>INumberBase&lt;uint&gt;.Abs</c>, reached through generic math, is looked up as <c>Abs</c>), or null.
    /// </summary>
    public static Intrinsic? Find(KnownTypes known, IMethodSymbol method, string name)
    {
        var type = method.ContainingType;
        if (type is null || method.IsGenericMethod || known.IntrinsicKey(type) is not { } typeName)
            return null;
        int arity = method.Parameters.Length;
        if (RoundDigitsReason(method) is not null)
            return null;
        if (typeName is "float" or "System.Half" && Polyfills.FloatClassifications.Contains(name)
            && !(method.IsStatic && arity == 1 && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, type)))
            return null;
        if (vectorTypes.Contains(typeName) && method.IsStatic != (name is not ("Length" or "LengthSquared")))
            return null;
        return table.TryGetValue((typeName, name, arity), out var exact) ? exact
            : table.TryGetValue((typeName, name, -1), out var any) ? any
            : null;
    }
}
