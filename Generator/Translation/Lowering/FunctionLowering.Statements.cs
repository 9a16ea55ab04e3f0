using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

internal sealed partial class FunctionLowering
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

    /// <summary>Lowers <paramref name="body"/> into a block of its own.</summary>
    private IrBlock Block(IOperation? body)
    {
        var saved = current;
        current = new IrBlock();
        try
        {
            Body(body);
            return current;
        }
        finally
        {
            current = saved;
        }
    }

    /// <summary>Runs <paramref name="lower"/> with its statements going to a block of their own.</summary>
    private IrBlock Block(System.Action lower)
    {
        var saved = current;
        current = new IrBlock();
        try
        {
            lower();
            return current;
        }
        finally
        {
            current = saved;
        }
    }

    private void LowerStatement(IOperation op)
    {
        module.CancellationToken.ThrowIfCancellationRequested();
        if (!module.StackSuffices(op.Syntax))
            return;
        var statementSyntax = op is IBlockOperation && op.Syntax.Parent is UnsafeStatementSyntax or CheckedStatementSyntax ? op.Syntax.Parent : op.Syntax;
        switch (statementSyntax)
        {
            case UnsafeStatementSyntax or FixedStatementSyntax:
                module.Report(DiagnosticDescriptors.UnsafeCode, statementSyntax.GetFirstToken().GetLocation(), statementSyntax.GetFirstToken().Text);
                return;
            case CheckedStatementSyntax check when check.Keyword.IsKind(SyntaxKind.CheckedKeyword):
                module.Report(DiagnosticDescriptors.UnsupportedStatement, check.Keyword.GetLocation(), check.Keyword.Text,
                    "checked arithmetic cannot report overflow on the GPU: remove it (arithmetic wraps)");
                return;
        }
        switch (op)
        {
            case IBlockOperation block:
                Emit(Block(() => Statements(block)));
                break;
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in Declarations(group))
                    Emit(declaration);
                break;
            case IExpressionStatementOperation { Operation: IThrowOperation }:
                UnsupportedStatement(op, "GPU code cannot throw exceptions: guard the invalid case with if and return");
                break;
            case IExpressionStatementOperation { Operation: IDeconstructionAssignmentOperation deconstruction }:
                Deconstruction(deconstruction);
                break;
            case IExpressionStatementOperation { Operation: IInvocationOperation call } when SpanMethodStatement(call):
                break;
            case IExpressionStatementOperation statement:
            {
                // A call on its own line may pass places by reference through temporaries, written back after it.
                var saved = referenceWriteBacks;
                referenceWriteBacks = [];
                try
                {
                    if (UpdateStatement(statement.Operation) is { } update)
                    {
                        Emit(update);
                        foreach (var writeBack in referenceWriteBacks)
                            Emit(writeBack);
                    }
                }
                finally
                {
                    referenceWriteBacks = saved;
                }
                break;
            }
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
            case IForEachLoopOperation loop:
                ForEach(loop);
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
                break; // a WGSL function of its own, translated where it is called (LocalFunctions)
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

    private List<IrStmt> Declarations(IVariableDeclarationGroupOperation group)
    {
        var declarations = new List<IrStmt>();
        foreach (var declaration in group.Declarations)
        {
            foreach (var declarator in declaration.Declarators)
            {
                var local = declarator.Symbol;
                var typeSyntax = (declarator.Syntax.Parent as VariableDeclarationSyntax)?.Type ?? declarator.Syntax;
                if (local.IsRef)
                {
                    RefLocal(local, declarator.Initializer?.Value ?? declaration.Initializer?.Value);
                    continue;
                }
                var initializer = declarator.Initializer?.Value ?? declaration.Initializer?.Value;
                if (SpanLocalDeclaration(local, initializer, declarations))
                    continue;
                if (IsSpanOrArray(local.Type) || local.Type is IArrayTypeSymbol)
                {
                    if (LocalArrayDeclaration(declarator, local, initializer, typeSyntax) is { } array)
                        declarations.Add(array);
                    continue;
                }
                var type = MapType(local.Type, typeSyntax);
                if (type is null)
                {
                    failedLocals.Add(local);
                    continue;
                }
                if (local.IsConst && local.HasConstantValue)
                {
                    var literal = Constant(local.ConstantValue, local.Type, declarator.Syntax);
                    var variable = LocalVariable(local, type, IrVariableKind.Const);
                    if (literal is not null)
                        declarations.Add(new IrDeclare(variable, literal));
                }
                else if (initializer is null)
                {
                    declarations.Add(new IrDeclare(LocalVariable(local, type, IrVariableKind.Var), null));
                }
                else
                {
                    var value = Value(initializer);
                    var variable = LocalVariable(local, type, written.Contains(local) ? IrVariableKind.Var : IrVariableKind.Let);
                    if (value is not null)
                        declarations.Add(new IrDeclare(variable, value));
                }
            }
        }
        return declarations;
    }

    /// <summary>
    /// An assignment, compound assignment, increment or call used as a statement; null when it is not one, or
    /// failed (reported).
    /// </summary>
    private IrStmt? UpdateStatement(IOperation op)
    {
        if (TryAtomicStatement(op, out var atomic))
            return atomic;
        if (op is IAssignmentOperation { Target: var assigned } && IsFailedLocal(assigned) || op is IIncrementOrDecrementOperation { Target: var incremented } && IsFailedLocal(incremented))
            return null; // a local, parameter or buffer whose declaration was reported: its assignments stay quiet
        if (HostUpdate(op, out var host))
            return host;
        switch (op)
        {
            case ISimpleAssignmentOperation { IsRef: true } refAssignment:
                Unsupported(refAssignment, "a ref local refers to one place for its whole life: declare another ref local");
                return null;
            case ISimpleAssignmentOperation assignment:
            {
                if (assignment.Target is IDiscardOperation)
                    return Value(assignment.Value) is { } discarded ? new IrAssign(null, discarded) : null;
                if (PackedElement(assignment.Target) is not null)
                    return PackedUpdate((IPropertyReferenceOperation)assignment.Target, assignment.Value, null, assignment.Syntax);
                if (IsSetterCall(assignment.Target))
                    return SetterStatement(assignment, (IPropertyReferenceOperation)assignment.Target);
                if (Unwrap(assignment.Target) is ILocalReferenceOperation repointed && movableSpans.Contains(repointed.Local))
                    return SpanAssignment(repointed.Local, assignment.Value);
                if (Unwrap(assignment.Target) is IParameterReferenceOperation spanParameter && IsSpan(spanParameter.Type))
                {
                    if (movableSpans.Contains(spanParameter.Parameter))
                        return SpanAssignment(spanParameter.Parameter, assignment.Value);
                    SpanViewMisuse(assignment.Target, unmovableSpans.TryGetValue(spanParameter.Parameter, out var why) ? why
                        : "is a Span parameter assigned here: re-point it to views of its own array only (s = s[1..];), in statements of their own");
                    return null;
                }
                if (IsLocalArrayReference(assignment.Target) || IsSpanLocal(assignment.Target))
                {
                    Target(assignment.Target); // KG0057 once, at the array assigned
                    return null;
                }
                var target = Target(assignment.Target);
                var value = Value(assignment.Value);
                return target is null || value is null ? null : new IrAssign(target, value);
            }
            case ICompoundAssignmentOperation compound:
                return CompoundAssignment(compound);
            case IIncrementOrDecrementOperation increment:
            {
                var target = Target(increment.Target);
                var type = MapType(increment.Target.Type, increment.Syntax);
                if (type is null || target is null)
                    return null;
                bool inc = increment.Kind == OperationKind.Increment;
                if (type.Is64)
                    return Int64Increment(target, type, inc, increment.Syntax);
                if (type.NarrowBits > 0)
                {
                    // byte, short, ...: C# wraps within the type (b++ is b = (byte)(b + 1)).
                    var wide = type.Scalar == WgslScalar.I32 ? WgslType.I32 : WgslType.U32;
                    return new IrAssign(target, ToNarrow(new IrBinary(inc ? IrBinaryOp.Add : IrBinaryOp.Subtract, target, One(type), wide), wide, type));
                }
                if (type.IsInteger)
                    return new IrIncrement(target, inc);
                return new IrAssign(target, One(type), inc ? IrBinaryOp.Add : IrBinaryOp.Subtract);
            }
            case IInvocationOperation invocation:
            {
                if (IsWorkgroupBarrier(invocation.TargetMethod) is { } barrier)
                {
                    module.UsesBarriers = true;
                    return new IrBarrier(barrier) { Syntax = invocation.Syntax };
                }
                var call = Invocation(invocation);
                if (call is null)
                    return null;
                Stamp(call, invocation.Syntax);
                return invocation.TargetMethod.ReturnsVoid ? new IrCallStatement(call) : new IrAssign(null, call);
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

    private IrStmt? CompoundAssignment(ICompoundAssignmentOperation op)
    {
        if (PackedElement(op.Target) is not null)
            return PackedUpdate((IPropertyReferenceOperation)op.Target, op.Value, op.OperatorKind, op.Syntax);
        var target = Target(op.Target);
        var targetType = MapType(op.Target.Type, op.Target.Syntax);
        if (targetType is null)
            return null;
        var value = Value(op.Value);
        var valueType = MapType(op.Value.Type, op.Value.Syntax);
        if (valueType is null || target is null || value is null)
            return null;
        if ((targetType.Is64 || valueType.Is64) && !HasSource(op.OperatorMethod))
            return Int64CompoundAssignment(op, target, targetType, value, valueType);
        if (targetType.IsMatrix)
        {
            // m *= n is C#'s m = m * n, which WGSL writes n * m: spelled out through the matrix operators.
            var combined = MatrixOperator(op.OperatorKind, target, targetType, value, valueType, op.Syntax);
            return combined is null ? null : new IrAssign(target, combined);
        }
        if (HasSource(op.OperatorMethod))
        {
            // A user-defined operator of a struct: target = S_op_Addition(target, value).
            var helper = module.RequireHelper(op.OperatorMethod!, op.Syntax, []);
            return helper is null ? null : new IrAssign(target, new IrCall(helper, [target, value], helper.ReturnType));
        }
        bool identity = (op.InConversion.IsIdentity || !op.InConversion.Exists) && (op.OutConversion.IsIdentity || !op.OutConversion.Exists);
        bool floatRemainder = op.OperatorKind == BinaryOperatorKind.Remainder && targetType.IsScalar && targetType.IsFloat;
        if (op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
            value = ShiftAmount(op.Value, value, valueType); // WGSL shifts by u32 (a >>>= n made u32(a) >> 1i)
        // WGSL has no ^ on bool (C#'s is !=): b ^= c becomes b = b != c.
        bool boolXor = op.OperatorKind == BinaryOperatorKind.ExclusiveOr && targetType.Scalar == WgslScalar.Bool;
        // An enum on byte, sbyte, ushort or short: e += n wraps to the enum's bits, as C# does (SmallEnums).
        bool narrowEnum = identity && IsNarrowEnumArithmetic(op.OperatorKind, targetType);
        if (!identity || op.OperatorKind == BinaryOperatorKind.UnsignedRightShift || floatRemainder || boolXor || narrowEnum)
        {
            // C# converts the target to the operator's type and back (e.g. int += float): spell it out.
            var operatorType = op.OperatorMethod?.Parameters[0].Type ?? (op.InConversion.Exists && !op.InConversion.IsIdentity ? op.Value.Type : op.Target.Type);
            var opType = module.Types.Map(operatorType, out _) ?? targetType;
            var left = opType == targetType ? target : Convert(target, targetType, opType);
            var combined = BinaryOperator(op.OperatorKind, left, opType, value, valueType, op.Syntax);
            if (combined is null)
                return null;
            var result = narrowEnum ? WrapNarrow(combined, targetType) : opType == targetType ? combined : Convert(combined, opType, targetType);
            return new IrAssign(target, result);
        }
        IrBinaryOp? symbol = op.OperatorKind switch
        {
            BinaryOperatorKind.Add => IrBinaryOp.Add,
            BinaryOperatorKind.Subtract => IrBinaryOp.Subtract,
            BinaryOperatorKind.Multiply => IrBinaryOp.Multiply,
            BinaryOperatorKind.Divide => IrBinaryOp.Divide,
            BinaryOperatorKind.Remainder => IrBinaryOp.Remainder,
            BinaryOperatorKind.And => IrBinaryOp.BitAnd,
            BinaryOperatorKind.Or => IrBinaryOp.BitOr,
            BinaryOperatorKind.ExclusiveOr => IrBinaryOp.BitXor,
            BinaryOperatorKind.LeftShift => IrBinaryOp.ShiftLeft,
            BinaryOperatorKind.RightShift => IrBinaryOp.ShiftRight,
            _ => null,
        };
        if (symbol is null)
        {
            Unsupported(op, "this compound operator has no WGSL equivalent: write the assignment out");
            return null;
        }
        return new IrAssign(target, value, symbol);
    }

    private void If(IConditionalOperation op)
    {
        var statement = IfStatement(op, elseIf: false);
        if (statement is not null)
            Emit(statement);
    }

    private IrIf? IfStatement(IConditionalOperation op, bool elseIf)
    {
        var condition = Value(op.Condition);
        var then = Block(op.WhenTrue);
        IrBlock? otherwise = null;
        if (op.WhenFalse is IConditionalOperation nested && nested.Syntax is IfStatementSyntax)
        {
            var inner = IfStatement(nested, elseIf: true);
            otherwise = new IrBlock(inner is null ? [] : [inner]);
        }
        else if (op.WhenFalse is not null)
        {
            otherwise = Block(op.WhenFalse);
        }
        return condition is null ? null : new IrIf(condition, then, otherwise) { IsElseIf = elseIf };
    }

    private static bool IsConstantTrue(IOperation? condition) => condition is { ConstantValue: { HasValue: true, Value: true } };

    private void For(IForLoopOperation loop)
    {
        IrStmt? init = null;
        bool simple = loop.Before.Length == 0;
        if (loop.Before.Length == 1)
        {
            switch (loop.Before[0])
            {
                case IVariableDeclarationGroupOperation group when group.Declarations.Sum(d => d.Declarators.Length) == 1:
                    init = Declarations(group).FirstOrDefault();
                    simple = true;
                    break;
                case IExpressionStatementOperation { Operation: not IDeconstructionAssignmentOperation } statement when !WritesBack(statement.Operation):
                    init = UpdateStatement(statement.Operation);
                    simple = true;
                    break;
            }
        }
        IrStmt? update = null;
        if (simple && loop.AtLoopBottom.Length == 1 && loop.AtLoopBottom[0] is IExpressionStatementOperation { Operation: not IDeconstructionAssignmentOperation } after
            && !WritesBack(after.Operation))
            update = UpdateStatement(after.Operation);
        else if (loop.AtLoopBottom.Length > 0)
            simple = false;
        if (simple)
        {
            var condition = loop.Condition is null || IsConstantTrue(loop.Condition) ? null : Value(loop.Condition);
            var body = Block(loop.Body);
            if (init is null && condition is null && update is null && loop.Before.Length == 0 && loop.AtLoopBottom.Length == 0)
                Emit(EndlessLoop(loop, body));
            else
                Emit(new IrFor(init, condition, update, body));
            return;
        }

        // Several initialisers or updates: the general loop form.
        Emit(Block(() =>
        {
            foreach (var before in loop.Before)
                Statement(before);
            var body = Block(() =>
            {
                if (loop.Condition is not null && !IsConstantTrue(loop.Condition) && Value(loop.Condition) is { } condition)
                    Emit(new IrIf(Not(condition), new IrBlock([new IrBreak()]), null));
                Body(loop.Body);
            });
            var continuing = loop.AtLoopBottom.Length > 0 ? Block(() =>
            {
                foreach (var step in loop.AtLoopBottom)
                    Statement(step);
            }) : null;
            Emit(new IrLoop(body, continuing));
        }));
    }

    /// <summary>
    /// Whether a call as a statement passes a place by reference through a temporary written back after it (a buffer
    /// element or field given to a helper's ref parameter, the receiver of a struct member that changes it): it is then
    /// several statements, so a for loop's initialiser or update that is one takes the general loop form.
    /// </summary>
    private bool WritesBack(IOperation op)
    {
        if (op is not IInvocationOperation call || call.TargetMethod.DeclaringSyntaxReferences.Length == 0 || AtomicOperations.IsAtomicClass(module.Known, call.TargetMethod.ContainingType))
            return false;
        if (call.Instance is { } receiver && !call.TargetMethod.IsStatic && IsStructMember(call.TargetMethod) && !IsDirectReference(receiver))
            return true;
        return call.Arguments.Any(a => a.Parameter is { RefKind: RefKind.Ref or RefKind.Out } && !IsDirectReference(a.Value) && !IsAliasedPlace(a.Value, out _, out _, out _));
    }

    private void While(IWhileLoopOperation loop)
    {
        if (loop.ConditionIsTop)
        {
            if (loop.Condition is null || IsConstantTrue(loop.Condition))
            {
                Emit(EndlessLoop(loop, Block(loop.Body)));
            }
            else
            {
                var condition = Value(loop.Condition);
                var body = Block(loop.Body);
                if (condition is not null)
                    Emit(new IrWhile(condition, body));
            }
            return;
        }

        // do { body } while (c): the condition runs in the continuing block, so continue reaches it.
        bool endless = loop.Condition is null || IsConstantTrue(loop.Condition);
        var doBody = Block(loop.Body);
        if (endless)
        {
            Emit(EndlessLoop(loop, doBody));
            return;
        }
        var test = Value(loop.Condition!);
        if (test is not null)
            Emit(new IrLoop(doBody, null, Not(test)));
    }

    /// <summary>
    /// A loop without a condition. WGSL refuses a <c>loop</c> that no <c>break</c> leaves ("loop
    /// does not exit"), even when a return does; <c>while (true)</c> means the same and is accepted.
    /// </summary>
    private static IrStmt EndlessLoop(ILoopOperation loop, IrBlock body)
        => loop.Body.DescendantsAndSelf().Any(o => o is IBranchOperation { BranchKind: BranchKind.Break } b && SymbolEqualityComparer.Default.Equals(b.Target, loop.ExitLabel))
            ? new IrLoop(body)
            : new IrWhile(null, body);

    private void Branch(IBranchOperation branch)
    {
        switch (branch.BranchKind)
        {
            case BranchKind.Break:
                Emit(new IrBreak());
                break;
            case BranchKind.Continue:
                Emit(new IrContinue());
                break;
            case BranchKind.GoTo when GotoCaseTarget(branch, out var reason) is var section && (section is not null || reason is not null):
                if (section is null)
                {
                    // A cycle is found from each of its sections: reported once per switch.
                    if (reason != CycleReason || reportedCycles.Add(EnclosingSwitch(branch)!))
                        UnsupportedStatement(branch, reason!);
                    break;
                }
                // The target section's statements in place (their break ends the switch here too); a chain of
                // goto case is followed, a cycle is reported.
                expandingSections.Add(section);
                foreach (var statement in section.Body)
                    Statement(statement);
                expandingSections.Remove(section);
                break;
            default:
                UnsupportedStatement(branch, "WGSL has no goto: use loops with break and continue ('goto case' and 'goto default' in a switch are supported)");
                break;
        }
    }

    /// <summary>The sections whose statements a <c>goto case</c> is copying now (a second visit is a cycle).</summary>
    private readonly HashSet<ISwitchCaseOperation> expandingSections = [];

    private readonly HashSet<ISwitchOperation> reportedCycles = [];

    private const string CycleReason = "'goto case' back to its own section, or to one that leads back to it, is a loop: write it with while";

    private static ISwitchOperation? EnclosingSwitch(IOperation op)
    {
        for (var parent = op.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ISwitchOperation sw)
                return sw;
        }
        return null;
    }

    /// <summary>
    /// The section a <c>goto case c;</c> or <c>goto default;</c> jumps to; null for other gotos, or with
    /// <paramref name="reason"/> when it cannot be translated (inside a loop within the switch, where break would
    /// leave the loop; or a cycle of sections, which is a loop: write it with while).
    /// </summary>
    private ISwitchCaseOperation? GotoCaseTarget(IBranchOperation branch, out string? reason)
    {
        reason = null;
        if (branch.Syntax is not GotoStatementSyntax { CaseOrDefaultKeyword.RawKind: not 0 })
            return null;
        for (var parent = branch.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation)
            {
                reason = "'goto case' inside a loop within the switch has no WGSL form: set a variable, break out of the loop, and switch on it";
                return null;
            }
            if (parent is ISwitchOperation sw)
            {
                var section = sw.Cases.FirstOrDefault(c => c.Clauses.Any(clause => SymbolEqualityComparer.Default.Equals(clause.Label, branch.Target)));
                if (section is null)
                    return null;
                if (expandingSections.Contains(section) || section.Descendants().Contains(branch))
                {
                    reason = CycleReason;
                    return null;
                }
                return section;
            }
        }
        return null;
    }

    private void Return(IReturnOperation ret)
    {
        if (ret.Kind != OperationKind.Return)
        {
            UnsupportedStatement(ret, "iterators are not supported in kernels");
            return;
        }
        if (ret.ReturnedValue is null)
            Emit(new IrReturn(IsConstructor ? new IrRef(thisVariable!) : null));
        else if (Value(ret.ReturnedValue) is { } value)
            Emit(new IrReturn(value));
    }

    private void Switch(ISwitchOperation sw)
    {
        var selectorType = MapType(sw.Value.Type, sw.Value.Syntax);
        if (selectorType is null)
            return;
        if (IsPatternSwitch(sw, selectorType))
        {
            PatternSwitch(sw, selectorType);
            return;
        }
        var selector = Value(sw.Value);
        var cases = new List<IrSwitchCase>();
        foreach (var section in sw.Cases)
        {
            var selectors = new List<IrExpr?>();
            foreach (var clause in section.Clauses)
            {
                switch (clause)
                {
                    case IDefaultCaseClauseOperation:
                        selectors.Add(null);
                        break;
                    case ISingleValueCaseClauseOperation single when single.Value.ConstantValue.HasValue:
                        if (Constant(single.Value.ConstantValue, sw.Value.Type!, single.Value.Syntax) is { } label)
                            selectors.Add(label);
                        break;
                    default:
                        module.Report(DiagnosticDescriptors.UnsupportedStatement, clause.Syntax.GetLocation(), Snippet(clause.Syntax),
                            "WGSL case labels are constants: write 'case 1:' (patterns and when clauses are not supported)");
                        break;
                }
            }
            cases.Add(new IrSwitchCase(selectors, SectionBody(section.Body)));
        }
        if (selector is not null)
            Emit(new IrSwitch(selector, cases));
    }

    /// <summary>A switch section's statements; the break that ends a C# section is implicit in WGSL.</summary>
    private IrBlock SectionBody(System.Collections.Immutable.ImmutableArray<IOperation> body)
    {
        int count = body.Length;
        if (count > 0 && body[count - 1] is IBranchOperation { BranchKind: BranchKind.Break })
            count--;
        return Block(() =>
        {
            for (int i = 0; i < count; i++)
                Statement(body[i]);
        });
    }
}
