using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Buffers in C#'s layout where WGSL's differs. A <c>Span&lt;Vector3&gt;</c> holds 12-byte elements, but
/// <c>array&lt;vec3&lt;f32&gt;&gt;</c> has a 16-byte stride: the buffer is bound as <c>array&lt;f32&gt;</c>, element i
/// is the three floats from 3i, read and written through a per-buffer load and store function (whose effects
/// are the buffer's, for the evaluation-order pass; an index used by a load and a store is one node, bound
/// once), a component (<c>b[i].X</c>, <c>b[i][c]</c>) is the one float, and Length is <c>arrayLength / 3</c>.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>The packed Vector3 buffer whose element <paramref name="op"/> is (<c>b[i]</c>), or null.</summary>
    private KernelParameterBinding? PackedElement(IOperation op)
        => op is IPropertyReferenceOperation { Instance: IParameterReferenceOperation parameter, Property.IsIndexer: true }
            && kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.PackedVector3
            ? binding
            : null;

    /// <summary>The element count of a buffer: <c>arrayLength</c>, divided by 3 for a packed Vector3 buffer.</summary>
    private static IrExpr ElementCount(KernelParameterBinding binding)
        => binding.PackedVector3 ? new IrBinary(IrBinaryOp.Divide, ArrayLength(binding), IrLiteral.U32(3), WgslType.U32) : ArrayLength(binding);

    /// <summary>The element index as the i32 the load and store functions take.</summary>
    private IrExpr? PackedIndex(IOperation index)
    {
        var value = Index(index);
        return value is { Type.Scalar: WgslScalar.U32 } ? new IrConvert(WgslType.I32, value) : value;
    }

    /// <summary><c>b[i]</c> of a packed buffer as a value: <c>load_b(i)</c>.</summary>
    private IrCall? PackedLoad(IPropertyReferenceOperation op, KernelParameterBinding binding)
    {
        var index = PackedIndex(op.Arguments[0].Value);
        return index is null ? null : new IrCall(PackedLoadFunction(binding), [index], WgslType.Vec3);
    }

    private IrPolyfill PackedLoadFunction(KernelParameterBinding binding)
    {
        string b = binding.Variable!.Name;
        var polyfill = module.RequirePolyfill("load_" + b, n =>
            $"// {b}[i]: C#'s Vector3 elements are 12 bytes, three f32 (array<vec3<f32>> would have a 16-byte stride).\n" +
            $"fn {n}(i: i32) -> vec3<f32> {{\n" +
            "    let k: i32 = 3i * i;\n" +
            $"    return vec3<f32>({b}[k], {b}[k + 1i], {b}[k + 2i]);\n" +
            "}\n");
        if (ReferenceEquals(polyfill.Effects, IrEffects.Pure))
        {
            var effects = new IrEffects();
            effects.Reads.Add(binding.Variable);
            polyfill.Effects = effects;
        }
        return polyfill;
    }

    private IrPolyfill PackedStoreFunction(KernelParameterBinding binding)
    {
        string b = binding.Variable!.Name;
        var polyfill = module.RequirePolyfill("store_" + b, n =>
            $"// {b}[i] = v: the three f32 of C#'s 12-byte Vector3 element.\n" +
            $"fn {n}(i: i32, v: vec3<f32>) {{\n" +
            "    let k: i32 = 3i * i;\n" +
            $"    {b}[k] = v.x;\n" +
            $"    {b}[k + 1i] = v.y;\n" +
            $"    {b}[k + 2i] = v.z;\n" +
            "}\n");
        if (ReferenceEquals(polyfill.Effects, IrEffects.Pure))
        {
            var effects = new IrEffects();
            effects.Writes.Add(binding.Variable);
            polyfill.Effects = effects;
        }
        return polyfill;
    }

    /// <summary>
    /// An assignment or compound assignment to a packed element: <c>store_b(i, v)</c>, <c>store_b(i, load_b(i) + v)</c>
    /// (the index one node: C# reads the element once, after its index and before the value).
    /// </summary>
    private IrCallStatement? PackedUpdate(IPropertyReferenceOperation target, IOperation value, BinaryOperatorKind? compound, SyntaxNode at)
    {
        var binding = PackedElement(target)!;
        if (binding.Kind == ParameterKind.ReadOnlyBuffer)
        {
            module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, target.Syntax, binding.Symbol.Name);
            return null;
        }
        var index = PackedIndex(target.Arguments[0].Value);
        var right = Value(value);
        var valueType = MapType(value.Type, value.Syntax);
        if (index is null || right is null || valueType is null)
            return null;
        var stored = right;
        if (compound is { } kind)
        {
            var combined = BinaryOperator(kind, new IrCall(PackedLoadFunction(binding), [index], WgslType.Vec3), WgslType.Vec3, right, valueType, at);
            if (combined is null)
                return null;
            stored = combined;
        }
        return new IrCallStatement(new IrCall(PackedStoreFunction(binding), [index, stored], null));
    }

    /// <summary>A component of a packed element as an assignment target: <c>b[3i * i + 1i]</c> for <c>b[i].Y</c>.</summary>
    private IrIndex? PackedComponentTarget(IPropertyReferenceOperation element, string? component, IOperation? componentIndex)
    {
        var binding = PackedElement(element)!;
        if (binding.Kind == ParameterKind.ReadOnlyBuffer)
        {
            module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, element.Syntax, binding.Symbol.Name);
            return null;
        }
        var index = PackedIndex(element.Arguments[0].Value);
        if (index is null)
            return null;
        IrExpr first = new IrBinary(IrBinaryOp.Multiply, IrLiteral.I32(3), index, WgslType.I32);
        IrExpr? offset = component switch
        {
            "X" => null,
            "Y" => IrLiteral.I32(1),
            "Z" => IrLiteral.I32(2),
            _ => componentIndex is null ? null : PackedIndex(componentIndex),
        };
        if (offset is null && componentIndex is not null && component is null)
            return null;
        var at = offset is null ? first : new IrBinary(IrBinaryOp.Add, first, offset, WgslType.I32);
        return new IrIndex(new IrRef(binding.Variable!), at, WgslType.F32);
    }
}
