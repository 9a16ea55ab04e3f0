using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Tuple values: a tuple type is a generated WGSL struct named from its element types (<c>Tuple_f32_i32</c>,
/// fields <c>Item1..</c>, see <see cref="WgslTypeMap"/>), so tuples are locals, helper parameters and results,
/// struct fields and array elements like any struct. A literal <c>(a, b)</c> is the constructor
/// <c>Tuple_f32_i32(a, b)</c> (WGSL evaluates arguments left to right, as C# evaluates elements); <c>r.min</c>
/// and <c>r.Item1</c> are <c>r.Item1</c>; a conversion between tuple types converts element by element (the
/// value one IR node read for every element: the evaluation-order pass binds it once if it has effects);
/// <c>==</c>/<c>!=</c> compare element by element after both operands are evaluated, as C# does.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary><c>(a, b)</c> as a value: the tuple struct's constructor, each element converted to its field type.</summary>
    private IrConstruct? TupleValue(ITupleOperation op, ITypeSymbol? targetType = null)
    {
        var tupleType = targetType ?? op.Type;
        if (tupleType is null)
        {
            Unsupported(op, "this tuple has no type: give every element a type ((1f, 0) rather than (1f, default))");
            return null;
        }
        var type = MapType(tupleType, op.Syntax);
        if (type is null)
            return null;
        if (!type.IsTuple || type.Fields.Count != op.Elements.Length)
        {
            Unsupported(op, "a tuple literal becomes a tuple value here only");
            return null;
        }
        var arguments = new List<IrExpr>();
        bool failed = false;
        for (int i = 0; i < op.Elements.Length; i++)
        {
            var element = op.Elements[i];
            var field = type.Fields[i];
            IrExpr? value;
            if (element is ITupleOperation nested && field.Type.IsTuple)
                value = TupleValue(nested, ((INamedTypeSymbol)tupleType).TupleElements[i].Type);
            else
            {
                value = Value(element);
                var from = element.Type is null ? field.Type : MapType(element.Type, element.Syntax);
                if (value is not null && from is not null)
                    value = ConvertElement(value, from, field.Type, element);
            }
            if (value is null)
                failed = true;
            else
                arguments.Add(value);
        }
        return failed ? null : new IrConstruct(type, arguments);
    }

    /// <summary>A tuple (literal) conversion: <c>(float, float) t = (1, 2)</c>, <c>(float, float) u = intPair</c>.</summary>
    private IrExpr? TupleConversion(IConversionOperation op)
    {
        var operand = op.Operand;
        while (operand is IConversionOperation { Conversion.IsIdentity: true } identity)
            operand = identity.Operand;
        if (operand is ITupleOperation literal)
            return TupleValue(literal, op.Type);
        var to = MapType(op.Type, op.Syntax);
        var from = MapType(operand.Type, operand.Syntax);
        var value = Value(operand);
        if (to is null || from is null || value is null)
            return null;
        return ConvertElement(value, from, to, op);
    }

    /// <summary>
    /// A value of one type as another, as C#'s implicit conversions (numeric, and tuple to tuple element by
    /// element: the value is one node read for each element, bound once by the evaluation-order pass if needed).
    /// </summary>
    private IrExpr? ConvertElement(IrExpr value, WgslType from, WgslType to, IOperation at)
    {
        if (from.Name == to.Name)
            return value;
        if (from.IsTuple && to.IsTuple && from.Fields.Count == to.Fields.Count)
        {
            var arguments = new List<IrExpr>();
            for (int i = 0; i < to.Fields.Count; i++)
            {
                var element = ConvertElement(new IrMember(value, from.Fields[i].Name, from.Fields[i].Type), from.Fields[i].Type, to.Fields[i].Type, at);
                if (element is null)
                    return null;
                arguments.Add(element);
            }
            return new IrConstruct(to, arguments);
        }
        if ((from.IsNumericScalar && to.IsNumericScalar) || to.NarrowBits > 0)
            return Convert(value, from, to);
        Unsupported(at, $"there is no conversion from {from.Name} to {to.Name} in WGSL: convert the element in the tuple literal");
        return null;
    }

    /// <summary>
    /// <c>t == u</c>, <c>t != (a, b)</c>: C# evaluates the left operand's elements, then the right's, then compares
    /// element by element (built-in comparisons have no effects, so stopping at the first difference changes nothing).
    /// A literal operand whose elements have no effects is compared element by element as written; any other
    /// operand is one tuple value (a constructor for a literal, so WGSL evaluates it in C#'s order), read per element.
    /// </summary>
    private IrExpr? TupleComparison(ITupleBinaryOperation op)
    {
        bool equal = op.OperatorKind == BinaryOperatorKind.Equals;
        if (!equal && op.OperatorKind != BinaryOperatorKind.NotEquals)
        {
            Unsupported(op, "tuples compare with == and != only");
            return null;
        }
        var left = TupleSide(op.LeftOperand);
        var right = TupleSide(op.RightOperand);
        if (left is null || right is null)
            return null;
        IrExpr? comparison;
        if (IsCheapToRepeat(left) && IsCheapToRepeat(right))
            comparison = CompareElements(left, right, op);
        else
        {
            // A helper's result (or a literal with effects) is read once per element: a generated comparison function
            // takes both operands once each, evaluated left to right as C# evaluates them.
            var a = Whole(left, op);
            var b = Whole(right, op);
            if (a is null || b is null)
                return null;
            var pa = new IrVariable("a", left.Type, IrVariableKind.Parameter);
            var pb = new IrVariable("b", right.Type, IrVariableKind.Parameter);
            var body = CompareElements(new TupleComparand(new IrRef(pa), left.Type, null), new TupleComparand(new IrRef(pb), right.Type, null), op);
            if (body is null)
                return null;
            string text = Printing.WgslPrinter.Expression(body);
            string baseName = left.Type.Name == right.Type.Name ? left.Type.Name + "_eq" : left.Type.Name + "_eq_" + right.Type.Name;
            var function = module.RequirePolyfill(baseName, name =>
                "// C#'s == on tuples: element by element, both operands evaluated once (by the caller).\n" +
                $"fn {name}(a: {left.Type.Name}, b: {right.Type.Name}) -> bool {{\n    return {text};\n}}\n");
            comparison = new IrCall(function, [a, b], WgslType.Bool);
        }
        if (comparison is null)
            return null;
        return equal ? comparison : Not(comparison);
    }

    /// <summary>The operand as one value: a listed literal's elements (lowered once already) put into its tuple struct.</summary>
    private IrExpr? Whole(TupleComparand side, IOperation at)
    {
        if (side.Elements is not { } elements)
            return side.Whole;
        var arguments = new List<IrExpr>();
        for (int i = 0; i < elements.Count; i++)
        {
            var element = Whole(elements[i], at);
            element = element is null ? null : ConvertElement(element, elements[i].Type, side.Type.Fields[i].Type, at);
            if (element is null)
                return null;
            arguments.Add(element);
        }
        return new IrConstruct(side.Type, arguments);
    }

    /// <summary>Whether reading each element of the operand separately repeats no call (variables, members, indices, literals).</summary>
    private static bool IsCheapToRepeat(TupleComparand side)
        => side.Elements is { } elements ? elements.All(IsCheapToRepeat) : IsPlace(side.Whole!);

    private static bool IsPlace(IrExpr e) => e switch
    {
        IrRef or IrLiteral => true,
        IrMember or IrSwizzle => IsPlace(e.Children[0]),
        IrIndex => IsPlace(e.Children[0]) && IsPlace(e.Children[1]),
        IrConvert or IrUnary { Op: not (IrUnaryOp.AddressOf or IrUnaryOp.Deref) } => e.Children.All(IsPlace),
        _ => false,
    };

    /// <summary>An operand of a tuple comparison: one value (<see cref="Whole"/>), or a literal's elements as written.</summary>
    private sealed record TupleComparand(IrExpr? Whole, WgslType Type, List<TupleComparand>? Elements)
    {
        /// <summary>The elements: listed ones as they are, a whole value's as members of that one node.</summary>
        public List<TupleComparand> Parts => Elements ?? Type.Fields.Select(f => new TupleComparand(new IrMember(Whole!, f.Name, f.Type), f.Type, null)).ToList();
    }

    private TupleComparand? TupleSide(IOperation operand)
    {
        while (operand is IConversionOperation { Conversion.IsIdentity: true } identity)
            operand = identity.Operand;
        if (operand is ITupleOperation literal && literal.Type is not null)
        {
            var type = MapType(literal.Type, literal.Syntax);
            if (type is null)
                return null;
            var elements = new List<TupleComparand>();
            foreach (var element in literal.Elements)
            {
                if (TupleSide(element) is not { } side)
                    return null;
                elements.Add(side);
            }
            // Elements with effects: the literal is built as one value, so WGSL evaluates it in C#'s order.
            if (elements.Any(e => e.Whole is not null && new Passes.Effects().Of(e.Whole).IsImpure))
                return TupleValue(literal) is { } whole ? new TupleComparand(whole, type, null) : null;
            return new TupleComparand(null, type, elements);
        }
        var value = Value(operand);
        var valueType = MapType(operand.Type, operand.Syntax);
        return value is null || valueType is null ? null : new TupleComparand(value, valueType, null);
    }

    private IrExpr? CompareElements(TupleComparand left, TupleComparand right, IOperation at)
    {
        if (left.Type.IsTuple && right.Type.IsTuple)
        {
            var l = left.Parts;
            var r = right.Parts;
            if (l.Count != r.Count)
            {
                Unsupported(at, "the tuples have different numbers of elements");
                return null;
            }
            IrExpr? result = null;
            for (int i = 0; i < l.Count; i++)
            {
                var element = CompareElements(l[i], r[i], at);
                if (element is null)
                    return null;
                // Every element is evaluated already (a whole value is one node, bound once if it has effects): '&&' only compares.
                result = result is null ? element : new IrBinary(IrBinaryOp.LogicalAnd, result, element, WgslType.Bool);
            }
            return result;
        }
        if (left.Whole is null || right.Whole is null)
        {
            Unsupported(at, "a tuple element is compared with a value that is not a tuple");
            return null;
        }
        var (a, b, lt, rt) = (left.Whole, right.Whole, left.Type, right.Type);
        if (lt.Name != rt.Name)
        {
            if (lt.IsNumericScalar && rt.IsNumericScalar && (lt.IsFloat || rt.IsFloat))
            {
                var common = lt.Scalar == WgslScalar.F32 || rt.Scalar == WgslScalar.F32 ? WgslType.F32 : WgslType.F16;
                (a, b, lt, rt) = (Convert(a, lt, common), Convert(b, rt, common), common, common);
            }
            else if (lt.IsNumericScalar && rt.IsNumericScalar && lt.NarrowBits > 0 && (lt.Scalar == WgslScalar.U32 || rt.Scalar == WgslScalar.I32))
                (a, lt) = (new IrConvert(rt, a), rt);
            else if (lt.IsNumericScalar && rt.IsNumericScalar && rt.NarrowBits > 0 && (rt.Scalar == WgslScalar.U32 || lt.Scalar == WgslScalar.I32))
                (b, rt) = (new IrConvert(lt, b), lt);
            else
            {
                Unsupported(at, $"comparing a {lt.Name} element with a {rt.Name} element needs a wider type in C#: cast one of them");
                return null;
            }
        }
        if (lt.IsScalar)
            return new IrBinary(IrBinaryOp.Equal, a, b, WgslType.Bool);
        if (lt.IsVector)
            return new IrBuiltinCall("all", [new IrBinary(IrBinaryOp.Equal, a, b, WgslType.BoolVector(lt.VectorSize))], WgslType.Bool);
        Unsupported(at, $"tuple elements of type {lt.Name} have no built-in ==: compare their fields");
        return null;
    }
}
