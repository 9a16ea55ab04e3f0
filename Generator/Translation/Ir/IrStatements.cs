using System.Collections.Generic;

namespace KernelGen.Generator.Translation.Ir;

/// <summary>A WGSL statement.</summary>
internal abstract class IrStmt
{
    /// <summary>
    /// The C# statement it was lowered from (a barrier: its call), for the diagnostics of passes; null for what a
    /// pass made without one. Not part of what the statement means: the printer never reads it.
    /// </summary>
    public Microsoft.CodeAnalysis.SyntaxNode? Syntax { get; set; }
}

/// <summary>A list of statements; printed with braces where it stands as a statement of its own.</summary>
internal sealed class IrBlock : IrStmt
{
    public IrBlock(List<IrStmt>? statements = null) => Statements = statements ?? [];

    public List<IrStmt> Statements { get; }
}

/// <summary><c>let</c>, <c>var</c> or <c>const</c> declaration (the kind is the variable's).</summary>
internal sealed class IrDeclare : IrStmt
{
    public IrDeclare(IrVariable variable, IrExpr? initializer)
    {
        Variable = variable;
        Initializer = initializer;
    }

    public IrVariable Variable { get; }

    public IrExpr? Initializer { get; }
}

/// <summary>
/// <c>target = value</c>, or <c>target op= value</c> when <see cref="Compound"/> is set; a null target is the
/// phony assignment <c>_ = value</c>.
/// </summary>
internal sealed class IrAssign : IrStmt
{
    public IrAssign(IrExpr? target, IrExpr value, IrBinaryOp? compound = null)
    {
        Target = target;
        Value = value;
        Compound = compound;
    }

    public IrExpr? Target { get; }

    public IrExpr Value { get; }

    public IrBinaryOp? Compound { get; }
}

/// <summary><c>target++</c> / <c>target--</c> (integers; floats are lowered to <c>+= 1.0f</c>).</summary>
internal sealed class IrIncrement : IrStmt
{
    public IrIncrement(IrExpr target, bool increment)
    {
        Target = target;
        Increment = increment;
    }

    public IrExpr Target { get; }

    public bool Increment { get; }
}

/// <summary>A call whose value is not used (a function that returns nothing).</summary>
internal sealed class IrCallStatement : IrStmt
{
    public IrCallStatement(IrExpr call) => Call = call;

    public IrExpr Call { get; }
}

internal sealed class IrIf : IrStmt
{
    public IrIf(IrExpr condition, IrBlock then, IrBlock? @else)
    {
        Condition = condition;
        Then = then;
        Else = @else;
    }

    public IrExpr Condition { get; }

    public IrBlock Then { get; }

    /// <summary>The else part; a block holding exactly one <see cref="IrIf"/> marked <see cref="IsElseIf"/> prints as <c>else if</c>.</summary>
    public IrBlock? Else { get; }

    /// <summary>Written as <c>else if</c> in C# (and printed so while it is alone in its else block).</summary>
    public bool IsElseIf { get; init; }
}

/// <summary><c>for (init; condition; update) { body }</c> with at most one statement in each header part.</summary>
internal sealed class IrFor : IrStmt
{
    public IrFor(IrStmt? initializer, IrExpr? condition, IrStmt? update, IrBlock body)
    {
        Initializer = initializer;
        Condition = condition;
        Update = update;
        Body = body;
    }

    public IrStmt? Initializer { get; }

    public IrExpr? Condition { get; }

    public IrStmt? Update { get; }

    public IrBlock Body { get; }
}

/// <summary><c>while (condition) { body }</c>; a null condition is <c>while (true)</c>.</summary>
internal sealed class IrWhile : IrStmt
{
    public IrWhile(IrExpr? condition, IrBlock body)
    {
        Condition = condition;
        Body = body;
    }

    public IrExpr? Condition { get; }

    public IrBlock Body { get; }
}

/// <summary><c>loop { body continuing { continuing; break if breakIf; } }</c>.</summary>
internal sealed class IrLoop : IrStmt
{
    public IrLoop(IrBlock body, IrBlock? continuing = null, IrExpr? breakIf = null)
    {
        Body = body;
        Continuing = continuing;
        BreakIf = breakIf;
    }

    public IrBlock Body { get; }

    public IrBlock? Continuing { get; }

    /// <summary>The condition of the <c>break if</c> that ends the continuing block, if any.</summary>
    public IrExpr? BreakIf { get; }
}

internal sealed class IrBreak : IrStmt
{
}

internal sealed class IrContinue : IrStmt
{
}

internal sealed class IrReturn : IrStmt
{
    public IrReturn(IrExpr? value) => Value = value;

    public IrExpr? Value { get; }
}

/// <summary>One clause of a switch: its selectors in C# order, null standing for <c>default</c>.</summary>
internal sealed class IrSwitchCase
{
    public IrSwitchCase(List<IrExpr?> selectors, IrBlock body)
    {
        Selectors = selectors;
        Body = body;
    }

    public List<IrExpr?> Selectors { get; }

    public IrBlock Body { get; }
}

internal sealed class IrSwitch : IrStmt
{
    public IrSwitch(IrExpr selector, List<IrSwitchCase> cases)
    {
        Selector = selector;
        Cases = cases;
    }

    public IrExpr Selector { get; }

    public List<IrSwitchCase> Cases { get; }
}

internal enum IrBarrierKind
{
    Workgroup,
    Storage,
}

/// <summary><c>workgroupBarrier()</c> / <c>storageBarrier()</c>: every invocation of the workgroup must reach it.</summary>
internal sealed class IrBarrier : IrStmt
{
    public IrBarrier(IrBarrierKind kind) => Kind = kind;

    public IrBarrierKind Kind { get; }
}
