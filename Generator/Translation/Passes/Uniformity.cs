using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Translation.Ir;
using KernelGen.Generator.Translation.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KernelGen.Generator.Translation.Passes;

/// <summary>
/// WGSL's uniformity analysis over the IR, after the evaluation-order pass (so on the control flow the printer
/// writes): every invocation of a workgroup must reach a barrier (KG0030) and a subgroup operation (KG0045), and
/// a shuffle's delta or mask must be the same for all of them (KG0047); Dawn refuses the pipeline otherwise.
/// </summary>
/// <remarks>
/// <para>
/// Values. Uniform: literals, overrides, the uniform block, read-only buffers, <c>arrayLength</c>, workgroup_id,
/// num_workgroups and subgroup_size, and what is computed from them only. Per-invocation: the invocation ids and
/// the subgroup lane, reads of read-write buffers, workgroup arrays and private variables, atomics and subgroup
/// results, a helper's result that depends on one, a helper's parameter given one at its call, and what is computed
/// from them. A local is per-invocation when any write of it (value, index, or the control flow it happens under) is;
/// this is flow-insensitive, and so more conservative than WGSL's analysis, which follows each variable through
/// the statements.
/// </para>
/// <para>
/// Control flow is per-invocation inside an if, switch or loop whose condition is, on the right of a short-circuit
/// <c>&amp;&amp;</c> / <c>||</c> or in a branch of <c>?:</c> whose left side or condition is, and, as in WGSL, it
/// does not reconverge after an exit taken by some invocations only until the construct it leaves ends: after a
/// <c>return</c> under such control the rest of the function is per-invocation (a caller reconverges at the
/// helper's return: the code after the call is not); after a <c>break</c> or <c>continue</c>
/// the rest of the loop and every later iteration are (the code after the loop is uniform again, unless the loop can
/// also return); after a <c>break</c> out of a switch case, the rest of that case.
/// </para>
/// <para>
/// Helpers are analysed at each call with the parameters the call gives per-invocation values (memoised by that
/// set): a helper that waits at a barrier or makes a subgroup operation, called under per-invocation control, is
/// reported at the call; otherwise what it does inside is reported inside.
/// </para>
/// </remarks>
internal sealed class Uniformity
{
    /// <summary>The entry point's built-in values that differ between the invocations of a workgroup.</summary>
    private static readonly HashSet<string> perInvocationBuiltins = new(System.StringComparer.Ordinal)
    {
        "global_invocation_id", "local_invocation_id", "local_invocation_index", "subgroup_invocation_id",
    };

    private readonly WgslKernelTranslator module;
    private readonly Dictionary<IrFunction, Requirement> requirements = new(Identity<IrFunction>.Comparer);
    private readonly Dictionary<(IrFunction Function, string Parameters), Summary> summaries = [];
    private readonly HashSet<(string Id, string Path, int Start, int Length)> reported = [];

    private Uniformity(WgslKernelTranslator module) => this.module = module;

    /// <summary>Checks the kernel <paramref name="entry"/> and the helpers it calls; reports each violation once.</summary>
    public static void Run(WgslKernelTranslator module, IrFunction entry)
    {
        var pass = new Uniformity(module);
        if (pass.RequirementOf(entry) == Requirement.None)
            return;
        var perInvocation = entry.BuiltinParameters.Where(b => perInvocationBuiltins.Contains(b.Builtin)).Select(b => b.Variable);
        pass.Analyze(entry, new HashSet<IrVariable>(perInvocation, Identity<IrVariable>.Comparer));
    }

    /// <summary>What a function requires of the control flow it is called under (through the helpers it calls).</summary>
    private enum Requirement
    {
        None,
        Subgroup,
        Barrier,
    }

    /// <summary>What a call of a helper does to its caller's uniformity.</summary>
    private sealed class Summary
    {
        public bool ReturnsPerInvocation { get; set; }

        /// <summary>The pointer parameters whose pointee ends per-invocation (the caller's variable does).</summary>
        public HashSet<int> PerInvocationPointers { get; } = [];
    }

    private Requirement RequirementOf(IrFunction function)
    {
        if (requirements.TryGetValue(function, out var known))
            return known;
        requirements[function] = Requirement.None; // recursion is refused elsewhere; never loop here
        var finder = new RequirementFinder(this);
        finder.Walk(function);
        requirements[function] = finder.Found;
        return finder.Found;
    }

    private Requirement RequirementOf(IrCall call) => call.Callee switch
    {
        IrFunction helper => RequirementOf(helper),
        IrPolyfill polyfill => CallsSubgroupBuiltin(polyfill) ? Requirement.Subgroup : Requirement.None,
        _ => Requirement.None,
    };

    private static bool IsSubgroupBuiltin(IrBuiltinCall call) => call.Name.StartsWith("subgroup", System.StringComparison.Ordinal);

    /// <summary>A generated function that calls a subgroup built-in (the lane reads): its text names one.</summary>
    private static bool CallsSubgroupBuiltin(IrPolyfill polyfill)
    {
        string text = polyfill.Text;
        for (int at = text.IndexOf("subgroup", System.StringComparison.Ordinal); at >= 0; at = text.IndexOf("subgroup", at + 1, System.StringComparison.Ordinal))
        {
            int next = at + "subgroup".Length;
            if (next < text.Length && char.IsUpper(text[next]))
                return true;
        }
        return false;
    }

    private sealed class RequirementFinder : IrWalker
    {
        private readonly Uniformity pass;

        public RequirementFinder(Uniformity pass) => this.pass = pass;

        public Requirement Found { get; private set; }

        protected override void Barrier(IrBarrier barrier) => Found = Requirement.Barrier;

        public override void Expression(IrExpr? expression)
        {
            if (Found == Requirement.Barrier)
                return;
            if (expression is IrBuiltinCall builtin && IsSubgroupBuiltin(builtin) && Found == Requirement.None)
                Found = Requirement.Subgroup;
            if (expression is IrCall call && pass.RequirementOf(call) is var r && r > Found)
                Found = r;
            base.Expression(expression);
        }
    }

    private Summary Analyze(IrFunction function, HashSet<IrVariable> perInvocationParameters)
    {
        string key = string.Join(",", function.Parameters.Select((p, i) => perInvocationParameters.Contains(p) ? i : -1).Where(i => i >= 0));
        if (summaries.TryGetValue((function, key), out var known))
            return known;
        var summary = new Summary();
        summaries[(function, key)] = summary; // a recursive call sees the summary so far
        var analysis = new FunctionAnalysis(this, function, perInvocationParameters, summary);
        analysis.Run();
        return summary;
    }

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode? syntax, params object?[] arguments)
    {
        if (syntax is null)
            return; // what a pass made has the C# statement of what it replaced; never reached without one
        if (reported.Add((descriptor.Id, syntax.SyntaxTree.FilePath, syntax.SpanStart, syntax.Span.Length)))
            module.Report(descriptor, syntax, arguments);
    }

    /// <summary>One function's analysis with one set of per-invocation parameters: repeated until the per-invocation locals settle.</summary>
    private sealed class FunctionAnalysis : IrWalker
    {
        private readonly Uniformity pass;
        private readonly IrFunction function;
        private readonly Summary summary;
        private readonly HashSet<IrVariable> perInvocation;
        private bool changed;

        // Why control flow here is per-invocation (null: uniform).
        private string? control;

        // Exits taken by some invocations only: of the innermost loop or switch (break), loop (continue), function (return).
        private string? breakTaken;
        private string? continueTaken;
        private string? returnTaken;

        // The nearest C# statement around what is being walked, for messages about what a pass made.
        private SyntaxNode? statementSyntax;

        public FunctionAnalysis(Uniformity pass, IrFunction function, HashSet<IrVariable> perInvocationParameters, Summary summary)
        {
            this.pass = pass;
            this.function = function;
            this.summary = summary;
            perInvocation = new HashSet<IrVariable>(perInvocationParameters, Identity<IrVariable>.Comparer);
        }

        public void Run()
        {
            do
            {
                changed = false;
                control = breakTaken = continueTaken = returnTaken = null;
                Walk(function);
            }
            while (changed);
            for (int i = 0; i < function.Parameters.Count; i++)
            {
                if (function.Parameters[i].Type.PointeeType is not null && perInvocation.Contains(function.Parameters[i]))
                    summary.PerInvocationPointers.Add(i);
            }
        }

        private void MarkPerInvocation(IrVariable? variable)
        {
            if (variable is not null && !variable.IsGlobal && variable.Kind != IrVariableKind.Private && perInvocation.Add(variable))
                changed = true;
        }

        /// <summary>The control flow after a construct: per-invocation where it was before or an exit was taken by some invocations only.</summary>
        private string? After(string? before) => before ?? breakTaken ?? continueTaken ?? returnTaken;

        public override void Statement(IrStmt statement)
        {
            var saved = statementSyntax;
            statementSyntax = statement.Syntax ?? statementSyntax;
            try
            {
                base.Statement(statement);
            }
            finally
            {
                statementSyntax = saved;
            }
        }

        protected override void Declare(IrDeclare declare)
        {
            if (NonUniform(declare.Initializer) || control is not null)
                MarkPerInvocation(declare.Variable);
        }

        protected override void Assign(IrAssign assign)
        {
            bool value = NonUniform(assign.Value);
            if (assign.Target is not null)
                Write(assign.Target, value);
        }

        protected override void Increment(IrIncrement increment) => Write(increment.Target, false);

        /// <summary>A write of <paramref name="target"/>: its root local is per-invocation when the value, an index or the control flow is.</summary>
        private void Write(IrExpr target, bool value)
        {
            bool perInvocationWrite = value || control is not null;
            while (true)
            {
                switch (target)
                {
                    case IrIndex index:
                        perInvocationWrite |= NonUniform(index.Index);
                        target = index.Array;
                        continue;
                    case IrMember member:
                        target = member.Instance;
                        continue;
                    case IrSwizzle swizzle:
                        target = swizzle.Vector;
                        continue;
                    case IrUnary { Op: IrUnaryOp.Deref } deref:
                        target = deref.Operand;
                        continue;
                    case IrRef reference:
                        if (perInvocationWrite)
                            MarkPerInvocation(reference.Variable);
                        return;
                    default:
                        NonUniform(target);
                        return;
                }
            }
        }

        protected override void CallStatement(IrCallStatement call) => NonUniform(call.Call);

        protected override void If(IrIf conditional)
        {
            var before = control;
            if (NonUniform(conditional.Condition))
                control ??= DependsOn(conditional.Syntax, conditional.Condition);
            Block(conditional.Then);
            Block(conditional.Else);
            control = After(before);
        }

        protected override void Switch(IrSwitch sw)
        {
            var before = control;
            var outerBreak = breakTaken;
            breakTaken = null;
            if (NonUniform(sw.Selector))
                control ??= DependsOn(sw.Syntax, sw.Selector);
            foreach (var section in sw.Cases)
            {
                foreach (var selector in section.Selectors)
                    NonUniform(selector);
                Block(section.Body);
            }
            // A break leaves the switch (WGSL reconverges after it, as after an if); a continue or return taken by
            // some invocations only does not.
            breakTaken = outerBreak;
            control = before ?? continueTaken ?? returnTaken;
        }

        protected override void For(IrFor loop)
        {
            if (loop.Initializer is not null)
                Statement(loop.Initializer);
            LoopOf(loop, loop.Condition, () =>
            {
                Block(loop.Body);
                if (loop.Update is not null)
                    Statement(loop.Update);
                return null;
            });
        }

        protected override void While(IrWhile loop) => LoopOf(loop, loop.Condition, () =>
        {
            Block(loop.Body);
            return null;
        });

        protected override void Loop(IrLoop loop) => LoopOf(loop, null, () =>
        {
            Block(loop.Body);
            Block(loop.Continuing);
            return NonUniform(loop.BreakIf) ? DependsOn(loop.Syntax, loop.BreakIf) : null;
        });

        /// <summary>
        /// A loop: walked once, and again as per-invocation throughout when an iteration can end differently for some
        /// invocations (its condition, a break, continue or return taken by some only): their next iteration is.
        /// </summary>
        private void LoopOf(IrStmt loop, IrExpr? condition, System.Func<string?> body)
        {
            var before = control;
            var (outerBreak, outerContinue) = (breakTaken, continueTaken);
            string? differs = null;
            for (int round = 0; round < 2; round++)
            {
                breakTaken = continueTaken = null;
                if (NonUniform(condition))
                    control ??= differs ??= DependsOn(loop.Syntax, condition);
                var exit = body();
                // Control that ends the iteration per-invocation (after an inner loop that some leave early, a return)
                // starts the next one so.
                differs ??= exit ?? breakTaken ?? continueTaken ?? (before is null ? control : null);
                if (differs is null || before is not null || round == 1)
                    break;
                control = differs; // the next iteration: per-invocation from its start
            }
            (breakTaken, continueTaken) = (outerBreak, outerContinue);
            // As WGSL: after a loop that can only end by its condition or a break, control is as before it (every
            // invocation leaves it at last); one that can also return leaves the control flow of its iterations.
            control = before ?? (differs is not null && Returns(loop) ? differs : null) ?? returnTaken;
        }

        private static bool Returns(IrStmt loop) => new ReturnFinder().In(loop);

        private sealed class ReturnFinder : IrWalker
        {
            private bool found;

            public bool In(IrStmt statement)
            {
                Statement(statement);
                return found;
            }

            protected override void Return(IrReturn ret) => found = true;

            public override void Expression(IrExpr? expression)
            {
            }
        }

        protected override void Return(IrReturn ret)
        {
            if (NonUniform(ret.Value) || control is not null)
                summary.ReturnsPerInvocation = true;
            if (control is not null)
                returnTaken ??= Exit(ret, "return");
        }

        protected override void Break(IrBreak statement)
        {
            if (control is not null)
                breakTaken ??= Exit(statement, "break");
        }

        protected override void Continue(IrContinue statement)
        {
            if (control is not null)
                continueTaken ??= Exit(statement, "continue");
        }

        protected override void Barrier(IrBarrier barrier)
        {
            if (control is not null)
                pass.Report(DiagnosticDescriptors.BarrierInNonUniformFlow, barrier.Syntax ?? statementSyntax, Snippet(barrier.Syntax ?? statementSyntax), control);
        }

        public override void Expression(IrExpr? expression) => NonUniform(expression);

        /// <summary>Whether <paramref name="e"/> may differ between invocations; checks the calls in it on the way.</summary>
        private bool NonUniform(IrExpr? e)
        {
            switch (e)
            {
                case null or IrLiteral:
                    return false;
                case IrRef reference:
                    return reference.Variable.Kind switch
                    {
                        IrVariableKind.Const or IrVariableKind.Override or IrVariableKind.Uniform or IrVariableKind.ReadOnlyStorageBuffer => false,
                        IrVariableKind.StorageBuffer or IrVariableKind.Workgroup or IrVariableKind.Private => true,
                        _ => perInvocation.Contains(reference.Variable),
                    };
                case IrBinary { IsShortCircuit: true } binary:
                {
                    bool left = NonUniform(binary.Left);
                    return Lazily(left, binary.Left, () => NonUniform(binary.Right)) | left;
                }
                case IrConditional conditional:
                {
                    bool condition = NonUniform(conditional.Condition);
                    bool branches = Lazily(condition, conditional.Condition, () => NonUniform(conditional.WhenTrue) | NonUniform(conditional.WhenFalse));
                    return condition | branches;
                }
                case IrBuiltinCall builtin:
                {
                    bool arguments = AnyNonUniform(builtin.Arguments);
                    if (IsSubgroupBuiltin(builtin))
                    {
                        if (control is not null)
                            pass.Report(DiagnosticDescriptors.SubgroupInNonUniformFlow, builtin.Syntax ?? statementSyntax, Snippet(builtin.Syntax ?? statementSyntax), control);
                        return true;
                    }
                    return builtin.Name switch
                    {
                        "arrayLength" or "workgroupUniformLoad" => false,
                        _ when builtin.Name.StartsWith("atomic", System.StringComparison.Ordinal) => true,
                        _ => arguments,
                    };
                }
                case IrCall call:
                    return Call(call);
                default:
                    return AnyNonUniform(e.Children);
            }
        }

        private bool AnyNonUniform(IReadOnlyList<IrExpr> expressions)
        {
            bool any = false;
            foreach (var e in expressions)
                any |= NonUniform(e);
            return any;
        }

        /// <summary>Evaluates what runs only when <paramref name="condition"/> says so (per-invocation control when it differs).</summary>
        private bool Lazily(bool differs, IrExpr condition, System.Func<bool> evaluate)
        {
            var before = control;
            if (differs)
                control ??= DependsOn(null, condition);
            bool result = evaluate();
            control = before;
            return result;
        }

        private bool Call(IrCall call)
        {
            var arguments = call.Arguments.Select(NonUniform).ToList();
            var requirement = pass.RequirementOf(call);
            var syntax = call.Syntax ?? statementSyntax;
            if (control is not null && requirement != Requirement.None)
            {
                pass.Report(requirement == Requirement.Barrier ? DiagnosticDescriptors.BarrierInNonUniformFlow : DiagnosticDescriptors.SubgroupInNonUniformFlow,
                    syntax, Snippet(syntax), control);
            }
            if (call.UniformArgument is { } uniform && uniform.Index < arguments.Count && arguments[uniform.Index])
                pass.Report(DiagnosticDescriptors.SubgroupOperandNotUniform, uniform.Syntax, FunctionLowering.Snippet(uniform.Syntax), uniform.Operation);
            if (call.Callee is not IrFunction helper)
                return requirement != Requirement.None || arguments.Any(a => a);
            if (control is not null)
            {
                // Under per-invocation control everything the helper gives back is per-invocation (and a helper that
                // needs uniform control was reported at this call, once for its whole body).
                foreach (var argument in call.Arguments)
                    WrittenThrough(argument);
                return true;
            }
            var parameters = new HashSet<IrVariable>(Identity<IrVariable>.Comparer);
            for (int i = 0; i < arguments.Count && i < helper.Parameters.Count; i++)
            {
                if (arguments[i])
                    parameters.Add(helper.Parameters[i]);
            }
            var summary = pass.Analyze(helper, parameters);
            foreach (int i in summary.PerInvocationPointers)
            {
                if (i < call.Arguments.Count)
                    WrittenThrough(call.Arguments[i]);
            }
            // A call reconverges at the helper's return, however early some invocations took it (Dawn accepts a barrier
            // after it): only what it gives back can be per-invocation.
            return summary.ReturnsPerInvocation;
        }

        /// <summary>A pointer argument (<c>&amp;a</c>) whose pointee the callee leaves per-invocation.</summary>
        private void WrittenThrough(IrExpr argument)
        {
            if (argument is IrUnary { Op: IrUnaryOp.AddressOf } address)
                Write(address.Operand, true);
            else if (argument is IrRef { Variable: { Kind: IrVariableKind.Parameter, Type.PointeeType: not null } forwarded })
                MarkPerInvocation(forwarded); // a pointer parameter passed on
        }

        private string DependsOn(SyntaxNode? statement, IrExpr? condition)
        {
            var cSharp = (statement ?? (condition is null ? null : statementSyntax)) switch
            {
                IfStatementSyntax s => s.Condition,
                WhileStatementSyntax s => s.Condition,
                DoStatementSyntax s => s.Condition,
                ForStatementSyntax s => s.Condition,
                SwitchStatementSyntax s => s.Expression,
                _ => null,
            };
            if (statement is not null && cSharp is not null)
                return $"it depends on '{FunctionLowering.Snippet(cSharp)}', which differs between invocations";
            var at = statement ?? statementSyntax;
            return at is null
                ? "it depends on a value that differs between invocations"
                : $"it depends on a condition in '{FunctionLowering.Snippet(at)}' (line {Line(at)}) that differs between invocations";
        }

        private string Exit(IrStmt exit, string keyword)
            => exit.Syntax is { } syntax && syntax.GetFirstToken().Text == keyword
                ? $"the '{keyword}' on line {Line(syntax)} is taken by some invocations only ({control})"
                : $"a loop or function around line {Line(exit.Syntax ?? statementSyntax)} ends early for some invocations only ({control})";

        private static int Line(SyntaxNode? syntax) => syntax is null ? 0 : syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

        private static string Snippet(SyntaxNode? syntax) => syntax is null ? "" : FunctionLowering.Snippet(syntax);
    }
}
