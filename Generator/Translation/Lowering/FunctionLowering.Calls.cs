using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

internal sealed partial class FunctionLowering
{
    /// <summary>The barrier a call to <c>Workgroup.Barrier()</c> / <c>StorageBarrier()</c> is, or null.</summary>
    private IrBarrierKind? IsWorkgroupBarrier(IMethodSymbol target)
        => target is { Parameters.Length: 0 } && module.Known.Workgroup.Matches(target.ContainingType)
            ? target.Name switch { "Barrier" => IrBarrierKind.Workgroup, "StorageBarrier" => IrBarrierKind.Storage, _ => null }
            : null;

    private IrExpr? Invocation(IInvocationOperation op)
    {
        if (IsCreateNumber(op))
            return CreateNumber(op);
        if (IsEnumHasFlag(op))
            return EnumHasFlag(op);
        if (IsSynthesizedRecordMember(op.TargetMethod))
            return RecordMemberCall(op);
        var target = ImplementationOf(op.TargetMethod);
        if (IsSliceExpression(op))
        {
            SpanViewMisuse(op, "is a slice used as a value: index it, ask its Length, pass it to a helper's Span parameter, or declare a Span local set to it");
            return null;
        }
        if (op.Instance is not null && !target.IsStatic)
        {
            if (MapType(op.Instance.Type, op.Instance.Syntax) is null)
                return null;
        }
        if (IsWorkgroupBarrier(target) is not null)
        {
            Unsupported(op, "a barrier is a statement of its own: call it on its own line");
            return null;
        }
        var wide = Int64Invocation(op, out bool isWide);
        if (isWide)
            return wide;
        if (module.IsSubgroupOperation(target))
            return SubgroupCall(op);
        var atomic = AtomicInvocation(op, statement: false, out bool isAtomic);
        if (isAtomic)
            return atomic;
        var bits = BitsInvocation(op, out bool isBits);
        if (isBits)
            return bits;
        if (IsMatrixCall(target))
            return MatrixInvocation(op, target);
        var intrinsic = Intrinsics.Find(module.Known, target, SimpleName(target));
        if (intrinsic is not null && ReversedClampBounds(op) is { } reversed)
        {
            Unsupported(op, $"its bounds are reversed (min {reversed.Min} > max {reversed.Max}): C# throws ArgumentException for that, and WGSL refuses the shader; swap them");
            return null;
        }
        if (intrinsic is null && target.DeclaringSyntaxReferences.Length == 0)
        {
            string type = target.ContainingType.ToDisplayString();
            if (module.Known.Enumerable.Matches(target.ContainingType))
            {
                Unsupported(op, "LINQ does not run on the GPU: write a for loop");
                return null;
            }
            if (HasUnsupportedStructOperand(op, target))
                return null; // the type is the root cause (KG0017, reported once), not the method
            module.Report(DiagnosticDescriptors.UnmappedMethod, op.Syntax, type + "." + target.Name, UnmappedMethodReason(target, type));
            return null;
        }
        IrFunction? helper = null;
        Dictionary<IArgumentOperation, IrExpr>? pointerArguments = null;
        Dictionary<IArgumentOperation, (IrExpr Offset, IrExpr Length)>? sliceArguments = null;
        List<KernelParameterBinding> spanArgumentsOfCall = [];
        List<PlaceReference> placeReferencesOfCall = [];
        List<(LocalCapture Capture, List<IrExpr> Arguments)>? captures = null;
        if (intrinsic is null && target.DeclaringSyntaxReferences.Length > 0)
        {
            // Span arguments bind the helper's Span parameters to kernel buffers (no WGSL argument).
            // A per-invocation array is passed as a pointer (a real WGSL argument).
            var spanArguments = new List<KernelParameterBinding>();
            pointerArguments = new Dictionary<IArgumentOperation, IrExpr>();
            sliceArguments = new Dictionary<IArgumentOperation, (IrExpr Offset, IrExpr Length)>();
            var roots = new List<IrVariable>();
            foreach (var argument in op.Arguments.Where(a => a.Parameter is not null && IsSpanOrArray(a.Parameter.Type)).OrderBy(a => a.Parameter!.Ordinal))
            {
                var value = Unwrap(argument.Value);
                if (IsFailedLocal(value))
                    return null;
                if (ArrayArgument(argument, value) is { } array)
                {
                    if (roots.Contains(array.Root))
                    {
                        ArrayMisuse(argument.Value, $"is passed twice to '{target.Name}': WGSL forbids two pointers to one array in a call; pass it once");
                        return null;
                    }
                    roots.Add(array.Root);
                    spanArguments.Add(array.Binding);
                    pointerArguments[argument] = array.Argument;
                }
                else if (IsSpanView(value) && !(SpanBinding(value) is { SliceOffset: null } && !IsSliceExpression(value)))
                {
                    // A slice: the helper's parameter names its array, and takes the offset and length as two arguments.
                    if (SpanView(value) is not { } view)
                        return null;
                    spanArguments.Add(SliceBinding(view.Base, argument.Parameter!, null, null));
                    spanArguments[spanArguments.Count - 1].IsSlice = true;
                    if (view.Base.PointerType is not null)
                    {
                        // A slice of a per-invocation array: a pointer to the array, then the offset and length.
                        var root = Passes.Effects.Root(ViewArray(view.Base)) ?? view.Base.Variable!;
                        if (roots.Contains(root))
                        {
                            ArrayMisuse(argument.Value, $"is a second view of an array passed to '{target.Name}': WGSL forbids two pointers to one array in a call; pass it once");
                            return null;
                        }
                        roots.Add(root);
                        pointerArguments[argument] = ViewPointer(view.Base);
                    }
                    sliceArguments[argument] = (view.Offset, view.Length);
                }
                else if (SpanBinding(value) is { } whole && !IsSliceExpression(value))
                {
                    spanArguments.Add(whole); // a buffer, or a Span local naming one whole
                }
                else if (value is IParameterReferenceOperation reference && kernelParameters.TryGetValue(reference.Parameter, out var buffer) && !buffer.IsId && buffer.Kind is not (ParameterKind.Uniform or ParameterKind.Specialized))
                {
                    spanArguments.Add(buffer);
                }
                else if (value is ISimpleAssignmentOperation)
                {
                    SpanViewMisuse(value, "assigns a Span local inside a call: re-point it in a statement of its own (s = s[1..];), then pass it");
                    return null;
                }
                else if (value is IArrayCreationOperation or ICollectionExpressionOperation
                    || value.Syntax.RawKind is (int)SyntaxKind.StackAllocArrayCreationExpression or (int)SyntaxKind.ImplicitStackAllocArrayCreationExpression)
                {
                    return Value(value); // KG0057: declare the array as a local first
                }
                else
                {
                    Unsupported(argument.Value, "a helper's Span parameter must receive one of the kernel's buffer parameters, a per-invocation array local, or the caller's own Span parameter, as it is");
                    return null;
                }
            }
            // The helper's signature is checked before its arguments, so a bad helper is one diagnostic.
            if (target.MethodKind == MethodKind.LocalFunction)
            {
                // What it captures is passed after its own parameters (LocalFunctions).
                captures = LocalFunctionCaptures(target, op);
                if (captures is null)
                    return null;
            }
            if (!IdArguments(op, ref captures))
                return null;
            placeReferencesOfCall = PlaceReferencesOf(op);
            helper = module.RequireHelper(target, op.Syntax, spanArguments, null, captures?.Select(c => c.Capture).ToList(), placeReferencesOfCall);
            spanArgumentsOfCall = spanArguments;
            if (helper is null)
                return null;
        }
        if (helper is not null)
            return HelperCall(op, target, helper, pointerArguments!, sliceArguments!, spanArgumentsOfCall, captures, placeReferencesOfCall);
        var operands = new List<IOperation>();
        if (op.Instance is not null && !target.IsStatic)
            operands.Add(op.Instance);
        foreach (var argument in op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter is { RefKind: not RefKind.None })
            {
                Unsupported(argument, "pass plain values: params arrays and ref/out/in arguments are not supported");
                return null;
            }
            operands.Add(argument.Value);
        }
        var arguments = Values(operands);
        if (arguments is null)
            return null;
        var types = new List<WgslType>();
        foreach (var operand in operands)
        {
            if (MapType(operand.Type, operand.Syntax) is not { } type)
                return null;
            types.Add(type);
        }
        var resultType = target.ReturnsVoid ? null : MapType(target.ReturnType, op.Syntax);
        if (resultType is null && !target.ReturnsVoid)
            return null;
        return intrinsic!.Build(new IntrinsicContext(module, resultType, types), arguments);
    }

    /// <summary>Why a .NET method without source has no translation, and what works instead (KG0018's message).</summary>
    /// <summary>
    /// A helper's <c>ThreadId</c>/<c>LocalId</c>/<c>GroupId</c>/<c>GroupCount</c>/<c>SubgroupId</c> parameters: each is
    /// given the caller's id as a local function captures one (the built-in's <c>vec3&lt;u32&gt;</c>, and
    /// <c>local_invocation_index</c>, the lane and the subgroup size where the id has them), after the helper's own
    /// parameters, so <c>t.X</c> in the helper is <c>i32(t.x)</c> as in the kernel. The argument can only be the
    /// caller's own id parameter (ids are no values: KG0023 otherwise). False when reported.
    /// </summary>
    private bool IdArguments(IInvocationOperation op, ref List<(LocalCapture Capture, List<IrExpr> Arguments)>? captures)
    {
        foreach (var argument in op.Arguments.Where(a => a.Parameter is not null && IsIdType(a.Parameter.Type)).OrderBy(a => a.Parameter!.Ordinal))
        {
            if (Unwrap(argument.Value) is not IParameterReferenceOperation reference || !kernelParameters.TryGetValue(reference.Parameter, out var binding) || !binding.IsId)
            {
                MapType(argument.Parameter!.Type, argument.Value.Syntax); // KG0023: pass the id parameter itself
                return false;
            }
            captures ??= [];
            captures.Add((new LocalCapture(argument.Parameter!.OriginalDefinition, CaptureKind.Id, null, binding),
                new[] { binding.Variable, binding.IndexVariable, binding.LaneVariable, binding.SizeVariable }.Where(v => v is not null).Select(v => (IrExpr)new IrRef(v!)).ToList()));
        }
        return true;
    }

    /// <summary>
    /// Whether a method without a translation takes or returns a struct that kernels cannot hold (<c>Quaternion</c>,
    /// <c>Vector128&lt;float&gt;</c>): then that type is reported (KG0017, once per type) instead of the method, so
    /// <c>Vector3.Transform(v, q)</c> with a Quaternion <c>q</c> gives one diagnostic, not one for the type and one per call.
    /// </summary>
    private bool HasUnsupportedStructOperand(IInvocationOperation op, IMethodSymbol target)
    {
        // At the argument of that type where there is one.
        var operands = op.Arguments.Select(a => (a.Parameter?.Type, a.Value.Syntax)).Append((target.ReturnType, op.Syntax));
        foreach (var (type, at) in operands)
        {
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Struct, SpecialType: SpecialType.None, IsRefLikeType: false } && !IsSpan(type)
                && MapType(type, at) is null)
                return true;
        }
        return false;
    }

    private string UnmappedMethodReason(IMethodSymbol target, string type)
    {
        if (Intrinsics.RoundDigitsReason(target) is { } round)
            return round;
        if (module.Known.IntrinsicKey(target.ContainingType) is { } key && Intrinsics.IsMathType(key))
            return $"it has no WGSL built-in equivalent; the {target.ContainingType.Name} methods that have: " + Intrinsics.SupportedMathOf(key, target.ContainingType);
        if (Intrinsics.AdviceFor(module.Known, target.ContainingType) is { } advice)
            return advice;
        return Intrinsics.HasMethodsOf(type)
            ? $"it has no WGSL built-in equivalent; the {target.ContainingType.Name} methods that have: {string.Join(", ", Intrinsics.SupportedMethods(type))} (write the rest as a static method in this project)"
            : "it has no source in this compilation and no WGSL equivalent: write the computation as a static method in this project";
    }

    private sealed class IntrinsicContext(WgslKernelTranslator module, WgslType? resultType, IReadOnlyList<WgslType> argumentTypes) : IIntrinsicContext
    {
        public WgslType? ResultType => resultType;

        public IReadOnlyList<WgslType> ArgumentTypes => argumentTypes;

        public IrCallable Polyfill(string baseName, System.Func<string, string> text) => module.RequirePolyfill(baseName, text);
    }

    private IrExpr? Creation(IObjectCreationOperation op)
    {
        var type = MapType(op.Type, op.Syntax);
        if (type is null)
            return null;
        if (type.IsMatrix)
            return MatrixCreation(op, type);
        if (type.IsVector || type.IsScalar)
        {
            if (op.Initializer is not null)
            {
                Unsupported(op, "set the components through the constructor: new Vector4(x, y, z, w)");
                return null;
            }
            if (op.Arguments.Length == 0)
                return Zero(type);
            var components = Values(op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value));
            return components is null ? null : new IrConstruct(type, components);
        }
        if (op.Constructor is { IsImplicitlyDeclared: false } constructor)
        {
            return op.Initializer is not null ? CreationWithInitializer(op, () => ConstructorCall(op, constructor, type), type) : ConstructorCall(op, constructor, type);
        }
        // new S { C = c } where C's setter has a body: the zero value into a temporary, then the initializers in order.
        if (op.Initializer?.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } target } && IsSetterCall(target)) == true)
            return CreationWithInitializer(op, () => Zero(type), type);
        return InitializerCreation(op, type);
    }

    /// <summary>A call of a struct constructor with source: its helper, the arguments in C#'s order.</summary>
    private IrCall? ConstructorCall(IObjectCreationOperation op, IMethodSymbol constructor, WgslType type)
    {
        var helper = module.RequireHelper(constructor, op.Syntax, []);
        if (helper is null)
            return null;
        var operands = new List<IOperation>();
        foreach (var argument in op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter is { RefKind: not RefKind.None })
            {
                Unsupported(argument, "pass plain values: params arrays and ref/out/in arguments are not supported");
                return null;
            }
            operands.Add(argument.Value);
        }
        var arguments = Values(operands);
        return arguments is null ? null : new IrCall(helper, arguments, type);
    }

    /// <summary>
    /// <c>new S(a, b) { C = c, D = d }</c> (or <c>new S { C = c }</c>, C's setter having a body): as C# runs it, the constructor (its arguments in order) into a temporary,
    /// then each initializer in order, a field or auto-property assigned, a setter with a body called on the
    /// temporary; the value is the temporary. One <see cref="IrSequence"/> that the evaluation-order pass moves to
    /// where C# evaluates the creation.
    /// </summary>
    private IrSequence? CreationWithInitializer(IObjectCreationOperation op, System.Func<IrExpr?> construction, WgslType type)
    {
        IrVariable? created = null;
        bool failed = false;
        var block = Block(() =>
        {
            if (construction() is not { } construct)
            {
                failed = true;
                return;
            }
            created = new IrVariable(FreshName("created"), type, IrVariableKind.Var);
            Emit(new IrDeclare(created, construct));
            foreach (var initializer in op.Initializer!.Initializers)
            {
                if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Property.IsIndexer: false } property } setterAssignment
                    && IsSetterCall(property) && !property.Property.IsStatic)
                {
                    var setter = module.RequireHelper(property.Property.SetMethod!, property.Syntax, []);
                    var assigned = Value(setterAssignment.Value);
                    if (setter is null || assigned is null)
                        failed = true;
                    else
                        Emit(new IrCallStatement(new IrCall(setter, [ChangesItsStruct(setter) ? AddressOf(created) : new IrRef(created), assigned], setter.ReturnType)));
                    continue;
                }
                if (initializer is ISimpleAssignmentOperation { Target: var member } assignment && IsFieldAccess(member, out var field, out var receiver)
                    && receiver is IInstanceReferenceOperation && !field.IsStatic)
                {
                    var place = Member(new IrRef(created), field, type);
                    var value = Value(assignment.Value);
                    if (place is null)
                        module.Report(DiagnosticDescriptors.UnsupportedMember, member.Syntax, Snippet(member.Syntax), "this field has no WGSL translation");
                    if (place is null || value is null)
                        failed = true;
                    else
                        Emit(new IrAssign(place, value));
                    continue;
                }
                Unsupported(initializer, "only field and property assignments (A = value) are supported in struct initializers: set the others in a statement after it");
                failed = true;
            }
        });
        return failed || created is null ? null : new IrSequence(block.Statements, new IrRef(created));
    }

    private IrConstruct? InitializerCreation(IObjectCreationOperation op, WgslType type)
    {
        // new S { A = a, B = b }: C# evaluates the initialisers in their order, WGSL's constructor takes the
        // fields in declaration order; the evaluation-order pass binds what the reordering could change.
        var values = new Dictionary<IFieldSymbol, IrExpr>(SymbolEqualityComparer.Default);
        bool failed = false;
        foreach (var initializer in op.Initializer?.Initializers ?? [])
        {
            if (initializer is ISimpleAssignmentOperation { Target: var member } assignment && IsFieldAccess(member, out var field, out var receiver) && receiver is IInstanceReferenceOperation)
            {
                if (Value(assignment.Value) is { } value)
                    values[field] = value;
                else
                    failed = true;
            }
            else
            {
                Unsupported(initializer, "only field and auto-property assignments (A = value) are supported in struct initializers: set a property with a setter body in a statement after it");
                return null;
            }
        }
        if (failed)
            return null;
        var fields = type.Fields.Select(f => values.TryGetValue(f.Symbol, out var v) ? v : Zero(f.Type)!).ToList();
        // The fields' places in C#'s order of the initialisers (the rest, zeros, after them).
        var order = values.Keys.Select(k => type.Fields.FindIndex(f => SymbolEqualityComparer.Default.Equals(f.Symbol, k)))
            .Concat(Enumerable.Range(0, fields.Count).Where(i => !values.ContainsKey(type.Fields[i].Symbol))).ToList();
        return new IrConstruct(type, fields, order);
    }
    /// <summary>The constant bounds of a scalar Clamp when min &gt; max (C# throws there; WGSL makes it a shader-creation error).</summary>
    private (string Min, string Max)? ReversedClampBounds(IInvocationOperation op)
    {
        if (op.TargetMethod.Name != "Clamp" || op.Arguments.Length != 3 || module.Known.VectorSize(op.TargetMethod.ContainingType) > 0)
            return null;
        var bounds = op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Skip(1).Select(a => a.Value.ConstantValue).ToList();
        if (!bounds[0].HasValue || !bounds[1].HasValue || bounds[0].Value is null || bounds[1].Value is null)
            return null;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        double min = System.Convert.ToDouble(bounds[0].Value, culture), max = System.Convert.ToDouble(bounds[1].Value, culture);
        return min > max ? (System.Convert.ToString(bounds[0].Value, culture)!, System.Convert.ToString(bounds[1].Value, culture)!) : null;
    }
}
