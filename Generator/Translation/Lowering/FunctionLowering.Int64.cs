using System.Globalization;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// long and ulong (<see cref="WgslType.I64"/>, <see cref="WgslType.U64"/>): two u32 words, x low and y high. Every
/// operator is an exact polyfill (<see cref="Int64Polyfills"/>) or a componentwise WGSL operator where that is exact
/// (&amp;, |, ^, ~, ==, !=); division, remainder, float conversions and the .NET methods without a translation here
/// are KG0075/KG0076. No 64-bit value reaches a native arithmetic, shift or comparison operator.
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
                return Int64Unsupported(at, "64-bit division and remainder have no GPU translation yet: divide 32-bit values where they fit ((long)((int)a / b)), or use shifts and masks for powers of two");
            default:
                return Int64Unsupported(at, "this operator has no 64-bit GPU translation");
        }
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
    /// A conversion to or from long/ulong between integers: sign- or zero-extension, truncation to the low word,
    /// long &lt;-&gt; ulong the same bits. Float conversions are reported by <see cref="Conversion"/> first.
    /// </summary>
    private IrExpr Convert64(IrExpr value, WgslType from, WgslType to)
    {
        if (from.Is64 && to.Is64)
            return value;
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

    /// <summary>A C# conversion involving long or ulong; KG0076 for floats.</summary>
    private IrExpr? Int64Conversion(IConversionOperation op, WgslType from, WgslType to)
    {
        if (from.IsFloat || to.IsFloat)
        {
            module.Report(DiagnosticDescriptors.Int64FloatConversion, op.Syntax, Snippet(op.Syntax),
                op.Operand.Type?.ToDisplayString() ?? from.Name, op.Type?.ToDisplayString() ?? to.Name);
            return null;
        }
        if (!(from.Is64 || from.IsInteger && !from.IsVector) || !(to.Is64 || to.IsInteger && !to.IsVector))
            return Int64Unsupported(op.Syntax, $"there is no conversion between {op.Operand.Type?.ToDisplayString()} and {op.Type?.ToDisplayString()} on the GPU");
        var value = Value(op.Operand);
        return value is null ? null : Convert64(value, from, to);
    }

    /// <summary>x op= y on a long or ulong target: target = op(target, y), the value widened first as C# does.</summary>
    private IrAssign? Int64CompoundAssignment(ICompoundAssignmentOperation op, IrExpr target, WgslType targetType, IrExpr value, WgslType valueType)
    {
        if (!targetType.Is64)
        {
            Int64Unsupported(op.Syntax, "a 64-bit value is combined into a 32-bit variable: write the assignment out with a cast");
            return null;
        }
        bool shift = op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift;
        if (!shift && !valueType.Is64)
        {
            if (valueType.IsFloat || !valueType.IsInteger || valueType.IsVector)
            {
                Int64Unsupported(op.Syntax, "only integers combine with a long or ulong");
                return null;
            }
            value = Convert64(value, valueType, targetType);
            valueType = targetType;
        }
        var combined = Int64Binary(op.OperatorKind, target, targetType, value, valueType, op.Syntax);
        return combined is null ? null : new IrAssign(target, combined);
    }

    /// <summary>x++ / x-- on a long or ulong: x = x +/- 1.</summary>
    private IrAssign? Int64Increment(IrExpr target, WgslType type, bool increment, SyntaxNode at)
    {
        var result = Int64Binary(increment ? BinaryOperatorKind.Add : BinaryOperatorKind.Subtract, target, type, Int64Constant(1L, type), type, at);
        return result is null ? null : new IrAssign(target, result);
    }

    /// <summary>
    /// A .NET method (not from source) with a long or ulong parameter or result: the BitOperations this lowering
    /// translates exactly, KG0075 for every other (Math.Max(long, long), Math.BigMul, BitConverter, ...), which a
    /// built-in table entry would otherwise apply to the two words componentwise.
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
        if (target.ContainingType?.ToDisplayString() == "System.Numerics.BitOperations" && op.Arguments.Length is 1 or 2
            && target.Parameters[0].Type.SpecialType is SpecialType.System_UInt64 or SpecialType.System_Int64)
        {
            var type = MapType(target.Parameters[0].Type, op.Syntax);
            var arguments = Values(System.Linq.Enumerable.Select(op.Arguments, a => a.Value));
            if (type is null || arguments is null)
                return null;
            switch (target.Name, arguments.Count)
            {
                case ("PopCount", 1):
                    return Int64Call("u64_popcount", Int64Polyfills.PopCount, WgslType.I32, arguments[0]);
                case ("LeadingZeroCount", 1):
                    return Int64Call("u64_lzcnt", Int64Polyfills.LeadingZeroCount, WgslType.I32, arguments[0]);
                case ("TrailingZeroCount", 1):
                    return Int64Call("u64_tzcnt", Int64Polyfills.TrailingZeroCount, WgslType.I32, arguments[0]);
                case ("RotateLeft" or "RotateRight", 2):
                {
                    var countType = MapType(target.Parameters[1].Type, op.Syntax);
                    if (countType is null)
                        return null;
                    bool left = target.Name == "RotateLeft";
                    return Int64Call(left ? "u64_rotl" : "u64_rotr", Int64Polyfills.Rotate(left), type, arguments[0], Int64Count(arguments[1], countType));
                }
            }
        }
        return Int64Unsupported(op.Syntax, $"'{display}' on 64-bit integers has no GPU translation; supported on long and ulong: + - * unary - ~ & | ^ << >> >>> comparisons, " +
            "conversions to and from the integer types, BitOperations.PopCount, LeadingZeroCount, TrailingZeroCount, RotateLeft and RotateRight (write the rest as a static method in this project)");
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
