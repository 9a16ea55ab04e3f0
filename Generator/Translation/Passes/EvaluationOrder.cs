using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;

namespace KernelGen.Generator.Translation.Passes;

/// <summary>
/// Makes WGSL evaluate every expression as C# does: each once, left to right, short-circuits and lazy
/// conditionals kept. WGSL already evaluates operands and arguments left to right and short-circuits
/// <c>&amp;&amp;</c>/<c>||</c>; what it cannot say inline is moved into statements before the one that needs
/// it, in C#'s order:
/// <list type="bullet">
/// <item>a conditional that calls a helper (which may write memory, loop or wait) in a branch, or whose
/// condition calls one while a branch reads memory, becomes <c>var ternary_N</c> set by if/else (WGSL's
/// <c>select</c> evaluates both branches, and them before the condition);</item>
/// <item>an impure node used more than once (an intrinsic that uses an argument twice, the target of a
/// spelled-out compound assignment) is bound to a <c>let</c> once;</item>
/// <item>an assignment target's index that calls a helper, or reads memory the value can change, is bound
/// to <c>let index_N</c> first (C# evaluates the target first);</item>
/// <item>the arguments of a struct initializer, which C# evaluates in the initialisers' order;</item>
/// <item>anything evaluated before such a statement whose result the moved code could change (it reads
/// memory the moved code writes, or writes memory it reads) is bound to a <c>let</c> before it too, and
/// the right operand of <c>&amp;&amp;</c>/<c>||</c> and the branches of a conditional get their statements
/// inside an if, so they still run only when C# runs them.</item>
/// </list>
/// A <see cref="IrSequence"/> (statements lowering made for one expression) is such moved code: its statements go
/// ahead in the same way, and none is left for the printer.
/// Loop conditions and updates that need statements move into the loop (<c>loop { ...; if (!c) { break; } }</c>).
/// </summary>
internal sealed class EvaluationOrder
{
    private readonly IrFunction function;
    private readonly IrModule module;
    private readonly Effects effects = new();
    private readonly Dictionary<string, int> counters = new(System.StringComparer.Ordinal);

    // Per statement.
    private readonly Dictionary<IrExpr, bool> needsHoist = new(Identity<IrExpr>.Comparer);
    private readonly HashSet<IrExpr> repeated = new(Identity<IrExpr>.Comparer);
    private readonly Dictionary<IrExpr, IrExpr> bound = new(Identity<IrExpr>.Comparer);

    private EvaluationOrder(IrFunction function, IrModule module)
    {
        this.function = function;
        this.module = module;
    }

    public static void Run(IrFunction function, IrModule module)
    {
        var pass = new EvaluationOrder(function, module);
        var body = pass.Block(function.Body);
        function.Body.Statements.Clear();
        function.Body.Statements.AddRange(body.Statements);
    }

    /// <summary>
    /// Whether a conditional must run as if/else: it chooses a struct (select() takes scalars and vectors only),
    /// a branch calls a helper, or the condition calls one and a branch reads memory.
    /// </summary>
    public static bool IsLazy(IrConditional conditional)
        => conditional.Type is { IsStruct: true } or { IsMatrix: true } || CallsHelper(conditional.WhenTrue) || CallsHelper(conditional.WhenFalse)
            || (CallsHelper(conditional.Condition) && (ReadsMemory(conditional.WhenTrue) || ReadsMemory(conditional.WhenFalse)));

    /// <remarks>Atomics (built-ins and their polyfills) count: they write memory.</remarks>
    internal static bool CallsHelper(IrExpr e)
        => e is IrSequence or IrCall { Callee: IrFunction } or IrCall { Callee.Effects.IsImpure: true } or IrBuiltinCall { IsPure: false, Name: not "atomicLoad" }
            || e.Children.Any(CallsHelper);

    private static bool ReadsMemory(IrExpr e)
        => e is IrSequence
            || e is IrIndex index && Effects.Root(index) is { } root && Effects.IsMemory(root)
            || e is IrRef { Variable.IsAddressed: true } or IrUnary { Op: IrUnaryOp.Deref } // what a helper may write through a pointer
            || e.Children.Any(ReadsMemory);

    private IrBlock Block(IrBlock block)
    {
        var output = new IrBlock();
        foreach (var statement in block.Statements)
            Statement(statement, output.Statements);
        return output;
    }

    private IrBlock? OptionalBlock(IrBlock? block) => block is null ? null : Block(block);

    private void Statement(IrStmt statement, List<IrStmt> output)
    {
        int first = output.Count;
        Rewrite(statement, output);
        // What replaces the statement (and the temporaries it needs first) keeps its C# statement for diagnostics.
        for (int i = first; i < output.Count; i++)
            output[i].Syntax ??= statement.Syntax;
    }

    private void Rewrite(IrStmt statement, List<IrStmt> output)
    {
        switch (statement)
        {
            case IrBlock block:
                output.Add(Block(block));
                break;
            case IrDeclare declare:
                Begin(declare.Initializer);
                output.Add(new IrDeclare(declare.Variable, declare.Initializer is null ? null : Expression(declare.Initializer, output)));
                break;
            case IrAssign assign:
                Assign(assign, output);
                break;
            case IrIncrement increment:
            {
                Begin(increment.Target);
                var target = Place(increment.Target, null, output);
                output.Add(new IrIncrement(target, increment.Increment));
                break;
            }
            case IrCallStatement call:
                Begin(call.Call);
                output.Add(new IrCallStatement(Expression(call.Call, output)));
                break;
            case IrReturn ret:
                Begin(ret.Value);
                output.Add(new IrReturn(ret.Value is null ? null : Expression(ret.Value, output)));
                break;
            case IrIf conditional:
                Begin(conditional.Condition);
                var condition = Expression(conditional.Condition, output);
                output.Add(new IrIf(condition, Block(conditional.Then), OptionalBlock(conditional.Else)) { IsElseIf = conditional.IsElseIf });
                break;
            case IrFor loop:
                For(loop, output);
                break;
            case IrWhile loop:
                if (loop.Condition is not null && Begin(loop.Condition) && NeedsHoist(loop.Condition))
                {
                    // The condition needs statements first: test it at the top of the loop.
                    var body = new IrBlock();
                    body.Statements.Add(BreakUnless(loop.Condition, body.Statements));
                    body.Statements.AddRange(Block(loop.Body).Statements);
                    output.Add(new IrLoop(body));
                }
                else
                {
                    output.Add(new IrWhile(loop.Condition, Block(loop.Body)));
                }
                break;
            case IrLoop loop:
            {
                var body = Block(loop.Body);
                var continuing = OptionalBlock(loop.Continuing);
                var breakIf = loop.BreakIf;
                if (breakIf is not null && Begin(breakIf) && NeedsHoist(breakIf))
                {
                    continuing ??= new IrBlock();
                    breakIf = Expression(breakIf, continuing.Statements);
                }
                output.Add(new IrLoop(body, continuing, breakIf));
                break;
            }
            case IrSwitch sw:
                Begin(sw.Selector);
                var selector = Expression(sw.Selector, output);
                output.Add(new IrSwitch(selector, sw.Cases.Select(c => new IrSwitchCase(c.Selectors, Block(c.Body))).ToList()));
                break;
            default:
                output.Add(statement);
                break;
        }
    }

    private void For(IrFor loop, List<IrStmt> output)
    {
        bool general = (loop.Condition is not null && Begin(loop.Condition) && NeedsHoist(loop.Condition))
            || (loop.Update is not null && StatementNeedsHoist(loop.Update))
            || (loop.Initializer is not null && StatementNeedsHoist(loop.Initializer));
        if (!general)
        {
            output.Add(new IrFor(loop.Initializer, loop.Condition, loop.Update, Block(loop.Body)));
            return;
        }
        // { init; loop { if (!condition) { break; } body; continuing { update } } }
        var outer = new IrBlock();
        if (loop.Initializer is not null)
            Statement(loop.Initializer, outer.Statements);
        var body = new IrBlock();
        if (loop.Condition is not null)
        {
            Begin(loop.Condition);
            body.Statements.Add(BreakUnless(loop.Condition, body.Statements));
        }
        body.Statements.AddRange(Block(loop.Body).Statements);
        IrBlock? continuing = null;
        if (loop.Update is not null)
        {
            continuing = new IrBlock();
            Statement(loop.Update, continuing.Statements);
        }
        outer.Statements.Add(new IrLoop(body, continuing));
        output.Add(outer);
    }

    /// <summary><c>if (!condition) { break; }</c>, the condition's statements going to <paramref name="output"/> first.</summary>
    private IrIf BreakUnless(IrExpr condition, List<IrStmt> output)
        => new(new IrUnary(IrUnaryOp.Not, Expression(condition, output)), new IrBlock([new IrBreak()]), null);

    /// <summary>Whether lowering <paramref name="statement"/> needs statements before it (a dry run).</summary>
    private bool StatementNeedsHoist(IrStmt statement)
    {
        var savedCounters = new Dictionary<string, int>(counters, System.StringComparer.Ordinal);
        var savedNames = new HashSet<string>(function.Names, System.StringComparer.Ordinal);
        var scratch = new List<IrStmt>();
        Statement(statement, scratch);
        counters.Clear();
        foreach (var pair in savedCounters)
            counters[pair.Key] = pair.Value;
        function.Names.Clear();
        function.Names.UnionWith(savedNames);
        return scratch.Count != 1;
    }

    private void Assign(IrAssign assign, List<IrStmt> output)
    {
        if (assign.Target is null)
        {
            Begin(assign.Value);
            output.Add(new IrAssign(null, Expression(assign.Value, output)));
            return;
        }
        Begin(assign.Target, assign.Value);
        var value = assign.Value;
        var target = Place(assign.Target, value, output);
        // A spelled-out compound assignment reads the target inside the value: the same place, indices bound once.
        bound[assign.Target] = target;
        int mark = output.Count;
        var newValue = Expression(value, output);
        if (assign.Compound is { } localOp && Effects.Root(target) is { } written && !Effects.IsMemory(written) && ReadsLocalWrittenBy(target, output.Skip(mark)))
        {
            // x += x++: C# reads x before the value's statements change it.
            var old = Temporary("value", target, output, mark);
            output.Add(new IrAssign(target, new IrBinary(localOp, old, newValue, target.Type!)));
            return;
        }
        if (assign.Compound is { } op && Effects.Root(target) is { } root && Effects.IsMemory(root))
        {
            // C# reads the target before it evaluates the value: if the value's code (moved ahead, or the value
            // itself) can change the target's memory, read it first.
            var later = effects.Of(output.Skip(mark));
            later.Add(effects.Of(newValue));
            if (Effects.ReadOf(target).ConflictsWith(later))
            {
                var old = Temporary("value", target, output, mark);
                output.Add(new IrAssign(target, new IrBinary(op, old, newValue, target.Type!)));
                return;
            }
        }
        output.Add(new IrAssign(target, newValue, assign.Compound));
    }

    /// <summary>
    /// An assignment target with its indices evaluated: bound to <c>let index_N</c> when they call a helper, or
    /// read memory that the value (<paramref name="value"/>) can change.
    /// </summary>
    private IrExpr Place(IrExpr target, IrExpr? value, List<IrStmt> output)
    {
        switch (target)
        {
            case IrIndex index:
            {
                var array = Place(index.Array, value, output);
                var i = index.Index;
                IrExpr newIndex;
                if (bound.TryGetValue(i, out var known))
                {
                    newIndex = known;
                }
                else
                {
                    newIndex = Expression(i, output);
                    bool bind = i is not (IrLiteral or IrRef) && (CallsHelper(newIndex) || effects.Of(newIndex).IsImpure
                        || (value is not null && (CallsHelper(value) || effects.Of(value).IsImpure) && ReadsMemory(newIndex)))
                        || (i is not IrLiteral && value is not null && ReadsAny(newIndex, LocalsWrittenBy(value)));
                    if (bind)
                    {
                        newIndex = Temporary("index", newIndex, output, output.Count);
                        bound[i] = newIndex;
                    }
                }
                return new IrIndex(array, newIndex, index.Type!);
            }
            case IrMember member:
                return new IrMember(Place(member.Instance, value, output), member.Member, member.Type!);
            case IrSwizzle swizzle:
                return new IrSwizzle(Place(swizzle.Vector, value, output), swizzle.Components, swizzle.Type!);
            default:
                return target;
        }
    }

    /// <summary>Starts a statement: finds the impure nodes its expressions use more than once.</summary>
    private bool Begin(params IrExpr?[] expressions)
    {
        needsHoist.Clear();
        repeated.Clear();
        bound.Clear();
        var seen = new HashSet<IrExpr>(Identity<IrExpr>.Comparer);
        var stack = new Stack<IrExpr>();
        foreach (var e in expressions)
        {
            if (e is not null)
                stack.Push(e);
        }
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (e is IrLiteral or IrRef)
                continue;
            if (!seen.Add(e))
            {
                if (effects.Of(e).IsImpure)
                    repeated.Add(e);
                continue;
            }
            foreach (var child in e.Children)
                stack.Push(child);
        }
        return true;
    }

    /// <summary>Whether <paramref name="e"/> needs statements before it (see the class summary).</summary>
    private bool NeedsHoist(IrExpr e)
    {
        if (needsHoist.TryGetValue(e, out var known))
            return known;
        bool result = e is IrSequence
            || repeated.Contains(e)
            || (e is IrConditional conditional && IsLazy(conditional))
            || (e is IrConstruct { Order: not null } construct && OutOfOrderConflict(construct))
            || e.Children.Any(NeedsHoist);
        needsHoist[e] = result;
        return result;
    }

    /// <summary>Whether printing a struct initializer's arguments in field order could change what C#'s order gives.</summary>
    private bool OutOfOrderConflict(IrConstruct construct)
    {
        var children = construct.Children;
        for (int i = 0; i < children.Count; i++)
        {
            for (int j = i + 1; j < children.Count; j++)
            {
                if (construct.Order![i] > construct.Order[j] && effects.Of(children[i]).ConflictsWith(effects.Of(children[j])))
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// <paramref name="e"/> as an expression evaluated where it stands, with what must run first appended to
    /// <paramref name="output"/> in C#'s order.
    /// </summary>
    private IrExpr Expression(IrExpr e, List<IrStmt> output)
    {
        if (bound.TryGetValue(e, out var known))
            return known;
        if (!NeedsHoist(e))
            return e;
        IrExpr result;
        switch (e)
        {
            case IrConditional conditional when IsLazy(conditional):
            {
                var condition = Expression(conditional.Condition, output);
                var temporary = new IrVariable(Fresh("ternary"), conditional.Type!, IrVariableKind.Var);
                output.Add(new IrDeclare(temporary, null));
                var then = new IrBlock();
                then.Statements.Add(new IrAssign(new IrRef(temporary), Expression(conditional.WhenTrue, then.Statements)));
                var otherwise = new IrBlock();
                otherwise.Statements.Add(new IrAssign(new IrRef(temporary), Expression(conditional.WhenFalse, otherwise.Statements)));
                output.Add(new IrIf(condition, then, otherwise));
                result = new IrRef(temporary);
                break;
            }
            case IrSequence sequence:
                foreach (var statement in sequence.Statements)
                    NestedStatement(statement, output);
                result = Expression(sequence.Value, output);
                break;
            case IrBinary { IsShortCircuit: true } logical when NeedsHoist(logical.Right):
            {
                // var t = left; if (t) { t = right; } (|| tests !t): the right side runs only when C# runs it.
                var left = Expression(logical.Left, output);
                var temporary = new IrVariable(Fresh("logical"), WgslType.Bool, IrVariableKind.Var);
                output.Add(new IrDeclare(temporary, left));
                var then = new IrBlock();
                var right = Expression(logical.Right, then.Statements);
                then.Statements.Add(new IrAssign(new IrRef(temporary), right));
                IrExpr test = logical.Op == IrBinaryOp.LogicalAnd ? new IrRef(temporary) : new IrUnary(IrUnaryOp.Not, new IrRef(temporary));
                output.Add(new IrIf(test, then, null));
                result = new IrRef(temporary);
                break;
            }
            default:
                result = Children(e, output);
                break;
        }
        if (repeated.Contains(e) && result is not (IrRef or IrLiteral))
            result = Temporary("value", result, output, output.Count);
        bound[e] = result;
        return result;
    }

    /// <summary>
    /// A statement of a <see cref="IrSequence"/>, lowered into <paramref name="output"/> in the middle of the statement
    /// that holds the sequence (whose per-statement state is kept around it).
    /// </summary>
    private void NestedStatement(IrStmt statement, List<IrStmt> output)
    {
        var savedHoist = new Dictionary<IrExpr, bool>(needsHoist, Identity<IrExpr>.Comparer);
        var savedRepeated = new HashSet<IrExpr>(repeated, Identity<IrExpr>.Comparer);
        var savedBound = new Dictionary<IrExpr, IrExpr>(bound, Identity<IrExpr>.Comparer);
        Statement(statement, output);
        needsHoist.Clear();
        foreach (var pair in savedHoist)
            needsHoist[pair.Key] = pair.Value;
        repeated.Clear();
        repeated.UnionWith(savedRepeated);
        bound.Clear();
        foreach (var pair in savedBound)
            bound[pair.Key] = pair.Value;
    }

    /// <summary>
    /// The node with its children evaluated in order. A child evaluated before statements that a later child
    /// needs is bound to a let ahead of them when those statements could change its value (or it theirs).
    /// </summary>
    private IrExpr Children(IrExpr e, List<IrStmt> output)
    {
        var children = e.Children;
        int last = -1;
        for (int i = 0; i < children.Count; i++)
        {
            if (NeedsHoist(children[i]))
                last = i;
        }
        var results = new IrExpr[children.Count];
        var marks = new int[children.Count];
        for (int i = 0; i < children.Count; i++)
        {
            results[i] = Expression(children[i], output);
            marks[i] = output.Count;
        }
        bool outOfOrder = e is IrConstruct { Order: not null } construct && OutOfOrderConflict(construct);
        for (int i = (outOfOrder ? children.Count : last) - 1; i >= 0; i--)
        {
            if (results[i] is IrLiteral)
                continue;
            if (ReadsLocalWrittenBy(results[i], output.Skip(marks[i])))
            {
                // i + i++: the hoisted statements change a local that was read before them.
                results[i] = Temporary("value", results[i], output, marks[i]);
                continue;
            }
            if (results[i] is IrRef)
                continue;
            var later = effects.Of(output.Skip(marks[i]));
            for (int j = i + 1; j < children.Count && outOfOrder; j++)
                later.Add(effects.Of(results[j]));
            if (effects.Of(results[i]).ConflictsWith(later))
            {
                // A pointer (&x[i] of an atomic, or of a helper's reference argument) is not a value to bind: its
                // indices are what C# evaluated first.
                if (results[i] is IrUnary { Op: IrUnaryOp.AddressOf } address)
                {
                    int at = marks[i];
                    results[i] = new IrUnary(IrUnaryOp.AddressOf, BindIndices(address.Operand, output, ref at), address.Type!);
                }
                else
                {
                    results[i] = Temporary("value", results[i], output, marks[i]);
                }
            }
        }
        return e.WithChildren(results);
    }

    private static void Restore<TKey, TValue>(Dictionary<TKey, TValue> target, Dictionary<TKey, TValue> saved)
    {
        target.Clear();
        foreach (var pair in saved)
            target[pair.Key] = pair.Value;
    }

    private static void Restore<T>(HashSet<T> target, HashSet<T> saved)
    {
        target.Clear();
        target.UnionWith(saved);
    }

    /// <summary>The function variables (not memory: <see cref="Effects"/> counts that) that <paramref name="statements"/> assign.</summary>
    private static HashSet<IrVariable> LocalsWritten(IEnumerable<IrStmt> statements)
    {
        var finder = new LocalWrites();
        foreach (var statement in statements)
            finder.Statement(statement);
        return finder.Written;
    }

    /// <summary>The function variables that the assignments used as values inside <paramref name="e"/> assign.</summary>
    private static HashSet<IrVariable> LocalsWrittenBy(IrExpr e)
    {
        var finder = new LocalWrites();
        finder.Expression(e);
        return finder.Written;
    }

    private static bool ReadsLocalWrittenBy(IrExpr e, IEnumerable<IrStmt> statements)
    {
        var written = LocalsWritten(statements);
        return written.Count > 0 && ReadsAny(e, written);
    }

    private static bool ReadsAny(IrExpr e, HashSet<IrVariable> variables)
        => variables.Count > 0 && (e is IrRef reference && variables.Contains(reference.Variable) || e.Children.Any(c => ReadsAny(c, variables)));

    private sealed class LocalWrites : IrWalker
    {
        public HashSet<IrVariable> Written { get; } = new(Identity<IrVariable>.Comparer);

        protected override void Assign(IrAssign assign)
        {
            if (assign.Target is not null && Effects.Root(assign.Target) is { } root && !root.IsGlobal)
                Written.Add(root);
            base.Assign(assign);
        }

        protected override void Increment(IrIncrement increment)
        {
            if (Effects.Root(increment.Target) is { } root && !root.IsGlobal)
                Written.Add(root);
            base.Increment(increment);
        }
    }

    /// <summary>The place with each index that is not a literal or a variable bound to a <c>let</c> inserted at <paramref name="at"/>, in C#'s order.</summary>
    private IrExpr BindIndices(IrExpr place, List<IrStmt> output, ref int at)
    {
        switch (place)
        {
            case IrIndex index:
            {
                var array = BindIndices(index.Array, output, ref at);
                var i = index.Index;
                if (i is not (IrLiteral or IrRef))
                {
                    i = Temporary("index", i, output, at);
                    at++;
                }
                return new IrIndex(array, i, index.Type!);
            }
            case IrMember member:
                return new IrMember(BindIndices(member.Instance, output, ref at), member.Member, member.Type!);
            case IrSwizzle swizzle:
                return new IrSwizzle(BindIndices(swizzle.Vector, output, ref at), swizzle.Components, swizzle.Type!);
            default:
                return place;
        }
    }

    /// <summary>Binds <paramref name="value"/> to a fresh <c>let</c> inserted at <paramref name="at"/>.</summary>
    private IrRef Temporary(string prefix, IrExpr value, List<IrStmt> output, int at)
    {
        var temporary = new IrVariable(Fresh(prefix), value.Type!, IrVariableKind.Let);
        output.Insert(at, new IrDeclare(temporary, value));
        return new IrRef(temporary);
    }

    private string Fresh(string prefix)
    {
        counters.TryGetValue(prefix, out int n);
        string name;
        do
        {
            name = prefix + "_" + n++;
        }
        while (function.Names.Contains(name) || module.Names.Contains(name));
        counters[prefix] = n;
        function.Names.Add(name);
        return name;
    }
}
