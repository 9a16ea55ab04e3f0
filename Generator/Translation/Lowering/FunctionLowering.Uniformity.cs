using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

internal sealed partial class FunctionLowering
{
    /// <summary>
    /// WGSL requires every invocation of a workgroup to reach a barrier (uniform control flow), and
    /// Dawn rejects the pipeline otherwise. Report it at compile time for the common cases: a
    /// barrier under a condition, loop or switch that depends on a per-invocation value (thread or
    /// local id, read-write buffer or workgroup array contents), or after a return, break or
    /// continue taken under such a condition. The analysis is flow-insensitive for locals.
    /// </summary>
    private void CheckBarrierUniformity(IBlockOperation body)
        => CheckUniformity(body, null, new HashSet<string>(System.StringComparer.Ordinal));

    /// <summary>
    /// The check on one body: the kernel's, or (with <paramref name="varyingParameters"/>) a helper's that waits at a
    /// barrier or makes a subgroup operation, where the parameters whose argument differs between invocations count as
    /// per-invocation values, as do the elements of its Span parameters (WGSL analyses each call site the same way).
    /// </summary>
    private void CheckUniformity(IOperation body, HashSet<IParameterSymbol>? varyingParameters, HashSet<string> visited)
    {
        var barriers = body.Descendants().OfType<IInvocationOperation>().Where(c => IsBarrierCall(c) || IsSubgroupCall(c)).ToList();
        if (barriers.Count == 0)
            return;
        bool IsSource(IOperation o) => IsVaryingSource(o) || varyingParameters is not null
            && (o is IParameterReferenceOperation p && varyingParameters.Contains(p.Parameter)
                || o is IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation indexed } && module.Known.Span.Matches(indexed.Parameter.Type));
        var varying = VaryingLocals(body, IsSource);
        bool IsVarying(IOperation? op) => op is not null && op.DescendantsAndSelf().Any(o => IsSource(o) || o is ILocalReferenceOperation l && varying.Contains(l.Local));

        var exits = body.Descendants()
            .Where(o => o is IReturnOperation || o is IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue })
            .Where(o => VaryingCondition(o, body, IsVarying) is not null)
            .ToList();
        foreach (var barrier in barriers)
        {
            string? why = VaryingCondition(barrier, body, IsVarying);
            if (why is null)
            {
                foreach (var exit in exits)
                {
                    // WGSL's analysis never reconverges: after an exit taken by some invocations only, the rest of the
                    // function is non-uniform, and so is every loop around the exit (its next iteration), even where the
                    // barrier comes first in the text (a barrier at the top of a loop whose body later breaks, continues
                    // or returns under a per-invocation condition).
                    if (exit.Syntax.SpanStart < barrier.Syntax.SpanStart || EnclosingLoops(exit).Any(loop => loop.Syntax.Span.Contains(barrier.Syntax.Span)))
                    {
                        why = $"the '{exit.Syntax.GetFirstToken().Text}' on line {exit.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1} is taken by some invocations only ({VaryingCondition(exit, body, IsVarying)})";
                        break;
                    }
                }
            }
            if (why is not null)
            {
                module.Report(IsBarrierCall(barrier) ? DiagnosticDescriptors.BarrierInNonUniformFlow : DiagnosticDescriptors.SubgroupInNonUniformFlow,
                    barrier.Syntax, Snippet(barrier.Syntax), why);
                continue;
            }
            var target = barrier.TargetMethod;
            if (module.IsSubgroupOperation(target))
            {
                // WGSL requires the delta and mask of these to be the same for every invocation (a computed lane goes to Shuffle).
                if (target.Name is "ShuffleXor" or "ShuffleUp" or "ShuffleDown"
                    && barrier.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1)?.Value is { } operand && IsVarying(operand))
                {
                    module.Report(DiagnosticDescriptors.SubgroupOperandNotUniform, operand.Syntax, Snippet(operand.Syntax), "Subgroup." + target.Name);
                }
                continue;
            }
            // A helper: check its body with the parameters this call gives per-invocation values.
            var parameters = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
            foreach (var argument in barrier.Arguments)
            {
                if (argument.Parameter is { } parameter && IsVarying(argument.Value))
                    parameters.Add(parameter.OriginalDefinition);
            }
            string key = target.OriginalDefinition.ToDisplayString() + "|" + string.Join(",", parameters.Select(p => p.Ordinal).OrderBy(o => o));
            if (!visited.Add(key))
                continue;
            foreach (var reference in target.OriginalDefinition.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(module.CancellationToken);
                if (FindLimitViolation(syntax) is null && module.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, module.CancellationToken) is { } helperBody)
                    CheckUniformity(helperBody, parameters, visited);
            }
        }
    }

    private static IEnumerable<ILoopOperation> EnclosingLoops(IOperation op)
    {
        for (var parent = op.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
                yield return loop;
        }
    }

    /// <summary>Why <paramref name="op"/> runs under a per-invocation condition, or null.</summary>
    private static string? VaryingCondition(IOperation op, IOperation root, System.Func<IOperation?, bool> isVarying)
    {
        var child = op;
        for (var parent = op.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            IOperation? condition = parent switch
            {
                IConditionalOperation c when child != c.Condition => c.Condition,
                IWhileLoopOperation w => w.Condition,
                IForLoopOperation f => f.Condition,
                ISwitchOperation s when child != s.Value => s.Value,
                IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } b when child == b.RightOperand => b.LeftOperand,
                _ => null,
            };
            if (isVarying(condition))
                return $"it depends on '{Snippet(condition!.Syntax)}', which differs between invocations";
        }
        return null;
    }

    private bool IsBarrierCall(IInvocationOperation call)
        => module.Known.IsWorkgroupBarrier(call.TargetMethod)
            || module.ContainsBarrier(call.TargetMethod);

    /// <summary>A Subgroup operation, or a call of a helper that makes one: WGSL's uniformity rules for barriers apply.</summary>
    private bool IsSubgroupCall(IInvocationOperation call)
        => module.IsSubgroupOperation(call.TargetMethod)
            || call.TargetMethod.DeclaringSyntaxReferences.Length > 0 && module.ContainsSubgroupOperation(call.TargetMethod);

    /// <summary>
    /// Per-invocation values: thread and local ids, the subgroup lane, read-write buffer and workgroup array elements,
    /// and the results of subgroup operations (equal within a subgroup only: WGSL counts them as non-uniform).
    /// </summary>
    private bool IsVaryingSource(IOperation op)
        => op is IPropertyReferenceOperation { Instance: IParameterReferenceOperation p } property
            && kernelParameters.TryGetValue(p.Parameter, out var binding)
            && (binding.Kind is ParameterKind.ThreadId or ParameterKind.LocalId
                || binding.Kind == ParameterKind.SubgroupId && property.Property.Name == "Lane"
                || property.Property.IsIndexer && binding.Kind is ParameterKind.Buffer or ParameterKind.Shared)
            || op is IInvocationOperation call && IsSubgroupCall(call);

    /// <summary>The local that an element, field or component write ends in (<c>a[i].X</c>: <c>a</c>); null for other targets.</summary>
    private static ILocalSymbol? RootLocal(IOperation target)
    {
        while (true)
        {
            switch (target)
            {
                case ILocalReferenceOperation local:
                    return local.Local;
                case IFieldReferenceOperation { Instance: { } instance }:
                    target = instance;
                    continue;
                case IArrayElementReferenceOperation element:
                    target = element.ArrayReference;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                    target = instance;
                    continue;
                default:
                    return null;
            }
        }
    }

    private HashSet<ILocalSymbol> VaryingLocals(IOperation body, System.Func<IOperation, bool> isVaryingSource)
    {
        var writes = new List<(ILocalSymbol Local, IOperation Value)>();
        foreach (var op in body.Descendants())
        {
            switch (op)
            {
                case IVariableDeclaratorOperation { Initializer: { } init } declarator:
                    writes.Add((declarator.Symbol, init.Value));
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                    writes.Add((target.Local, assignment.Value)); // also compound assignments (k += id.X)
                    break;
                case IAssignmentOperation assignment when RootLocal(assignment.Target) is { } root:
                    writes.Add((root, assignment)); // an element or field: its index counts as much as its value
                    break;
                case IIncrementOrDecrementOperation increment when RootLocal(increment.Target) is { } root:
                    writes.Add((root, increment));
                    break;
                case IInvocationOperation { Instance: { } instance } call when IsSpan(instance.Type) && Unwrap(instance) is ILocalReferenceOperation filled:
                    writes.Add((filled.Local, call)); // Fill(v), CopyTo
                    break;
                case IArgumentOperation { Parameter: { } parameter } argument when IsSpanOrArray(parameter.Type) && Unwrap(argument.Value) is ILocalReferenceOperation array:
                    writes.Add((array.Local, argument.Parent!)); // a helper that writes the array: varying when the call is
                    break;
            }
        }
        var varying = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var (local, value) in writes)
            {
                if (!varying.Contains(local) && value.DescendantsAndSelf().Any(o => isVaryingSource(o) || o is ILocalReferenceOperation l && varying.Contains(l.Local)))
                {
                    varying.Add(local);
                    changed = true;
                }
            }
        }
        return varying;
    }
}
