using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;

namespace KernelGen.Generator.Translation.Printing;

/// <summary>
/// The only place that turns IR into WGSL text: one statement per line, four-space indents, C# names,
/// parentheses by WGSL's operator classes (<see cref="WgslPrecedence"/>).
/// </summary>
internal static class WgslPrinter
{
    public static string Print(IrModule module)
    {
        var w = new SourceWriter();
        foreach (var line in module.Header)
            w.Line(line);
        foreach (var enable in module.Enables)
        {
            w.Line();
            w.Line($"enable {enable};");
        }
        foreach (var type in module.Structs)
        {
            w.Line();
            w.Open($"struct {type.Name} {{");
            foreach (var field in type.Fields)
                w.Line($"{field.Name}: {field.Type.Name},");
            w.Close();
        }
        if (module.UniformMembers.Count > 0)
        {
            w.Line();
            w.Open($"struct {WgslNames.UniformStruct} {{");
            foreach (var u in module.UniformMembers)
                w.Line($"{u.Attributes}{u.Name}: {u.Type.Name},");
            w.Close();
        }
        if (module.Overrides.Count > 0)
        {
            // [Specialize] parameters: their values are given when the pipeline is created.
            w.Line();
            foreach (var o in module.Overrides)
                w.Line($"override {o.Name}: {o.Type.Name};");
        }
        if (module.Constants.Count > 0)
        {
            // Lookup tables: C# static readonly arrays and ReadOnlySpan properties with constant elements.
            w.Line();
            foreach (var (variable, value) in module.Constants)
                w.Line($"const {variable.Name}: {variable.Type.Name} = {Expression(value)};");
        }
        if (module.Globals.Count > 0)
            w.Line();
        foreach (var global in module.Globals)
        {
            var v = global.Variable;
            w.Line(v.Kind switch
            {
                IrVariableKind.ReadOnlyStorageBuffer => $"@group(0) @binding({global.Binding}) var<storage, read> {v.Name}: array<{v.AtomicElement ?? v.Type.Name}>;",
                IrVariableKind.StorageBuffer => $"@group(0) @binding({global.Binding}) var<storage, read_write> {v.Name}: array<{v.AtomicElement ?? v.Type.Name}>;",
                IrVariableKind.Workgroup => $"var<workgroup> {v.Name}: array<{v.AtomicElement ?? v.Type.Name}, {global.WorkgroupLengthName ?? global.WorkgroupLength.ToString(System.Globalization.CultureInfo.InvariantCulture)}>;",
                IrVariableKind.Private => $"var<private> {v.Name}: {v.Type.Name};",
                _ => $"@group(0) @binding({global.Binding}) var<uniform> {v.Name}: {v.Type.Name};",
            });
        }
        foreach (var polyfill in module.Polyfills)
        {
            w.Line();
            w.Raw(polyfill.Text);
        }
        foreach (var function in module.Functions)
        {
            w.Line();
            Function(w, function);
        }
        if (module.EntryPoint is { } entry)
        {
            w.Line();
            Function(w, entry);
        }
        return w.ToString();
    }

    private static void Function(SourceWriter w, IrFunction function)
    {
        if (function.Comment is not null)
            w.Line(function.Comment);
        if (function.WorkgroupSize is { } size)
        {
            var names = function.WorkgroupSizeNames;
            w.Line($"@compute @workgroup_size({names[0] ?? Int(size.X)}, {names[1] ?? Int(size.Y)}, {names[2] ?? Int(size.Z)})");
            var builtins = function.BuiltinParameters.Select(b => $"@builtin({b.Builtin}) {b.Variable.Name}: {b.Variable.Type.Name}");
            w.Open($"fn {function.Name}({string.Join(", ", builtins)}) {{");
        }
        else
        {
            var parameters = function.Parameters.Select(p => $"{p.Name}: {p.Type.Name}");
            string returns = function.ReturnType is null ? "" : " -> " + function.ReturnType.Name;
            w.Open($"fn {function.Name}({string.Join(", ", parameters)}){returns} {{");
        }
        Statements(w, function.Body);
        w.Close();
    }

    private static string Int(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Statements(SourceWriter w, IrBlock block)
    {
        foreach (var statement in block.Statements)
            Statement(w, statement);
    }

    private static void Statement(SourceWriter w, IrStmt statement)
    {
        switch (statement)
        {
            case IrBlock block:
                w.Open("{");
                Statements(w, block);
                w.Close();
                break;
            case IrIf conditional:
                If(w, conditional);
                break;
            case IrFor loop:
                w.Open($"for ({(loop.Initializer is null ? "" : Simple(loop.Initializer))}; {(loop.Condition is null ? "" : Expression(loop.Condition))}; {(loop.Update is null ? "" : Simple(loop.Update))}) {{");
                Statements(w, loop.Body);
                w.Close();
                break;
            case IrWhile loop:
                w.Open($"while ({(loop.Condition is null ? "true" : Expression(loop.Condition))}) {{");
                Statements(w, loop.Body);
                w.Close();
                break;
            case IrLoop loop:
                w.Open("loop {");
                Statements(w, loop.Body);
                if (loop.Continuing is not null || loop.BreakIf is not null)
                {
                    w.Open("continuing {");
                    if (loop.Continuing is not null)
                        Statements(w, loop.Continuing);
                    if (loop.BreakIf is not null)
                        w.Line($"break if {Expression(loop.BreakIf)};");
                    w.Close();
                }
                w.Close();
                break;
            case IrSwitch sw:
                w.Open($"switch ({Expression(sw.Selector)}) {{");
                foreach (var section in sw.Cases)
                {
                    var selectors = section.Selectors.Select(s => s is null ? "default" : Expression(s)).ToList();
                    w.Open(selectors.Count == 1 && selectors[0] == "default" ? "default: {" : $"case {string.Join(", ", selectors)}: {{");
                    Statements(w, section.Body);
                    w.Close();
                }
                if (!sw.Cases.Any(c => c.Selectors.Contains(null)))
                    w.Line("default: {}");
                w.Close();
                break;
            default:
                w.Line(Simple(statement) + ";");
                break;
        }
    }

    private static void If(SourceWriter w, IrIf conditional)
    {
        w.Open($"if ({Expression(conditional.Condition)}) {{");
        Statements(w, conditional.Then);
        var otherwise = conditional.Else;
        while (otherwise is { Statements.Count: 1 } && otherwise.Statements[0] is IrIf { IsElseIf: true } elseIf)
        {
            w.Close($"}} else if ({Expression(elseIf.Condition)}) {{");
            w.Indent++;
            Statements(w, elseIf.Then);
            otherwise = elseIf.Else;
        }
        if (otherwise is not null)
        {
            w.Close("} else {");
            w.Indent++;
            Statements(w, otherwise);
        }
        w.Close();
    }

    /// <summary>A statement that fits on one line, without its semicolon (also the parts of a for header).</summary>
    private static string Simple(IrStmt statement) => statement switch
    {
        IrDeclare { Variable.Kind: IrVariableKind.Const } d => $"const {d.Variable.Name}: {d.Variable.Type.Name} = {Expression(d.Initializer!)}",
        IrDeclare { Initializer: null } d => $"var {d.Variable.Name}: {d.Variable.Type.Name}",
        IrDeclare d => $"{(d.Variable.Kind == IrVariableKind.Var ? "var" : "let")} {d.Variable.Name}: {d.Variable.Type.Name} = {Expression(d.Initializer)}",
        IrAssign { Target: null } a => "_ = " + Expression(a.Value),
        IrAssign { Compound: { } op } a => $"{Expression(a.Target!)} {Symbol(op, a.Target!.Type)}= {Expression(a.Value)}",
        IrAssign a => $"{Expression(a.Target!)} = {Expression(a.Value)}",
        IrIncrement i => Expression(i.Target) + (i.Increment ? "++" : "--"),
        IrCallStatement c => Expression(c.Call),
        IrBreak => "break",
        IrContinue => "continue",
        IrReturn { Value: null } => "return",
        IrReturn r => "return " + Expression(r.Value),
        IrBarrier { Kind: IrBarrierKind.Workgroup } => "workgroupBarrier()",
        IrBarrier => "storageBarrier()",
        _ => throw new System.InvalidOperationException("no single-line form for " + statement.GetType().Name),
    };

    public static string Expression(IrExpr expression) => Print(expression).Text;

    private static (string Text, WgslPrecedence Precedence) Print(IrExpr expression)
    {
        switch (expression)
        {
            case IrLiteral literal:
            {
                string text = Literal(literal);
                return (text, text[0] == '-' ? WgslPrecedence.Unary : WgslPrecedence.Primary);
            }
            case IrRef reference:
                return (reference.Variable.Name, WgslPrecedence.Primary);
            case IrUnary unary:
            {
                string text = Operand(unary.Operand, WgslPrecedence.Unary);
                return (unary.Op switch
                {
                    // "- -x" must not become "--x".
                    IrUnaryOp.Negate => "-" + (text.StartsWith("-", System.StringComparison.Ordinal) ? "(" + text + ")" : text),
                    IrUnaryOp.Not => "!" + text,
                    IrUnaryOp.BitNot => "~" + text,
                    IrUnaryOp.Deref => "*" + text,
                    _ => "&" + text,
                }, WgslPrecedence.Unary);
            }
            case IrBinary binary:
            {
                var precedence = Class(binary.Op);
                var left = Operand(binary.Left, precedence);
                var symbol = Symbol(binary.Op, binary.Left.Type);
                var rightText = Operand(binary.Right, precedence, right: true);
                // WGSL reads `name < ... >` as a template list (`j < k >> 7u` fails as "j does not take template arguments"):
                // after an identifier, a bare `<` whose right side holds a `>` gets the identifier parenthesised.
                if (symbol == "<" && rightText.Contains('>') && left.Length > 0 && (char.IsLetterOrDigit(left[left.Length - 1]) || left[left.Length - 1] == '_'))
                    left = "(" + left + ")";
                return ($"{left} {symbol} {rightText}", precedence);
            }
            case IrCall call:
                return ($"{call.Callee.Name}({Arguments(call.Arguments)})", WgslPrecedence.Primary);
            case IrBuiltinCall call:
                return ($"{call.Name}({Arguments(call.Arguments)})", WgslPrecedence.Primary);
            case IrConstruct construct:
                return ($"{construct.Type!.Name}({Arguments(construct.Arguments)})", WgslPrecedence.Primary);
            case IrConvert convert:
                return ($"{convert.Type!.Name}({Expression(convert.Operand)})", WgslPrecedence.Primary);
            case IrBitcast bitcast:
                return ($"bitcast<{bitcast.Type!.Name}>({Expression(bitcast.Operand)})", WgslPrecedence.Primary);
            case IrMember member:
                return (Operand(member.Instance, WgslPrecedence.Primary) + "." + member.Member, WgslPrecedence.Primary);
            case IrSwizzle swizzle:
                return (Operand(swizzle.Vector, WgslPrecedence.Primary) + "." + swizzle.Components, WgslPrecedence.Primary);
            case IrIndex index:
                return ($"{Operand(index.Array, WgslPrecedence.Primary)}[{Expression(index.Index)}]", WgslPrecedence.Primary);
            case IrConditional conditional:
                return ($"select({Expression(conditional.WhenFalse)}, {Expression(conditional.WhenTrue)}, {Expression(conditional.Condition)})", WgslPrecedence.Primary);
            default:
                throw new System.InvalidOperationException("no printer for " + expression.GetType().Name);
        }
    }

    private static string Arguments(IReadOnlyList<IrExpr> arguments) => string.Join(", ", arguments.Select(Expression));

    private static string Operand(IrExpr operand, WgslPrecedence parent, bool right = false)
    {
        var (text, precedence) = Print(operand);
        return WgslParentheses.AsOperand(text, precedence, parent, right);
    }

    private static string Literal(IrLiteral literal) => literal.Kind switch
    {
        IrLiteralKind.Bool => WgslLiteral.Bool(literal.Bits != 0),
        IrLiteralKind.I32 => WgslLiteral.Int(unchecked((int)literal.Bits)),
        IrLiteralKind.U32 => WgslLiteral.UInt(literal.Bits),
        IrLiteralKind.Bits => WgslLiteral.Bits(literal.Bits),
        IrLiteralKind.F32 => WgslLiteral.Float(System.BitConverter.ToSingle(System.BitConverter.GetBytes(literal.Bits), 0))
            ?? throw new System.InvalidOperationException("a non-finite f32 literal"),
        _ => WgslLiteral.Half((ushort)literal.Bits) ?? throw new System.InvalidOperationException("a non-finite f16 literal"),
    };

    private static WgslPrecedence Class(IrBinaryOp op) => op switch
    {
        IrBinaryOp.Add or IrBinaryOp.Subtract => WgslPrecedence.Additive,
        IrBinaryOp.Multiply or IrBinaryOp.Divide or IrBinaryOp.Remainder => WgslPrecedence.Multiplicative,
        IrBinaryOp.ShiftLeft or IrBinaryOp.ShiftRight => WgslPrecedence.Shift,
        IrBinaryOp.BitAnd => WgslPrecedence.BitAnd,
        IrBinaryOp.BitOr => WgslPrecedence.BitOr,
        IrBinaryOp.BitXor => WgslPrecedence.BitXor,
        IrBinaryOp.LogicalAnd => WgslPrecedence.LogicalAnd,
        IrBinaryOp.LogicalOr => WgslPrecedence.LogicalOr,
        _ => WgslPrecedence.Relational,
    };

    private static string Symbol(IrBinaryOp op, WgslType? operandType) => op switch
    {
        IrBinaryOp.Add => "+",
        IrBinaryOp.Subtract => "-",
        IrBinaryOp.Multiply => "*",
        IrBinaryOp.Divide => "/",
        IrBinaryOp.Remainder => "%",
        IrBinaryOp.ShiftLeft => "<<",
        IrBinaryOp.ShiftRight => ">>",
        IrBinaryOp.BitAnd => "&",
        IrBinaryOp.BitOr => "|",
        IrBinaryOp.BitXor => "^",
        IrBinaryOp.LogicalAnd => "&&",
        IrBinaryOp.LogicalOr => "||",
        IrBinaryOp.Equal => "==",
        IrBinaryOp.NotEqual => "!=",
        IrBinaryOp.Less => "<",
        IrBinaryOp.LessEqual => "<=",
        IrBinaryOp.Greater => ">",
        _ => ">=",
    };
}
