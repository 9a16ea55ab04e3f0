using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Per-invocation arrays: a <c>Span&lt;T&gt;</c> local made by <c>stackalloc</c> or a collection expression, or a
/// <c>T[]</c> local made by <c>new</c> or an initialiser, with a constant length, becomes a function-scope
/// <c>var a: array&lt;T, N&gt;</c> (zeroed, as C# zeroes it). A helper's Span or array parameter that receives
/// one becomes a <c>ptr&lt;function, array&lt;T, N&gt;&gt;</c>, so its writes reach the caller as in C#.
/// </summary>
internal sealed partial class WgslFunctionTranslator
{
    /// <summary>WGSL's limit on the bytes of function-address-space variables declared in one function.</summary>
    internal const int MaxFunctionArrayBytes = 8192;

    private readonly Dictionary<ILocalSymbol, LocalArray> localArrays = new(SymbolEqualityComparer.Default);
    private int localArrayBytes;

    private sealed class LocalArray(string name, WgslType element, int length)
    {
        public string Name { get; } = name;

        public WgslType Element { get; } = element;

        public int Length { get; } = length;

        public string TypeName => $"array<{Element.Name}, {Length}>";
    }

    /// <summary>A one-dimensional C# array type, or a Span/ReadOnlySpan: what a per-invocation array is declared as.</summary>
    internal static bool IsSpanOrArray(ITypeSymbol? type) => IsSpan(type) || type is IArrayTypeSymbol { Rank: 1 };

    private static ITypeSymbol? ElementTypeOf(ITypeSymbol? type) => type switch
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

    /// <summary>The declaration of a Span or array local, without the semicolon; null when it is not a per-invocation array (reported).</summary>
    private string? LocalArrayDeclaration(IVariableDeclaratorOperation declarator, ILocalSymbol local, IOperation? initializer, SyntaxNode typeSyntax)
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
                if (elements is not null && elements.Any(e => e is IArrayInitializerOperation))
                    elements = null;
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
                bool specialized = count.DescendantsAndSelf().Any(o => o is IParameterReferenceOperation p && IsSpecializeParameter(p.Parameter));
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
        int stride = WgslTypeMap.RoundUp(element.Size, System.Math.Max(1, element.Align));
        localArrayBytes += stride * length;
        if (localArrayBytes > MaxFunctionArrayBytes)
        {
            module.Report(DiagnosticDescriptors.InvalidLocalArray, declarator.Syntax, name,
                $"the function's per-invocation arrays take {localArrayBytes} bytes, above WGSL's limit of {MaxFunctionArrayBytes} bytes of function variables: use smaller arrays, a [GroupShared] array or a buffer");
            return null;
        }
        var array = new LocalArray(LocalName(local), element, length);
        if (elements is null)
        {
            failedLocals.Remove(local);
            localArrays[local] = array;
            return $"var {array.Name}: {array.TypeName}";
        }
        var values = elements.Select(e => Value(e).Text).ToList();
        failedLocals.Remove(local);
        localArrays[local] = array;
        return $"var {array.Name}: {array.TypeName} = {array.TypeName}({string.Join(", ", values)})";
    }

    /// <summary>Whether the parameter is a kernel parameter marked [Specialize].</summary>
    internal static bool IsSpecializeParameter(IParameterSymbol parameter)
        => parameter.GetAttributes().Any(a => a.AttributeClass is { Name: "SpecializeAttribute", ContainingNamespace: { Name: "KernelGen", ContainingNamespace.IsGlobalNamespace: true } });

    /// <summary>The array a Span indexer or array element reference indexes, and the index; nulls when <paramref name="op"/> is neither.</summary>
    private static (IOperation? Instance, IOperation? Index) Indexing(IOperation op) => op switch
    {
        IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } indexer when IsSpan(instance.Type) && indexer.Arguments.Length == 1 => (instance, indexer.Arguments[0].Value),
        IArrayElementReferenceOperation { Indices.Length: 1 } element => (element.ArrayReference, element.Indices[0]),
        _ => (null, null),
    };

    /// <summary>The WGSL name (or dereferenced pointer) and length of a per-invocation array that <paramref name="instance"/> names; null otherwise.</summary>
    private (string Access, int Length, string Name)? ArrayOf(IOperation? instance)
    {
        switch (instance is null ? null : Unwrap(instance))
        {
            case ILocalReferenceOperation local when localArrays.TryGetValue(local.Local, out var array):
                return (array.Name, array.Length, local.Local.Name);
            case IParameterReferenceOperation parameter when kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.PointerType is not null:
                return (binding.Access, binding.SharedLength, parameter.Parameter.Name);
            default:
                return null;
        }
    }

    /// <summary>An element of a per-invocation array, read or written; null when <paramref name="op"/> is not one.</summary>
    private string? ArrayElement(IOperation op, IOperation? assignedValue = null, bool write = false)
    {
        var (instance, index) = Indexing(op);
        if (ArrayOf(instance) is not { } array)
            return null;
        if (IsFailedLocal(instance))
            return WgslExpression.Error.Text;
        CheckConstantIndex(index!, array.Name, array.Length);
        bool bind = write && (HasHelperCall(index) || (HasHelperCall(assignedValue) && ReadsElement(index!)));
        return $"{array.Access}[{IndexText(index!, bind)}]";
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

    /// <summary>Whether an element of a buffer or array is read anywhere inside <paramref name="op"/>.</summary>
    private static bool ReadsElement(IOperation op) => op.DescendantsAndSelf().Any(o => IsElementRead(o) || o is IArrayElementReferenceOperation);

    /// <summary>
    /// An index as WGSL text; with <paramref name="bind"/>, bound to a <c>let</c> before the statement first (C# evaluates
    /// an assignment's target, index included, before the value).
    /// </summary>
    private string IndexText(IOperation index, bool bind)
    {
        if (!bind || index.ConstantValue.HasValue || index is ILocalReferenceOperation)
            return Index(index);
        if (hoistRoot is null)
        {
            Unsupported(index, "this index calls a helper or reads an array the assigned value can change, and cannot be evaluated first here: compute the index in a statement before");
            return WgslExpression.Error.Text;
        }
        var type = module.Types.Map(index.Type, out _);
        string text = Index(index);
        if (type is null)
            return WgslExpression.Error.Text;
        string name = NewTemporary("index");
        w.Line($"let {name}: {type.Name} = {text};");
        return name;
    }

    /// <summary><c>a.Length</c> and <c>a.IsEmpty</c> of a per-invocation array (constants); null when <paramref name="op"/> is not one of those.</summary>
    private WgslExpression? ArrayProperty(IPropertyReferenceOperation op)
    {
        if (op.Instance is { } instance && Unwrap(instance) is IArrayCreationOperation or ICollectionExpressionOperation)
        {
            Value(Unwrap(instance)); // KG0057: declare the array as a local first
            return WgslExpression.Error;
        }
        if (op.Property.IsIndexer || ArrayOf(op.Instance) is not { } array)
            return null;
        return op.Property.Name switch
        {
            "Length" => WgslExpression.Primary(WgslLiteral.Int(array.Length)),
            "IsEmpty" => WgslExpression.Primary(WgslLiteral.Bool(false)),
            _ => ArrayMisuse(op, $"uses '{op.Property.Name}', which has no WGSL translation"),
        };
    }

    private WgslExpression ArrayMisuse(IOperation op, string what)
    {
        module.Report(DiagnosticDescriptors.LocalArrayMisuse, op.Syntax, Snippet(op.Syntax), what);
        return WgslExpression.Error;
    }

    /// <summary>Whether <paramref name="op"/> is a per-invocation array used whole (not indexed).</summary>
    private bool IsLocalArrayReference(IOperation op)
        => op is ILocalReferenceOperation local && localArrays.ContainsKey(local.Local);

    /// <summary>A whole array a statement works on: how it is indexed, its length (text, and value when fixed), its element type, whether it can be assigned whole.</summary>
    private (string Access, string Length, int? Fixed, WgslType Element, bool Whole)? ArrayView(IOperation op)
    {
        var value = Unwrap(op);
        var element = module.Types.Map(ElementTypeOf(value.Type), out _);
        if (element is null)
            return null;
        if (ArrayOf(value) is { } array)
            return (array.Access, WgslLiteral.Int(array.Length), array.Length, element, true);
        if (value is IParameterReferenceOperation parameter && kernelParameters.TryGetValue(parameter.Parameter, out var binding)
            && binding.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared)
        {
            if (binding.Kind != ParameterKind.Shared)
                return (binding.Access, $"i32(arrayLength(&{binding.WgslName}))", null, element, false);
            if (binding.SharedLengthName is { } lengthName)
                return (binding.Access, module.IsUnsignedOverride(lengthName) ? $"i32({lengthName})" : lengthName, null, element, false);
            return (binding.Access, WgslLiteral.Int(binding.SharedLength), binding.SharedLength, element, false);
        }
        return null;
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
                w.Line($"{view.Access} = array<{view.Element.Name}, {view.Fixed!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}>();");
                return true;
            case "Clear":
            {
                string index = NewTemporary("i");
                w.Open($"for (var {index}: i32 = 0i; {index} < {view.Length}; {index}++) {{");
                w.Line($"{view.Access}[{index}] = {Zero(view.Element).Text};");
                w.Close();
                return true;
            }
            case "Fill":
            {
                var fill = Value(call.Arguments[0].Value);
                string value = NewTemporary("fill");
                w.Line($"let {value}: {view.Element.Name} = {fill.Text};");
                string index = NewTemporary("i");
                w.Open($"for (var {index}: i32 = 0i; {index} < {view.Length}; {index}++) {{");
                w.Line($"{view.Access}[{index}] = {value};");
                w.Close();
                return true;
            }
            default:
            {
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
                    w.Line($"{destination.Access} = {view.Access};"); // WGSL arrays are values: one copy
                    return true;
                }
                // A run-time length on either side: stay inside both (C# would throw where the source is longer).
                string count = view.Fixed is not null && destination.Fixed is not null ? view.Length : $"min({view.Length}, {destination.Length})";
                string index = NewTemporary("i");
                w.Open($"for (var {index}: i32 = 0i; {index} < {count}; {index}++) {{");
                w.Line($"{destination.Access}[{index}] = {view.Access}[{index}];");
                w.Close();
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
        string? access = null, length = null;
        if (ArrayOf(collection) is { } array)
        {
            access = array.Access;
            length = WgslLiteral.Int(array.Length);
        }
        else if (collection is IParameterReferenceOperation parameter && kernelParameters.TryGetValue(parameter.Parameter, out var binding)
            && binding.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared)
        {
            access = binding.Access;
            length = binding.Kind != ParameterKind.Shared ? $"i32(arrayLength(&{binding.WgslName}))"
                : binding.SharedLengthName is { } lengthName ? (module.IsUnsignedOverride(lengthName) ? $"i32({lengthName})" : lengthName)
                : WgslLiteral.Int(binding.SharedLength);
        }
        if (IsFailedLocal(collection))
            return;
        if (access is null || loop.LoopControlVariable is not IVariableDeclaratorOperation declarator || declarator.Symbol.IsRef || loop.IsAsynchronous)
        {
            UnsupportedStatement(loop, "foreach runs over per-invocation arrays, buffers and workgroup arrays, with a plain (not ref) loop variable: otherwise iterate over the indices, for (int i = 0; i < a.Length; i++)");
            return;
        }
        var variable = MapType(declarator.Symbol.Type, declarator.Syntax);
        var element = MapType(ElementTypeOf(collection.Type), loop.Collection.Syntax);
        if (variable is null || element is null)
            return;
        string index = NewTemporary("i");
        w.Open($"for (var {index}: i32 = 0i; {index} < {length}; {index}++) {{");
        w.Line($"let {LocalName(declarator.Symbol)}: {variable.Name} = {Convert(WgslExpression.Primary($"{access}[{index}]"), element, variable).Text};");
        Body(loop.Body);
        w.Close();
    }

    /// <summary>
    /// The binding of a helper's Span/array parameter to the caller's per-invocation array <paramref name="value"/>
    /// (a pointer argument), with the WGSL argument text; null when <paramref name="value"/> is no such array.
    /// </summary>
    private (KernelParameterBinding Binding, string Argument)? ArrayArgument(IArgumentOperation argument, IOperation value)
    {
        switch (value)
        {
            case ILocalReferenceOperation local when localArrays.TryGetValue(local.Local, out var array):
            {
                var binding = new KernelParameterBinding(argument.Parameter!, ParameterKind.Shared, array.Element, array.Name)
                {
                    SharedLength = array.Length,
                    PointerType = $"ptr<function, {array.TypeName}>",
                };
                return (binding, "&" + array.Name);
            }
            case IParameterReferenceOperation parameter when kernelParameters.TryGetValue(parameter.Parameter, out var own) && own.PointerType is not null:
                return (own, own.WgslName);
            default:
                return null;
        }
    }
}
