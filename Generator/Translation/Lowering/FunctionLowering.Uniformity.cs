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
    {
        var barriers = body.Descendants().OfType<IInvocationOperation>().Where(IsBarrierCall).ToList();
        if (barriers.Count == 0)
            return;
        var varying = VaryingLocals(body);
        bool IsVarying(IOperation? op) => op is not null && op.DescendantsAndSelf().Any(o => IsVaryingSource(o) || o is ILocalReferenceOperation l && varying.Contains(l.Local));

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
                    if (exit.Syntax.SpanStart >= barrier.Syntax.SpanStart)
                        continue;
                    if (exit is IReturnOperation || EnclosingLoop(exit) is { } loop && barrier.Syntax.Span.IntersectsWith(loop.Syntax.Span) && loop.Syntax.Span.Contains(barrier.Syntax.Span))
                    {
                        why = $"the '{exit.Syntax.GetFirstToken().Text}' on line {exit.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1} is taken by some invocations only ({VaryingCondition(exit, body, IsVarying)})";
                        break;
                    }
                }
            }
            if (why is not null)
                module.Report(DiagnosticDescriptors.BarrierInNonUniformFlow, barrier.Syntax, Snippet(barrier.Syntax), why);
        }
    }

    private static ILoopOperation? EnclosingLoop(IOperation op)
    {
        for (var parent = op.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
                return loop;
        }
        return null;
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
        => call.TargetMethod is { Name: "Barrier" or "StorageBarrier", ContainingType: { Name: "Workgroup", ContainingNamespace.Name: "KernelGen" } }
            || module.ContainsBarrier(call.TargetMethod);

    /// <summary>Per-invocation values: thread and local ids, read-write buffer and workgroup array elements.</summary>
    private bool IsVaryingSource(IOperation op)
        => op is IPropertyReferenceOperation { Instance: IParameterReferenceOperation p } property
            && kernelParameters.TryGetValue(p.Parameter, out var binding)
            && (binding.Kind is ParameterKind.ThreadId or ParameterKind.LocalId
                || property.Property.IsIndexer && binding.Kind is ParameterKind.Buffer or ParameterKind.Shared);

    private HashSet<ILocalSymbol> VaryingLocals(IBlockOperation body)
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
                    writes.Add((target.Local, assignment.Value));
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
                if (!varying.Contains(local) && value.DescendantsAndSelf().Any(o => IsVaryingSource(o) || o is ILocalReferenceOperation l && varying.Contains(l.Local)))
                {
                    varying.Add(local);
                    changed = true;
                }
            }
        }
        return varying;
    }
}
