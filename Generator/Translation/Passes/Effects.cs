using System.Collections.Generic;
using KernelGen.Generator.Translation.Ir;

namespace KernelGen.Generator.Translation.Passes;

/// <summary>
/// What expressions, statements and functions do to memory that others can see (buffers, workgroup arrays):
/// the facts the evaluation-order pass reorders by. Locals are private to a function and never counted.
/// </summary>
internal sealed class Effects
{
    private readonly Dictionary<IrExpr, IrEffects> cache = new(Identity<IrExpr>.Comparer);

    /// <summary>The effects of evaluating <paramref name="expression"/> once.</summary>
    public IrEffects Of(IrExpr expression)
    {
        if (cache.TryGetValue(expression, out var known))
            return known;
        IrEffects result;
        switch (expression)
        {
            case IrRef { Variable.IsAddressed: true } addressed:
                // A variable passed by pointer to a helper: a read of it is ordered against the helper's writes.
                result = new IrEffects();
                result.Reads.Add(addressed.Variable);
                break;
            case IrLiteral or IrRef:
                result = IrEffects.Pure;
                break;
            case IrSequence sequence:
                result = new IrEffects();
                result.Add(Of(sequence.Statements));
                result.Add(Of(sequence.Value));
                break;
            case IrUnary { Op: IrUnaryOp.AddressOf } address:
                // &buffer for arrayLength (the length never changes), &x[i] for an atomic: only the indices run.
                result = new IrEffects();
                foreach (var index in PlaceIndices(address.Operand))
                    result.Add(Of(index));
                if (result.IsEmpty)
                    result = IrEffects.Pure;
                break;
            default:
                result = new IrEffects();
                foreach (var child in expression.Children)
                    result.Add(Of(child));
                switch (expression)
                {
                    case IrIndex index when Root(index) is { } memory && IsMemory(memory):
                        result.Reads.Add(memory);
                        break;
                    case IrUnary { Op: IrUnaryOp.Deref } pointer when Root(pointer) is { } memory:
                        result.Reads.Add(memory); // *p: what a pointer parameter points to
                        break;
                    case IrCall call:
                        result.Add(call.Callee.Effects);
                        AddPointerArguments(result, call);
                        break;
                    case IrBuiltinCall { IsPure: false, Arguments.Count: > 0 } atomic
                        when atomic.Name.StartsWith("atomic", System.StringComparison.Ordinal) && atomic.Arguments[0] is IrUnary { Op: IrUnaryOp.AddressOf } pointer
                            && Root(pointer.Operand) is { IsSharedMemory: true } memory:
                        // An atomic built-in reads (atomicLoad) or reads and writes the element it points at.
                        result.Reads.Add(memory);
                        if (atomic.Name != "atomicLoad")
                            result.Writes.Add(memory);
                        break;
                    case IrBuiltinCall { IsPure: false }:
                        result.Barrier = true;
                        break;
                }
                if (result.IsEmpty)
                    result = IrEffects.Pure;
                break;
        }
        cache[expression] = result;
        return result;
    }

    /// <summary>The effects of running <paramref name="statements"/>.</summary>
    public IrEffects Of(IEnumerable<IrStmt> statements)
    {
        var collector = new Collector(this);
        foreach (var statement in statements)
            collector.Statement(statement);
        return collector.Result;
    }

    /// <summary>What calling <paramref name="function"/> can do (its body's effects).</summary>
    public static IrEffects OfFunction(IrFunction function) => new Effects().Of(function.Body.Statements);

    /// <summary>Adds up the effects of statements: each expression's (cached), places written, barriers.</summary>
    private sealed class Collector : IrWalker
    {
        private readonly Effects effects;

        public Collector(Effects effects) => this.effects = effects;

        public IrEffects Result { get; } = new();

        protected override void Assign(IrAssign assign)
        {
            Result.Add(effects.Of(assign.Value));
            if (assign.Target is not null)
                effects.AddPlace(Result, assign.Target, read: assign.Compound is not null);
        }

        protected override void Increment(IrIncrement increment) => effects.AddPlace(Result, increment.Target, read: true);

        protected override void Barrier(IrBarrier barrier) => Result.Barrier = true;

        public override void Expression(IrExpr? expression)
        {
            if (expression is not null)
                Result.Add(effects.Of(expression));
        }
    }

    /// <summary>Writing (and, for compound forms, reading) the place <paramref name="target"/>.</summary>
    public void AddPlace(IrEffects result, IrExpr target, bool read)
    {
        foreach (var index in PlaceIndices(target))
            result.Add(Of(index));
        if (Root(target) is { } memory && IsMemory(memory))
        {
            result.Writes.Add(memory);
            if (read)
                result.Reads.Add(memory);
        }
    }

    /// <summary>The effects of reading the place <paramref name="target"/> (its indices already evaluated).</summary>
    public static IrEffects ReadOf(IrExpr target)
    {
        if (Root(target) is not { } memory || !IsMemory(memory))
            return IrEffects.Pure;
        var result = new IrEffects();
        result.Reads.Add(memory);
        return result;
    }

    /// <summary>
    /// Memory whose order of access matters: buffers and workgroup arrays, and per-invocation arrays (and the pointer
    /// parameters of helpers given one), which a helper can write through a pointer.
    /// </summary>
    public static bool IsMemory(IrVariable variable) => variable.IsSharedMemory || variable.Type.ArrayElement is not null || variable.Type.PointeeType is not null || variable.IsAddressed;

    /// <summary>A helper's reads and writes through its pointer parameters are the caller's, of the arrays it passed.</summary>
    private static void AddPointerArguments(IrEffects result, IrCall call)
    {
        if (call.Callee is not IrFunction function)
            return;
        for (int i = 0; i < call.Arguments.Count && i < function.Parameters.Count; i++)
        {
            var passed = call.Arguments[i] switch
            {
                IrUnary { Op: IrUnaryOp.AddressOf, Operand: IrRef array } when array.Variable.Type.ArrayElement is not null || array.Variable.IsAddressed => array.Variable,
                IrRef { Variable.Type.PointeeType: not null } pointer => pointer.Variable,
                _ => null,
            };
            if (passed is null)
                continue;
            var parameter = function.Parameters[i];
            if (function.Effects.Writes.Contains(parameter))
                result.Writes.Add(passed);
            if (function.Effects.Reads.Contains(parameter))
                result.Reads.Add(passed);
        }
    }

    /// <summary>The variable a place or element read is rooted at (<c>buffer</c> in <c>buffer[i].x</c>).</summary>
    public static IrVariable? Root(IrExpr place)
    {
        while (true)
        {
            switch (place)
            {
                case IrRef reference:
                    return reference.Variable;
                case IrIndex index:
                    place = index.Array;
                    continue;
                case IrMember member:
                    place = member.Instance;
                    continue;
                case IrSwizzle swizzle:
                    place = swizzle.Vector;
                    continue;
                case IrUnary { Op: IrUnaryOp.Deref } pointer:
                    place = pointer.Operand;
                    continue;
                default:
                    return null;
            }
        }
    }

    /// <summary>The index expressions of a place, outermost array first (C#'s order).</summary>
    public static List<IrExpr> PlaceIndices(IrExpr place)
    {
        var indices = new List<IrExpr>();
        while (true)
        {
            switch (place)
            {
                case IrIndex index:
                    indices.Insert(0, index.Index);
                    place = index.Array;
                    continue;
                case IrMember member:
                    place = member.Instance;
                    continue;
                case IrSwizzle swizzle:
                    place = swizzle.Vector;
                    continue;
                default:
                    return indices;
            }
        }
    }
}
