using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Assignments, compound assignments and <c>++</c>/<c>--</c> used as values (<c>stack[sp++] = node</c>,
/// <c>p[n++] = v</c>, <c>while (++i &lt; 64)</c>, <c>t = u = v = 0f</c>): the update as a statement plus a
/// <c>let</c> holding C#'s value (the target read before a postfix update, after any other), as one
/// <see cref="IrSequence"/> that the evaluation-order pass moves to where C# runs it.
/// </summary>
internal sealed partial class FunctionLowering
{
    private IrSequence? SideEffectValue(IOperation op)
    {
        var target = op switch
        {
            ISimpleAssignmentOperation { IsRef: false } assignment => assignment.Target,
            ICompoundAssignmentOperation compound => compound.Target,
            IIncrementOrDecrementOperation increment => increment.Target,
            _ => null,
        };
        // The target is lowered twice (once to update, once to read): that is C#'s meaning only when evaluating
        // it has no effect of its own (a[i++] += 1 used as a value would run i++ twice).
        if (target is null || target is IDiscardOperation || HasEffects(target))
        {
            module.Report(DiagnosticDescriptors.SideEffectAsValue, op.Syntax, Snippet(op.Syntax));
            return null;
        }
        if (IsAtomicElement(target, out var site))
            return AtomicUpdateValue(op, site);
        bool postfix = op is IIncrementOrDecrementOperation { IsPostfix: true };
        IrVariable? result = null;
        // Inside the value of an assignment to a host-layout element, this update is one of its own (HostUpdate).
        bool savedHostTarget = hostTargetAllowed;
        hostTargetAllowed = false;
        var block = Block(() =>
        {
            if (postfix)
                result = Read(target);
            var saved = referenceWriteBacks;
            referenceWriteBacks = null; // not a call on its own line: no write-backs
            try
            {
                if (UpdateStatement(op) is { } update)
                    Emit(update);
            }
            finally
            {
                referenceWriteBacks = saved;
            }
            if (!postfix)
                result = Read(target);
        });
        hostTargetAllowed = savedHostTarget;
        return result is null ? null : new IrSequence(block.Statements, new IrRef(result));
    }

    /// <summary>A let holding the target's current value, declared in the current block; null when it failed (reported).</summary>
    private IrVariable? Read(IOperation target)
    {
        var value = Value(target);
        if (value?.Type is null)
            return null;
        var variable = new IrVariable(FreshName("value"), value.Type, IrVariableKind.Let);
        Emit(new IrDeclare(variable, value));
        return variable;
    }

    /// <summary>Whether evaluating <paramref name="op"/> can change anything (an assignment, ++, a call of a method with source).</summary>
    private static bool HasEffects(IOperation op)
        => op.DescendantsAndSelf().Any(o => o is IAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation
            || o is IInvocationOperation { TargetMethod.DeclaringSyntaxReferences.Length: > 0 });
}
