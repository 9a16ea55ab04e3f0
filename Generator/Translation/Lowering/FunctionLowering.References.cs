using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Struct members and references: an instance method or computed property of a kernel struct is a WGSL function whose
/// first parameter is the struct (<c>this_: S</c>), or a pointer to it (<c>this_: ptr&lt;function, S&gt;</c>) when
/// the member writes the struct's fields, as C# mutates the caller's variable; <c>ref</c> and <c>out</c> parameters
/// are pointers too. WGSL passes only whole function variables by pointer: a local or a parameter copy goes as
/// <c>&amp;x</c>; any other place (a buffer element, a field) is copied into a temporary for the call and written
/// back after it, which the call's own line allows (two references that might be one place are refused, since
/// copies would not see each other's writes as C#'s references do).
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>For the version of a helper whose two ref parameters name one place: (kept, merged) parameter ordinals.</summary>
    public (int Kept, int Merged)? ReferenceAlias { get; init; }

    /// <summary>Whether <c>this_</c> is a pointer (the member being lowered writes its struct).</summary>
    private bool thisIsPointer;

    /// <summary>The ref/out parameters of the function being lowered (pointers: every use dereferences them).</summary>
    private readonly HashSet<IParameterSymbol> referenceParameters = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Set while a call on its own line is lowered: the temporaries that stand for places passed by reference,
    /// written back after the call in parameter order.
    /// </summary>
    private List<IrStmt>? referenceWriteBacks;

    /// <summary>An instance method or property accessor of a struct with source (called with the struct as its first argument).</summary>
    internal static bool IsStructMember(IMethodSymbol method)
        => !method.IsStatic
            && method.ContainingType is { TypeKind: TypeKind.Struct } type
            && type.DeclaringSyntaxReferences.Length > 0
            && method.DeclaringSyntaxReferences.Length > 0
            && method.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet;

    /// <summary>Declares <c>this_</c>, the first parameter of a struct member: a value, or a pointer when the member writes it.</summary>
    private void ThisParameter(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxNode syntax)
    {
        var type = module.Types.Map(method.ContainingType, out var why);
        if (type is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedHelperMethod, syntax.GetLocation(), method.ContainingType.Name + "." + method.Name, why);
            return;
        }
        thisIsPointer = WritesThis(method, module.Compilation, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), module.CancellationToken);
        thisVariable = new IrVariable(ThisName, thisIsPointer ? WgslType.PointerTo(type) : type, IrVariableKind.Parameter);
        function.Parameters.Add(thisVariable);
    }

    /// <summary>The struct a member runs on, as a value (<c>this_</c>, or <c>*this_</c>), or in a constructor the one it builds.</summary>
    private IrExpr ThisValue()
        => thisIsPointer ? new IrUnary(IrUnaryOp.Deref, new IrRef(thisVariable!), thisVariable!.Type.PointeeType) : new IrRef(thisVariable!);

    /// <summary>A <c>ref</c> or <c>out</c> parameter: <c>name: ptr&lt;function, T&gt;</c>.</summary>
    private void ReferenceParameter(IParameterSymbol p, Location? location)
    {
        var type = module.Types.Map(p.Type, out var why);
        if (type is null || type.ArrayElement is not null || type.PointeeType is not null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedHelperMethod, location, method.ContainingType.Name + "." + method.Name,
                $"parameter '{p.Name}' has type '{p.Type.ToDisplayString()}': {why ?? "only scalars, vectors and structs are passed by reference"}");
            return;
        }
        string name = WgslNames.Escape(p.Name);
        while (kernelParameters.Values.Any(b => b.WgslName == name) || UsedByOtherName(name, p.Name) || calledNames.Contains(name) || name == ThisName)
            name += "_";
        var pointer = new IrVariable(name, WgslType.PointerTo(type), IrVariableKind.Parameter);
        function.Parameters.Add(pointer);
        variables[p] = pointer;
        referenceParameters.Add(p);
    }

    /// <summary>
    /// Whether a struct member assigns its struct's fields (or the struct), directly, through a ref/out argument, a
    /// ref local, or a call of another such member on <c>this</c>: C# then changes the caller's variable.
    /// </summary>
    internal static bool WritesThis(IMethodSymbol member, Compilation compilation, HashSet<IMethodSymbol> visiting, System.Threading.CancellationToken cancellation)
    {
        if (member.IsStatic || member.IsReadOnly || member.ContainingType.IsReadOnly || !visiting.Add(member))
            return false;
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellation);
            var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, cancellation);
            if (body is null)
                continue;
            foreach (var op in body.DescendantsAndSelf())
            {
                IOperation? target = op switch
                {
                    IAssignmentOperation assignment => assignment.Target,
                    IIncrementOrDecrementOperation increment => increment.Target,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                    IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref, Initializer.Value: { } referenced } => referenced,
                    _ => null,
                };
                if (target is not null && RootsAtThis(target))
                    return true;
                if (op is IDeconstructionAssignmentOperation deconstruction && deconstruction.Target.DescendantsAndSelf().Any(t => t is IFieldReferenceOperation or IInstanceReferenceOperation && RootsAtThis(t)))
                    return true;
                if (op is IInvocationOperation { Instance: { } receiver, TargetMethod: var called } && RootsAtThis(receiver) && IsStructMember(called)
                    && WritesThis(called.OriginalDefinition, compilation, visiting, cancellation))
                    return true;
            }
        }
        return false;
    }

    /// <summary>Whether a place is <c>this</c> or a field or component of it.</summary>
    private static bool RootsAtThis(IOperation place)
    {
        while (true)
        {
            switch (place)
            {
                case IInstanceReferenceOperation:
                    return true;
                case IFieldReferenceOperation { Instance: { } instance }:
                    place = instance;
                    continue;
                case IPropertyReferenceOperation { Instance: { } instance }:
                    place = instance;
                    continue;
                case IParenthesizedOperation parenthesized:
                    place = parenthesized.Operand;
                    continue;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// The pointer argument for a place passed by reference (the receiver of a member that writes its struct, or a
    /// ref/out argument): <c>&amp;x</c> for a whole variable, a pointer parameter as it is, or a temporary copied in
    /// (not for <c>out</c>) and written back after the call; null when it cannot be one (reported).
    /// </summary>
    private IrExpr? ReferenceArgument(IOperation value, bool isOut, bool callOnItsLine, string what, int argument, int ordinal)
    {
        value = Unwrap(value);
        var pointer = DirectReference(value);
        if (pointer is not null)
        {
            referencePlaces?.Add(new ReferencePlace(pointer is IrUnary { Op: IrUnaryOp.AddressOf } address ? address.Operand : pointer, value, argument, ordinal, null, null, null));
            return pointer;
        }
        if (value is IDeclarationExpressionOperation or IDiscardOperation)
            return null; // reported by DirectReference
        if (!callOnItsLine || referenceWriteBacks is null)
        {
            Unsupported(value, $"{what} is a local variable or parameter here (WGSL passes only whole variables by reference; the generator copies other places in and back, for a call on its own line or whose value is used, not for a call without a value inside another statement): copy it into a local first");
            return null;
        }
        if (IsAtomicElement(value, out var atomicSite))
            return AtomicReferenceArgument(value, isOut, atomicSite, argument, ordinal);
        var place = Target(value);
        if (place is null)
            return null;
        place = BindIndices(place);
        var temporary = new IrVariable(FreshName("ref"), place.Type!, IrVariableKind.Var);
        // Copied in after every argument is evaluated (see Invocation), so that a later argument's writes are seen.
        var copyIn = new IrDeclare(temporary, isOut ? null : place);
        var writeBack = new IrAssign(place, new IrRef(temporary));
        pendingCopiesIn!.Add(copyIn);
        referenceWriteBacks.Add(writeBack);
        referencePlaces!.Add(new ReferencePlace(place, value, argument, ordinal, temporary, copyIn, writeBack));
        return AddressOf(temporary);
    }

    /// <summary>
    /// A ref/out argument that is an element of an array atomics use: copied in with <c>atomicLoad</c> (not for
    /// <c>out</c>) and written back with <c>atomicStore</c>, as every access to such an array is atomic.
    /// </summary>
    private IrUnary? AtomicReferenceArgument(IOperation value, bool isOut, AtomicSite site, int argument, int ordinal)
    {
        var binding = site.Binding;
        var index = SiteIndex(site);
        if (index is null)
            return null;
        index = Bind(index, "index");
        var type = AtomicValueType(binding);
        var temporary = new IrVariable(FreshName("ref"), type, IrVariableKind.Var);
        var copyIn = new IrDeclare(temporary, isOut ? null : AtomicLoad(binding, index));
        var writeBack = AtomicStore(binding, index, new IrRef(temporary));
        pendingCopiesIn!.Add(copyIn);
        referenceWriteBacks!.Add(writeBack);
        referencePlaces!.Add(new ReferencePlace(new IrIndex(new IrRef(binding.Variable!), index, type), value, argument, ordinal, temporary, copyIn, writeBack));
        return AddressOf(temporary);
    }

    /// <summary>
    /// The pointer for a place that is a whole variable (or already a pointer), declaring <c>out var x</c> and
    /// <c>out _</c>; null for any other place. Emits only declarations (which evaluate nothing).
    /// </summary>
    private IrExpr? DirectReference(IOperation value)
    {
        switch (value)
        {
            case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared }:
            {
                var type = MapType(declared.Local.Type, value.Syntax);
                if (type is null)
                    return null;
                var variable = LocalVariable(declared.Local, type, IrVariableKind.Var);
                EmitDeclaration(new IrDeclare(variable, null));
                return AddressOf(variable);
            }
            case IDiscardOperation discard:
            {
                var type = MapType(discard.Type, value.Syntax);
                if (type is null)
                    return null;
                var variable = new IrVariable(FreshName("discarded"), type, IrVariableKind.Var);
                EmitDeclaration(new IrDeclare(variable, null));
                return AddressOf(variable);
            }
            default:
                return WholeVariablePointer(value);
        }
    }

    /// <summary>Whether <see cref="DirectReference"/> gives a pointer for the place (deciding it emits nothing).</summary>
    private bool IsDirectReference(IOperation value)
        => Unwrap(value) is IDeclarationExpressionOperation or IDiscardOperation || WholeVariablePointer(Unwrap(value)) is not null;

    /// <summary>
    /// The pointer to a place that is a whole function variable (<c>&amp;x</c>), or already a pointer (<c>this_</c> of a
    /// member that writes its struct, a ref parameter); null for any other place.
    /// </summary>
    private IrExpr? WholeVariablePointer(IOperation value) => value switch
    {
        IInstanceReferenceOperation when thisVariable is not null && thisIsPointer => new IrRef(thisVariable),
        IInstanceReferenceOperation when IsConstructor => AddressOf(thisVariable!),
        IParameterReferenceOperation parameter when referenceParameters.Contains(parameter.Parameter) => new IrRef(variables[parameter.Parameter]),
        IParameterReferenceOperation parameter when variables.TryGetValue(parameter.Parameter, out var copy) && copy.Kind == IrVariableKind.Var => AddressOf(copy),
        ILocalReferenceOperation local when refLocals.TryGetValue(local.Local, out var alias)
            => alias is IrRef { Variable.Kind: IrVariableKind.Var } whole ? AddressOf(whole.Variable)
                : alias is IrUnary { Op: IrUnaryOp.Deref, Operand: IrRef { Variable.Kind: IrVariableKind.Parameter } pointer } ? pointer // a captured local of a local function
                : null,
        ILocalReferenceOperation local when variables.TryGetValue(local.Local, out var variable) && !failedLocals.Contains(local.Local)
            && variable.Kind == IrVariableKind.Var && variable.Type.ArrayElement is null => AddressOf(variable),
        _ => null,
    };

    /// <summary>
    /// A call of a helper with source: the struct first for a struct member (a pointer when the member writes it), then
    /// the arguments in C#'s order, ref/out ones as pointers. A call on its own line may pass other places by
    /// reference: its arguments are then evaluated into lets in C#'s order, the places copied into temporaries after
    /// them, and the temporaries written back after the call (see <see cref="referenceWriteBacks"/>).
    /// </summary>
    private IrExpr? HelperCall(IInvocationOperation op, IMethodSymbol target, IrFunction helper, Dictionary<IArgumentOperation, IrExpr> pointerArguments,
        Dictionary<IArgumentOperation, (IrExpr Offset, IrExpr Length)> sliceArguments, IReadOnlyList<KernelParameterBinding> spanArguments,
        List<(LocalCapture Capture, List<IrExpr> Arguments)>? captures = null, IReadOnlyList<PlaceReference>? placeReferences = null)
    {
        placeReferences ??= [];
        var slots = new List<CallSlot>();
        if (!target.IsStatic && op.Instance is not null)
            slots.Add(new CallSlot(op.Instance, ChangesItsStruct(helper), false, null, -1));
        foreach (var argument in op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.Parameter is not null && IsSpanOrArray(argument.Parameter.Type))
            {
                if (pointerArguments.TryGetValue(argument, out var pointer))
                    slots.Add(new CallSlot(null, false, false, pointer, -1));
                if (sliceArguments.TryGetValue(argument, out var slice))
                {
                    // A slice: its offset and length, evaluated where the view was made.
                    slots.Add(new CallSlot(null, false, false, slice.Offset, -1));
                    slots.Add(new CallSlot(null, false, false, slice.Length, -1));
                }
                continue;
            }
            if (argument.Parameter is not null && IsIdType(argument.Parameter.Type))
                continue; // passed as a capture (IdArguments)
            if (argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                Unsupported(argument, "pass plain values: params arrays are not supported");
                return null;
            }
            if (argument.Parameter is { } parameter && placeReferences.Any(r => r.Ordinal == parameter.Ordinal))
            {
                // A place of an array atomics use: the helper's version takes its index (PlaceReferences).
                slots.Add(new CallSlot(argument.Value, false, false, null, parameter.Ordinal) { Atomic = true });
                continue;
            }
            slots.Add(new CallSlot(argument.Value, argument.Parameter is { RefKind: RefKind.Ref or RefKind.Out }, argument.Parameter?.RefKind == RefKind.Out, null, argument.Parameter?.Ordinal ?? -1));
        }
        // A local function's captures, after its own parameters: read where it is called, as C# does.
        foreach (var argument in captures?.SelectMany(c => c.Arguments) ?? [])
            slots.Add(new CallSlot(null, false, false, argument, -1));
        return Call(op, helper, slots, (target, spanArguments, captures?.Select(c => c.Capture).ToList(), placeReferences));
    }

    /// <summary>
    /// One argument of a helper call, in C#'s order: an operation lowered as a value or passed by reference (the
    /// parameter's ordinal for ref/out, -1 for the receiver), or an argument already lowered (a pointer to a
    /// per-invocation array, a slice's offset or length).
    /// </summary>
    private sealed record CallSlot(IOperation? Operation, bool Reference, bool IsOut, IrExpr? Pointer, int Ordinal)
    {
        /// <summary>A ref/out argument that is a place of an array atomics use: passed as its index or byte address.</summary>
        public bool Atomic { get; init; }
    }

    /// <summary>Whether a lowered struct member takes its struct by pointer (it writes it).</summary>
    private static bool ChangesItsStruct(IrFunction helper)
        => helper.Parameters.Count > 0 && helper.Parameters[0].Name == ThisName && helper.Parameters[0].Type.PointeeType is not null;

    private IrExpr? Call(IOperation op, IrFunction helper, List<CallSlot> slots, (IMethodSymbol Method, IReadOnlyList<KernelParameterBinding> Spans, IReadOnlyList<LocalCapture>? Captures, IReadOnlyList<PlaceReference> Atomics)? callee = null)
    {
        bool onItsLine = op.Parent is IExpressionStatementOperation && referenceWriteBacks is not null;
        bool throughTemporaries = slots.Any(s => s.Reference && !IsDirectReference(s.Operation!));
        if (!onItsLine && throughTemporaries && helper.ReturnType is not null)
            return SequenceCall(op, helper, slots, callee);
        return CallIn(op, helper, slots, callee, onItsLine, onItsLine && throughTemporaries, null);
    }

    /// <summary>
    /// A call whose value is used, passing places other than whole variables by reference (<c>rng[i].Next()</c> in
    /// a condition, <c>x + Bump(ref c[i])</c>): a <see cref="IrSequence"/> of its steps (arguments into lets, the
    /// places copied into temporaries, the call's value into a let, the temporaries written back) whose value is the
    /// result. The evaluation-order pass moves the steps ahead of the statement in C#'s order (and into the if of a
    /// short-circuit or conditional, so they run only when C# runs the call).
    /// </summary>
    private IrSequence? SequenceCall(IOperation op, IrFunction helper, List<CallSlot> slots, (IMethodSymbol Method, IReadOnlyList<KernelParameterBinding> Spans, IReadOnlyList<LocalCapture>? Captures, IReadOnlyList<PlaceReference> Atomics)? callee)
    {
        var saved = (current, referenceWriteBacks, declarationBlock);
        declarationBlock ??= current;
        current = new IrBlock();
        referenceWriteBacks = [];
        try
        {
            // A var set in both branches when the call runs in an aliased version, else a let of the call.
            var result = new IrVariable(FreshName("call"), helper.ReturnType!, IrVariableKind.Var);
            var call = CallIn(op, helper, slots, callee, true, true, result);
            if (call is null && !IsDeclared(result))
                return null;
            if (call is not null)
            {
                result = new IrVariable(result.Name, result.Type, IrVariableKind.Let);
                Emit(new IrDeclare(result, call));
            }
            foreach (var writeBack in referenceWriteBacks)
                Emit(writeBack);
            return new IrSequence(current.Statements, new IrRef(result));
        }
        finally
        {
            (current, referenceWriteBacks, declarationBlock) = saved;
        }

        bool IsDeclared(IrVariable variable) => current.Statements.Any(s => s is IrDeclare d && d.Variable == variable);
    }

    /// <summary>
    /// Where declarations that evaluate nothing go (<c>out var x</c>): outside any <see cref="IrSequence"/> being
    /// built, so that the variable stays in scope for the rest of the statement's block (a sequence's steps may run
    /// inside an if).
    /// </summary>
    private IrBlock? declarationBlock;

    private void EmitDeclaration(IrStmt declaration) => (declarationBlock ?? current).Statements.Add(declaration);

    /// <summary>
    /// The call; for <paramref name="result"/> (a call in a <see cref="IrSequence"/>), two references that may be one
    /// place emit the if that runs the aliased version, each branch setting the result, and return null.
    /// </summary>
    private IrCall? CallIn(IOperation op, IrFunction helper, List<CallSlot> slots, (IMethodSymbol Method, IReadOnlyList<KernelParameterBinding> Spans, IReadOnlyList<LocalCapture>? Captures, IReadOnlyList<PlaceReference> Atomics)? callee,
        bool onItsLine, bool sequential, IrVariable? result)
    {
        var saved = (pendingCopiesIn, referencePlaces);
        pendingCopiesIn = sequential ? [] : null;
        referencePlaces = [];
        try
        {
            var arguments = new List<IrExpr>();
            bool failed = false;
            foreach (var slot in slots)
            {
                var (operation, reference, isOut, pointer, ordinal) = slot;
                IrExpr? value;
                if (slot.Atomic)
                    value = PlaceAliasFor(operation!, bind: sequential)?.Index;
                else if (pointer is not null)
                    value = pointer;
                else if (reference)
                    value = ReferenceArgument(operation!, isOut, onItsLine, operation!.Parent is IArgumentOperation ? "an argument passed by reference" : "the struct whose method changes it", arguments.Count, ordinal);
                else
                    value = Value(operation!) is { } v ? (sequential ? Bind(v, "arg") : v) : null;
                if (value is null)
                    failed = true;
                else
                    arguments.Add(value);
            }
            if (failed)
                return null;
            if (AliasedPair(referencePlaces) is { } pair)
            {
                if (pair.Second.Temporary is null || pair.First.Temporary is null || pair.First.Ordinal < 0 || callee is null
                    || AliasCondition(pair.First.Place, pair.Second.Place) is not { } aliased)
                {
                    Unsupported(pair.Second.Syntax, $"it may be the same place as '{Snippet(pair.First.Syntax.Syntax)}', passed by reference to the same call: C#'s two references would see each other's writes, and WGSL cannot pass two references to one variable; pass a copy in a local and assign it back");
                    return null;
                }
                // Two elements that are one place when their indices are equal: that case runs a version of the
                // function whose two parameters are one pointer, as C#'s two references are one place.
                var variant = module.RequireHelper(callee.Value.Method, op.Syntax, callee.Value.Spans, (pair.First.Ordinal, pair.Second.Ordinal), callee.Value.Captures, callee.Value.Atomics);
                if (variant is null)
                    return null;
                var aliasedArguments = arguments.Where((_, k) => k != pair.Second.Argument).ToList();
                var whenAliased = new IrBlock(pendingCopiesIn!.Where(c => c != pair.Second.CopyIn).ToList());
                whenAliased.Statements.Add(CallStatement(new IrCall(variant, aliasedArguments, variant.ReturnType), result));
                whenAliased.Statements.AddRange(referenceWriteBacks!.Where(w => w != pair.Second.WriteBack));
                var otherwise = new IrBlock([.. pendingCopiesIn!]);
                otherwise.Statements.Add(CallStatement(new IrCall(helper, arguments, helper.ReturnType), result));
                otherwise.Statements.AddRange(referenceWriteBacks!);
                referenceWriteBacks!.Clear();
                if (result is not null)
                    Emit(new IrDeclare(result, null));
                Emit(new IrIf(aliased, whenAliased, otherwise));
                return null; // emitted whole (on its own line nothing is left to evaluate; else the result is set)
            }
            foreach (var copy in pendingCopiesIn ?? [])
                Emit(copy);
            return new IrCall(helper, arguments, helper.ReturnType);
        }
        finally
        {
            (pendingCopiesIn, referencePlaces) = saved;
        }
    }

    /// <summary>
    /// A computed property or indexer (a getter with a body) of a struct with source, or a static property: a call of
    /// its getter, the struct first, then the indexer's arguments in order.
    /// </summary>
    private IrExpr? PropertyGetterCall(IPropertyReferenceOperation op)
    {
        var getter = op.Property.GetMethod!;
        var helper = module.RequireHelper(getter, op.Syntax, []);
        if (helper is null)
            return null;
        var slots = new List<CallSlot>();
        if (!getter.IsStatic && op.Instance is not null)
            slots.Add(new CallSlot(op.Instance, ChangesItsStruct(helper), false, null, -1));
        foreach (var argument in op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
            slots.Add(new CallSlot(argument.Value, false, false, null, argument.Parameter?.Ordinal ?? -1));
        return Call(op, helper, slots);
    }

    /// <summary>Declarations of the temporaries of one call, emitted after its other arguments are evaluated.</summary>
    private List<IrStmt>? pendingCopiesIn;

    /// <summary>The places one call passes through temporaries (to refuse two that might be the same place).</summary>
    private List<ReferencePlace>? referencePlaces;

    private static IrUnary AddressOf(IrVariable variable)
    {
        variable.IsAddressed = true;
        return new IrUnary(IrUnaryOp.AddressOf, new IrRef(variable), WgslType.PointerTo(variable.Type));
    }

    /// <summary>A place passed by reference to one call: directly (a whole variable) or through a temporary.</summary>
    private sealed record ReferencePlace(IrExpr Place, IOperation Syntax, int Argument, int Ordinal, IrVariable? Temporary, IrStmt? CopyIn, IrStmt? WriteBack);

    /// <summary>
    /// The two references of one call that may be one place (one root, no constant index or field telling them apart;
    /// C#'s references would see each other's writes, copies would not), or null; more than one such pair is
    /// returned as its first, which the caller refuses unless it is the only one.
    /// </summary>
    private static (ReferencePlace First, ReferencePlace Second)? AliasedPair(List<ReferencePlace> places)
    {
        (ReferencePlace, ReferencePlace)? found = null;
        for (int i = 0; i < places.Count; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (!MayOverlap(places[i].Place, places[j].Place))
                    continue;
                if (found is not null)
                    return (places[j], places[i] with { Temporary = null }); // two pairs: refused
                found = (places[j], places[i]);
            }
        }
        return found;
    }

    /// <summary>
    /// When two element places of one root are the same element: their indices equal, level by level (null when
    /// the places differ in shape otherwise, e.g. by swizzles).
    /// </summary>
    private static IrExpr? AliasCondition(IrExpr a, IrExpr b)
    {
        IrExpr? condition = null;
        while (true)
        {
            switch (a, b)
            {
                case (IrRef ra, IrRef rb) when ra.Variable == rb.Variable:
                    return condition;
                case (IrIndex ia, IrIndex ib) when ia.Index.Type == ib.Index.Type:
                    if (!(ia.Index is IrLiteral la && ib.Index is IrLiteral lb && la.Bits == lb.Bits) && ia.Index != ib.Index)
                    {
                        var equal = new IrBinary(IrBinaryOp.Equal, ia.Index, ib.Index, WgslType.Bool);
                        condition = condition is null ? equal : new IrBinary(IrBinaryOp.LogicalAnd, condition, equal, WgslType.Bool);
                    }
                    a = ia.Array;
                    b = ib.Array;
                    continue;
                case (IrMember ma, IrMember mb) when ma.Member == mb.Member:
                    a = ma.Instance;
                    b = mb.Instance;
                    continue;
                default:
                    return null;
            }
        }
    }

    private static IrStmt CallStatement(IrCall call, IrVariable? result = null)
        => result is not null ? new IrAssign(new IrRef(result), call) : call.Type is null ? new IrCallStatement(call) : new IrAssign(null, call);

    /// <summary>Whether two places can be the same memory: one root, and no constant index or field that tells them apart.</summary>
    private static bool MayOverlap(IrExpr a, IrExpr b)
    {
        var pathA = Path(a);
        var pathB = Path(b);
        if (pathA[0] is not IrRef rootA || pathB[0] is not IrRef rootB || rootA.Variable != rootB.Variable)
            return false;
        if (pathA.Count == 1 || pathB.Count == 1)
            return true; // the whole variable and a part of it
        for (int k = 1; k < pathA.Count && k < pathB.Count; k++)
        {
            switch (pathA[k], pathB[k])
            {
                case (IrMember ma, IrMember mb) when ma.Member != mb.Member:
                    return false;
                case (IrSwizzle sa, IrSwizzle sb) when !sa.Components.Intersect(sb.Components).Any():
                    return false;
                case (IrIndex ia, IrIndex ib) when ia.Index is IrLiteral la && ib.Index is IrLiteral lb && la.Bits != lb.Bits:
                    return false;
            }
        }
        return true;

        static List<IrExpr> Path(IrExpr place)
        {
            var path = new List<IrExpr>();
            while (true)
            {
                path.Insert(0, place);
                switch (place)
                {
                    case IrIndex index:
                        place = index.Array;
                        continue;
                    case IrMember member:
                        place = member.Instance;
                        continue;
                    case IrSwizzle swizzle:
                        place = swizzle.Vector;
                        continue;
                    case IrUnary { Op: IrUnaryOp.Deref } deref:
                        place = deref.Operand;
                        continue;
                    default:
                        return path;
                }
            }
        }
    }
}
