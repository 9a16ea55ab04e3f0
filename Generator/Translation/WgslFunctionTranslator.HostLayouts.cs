using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Buffers in C#'s layout where WGSL's differs. A <c>Span&lt;Vector3&gt;</c> holds 12-byte elements, but
/// <c>array&lt;vec3&lt;f32&gt;&gt;</c> has a 16-byte stride: the buffer is bound as <c>array&lt;f32&gt;</c>, element i
/// is the three floats from 3i, read and written through a per-buffer load and store function (so the index
/// is evaluated once), a component (<c>b[i].X</c>, <c>b[i][c]</c>) is the one float, and Length is
/// <c>arrayLength / 3</c>.
/// </summary>
internal sealed partial class WgslFunctionTranslator
{
    /// <summary>The packed Vector3 buffer element <paramref name="op"/> reads or writes (<c>b[i]</c>), or null.</summary>
    private KernelParameterBinding? PackedElement(IOperation op)
        => op is IPropertyReferenceOperation { Instance: IParameterReferenceOperation parameter, Property.IsIndexer: true }
            && kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.PackedVector3
            ? binding
            : null;

    /// <summary>The element index as the i32 the load and store functions take.</summary>
    private string PackedIndex(IOperation index) => PackedIndexValue(index).Text;

    private WgslExpression PackedIndexValue(IOperation index)
    {
        var type = module.Types.Map(index.Type, out _);
        if (type is null || !type.IsInteger || type.IsVector)
        {
            module.Report(DiagnosticDescriptors.InvalidIndex, index.Syntax, Snippet(index.Syntax), index.Type?.ToDisplayString() ?? "?");
            return WgslExpression.Error;
        }
        var value = Value(index);
        return type.Scalar == WgslScalar.U32 ? WgslExpression.Primary($"i32({value.Text})") : value;
    }

    /// <summary><c>b[i]</c> of a packed buffer as a value: <c>load_b(i)</c>.</summary>
    private WgslExpression PackedLoad(IPropertyReferenceOperation op, KernelParameterBinding binding)
        => WgslExpression.Primary($"{PackedLoadFunction(binding)}({PackedIndex(op.Arguments[0].Value)})");

    private string PackedLoadFunction(KernelParameterBinding binding)
        => module.RequirePolyfill("load_" + binding.WgslName, n =>
            $"// {binding.WgslName}[i]: C#'s Vector3 elements are 12 bytes, three f32 (array<vec3<f32>> would have a 16-byte stride).\n" +
            $"fn {n}(i: i32) -> vec3<f32> {{\n" +
            "    let k: i32 = 3i * i;\n" +
            $"    return vec3<f32>({binding.WgslName}[k], {binding.WgslName}[k + 1i], {binding.WgslName}[k + 2i]);\n" +
            "}\n");

    private string PackedStoreFunction(KernelParameterBinding binding)
        => module.RequirePolyfill("store_" + binding.WgslName, n =>
            $"// {binding.WgslName}[i] = v: the three f32 of C#'s 12-byte Vector3 element.\n" +
            $"fn {n}(i: i32, v: vec3<f32>) {{\n" +
            "    let k: i32 = 3i * i;\n" +
            $"    {binding.WgslName}[k] = v.x;\n" +
            $"    {binding.WgslName}[k + 1i] = v.y;\n" +
            $"    {binding.WgslName}[k + 2i] = v.z;\n" +
            "}\n");

    /// <summary>
    /// An assignment or compound assignment to a packed element as a statement (<c>store_b(i, v)</c>,
    /// <c>store_b(t, load_b(t) + v)</c> with the index bound once); null when <paramref name="target"/> is none.
    /// </summary>
    private string? PackedUpdate(IOperation target, IOperation value, BinaryOperatorKind? compound, SyntaxNode at)
    {
        if (target is not IPropertyReferenceOperation element || PackedElement(target) is not { } binding)
            return null;
        if (binding.Kind == ParameterKind.ReadOnlyBuffer)
        {
            module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, target.Syntax, binding.Symbol.Name);
            return WgslExpression.Error.Text;
        }
        string store = PackedStoreFunction(binding);
        var indexOp = element.Arguments[0].Value;
        string index = PackedIndex(indexOp);
        if (compound is not { } kind)
            return $"{store}({index}, {Value(value).Text})";
        // C# reads the element once, after its index and before the value: bind a computed index first.
        if (!indexOp.ConstantValue.HasValue && indexOp is not ILocalReferenceOperation)
        {
            if (hoistRoot is null)
            {
                Unsupported(target, "a compound assignment to a Vector3 buffer element with a computed index cannot be written here: compute the index in a statement before");
                return WgslExpression.Error.Text;
            }
            string name = NewTemporary("index");
            w.Line($"let {name}: i32 = {index};");
            index = name;
        }
        var valueType = MapType(value.Type, value.Syntax);
        if (valueType is null)
            return WgslExpression.Error.Text;
        var combined = BinaryText(kind, WgslExpression.Primary($"{PackedLoadFunction(binding)}({index})"), WgslType.Vec3, Value(value), valueType, at);
        return $"{store}({index}, {combined.Text})";
    }

    /// <summary>A component of a packed element as an assignment target: <c>b[3i * i + 1i]</c> for <c>b[i].Y</c>; null when none.</summary>
    private string? PackedComponentTarget(IOperation instance, string? component, IOperation? componentIndex)
    {
        if (instance is not IPropertyReferenceOperation element || PackedElement(instance) is not { } binding)
            return null;
        if (binding.Kind == ParameterKind.ReadOnlyBuffer)
        {
            module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, instance.Syntax, binding.Symbol.Name);
            return WgslExpression.Error.Text;
        }
        var index = PackedIndexValue(element.Arguments[0].Value);
        string offset = component switch
        {
            "X" => "",
            "Y" => " + 1i",
            "Z" => " + 2i",
            _ => componentIndex is null ? "" : " + " + PackedIndexValue(componentIndex).AsOperand(WgslPrecedence.Additive, right: true),
        };
        return $"{binding.WgslName}[3i * {index.AsOperand(WgslPrecedence.Multiplicative, right: true)}{offset}]";
    }
}
