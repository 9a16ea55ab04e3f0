using System.Collections.Generic;
using KernelGen.Generator.Translation.Ir;

namespace KernelGen.Generator.Translation.Passes;

/// <summary>
/// How big a function becomes once every call in it is inlined, as GPU shader compilers do (WGSL has no
/// recursion, and Vulkan drivers inline every function). A module whose text is small can still expand
/// exponentially — helpers that each call the next twice, 30 deep, are a billion statements to a driver,
/// which then exhausts the machine's memory — so the translator refuses such a kernel (KG0033).
/// </summary>
/// <remarks>
/// The size counts statements and calls: a call costs its callee's whole inlined size (memoized per function,
/// so measuring is linear in the module); a call inside a loop counts once, since loops are not unrolled.
/// </remarks>
internal sealed class InlinedSize
{
    /// <summary>More than this many inlined statements is refused (a driver takes about 1.5 KB of memory for each).</summary>
    public const long Limit = 100_000;

    private readonly Dictionary<IrCallable, long> sizes = new(Identity<IrCallable>.Comparer);

    /// <summary>The inlined size of <paramref name="function"/>, saturating well above <see cref="Limit"/>.</summary>
    public long Of(IrFunction function)
    {
        if (sizes.TryGetValue(function, out var known))
            return known;
        sizes[function] = 0; // recursion is reported elsewhere; never loop here
        long size = Block(function.Body);
        sizes[function] = size;
        return size;
    }

    /// <summary>The callee whose inlined size contributes most to <paramref name="function"/> (for the diagnostic).</summary>
    public (IrFunction Callee, long Size)? Heaviest(IrFunction function)
    {
        (IrFunction, long)? best = null;
        foreach (var callee in Callees(function.Body))
        {
            long size = Of(callee);
            if (best is null || size > best.Value.Item2)
                best = (callee, size);
        }
        return best;
    }

    private static long Add(long a, long b) => System.Math.Min(a + b, long.MaxValue / 4);

    private long Block(IrBlock? block)
    {
        long size = 0;
        if (block is null)
            return size;
        foreach (var statement in block.Statements)
            size = Add(size, Statement(statement));
        return size;
    }

    private long Statement(IrStmt statement)
    {
        long size = 1;
        switch (statement)
        {
            case IrBlock b:
                return Block(b);
            case IrDeclare d:
                return Add(size, Expression(d.Initializer));
            case IrAssign a:
                return Add(size, Add(Expression(a.Target), Expression(a.Value)));
            case IrIncrement i:
                return Add(size, Expression(i.Target));
            case IrCallStatement c:
                return Add(size, Expression(c.Call));
            case IrReturn r:
                return Add(size, Expression(r.Value));
            case IrIf i:
                return Add(size, Add(Expression(i.Condition), Add(Block(i.Then), Block(i.Else))));
            case IrFor f:
                size = Add(size, f.Initializer is null ? 0 : Statement(f.Initializer));
                size = Add(size, Expression(f.Condition));
                size = Add(size, f.Update is null ? 0 : Statement(f.Update));
                return Add(size, Block(f.Body));
            case IrWhile w:
                return Add(size, Add(Expression(w.Condition), Block(w.Body)));
            case IrLoop l:
                return Add(size, Add(Block(l.Body), Add(Block(l.Continuing), Expression(l.BreakIf))));
            case IrSwitch s:
                size = Add(size, Expression(s.Selector));
                foreach (var c in s.Cases)
                    size = Add(size, Block(c.Body));
                return size;
            default:
                return size;
        }
    }

    private long Expression(IrExpr? expression)
    {
        if (expression is null)
            return 0;
        long size = expression is IrCall { Callee: IrFunction callee } ? Of(callee) : 0;
        foreach (var child in expression.Children)
            size = Add(size, Expression(child));
        return size;
    }

    private static IEnumerable<IrFunction> Callees(IrBlock block)
    {
        var seen = new HashSet<IrFunction>(Identity<IrFunction>.Comparer);
        var expressions = new Stack<IrExpr>();
        var statements = new Stack<IrStmt>(block.Statements);
        while (statements.Count > 0)
        {
            switch (statements.Pop())
            {
                case IrBlock b: foreach (var s in b.Statements) statements.Push(s); break;
                case IrDeclare d when d.Initializer is not null: expressions.Push(d.Initializer); break;
                case IrAssign a: if (a.Target is not null) expressions.Push(a.Target); expressions.Push(a.Value); break;
                case IrIncrement i: expressions.Push(i.Target); break;
                case IrCallStatement c: expressions.Push(c.Call); break;
                case IrReturn { Value: { } v }: expressions.Push(v); break;
                case IrIf i: expressions.Push(i.Condition); statements.Push(i.Then); if (i.Else is not null) statements.Push(i.Else); break;
                case IrFor f:
                    if (f.Initializer is not null) statements.Push(f.Initializer);
                    if (f.Condition is not null) expressions.Push(f.Condition);
                    if (f.Update is not null) statements.Push(f.Update);
                    statements.Push(f.Body);
                    break;
                case IrWhile w: if (w.Condition is not null) expressions.Push(w.Condition); statements.Push(w.Body); break;
                case IrLoop l: statements.Push(l.Body); if (l.Continuing is not null) statements.Push(l.Continuing); if (l.BreakIf is not null) expressions.Push(l.BreakIf); break;
                case IrSwitch s: expressions.Push(s.Selector); foreach (var c in s.Cases) statements.Push(c.Body); break;
            }
            while (expressions.Count > 0)
            {
                var e = expressions.Pop();
                if (e is IrCall { Callee: IrFunction f } && seen.Add(f))
                    yield return f;
                foreach (var child in e.Children)
                    expressions.Push(child);
            }
        }
    }
}
