using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Patterns: <c>x is P</c>, switch expressions and switch statements with pattern labels or <c>when</c>.
/// The governing value is one IR node used by every test (the evaluation-order pass binds it to a let when
/// it is impure); arms are nested conditionals, so the pass runs a helper-calling arm (or a struct arm)
/// only when it is chosen, through its if/else machinery.
/// </summary>
internal sealed partial class FunctionLowering
{
    private IrExpr? IsPattern(IIsPatternOperation op)
    {
        var type = MapType(op.Value.Type, op.Value.Syntax);
        var subject = Value(op.Value);
        if (type is null || subject is null)
            return null;
        var bound = BindSubject(ref subject, op.Pattern);
        var test = Pattern(op.Pattern, subject, type);
        return test is null || bound is null ? test : new IrSequence([bound], test);
    }

    /// <summary>
    /// Whether a pattern declares a variable (<c>var v</c>, <c>int n</c>, <c>{ X: var x }</c>, <c>{ } p</c>): it is
    /// assigned the (sub)value it matched, so the value is read once more than the tests read it.
    /// </summary>
    private static bool DeclaresVariable(IOperation pattern)
        => pattern.DescendantsAndSelf().Any(o => o is IDeclarationPatternOperation { DeclaredSymbol: not null } or IRecursivePatternOperation { DeclaredSymbol: not null });

    /// <summary>
    /// A governing value with effects, tested by a pattern that declares a variable: bound to a let where C# evaluates
    /// it (the returned declaration, to run first), so the tests and the variable read it once.
    /// </summary>
    private IrDeclare? BindSubject(ref IrExpr subject, params IOperation[] patterns)
    {
        if (subject is IrRef or IrLiteral || !patterns.Any(DeclaresVariable) || !new Passes.Effects().Of(subject).IsImpure)
            return null;
        var value = new IrVariable(FreshName("subject"), subject.Type!, IrVariableKind.Let);
        var declaration = new IrDeclare(value, subject);
        subject = new IrRef(value);
        return declaration;
    }

    /// <summary>
    /// <c>var v</c>, <c>int n</c> (of the value's own type) or <c>{ ... } p</c>: the pattern's variable, declared where
    /// <c>out var</c> variables are, is assigned the value when the test reaches it (after the tests to its left, so
    /// only when they matched, as C# assigns it), and the test is true.
    /// </summary>
    private IrSequence? BindPatternVariable(ILocalSymbol local, IrExpr subject, WgslType type, SyntaxNode at)
    {
        var localType = MapType(local.Type, at);
        if (localType is null)
            return null;
        if (localType.Name != type.Name)
        {
            module.Report(DiagnosticDescriptors.UnsupportedPattern, at, Snippet(at), "a declared variable takes the value's own type (var v): type tests have no WGSL translation");
            return null;
        }
        if (!variables.TryGetValue(local, out var variable))
        {
            // Pattern variables of sibling arms and sections share one WGSL scope: each its own name.
            string name = LocalName(local);
            if (variables.Values.Any(v => v.Name == name))
                name = FreshName(name);
            variable = new IrVariable(name, type, IrVariableKind.Var);
            variables[local] = variable;
            EmitDeclaration(new IrDeclare(variable, null));
        }
        return new IrSequence([new IrAssign(new IrRef(variable), subject)], IrLiteral.Bool(true));
    }

    /// <summary>The bool that tests <paramref name="subject"/> (of WGSL type <paramref name="type"/>) against a pattern; null when reported.</summary>
    private IrExpr? Pattern(IPatternOperation pattern, IrExpr subject, WgslType type)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                return PatternComparison(BinaryOperatorKind.Equals, constant.Value, subject, type, pattern);
            case IRelationalPatternOperation relational:
                return PatternComparison(relational.OperatorKind, relational.Value, subject, type, pattern);
            case IBinaryPatternOperation binary:
            {
                var left = Pattern(binary.LeftPattern, subject, type);
                var right = Pattern(binary.RightPattern, subject, type);
                if (left is null || right is null)
                    return null;
                return binary.OperatorKind == BinaryOperatorKind.Or ? new IrBinary(IrBinaryOp.LogicalOr, left, right, WgslType.Bool) : PatternAnd(left, right);
            }
            case INegatedPatternOperation { Pattern: IConstantPatternOperation constant }:
                return PatternComparison(BinaryOperatorKind.NotEquals, constant.Value, subject, type, pattern);
            case INegatedPatternOperation negated:
                return Pattern(negated.Pattern, subject, type) is { } inner ? Not(inner) : null;
            case IRecursivePatternOperation recursive:
                return RecursivePattern(recursive, subject, type);
            case IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol local } declaration:
                if (!declaration.MatchesNull && !SymbolEqualityComparer.Default.Equals(declaration.MatchedType, declaration.InputType))
                {
                    module.Report(DiagnosticDescriptors.UnsupportedPattern, pattern.Syntax, Snippet(pattern.Syntax),
                        "type tests have no WGSL translation: declare the variable with the value's own type (var v)");
                    return null;
                }
                return BindPatternVariable(local, subject, type, pattern.Syntax);
            case var _ when MatchesAll(pattern):
                return IrLiteral.Bool(true);
            default:
                module.Report(DiagnosticDescriptors.UnsupportedPattern, pattern.Syntax, Snippet(pattern.Syntax),
                    "supported are constants, relational patterns (< <= > >=), and, or, not, discards and field patterns ({ A: > 0 })");
                return null;
        }
    }

    /// <summary><c>subject op constant</c> for a constant or relational pattern.</summary>
    private IrExpr? PatternComparison(BinaryOperatorKind kind, IOperation constant, IrExpr subject, WgslType type, IPatternOperation pattern)
    {
        if (NaNPattern(constant, subject, type) is { } isNaN)
            return kind == BinaryOperatorKind.NotEquals ? Not(isNaN) : isNaN;
        if (type.IsStruct || type.IsVector)
        {
            module.Report(DiagnosticDescriptors.UnsupportedPattern, pattern.Syntax, Snippet(pattern.Syntax), "constant and relational patterns apply to numbers and enums: test fields with { X: > 0 }");
            return null;
        }
        var valueType = MapType(constant.Type, constant.Syntax);
        var value = Value(constant);
        if (valueType is null || value is null)
            return null;
        if (valueType.Name != type.Name)
            value = Convert(value, valueType, type);
        return BinaryOperator(kind, subject, type, value, type, pattern.Syntax);
    }

    /// <summary><c>s is { A: &gt; 0, B.X: 1 }</c> on a struct or vector: each field tested in order, joined by &amp;&amp;.</summary>
    private IrExpr? RecursivePattern(IRecursivePatternOperation pattern, IrExpr subject, WgslType type)
    {
        if (!SymbolEqualityComparer.Default.Equals(pattern.MatchedType, pattern.InputType)
            || (pattern.DeconstructionSubpatterns.Length > 0 && (!type.IsTuple || pattern.DeconstructionSubpatterns.Length != type.Fields.Count)))
        {
            module.Report(DiagnosticDescriptors.UnsupportedPattern, pattern.Syntax, Snippet(pattern.Syntax),
                "field patterns ({ A: > 0 }) apply to the value's own type, positional patterns ((0, > 3)) to tuples: type tests and Deconstruct methods have no WGSL translation");
            return null;
        }
        IrExpr? result = null;
        for (int i = 0; i < pattern.DeconstructionSubpatterns.Length; i++)
        {
            var element = TupleElement(subject, type, i);
            var test = Pattern(pattern.DeconstructionSubpatterns[i], element, type.Fields[i].Type);
            if (test is null)
                return null;
            if (!MatchesAll(pattern.DeconstructionSubpatterns[i]))
                result = result is null ? test : PatternAnd(result, test);
        }
        foreach (var sub in pattern.PropertySubpatterns)
        {
            var (member, memberType) = PatternMember(sub.Member, subject, type);
            if (member is null || memberType is null)
                return null;
            var test = Pattern(sub.Pattern, member, memberType);
            if (test is null)
                return null;
            result = result is null ? test : PatternAnd(result, test);
        }
        if (pattern.DeclaredSymbol is ILocalSymbol local)
        {
            var bind = BindPatternVariable(local, subject, type, pattern.Syntax);
            if (bind is null)
                return null;
            result = result is null ? bind : PatternAnd(result, bind);
        }
        return result ?? IrLiteral.Bool(true);
    }

    /// <summary>
    /// <c>left &amp;&amp; right</c> for pattern tests: a variable's assignment (a sequence whose value is true) runs
    /// unconditionally before what follows it, so it is no operand of its own (<c>var n when n &gt; 3</c> is
    /// <c>n = x</c> then <c>n &gt; 3</c>).
    /// </summary>
    private static IrExpr PatternAnd(IrExpr left, IrExpr right)
    {
        if (left is IrLiteral { Kind: IrLiteralKind.Bool, Bits: 1 })
            return right;
        if (right is IrLiteral { Kind: IrLiteralKind.Bool, Bits: 1 })
            return left;
        if (left is IrSequence { Value: IrLiteral { Kind: IrLiteralKind.Bool, Bits: 1 } } binding)
            return right is IrSequence next ? new IrSequence([.. binding.Statements, .. next.Statements], next.Value) : new IrSequence(binding.Statements, right);
        return new IrBinary(IrBinaryOp.LogicalAnd, left, right, WgslType.Bool);
    }

    /// <summary>
    /// Element <paramref name="index"/> of a tuple value: the literal's own element when the value is a tuple
    /// literal of elements without effects (<c>(x, y) is (0, _)</c> tests <c>x == 0i</c>), else the struct's field.
    /// </summary>
    private static IrExpr TupleElement(IrExpr subject, WgslType type, int index)
    {
        if (subject is IrConstruct construct && construct.Arguments.Count == type.Fields.Count
            && construct.Arguments.All(a => !new Passes.Effects().Of(a).IsImpure))
            return construct.Arguments[index];
        return new IrMember(subject, type.Fields[index].Name, type.Fields[index].Type);
    }

    /// <summary>The field (or field of a field) a property subpattern names, read from <paramref name="subject"/>.</summary>
    private (IrExpr? Value, WgslType? Type) PatternMember(IOperation member, IrExpr subject, WgslType subjectType)
    {
        if (IsFieldAccess(member, out var field, out var instance) && !field.IsStatic)
        {
            var (receiver, receiverType) = instance is IInstanceReferenceOperation or null
                ? (subject, subjectType)
                : PatternMember(instance, subject, subjectType);
            if (receiver is null || receiverType is null)
                return (null, null);
            var value = Member(receiver, field, receiverType);
            if (value is null)
            {
                module.Report(DiagnosticDescriptors.UnsupportedMember, member.Syntax, Snippet(member.Syntax), "this field has no WGSL translation");
                return (null, null);
            }
            return (value, value.Type);
        }
        module.Report(DiagnosticDescriptors.UnsupportedPattern, member.Syntax, Snippet(member.Syntax), "a property pattern can only name fields and auto-properties (computed properties are calls: test them with a condition)");
        return (null, null);
    }

    /// <summary>Whether a pattern matches every value (a discard, <c>var _</c>, the value's own type).</summary>
    private static bool MatchesAll(IPatternOperation pattern) => pattern switch
    {
        IDiscardPatternOperation => true,
        IDeclarationPatternOperation { DeclaredSymbol: null } d => d.MatchesNull || SymbolEqualityComparer.Default.Equals(d.MatchedType, d.InputType),
        ITypePatternOperation t => SymbolEqualityComparer.Default.Equals(t.MatchedType, t.InputType),
        _ => false,
    };

    /// <summary>Whether a switch arm's value is a throw (C# throws when it is chosen; the GPU cannot).</summary>
    private static bool IsThrow(IOperation value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return value is IThrowOperation;
    }

    /// <summary>
    /// <c>x switch { 1 =&gt; a, &gt; 5 and &lt; 9 =&gt; b, _ =&gt; c }</c>: nested conditionals in arm order (the
    /// evaluation-order pass makes if/else of those whose arms call helpers or build structs). When no arm
    /// matches (or a throw arm does) C# throws; the GPU gives the zero value.
    /// </summary>
    private IrExpr? SwitchExpression(ISwitchExpressionOperation op)
    {
        var type = MapType(op.Type, op.Syntax);
        var subjectType = MapType(op.Value.Type, op.Value.Syntax);
        var subject = subjectType is null ? null : Value(op.Value); // a rejected type (a tuple) is reported once
        if (type is null || subjectType is null || subject is null)
            return null;
        var bound = BindSubject(ref subject, op.Arms.Select(a => (IOperation)a.Pattern).ToArray());
        var tests = new List<(IrExpr? Test, IrExpr Value)>();
        bool failed = false;
        foreach (var arm in op.Arms)
        {
            IrExpr? test = MatchesAll(arm.Pattern) ? null : Pattern(arm.Pattern, subject, subjectType);
            if (!MatchesAll(arm.Pattern) && test is null)
                failed = true;
            if (arm.Guard is not null)
            {
                var guard = Value(arm.Guard);
                if (guard is null)
                    failed = true;
                else
                    test = test is null ? guard : PatternAnd(test, guard);
            }
            IrExpr? value = IsThrow(arm.Value) ? Zero(type) : Value(arm.Value);
            if (value is null)
            {
                failed = true;
                continue;
            }
            tests.Add((test, value));
            if (test is null)
                break; // later arms are unreachable
        }
        if (failed)
            return null;
        IrExpr result = Zero(type)!;
        for (int i = tests.Count - 1; i >= 0; i--)
            result = tests[i].Test is { } test ? new IrConditional(test, tests[i].Value, result, type) : tests[i].Value;
        // The subject is evaluated even when the first arm matches everything.
        if (tests.Count > 0 && tests[0].Test is null && subject is not (IrRef or IrLiteral) && new Passes.Effects().Of(subject).IsImpure)
        {
            module.Report(DiagnosticDescriptors.UnsupportedPattern, op.Syntax, Snippet(op.Syntax), "its first arm matches every value, so the switch only evaluates the value for its effects: call it as a statement");
            return null;
        }
        return bound is null ? result : new IrSequence([bound], result);
    }

    /// <summary>Whether a switch statement needs the section-number form (pattern labels, when clauses, or a non-integer value).</summary>
    private static bool IsPatternSwitch(ISwitchOperation sw, WgslType selectorType)
        => !selectorType.IsInteger || selectorType.IsVector
            || sw.Cases.SelectMany(c => c.Clauses).Any(c => c is not (IDefaultCaseClauseOperation or ISingleValueCaseClauseOperation { Value.ConstantValue.HasValue: true }));

    /// <summary>
    /// A switch statement with pattern labels: a WGSL switch on the section number <c>test0 ? 0 : test1 ? 1 : ... : -1</c>,
    /// the tests in C#'s order (default last, wherever it stands), so
    /// that break and continue keep their C# meaning.
    /// </summary>
    private void PatternSwitch(ISwitchOperation sw, WgslType selectorType)
    {
        if (selectorType.IsStruct && sw.Cases.SelectMany(c => c.Clauses).Any(c => c is ISingleValueCaseClauseOperation))
        {
            module.Report(DiagnosticDescriptors.UnsupportedStatement, ((SwitchStatementSyntax)sw.Syntax).SwitchKeyword.GetLocation(), "switch",
                "a struct value is matched with field patterns: case { A: > 0 }:");
            return;
        }
        var subject = Value(sw.Value);
        if (subject is not null && BindSubject(ref subject, sw.Cases.SelectMany(c => c.Clauses).OfType<IPatternCaseClauseOperation>().Select(c => (IOperation)c.Pattern).ToArray()) is { } bound)
            Emit(bound);
        var tests = new List<(IrExpr Test, int Section)>();
        bool failed = subject is null;
        for (int s = 0; s < sw.Cases.Length; s++)
        {
            foreach (var clause in sw.Cases[s].Clauses)
            {
                IrExpr? test;
                switch (clause)
                {
                    case IDefaultCaseClauseOperation:
                        continue;
                    case ISingleValueCaseClauseOperation single when subject is not null:
                        test = PatternComparisonValue(single.Value, subject, selectorType, clause);
                        break;
                    case IPatternCaseClauseOperation patternClause when subject is not null:
                        test = MatchesAll(patternClause.Pattern) ? null : Pattern(patternClause.Pattern, subject, selectorType);
                        if (test is null && !MatchesAll(patternClause.Pattern))
                            break;
                        if (patternClause.Guard is not null)
                        {
                            var guard = Value(patternClause.Guard);
                            test = guard is null ? null : test is null ? guard : PatternAnd(test, guard);
                            if (guard is null)
                                break;
                        }
                        test ??= IrLiteral.Bool(true);
                        break;
                    case IPatternCaseClauseOperation or ISingleValueCaseClauseOperation:
                        test = null;
                        break;
                    default:
                        module.Report(DiagnosticDescriptors.UnsupportedPattern, clause.Syntax, Snippet(clause.Syntax), "this case label has no WGSL translation");
                        test = null;
                        break;
                }
                if (test is null)
                    failed = true;
                else
                    tests.Add((test, s));
            }
        }
        if (failed)
            return;
        IrExpr chain = IrLiteral.I32(-1);
        for (int i = tests.Count - 1; i >= 0; i--)
            chain = tests[i].Test is IrLiteral { Kind: IrLiteralKind.Bool, Bits: 1 } ? IrLiteral.I32(tests[i].Section) : new IrConditional(tests[i].Test, IrLiteral.I32(tests[i].Section), chain, WgslType.I32);
        var cases = new List<IrSwitchCase>();
        for (int s = 0; s < sw.Cases.Length; s++)
        {
            var selectors = new List<IrExpr?>();
            if (tests.Any(t => t.Section == s))
                selectors.Add(IrLiteral.I32(s));
            if (sw.Cases[s].Clauses.Any(c => c is IDefaultCaseClauseOperation))
                selectors.Add(null);
            if (selectors.Count == 0)
                continue; // no label can choose it
            cases.Add(new IrSwitchCase(selectors, SectionBody(sw.Cases[s].Body)));
        }
        Emit(new IrSwitch(chain, cases));
    }

    /// <summary><c>case 5:</c> in a pattern switch: equality with the governing value.</summary>
    private IrExpr? PatternComparisonValue(IOperation value, IrExpr subject, WgslType type, ICaseClauseOperation clause)
    {
        if (clause.Syntax is CaseSwitchLabelSyntax && value.ConstantValue.HasValue)
            return PatternComparisonConstant(value, subject, type, clause.Syntax);
        module.Report(DiagnosticDescriptors.UnsupportedPattern, clause.Syntax, Snippet(clause.Syntax), "case labels are constants or patterns");
        return null;
    }

    private IrExpr? PatternComparisonConstant(IOperation value, IrExpr subject, WgslType type, SyntaxNode at)
    {
        if (NaNPattern(value, subject, type) is { } isNaN)
            return isNaN;
        var constant = Constant(value.ConstantValue, value.Type, value.Syntax);
        var valueType = MapType(value.Type, value.Syntax);
        if (constant is null || valueType is null)
            return null;
        return BinaryOperator(BinaryOperatorKind.Equals, subject, type, valueType.Name == type.Name ? constant : Convert(constant, valueType, type), type, at);
    }

    /// <summary>
    /// C# matches a NaN constant (<c>is float.NaN</c>, <c>case float.NaN:</c>) with float.IsNaN: every NaN
    /// matches, whatever its payload, where a comparison with NaN is never true. The test is the bit-pattern
    /// isNaN that float.IsNaN uses (a compiler may fold <c>x != x</c>). Null when the constant is no NaN.
    /// </summary>
    private IrCall? NaNPattern(IOperation constant, IrExpr subject, WgslType type)
    {
        if (constant.ConstantValue is not { HasValue: true, Value: float f } || !float.IsNaN(f) || type.Scalar != WgslScalar.F32 || type.IsVector)
            return null;
        return new IrCall(module.RequirePolyfill("isNaN_f32", Polyfills.FloatClassification("IsNaN", half: false)), [subject], WgslType.Bool);
    }
}
