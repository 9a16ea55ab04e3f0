using System.Collections.Generic;
using System.Globalization;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// long and ulong (<see cref="WgslType.I64"/>, <see cref="WgslType.U64"/>): two u32 words, x low and y high. Every
/// operator is an exact polyfill (<see cref="Int64Polyfills"/>) or a componentwise WGSL operator where that is exact
/// (&amp;, |, ^, ~, ==, !=), division and remainder included, and the conversions to and from float and Half; the .NET
/// methods without a translation here are KG0075. No 64-bit value reaches a native arithmetic, shift or comparison operator.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>A long or ulong constant: <c>vec2&lt;u32&gt;(low, high)</c>.</summary>
    private static IrConstruct Int64Constant(object value, WgslType type)
    {
        ulong bits = value switch
        {
            ulong u => u,
            long l => unchecked((ulong)l),
            char c => c,
            _ => unchecked((ulong)System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        };
        return new IrConstruct(type, [IrLiteral.HexBits(unchecked((uint)bits)), IrLiteral.HexBits((uint)(bits >> 32))]);
    }

    private IrCall Int64Call(string name, System.Func<string, string> text, WgslType result, params IrExpr[] arguments)
        => new(module.RequirePolyfill(name, text), arguments, result);

    /// <summary>A shift or rotation count: a u32 (C# masks it to 0..63 inside the polyfill).</summary>
    private static IrExpr Int64Count(IrExpr count, WgslType countType)
    {
        if (count is IrLiteral { Kind: IrLiteralKind.I32 or IrLiteralKind.U32 } literal)
            return IrLiteral.U32(literal.Bits & 63u);
        return countType.Scalar == WgslScalar.U32 && countType.IsScalar ? count : new IrConvert(WgslType.U32, count);
    }

    /// <summary>A binary operator with a long or ulong operand; null (reported) for the ones without an exact form.</summary>
    private IrExpr? Int64Binary(BinaryOperatorKind kind, IrExpr left, WgslType leftType, IrExpr right, WgslType rightType, SyntaxNode at)
    {
        if (kind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
        {
            if (!leftType.Is64 || !rightType.IsInteger || rightType.IsVector)
                return Int64Unsupported(at, "a 64-bit value is shifted by an int count");
            var count = Int64Count(right, rightType);
            return kind switch
            {
                BinaryOperatorKind.LeftShift => Int64Call("i64_shl", Int64Polyfills.ShiftLeft, leftType, left, count),
                BinaryOperatorKind.RightShift when leftType == WgslType.I64 => Int64Call("i64_shr", Int64Polyfills.ShiftRight(arithmetic: true), leftType, left, count),
                _ => Int64Call("u64_shr", Int64Polyfills.ShiftRight(arithmetic: false), leftType, left, count),
            };
        }
        if (!leftType.Is64 || !rightType.Is64)
            return Int64Unsupported(at, "both operands of a 64-bit operator must be long or ulong: cast the other one");
        bool signed = leftType == WgslType.I64 && rightType == WgslType.I64;
        switch (kind)
        {
            case BinaryOperatorKind.Add:
                return Int64Call("i64_add", Int64Polyfills.Add, leftType, left, right);
            case BinaryOperatorKind.Subtract:
                return Int64Call("i64_sub", Int64Polyfills.Subtract, leftType, left, right);
            case BinaryOperatorKind.Multiply:
                return Int64Call("i64_mul", Int64Polyfills.Multiply, leftType, left, right);
            case BinaryOperatorKind.And:
                return new IrBinary(IrBinaryOp.BitAnd, left, right, leftType); // componentwise: exact
            case BinaryOperatorKind.Or:
                return new IrBinary(IrBinaryOp.BitOr, left, right, leftType);
            case BinaryOperatorKind.ExclusiveOr:
                return new IrBinary(IrBinaryOp.BitXor, left, right, leftType);
            case BinaryOperatorKind.Equals:
                return new IrBuiltinCall("all", [new IrBinary(IrBinaryOp.Equal, left, right, WgslType.BVec2)], WgslType.Bool);
            case BinaryOperatorKind.NotEquals:
                return new IrBuiltinCall("any", [new IrBinary(IrBinaryOp.NotEqual, left, right, WgslType.BVec2)], WgslType.Bool);
            case BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual:
            {
                string op = kind switch
                {
                    BinaryOperatorKind.LessThan => "lt",
                    BinaryOperatorKind.LessThanOrEqual => "le",
                    BinaryOperatorKind.GreaterThan => "gt",
                    _ => "ge",
                };
                return Int64Call((signed ? "i64_" : "u64_") + op, Int64Polyfills.Compare(op, signed), WgslType.Bool, left, right);
            }
            case BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder:
                return new IrSwizzle(new IrCall(DivMod64(signed), [left, right], WgslType.UVec4), kind == BinaryOperatorKind.Divide ? "xy" : "zw", leftType);
            default:
                return Int64Unsupported(at, "this operator has no 64-bit GPU translation");
        }
    }

    /// <summary>The polyfill that gives a 64-bit quotient (xy) and remainder (zw) at once: i64_divmod or u64_divmod.</summary>
    private IrPolyfill DivMod64(bool signed)
    {
        var unsigned = module.RequirePolyfill("u64_divmod", Int64Polyfills.DivModUnsigned);
        return signed ? module.RequirePolyfill("i64_divmod", Int64Polyfills.DivModSigned(unsigned.Name)) : unsigned;
    }

    /// <summary>Unary -, ~ and + of a long or ulong.</summary>
    private IrExpr? Int64Unary(UnaryOperatorKind kind, IrExpr operand, WgslType type, SyntaxNode at) => kind switch
    {
        UnaryOperatorKind.Plus => operand,
        UnaryOperatorKind.Minus => Int64Call("i64_neg", Int64Polyfills.Negate, type, operand),
        UnaryOperatorKind.BitwiseNegation => new IrUnary(IrUnaryOp.BitNot, operand), // componentwise: exact
        _ => Int64Unsupported(at, "this operator has no 64-bit GPU translation"),
    };

    /// <summary>
    /// A conversion to or from long/ulong: from and to the integers sign- or zero-extension, truncation to the low word,
    /// long &lt;-&gt; ulong the same bits; from and to float and Half the exact polyfills (C#'s rounding to nearest even,
    /// .NET 9's saturating truncation).
    /// </summary>
    private IrExpr Convert64(IrExpr value, WgslType from, WgslType to)
    {
        if (from.Is64 && to.Is64)
            return value;
        bool signed = from == WgslType.I64 || to == WgslType.I64;
        if (from.Is64 && to.IsFloat && to.IsScalar)
        {
            bool half = to.Scalar == WgslScalar.F16;
            var unsigned = half
                ? module.RequirePolyfill("u64_to_f16", Int64Polyfills.UnsignedToF16(module.RequirePolyfill("f16_from_bits", Polyfills.F16FromBits).Name))
                : module.RequirePolyfill("u64_to_f32", Int64Polyfills.UnsignedToF32);
            var callee = signed ? module.RequirePolyfill(half ? "i64_to_f16" : "i64_to_f32", Int64Polyfills.SignedToFloat(unsigned.Name, to.Name)) : unsigned;
            return new IrCall(callee, [value], to);
        }
        if (to.Is64 && from.IsFloat && from.IsScalar)
        {
            // A Half widens to f32 exactly; the polyfill reads the f32's bits.
            var single = from.Scalar == WgslScalar.F16 ? new IrConvert(WgslType.F32, value) : value;
            return Int64Call(signed ? "f32_to_i64" : "f32_to_u64", Int64Polyfills.FromF32(signed), to, single);
        }
        if (from.Is64)
        {
            if (!to.IsInteger || to.IsVector)
                throw new System.InvalidOperationException($"a 64-bit value converted to {to.Name} reached lowering unreported");
            var low = new IrSwizzle(value, "x", WgslType.U32);
            if (to.NarrowBits > 0)
                return ToNarrow(low, WgslType.U32, to);
            return to.Scalar == WgslScalar.I32 ? new IrConvert(WgslType.I32, low) : low;
        }
        if (!from.IsInteger || from.IsVector)
            throw new System.InvalidOperationException($"a {from.Name} converted to a 64-bit integer reached lowering unreported");
        return from.Scalar == WgslScalar.I32
            ? Int64Call("i64_from_i32", Int64Polyfills.FromI32, to, value)
            : new IrConstruct(to, [value, IrLiteral.U32(0)]);
    }

    /// <summary>A C# conversion involving long or ulong: between the 64-bit integers and the integer and float scalars.</summary>
    private IrExpr? Int64Conversion(IConversionOperation op, WgslType from, WgslType to)
    {
        static bool Scalar(WgslType t) => t.Is64 || (t.IsInteger || t.IsFloat) && t.IsScalar;
        if (!Scalar(from) || !Scalar(to))
            return Int64Unsupported(op.Syntax, $"there is no conversion between {op.Operand.Type?.ToDisplayString()} and {op.Type?.ToDisplayString()} on the GPU");
        var value = Value(op.Operand);
        return value is null ? null : Convert64(value, from, to);
    }

    /// <summary>
    /// x op= y with a long or ulong on either side: C#'s x = (T)(x op y), the operator on the wider operand type (a float
    /// where one side is a float, else the 64-bit one), both converted to it first.
    /// </summary>
    private IrAssign? Int64CompoundAssignment(ICompoundAssignmentOperation op, IrExpr target, WgslType targetType, IrExpr value, WgslType valueType)
    {
        static bool Scalar(WgslType t) => t.Is64 || (t.IsInteger || t.IsFloat) && t.IsScalar;
        if (!Scalar(targetType) || !Scalar(valueType))
        {
            Int64Unsupported(op.Syntax, "only integers and floats combine with a long or ulong");
            return null;
        }
        bool shift = op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift;
        if (shift)
        {
            var shifted = Int64Binary(op.OperatorKind, target, targetType, value, valueType, op.Syntax);
            return shifted is null ? null : new IrAssign(target, shifted);
        }
        var operand = targetType.IsFloat ? targetType : valueType.IsFloat ? valueType : targetType.Is64 ? targetType : valueType;
        var combined = BinaryOperator(op.OperatorKind, Convert(target, targetType, operand), operand, Convert(value, valueType, operand), operand, op.Syntax);
        return combined is null ? null : new IrAssign(target, Convert(combined, operand, targetType));
    }

    /// <summary>x++ / x-- on a long or ulong: x = x +/- 1.</summary>
    private IrAssign? Int64Increment(IrExpr target, WgslType type, bool increment, SyntaxNode at)
    {
        var result = Int64Binary(increment ? BinaryOperatorKind.Add : BinaryOperatorKind.Subtract, target, type, Int64Constant(1L, type), type, at);
        return result is null ? null : new IrAssign(target, result);
    }

    /// <summary>
    /// A .NET method (not from source) with a long or ulong parameter or result: the Math, BitOperations and long/ulong
    /// members this lowering translates exactly, KG0075 for every other (Math.BigMul(long, long, out long), BitConverter,
    /// ...), which a built-in table entry would otherwise apply to the two words componentwise.
    /// </summary>
    private IrExpr? Int64Invocation(IInvocationOperation op, out bool handled)
    {
        var target = op.TargetMethod;
        handled = false;
        if (target.DeclaringSyntaxReferences.Length > 0)
            return null;
        bool touches = IsInt64Symbol(target.ReturnType) || (target.ContainingType is { } containing && IsInt64Symbol(containing) && !target.IsStatic);
        foreach (var parameter in target.Parameters)
            touches |= IsInt64Symbol(parameter.Type);
        if (!touches)
            return null;
        handled = true;
        string display = target.ContainingType?.ToDisplayString() + "." + target.Name;
        if (Int64Method(op) is { } method)
        {
            if (ReversedClampBounds(op) is { } reversed)
            {
                Unsupported(op, $"its bounds are reversed (min {reversed.Min} > max {reversed.Max}): C# throws ArgumentException for that; swap them");
                return null;
            }
            var operands = new List<IOperation>();
            if (!target.IsStatic && op.Instance is not null)
                operands.Add(op.Instance);
            operands.AddRange(System.Linq.Enumerable.Select(op.Arguments, a => a.Value));
            var arguments = Values(operands);
            if (arguments is null)
                return null;
            var types = new List<WgslType>();
            foreach (var operand in operands)
            {
                if (MapType(operand.Type, operand.Syntax) is not { } type)
                    return null;
                types.Add(type);
            }
            var result = target.ReturnsVoid ? null : MapType(target.ReturnType, op.Syntax);
            if (result is null && !target.ReturnsVoid)
                return null;
            return method(arguments, types, result) ?? Int64Unsupported(op.Syntax, $"'{display}' has no GPU translation for these argument types");
        }
        return Int64Unsupported(op.Syntax, $"'{display}' on 64-bit integers has no GPU translation; translated for long and ulong are + - * / % unary - ~ & | ^ << >> >>> comparisons, " +
            "conversions to and from the integer types, float and Half, Math.Max, Min, Clamp, Abs, Sign, DivRem(a, b), BigMul(int, int), BigMul(uint, uint), CompareTo, long.CopySign, " +
            "IsNegative, IsPositive, IsEvenInteger, IsOddInteger, and PopCount, LeadingZeroCount, TrailingZeroCount, RotateLeft, RotateRight, Log2, IsPow2 (BitOperations and long/ulong) (write the rest as a static method in this project)");
    }

    /// <summary>
    /// The translation of a .NET method on long/ulong, from the lowered arguments (the receiver first), their types and
    /// the result type; null when the method has none.
    /// </summary>
    private System.Func<List<IrExpr>, List<WgslType>, WgslType?, IrExpr?>? Int64Method(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        string? owner = target.ContainingType?.SpecialType switch
        {
            SpecialType.System_Int64 or SpecialType.System_UInt64 => "integer",
            SpecialType.System_Int32 or SpecialType.System_UInt32 when target.Name == "BigMul" => "Math", // int.BigMul is Math.BigMul

            _ => target.ContainingType?.ToDisplayString() switch
            {
                "System.Math" => "Math",
                "System.Numerics.BitOperations" => "BitOperations",
                _ => null,
            },
        };
        if (owner is null || target.IsGenericMethod)
            return null;
        int count = target.Parameters.Length + (target.IsStatic ? 0 : 1);
        bool AllOf(SpecialType type) => System.Linq.Enumerable.All(target.Parameters, p => p.Type.SpecialType == type)
            && (target.IsStatic || target.ContainingType!.SpecialType == type);
        bool signed = AllOf(SpecialType.System_Int64);
        bool wide = signed || AllOf(SpecialType.System_UInt64);
        string s = signed ? "i64" : "u64";
        // An int count, a bool or int result of a 64-bit member (long.PopCount returns long: widened).
        IrExpr Sized(IrExpr value, WgslType? result) => result is { Is64: true } ? new IrConstruct(result, [new IrConvert(WgslType.U32, value), IrLiteral.U32(0)]) : value;
        switch (owner, target.Name, count)
        {
            case ("Math" or "integer", "Max" or "Min", 2) when wide && target.IsStatic:
            {
                bool max = target.Name == "Max";
                return (a, t, r) => Int64Call($"{s}_{(max ? "max" : "min")}", Int64Polyfills.MinMax(max, signed), t[0], a[0], a[1]);
            }
            case ("Math" or "integer", "Clamp", 3) when wide && target.IsStatic:
                return (a, t, r) => Int64Call(s + "_clamp", Int64Polyfills.Clamp(signed), t[0], a[0], a[1], a[2]);
            case ("Math" or "integer", "Abs", 1) when wide && target.IsStatic:
                return (a, t, r) => signed ? Int64Call("i64_abs", Int64Polyfills.Abs, t[0], a[0]) : a[0];
            case ("Math" or "integer", "Sign", 1) when wide && target.IsStatic:
                return (a, t, r) => Int64Call(s + "_sign", Int64Polyfills.Sign(signed), WgslType.I32, a[0]);
            case ("integer", "CompareTo", 2) when wide && !target.IsStatic:
                return (a, t, r) => Int64Call(s + "_compare", Int64Polyfills.CompareTo(signed), WgslType.I32, a[0], a[1]);
            case ("integer", "CopySign", 2) when signed && target.IsStatic:
                return (a, t, r) => Int64Call("i64_copySign", Int64Polyfills.CopySign, t[0], a[0], a[1]);
            case ("integer", "IsNegative" or "IsPositive", 1) when signed && target.IsStatic:
            {
                // The sign bit of the high word.
                var op2 = target.Name == "IsNegative" ? IrBinaryOp.NotEqual : IrBinaryOp.Equal;
                return (a, t, r) => new IrBinary(op2, new IrBinary(IrBinaryOp.ShiftRight, new IrSwizzle(a[0], "y", WgslType.U32), IrLiteral.U32(31), WgslType.U32), IrLiteral.U32(0), WgslType.Bool);
            }
            case ("integer", "IsEvenInteger" or "IsOddInteger", 1) when wide && target.IsStatic:
            {
                var op2 = target.Name == "IsEvenInteger" ? IrBinaryOp.Equal : IrBinaryOp.NotEqual;
                return (a, t, r) => new IrBinary(op2, new IrBinary(IrBinaryOp.BitAnd, new IrSwizzle(a[0], "x", WgslType.U32), IrLiteral.U32(1), WgslType.U32), IrLiteral.U32(0), WgslType.Bool);
            }
            case ("Math" or "integer", "DivRem", 2) when wide && target.IsStatic:
                // (quotient, remainder): both halves of one divmod polyfill's result.
                return (a, t, r) => r is { IsTuple: true }
                    ? new IrConstruct(r, [new IrSwizzle(new IrCall(DivMod64(signed), [a[0], a[1]], WgslType.UVec4), "xy", t[0]),
                        new IrSwizzle(new IrCall(DivMod64(signed), [a[0], a[1]], WgslType.UVec4), "zw", t[0])])
                    : null;
            case ("Math", "BigMul", 2) when AllOf(SpecialType.System_Int32) || AllOf(SpecialType.System_UInt32):
                // The exact product of two 32-bit values fits in 64 bits: the low 64 bits of the widened product.
                return (a, t, r) => r is null ? null : Int64Call("i64_mul", Int64Polyfills.Multiply, r, Convert64(a[0], t[0], r), Convert64(a[1], t[1], r));
        }
        bool bits = owner == "BitOperations" || owner == "integer" && target.IsStatic;
        var first = target.Parameters.Length > 0 ? target.Parameters[0].Type.SpecialType : SpecialType.None;
        if (!bits || first is not (SpecialType.System_Int64 or SpecialType.System_UInt64))
            return null;
        bool signedValue = first == SpecialType.System_Int64;
        switch (target.Name, count)
        {
            case ("PopCount", 1):
                return (a, t, r) => Sized(Int64Call("u64_popcount", Int64Polyfills.PopCount, WgslType.I32, a[0]), r);
            case ("LeadingZeroCount", 1):
                return (a, t, r) => Sized(Int64Call("u64_lzcnt", Int64Polyfills.LeadingZeroCount, WgslType.I32, a[0]), r);
            case ("TrailingZeroCount", 1):
                return (a, t, r) => Sized(Int64Call("u64_tzcnt", Int64Polyfills.TrailingZeroCount, WgslType.I32, a[0]), r);
            case ("Log2", 1):
                // long.Log2 of a negative value throws in C#; here 63, as int.Log2 gives 31.
                return (a, t, r) => Sized(Int64Call("u64_log2", Int64Polyfills.Log2, WgslType.I32, a[0]), r);
            case ("IsPow2", 1):
                return (a, t, r) => Int64Call(signedValue ? "i64_isPow2" : "u64_isPow2", Int64Polyfills.IsPow2(signedValue), WgslType.Bool, a[0]);
            case ("RotateLeft" or "RotateRight", 2):
            {
                bool left = target.Name == "RotateLeft";
                return (a, t, r) => Int64Call(left ? "u64_rotl" : "u64_rotr", Int64Polyfills.Rotate(left), t[0], a[0], Int64Count(a[1], t[1]));
            }
        }
        return null;
    }

    private static bool IsInt64Symbol(ITypeSymbol? type) => type is { SpecialType: SpecialType.System_Int64 or SpecialType.System_UInt64 };

    private IrExpr? Int64Unsupported(SyntaxNode at, string why)
    {
        module.Report(DiagnosticDescriptors.UnsupportedInt64Operation, at, Snippet(at), why);
        return null;
    }

    /// <summary>
    /// The guard behind every hook above: a 64-bit value that reached a WGSL operator, conversion, built-in or compound
    /// assignment (which would work on each word separately, silently wrong) is reported instead of printed.
    /// </summary>
    private void CheckNo64BitNativeOperations()
    {
        var finder = new Native64Finder();
        finder.Walk(function);
        if (finder.Found is null)
            return;
        var location = method.Locations.Length > 0 ? method.Locations[0] : null;
        module.Report(DiagnosticDescriptors.UnsupportedInt64Operation, location, method.Name,
            $"a 64-bit value reaches a WGSL operation that would act on its two words separately ({finder.Found}); rewrite that expression with the operators kernel-language.md lists for long and ulong, and please report it");
    }

    private sealed class Native64Finder : IrWalker
    {
        public string? Found { get; private set; }

        public override void Expression(IrExpr? expression)
        {
            if (Found is null && expression is not null && Native(expression) is { } what)
                Found = what;
            base.Expression(expression);
        }

        protected override void Assign(IrAssign assign)
        {
            if (Found is null && assign.Compound is { } compound && assign.Target?.Type is { Is64: true })
                Found = "compound " + compound;
            base.Assign(assign);
        }

        protected override void Increment(IrIncrement increment)
        {
            if (Found is null && increment.Target.Type is { Is64: true })
                Found = "++/--";
            base.Increment(increment);
        }

        private static bool Wide(IrExpr? e) => e?.Type is { Is64: true };

        private static string? Native(IrExpr e) => e switch
        {
            IrBinary b when (Wide(b.Left) || Wide(b.Right)) && !(b.Op is IrBinaryOp.BitAnd or IrBinaryOp.BitOr or IrBinaryOp.BitXor
                || b.Op is IrBinaryOp.Equal or IrBinaryOp.NotEqual && b.Type == WgslType.BVec2) => "operator " + b.Op,
            IrUnary u when Wide(u.Operand) && u.Op is not (IrUnaryOp.BitNot or IrUnaryOp.AddressOf or IrUnaryOp.Deref) => "unary " + u.Op,
            IrConvert c when Wide(c) || Wide(c.Operand) => "conversion",
            IrBitcast c when Wide(c) || Wide(c.Operand) => "bitcast",
            IrBuiltinCall call when Wide(call) || System.Linq.Enumerable.Any(call.Arguments, Wide) => call.Name + "()",
            IrIndex index when Wide(index.Index) => "index",
            _ => null,
        };
    }
}
