using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Conditional expressions whose branches call helper methods. WGSL's select() evaluates both
/// branches, which is only right while they have no side effects; a helper can write a buffer or
/// loop, so such a <c>c ? a : b</c> becomes a temporary set by if/else in statements written just
/// before the statement that uses it. That moves the branches ahead of the rest of the statement,
/// so it is done only where the order C# gives is kept, and reported (KG0031) elsewhere.
/// </summary>
internal sealed partial class WgslFunctionTranslator
{
    /// <summary>
    /// The operation whose evaluation starts where the writer now stands: code written now runs
    /// just before it. Null where nothing can be written before the expression being translated
    /// (e.g. a loop condition written inside the loop header).
    /// </summary>
    private IOperation? hoistRoot;
    private readonly HashSet<string> temporaries = new(System.StringComparer.Ordinal);

    /// <summary>A call to a method translated as a WGSL function of its own (which may write buffers or loop).</summary>
    /// <remarks>Atomics count as such calls: they write a buffer in the middle of an expression.</remarks>
    private static bool IsHelperCall(IOperation op)
        => op is IInvocationOperation { TargetMethod: { } target }
            && (target.DeclaringSyntaxReferences.Length > 0 && Intrinsics.Find(target) is null || AtomicOperations.IsAtomicClass(target.ContainingType));

    /// <summary>A <c>c ? a : b</c> expression with a helper call in a branch: it must run as if/else.</summary>
    /// <remarks>
    /// Also when the condition calls a helper and a branch reads a buffer: select() evaluates its arguments
    /// left to right, branches first, so the branch would read the buffer before the helper could write it.
    /// </remarks>
    private static bool IsLazyTernary(IOperation op)
        => op is IConditionalOperation { WhenFalse: { } whenFalse } conditional
            && conditional.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalExpressionSyntax
            && (conditional.WhenTrue.DescendantsAndSelf().Any(IsHelperCall) || whenFalse.DescendantsAndSelf().Any(IsHelperCall)
                || (conditional.Condition.DescendantsAndSelf().Any(IsHelperCall)
                    && (conditional.WhenTrue.DescendantsAndSelf().Any(IsElementRead) || whenFalse.DescendantsAndSelf().Any(IsElementRead))));

    private static bool IsElementRead(IOperation op)
        => op is IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } && IsSpan(instance.Type);

    private static bool ContainsLazyTernary(IOperation? op) => op is not null && op.DescendantsAndSelf().Any(IsLazyTernary);

    /// <summary>Translates <paramref name="op"/> with code for its lazy conditionals written just before it.</summary>
    private WgslExpression HoistingValue(IOperation op)
    {
        var saved = hoistRoot;
        hoistRoot = op;
        try
        {
            return Value(op);
        }
        finally
        {
            hoistRoot = saved;
        }
    }

    private WgslExpression LazyTernary(IConditionalOperation op)
    {
        if (WhyNotHoistable(op) is { } why)
        {
            module.Report(DiagnosticDescriptors.HelperCallInConditionalExpression, op.Syntax, Snippet(op.Syntax), why);
            return WgslExpression.Error;
        }
        var type = MapType(op.Type, op.Syntax);
        if (type is null)
            return WgslExpression.Error;
        var condition = HoistingValue(op.Condition);
        string name = NewTemporary("ternary");
        w.Line($"var {name}: {type.Name};");
        w.Open($"if ({condition.Text}) {{");
        w.Line($"{name} = {HoistingValue(op.WhenTrue).Text};");
        w.Close("} else {");
        w.Indent++;
        w.Line($"{name} = {HoistingValue(op.WhenFalse!).Text};");
        w.Close();
        return WgslExpression.Primary(name);
    }

    private string NewTemporary(string prefix)
    {
        string name;
        int n = temporaries.Count(t => t.StartsWith(prefix + "_", System.StringComparison.Ordinal));
        do
        {
            name = prefix + "_" + n++;
        }
        while (module.IsModuleName(name) || calledNames.Contains(name) || names.ContainsValue(name) || temporaries.Contains(name));
        temporaries.Add(name);
        return name;
    }

    /// <summary>Why the if/else for <paramref name="op"/> cannot be written before the current statement, or null.</summary>
    private string? WhyNotHoistable(IConditionalOperation op)
    {
        if (hoistRoot is null)
            return "it is in a place where no statement can run before it";
        BufferAccess? access = null;
        IOperation child = op;
        while (child != hoistRoot)
        {
            var parent = child.Parent;
            if (parent is null)
                return "it is in a place where no statement can run before it";
            if (parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical && child == logical.RightOperand)
            {
                string symbol = logical.OperatorKind == BinaryOperatorKind.ConditionalAnd ? "&&" : "||";
                return $"it is on the right of '{symbol}', which C# evaluates only when '{Snippet(logical.LeftOperand.Syntax)}' lets it";
            }
            foreach (var sibling in parent.ChildOperations)
            {
                if (sibling == child || sibling.Syntax.SpanStart >= child.Syntax.SpanStart)
                    continue;
                access ??= Access(op);
                bool assigned = parent is ISimpleAssignmentOperation assignment && sibling == assignment.Target;
                if (OrderConflict(sibling, assigned, access) is { } conflict)
                {
                    string what = conflict.Part == sibling ? $"'{Snippet(sibling.Syntax)}'" : $"'{Snippet(conflict.Part.Syntax)}' in '{Snippet(sibling.Syntax)}'";
                    return $"{what} comes before it and {conflict.Why}, so running the branches first would change the result";
                }
            }
            child = parent;
        }
        return null;
    }

    /// <summary>The buffers an expression reads and the buffers its helper calls can write (by WGSL name: one per kernel buffer).</summary>
    private sealed class BufferAccess
    {
        public HashSet<string> Reads { get; } = new(System.StringComparer.Ordinal);
        public HashSet<string> Writes { get; } = new(System.StringComparer.Ordinal);
        public bool Barrier { get; set; }
    }

    private BufferAccess Access(IOperation op)
    {
        var access = new BufferAccess();
        foreach (var o in op.DescendantsAndSelf())
        {
            if (IsHelperCall(o) && o is IInvocationOperation call)
            {
                access.Barrier |= module.ContainsBarrier(call.TargetMethod);
                foreach (var (buffer, writable) in SpanArguments(call))
                {
                    access.Reads.Add(buffer);
                    if (writable)
                        access.Writes.Add(buffer);
                }
            }
            else if (BufferRead(o) is { } read)
            {
                access.Reads.Add(read);
            }
        }
        return access;
    }

    /// <summary>
    /// How running a conditional with <paramref name="conditional"/> access before <paramref name="op"/>
    /// can change what <paramref name="op"/> does, or null. Lazy conditionals inside it are written
    /// out ahead too, in order, so they do not count; nor does the element an assignment only writes.
    /// </summary>
    private (IOperation Part, string Why)? OrderConflict(IOperation op, bool assignedTarget, BufferAccess conditional)
    {
        if (IsLazyTernary(op))
            return null;
        if (IsHelperCall(op) && op is IInvocationOperation call)
        {
            if (module.ContainsBarrier(call.TargetMethod))
                return (op, "calls a helper that waits at a workgroup barrier");
            foreach (var (buffer, writable) in SpanArguments(call))
            {
                if (conditional.Barrier)
                    return (op, "uses a buffer, and a helper in the conditional waits at a workgroup barrier");
                if (conditional.Writes.Contains(buffer))
                    return (op, "passes a buffer that a helper in the conditional can write");
                if (writable && conditional.Reads.Contains(buffer))
                    return (op, "lets a helper write a buffer that the conditional reads");
            }
        }
        else if (!assignedTarget && BufferRead(op) is { } read)
        {
            if (conditional.Writes.Contains(read))
                return (op, "reads a buffer that a helper in the conditional can write");
            if (conditional.Barrier)
                return (op, "reads a buffer, and a helper in the conditional waits at a workgroup barrier");
        }
        foreach (var child in op.ChildOperations)
        {
            if (OrderConflict(child, false, conditional) is { } conflict)
                return conflict;
        }
        return null;
    }

    /// <summary>The buffers a helper call passes to Span (writable) and ReadOnlySpan parameters.</summary>
    private IEnumerable<(string Buffer, bool Writable)> SpanArguments(IInvocationOperation call)
    {
        if (AtomicOperations.IsAtomicClass(call.TargetMethod.ContainingType)
            && AtomicOperations.Location(call) is IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } atomicArray } && BufferName(atomicArray) is { } atomicBuffer)
            yield return (atomicBuffer, true);
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } parameter && IsSpan(parameter.Type) && BufferName(argument.Value) is { } buffer)
                yield return (buffer, parameter.Type.Name == "Span");
        }
    }

    /// <summary>The buffer an element read (<c>x[i]</c>) reads, or null.</summary>
    private string? BufferRead(IOperation op)
        => op is IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } && IsSpan(instance.Type) ? BufferName(instance) : null;

    private string? BufferName(IOperation value)
    {
        while (value is IConversionOperation { Conversion.IsImplicit: true } conversion)
            value = conversion.Operand;
        if (value is not IParameterReferenceOperation reference)
            return null;
        return kernelParameters.TryGetValue(reference.Parameter, out var binding) ? binding.WgslName : reference.Parameter.Name;
    }
}
