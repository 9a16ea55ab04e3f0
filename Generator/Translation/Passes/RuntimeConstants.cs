using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;

namespace KernelGen.Generator.Translation.Passes;

/// <summary>
/// WGSL evaluates a const-expression (literals, constants, and the operators, conversions and built-ins applied to
/// them) when the shader is created, and refuses one whose value overflows, shifts a bit into the sign, divides by
/// zero or is NaN or infinite. C# folds only its own constant expressions and computes the rest when it runs,
/// wrapping integers and giving infinities and NaN: <c>(int)uint.TrailingZeroCount(255u) ^ 255) &lt;&lt; 25</c>,
/// <c>MathF.Exp(1000f)</c> and <c>new Vector2(3e38f) * 10f</c> are no C# constants, but their WGSL is constant
/// and was refused by Dawn (differential seed 1962). Each operation that can fail so and whose operands are all
/// constant takes its first constant operand through <c>runtime_T(x)</c>, a function (a call is never a
/// const-expression), so that it and everything around it is computed when the kernel runs, as in C#.
/// <c>const</c> declarations and switch case selectors, which WGSL requires to be constant, are left alone.
/// </summary>
internal sealed class RuntimeConstants
{
    private readonly System.Func<string, System.Func<string, string>, IrCallable> polyfill;

    private RuntimeConstants(System.Func<string, System.Func<string, string>, IrCallable> polyfill) => this.polyfill = polyfill;

    public static void Run(IrFunction function, System.Func<string, System.Func<string, string>, IrCallable> polyfill)
        => new RuntimeConstants(polyfill).Block(function.Body);

    private void Block(IrBlock? block)
    {
        if (block is null)
            return;
        for (int i = 0; i < block.Statements.Count; i++)
        {
            var rewritten = Statement(block.Statements[i]);
            if (!ReferenceEquals(rewritten, block.Statements[i]))
            {
                rewritten.Syntax ??= block.Statements[i].Syntax;
                block.Statements[i] = rewritten;
            }
        }
    }

    private IrStmt Statement(IrStmt statement)
    {
        switch (statement)
        {
            case IrBlock block:
                Block(block);
                return block;
            case IrDeclare { Variable.Kind: IrVariableKind.Const }:
                return statement;
            case IrDeclare { Initializer: { } initializer } declare:
                return Changed(initializer, out var value) ? new IrDeclare(declare.Variable, value) : statement;
            case IrAssign assign:
            {
                bool target = Changed(assign.Target, out var t);
                bool changed = Changed(assign.Value, out var v);
                return target || changed ? new IrAssign(t, v!, assign.Compound) : statement;
            }
            case IrIncrement increment:
                return Changed(increment.Target, out var place) ? new IrIncrement(place!, increment.Increment) : statement;
            case IrCallStatement call:
                return Changed(call.Call, out var c) ? new IrCallStatement(c!) : statement;
            case IrReturn { Value: { } returned }:
                return Changed(returned, out var r) ? new IrReturn(r) : statement;
            case IrIf conditional:
                Block(conditional.Then);
                Block(conditional.Else);
                return Changed(conditional.Condition, out var condition)
                    ? new IrIf(condition!, conditional.Then, conditional.Else) { IsElseIf = conditional.IsElseIf }
                    : statement;
            case IrFor loop:
            {
                var initializer = loop.Initializer is null ? null : Statement(loop.Initializer);
                var update = loop.Update is null ? null : Statement(loop.Update);
                Block(loop.Body);
                bool changed = Changed(loop.Condition, out var forCondition);
                return changed || !ReferenceEquals(initializer, loop.Initializer) || !ReferenceEquals(update, loop.Update)
                    ? new IrFor(initializer, forCondition, update, loop.Body) : statement;
            }
            case IrWhile loop:
                Block(loop.Body);
                return Changed(loop.Condition, out var whileCondition) ? new IrWhile(whileCondition, loop.Body) : statement;
            case IrLoop loop:
                Block(loop.Body);
                Block(loop.Continuing);
                return Changed(loop.BreakIf, out var breakIf) ? new IrLoop(loop.Body, loop.Continuing, breakIf) : statement;
            case IrSwitch choice:
                foreach (var arm in choice.Cases)
                    Block(arm.Body);
                return Changed(choice.Selector, out var selector) ? new IrSwitch(selector!, choice.Cases) : statement;
            default:
                return statement;
        }
    }

    private bool Changed(IrExpr? expression, out IrExpr? result)
    {
        result = expression is null ? null : Expression(expression);
        return !ReferenceEquals(result, expression);
    }

    private IrExpr Expression(IrExpr e)
    {
        var children = e.Children;
        if (children.Count == 0)
            return e;
        IrExpr[]? rewritten = null;
        for (int i = 0; i < children.Count; i++)
        {
            var child = Expression(children[i]);
            if (!ReferenceEquals(child, children[i]))
                (rewritten ??= children.ToArray())[i] = child;
        }
        if (MayFailWhenConstant(e) && (rewritten ?? children).All(IsConstant) && !Folds(rewritten is null ? e : e.WithChildren(rewritten)))
        {
            rewritten ??= children.ToArray();
            rewritten[0] = AtRunTime(rewritten[0]);
        }
        return rewritten is null ? e : e.WithChildren(rewritten);
    }

    /// <summary>Operations whose constant evaluation WGSL can refuse (integer overflow, shifts, division by zero, NaN, infinity, out-of-range conversions).</summary>
    private static bool MayFailWhenConstant(IrExpr e) => e switch
    {
        IrBinary binary => binary.Op is IrBinaryOp.Add or IrBinaryOp.Subtract or IrBinaryOp.Multiply or IrBinaryOp.Divide
            or IrBinaryOp.Remainder or IrBinaryOp.ShiftLeft or IrBinaryOp.ShiftRight,
        IrUnary unary => unary.Op == IrUnaryOp.Negate,
        IrBuiltinCall call => call.IsPure,
        IrConvert convert => convert.Operand.Type is { Scalar: WgslScalar.F32 or WgslScalar.F16 },
        IrBitcast => true,
        _ => false,
    };

    /// <summary>
    /// Whether the constant <paramref name="e"/> is plain scalar arithmetic on literals whose value this pass can
    /// compute and WGSL accepts (<c>64i / 2i</c>, <c>u32(1i) * 4u</c>): those stay as written. Everything else that
    /// is constant (built-ins, vectors, named constants, a value WGSL would refuse) is computed at run time.
    /// </summary>
    private static bool Folds(IrExpr e) => Value(e) is not null;

    /// <summary>The value of scalar literal arithmetic (as a double, exact for i32/u32 and f32), or null where it is not known or not accepted.</summary>
    private static double? Value(IrExpr e)
    {
        switch (e)
        {
            case IrLiteral literal:
                return literal.Kind switch
                {
                    IrLiteralKind.I32 => unchecked((int)literal.Bits),
                    IrLiteralKind.U32 or IrLiteralKind.Bits => literal.Bits,
                    IrLiteralKind.F32 => System.BitConverter.ToSingle(System.BitConverter.GetBytes(literal.Bits), 0),
                    _ => null,
                };
            case IrConvert convert when convert.Type is { IsScalar: true } to && convert.Operand.Type is { IsScalar: true } from && Value(convert.Operand) is { } v:
                return (from.Scalar, to.Scalar) switch
                {
                    (WgslScalar.I32 or WgslScalar.U32, WgslScalar.I32) => unchecked((int)(uint)(long)v),
                    (WgslScalar.I32 or WgslScalar.U32, WgslScalar.U32) => unchecked((uint)(long)v),
                    (WgslScalar.I32 or WgslScalar.U32, WgslScalar.F32) => (float)v,
                    (WgslScalar.F32, WgslScalar.F32) => v,
                    _ => null,
                };
            case IrBitcast cast when cast.Type is { IsScalar: true, Scalar: WgslScalar.U32 or WgslScalar.I32 } to
                && cast.Children[0].Type is { IsScalar: true, Scalar: WgslScalar.F32 } && Value(cast.Children[0]) is { } f:
            {
                uint bits = System.BitConverter.ToUInt32(System.BitConverter.GetBytes((float)f), 0);
                return to.Scalar == WgslScalar.U32 ? bits : unchecked((int)bits);
            }
            case IrUnary { Op: IrUnaryOp.Negate } negate when negate.Type is { IsScalar: true } type && Value(negate.Operand) is { } x:
                return Checked(type.Scalar, -x);
            case IrBinary binary when binary.Type is { IsScalar: true } type && Value(binary.Left) is { } a && Value(binary.Right) is { } b:
                return binary.Op switch
                {
                    IrBinaryOp.Add => Checked(type.Scalar, a + b),
                    IrBinaryOp.Subtract => Checked(type.Scalar, a - b),
                    IrBinaryOp.Multiply => Checked(type.Scalar, a * b),
                    IrBinaryOp.Divide when b != 0 => Checked(type.Scalar, type.Scalar == WgslScalar.F32 ? a / b : System.Math.Truncate(a / b)),
                    IrBinaryOp.Remainder when b != 0 && type.Scalar != WgslScalar.F32 => Checked(type.Scalar, a % b),
                    IrBinaryOp.ShiftRight when b is >= 0 and < 32 && type.Scalar != WgslScalar.F32 => System.Math.Floor(a / System.Math.Pow(2, b)),
                    IrBinaryOp.ShiftLeft when b is >= 0 and < 32 && type.Scalar != WgslScalar.F32 => Checked(type.Scalar, a * System.Math.Pow(2, b)),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary><paramref name="v"/> where WGSL accepts it as a constant of <paramref name="scalar"/> (no overflow; f32 finite and exact enough to be the same float), else null.</summary>
    private static double? Checked(WgslScalar? scalar, double v) => scalar switch
    {
        WgslScalar.I32 => v is >= int.MinValue and <= int.MaxValue && v == System.Math.Floor(v) ? v : null,
        WgslScalar.U32 => v is >= 0 and <= uint.MaxValue && v == System.Math.Floor(v) ? v : null,
        WgslScalar.F32 => FiniteF32(v),
        _ => null,
    };

    /// <summary>v as an f32 where it is finite and did not underflow to zero (WGSL refuses the first; the second is left to run time).</summary>
    private static double? FiniteF32(double v)
    {
        float f = (float)v;
        return !float.IsInfinity(f) && !float.IsNaN(f) && (f != 0f || v == 0) ? f : null;
    }

    /// <summary>Whether WGSL evaluates <paramref name="e"/> when the shader (or pipeline, for overrides) is created.</summary>
    private static bool IsConstant(IrExpr e) => e switch
    {
        IrLiteral => true,
        IrRef reference => reference.Variable.Kind is IrVariableKind.Const or IrVariableKind.Override,
        IrCall or IrSequence => false,
        IrBuiltinCall { IsPure: false } => false,
        IrUnary { Op: IrUnaryOp.AddressOf or IrUnaryOp.Deref } => false,
        _ => e.Children.Count > 0 && e.Children.All(IsConstant),
    };

    private IrCall AtRunTime(IrExpr constant)
    {
        var type = constant.Type!;
        string mangled = new string(type.Name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray()).Replace("__", "_").TrimEnd('_');
        var function = polyfill("runtime_" + mangled, n =>
            "// A constant computed at run time: WGSL refuses a constant expression that overflows or is NaN or infinite\n" +
            "// when the shader is created, where C# computes the same operation when it runs.\n" +
            $"fn {n}(value: {type.Name}) -> {type.Name} {{\n" +
            "    return value;\n" +
            "}\n");
        return new IrCall(function, [constant], type);
    }
}
