using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Atomics: <c>Interlocked.*</c> and <c>KernelGen.Atomic.*</c> on elements of Span buffers and shared arrays become
/// WGSL's <c>atomic*</c> built-ins on an <c>array&lt;atomic&lt;T&gt;&gt;</c> (<see cref="AtomicOperations"/> finds those
/// arrays first); every other read and write of such an array is an <c>atomicLoad</c>/<c>atomicStore</c>. Return
/// values keep C#'s meaning (Interlocked.Increment and Add return the new value, WGSL the old one), each operand is
/// evaluated once and in C#'s order (the location's index first), and a compare-exchange is strong as in .NET (WGSL's
/// weak one is retried while it fails spuriously). The built-ins are impure calls whose effects (reads and writes of
/// the array) the passes see.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>
    /// An element of an array atomics use: its array, and its index as an operation still to lower (<c>x[i]</c>) or
    /// already evaluated (a ref local or ref parameter that refers to the element, PlaceReferences).
    /// </summary>
    private sealed record AtomicSite(KernelParameterBinding Binding, IOperation? IndexOperation, IrExpr? Bound);

    /// <summary>The element's index: lowered now (<c>x[i]</c>), or the one its reference evaluated.</summary>
    private IrExpr? SiteIndex(AtomicSite site) => site.Bound ?? Index(site.IndexOperation!);

    /// <summary>
    /// Whether <paramref name="op"/> is an element (<c>x[i]</c>) of a buffer or shared array that atomics use, or a ref
    /// local or ref parameter that refers to one.
    /// </summary>
    private bool IsAtomicElement(IOperation? op, out AtomicSite site)
    {
        site = null!;
        if (AliasOf(op) is { HostType: null } alias)
        {
            site = new AtomicSite(alias.Binding, null, alias.Index);
            return true;
        }
        if (op is not IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p } indexer
            || !kernelParameters.TryGetValue(p.Parameter, out var b)
            || b.Variable?.AtomicElement is null || b.HostLayout is not null)
            return false;
        site = new AtomicSite(b, indexer.Arguments[0].Value, null);
        return true;
    }

    /// <summary>The scalar an atomic array holds in C# (a float array keeps the bits in atomic&lt;u32&gt;).</summary>
    private static WgslType AtomicValueType(KernelParameterBinding binding) => binding.Type!;

    /// <summary>The type of the atomic's contents: i32, u32 (also for a float's bits).</summary>
    private static WgslType AtomicContentType(KernelParameterBinding binding) => binding.Type!.Scalar == WgslScalar.I32 ? WgslType.I32 : WgslType.U32;

    private static bool IsFloatAtomic(KernelParameterBinding binding) => binding.Type!.Scalar == WgslScalar.F32;

    /// <summary><c>&amp;x[index]</c> of an atomic array (a fresh node each time: two uses share only the index node).</summary>
    private static IrUnary AtomicPointer(KernelParameterBinding binding, IrExpr index)
        => new(IrUnaryOp.AddressOf, new IrIndex(new IrRef(binding.Variable!), index, AtomicContentType(binding)), AtomicContentType(binding));

    /// <summary>An element's value, read atomically (a float from its bits).</summary>
    private static IrExpr AtomicLoad(KernelParameterBinding binding, IrExpr index)
    {
        IrExpr load = new IrBuiltinCall("atomicLoad", [AtomicPointer(binding, index)], AtomicContentType(binding), pure: false);
        return IsFloatAtomic(binding) ? new IrBitcast(WgslType.F32, load) : load;
    }

    /// <summary>A value as the atomic's contents: a float's bits.</summary>
    private static IrExpr AtomicBits(KernelParameterBinding binding, IrExpr value) => IsFloatAtomic(binding) ? new IrBitcast(WgslType.U32, value) : value;

    private static IrCallStatement AtomicStore(KernelParameterBinding binding, IrExpr index, IrExpr value)
        => new IrCallStatement(new IrBuiltinCall("atomicStore", [AtomicPointer(binding, index), AtomicBits(binding, value)], null, pure: false));

    /// <summary>A read of an element of an atomic array.</summary>
    private IrExpr? AtomicRead(AtomicSite site)
        => SiteIndex(site) is { } index ? AtomicLoad(site.Binding, index) : null;

    /// <summary>A polyfill that writes (and reads) the atomic array <paramref name="binding"/>.</summary>
    private IrPolyfill AtomicPolyfill(string baseName, KernelParameterBinding binding, System.Func<string, string> text)
    {
        var polyfill = module.RequirePolyfill(baseName, text);
        var effects = new IrEffects();
        effects.Reads.Add(binding.Variable!);
        effects.Writes.Add(binding.Variable!);
        polyfill.Effects = effects;
        return polyfill;
    }

    /// <summary>
    /// A call of Interlocked or KernelGen.Atomic; null when <paramref name="op"/> calls neither (<paramref name="handled"/>
    /// false) or when it failed (reported). As a <paramref name="statement"/> the value is not needed.
    /// </summary>
    private IrExpr? AtomicInvocation(IInvocationOperation op, bool statement, out bool handled)
    {
        var target = op.TargetMethod;
        handled = AtomicOperations.IsAtomicClass(module.Known, target.ContainingType);
        if (!handled)
            return null;
        string display = target.ContainingType.Name + "." + target.Name;
        if (AtomicOperations.Kind(module.Known, target) is not { } kind)
        {
            string advice = target.Name is "Read" or "MemoryBarrier" or "MemoryBarrierProcessWide"
                ? ": read the element directly (every access to an array that atomics use is atomic), and order accesses with Workgroup.Barrier() or Workgroup.StorageBarrier()"
                : module.Known.Interlocked.Matches(target.ContainingType) && AtomicOperations.IsSupportedName(target.Name)
                    ? ": this overload is not one of them"
                    : "";
            module.Report(DiagnosticDescriptors.UnsupportedAtomic, op.Syntax, display, AtomicOperations.Supported, advice);
            return null;
        }
        var elementType = target.Parameters[0].Type;
        if (elementType.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16)
        {
            module.Report(DiagnosticDescriptors.FieldAtomicWord, op.Syntax, Snippet(op.Syntax),
                $"it is a {elementType.ToDisplayString()}, and WGSL's atomics work on whole 32-bit words (atomic<i32>, atomic<u32>), which a byte or short shares with its neighbours: use an int or uint field or element");
            return null;
        }
        if (AtomicOperations.ElementScalar(kind, elementType) is null)
        {
            string what = elementType.SpecialType switch
            {
                SpecialType.System_Single => "for a float, Interlocked.Exchange, Interlocked.CompareExchange and Atomic.Add(ref float, float) work",
                SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => "WGSL has no 64-bit types",
                _ => "or float with Exchange, CompareExchange and Atomic.Add",
            };
            module.Report(DiagnosticDescriptors.AtomicElementType, op.Syntax, Snippet(op.Syntax), elementType.ToDisplayString(), what);
            return null;
        }
        var location = AtomicOperations.Location(op);
        if (AtomicOperations.FieldRoot(location) is { } root && kernelParameters.TryGetValue(root, out var holder)
            && holder.Kind is ParameterKind.Buffer or ParameterKind.Shared)
            return FieldAtomic(op, kind, location!, holder, statement); // a field of a struct element (FieldAtomics)
        if (location is not null && !IsAtomicElement(location, out _) && HostRoot(location) is { Kind: ParameterKind.Buffer or ParameterKind.Shared } aliased)
            return FieldAtomic(op, kind, location, aliased, statement); // a field through a ref local or ref parameter
        if (location is null || !IsAtomicElement(location, out var site))
        {
            if (ReportAtomicOnReference(op, location))
                return null;
            module.Report(DiagnosticDescriptors.AtomicNotOnBufferElement, location?.Syntax ?? op.Syntax, Snippet((location ?? op).Syntax), Describe(location));
            return null;
        }
        // The location's index first, then the values in C#'s order.
        var binding = site.Binding;
        var index = SiteIndex(site);
        var values = Values(op.Arguments.Where(a => a.Parameter is { Ordinal: > 0 }).OrderBy(a => a.Parameter!.Ordinal).Select(a => a.Value));
        if (index is null || values is null)
            return null;
        var type = AtomicValueType(binding);
        string buffer = binding.Variable!.Name;
        switch (kind)
        {
            case AtomicKind.Increment or AtomicKind.Decrement:
            {
                var one = One(type);
                var call = new IrBuiltinCall(kind == AtomicKind.Increment ? "atomicAdd" : "atomicSub", [AtomicPointer(binding, index), one], type, pure: false);
                // C# returns the new value; WGSL the old one.
                return statement ? call : new IrBinary(kind == AtomicKind.Increment ? IrBinaryOp.Add : IrBinaryOp.Subtract, call, One(type), type);
            }
            case AtomicKind.Add when !IsFloatAtomic(binding):
            {
                if (statement)
                    return new IrBuiltinCall("atomicAdd", [AtomicPointer(binding, index), values[0]], type, pure: false);
                if (values[0] is IrLiteral or IrRef { Variable.IsSharedMemory: false })
                    return new IrBinary(IrBinaryOp.Add, new IrBuiltinCall("atomicAdd", [AtomicPointer(binding, index), values[0]], type, pure: false), values[0], type);
                var add = AtomicPolyfill("atomicAdd_" + buffer, binding, n =>
                    $"// Interlocked.Add on {buffer}: C# returns the new value, WGSL's atomicAdd the old one.\n" +
                    $"fn {n}(index: i32, value: {type.Name}) -> {type.Name} {{\n" +
                    $"    return atomicAdd(&{buffer}[index], value) + value;\n" +
                    "}\n");
                return new IrCall(add, [index, values[0]], type);
            }
            case AtomicKind.Add:
            {
                var add = AtomicPolyfill("atomicAdd_f32_" + buffer, binding, n =>
                    $"// Atomic.Add on the float array {buffer} (its bits in atomic<u32>): a compare-exchange loop; returns the new value.\n" +
                    $"fn {n}(index: i32, value: f32) -> f32 {{\n" +
                    $"    var old: u32 = atomicLoad(&{buffer}[index]);\n" +
                    "    var sum: f32;\n" +
                    "    loop {\n" +
                    "        sum = bitcast<f32>(old) + value;\n" +
                    $"        let result = atomicCompareExchangeWeak(&{buffer}[index], old, bitcast<u32>(sum));\n" +
                    "        if (result.exchanged) {\n" +
                    "            break;\n" +
                    "        }\n" +
                    "        old = result.old_value;\n" +
                    "    }\n" +
                    "    return sum;\n" +
                    "}\n");
                return new IrCall(add, [index, values[0]], WgslType.F32);
            }
            case AtomicKind.CompareExchange:
            {
                bool bits = IsFloatAtomic(binding);
                string B(string v) => bits ? $"bitcast<u32>({v})" : v;
                var cas = AtomicPolyfill("compareExchange_" + buffer, binding, n =>
                    $"// Interlocked.CompareExchange on {buffer}{(bits ? " (a float's bits, compared bitwise as .NET does)" : "")}: strong as in C#, so WGSL's weak\n" +
                    "// compare-exchange is retried while it fails with the value still equal to the comparand. Returns the old value.\n" +
                    $"fn {n}(index: i32, value: {type.Name}, comparand: {type.Name}) -> {type.Name} {{\n" +
                    $"    var result = atomicCompareExchangeWeak(&{buffer}[index], {B("comparand")}, {B("value")});\n" +
                    $"    while (!result.exchanged && result.old_value == {B("comparand")}) {{\n" +
                    $"        result = atomicCompareExchangeWeak(&{buffer}[index], {B("comparand")}, {B("value")});\n" +
                    "    }\n" +
                    $"    return {(bits ? "bitcast<f32>(result.old_value)" : "result.old_value")};\n" +
                    "}\n");
                return new IrCall(cas, [index, values[0], values[1]], type);
            }
            default:
            {
                string builtin = kind switch
                {
                    AtomicKind.Exchange => "atomicExchange",
                    AtomicKind.And => "atomicAnd",
                    AtomicKind.Or => "atomicOr",
                    AtomicKind.Min => "atomicMin",
                    _ => "atomicMax",
                };
                // These return the original value in C# too.
                IrExpr call = new IrBuiltinCall(builtin, [AtomicPointer(binding, index), AtomicBits(binding, values[0])], AtomicContentType(binding), pure: false);
                return IsFloatAtomic(binding) ? new IrBitcast(WgslType.F32, call) : call;
            }
        }
    }

    /// <summary>What a location that is no element of a buffer or shared array is, for KG0040.</summary>
    private string Describe(IOperation? location) => location switch
    {
        ILocalReferenceOperation => "a local variable",
        IParameterReferenceOperation p when kernelParameters.TryGetValue(p.Parameter, out var b) && b.Kind == ParameterKind.Uniform => "a value parameter (a uniform, read-only on the GPU)",
        IParameterReferenceOperation => "a parameter",
        IFieldReferenceOperation { Field.IsStatic: true } => "a static field",
        IFieldReferenceOperation => "a field of a struct",
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } when module.Known.VectorSize(instance.Type!) > 0 => "a vector component",
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p } when kernelParameters.TryGetValue(p.Parameter, out var b) && b.Kind == ParameterKind.ReadOnlyBuffer => "an element of a read-only buffer",
        _ => "not an element of a kernel buffer",
    };

    /// <summary>
    /// An assignment, compound assignment or ++/-- whose target is an element of an atomic array, or an atomic call,
    /// used as a statement: its IR (null when it failed, reported). False when <paramref name="op"/> is none of these.
    /// </summary>
    private bool TryAtomicStatement(IOperation op, out IrStmt? statement)
    {
        statement = null;
        switch (op)
        {
            case IInvocationOperation call when AtomicOperations.IsAtomicClass(module.Known, call.TargetMethod.ContainingType):
            {
                var value = AtomicInvocation(call, statement: true, out _);
                statement = value is null ? null : new IrCallStatement(value);
                return true;
            }
            case ISimpleAssignmentOperation { IsRef: false } assignment when IsAtomicElement(assignment.Target, out var site):
            {
                var binding = site.Binding;
                var index = SiteIndex(site);
                var value = Value(assignment.Value);
                statement = index is null || value is null ? null : AtomicStore(binding, index, value);
                return true;
            }
            case ICompoundAssignmentOperation compound when IsAtomicElement(compound.Target, out var site):
                statement = AtomicCompoundAssignment(compound, site);
                return true;
            case IIncrementOrDecrementOperation increment when IsAtomicElement(increment.Target, out var site):
            {
                var binding = site.Binding;
                var index = SiteIndex(site);
                if (index is null)
                    return true;
                bool inc = increment.Kind == OperationKind.Increment;
                if (!IsFloatAtomic(binding))
                {
                    statement = new IrCallStatement(new IrBuiltinCall(inc ? "atomicAdd" : "atomicSub", [AtomicPointer(binding, index), One(binding.Type!)], binding.Type, pure: false));
                    return true;
                }
                // A load and a store (not atomic, as C#'s ++ is not); the index node is shared, so it runs once.
                statement = AtomicStore(binding, index, new IrBinary(inc ? IrBinaryOp.Add : IrBinaryOp.Subtract, AtomicLoad(binding, index), IrLiteral.F32(1f), WgslType.F32));
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>x[i] op= v</c> on an atomic array: WGSL's atomic read-modify-write where there is one (+ - &amp; | ^ on
    /// integers) and <c>v</c> calls nothing that could write memory; otherwise a load and a store, as C# (whose
    /// compound assignment is not atomic either) does. C# reads <c>x[i]</c> before it evaluates <c>v</c>, so a
    /// <c>v</c> that writes <c>x[i]</c> (<c>x[i] += Interlocked.Exchange(ref x[i], 1)</c>, a helper) must not see its
    /// own write added in, as the read-modify-write, which reads after <c>v</c>, would.
    /// </summary>
    private IrCallStatement? AtomicCompoundAssignment(ICompoundAssignmentOperation op, AtomicSite site)
        => AtomicCompound(op, site, SiteIndex(site), asValue: false, out _);

    /// <summary>
    /// The compound assignment; with <paramref name="asValue"/> its C# value too (the value this thread stored):
    /// the operand bound to a let, the read-modify-write's old value to another, <paramref name="value"/> the
    /// old value combined with the operand (a load and a store: the combined value in a let, then the store).
    /// </summary>
    private IrCallStatement? AtomicCompound(ICompoundAssignmentOperation op, AtomicSite site, IrExpr? index, bool asValue, out IrExpr? result)
    {
        result = null;
        var binding = site.Binding;
        var targetType = MapType(op.Target.Type, op.Target.Syntax);
        var valueType = MapType(op.Value.Type, op.Value.Syntax);
        var value = Value(op.Value);
        if (index is null || targetType is null || valueType is null || value is null)
            return null;
        bool identity = (op.InConversion.IsIdentity || !op.InConversion.Exists) && (op.OutConversion.IsIdentity || !op.OutConversion.Exists)
            && SymbolEqualityComparer.Default.Equals(op.Value.Type, op.Target.Type);
        string? builtin = IsFloatAtomic(binding) || !identity || Passes.EvaluationOrder.CallsHelper(value) ? null : op.OperatorKind switch
        {
            BinaryOperatorKind.Add => "atomicAdd",
            BinaryOperatorKind.Subtract => "atomicSub",
            BinaryOperatorKind.And => "atomicAnd",
            BinaryOperatorKind.Or => "atomicOr",
            BinaryOperatorKind.ExclusiveOr => "atomicXor",
            _ => null,
        };
        if (builtin is not null && asValue)
        {
            var operand = IsStable(value) ? value : LetValue("operand", value);
            var old = LetValue("old", new IrBuiltinCall(builtin, [AtomicPointer(binding, index), operand], targetType, pure: false));
            var op2 = op.OperatorKind switch
            {
                BinaryOperatorKind.Add => IrBinaryOp.Add,
                BinaryOperatorKind.Subtract => IrBinaryOp.Subtract,
                BinaryOperatorKind.And => IrBinaryOp.BitAnd,
                BinaryOperatorKind.Or => IrBinaryOp.BitOr,
                _ => IrBinaryOp.BitXor,
            };
            result = LetValue("value", new IrBinary(op2, old, operand, targetType));
            return null;
        }
        if (builtin is not null)
            return new IrCallStatement(new IrBuiltinCall(builtin, [AtomicPointer(binding, index), value], targetType, pure: false));
        if (op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
            value = ShiftAmount(op.Value, value, valueType);
        var operatorType = op.OperatorMethod?.Parameters[0].Type ?? (op.InConversion.Exists && !op.InConversion.IsIdentity ? op.Value.Type : op.Target.Type);
        var opType = module.Types.Map(operatorType, out _) ?? targetType;
        var read = AtomicLoad(binding, index);
        var left = opType.Name == targetType.Name ? read : Convert(read, targetType, opType);
        var combined = BinaryOperator(op.OperatorKind, left, opType, value, valueType, op.Syntax);
        if (combined is null)
            return null;
        var stored = opType.Name == targetType.Name ? combined : Convert(combined, opType, targetType);
        if (asValue)
            stored = result = LetValue("value", stored);
        return AtomicStore(binding, index, stored);
    }

    /// <summary>A let holding <paramref name="value"/>, declared in the current block; a reference to it.</summary>
    private IrRef LetValue(string prefix, IrExpr value)
    {
        var variable = new IrVariable(FreshName(prefix), value.Type!, IrVariableKind.Let);
        Emit(new IrDeclare(variable, value));
        return new IrRef(variable);
    }

    /// <summary>
    /// <c>y[i] = v</c>, <c>y[i] += v</c>, <c>y[i]++</c> on an atomic array used as a value: C#'s value is the one this
    /// thread stored (or, for a postfix update, read), never a reload another thread's write could have changed
    /// meanwhile. The index is bound first (C# evaluates the target first), then the value into a let, then the store
    /// or the read-modify-write, whose own result gives the old value.
    /// </summary>
    private IrSequence? AtomicUpdateValue(IOperation op, AtomicSite site)
    {
        IrExpr? result = null;
        var binding = site.Binding;
        var block = Block(() =>
        {
            if (SiteIndex(site) is not { } siteIndex)
                return;
            IrExpr index = IsStable(siteIndex) ? siteIndex : LetValue("index", siteIndex);
            switch (op)
            {
                case ISimpleAssignmentOperation assignment:
                    if (Value(assignment.Value) is { } value)
                    {
                        result = LetValue("value", value);
                        Emit(AtomicStore(binding, index, result));
                    }
                    break;
                case ICompoundAssignmentOperation compound:
                    if (AtomicCompound(compound, site, index, asValue: true, out result) is { } store)
                        Emit(store);
                    break;
                case IIncrementOrDecrementOperation increment:
                {
                    bool inc = increment.Kind == OperationKind.Increment;
                    var type = binding.Type!;
                    IrRef old;
                    if (IsFloatAtomic(binding))
                    {
                        // A load and a store (not atomic, as C#'s ++ is not).
                        old = LetValue("old", AtomicLoad(binding, index));
                        var updated = LetValue("value", new IrBinary(inc ? IrBinaryOp.Add : IrBinaryOp.Subtract, old, IrLiteral.F32(1f), WgslType.F32));
                        Emit(AtomicStore(binding, index, updated));
                        result = increment.IsPostfix ? old : updated;
                        break;
                    }
                    old = LetValue("old", new IrBuiltinCall(inc ? "atomicAdd" : "atomicSub", [AtomicPointer(binding, index), One(type)], type, pure: false));
                    result = increment.IsPostfix ? old : LetValue("value", new IrBinary(inc ? IrBinaryOp.Add : IrBinaryOp.Subtract, old, One(type), type));
                    break;
                }
            }
        });
        return result is null ? null : new IrSequence(block.Statements, result);
    }
}
