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
        var counter = new Counter(this);
        counter.Block(function.Body);
        sizes[function] = counter.Size;
        return counter.Size;
    }

    /// <summary>The callee whose inlined size contributes most to <paramref name="function"/> (for the diagnostic).</summary>
    public (IrFunction Callee, long Size)? Heaviest(IrFunction function)
    {
        (IrFunction, long)? best = null;
        foreach (var callee in IrWalker.Callees(function.Body))
        {
            long size = Of(callee);
            if (best is null || size > best.Value.Item2)
                best = (callee, size);
        }
        return best;
    }

    private static long Add(long a, long b) => System.Math.Min(a + b, long.MaxValue / 4);

    /// <summary>One per statement (blocks are only their statements), plus each call's callee's inlined size.</summary>
    private sealed class Counter : IrWalker
    {
        private readonly InlinedSize sizes;

        public Counter(InlinedSize sizes) => this.sizes = sizes;

        public long Size { get; private set; }

        public override void Statement(IrStmt statement)
        {
            if (statement is not IrBlock)
                Size = Add(Size, 1);
            base.Statement(statement);
        }

        public override void Expression(IrExpr? expression)
        {
            if (expression is IrCall { Callee: IrFunction callee })
                Size = Add(Size, sizes.Of(callee));
            base.Expression(expression);
        }
    }
}
