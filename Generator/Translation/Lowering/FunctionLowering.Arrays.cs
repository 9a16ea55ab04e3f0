using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Per-invocation arrays: a <c>Span&lt;T&gt;</c> local made by <c>stackalloc</c> or a collection expression, or a
/// <c>T[]</c> local made by <c>new</c> or an initialiser, with a constant length, becomes a function-scope
/// <c>var a: array&lt;T, N&gt;</c> (zeroed, as C# zeroes it). A helper's Span or array parameter that receives
/// one becomes a <c>ptr&lt;function, array&lt;T, N&gt;&gt;</c>, so its writes reach the caller as in C#.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>WGSL's limit on the bytes of function-address-space variables declared in one function.</summary>
    internal const int MaxFunctionArrayBytes = 8192;

    private readonly Dictionary<ILocalSymbol, IrVariable> localArrays = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> arrayTemporaries = new(System.StringComparer.Ordinal);
    private int localArrayBytes;

    /// <summary>A one-dimensional C# array type, or a Span/ReadOnlySpan: what a per-invocation array is declared as.</summary>
    internal static bool IsSpanOrArray(KnownTypes known, ITypeSymbol? type) => known.IsSpan(type) || type is IArrayTypeSymbol { Rank: 1 };

    private bool IsSpanOrArray(ITypeSymbol? type) => IsSpanOrArray(module.Known, type);

    private ITypeSymbol? ElementTypeOf(ITypeSymbol? type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType,
        INamedTypeSymbol named when IsSpan(named) => named.TypeArguments[0],
        _ => null,
    };

    private static IOperation Unwrap(IOperation value)
    {
        while (value is IConversionOperation { Conversion.IsImplicit: true } conversion)
            value = conversion.Operand;
        return value;
    }

    /// <summary>Whether the parameter is marked [Specialize].</summary>
    internal static bool IsSpecializeParameter(KnownTypes known, IParameterSymbol parameter)
        => parameter.GetAttributes().Any(known.IsSpecializeAttribute);

    /// <summary>A fresh name for a temporary of this function.</summary>
    private string Fresh(string prefix)
    {
        string name;
        int n = 0;
        do
        {
            name = prefix + "_" + n++;
        }
        while (module.IsModuleName(name) || calledNames.Contains(name) || variables.Values.Any(v => v.Name == name) || arrayTemporaries.Contains(name) || reservedNames.Contains(name));
        arrayTemporaries.Add(name);
        function.Names.Add(name);
        return name;
    }

    /// <summary>The declaration of a Span or array local; null when it is not a per-invocation array (reported).</summary>
    private IrDeclare? LocalArrayDeclaration(IVariableDeclaratorOperation declarator, ILocalSymbol local, IOperation? initializer, SyntaxNode typeSyntax)
    {
        string name = local.Name;
        failedLocals.Add(local); // until it is known to be good
        if (local.Type is IArrayTypeSymbol { Rank: > 1 })
        {
            module.Report(DiagnosticDescriptors.InvalidLocalArray, typeSyntax, name,
                "WGSL arrays have one dimension: declare new T[rows * columns] and index it with [row * columns + column]");
            return null;
        }
        var elementSymbol = ElementTypeOf(local.Type)!;
        if (elementSymbol is IArrayTypeSymbol || IsSpan(elementSymbol))
        {
            module.Report(DiagnosticDescriptors.InvalidLocalArray, typeSyntax, name,
                "arrays of arrays are not supported: use one array of rows * columns elements, indexed with [row * columns + column]");
            return null;
        }
        if (initializer is null)
        {
            module.Report(DiagnosticDescriptors.LocalArrayMisuse, declarator.Syntax, name,
                "is declared without its array: declare it with one, e.g. Span<float> a = stackalloc float[8]; or float[] a = new float[8];");
            return null;
        }
        var value = Unwrap(initializer);
        var children = value.ChildOperations.ToList();
        IOperation? count = null;
        IReadOnlyList<IOperation>? elements = null;
        switch (value)
        {
            case { Syntax: StackAllocArrayCreationExpressionSyntax stackAlloc } when children.Count > 0:
                count = children[0];
                if (stackAlloc.Initializer is not null)
                    elements = children.Skip(1).ToList();
                break;
            case { Syntax: ImplicitStackAllocArrayCreationExpressionSyntax } when children.Count > 0:
                count = children[0];
                elements = children.Skip(1).ToList();
                break;
            case IArrayCreationOperation creation when creation.DimensionSizes.Length == 1:
                count = creation.DimensionSizes[0];
                elements = creation.Initializer?.ElementValues;
                break;
            case ICollectionExpressionOperation collection:
                if (collection.Elements.FirstOrDefault(e => e is ISpreadOperation) is { } spread)
                {
                    module.Report(DiagnosticDescriptors.InvalidLocalArray, spread.Syntax, name, "spreads ('..') are not supported in per-invocation arrays: list the elements, or copy them in a loop");
                    return null;
                }
                elements = collection.Elements;
                break;
            default:
                module.Report(DiagnosticDescriptors.LocalArrayMisuse, initializer.Syntax, name,
                    $"is set to '{Snippet(initializer.Syntax)}', which is not a new array: declare a new one (stackalloc T[N], new T[N], or an initialiser) and copy elements in a loop, or index the kernel's buffer directly");
                return null;
        }
        int length;
        if (count is not null)
        {
            if (count.ConstantValue is not { HasValue: true, Value: int constant })
            {
                bool specialized = count.DescendantsAndSelf().Any(o => o is IParameterReferenceOperation p && IsSpecializeParameter(module.Known, p.Parameter));
                module.Report(DiagnosticDescriptors.InvalidLocalArray, count.Syntax, name, specialized
                    ? "its length depends on a [Specialize] parameter, and WGSL does not allow an override length for a function-scope array: give it a constant length (the largest you need) and loop to the specialised bound, or use a [GroupShared(nameof(...))] array"
                    : $"its length '{Snippet(count.Syntax)}' is not a constant: WGSL arrays in functions have a fixed size; use a const length (the largest you need)");
                return null;
            }
            length = constant;
        }
        else
        {
            length = elements!.Count;
        }
        if (length <= 0)
        {
            module.Report(DiagnosticDescriptors.InvalidLocalArray, (count ?? value).Syntax, name, $"its length is {length}: WGSL arrays have at least one element");
            return null;
        }
        var element = MapType(elementSymbol, typeSyntax);
        if (element is null)
            return null;
        var type = WgslType.ArrayOf(element, length);
        localArrayBytes += type.Size;
        if (localArrayBytes > MaxFunctionArrayBytes)
        {
            module.Report(DiagnosticDescriptors.InvalidLocalArray, declarator.Syntax, name,
                $"the function's per-invocation arrays take {localArrayBytes} bytes, above WGSL's limit of {MaxFunctionArrayBytes} bytes of function variables: use smaller arrays, a [GroupShared] array or a buffer");
            return null;
        }
        IrExpr? construct = null;
        if (elements is not null)
        {
            var values = Values(elements);
            if (values is null)
                return null;
            construct = new IrConstruct(type, values);
        }
        var variable = LocalVariable(local, type, IrVariableKind.Var);
        failedLocals.Remove(local);
        localArrays[local] = variable;
        return new IrDeclare(variable, construct);
    }

    /// <summary>The array a Span indexer or array element reference indexes, and the index; nulls when <paramref name="op"/> is neither.</summary>
    private (IOperation? Instance, IOperation? Index) Indexing(IOperation op) => op switch
    {
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer when IsSpan(instance.Type) && indexer.Arguments.Length == 1 => (instance, indexer.Arguments[0].Value),
        IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
        _ => (null, null),
    };

    /// <summary>The IR of a per-invocation array that <paramref name="instance"/> names (the variable, or the dereferenced pointer parameter), its length and element type; null otherwise.</summary>
    private (IrExpr Array, int Length, WgslType Element, string Name)? ArrayOf(IOperation? instance)
    {
        switch (instance is null ? null : Unwrap(instance))
        {
            case ILocalReferenceOperation local when localArrays.TryGetValue(local.Local, out var array):
                return (new IrRef(array), array.Type.ArrayLength, array.Type.ArrayElement!, local.Local.Name);
            case IParameterReferenceOperation parameter when kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.PointerType is not null && binding.SliceOffset is null:
            {
                var pointer = binding.Variable!;
                var arrayType = pointer.Type.PointeeType!;
                return (new IrUnary(IrUnaryOp.Deref, new IrRef(pointer), arrayType), arrayType.ArrayLength, arrayType.ArrayElement!, parameter.Parameter.Name);
            }
            case IFieldReferenceOperation or IPropertyReferenceOperation when TableSymbol(instance!) is not null:
                return LookupTableOf(instance!);
            default:
                return null;
        }
    }

    /// <summary>An element of a per-invocation array, read or written; null when <paramref name="op"/> is not one.</summary>
    private IrIndex? ArrayElement(IOperation op, out bool isArray)
    {
        isArray = false;
        var (instance, index) = Indexing(op);
        if (ArrayOf(instance) is not { } array)
            return null;
        isArray = true;
        if (IsFailedLocal(instance))
            return null;
        if (IsSystemIndex(index!.Type))
            return FromEndArrayElement(array, index);
        CheckConstantIndex(index!, array.Name, array.Length);
        var value = Index(index!);
        return value is null ? null : new IrIndex(array.Array, value, array.Element);
    }

    /// <summary>KG0056 for a constant index outside a fixed-length array (WGSL refuses the module; C# would throw).</summary>
    private void CheckConstantIndex(IOperation index, string array, int length)
    {
        if (index.ConstantValue is { HasValue: true, Value: { } value } && value is int or uint)
        {
            long i = value is int s ? s : (uint)value;
            if (i < 0 || i >= length)
                module.Report(DiagnosticDescriptors.ConstantIndexOutOfRange, index.Syntax, i, array, length);
        }
    }

    /// <summary><c>a.Length</c> and <c>a.IsEmpty</c> of a per-invocation array (constants); null when <paramref name="op"/> is not one of those.</summary>
    private IrExpr? ArrayProperty(IPropertyReferenceOperation op, out bool handled)
    {
        handled = false;
        if (op.Instance is { } instance && Unwrap(instance) is IArrayCreationOperation or ICollectionExpressionOperation)
        {
            handled = true;
            return Value(Unwrap(instance)); // KG0057: declare the array as a local first
        }
        if (op.Property.IsIndexer || ArrayOf(op.Instance) is not { } array)
            return null;
        handled = true;
        switch (op.Property.Name)
        {
            case "Length":
                return IrLiteral.I32(array.Length);
            case "IsEmpty":
                return IrLiteral.Bool(false);
            default:
                ArrayMisuse(op, $"uses '{op.Property.Name}', which has no WGSL translation");
                return null;
        }
    }

    /// <summary>The length of a workgroup array whose length is an override: the override, as i32.</summary>
    private IrExpr SharedLength(KernelParameterBinding binding)
    {
        var constant = module.Override(binding.SharedLengthName!);
        return constant.Type.Scalar == WgslScalar.U32 ? new IrConvert(WgslType.I32, new IrRef(constant)) : new IrRef(constant);
    }

    private void ArrayMisuse(IOperation op, string what)
        => module.Report(DiagnosticDescriptors.LocalArrayMisuse, op.Syntax, Snippet(op.Syntax), what);

    /// <summary>Whether <paramref name="op"/> is a per-invocation array used whole (not indexed).</summary>
    private bool IsLocalArrayReference(IOperation op)
        => op is ILocalReferenceOperation local && localArrays.ContainsKey(local.Local);

    /// <summary>
    /// The binding of a helper's Span/array parameter to the caller's per-invocation array <paramref name="value"/>
    /// (a pointer argument), with the argument; null when <paramref name="value"/> is no such array.
    /// </summary>
    private (KernelParameterBinding Binding, IrExpr Argument, IrVariable Root)? ArrayArgument(IArgumentOperation argument, IOperation value)
    {
        switch (value)
        {
            case ILocalReferenceOperation local when localArrays.TryGetValue(local.Local, out var array):
            {
                var binding = new KernelParameterBinding(argument.Parameter!, ParameterKind.Shared, array.Type.ArrayElement, array.Name)
                {
                    SharedLength = array.Type.ArrayLength,
                    PointerType = WgslType.PointerTo(array.Type).Name,
                };
                return (binding, new IrUnary(IrUnaryOp.AddressOf, new IrRef(array), WgslType.PointerTo(array.Type)), array);
            }
            case IParameterReferenceOperation parameter when kernelParameters.TryGetValue(parameter.Parameter, out var own) && own.PointerType is not null && own.SliceOffset is null:
                return (own, new IrRef(own.Variable!), own.Variable!);
            default:
                return null;
        }
    }

    /// <summary>A whole array a statement works on: the IR to index, its length (and value when fixed), element type, whether it can be assigned whole.</summary>
    private (IrExpr Array, IrExpr Length, int? Fixed, WgslType Element, bool Whole, IrExpr Offset)? ArrayView(IOperation op)
    {
        var value = Unwrap(op);
        if (ArrayOf(value) is { } array)
            return (array.Array, IrLiteral.I32(array.Length), array.Length, array.Element, true, IrLiteral.I32(0));
        if (IsSpanView(value))
        {
            // A slice: its array from the offset; a slice expression's offset and length are bound first (they run once).
            if (SpanView(value) is not { } slice)
                return null;
            IrExpr Bound(IrExpr e, string name)
            {
                if (e is IrRef { Variable.Kind: not IrVariableKind.Var } or IrLiteral)
                    return e; // a re-pointed span's var offset and length are read once too, as C# copies the span
                var let = new IrVariable(Fresh(name), WgslType.I32, IrVariableKind.Let);
                Emit(new IrDeclare(let, e));
                return new IrRef(let);
            }
            var offset = Bound(slice.Offset, "offset");
            var length = Bound(slice.Length, "length");
            int? fixedLength = length is IrLiteral { Kind: IrLiteralKind.I32 } l ? (int)l.Bits : null;
            return (ViewArray(slice.Base), length, fixedLength, slice.Base.Type!, false, offset);
        }
        if (value is IParameterReferenceOperation parameter && kernelParameters.TryGetValue(parameter.Parameter, out var binding)
            && binding.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared && binding.Variable is not null
            && binding.HostLayout is null && !binding.PackedVector3) // buffers in C#'s layout are read element by element (HostLayouts)
        {
            var element = binding.Type!;
            if (binding.Kind != ParameterKind.Shared)
                return (new IrRef(binding.Variable), new IrConvert(WgslType.I32, ArrayLength(binding)), null, element, false, IrLiteral.I32(0));
            if (binding.SharedLengthName is not null)
                return (new IrRef(binding.Variable), SharedLength(binding), null, element, false, IrLiteral.I32(0));
            return (new IrRef(binding.Variable), IrLiteral.I32(binding.SharedLength), binding.SharedLength, element, false, IrLiteral.I32(0));
        }
        return null;
    }

    /// <summary>A counted loop <c>for (var i: i32 = 0i; i &lt; count; i++) { body(i) }</c>.</summary>
    private IrFor CountedLoop(IrExpr count, System.Func<IrExpr, IEnumerable<IrStmt>> body)
    {
        var index = new IrVariable(Fresh("i"), WgslType.I32, IrVariableKind.Var);
        var block = new IrBlock(body(new IrRef(index)).ToList());
        return new IrFor(new IrDeclare(index, IrLiteral.I32(0)), new IrBinary(IrBinaryOp.Less, new IrRef(index), count, WgslType.Bool), new IrIncrement(new IrRef(index), true), block);
    }

    /// <summary>
    /// <c>a.Clear()</c>, <c>a.Fill(v)</c> and <c>a.CopyTo(b)</c> on a Span that is a per-invocation array, a helper's pointer to
    /// one, a buffer or a workgroup array, as statements; false when <paramref name="call"/> is none of those.
    /// </summary>
    private bool SpanMethodStatement(IInvocationOperation call)
    {
        if (call.Instance is null || !IsSpan(call.Instance.Type) || call.TargetMethod.Name is not ("Clear" or "Fill" or "CopyTo")
            || call.Arguments.Length != (call.TargetMethod.Name == "Clear" ? 0 : 1) || ArrayView(call.Instance) is not { } view)
            return false;
        if (IsFailedLocal(call.Instance))
            return true;
        switch (call.TargetMethod.Name)
        {
            case "Clear" when view.Whole:
                Emit(new IrAssign(view.Array, new IrConstruct(WgslType.ArrayOf(view.Element, view.Fixed!.Value), [])));
                return true;
            case "Clear":
                Emit(CountedLoop(view.Length, i => [new IrAssign(new IrIndex(view.Array, Add(view.Offset, i), view.Element), Zero(view.Element)!)]));
                return true;
            case "Fill":
            {
                if (Value(call.Arguments[0].Value) is not { } fill)
                    return true;
                var value = new IrVariable(Fresh("fill"), view.Element, IrVariableKind.Let);
                Emit(new IrDeclare(value, fill));
                Emit(CountedLoop(view.Length, i => [new IrAssign(new IrIndex(view.Array, Add(view.Offset, i), view.Element), new IrRef(value))]));
                return true;
            }
            default:
            {
                if (TableSymbol(Unwrap(call.Arguments[0].Value)) is not null)
                {
                    TableWrite(call.Arguments[0].Value, Unwrap(call.Arguments[0].Value));
                    return true;
                }
                if (ArrayView(call.Arguments[0].Value) is not { } destination)
                {
                    ArrayMisuse(call.Arguments[0].Value, "is a CopyTo destination that is not a per-invocation array, a buffer or a workgroup array");
                    return true;
                }
                if (view.Fixed is { } from && destination.Fixed is { } to && from > to)
                {
                    ArrayMisuse(call, $"copies {from} elements into {to}: C# would throw");
                    return true;
                }
                if (view.Whole && destination.Whole && view.Fixed == destination.Fixed)
                {
                    Emit(new IrAssign(destination.Array, view.Array)); // WGSL arrays are values: one copy
                    return true;
                }
                // A run-time length on either side: stay inside both (C# would throw where the source is longer).
                var count = view.Fixed is not null && destination.Fixed is not null ? view.Length
                    : new IrBuiltinCall("min", [view.Length, destination.Length], WgslType.I32);
                Emit(CountedLoop(count, i => [new IrAssign(new IrIndex(destination.Array, Add(destination.Offset, i), destination.Element), new IrIndex(view.Array, Add(view.Offset, i), view.Element))]));
                return true;
            }
        }
    }

    /// <summary>
    /// <c>foreach (var v in a)</c> over a per-invocation array, a buffer or a workgroup array: a counted WGSL loop
    /// that reads each element into a <c>let</c> (the loop variable is read-only in C# too).
    /// </summary>
    private void ForEach(IForEachLoopOperation loop)
    {
        var collection = Unwrap(loop.Collection);
        if (IsFailedLocal(collection) || HostForEach(loop, collection))
            return;
        if (ArrayView(collection) is not { } view || loop.LoopControlVariable is not IVariableDeclaratorOperation declarator || loop.IsAsynchronous)
        {
            UnsupportedStatement(loop, "foreach runs over per-invocation arrays, buffers, workgroup arrays and slices of them: otherwise iterate over the indices, for (int i = 0; i < a.Length; i++)");
            return;
        }
        var type = MapType(declarator.Symbol.Type, declarator.Syntax);
        if (type is null)
            return;
        var index = new IrVariable(Fresh("i"), WgslType.I32, IrVariableKind.Var);
        var element = new IrIndex(view.Array, Add(view.Offset, new IrRef(index)), view.Element);
        if (declarator.Symbol.IsRef)
        {
            // foreach (ref var v in s): v is the element itself (C#'s ref to it), read and written in place.
            refLocals[declarator.Symbol] = element;
        }
        var variable = declarator.Symbol.IsRef ? null : LocalVariable(declarator.Symbol, type, IrVariableKind.Let);
        var body = Block(() =>
        {
            if (variable is not null)
                Emit(new IrDeclare(variable, Convert(element, view.Element, type)));
            Body(loop.Body);
        });
        Emit(new IrFor(new IrDeclare(index, IrLiteral.I32(0)), new IrBinary(IrBinaryOp.Less, new IrRef(index), view.Length, WgslType.Bool), new IrIncrement(new IrRef(index), true), body));
    }
}
