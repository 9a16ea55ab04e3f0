using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Span slices of buffers and workgroup arrays: <c>x.Slice(a)</c>, <c>x.Slice(a, n)</c>, <c>x[a..b]</c> (with <c>^k</c>
/// bounds), <c>x[^k]</c>, a Span local set to one of those (or to the whole array), and a helper's Span parameter given
/// one. WGSL cannot point into a storage or workgroup array, so a slice is its array plus an i32 offset and length: an
/// element is <c>x[offset + i]</c>, <c>Length</c> is the length, a Span local keeps the two in lets where it is declared
/// (as C# fixes them there), and a helper given a slice takes them as two more parameters (<c>s_offset</c>,
/// <c>s_length</c>; one WGSL function per binding, as for whole buffers). C# checks the bounds and throws (the CPU
/// backend); WGSL does not: an index outside the slice but inside its array reads or writes that element.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>Span locals set to a buffer or workgroup array or a slice of one: the view they name.</summary>
    private readonly Dictionary<ILocalSymbol, KernelParameterBinding> spanLocals = new(SymbolEqualityComparer.Default);

    /// <summary>The buffer or workgroup array a span operand names (a parameter bound to one, or a Span local); null otherwise.</summary>
    private KernelParameterBinding? SpanBinding(IOperation? op)
    {
        switch (op is null ? null : Unwrap(op))
        {
            case IParameterReferenceOperation p when kernelParameters.TryGetValue(p.Parameter, out var b)
                && b.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared && (b.PointerType is null || b.SliceOffset is not null) && b.Variable is not null:
                return b; // a buffer, a workgroup array, or a helper's slice of either or of a per-invocation array
            case ILocalReferenceOperation l when spanLocals.TryGetValue(l.Local, out var b):
                return b;
            default:
                return null;
        }
    }

    /// <summary>Whether <paramref name="op"/> is a slice expression (<c>Slice</c>, a range indexer) of a span, or a span chosen by <c>?:</c>.</summary>
    private bool IsSliceExpression(IOperation op) => Unwrap(op) switch
    {
        IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance } => IsSpan(instance.Type),
        IImplicitIndexerReferenceOperation { Argument: IRangeOperation, Instance: { } instance } => IsSpan(instance.Type),
        IConditionalOperation { WhenFalse: not null } conditional => IsSpan(conditional.Type),
        _ => false,
    };

    /// <summary>Span locals assigned after their declaration: the values assigned (null for a write that is no plain assignment).</summary>
    private readonly Dictionary<ISymbol, List<IOperation?>> spanAssignments = new(SymbolEqualityComparer.Default);

    /// <summary>Span locals re-pointed within their array: their offset and length are <c>var</c>s that assignments set.</summary>
    private readonly HashSet<ISymbol> movableSpans = new(SymbolEqualityComparer.Default);

    /// <summary>Span parameters assigned in ways that cannot be translated, with the reason (reported at each assignment).</summary>
    private readonly Dictionary<IParameterSymbol, string> unmovableSpans = new(SymbolEqualityComparer.Default);

    private void SpanAssigned(ISymbol local, IOperation? value)
    {
        if (!spanAssignments.TryGetValue(local, out var values))
            spanAssignments[local] = values = [];
        values.Add(value);
    }

    /// <summary>A write of <paramref name="target"/> that is no plain assignment (a ref argument, a ref local): a span local so written is not re-pointed.</summary>
    private void SpanWritten(IOperation target)
    {
        if (Unwrap(target) is ILocalReferenceOperation local && IsSpan(local.Type))
            SpanAssigned(local.Local, null);
        else if (Unwrap(target) is IParameterReferenceOperation parameter && IsSpan(parameter.Type))
            SpanAssigned(parameter.Parameter, null);
    }

    /// <summary>
    /// The array (its module- or function-scope variable) that a span expression views, known without lowering it:
    /// a buffer or workgroup parameter, a Span local (<paramref name="self"/> is <paramref name="selfRoot"/>), a slice of
    /// one, or a <c>?:</c> whose branches view one array; null when unknown or several.
    /// </summary>
    private IrVariable? ViewRoot(IOperation? op, ISymbol self, IrVariable? selfRoot, int depth = 0)
    {
        if (op is null || depth > 16)
            return null;
        switch (Unwrap(op))
        {
            case IParameterReferenceOperation p when SymbolEqualityComparer.Default.Equals(p.Parameter, self):
                return selfRoot;
            case ILocalReferenceOperation or IParameterReferenceOperation when LocalArrayBase(Unwrap(op)) is { } array:
                return array.Variable;
            case ILocalReferenceOperation l when SymbolEqualityComparer.Default.Equals(l.Local, self):
                return selfRoot;
            case ILocalReferenceOperation l when spanLocals.TryGetValue(l.Local, out var known):
                return known.Variable;
            case ILocalReferenceOperation l when !written.Contains(l.Local) && l.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(module.CancellationToken) is { } declaration
                && declaration.SyntaxTree == model.SyntaxTree && model.GetOperation(declaration, module.CancellationToken) is IVariableDeclaratorOperation declarator:
                return ViewRoot(declarator.Initializer?.Value, self, selfRoot, depth + 1); // declared later than self
            case IParameterReferenceOperation p when SpanBinding(p) is { } b:
                return b.Variable;
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance } when IsSpan(instance.Type):
                return ViewRoot(instance, self, selfRoot, depth + 1);
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation, Instance: { } instance } when IsSpan(instance.Type):
                return ViewRoot(instance, self, selfRoot, depth + 1);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                var whenTrue = ViewRoot(conditional.WhenTrue, self, selfRoot, depth + 1);
                return whenTrue is not null && whenTrue == ViewRoot(whenFalse, self, selfRoot, depth + 1) ? whenTrue : null;
            default:
                return null;
        }
    }

    /// <summary>Why a Span local assigned after its declaration cannot be re-pointed (its offset and length made vars), or null when it can.</summary>
    private string? RepointingProblem(ISymbol local, IOperation? initializer, IrVariable? known = null)
    {
        var root = known ?? ViewRoot(initializer, local, null);
        if (root is null)
            return "is assigned after its declaration, and what it views first is not one array (a buffer, a workgroup or per-invocation array): declare another local for each view";
        foreach (var value in spanAssignments.TryGetValue(local, out var values) ? values : [])
        {
            if (value is null)
                return "is passed by reference or referred to by a ref local: a re-pointed Span local takes plain assignments only (s = s[1..];)";
            if (ViewRoot(value, local, root) != root)
                return $"is assigned '{Snippet(value.Syntax)}', which does not view the array it views first ({root.Name}): a Span local may be re-pointed within one array (s = {root.Name}.Slice(a, n);, s = s[1..];); declare another local for another array";
        }
        return null;
    }

    /// <summary>
    /// <c>s = view;</c> for a re-pointed Span local: the new offset and length (C# evaluates the whole view, then
    /// assigns), into the local's vars.
    /// </summary>
    private IrAssign? SpanAssignment(ISymbol symbol, IOperation value)
    {
        KernelParameterBinding? binding = null;
        if (symbol is ILocalSymbol local ? failedLocals.Contains(local) || !spanLocals.TryGetValue(local, out binding)
            : !kernelParameters.TryGetValue((IParameterSymbol)symbol, out binding))
            return null;
        if (SpanView(value) is not { } view)
            return null;
        var offset = binding.SliceOffset!;
        var length = binding.SliceLength!;
        var offsetVariable = ((IrRef)offset).Variable;
        if (!RunsCode(view.Length) && !Reads(view.Length, offsetVariable))
        {
            Emit(new IrAssign(offset, view.Offset));
            return new IrAssign(length, view.Length);
        }
        // The length runs code (which may read the span) or reads the offset: both computed before either changes.
        var newOffset = new IrVariable(Fresh("offset"), WgslType.I32, IrVariableKind.Let);
        Emit(new IrDeclare(newOffset, view.Offset));
        Emit(new IrAssign(length, view.Length));
        return new IrAssign(offset, new IrRef(newOffset));
    }

    private static bool Reads(IrExpr e, IrVariable variable)
        => e is IrRef r && r.Variable == variable || e is IrSequence || e.Children.Any(c => Reads(c, variable));

    /// <summary>
    /// A function's Span parameters assigned in its body (<c>while (!s.IsEmpty) { ...; s = s[1..]; }</c>), each value
    /// viewing the parameter's own array: a var offset and length, set from the incoming view (its offset and length,
    /// or the whole array) and by each assignment, as for a re-pointed Span local.
    /// </summary>
    private void MovableSpanParameters()
    {
        foreach (var p in method.Parameters)
        {
            if (!IsSpan(p.Type) || !written.Contains(p) || !kernelParameters.TryGetValue(p, out var bound) || bound.Variable is null
                || bound.Kind is not (ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared))
                continue;
            string? problem = bound.PackedVector3 || bound.HostLayout is not null || bound.Variable.AtomicElement is not null
                ? "views a buffer held in C#'s layout or used by atomics, which has no slices: index it with an offset instead of re-pointing it"
                : RepointingProblem(p, null, bound.Variable);
            if (problem is not null)
            {
                unmovableSpans[p] = problem;
                continue;
            }
            var offset = new IrVariable(SliceName(WgslNames.Escape(p.Name) + "_offset"), WgslType.I32, IrVariableKind.Var);
            var length = new IrVariable(SliceName(WgslNames.Escape(p.Name) + "_length"), WgslType.I32, IrVariableKind.Var);
            Emit(new IrDeclare(offset, bound.SliceOffset ?? IrLiteral.I32(0)));
            Emit(new IrDeclare(length, bound.SliceLength ?? (bound.PointerType is not null ? IrLiteral.I32(bound.SharedLength) : WholeLength(bound))));
            var moved = SliceBinding(bound, p, new IrRef(offset), new IrRef(length));
            moved.SliceOffsetParameter = bound.SliceOffsetParameter; // their names stay taken
            moved.SliceLengthParameter = bound.SliceLengthParameter;
            kernelParameters[p] = moved;
            movableSpans.Add(p);
        }
    }

    /// <summary>
    /// <c>c ? x[..n] : x[n..]</c>: the chosen view's offset and length set by if/else into <paramref name="offset"/> and
    /// <paramref name="length"/> (only the chosen branch runs, as in C#); both branches must view one array.
    /// </summary>
    private (KernelParameterBinding Base, IrStmt Choice)? ChooseView(IConditionalOperation conditional, IrVariable offset, IrVariable length)
    {
        var condition = Value(conditional.Condition);
        (KernelParameterBinding Base, IrExpr Offset, IrExpr Length)? whenTrue = null, whenFalse = null;
        var then = Block(() =>
        {
            whenTrue = SpanView(conditional.WhenTrue);
            if (whenTrue is { } view)
            {
                Emit(new IrAssign(new IrRef(offset), view.Offset));
                Emit(new IrAssign(new IrRef(length), view.Length));
            }
        });
        var otherwise = Block(() =>
        {
            whenFalse = SpanView(conditional.WhenFalse!);
            if (whenFalse is { } view)
            {
                Emit(new IrAssign(new IrRef(offset), view.Offset));
                Emit(new IrAssign(new IrRef(length), view.Length));
            }
        });
        if (condition is null || whenTrue is null || whenFalse is null)
            return null;
        if (whenTrue.Value.Base.Variable != whenFalse.Value.Base.Variable)
        {
            SpanViewMisuse(conditional, $"chooses between views of two arrays ({whenTrue.Value.Base.Variable?.Name} and {whenFalse.Value.Base.Variable?.Name}), and WGSL cannot point to either: choose within one array (c ? x[..n] : x[n..]), index each where it is chosen (c ? x[i] : y[i]), or call the helper in each branch");
            return null;
        }
        return (whenTrue.Value.Base, new IrIf(condition, then, otherwise));
    }

    /// <summary>
    /// Whether <paramref name="op"/> is a span that needs an offset to index (a slice expression, a parameter bound to a
    /// slice, a Span local): what <see cref="SpanView"/> lowers. A plain buffer parameter is not (it keeps its own path).
    /// </summary>
    private bool IsSpanView(IOperation? op)
    {
        if (op is null || !IsSpan(Unwrap(op).Type))
            return false;
        return Unwrap(op) switch
        {
            ILocalReferenceOperation l => spanLocals.ContainsKey(l.Local) || failedLocals.Contains(l.Local) && !localArrays.ContainsKey(l.Local),
            IParameterReferenceOperation p => kernelParameters.TryGetValue(p.Parameter, out var b) && b.SliceOffset is not null,
            _ => IsSliceExpression(op),
        };
    }

    /// <summary>Whether <paramref name="op"/> names a Span local of a buffer or workgroup array (or one that failed, reported).</summary>
    private bool IsSpanLocal(IOperation op)
        => op is ILocalReferenceOperation l && IsSpan(l.Type) && (spanLocals.ContainsKey(l.Local) || failedLocals.Contains(l.Local) && !localArrays.ContainsKey(l.Local));

    /// <summary>The array a span view indexes, the offset of its first element and its length (i32); null when it is none (reported).</summary>
    private (KernelParameterBinding Base, IrExpr Offset, IrExpr Length)? SpanView(IOperation op)
    {
        var value = Unwrap(op);
        if (SpanBinding(value) is { } bound)
        {
            if (bound.PackedVector3)
            {
                SpanViewMisuse(op, "views a Vector3 buffer kept in C#'s 12-byte layout: pass the buffer itself and an offset");
                return null;
            }
            if (bound.HostLayout is not null)
            {
                // Its WGSL array holds the host's bytes in 32-bit words: a view would index words, not elements.
                SpanViewMisuse(op, $"views a buffer of {bound.Symbol.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)} kept in C#'s byte layout (packed into 32-bit words on the GPU): index the buffer itself with an offset (data[start + i])");
                return null;
            }
            if (bound.Variable?.AtomicElement is not null)
            {
                SpanViewMisuse(op, "views a buffer that atomics use (its elements are atomic<T> in WGSL): pass the buffer itself and an offset");
                return null;
            }
            return bound.SliceOffset is not null ? (bound, bound.SliceOffset, bound.SliceLength!) : (bound, IrLiteral.I32(0), WholeLength(bound));
        }
        switch (value)
        {
            case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { } instance } call when IsSpan(instance.Type):
            {
                if (SliceSource(instance, op) is not { } inner)
                    return null;
                var arguments = call.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
                if (Int(arguments[0].Value) is not { } start)
                    return null;
                if (arguments.Count > 1)
                    return Int(arguments[1].Value) is { } length ? (inner.Base, Add(inner.Offset, start), length) : null;
                var (first, again) = Once(start, "start");
                return (inner.Base, Add(inner.Offset, first), Subtract(inner.Length, again));
            }
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range, Instance: { } instance } when IsSpan(instance.Type):
            {
                if (SliceSource(instance, op) is not { } inner)
                    return null;
                var start = range.LeftOperand is null ? IrLiteral.I32(0) : IndexFrom(range.LeftOperand, inner.Length);
                var end = range.RightOperand is null ? inner.Length : IndexFrom(range.RightOperand, inner.Length);
                if (start is null || end is null)
                    return null;
                var (first, again) = Once(start, "start");
                return (inner.Base, Add(inner.Offset, first), Subtract(end, again));
            }
            case ILocalReferenceOperation or IParameterReferenceOperation when ArrayOf(value) is { } array && LocalArrayBase(value) is { } whole:
                // A whole per-invocation array where a view is taken (a ?: operand, s = a; of a re-pointed span).
                return IsFailedLocal(value) ? null : (whole, IrLiteral.I32(0), IrLiteral.I32(array.Length));
            case IConditionalOperation { WhenFalse: not null } conditional when IsSpan(conditional.Type):
            {
                var offset = new IrVariable(Fresh("offset"), WgslType.I32, IrVariableKind.Var);
                var length = new IrVariable(Fresh("length"), WgslType.I32, IrVariableKind.Var);
                if (ChooseView(conditional, offset, length) is not { } chosen)
                    return null;
                return (chosen.Base, new IrSequence([new IrDeclare(offset, null), new IrDeclare(length, null), chosen.Choice], new IrRef(offset)), new IrRef(length));
            }
            default:
                SpanViewMisuse(op, "is not a buffer, a workgroup array or a slice of one");
                return null;
        }
    }

    /// <summary>The view a slice is taken of: a span view, or a whole per-invocation array (a local, or a helper's pointer to one).</summary>
    private (KernelParameterBinding Base, IrExpr Offset, IrExpr Length)? SliceSource(IOperation instance, IOperation slice)
    {
        if (ArrayOf(instance) is { } array)
        {
            if (IsFailedLocal(Unwrap(instance)))
                return null;
            if (LocalArrayBase(Unwrap(instance)) is not { } local)
            {
                SpanViewMisuse(slice, "slices a lookup table: index it with [offset + i], or copy the part you need into a per-invocation array");
                return null;
            }
            return (local, IrLiteral.I32(0), IrLiteral.I32(array.Length));
        }
        return SpanView(instance);
    }

    private readonly Dictionary<ILocalSymbol, KernelParameterBinding> localArrayBases = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// A per-invocation array as the array of a view: the local's <c>var</c> (indexed in place), or a helper's pointer
    /// parameter to one (indexed through <c>*p</c>); a helper given a slice of it takes the pointer, the offset and the length.
    /// </summary>
    private KernelParameterBinding? LocalArrayBase(IOperation instance)
    {
        switch (instance)
        {
            case ILocalReferenceOperation local when localArrays.TryGetValue(local.Local, out var variable):
                if (!localArrayBases.TryGetValue(local.Local, out var binding))
                {
                    localArrayBases[local.Local] = binding = new KernelParameterBinding(null!, ParameterKind.Shared, variable.Type.ArrayElement, variable.Name)
                    {
                        SharedLength = variable.Type.ArrayLength,
                        PointerType = WgslType.PointerTo(variable.Type).Name,
                        Variable = variable,
                    };
                }
                return binding;
            case IParameterReferenceOperation parameter when kernelParameters.TryGetValue(parameter.Parameter, out var pointer) && pointer.PointerType is not null:
                return pointer;
            default:
                return null;
        }
    }

    /// <summary>The array a view indexes: a buffer or workgroup array, a per-invocation array, or <c>*p</c> of a helper's pointer to one.</summary>
    private static IrExpr ViewArray(KernelParameterBinding view)
        => view.Variable!.Type.PointeeType is { } pointee ? new IrUnary(IrUnaryOp.Deref, new IrRef(view.Variable), pointee) : new IrRef(view.Variable);

    /// <summary>The pointer a helper given a slice of a per-invocation array takes: <c>&amp;a</c>, or the caller's own pointer.</summary>
    private static IrExpr ViewPointer(KernelParameterBinding view)
    {
        var variable = view.Variable!;
        if (variable.Type.PointeeType is not null)
            return new IrRef(variable);
        variable.IsAddressed = true;
        return new IrUnary(IrUnaryOp.AddressOf, new IrRef(variable), WgslType.PointerTo(variable.Type));
    }

    /// <summary>The whole length of a buffer or workgroup array, as i32.</summary>
    private IrExpr WholeLength(KernelParameterBinding binding)
        => binding.Kind != ParameterKind.Shared ? new IrConvert(WgslType.I32, ElementCount(binding))
            : binding.SharedLengthName is not null ? SharedLength(binding) : IrLiteral.I32(binding.SharedLength);

    /// <summary>An int operand (a start, a length, an index) as i32.</summary>
    private IrExpr? Int(IOperation op)
    {
        var value = Index(op);
        return value is { Type.Scalar: WgslScalar.U32 } ? new IrConvert(WgslType.I32, value) : value;
    }

    private static bool IsSystemIndex(ITypeSymbol? type)
        => type is INamedTypeSymbol { Name: "Index", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>A <c>System.Index</c> operand as a position from the start: <c>^k</c> is <c>length - k</c>, an int is itself.</summary>
    private IrExpr? IndexFrom(IOperation op, IrExpr length)
    {
        var value = op;
        while (value is IConversionOperation conversion && IsSystemIndex(conversion.Type))
            value = conversion.Operand;
        if (value is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } hat)
            return Int(hat.Operand) is { } fromEnd ? Subtract(length, fromEnd) : null;
        if (!IsSystemIndex(value.Type))
            return Int(value);
        SpanViewMisuse(op, "is an Index value, which has no WGSL translation: write ^k or an int where it is used");
        return null;
    }

    private static bool IsZero(IrExpr e) => e is IrLiteral { Kind: IrLiteralKind.I32, Bits: 0 };

    private static IrExpr Add(IrExpr a, IrExpr b)
    {
        if (IsZero(b))
            return a;
        if (IsZero(a))
            return b;
        if (a is IrLiteral { Kind: IrLiteralKind.I32 } x && b is IrLiteral { Kind: IrLiteralKind.I32 } y)
            return IrLiteral.I32(unchecked((int)x.Bits + (int)y.Bits));
        return new IrBinary(IrBinaryOp.Add, a, b, WgslType.I32);
    }

    private static IrExpr Subtract(IrExpr a, IrExpr b)
    {
        if (IsZero(b))
            return a;
        if (a is IrLiteral { Kind: IrLiteralKind.I32 } x && b is IrLiteral { Kind: IrLiteralKind.I32 } y)
            return IrLiteral.I32(unchecked((int)x.Bits - (int)y.Bits));
        return new IrBinary(IrBinaryOp.Subtract, a, b, WgslType.I32);
    }

    /// <summary>Whether evaluating <paramref name="e"/> runs code of its own (a call, statements lowering made for it).</summary>
    private static bool RunsCode(IrExpr e)
        => e is IrSequence or IrCall || e is IrBuiltinCall { IsPure: false } || e.Children.Any(RunsCode);

    /// <summary>
    /// A slice's start, which both its offset and its length use: as it is when evaluating it runs nothing, else a
    /// let declared where the offset (always evaluated first) uses it, and read again by the length, so that C#
    /// evaluates it once (<c>x.Slice(F())</c>, <c>x[F()..]</c>).
    /// </summary>
    private (IrExpr First, IrExpr Again) Once(IrExpr value, string prefix)
    {
        if (!RunsCode(value))
            return (value, value);
        var let = new IrVariable(FreshName(prefix), value.Type!, IrVariableKind.Let);
        return (new IrSequence([new IrDeclare(let, value)], new IrRef(let)), new IrRef(let));
    }

    /// <summary>A view's offset where its length is not used: the length still evaluated (after the offset) when it runs code, as C# does.</summary>
    private IrExpr OffsetOnly((KernelParameterBinding Base, IrExpr Offset, IrExpr Length) view)
    {
        if (!RunsCode(view.Length))
            return view.Offset;
        var let = new IrVariable(FreshName("offset"), WgslType.I32, IrVariableKind.Let);
        return new IrSequence([new IrDeclare(let, view.Offset), new IrAssign(null, view.Length)], new IrRef(let));
    }

    /// <summary>A view's length where its offset is not used: the offset still evaluated first when it runs code (or declares what the length reads).</summary>
    private static IrExpr LengthOnly((KernelParameterBinding Base, IrExpr Offset, IrExpr Length) view)
    {
        if (!RunsCode(view.Offset))
            return view.Length;
        if (view.Offset is IrSequence { Value: var value } sequence && !RunsCode(value))
            return new IrSequence(sequence.Statements, view.Length); // its statements, without reading what they set
        return new IrSequence([new IrAssign(null, view.Offset)], view.Length);
    }

    /// <summary><c>s[i]</c> of a span view, read or written: <c>x[offset + i]</c>.</summary>
    private IrIndex? ViewElement(IOperation instance, IOperation index)
    {
        if (IsFailedLocal(Unwrap(instance)))
            return null;
        if (SpanView(instance) is not { } view)
            return null;
        if (IsSystemIndex(index.Type))
        {
            // s[^k]: offset + (length - k), evaluated in that order, as C# does.
            var fromEnd = IndexFrom(index, view.Length);
            return fromEnd is null ? null : new IrIndex(ViewArray(view.Base), Add(view.Offset, fromEnd), view.Base.Type!);
        }
        var at = Int(index);
        return at is null ? null : new IrIndex(ViewArray(view.Base), Add(OffsetOnly(view), at), view.Base.Type!);
    }

    /// <summary><c>s.Length</c>, <c>s.IsEmpty</c> and <c>s[i]</c> of a span view.</summary>
    private IrExpr? ViewProperty(IPropertyReferenceOperation op)
    {
        if (op.Property.IsIndexer)
            return ViewElement(op.Instance!, op.Arguments[0].Value);
        if (IsFailedLocal(Unwrap(op.Instance!)))
            return null;
        if (op.Property.Name is not ("Length" or "IsEmpty"))
        {
            SpanViewMisuse(op, $"uses '{op.Property.Name}', which has no WGSL translation");
            return null;
        }
        if (SpanView(op.Instance!) is not { } view)
            return null;
        var length = LengthOnly(view);
        return op.Property.Name == "Length" ? length : new IrBinary(IrBinaryOp.Equal, length, IrLiteral.I32(0), WgslType.Bool);
    }

    /// <summary>
    /// <c>x[^k]</c> (an index from the end) of a buffer, workgroup array, span view or per-invocation array, read or
    /// written; null when failed (reported).
    /// </summary>
    private IrIndex? FromEndElement(IImplicitIndexerReferenceOperation op)
    {
        var instance = op.Instance;
        if (ArrayOf(instance) is { } array)
            return IsFailedLocal(Unwrap(instance)) ? null : FromEndArrayElement(array, op.Argument);
        if (IsSpan(instance.Type))
            return ViewElement(instance, op.Argument);
        module.Report(DiagnosticDescriptors.InvalidIndex, op.Argument.Syntax, Snippet(op.Argument.Syntax), op.Argument.Type?.ToDisplayString() ?? "?");
        return null;
    }

    /// <summary><c>a[^k]</c> of a per-invocation array: <c>a[N - k]</c> (KG0056 for a constant k outside 1..N).</summary>
    private IrIndex? FromEndArrayElement((IrExpr Array, int Length, WgslType Element, string Name) array, IOperation index)
    {
        var hat = index;
        while (hat is IConversionOperation c && IsSystemIndex(c.Type))
            hat = c.Operand;
        if (hat is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat, Operand.ConstantValue: { HasValue: true, Value: int k } } && (k < 1 || k > array.Length))
        {
            module.Report(DiagnosticDescriptors.ConstantIndexOutOfRange, index.Syntax, array.Length - k, array.Name, array.Length);
            return null;
        }
        var at = IndexFrom(index, IrLiteral.I32(array.Length));
        return at is null ? null : new IrIndex(array.Array, at, array.Element);
    }

    /// <summary>
    /// <c>Span&lt;T&gt; s = x.Slice(a, n);</c> (or <c>x[a..b]</c>, or <c>x</c> itself) for a buffer or workgroup array:
    /// the offset and length into lets, the local a name for the view. False when the initializer is no such span.
    /// </summary>
    private bool SpanLocalDeclaration(ILocalSymbol local, IOperation? initializer, List<IrStmt> declarations)
    {
        if (!IsSpan(local.Type) || initializer is null)
            return false;
        var value = Unwrap(initializer);
        if (SpanBinding(value) is null && !IsSliceExpression(value))
            return false;
        failedLocals.Add(local); // until it is known to be good
        bool movable = written.Contains(local);
        if (movable && RepointingProblem(local, value) is { } problem)
        {
            module.Report(DiagnosticDescriptors.UnsupportedSpanView, local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(module.CancellationToken) ?? initializer.Syntax, local.Name, problem);
            return true;
        }
        var kind = movable ? IrVariableKind.Var : IrVariableKind.Let;
        IrVariable Named(string suffix) => new(SliceName(WgslNames.Escape(local.Name) + suffix), WgslType.I32, kind);
        if (value is IConditionalOperation chosenBy)
        {
            // Var offset and length, set by the if/else that chooses.
            var chosenOffset = new IrVariable(SliceName(WgslNames.Escape(local.Name) + "_offset"), WgslType.I32, IrVariableKind.Var);
            var chosenLength = new IrVariable(SliceName(WgslNames.Escape(local.Name) + "_length"), WgslType.I32, IrVariableKind.Var);
            if (ChooseView(chosenBy, chosenOffset, chosenLength) is not { } chosen)
                return true;
            declarations.Add(new IrDeclare(chosenOffset, null));
            declarations.Add(new IrDeclare(chosenLength, null));
            declarations.Add(chosen.Choice);
            Bound(chosen.Base, new IrRef(chosenOffset), new IrRef(chosenLength));
            return true;
        }
        if (SpanView(initializer) is not { } view)
            return true;
        if (!movable && IsZero(view.Offset) && SpanBinding(value) is { SliceOffset: null } whole)
        {
            failedLocals.Remove(local);
            spanLocals[local] = whole; // the whole array under another name
            return true;
        }
        var offset = Named("_offset");
        var length = Named("_length");
        declarations.Add(new IrDeclare(offset, view.Offset));
        declarations.Add(new IrDeclare(length, view.Length));
        Bound(view.Base, new IrRef(offset), new IrRef(length));
        return true;

        void Bound(KernelParameterBinding array, IrExpr offsetRef, IrExpr lengthRef)
        {
            failedLocals.Remove(local);
            spanLocals[local] = SliceBinding(array, array.Symbol, offsetRef, lengthRef);
            if (movable)
                movableSpans.Add(local);
        }
    }

    /// <summary>A binding of <paramref name="symbol"/> to a view of <paramref name="source"/>'s array.</summary>
    internal static KernelParameterBinding SliceBinding(KernelParameterBinding source, IParameterSymbol symbol, IrExpr? offset, IrExpr? length)
        => new(symbol, source.Kind, source.Type, source.WgslName)
        {
            Slot = source.Slot,
            SharedLength = source.SharedLength,
            SharedLengthName = source.SharedLengthName,
            PackedVector3 = source.PackedVector3,
            PointerType = source.PointerType,
            Variable = source.Variable,
            SliceOffset = offset,
            SliceLength = length,
            IsSlice = offset is not null || source.IsSlice,
        };

    /// <summary>A name for a slice's let, taken from nothing else in the function.</summary>
    private string SliceName(string prefix)
    {
        string name = prefix;
        for (int n = 0; module.IsModuleName(name) || calledNames.Contains(name) || variables.Values.Any(v => v.Name == name) || arrayTemporaries.Contains(name)
            || kernelParameters.Values.Any(b => b.WgslName == name || IsSliceParameterName(b, name)); n++)
            name = prefix + "_" + n;
        arrayTemporaries.Add(name);
        function.Names.Add(name);
        return name;
    }

    private static bool IsSliceParameterName(KernelParameterBinding binding, string name)
        => binding.SliceOffsetParameter?.Name == name || binding.SliceLengthParameter?.Name == name;

    /// <summary>Whether a helper's slice parameters (<c>s_offset</c>, <c>s_length</c>) take <paramref name="name"/>.</summary>
    private bool IsSliceParameterName(string name) => kernelParameters.Values.Any(b => IsSliceParameterName(b, name));

    private void SpanViewMisuse(IOperation op, string what)
        => module.Report(DiagnosticDescriptors.UnsupportedSpanView, op.Syntax, Snippet(op.Syntax), what);
}
