using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

internal sealed partial class WgslFunctionTranslator
{
    private void Statements(IBlockOperation block)
    {
        foreach (var statement in block.Operations)
            Statement(statement);
    }

    /// <summary>The body of an if, loop or case: a block's statements without extra braces.</summary>
    private void Body(IOperation? body)
    {
        if (body is IBlockOperation block && block.Syntax is BlockSyntax)
            Statements(block);
        else if (body is not null)
            Statement(body);
    }

    private void Statement(IOperation op)
    {
        var saved = hoistRoot;
        // Declarations, expression statements and returns run as one WGSL statement: lazy
        // conditionals in them are written just before it. Control statements say where per part.
        hoistRoot = op is IExpressionStatementOperation or IVariableDeclarationGroupOperation or IReturnOperation ? op : null;
        try
        {
            TranslateStatement(op);
        }
        finally
        {
            hoistRoot = saved;
        }
    }

    private void TranslateStatement(IOperation op)
    {
        module.CancellationToken.ThrowIfCancellationRequested();
        var statementSyntax = op is IBlockOperation && op.Syntax.Parent is UnsafeStatementSyntax or CheckedStatementSyntax ? op.Syntax.Parent : op.Syntax;
        switch (statementSyntax)
        {
            case UnsafeStatementSyntax or FixedStatementSyntax:
                module.Report(DiagnosticDescriptors.UnsafeCode, statementSyntax.GetFirstToken().GetLocation(), statementSyntax.GetFirstToken().Text);
                return;
            case CheckedStatementSyntax check:
                module.Report(DiagnosticDescriptors.UnsupportedStatement, check.Keyword.GetLocation(), check.Keyword.Text,
                    "checked arithmetic cannot report overflow on the GPU: remove it (arithmetic wraps)");
                return;
        }
        switch (op)
        {
            case IBlockOperation block:
                w.Open("{");
                Statements(block);
                w.Close();
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var line in Declarations(group))
                    w.Line(line + ";");
                break;
            case IExpressionStatementOperation { Operation: IThrowOperation }:
                UnsupportedStatement(op, "GPU code cannot throw exceptions: guard the invalid case with if and return");
                break;
            case IExpressionStatementOperation statement:
                if (UpdateStatement(statement.Operation) is { } text)
                    w.Line(text + ";");
                break;
            case IConditionalOperation conditional:
                If(conditional);
                break;
            case IForLoopOperation loop:
                For(loop);
                break;
            case IWhileLoopOperation loop:
                While(loop);
                break;
            case IBranchOperation branch:
                Branch(branch);
                break;
            case IReturnOperation ret:
                Return(ret);
                break;
            case ISwitchOperation sw:
                Switch(sw);
                break;
            case IEmptyOperation:
                break;
            case IForEachLoopOperation:
                UnsupportedStatement(op, "iterate over the indices instead: for (int i = 0; i < span.Length; i++)");
                break;
            case ITryOperation:
                UnsupportedStatement(op, "GPU code cannot throw or catch exceptions: check conditions with if instead");
                break;
            case IUsingOperation or IUsingDeclarationOperation:
                UnsupportedStatement(op, "there are no disposable objects on the GPU: remove it");
                break;
            case ILockOperation:
                UnsupportedStatement(op, "use Workgroup.Barrier() to synchronise the invocations of a workgroup");
                break;
            case IThrowOperation:
                UnsupportedStatement(op, "GPU code cannot throw exceptions: guard the invalid case with if and return");
                break;
            case ILocalFunctionOperation:
                UnsupportedStatement(op, "move the local function out as a static method of the type; kernels can call static methods");
                break;
            case ILabeledOperation:
                UnsupportedStatement(op, "WGSL has no goto or labels: use loops with break and continue");
                break;
            case IInvalidOperation:
                module.HasInvalidCode = true;
                break;
            default:
                UnsupportedStatement(op, "only declarations, assignments, calls, if, for, while, do, switch, break, continue and return are supported");
                break;
        }
    }

    private void UnsupportedStatement(IOperation op, string why)
    {
        var token = op.Syntax switch
        {
            LocalFunctionStatementSyntax f => f.Identifier,
            LabeledStatementSyntax l => l.Identifier,
            LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } d => d.UsingKeyword,
            _ => op.Syntax.GetFirstToken(),
        };
        module.Report(DiagnosticDescriptors.UnsupportedStatement, token.GetLocation(), token.Text, why);
    }

    private List<string> Declarations(IVariableDeclarationGroupOperation group)
    {
        var lines = new List<string>();
        foreach (var declaration in group.Declarations)
        {
            foreach (var declarator in declaration.Declarators)
            {
                var local = declarator.Symbol;
                var typeSyntax = (declarator.Syntax.Parent as VariableDeclarationSyntax)?.Type ?? declarator.Syntax;
                if (local.IsRef)
                {
                    UnsupportedStatement(group, "ref locals are not supported: index the buffer where you use it");
                    continue;
                }
                var type = MapType(local.Type, typeSyntax);
                if (type is null)
                {
                    failedLocals.Add(local);
                    continue;
                }
                string name = LocalName(local);
                var initializer = declarator.Initializer?.Value ?? declaration.Initializer?.Value;
                if (local.IsConst && local.HasConstantValue)
                {
                    var literal = Constant(local.ConstantValue, local.Type, declarator.Syntax);
                    lines.Add($"const {name}: {type.Name} = {literal.Text}");
                }
                else if (initializer is null)
                {
                    lines.Add($"var {name}: {type.Name}");
                }
                else
                {
                    var value = Value(initializer);
                    lines.Add($"{(written.Contains(local) ? "var" : "let")} {name}: {type.Name} = {value.Text}");
                }
            }
        }
        return lines;
    }

    /// <summary>
    /// An assignment, compound assignment, increment or call used as a statement, as WGSL text
    /// without the semicolon; null when it is not one (reported).
    /// </summary>
    private string? UpdateStatement(IOperation op)
    {
        if (TryAtomicStatement(op, out var atomic))
            return atomic;
        switch (op)
        {
            case ISimpleAssignmentOperation assignment:
            {
                if (assignment.Target is IDiscardOperation)
                    return "_ = " + Value(assignment.Value).Text;
                var target = Target(assignment.Target, assignment.Value);
                var value = Value(assignment.Value);
                return $"{target} = {value.Text}";
            }
            case ICompoundAssignmentOperation compound:
                return CompoundAssignment(compound);
            case IIncrementOrDecrementOperation increment:
            {
                var target = Target(increment.Target);
                var type = MapType(increment.Target.Type, increment.Syntax);
                if (type is null)
                    return null;
                bool inc = increment.Kind == OperationKind.Increment;
                if (type.IsInteger)
                    return target + (inc ? "++" : "--");
                return $"{target} {(inc ? "+=" : "-=")} {One(type)}";
            }
            case IInvocationOperation invocation:
            {
                var call = Invocation(invocation);
                return invocation.TargetMethod.ReturnsVoid ? call.Text : "_ = " + call.Text;
            }
            case IDeconstructionAssignmentOperation:
                Unsupported(op, "tuples do not exist in WGSL: assign each variable separately");
                return null;
            case IInvalidOperation:
                module.HasInvalidCode = true;
                return null;
            default:
            {
                // Constructs with their own advice (await, lambdas, ...) say it; anything else gets the general rule.
                int reported = module.Diagnostics.Count;
                Value(op);
                if (module.Diagnostics.Count == reported && !module.HasInvalidCode)
                    Unsupported(op, "only assignments, ++, -- and method calls can be statements");
                return null;
            }
        }
    }

    private string? CompoundAssignment(ICompoundAssignmentOperation op)
    {
        var target = Target(op.Target, op.Value);
        var targetType = MapType(op.Target.Type, op.Target.Syntax);
        if (targetType is null)
            return null;
        var value = Value(op.Value);
        var valueType = MapType(op.Value.Type, op.Value.Syntax);
        if (valueType is null)
            return null;
        if (HasSource(op.OperatorMethod))
        {
            // A user-defined operator of a struct: target = S_op_Addition(target, value).
            string? name = module.RequireHelper(op.OperatorMethod!, op.Syntax, []);
            return name is null ? null : $"{target} = {name}({target}, {value.Text})";
        }
        bool identity = (op.InConversion.IsIdentity || !op.InConversion.Exists) && (op.OutConversion.IsIdentity || !op.OutConversion.Exists);
        bool floatRemainder = op.OperatorKind == BinaryOperatorKind.Remainder && targetType.IsScalar && targetType.IsFloat;
        if (op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
            value = ShiftAmount(op.Value, value, valueType); // WGSL shifts by u32 (a >>>= n made u32(a) >> 1i)
        // WGSL has no ^ on bool (C#'s is !=): b ^= c becomes b = b != c.
        bool boolXor = op.OperatorKind == BinaryOperatorKind.ExclusiveOr && targetType.Scalar == WgslScalar.Bool;
        if (!identity || op.OperatorKind == BinaryOperatorKind.UnsignedRightShift || floatRemainder || boolXor)
        {
            // C# converts the target to the operator's type and back (e.g. int += float): spell it out.
            var read = new WgslExpression(target, WgslPrecedence.Primary);
            var operatorType = op.OperatorMethod?.Parameters[0].Type ?? (op.InConversion.Exists && !op.InConversion.IsIdentity ? op.Value.Type : op.Target.Type);
            var opType = module.Types.Map(operatorType, out _) ?? targetType;
            var left = opType == targetType ? read : Convert(read, targetType, opType);
            var combined = BinaryText(op.OperatorKind, left, opType, value, valueType, op.Syntax);
            var result = opType == targetType ? combined : Convert(combined, opType, targetType);
            return $"{target} = {result.Text}";
        }
        string? symbol = op.OperatorKind switch
        {
            BinaryOperatorKind.Add => "+=",
            BinaryOperatorKind.Subtract => "-=",
            BinaryOperatorKind.Multiply => "*=",
            BinaryOperatorKind.Divide => "/=",
            BinaryOperatorKind.Remainder => "%=",
            BinaryOperatorKind.And => "&=",
            BinaryOperatorKind.Or => "|=",
            BinaryOperatorKind.ExclusiveOr => "^=",
            BinaryOperatorKind.LeftShift => "<<=",
            BinaryOperatorKind.RightShift => ">>=",
            _ => null,
        };
        if (symbol is null)
        {
            Unsupported(op, "this compound operator has no WGSL equivalent: write the assignment out");
            return null;
        }
        return $"{target} {symbol} {value.Text}";
    }

    private void If(IConditionalOperation op)
    {
        w.Open($"if ({HoistingValue(op.Condition).Text}) {{");
        Body(op.WhenTrue);
        var whenFalse = op.WhenFalse;
        // An else-if whose condition needs statements first becomes else { those; if ... }.
        while (whenFalse is IConditionalOperation elseIf && elseIf.Syntax is IfStatementSyntax && !ContainsLazyTernary(elseIf.Condition))
        {
            w.Close($"}} else if ({Condition(elseIf.Condition)}) {{");
            w.Indent++;
            Body(elseIf.WhenTrue);
            whenFalse = elseIf.WhenFalse;
        }
        if (whenFalse is not null)
        {
            w.Close("} else {");
            w.Indent++;
            Body(whenFalse);
        }
        w.Close();
    }

    private string Condition(IOperation condition) => Value(condition).Text;

    private static bool IsConstantTrue(IOperation? condition) => condition is { ConstantValue: { HasValue: true, Value: true } };

    private void For(IForLoopOperation loop)
    {
        // A condition or update with a lazy conditional needs statements before it: the general form.
        bool general = ContainsLazyTernary(loop.Condition) || loop.AtLoopBottom.Any(ContainsLazyTernary);
        string? init = null;
        if (!general && loop.Before.Length == 1)
        {
            var saved = hoistRoot;
            hoistRoot = loop.Before[0]; // The initialiser runs first and once: statements before the for are right.
            init = loop.Before[0] switch
            {
                IVariableDeclarationGroupOperation group when group.Declarations.Sum(d => d.Declarators.Length) == 1 => Declarations(group).FirstOrDefault() ?? "",
                IExpressionStatementOperation statement => UpdateStatement(statement.Operation) ?? "",
                _ => null,
            };
            hoistRoot = saved;
        }
        else if (!general && loop.Before.Length == 0)
        {
            init = "";
        }
        string? update = general ? null : loop.AtLoopBottom.Length switch
        {
            0 => "",
            1 when loop.AtLoopBottom[0] is IExpressionStatementOperation statement => UpdateStatement(statement.Operation) ?? "",
            _ => null,
        };
        if (init is not null && update is not null)
        {
            string condition = loop.Condition is null || IsConstantTrue(loop.Condition) ? "" : Condition(loop.Condition);
            if (init.Length == 0 && condition.Length == 0 && update.Length == 0)
                w.Open(EndlessLoop(loop));
            else
                w.Open($"for ({init}; {condition}; {update}) {{");
            Body(loop.Body);
            w.Close();
            return;
        }

        // Several initialisers or updates: the general loop form.
        w.Open("{");
        foreach (var before in loop.Before)
            Statement(before);
        w.Open("loop {");
        if (loop.Condition is not null && !IsConstantTrue(loop.Condition))
        {
            w.Open($"if ({Not(HoistingValue(loop.Condition)).Text}) {{");
            w.Line("break;");
            w.Close();
        }
        Body(loop.Body);
        if (loop.AtLoopBottom.Length > 0)
        {
            w.Open("continuing {");
            foreach (var after in loop.AtLoopBottom)
                Statement(after);
            w.Close();
        }
        w.Close();
        w.Close();
    }

    private void While(IWhileLoopOperation loop)
    {
        if (loop.ConditionIsTop)
        {
            if (loop.Condition is null || IsConstantTrue(loop.Condition))
            {
                w.Open(EndlessLoop(loop));
            }
            else if (ContainsLazyTernary(loop.Condition))
            {
                // The condition needs statements before it: test it at the top of the loop.
                w.Open("loop {");
                w.Open($"if ({Not(HoistingValue(loop.Condition)).Text}) {{");
                w.Line("break;");
                w.Close();
            }
            else
            {
                w.Open($"while ({Condition(loop.Condition)}) {{");
            }
            Body(loop.Body);
            w.Close();
            return;
        }

        // do { body } while (c): the condition runs in the continuing block, so continue reaches it.
        w.Open(loop.Condition is null || IsConstantTrue(loop.Condition) ? EndlessLoop(loop) : "loop {");
        Body(loop.Body);
        if (loop.Condition is not null && !IsConstantTrue(loop.Condition))
        {
            w.Open("continuing {");
            w.Line($"break if {Not(HoistingValue(loop.Condition)).Text};");
            w.Close();
        }
        w.Close();
    }

    /// <summary>
    /// The header of a loop without a condition. WGSL refuses a <c>loop</c> that no <c>break</c> leaves ("loop
    /// does not exit"), even when a return does; <c>while (true)</c> means the same and is accepted.
    /// </summary>
    private static string EndlessLoop(ILoopOperation loop)
        => loop.Body.DescendantsAndSelf().Any(o => o is IBranchOperation { BranchKind: BranchKind.Break } b && SymbolEqualityComparer.Default.Equals(b.Target, loop.ExitLabel))
            ? "loop {"
            : "while (true) {";

    private void Branch(IBranchOperation branch)
    {
        switch (branch.BranchKind)
        {
            case BranchKind.Break:
                w.Line("break;");
                break;
            case BranchKind.Continue:
                w.Line("continue;");
                break;
            default:
                UnsupportedStatement(branch, "WGSL has no goto: use loops with break and continue");
                break;
        }
    }

    private void Return(IReturnOperation ret)
    {
        if (ret.Kind != OperationKind.Return)
        {
            UnsupportedStatement(ret, "iterators are not supported in kernels");
            return;
        }
        if (ret.ReturnedValue is null)
            w.Line(IsConstructor ? $"return {ThisName};" : "return;");
        else
            w.Line($"return {Value(ret.ReturnedValue).Text};");
    }

    private void Switch(ISwitchOperation sw)
    {
        var selectorType = MapType(sw.Value.Type, sw.Value.Syntax);
        if (selectorType is null)
            return;
        if (!selectorType.IsInteger || selectorType.IsVector)
        {
            module.Report(DiagnosticDescriptors.UnsupportedStatement, ((SwitchStatementSyntax)sw.Syntax).SwitchKeyword.GetLocation(), "switch",
                $"WGSL switches on int or uint only, not '{sw.Value.Type?.ToDisplayString()}': use if/else");
            return;
        }
        w.Open($"switch ({HoistingValue(sw.Value).Text}) {{");
        bool hasDefault = false;
        foreach (var section in sw.Cases)
        {
            var selectors = new List<string>();
            foreach (var clause in section.Clauses)
            {
                switch (clause)
                {
                    case IDefaultCaseClauseOperation:
                        selectors.Add("default");
                        hasDefault = true;
                        break;
                    case ISingleValueCaseClauseOperation single when single.Value.ConstantValue.HasValue:
                        selectors.Add(Constant(single.Value.ConstantValue, sw.Value.Type!, single.Value.Syntax).Text);
                        break;
                    default:
                        module.Report(DiagnosticDescriptors.UnsupportedStatement, clause.Syntax.GetLocation(), Snippet(clause.Syntax),
                            "WGSL case labels are constants: write 'case 1:' (patterns and when clauses are not supported)");
                        break;
                }
            }
            w.Open($"case {string.Join(", ", selectors)}: {{".Replace("case default:", "default:"));
            var body = section.Body;
            int count = body.Length;
            // The break that ends a C# section is implicit in WGSL.
            if (count > 0 && body[count - 1] is IBranchOperation { BranchKind: BranchKind.Break })
                count--;
            for (int i = 0; i < count; i++)
                Statement(body[i]);
            w.Close();
        }
        if (!hasDefault)
            w.Line("default: {}");
        w.Close();
    }
}
