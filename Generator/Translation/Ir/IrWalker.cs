using System.Collections.Generic;

namespace KernelGen.Generator.Translation.Ir;

/// <summary>
/// The one walk over IR: every statement kind and every expression, in C#'s evaluation order. A pass derives from
/// it and overrides only the cases it cares about; the defaults visit every part of a statement (its expressions,
/// then its nested statements, as the statement runs them) and every child of an expression. A new IR node needs
/// one case here (and one in the printer), and every pass sees it.
/// </summary>
/// <remarks>
/// Expressions are trees whose nodes may be shared (an intrinsic that uses an argument twice); the walk visits a
/// shared node once per use, as evaluation would.
/// </remarks>
internal abstract class IrWalker
{
    public void Walk(IrFunction function) => Block(function.Body);

    /// <summary>Visits each statement of <paramref name="block"/> (nothing for null).</summary>
    public virtual void Block(IrBlock? block)
    {
        if (block is null)
            return;
        foreach (var statement in block.Statements)
            Statement(statement);
    }

    /// <summary>Dispatches on the statement's kind.</summary>
    public virtual void Statement(IrStmt statement)
    {
        switch (statement)
        {
            case IrBlock block: Block(block); break;
            case IrDeclare declare: Declare(declare); break;
            case IrAssign assign: Assign(assign); break;
            case IrIncrement increment: Increment(increment); break;
            case IrCallStatement call: CallStatement(call); break;
            case IrIf conditional: If(conditional); break;
            case IrFor loop: For(loop); break;
            case IrWhile loop: While(loop); break;
            case IrLoop loop: Loop(loop); break;
            case IrSwitch sw: Switch(sw); break;
            case IrReturn ret: Return(ret); break;
            case IrBreak b: Break(b); break;
            case IrContinue c: Continue(c); break;
            case IrBarrier barrier: Barrier(barrier); break;
            default: throw new System.InvalidOperationException("IrWalker: no case for " + statement.GetType().Name);
        }
    }

    protected virtual void Declare(IrDeclare declare) => Expression(declare.Initializer);

    /// <summary>The value, then the target (a place: its indices are evaluated; a compound form also reads it).</summary>
    protected virtual void Assign(IrAssign assign)
    {
        Expression(assign.Value);
        Expression(assign.Target);
    }

    protected virtual void Increment(IrIncrement increment) => Expression(increment.Target);

    protected virtual void CallStatement(IrCallStatement call) => Expression(call.Call);

    protected virtual void If(IrIf conditional)
    {
        Expression(conditional.Condition);
        Block(conditional.Then);
        Block(conditional.Else);
    }

    protected virtual void For(IrFor loop)
    {
        if (loop.Initializer is not null)
            Statement(loop.Initializer);
        Expression(loop.Condition);
        Block(loop.Body);
        if (loop.Update is not null)
            Statement(loop.Update);
    }

    protected virtual void While(IrWhile loop)
    {
        Expression(loop.Condition);
        Block(loop.Body);
    }

    protected virtual void Loop(IrLoop loop)
    {
        Block(loop.Body);
        Block(loop.Continuing);
        Expression(loop.BreakIf);
    }

    protected virtual void Switch(IrSwitch sw)
    {
        Expression(sw.Selector);
        foreach (var section in sw.Cases)
            Block(section.Body);
    }

    protected virtual void Return(IrReturn ret) => Expression(ret.Value);

    protected virtual void Break(IrBreak statement)
    {
    }

    protected virtual void Continue(IrContinue statement)
    {
    }

    protected virtual void Barrier(IrBarrier barrier)
    {
    }

    /// <summary>Visits <paramref name="expression"/> (nothing for null); by default, its children in order.</summary>
    public virtual void Expression(IrExpr? expression)
    {
        if (expression is null)
            return;
        if (expression is IrSequence sequence)
        {
            foreach (var statement in sequence.Statements)
                Statement(statement);
        }
        foreach (var child in expression.Children)
            Expression(child);
    }

    /// <summary>The helpers <paramref name="block"/> calls directly, each once, in the order of their first call.</summary>
    public static List<IrFunction> Callees(IrBlock block)
    {
        var finder = new CalleeFinder();
        finder.Block(block);
        return finder.Found;
    }

    /// <summary>Whether any expression of <paramref name="block"/> (or a declared variable, as a reference) satisfies <paramref name="test"/>.</summary>
    public static bool Any(IrBlock? block, System.Func<IrExpr, bool> test)
    {
        var finder = new ExpressionFinder(test);
        finder.Block(block);
        return finder.Found;
    }

    private sealed class CalleeFinder : IrWalker
    {
        private readonly HashSet<IrFunction> seen = new(Identity<IrFunction>.Comparer);

        public List<IrFunction> Found { get; } = [];

        public override void Expression(IrExpr? expression)
        {
            if (expression is IrCall { Callee: IrFunction callee } && seen.Add(callee))
                Found.Add(callee);
            base.Expression(expression);
        }
    }

    private sealed class ExpressionFinder : IrWalker
    {
        private readonly System.Func<IrExpr, bool> test;

        public ExpressionFinder(System.Func<IrExpr, bool> test) => this.test = test;

        public bool Found { get; private set; }

        public override void Statement(IrStmt statement)
        {
            if (!Found)
                base.Statement(statement);
        }

        protected override void Declare(IrDeclare declare)
        {
            Found |= test(new IrRef(declare.Variable));
            base.Declare(declare);
        }

        public override void Expression(IrExpr? expression)
        {
            if (expression is null || Found)
                return;
            if (test(expression))
            {
                Found = true;
                return;
            }
            base.Expression(expression);
        }
    }
}
