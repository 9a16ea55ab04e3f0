using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Atomics: <c>Interlocked.*</c> and <c>KernelGen.Atomic.*</c> on elements of Span buffers and shared arrays become
/// WGSL's <c>atomic*</c> built-ins on an <c>array&lt;atomic&lt;T&gt;&gt;</c>; every other read and write of such an
/// array is an <c>atomicLoad</c>/<c>atomicStore</c>. Return values keep C#'s meaning (Interlocked.Increment and Add
/// return the new value, WGSL the old one), each operand is evaluated once and in C#'s order (the location's
/// index first), and a compare-exchange is strong as in .NET (WGSL's weak one is retried while it fails spuriously).
/// </summary>
internal sealed partial class WgslFunctionTranslator
{
    /// <summary>An element of an atomic buffer: its WGSL reference (<c>x[i]</c>, the index translated) and its element scalar.</summary>
    private sealed record AtomicElement(string Buffer, string Reference, WgslScalar Scalar, IPropertyReferenceOperation Operation)
    {
        /// <summary>The element's value, read atomically (a float from its bits).</summary>
        public string Load => Scalar == WgslScalar.F32 ? $"bitcast<f32>(atomicLoad(&{Reference}))" : $"atomicLoad(&{Reference})";

        /// <summary>The statement that stores <paramref name="value"/> atomically.</summary>
        public string Store(string value) => $"atomicStore(&{Reference}, {Bits(value)})";

        /// <summary>A value as the atomic's contents: a float's bits.</summary>
        public string Bits(string value) => Scalar == WgslScalar.F32 ? $"bitcast<u32>({value})" : value;
    }

    /// <summary>Whether <paramref name="op"/> is an element (<c>x[i]</c>) of a buffer or shared array that atomics use.</summary>
    private bool IsAtomicElement(IOperation? op, out IPropertyReferenceOperation element, out KernelParameterBinding binding, out WgslScalar scalar)
    {
        element = null!;
        binding = null!;
        scalar = default;
        if (op is not IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p } indexer
            || !kernelParameters.TryGetValue(p.Parameter, out var b)
            || !module.AtomicBuffers.TryGetValue(b.WgslName, out scalar))
            return false;
        element = indexer;
        binding = b;
        return true;
    }

    /// <summary>The atomic element <paramref name="op"/> refers to, its index translated now; null when it is none.</summary>
    private AtomicElement? Atomic(IOperation? op)
        => IsAtomicElement(op, out var element, out var binding, out var scalar)
            ? new AtomicElement(binding.WgslName, ElementAccess(element, binding, write: true), scalar, element)
            : null;

    /// <summary>A read of an element of an atomic array.</summary>
    private WgslExpression AtomicRead(IPropertyReferenceOperation element, KernelParameterBinding binding)
    {
        var scalar = module.AtomicBuffers[binding.WgslName];
        return WgslExpression.Primary(new AtomicElement(binding.WgslName, ElementAccess(element, binding, write: false), scalar, element).Load);
    }

    /// <summary>
    /// A call of Interlocked or KernelGen.Atomic; null when <paramref name="op"/> calls neither. As a
    /// <paramref name="statement"/> the value is not needed, which gives the shortest WGSL.
    /// </summary>
    private WgslExpression? AtomicInvocation(IInvocationOperation op, bool statement)
    {
        var target = op.TargetMethod;
        if (!AtomicOperations.IsAtomicClass(target.ContainingType))
            return null;
        string display = target.ContainingType.Name + "." + target.Name;
        if (AtomicOperations.Kind(target) is not { } kind)
        {
            string advice = target.Name is "Read" or "MemoryBarrier" or "MemoryBarrierProcessWide"
                ? ": read the element directly (every access to an array that atomics use is atomic), and order accesses with Workgroup.Barrier() or Workgroup.StorageBarrier()"
                : target.ContainingType.Name == "Interlocked" && target.Name is "Increment" or "Decrement" or "Add" or "Exchange" or "CompareExchange" or "And" or "Or"
                    ? ": this overload is not one of them"
                    : "";
            module.Report(DiagnosticDescriptors.UnsupportedAtomic, op.Syntax, display, advice);
            return WgslExpression.Error;
        }
        var elementType = target.Parameters[0].Type;
        if (AtomicOperations.ElementScalar(kind, elementType) is not { } scalar)
        {
            string what = elementType.SpecialType switch
            {
                SpecialType.System_Single => "for a float, Interlocked.Exchange, Interlocked.CompareExchange and Atomic.Add(ref float, float) work",
                SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => "WGSL has no 64-bit types",
                _ => "or float with Exchange, CompareExchange and Atomic.Add",
            };
            module.Report(DiagnosticDescriptors.AtomicElementType, op.Syntax, Snippet(op.Syntax), elementType.ToDisplayString(), what);
            return WgslExpression.Error;
        }
        var location = AtomicOperations.Location(op);
        if (location is null || !IsAtomicElement(location, out _, out _, out _))
        {
            module.Report(DiagnosticDescriptors.AtomicNotOnBufferElement, location?.Syntax ?? op.Syntax, location is null ? Snippet(op.Syntax) : Snippet(location.Syntax), Describe(location));
            return WgslExpression.Error;
        }
        var e = Atomic(location)!;
        // The values in C#'s order (after the location's index, which the reference already holds).
        var values = op.Arguments.Where(a => a.Parameter is { Ordinal: > 0 }).OrderBy(a => a.Parameter!.Ordinal).Select(a => Value(a.Value)).ToList();
        var type = e.Scalar switch { WgslScalar.I32 => WgslType.I32, WgslScalar.U32 => WgslType.U32, _ => WgslType.F32 };
        string one = One(type);
        string pointer = "&" + e.Reference;
        switch (kind)
        {
            case AtomicKind.Increment or AtomicKind.Decrement:
            {
                string call = $"{(kind == AtomicKind.Increment ? "atomicAdd" : "atomicSub")}({pointer}, {one})";
                // C# returns the new value; WGSL the old one.
                return statement ? WgslExpression.Primary(call) : new WgslExpression($"{call} {(kind == AtomicKind.Increment ? "+" : "-")} {one}", WgslPrecedence.Additive);
            }
            case AtomicKind.Add when e.Scalar != WgslScalar.F32:
            {
                string call = $"atomicAdd({pointer}, {values[0].Text})";
                if (statement)
                    return WgslExpression.Primary(call);
                if (IsPlainOperand(values[0].Text))
                    return new WgslExpression($"{call} + {values[0].AsOperand(WgslPrecedence.Additive, right: true)}", WgslPrecedence.Additive);
                string add = module.RequirePolyfill("atomicAdd_" + e.Buffer, n =>
                    $"// Interlocked.Add on {e.Buffer}: C# returns the new value, WGSL's atomicAdd the old one.\n" +
                    $"fn {n}(index: i32, value: {type.Name}) -> {type.Name} {{\n" +
                    $"    return atomicAdd(&{e.Buffer}[index], value) + value;\n" +
                    "}\n");
                return WgslExpression.Primary($"{add}({ElementIndex(e)}, {values[0].Text})");
            }
            case AtomicKind.Add:
            {
                string add = module.RequirePolyfill("atomicAdd_f32_" + e.Buffer, n =>
                    $"// Atomic.Add on the float array {e.Buffer} (its bits in atomic<u32>): a compare-exchange loop; returns the new value.\n" +
                    $"fn {n}(index: i32, value: f32) -> f32 {{\n" +
                    $"    var old: u32 = atomicLoad(&{e.Buffer}[index]);\n" +
                    "    var sum: f32;\n" +
                    "    loop {\n" +
                    "        sum = bitcast<f32>(old) + value;\n" +
                    $"        let result = atomicCompareExchangeWeak(&{e.Buffer}[index], old, bitcast<u32>(sum));\n" +
                    "        if (result.exchanged) {\n" +
                    "            break;\n" +
                    "        }\n" +
                    "        old = result.old_value;\n" +
                    "    }\n" +
                    "    return sum;\n" +
                    "}\n");
                return WgslExpression.Primary($"{add}({ElementIndex(e)}, {values[0].Text})");
            }
            case AtomicKind.CompareExchange:
            {
                string cas = module.RequirePolyfill("compareExchange_" + e.Buffer, n =>
                    $"// Interlocked.CompareExchange on {e.Buffer}{(e.Scalar == WgslScalar.F32 ? " (a float's bits, compared bitwise as .NET does)" : "")}: strong as in C#, so WGSL's weak\n" +
                    "// compare-exchange is retried while it fails with the value still equal to the comparand. Returns the old value.\n" +
                    $"fn {n}(index: i32, value: {type.Name}, comparand: {type.Name}) -> {type.Name} {{\n" +
                    $"    var result = atomicCompareExchangeWeak(&{e.Buffer}[index], {e.Bits("comparand")}, {e.Bits("value")});\n" +
                    $"    while (!result.exchanged && result.old_value == {e.Bits("comparand")}) {{\n" +
                    $"        result = atomicCompareExchangeWeak(&{e.Buffer}[index], {e.Bits("comparand")}, {e.Bits("value")});\n" +
                    "    }\n" +
                    $"    return {(e.Scalar == WgslScalar.F32 ? "bitcast<f32>(result.old_value)" : "result.old_value")};\n" +
                    "}\n");
                return WgslExpression.Primary($"{cas}({ElementIndex(e)}, {values[0].Text}, {values[1].Text})");
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
                string call = $"{builtin}({pointer}, {e.Bits(values[0].Text)})";
                return WgslExpression.Primary(e.Scalar == WgslScalar.F32 ? $"bitcast<f32>({call})" : call);
            }
        }
    }

    /// <summary>The index text of an element reference (<c>x[i]</c> gives <c>i</c>).</summary>
    private static string ElementIndex(AtomicElement e)
    {
        int open = e.Reference.IndexOf('[');
        return e.Reference.Substring(open + 1, e.Reference.Length - open - 2);
    }

    /// <summary>What a location that is no element of a buffer or shared array is, for KG0040.</summary>
    private string Describe(IOperation? location) => location switch
    {
        ILocalReferenceOperation => "a local variable",
        IParameterReferenceOperation p when kernelParameters.TryGetValue(p.Parameter, out var b) && b.Kind == ParameterKind.Uniform => "a value parameter (a uniform, read-only on the GPU)",
        IParameterReferenceOperation => "a parameter",
        IFieldReferenceOperation { Field.IsStatic: true } => "a static field",
        IFieldReferenceOperation => "a field of a struct",
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } when WgslTypeMap.NumericsVectorSize(instance.Type!) > 0 => "a vector component",
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p } when kernelParameters.TryGetValue(p.Parameter, out var b) && b.Kind == ParameterKind.ReadOnlyBuffer => "an element of a read-only buffer",
        _ => "not an element of a kernel buffer",
    };

    /// <summary>
    /// An assignment, compound assignment or ++/-- whose target is an element of an atomic array, or an atomic call,
    /// used as a statement: its WGSL text. False when <paramref name="op"/> is none of these.
    /// </summary>
    private bool TryAtomicStatement(IOperation op, out string? text)
    {
        text = null;
        switch (op)
        {
            case IInvocationOperation call when AtomicOperations.IsAtomicClass(call.TargetMethod.ContainingType):
                text = AtomicInvocation(call, statement: true)!.Value.Text;
                return true;
            case ISimpleAssignmentOperation assignment when IsAtomicElement(assignment.Target, out _, out _, out _):
            {
                var e = Atomic(assignment.Target)!;
                text = e.Store(Value(assignment.Value).Text);
                return true;
            }
            case ICompoundAssignmentOperation compound when IsAtomicElement(compound.Target, out _, out _, out _):
                text = AtomicCompoundAssignment(compound);
                return true;
            case IIncrementOrDecrementOperation increment when IsAtomicElement(increment.Target, out _, out _, out _):
            {
                var e = Atomic(increment.Target)!;
                bool inc = increment.Kind == OperationKind.Increment;
                if (e.Scalar != WgslScalar.F32)
                {
                    text = $"{(inc ? "atomicAdd" : "atomicSub")}(&{e.Reference}, {(e.Scalar == WgslScalar.I32 ? "1i" : "1u")})";
                    return true;
                }
                var bound = RepeatableElement(e, increment.Target);
                text = bound is null ? null : bound.Store($"{bound.Load} {(inc ? "+" : "-")} 1.0f");
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>
    /// <c>x[i] op= v</c> on an atomic array: WGSL's atomic read-modify-write where there is one (+ - &amp; | ^ on
    /// integers); otherwise a load and a store, as C# (whose compound assignment is not atomic either) does.
    /// </summary>
    private string? AtomicCompoundAssignment(ICompoundAssignmentOperation op)
    {
        var e = Atomic(op.Target)!;
        bool identity = (op.InConversion.IsIdentity || !op.InConversion.Exists) && (op.OutConversion.IsIdentity || !op.OutConversion.Exists)
            && SymbolEqualityComparer.Default.Equals(op.Value.Type, op.Target.Type);
        string? builtin = e.Scalar == WgslScalar.F32 || !identity ? null : op.OperatorKind switch
        {
            BinaryOperatorKind.Add => "atomicAdd",
            BinaryOperatorKind.Subtract => "atomicSub",
            BinaryOperatorKind.And => "atomicAnd",
            BinaryOperatorKind.Or => "atomicOr",
            BinaryOperatorKind.ExclusiveOr => "atomicXor",
            _ => null,
        };
        if (builtin is not null)
            return $"{builtin}(&{e.Reference}, {Value(op.Value).Text})";
        var bound = RepeatableElement(e, op.Target);
        if (bound is null)
            return null;
        var targetType = MapType(op.Target.Type, op.Target.Syntax);
        var valueType = MapType(op.Value.Type, op.Value.Syntax);
        if (targetType is null || valueType is null)
            return null;
        var value = Value(op.Value);
        if (op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
            value = ShiftAmount(op.Value, value, valueType);
        var read = WgslExpression.Primary(bound.Load);
        var operatorType = op.OperatorMethod?.Parameters[0].Type ?? (op.InConversion.Exists && !op.InConversion.IsIdentity ? op.Value.Type : op.Target.Type);
        var opType = module.Types.Map(operatorType, out _) ?? targetType;
        var left = opType.Name == targetType.Name ? read : Convert(read, targetType, opType);
        var combined = BinaryText(op.OperatorKind, left, opType, value, valueType, op.Syntax);
        var result = opType.Name == targetType.Name ? combined : Convert(combined, opType, targetType);
        return bound.Store(result.Text);
    }

    /// <summary>
    /// The element with an index that can be written twice (a load and a store): a name or constant as it is,
    /// anything else bound to a let before the statement (C# evaluates the target's index first). Null when
    /// no statement can run before this one (reported).
    /// </summary>
    private AtomicElement? RepeatableElement(AtomicElement e, IOperation target)
    {
        string index = ElementIndex(e);
        if (IsPlainOperand(index))
            return e;
        var indexOperation = e.Operation.Arguments[0].Value;
        if (hoistRoot is null)
        {
            Unsupported(indexOperation, $"'{Snippet(target.Syntax)}' is read and written here (an array that atomics use), so its index must be computed once, before: compute the index in a local first");
            return null;
        }
        string name = NewTemporary("index");
        w.Line($"let {name}: i32 = {index};");
        return e with { Reference = $"{e.Buffer}[{name}]" };
    }
}
