using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using KernelGen.Generator.Translation.Printing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

internal sealed partial class FunctionLowering
{
    private void Unsupported(IOperation op, string why)
        => module.Report(DiagnosticDescriptors.UnsupportedExpression, op.Syntax, Snippet(op.Syntax), why);

    private bool IsIdType(ITypeSymbol? type) => module.Known.IsIdType(type);

    /// <summary>Lowers an expression whose value is used; null when it failed (reported).</summary>
    private IrExpr? Value(IOperation op)
    {
        if (!module.StackSuffices(op.Syntax))
            return null;
        int reported = module.Diagnostics.Count;
        var value = LowerValue(op);
        Stamp(value, op.Syntax);
        if (value is null && module.Diagnostics.Count == reported)
            module.UnreportedFailure ??= op; // a use of something reported elsewhere (checked once the kernel is done)
        return value;
    }

    private IrExpr? LowerValue(IOperation op)
    {
        module.CancellationToken.ThrowIfCancellationRequested();
        switch (op)
        {
            case IInvalidOperation:
                module.HasInvalidCode = true;
                return null;
            case IAnonymousFunctionOperation or IDelegateCreationOperation or IMethodReferenceOperation:
                Unsupported(op, "lambdas and delegates do not exist on the GPU: write a static local function or a helper method and call it");
                return null;
            case ITranslatedQueryOperation:
                Unsupported(op, "LINQ does not run on the GPU: write a for loop");
                return null;
            case IAwaitOperation:
                Unsupported(op, "kernels run synchronously on the GPU: remove await");
                return null;
            case IThrowOperation:
                Unsupported(op, "GPU code cannot throw exceptions: guard the invalid case with if and return");
                return null;
            case IInterpolatedStringOperation:
                Unsupported(op, "WGSL has no strings");
                return null;
            case IAddressOfOperation or IFunctionPointerInvocationOperation:
            case { Type.TypeKind: TypeKind.Pointer }:
            case { Syntax.RawKind: (int)SyntaxKind.StackAllocArrayCreationExpression or (int)SyntaxKind.ImplicitStackAllocArrayCreationExpression }:
            case IArrayCreationOperation or IArrayInitializerOperation or ICollectionExpressionOperation:
                ArrayMisuse(op, "creates an array inside an expression: declare it as a local first (Span<float> a = stackalloc float[8]; or float[] a = new float[8];) and use the local");
                return null;
            case IArrayElementReferenceOperation element:
            {
                if (IsFailedLocal(element.ArrayReference))
                    return null;
                var indexed = ArrayElement(element, out bool isArray);
                if (!isArray)
                    ArrayMisuse(op, "indexes an array that is not a per-invocation array local of this function (or a helper parameter given one)");
                return indexed;
            }
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when Indexing(indexer).Instance is { } arrayInstance && ArrayOf(arrayInstance) is not null:
                return ArrayElement(indexer, out _);
            case ILocalReferenceOperation arrayLocal when IsLocalArrayReference(arrayLocal):
                ArrayMisuse(op, "is used as a value");
                return null;
            case { Syntax.RawKind: (int)SyntaxKind.PointerIndirectionExpression or (int)SyntaxKind.PointerMemberAccessExpression }:
                module.Report(DiagnosticDescriptors.UnsafeCode, op.Syntax, Snippet(op.Syntax));
                return null;
            case ISimpleAssignmentOperation { IsRef: false } or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                return SideEffectValue(op);
            case ISimpleAssignmentOperation or IDeconstructionAssignmentOperation:
                module.Report(DiagnosticDescriptors.SideEffectAsValue, op.Syntax, Snippet(op.Syntax));
                return null;
            case IIsTypeOperation:
                module.Report(DiagnosticDescriptors.UnsupportedPattern, op.Syntax, Snippet(op.Syntax), "a GPU value has one static type: 'x is T' has no meaning there");
                return null;
            case ICoalesceOperation or IConditionalAccessOperation or IConditionalAccessInstanceOperation:
                Unsupported(op, "null does not exist on the GPU: every value is a plain number, vector or struct");
                return null;
            case ITypeOfOperation or INameOfOperation:
                Unsupported(op, "types and names are not values on the GPU");
                return null;
            case IImplicitIndexerReferenceOperation { Argument: IRangeOperation } slice:
                SpanViewMisuse(slice, "is a slice used as a value: index it, ask its Length, pass it to a helper's Span parameter, or declare a Span local set to it");
                return null;
            case IImplicitIndexerReferenceOperation indexer:
                return FromEndElement(indexer);
            case ILocalReferenceOperation spanLocal when spanLocals.ContainsKey(spanLocal.Local):
                SpanViewMisuse(op, "is used as a value");
                return null;
            case IRangeOperation:
                module.Report(DiagnosticDescriptors.InvalidIndex, op.Syntax, Snippet(op.Syntax), "System.Range");
                return null;
        }
        if (op.ConstantValue.HasValue && IsFoldable(op))
            return Constant(op.ConstantValue, op.Type, op.Syntax);
        if (IsFailedLocal(op) || ReportsUnsupportedBits(op))
            return null;
        if (op.Type is { SpecialType: not SpecialType.System_Void } type && !IsSpan(type) && !IsIdType(type))
        {
            // An operation over something reported at its declaration ('s * s' of a rejected double parameter): quiet.
            if (module.Types.Map(type, out _) is null && ContainsFailedReference(op))
                return null;
            if (MapType(type, op.Syntax) is null)
                return null;
        }
        switch (op)
        {
            case ILiteralOperation:
                Unsupported(op, "only int, uint, float and bool literals are supported");
                return null;
            case IConversionOperation conversion:
                return Conversion(conversion);
            case IBinaryOperation binary:
                return Binary(binary);
            case IUnaryOperation unary:
                return Unary(unary);
            case IConditionalOperation conditional:
                return Ternary(conditional);
            case IIsPatternOperation isPattern:
                return IsPattern(isPattern);
            case ISwitchExpressionOperation switchExpression:
                return SwitchExpression(switchExpression);
            case IWithOperation with:
                return With(with);
            case ITupleOperation tuple:
                return TupleValue(tuple);
            case ITupleBinaryOperation tupleComparison:
                return TupleComparison(tupleComparison);
            case ILocalReferenceOperation or IParameterReferenceOperation when AliasOf(op) is { } atomicAlias:
                return AliasValue(atomicAlias);
            case ILocalReferenceOperation local when refLocals.TryGetValue(local.Local, out var alias):
                return alias;
            case ILocalReferenceOperation local:
                return failedLocals.Contains(local.Local) || !variables.TryGetValue(local.Local, out var variable) ? null : new IrRef(variable);
            case IParameterReferenceOperation parameter:
                return Parameter(parameter);
            case IFieldReferenceOperation field:
                return Field(field);
            case IPropertyReferenceOperation property:
                return Property(property);
            case IInvocationOperation invocation:
                return Invocation(invocation);
            case IObjectCreationOperation creation:
                return Creation(creation);
            case IDefaultValueOperation defaultValue:
                return Zero(MapType(defaultValue.Type, op.Syntax));
            case IParenthesizedOperation parenthesized:
                return Value(parenthesized.Operand);
            case IInstanceReferenceOperation when thisVariable is not null:
                return ThisValue();
            default:
                Unsupported(op, "it has no WGSL translation");
                return null;
        }
    }

    /// <summary>
    /// Whether a constant is written as a literal: literals, conversions, const fields, and operators
    /// over those (C# folds them with its own rules, e.g. shift counts masked to 5 bits, which WGSL
    /// constant evaluation would reject); named const locals stay names.
    /// </summary>
    private static bool IsFoldable(IOperation op) => op switch
    {
        ILiteralOperation or IFieldReferenceOperation or IDefaultValueOperation or ISizeOfOperation => true,
        IConversionOperation conversion => IsFoldable(conversion.Operand) || conversion.Operand is ILocalReferenceOperation,
        IUnaryOperation unary => IsFoldable(unary.Operand),
        IBinaryOperation binary => IsFoldable(binary.LeftOperand) && IsFoldable(binary.RightOperand),
        _ => false,
    };

    private IrExpr? Constant(Optional<object?> constant, ITypeSymbol? type, SyntaxNode at)
    {
        var wgslType = MapType(type, at);
        if (wgslType is null)
            return null;
        object? value = constant.Value;
        if (value is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedExpression, at, Snippet(at), "null does not exist on the GPU");
            return null;
        }
        if (wgslType.Is64)
            return Int64Constant(value, wgslType);
        switch (wgslType.Scalar, wgslType.VectorSize)
        {
            case (WgslScalar.I32, 0):
                return IrLiteral.I32(value is int i ? i : unchecked((int)System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
            case (WgslScalar.U32, 0):
                return IrLiteral.U32(value is uint u ? u : unchecked((uint)System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
            case (WgslScalar.F32, 0):
                return FloatConstant(System.Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture));
            case (WgslScalar.F16, 0):
                return HalfConstant(HalfBits.FromSingle(System.Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture)));
            case (WgslScalar.Bool, 0):
                return IrLiteral.Bool(value is true);
            default:
                module.Report(DiagnosticDescriptors.UnsupportedExpression, at, Snippet(at), "only int, uint, float and bool constants are supported");
                return null;
        }
    }

    /// <summary>
    /// An f32 constant. NaN and the infinities have no WGSL literal and are refused by WGSL's constant
    /// evaluation, so they come from their bit pattern through a function (never a constant expression).
    /// </summary>
    private IrExpr FloatConstant(float value)
    {
        uint bits = System.BitConverter.ToUInt32(System.BitConverter.GetBytes(value), 0);
        // -0.0f is the negation of 0.0f in WGSL, whose implementations may drop the sign of a zero.
        if (bits != 0x80000000u && !float.IsNaN(value) && !float.IsInfinity(value))
            return IrLiteral.F32(value);
        return new IrCall(module.RequirePolyfill("f32_from_bits", Polyfills.F32FromBits), [IrLiteral.HexBits(bits)], WgslType.F32);
    }

    /// <summary>An f16 constant (the value C#'s Half conversion gives), NaN and infinities from their bits.</summary>
    private IrExpr HalfConstant(ushort bits)
    {
        if (bits != 0x8000 && (bits & 0x7c00) != 0x7c00)
            return IrLiteral.F16(bits);
        return new IrCall(module.RequirePolyfill("f16_from_bits", Polyfills.F16FromBits), [IrLiteral.HexBits(bits)], WgslType.F16);
    }

    private static IrExpr? Zero(WgslType? type) => type switch
    {
        null => null,
        { IsScalar: true, Scalar: WgslScalar.I32 } => IrLiteral.I32(0),
        { IsScalar: true, Scalar: WgslScalar.U32 } => IrLiteral.U32(0),
        { IsScalar: true, Scalar: WgslScalar.F32 } => IrLiteral.F32(0f),
        { IsScalar: true, Scalar: WgslScalar.Bool } => IrLiteral.Bool(false),
        _ => new IrConstruct(type, []),
    };

    private static IrLiteral One(WgslType type) => type switch
    {
        { Scalar: WgslScalar.I32 } => IrLiteral.I32(1),
        { Scalar: WgslScalar.U32 } => IrLiteral.U32(1),
        { Scalar: WgslScalar.F16 } => IrLiteral.F16(0x3c00),
        _ => IrLiteral.F32(1f),
    };

    private IrExpr Convert(IrExpr value, WgslType from, WgslType to)
    {
        if (from.Is64 || to.Is64)
            return Convert64(value, from, to); // long, ulong: two words (Int64)
        if (to.NarrowBits > 0 && to != from)
            return ToNarrow(value, from, to); // byte, sbyte, ushort, short: truncate as C# does (HostLayouts)
        if (from.Name == to.Name)
            return value;
        if (from.Scalar == WgslScalar.F16 && from.IsScalar && to.IsScalar && to.Scalar is WgslScalar.I32 or WgslScalar.U32)
        {
            // Through f32 (exact for every f16), so NaN and the infinities convert as C# converts them.
            value = new IrConvert(WgslType.F32, value);
            from = WgslType.F32;
        }
        if (from.Scalar == WgslScalar.F32 && to.IsScalar && to.Scalar is WgslScalar.I32 or WgslScalar.U32)
            return new IrCall(module.RequirePolyfill(to.Name + "_from_f32", Polyfills.SaturatingConversion(to)), [value], to);
        return new IrConvert(to, value);
    }

    private static IrUnary Not(IrExpr value) => new IrUnary(IrUnaryOp.Not, value);

    /// <summary>
    /// A reference to a local or kernel parameter whose declaration was already reported, or an element, field,
    /// component, property or method of one (<c>y[i].X</c> of a rejected buffer <c>y</c>, <c>b.D</c> of a local whose
    /// type was rejected): stay quiet about its uses (one diagnostic per root cause).
    /// </summary>
    private bool IsFailedLocal(IOperation? op)
    {
        while (true)
        {
            switch (op)
            {
                case IConversionOperation conversion:
                    op = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    op = parenthesized.Operand;
                    continue;
                case IFieldReferenceOperation { Instance: { } instance }:
                    op = instance;
                    continue;
                case IPropertyReferenceOperation { Instance: { } instance }:
                    op = instance;
                    continue;
                case IArrayElementReferenceOperation element:
                    op = element.ArrayReference;
                    continue;
                case IInvocationOperation { Instance: { } instance }:
                    op = instance;
                    continue;
            }
            break;
        }
        return op switch
        {
            ILocalReferenceOperation local => failedLocals.Contains(local.Local),
            IParameterReferenceOperation parameter => isEntryPoint && !kernelParameters.ContainsKey(parameter.Parameter)
                && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method),
            IFieldReferenceOperation or IPropertyReferenceOperation => IsFailedTable(op),
            _ => false,
        };
    }

    /// <summary>Whether <paramref name="op"/> reads a local or kernel parameter whose declaration was reported.</summary>
    private bool ContainsFailedReference(IOperation op)
        => op.DescendantsAndSelf().Any(d => d is ILocalReferenceOperation or IParameterReferenceOperation && IsFailedLocal(d));

    private IrExpr? Conversion(IConversionOperation op)
    {
        if (IsFailedLocal(op.Operand))
            return null;
        if (op.IsChecked)
        {
            Unsupported(op, "checked conversions cannot report overflow on the GPU: remove checked");
            return null;
        }
        var halfBits = HalfBitsConversion(op, out bool isHalfBits);
        if (isHalfBits)
            return halfBits;
        if (ReportsUnsupportedBits(op.Operand))
            return null;
        var conversion = op.GetConversion();
        // Target-typed new(...) and default are conversions of a value that already has the type.
        if (SymbolEqualityComparer.Default.Equals(op.Type, op.Operand.Type) && !HasSource(op.OperatorMethod))
            return Value(op.Operand);
        if (conversion.IsTupleConversion || conversion.IsTupleLiteralConversion)
            return TupleConversion(op);
        if (!(conversion.IsIdentity || conversion.IsNumeric || conversion.IsEnumeration || conversion.IsUserDefined || conversion.IsConstantExpression || conversion.IsDefaultLiteral))
        {
            Unsupported(op, "only numeric conversions (int, uint, float, Half) exist on the GPU");
            return null;
        }
        if (module.Types.Map(op.Operand.Type, out _) is null && ContainsFailedReference(op.Operand))
            return null; // '(float)(s * s)' of a rejected double parameter: reported at its declaration
        var to = MapType(op.Type, op.Syntax);
        var from = MapType(op.Operand.Type, op.Operand.Syntax);
        if (to is null || from is null)
            return null;
        if (HasSource(op.OperatorMethod))
            return UserOperator(op.OperatorMethod!, op.Syntax, op.Operand);
        if (to.Scalar == WgslScalar.F16 && to.IsScalar && from.Scalar != WgslScalar.F16 && op.Operand.ConstantValue is { HasValue: true, Value: not null and not bool } folded)
        {
            // (Half)65519f is 65504 in C#; WGSL's constant f16(65519.0f) is an error. Fold it as C# does.
            return HalfConstant(HalfBits.FromSingle(System.Convert.ToSingle(folded.Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (from.Is64 || to.Is64)
            return Int64Conversion(op, from, to);
        var value = Value(op.Operand);
        if (from.Name != to.Name && !(from.IsNumericScalar && to.IsNumericScalar))
        {
            Unsupported(op, $"there is no conversion from {from.Name} to {to.Name} in WGSL");
            return null;
        }
        return value is null ? null : Convert(value, from, to);
    }

    /// <summary>Whether <paramref name="method"/> is declared in this compilation (a user-defined operator, not a built-in one).</summary>
    private static bool HasSource(IMethodSymbol? method) => method is { DeclaringSyntaxReferences.Length: > 0 };

    /// <summary>
    /// A user-defined operator (or conversion) of a kernel struct: a call to its body translated as a WGSL
    /// function. WGSL has no operators on structs, so the operator is never emitted as one.
    /// </summary>
    private IrCall? UserOperator(IMethodSymbol method, SyntaxNode at, params IOperation[] operands)
    {
        var helper = module.RequireHelper(method, at, []);
        if (helper is null)
            return null;
        var arguments = Values(operands);
        return arguments is null ? null : new IrCall(helper, arguments, helper.ReturnType);
    }

    /// <summary>Lowers each operand (all of them, so that each problem is reported); null when one failed.</summary>
    private List<IrExpr>? Values(IEnumerable<IOperation> operands)
    {
        var values = new List<IrExpr>();
        bool failed = false;
        foreach (var operand in operands)
        {
            if (Value(operand) is { } value)
                values.Add(value);
            else
                failed = true;
        }
        return failed ? null : values;
    }

    private IrExpr? Unary(IUnaryOperation op)
    {
        if (op.IsLifted)
        {
            Unsupported(op, "nullable values do not exist on the GPU");
            return null;
        }
        if (HasSource(op.OperatorMethod))
            return UserOperator(op.OperatorMethod!, op.Syntax, op.Operand);
        var operand = Value(op.Operand);
        if (operand is null)
            return null;
        if (operand.Type is { Is64: true } && MapType(op.Type, op.Syntax) is { } type64)
            return Int64Unary(op.OperatorKind, operand, type64, op.Syntax);
        switch (op.OperatorKind)
        {
            case UnaryOperatorKind.Plus:
                return operand;
            case UnaryOperatorKind.Minus when operand.Type is { IsMatrix: true }:
                return MatrixNegation(operand); // WGSL has no unary minus on matrices
            case UnaryOperatorKind.Minus when operand.Type is { Scalar: WgslScalar.U32, IsScalar: true }:
                // Only generic math negates a uint (INumberBase<uint>): C# wraps, WGSL has no unary minus on u32.
                return new IrBinary(IrBinaryOp.Subtract, IrLiteral.U32(0), operand, WgslType.U32);
            case UnaryOperatorKind.Minus:
                return new IrUnary(IrUnaryOp.Negate, operand);
            case UnaryOperatorKind.Not:
                return new IrUnary(IrUnaryOp.Not, operand);
            // ~ of a byte or ushort enum keeps its bits. The operator's type decides, not the operand's: a widened
            // small integer ((uint)(ushort)x) still has its narrow type in the IR, and C# complements all 32 bits of it.
            case UnaryOperatorKind.BitwiseNegation when MapType(op.Type, op.Syntax) is { NarrowBits: > 0, Scalar: WgslScalar.U32 } narrow:
                return WrapNarrow(new IrUnary(IrUnaryOp.BitNot, operand), narrow);
            case UnaryOperatorKind.BitwiseNegation:
                return new IrUnary(IrUnaryOp.BitNot, operand);
            default:
                Unsupported(op, "this operator has no WGSL equivalent");
                return null;
        }
    }

    private IrExpr? Binary(IBinaryOperation op)
    {
        if (op.IsLifted)
        {
            Unsupported(op, "nullable values do not exist on the GPU");
            return null;
        }
        if (op.IsChecked)
        {
            Unsupported(op, "checked arithmetic cannot report overflow on the GPU: remove checked");
            return null;
        }
        if (IsFailedLocal(op.LeftOperand) || IsFailedLocal(op.RightOperand))
            return null;
        var leftType = MapType(op.LeftOperand.Type, op.LeftOperand.Syntax);
        var rightType = MapType(op.RightOperand.Type, op.RightOperand.Syntax);
        if (leftType is null || rightType is null)
            return null;
        if (IsSynthesizedRecordMember(op.OperatorMethod) && op.OperatorKind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
            return RecordEquality(op, op.LeftOperand, op.RightOperand, negate: op.OperatorKind == BinaryOperatorKind.NotEquals);
        if (HasSource(op.OperatorMethod))
            return UserOperator(op.OperatorMethod!, op.Syntax, op.LeftOperand, op.RightOperand);
        var left = Value(op.LeftOperand);
        var right = Value(op.RightOperand);
        if (left is null || right is null)
            return null;
        if (leftType.Is64 || rightType.Is64)
            return Int64Binary(op.OperatorKind, left, leftType, right, rightType, op.Syntax);
        if (leftType.IsMatrix || rightType.IsMatrix)
            return MatrixOperator(op.OperatorKind, left, leftType, right, rightType, op.Syntax);
        if (op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
            right = ShiftAmount(op.RightOperand, right, rightType);
        var result = BinaryOperator(op.OperatorKind, left, leftType, right, rightType, op.Syntax);
        // e + n, e - n, e - f on an enum of byte, sbyte, ushort or short: C# wraps to the enum's (or its underlying type's) bits.
        return result is not null && MapType(op.Type, op.Syntax) is { } type && IsNarrowEnumArithmetic(op.OperatorKind, type) ? WrapNarrow(result, type) : result;
    }

    /// <summary>A shift amount: WGSL wants u32, and C# masks the count to 0..31.</summary>
    private IrExpr ShiftAmount(IOperation amount, IrExpr value, WgslType type)
    {
        if (amount.ConstantValue is { HasValue: true, Value: int constant })
            return IrLiteral.U32((uint)(constant & 31));
        var count = type.Scalar == WgslScalar.U32 ? value : new IrConvert(WgslType.U32, value);
        // A count WGSL evaluates at shader creation (255 >> Math.Sign(-1)) must be below 32 there; C# masks it.
        // At run time WGSL masks it itself, so only counts without a run-time value need the mask.
        bool runtime = amount.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation { Local.IsConst: false }
            or IParameterReferenceOperation or IPropertyReferenceOperation or IInstanceReferenceOperation
            || o is IFieldReferenceOperation { ConstantValue.HasValue: false } field && !IsStaticReadonlyPath(field)
            || IsHelperCall(o));
        return runtime ? count : new IrBinary(IrBinaryOp.BitAnd, count, IrLiteral.U32(31), WgslType.U32);
    }

    /// <summary>A call to a method translated as a WGSL function of its own (which may write buffers or loop).</summary>
    private bool IsHelperCall(IOperation op)
        => op is IInvocationOperation { TargetMethod: { DeclaringSyntaxReferences.Length: > 0 } target } && Intrinsics.Find(module.Known, target) is null;

    private IrExpr? BinaryOperator(BinaryOperatorKind kind, IrExpr left, WgslType leftType, IrExpr right, WgslType rightType, SyntaxNode at)
    {
        if (leftType.Is64 || rightType.Is64)
            return Int64Binary(kind, left, leftType, right, rightType, at);
        bool vector = leftType.IsVector || rightType.IsVector;
        var resultType = vector ? (leftType.IsVector ? leftType : rightType) : leftType;
        IrBinaryOp? op = kind switch
        {
            BinaryOperatorKind.Add => IrBinaryOp.Add,
            BinaryOperatorKind.Subtract => IrBinaryOp.Subtract,
            BinaryOperatorKind.Multiply => IrBinaryOp.Multiply,
            BinaryOperatorKind.Divide => IrBinaryOp.Divide,
            BinaryOperatorKind.Remainder => IrBinaryOp.Remainder,
            BinaryOperatorKind.LeftShift => IrBinaryOp.ShiftLeft,
            BinaryOperatorKind.RightShift => IrBinaryOp.ShiftRight,
            BinaryOperatorKind.UnsignedRightShift => IrBinaryOp.ShiftRight,
            BinaryOperatorKind.And => IrBinaryOp.BitAnd,
            BinaryOperatorKind.Or => IrBinaryOp.BitOr,
            // WGSL has no ^ on bool; C#'s is !=.
            BinaryOperatorKind.ExclusiveOr when leftType.Scalar == WgslScalar.Bool => IrBinaryOp.NotEqual,
            BinaryOperatorKind.ExclusiveOr => IrBinaryOp.BitXor,
            BinaryOperatorKind.ConditionalAnd => IrBinaryOp.LogicalAnd,
            BinaryOperatorKind.ConditionalOr => IrBinaryOp.LogicalOr,
            BinaryOperatorKind.Equals => IrBinaryOp.Equal,
            BinaryOperatorKind.NotEquals => IrBinaryOp.NotEqual,
            BinaryOperatorKind.LessThan => IrBinaryOp.Less,
            BinaryOperatorKind.LessThanOrEqual => IrBinaryOp.LessEqual,
            BinaryOperatorKind.GreaterThan => IrBinaryOp.Greater,
            BinaryOperatorKind.GreaterThanOrEqual => IrBinaryOp.GreaterEqual,
            _ => null,
        };
        if (op is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedExpression, at, Snippet(at), "this operator has no WGSL equivalent");
            return null;
        }
        bool comparison = op is IrBinaryOp.Equal or IrBinaryOp.NotEqual or IrBinaryOp.Less or IrBinaryOp.LessEqual or IrBinaryOp.Greater or IrBinaryOp.GreaterEqual;
        if (comparison)
            resultType = vector ? WgslType.BoolVector(resultType.VectorSize) : WgslType.Bool;
        if (kind == BinaryOperatorKind.Remainder && leftType.IsScalar && leftType.IsFloat)
            return new IrCall(module.RequirePolyfill("rem_" + leftType.Name, Polyfills.Remainder(leftType)), [left, right], leftType);
        if (kind == BinaryOperatorKind.UnsignedRightShift && leftType.Scalar == WgslScalar.I32)
            return new IrConvert(WgslType.I32, new IrBinary(IrBinaryOp.ShiftRight, new IrConvert(WgslType.U32, left), right, WgslType.U32));
        var result = new IrBinary(op.Value, left, right, resultType);
        if (vector && kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
            return new IrBuiltinCall(kind == BinaryOperatorKind.Equals ? "all" : "any", [result], WgslType.Bool);
        return result;
    }

    private IrConditional? Ternary(IConditionalOperation op)
    {
        if (op.IsRef || op.WhenFalse is null)
        {
            Unsupported(op, "ref conditionals are not supported");
            return null;
        }
        var type = MapType(op.Type, op.Syntax);
        if (type is null)
            return null;
        var condition = Value(op.Condition);
        var whenTrue = Value(op.WhenTrue);
        var whenFalse = Value(op.WhenFalse);
        if (condition is null || whenTrue is null || whenFalse is null)
            return null;
        // Struct conditionals become if/else (EvaluationOrder.IsLazy): select() takes scalars and vectors only.
        return new IrConditional(condition, whenTrue, whenFalse, type);
    }

    private IrMember UniformMember(KernelParameterBinding binding)
        => new IrMember(new IrRef(module.UniformVariable!), binding.WgslName, (binding.UniformType ?? binding.Type)!);

    private IrExpr? Parameter(IParameterReferenceOperation op)
    {
        if (variables.TryGetValue(op.Parameter, out var variable))
            return referenceParameters.Contains(op.Parameter) ? new IrUnary(IrUnaryOp.Deref, new IrRef(variable), variable.Type.PointeeType) : new IrRef(variable);
        if (kernelParameters.TryGetValue(op.Parameter, out var binding))
        {
            switch (binding.Kind)
            {
                case ParameterKind.Uniform:
                    return FromUniform(UniformMember(binding), binding.Type!);
                case ParameterKind.Specialized:
                    return new IrRef(binding.Variable!);
                case ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared:
                    Unsupported(op, "a buffer can only be indexed (x[i]) or asked for its Length; it cannot be stored, sliced or passed to a method");
                    return null;
                default:
                    module.Report(DiagnosticDescriptors.BuiltinIdAsValue, op.Syntax, op.Parameter.Name,
                        binding.Kind switch { ParameterKind.LocalId => ".X, .Y, .Z, .Index", ParameterKind.SubgroupId => ".Lane, .Size", _ => ".X, .Y, .Z" });
                    return null;
            }
        }
        // A parameter whose declaration was reported.
        return null;
    }

    private IrExpr? Field(IFieldReferenceOperation op)
    {
        var field = op.Field;
        if (IsFailedLocal(op.Instance))
            return null;
        if (op.Instance is null || field.IsStatic)
        {
            if (field.IsStatic && field.IsReadOnly && !field.IsConst)
                return StaticReadonlyValue(op, field);
            module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax),
                "a static field that is not readonly is memory every invocation shares in C#, which the GPU does not see: make it 'static readonly' (or const) with a constant initializer, or pass the value as a uniform parameter");
            return null;
        }
        var instanceType = MapType(op.Instance.Type, op.Instance.Syntax);
        if (instanceType is null)
            return null;
        var instance = Value(op.Instance);
        var member = Member(instance, field, instanceType);
        if (member is null && instance is not null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), "this field has no WGSL translation");
            return null;
        }
        return member;
    }

    /// <summary>The IR for <c>instance.field</c> (a vector component or struct field), or null when the field has none.</summary>
    private static IrExpr? Member(IrExpr? instance, IFieldSymbol field, WgslType instanceType)
    {
        if (instance is null)
            return null;
        if (instanceType.IsMatrix)
            return MatrixElement(instance, field.Name, instanceType);
        if (instanceType.IsVector)
        {
            return field.Name is "X" or "Y" or "Z" or "W"
                ? new IrSwizzle(instance, field.Name.ToLowerInvariant(), instanceType.Scalar == WgslScalar.F32 ? WgslType.F32 : WgslType.U32)
                : null;
        }
        if (instanceType.IsStruct && instanceType.FieldIndex(field) is >= 0 and var index)
            return new IrMember(instance, instanceType.Fields[index].Name, instanceType.Fields[index].Type);
        return null;
    }

    private IrExpr? Property(IPropertyReferenceOperation op)
    {
        var property = op.Property;
        var instance = op.Instance;
        if (IsFailedLocal(instance))
            return null;
        if (IsSpanView(instance))
            return ViewProperty(op);
        if (AutoPropertyField(op) is { } backing)
            return AutoPropertyValue(op, backing);
        var arrayProperty = ArrayProperty(op, out bool isArrayProperty);
        if (isArrayProperty)
            return arrayProperty;
        if (instance is IParameterReferenceOperation parameter && kernelParameters.TryGetValue(parameter.Parameter, out var binding))
        {
            if (binding.IsId)
            {
                if (property.Name is "X" or "Y" or "Z")
                    return new IrConvert(WgslType.I32, new IrSwizzle(new IrRef(binding.Variable!), property.Name.ToLowerInvariant(), WgslType.U32));
                if (property.Name == "Index" && binding.IndexVariable is not null)
                    return new IrConvert(WgslType.I32, new IrRef(binding.IndexVariable));
                if (property.Name == "Lane" && binding.LaneVariable is not null)
                    return new IrConvert(WgslType.I32, new IrRef(binding.LaneVariable));
                if (property.Name == "Size" && binding.SizeVariable is not null)
                    return new IrConvert(WgslType.I32, new IrRef(binding.SizeVariable));
            }
            else if (binding.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared)
            {
                if (binding.HostLayout is not null && (property.IsIndexer || (binding.Kind != ParameterKind.Shared && property.Name is "Length" or "IsEmpty")))
                    return property.IsIndexer ? HostLoad(op, binding) : HostLength(op, binding, property.Name == "IsEmpty");
                if (property.IsIndexer)
                    return binding.Variable?.AtomicElement is not null ? AtomicRead(new AtomicSite(binding, op.Arguments[0].Value, null))
                        : binding.PackedVector3 ? PackedLoad(op, binding) : ElementAccess(op, binding, write: false);
                if (property.Name == "Length" && binding.SharedLengthName is not null)
                    return SharedLength(binding);
                if (property.Name == "Length")
                {
                    return binding.Kind == ParameterKind.Shared
                        ? IrLiteral.I32(binding.SharedLength)
                        : new IrConvert(WgslType.I32, ElementCount(binding));
                }
                if (property.Name == "IsEmpty")
                {
                    return binding.Kind == ParameterKind.Shared
                        ? IrLiteral.Bool(binding.SharedLength == 0)
                        : new IrBinary(IrBinaryOp.Equal, ElementCount(binding), IrLiteral.U32(0), WgslType.Bool);
                }
            }
        }
        else if (instance is not null && IsSpan(instance.Type))
        {
            Unsupported(op, "index kernel buffer parameters directly (x[i], x.Length); spans cannot be stored in locals or sliced");
            return null;
        }
        if (IsGenericMathProperty(op))
            return GenericMathProperty(op);
        var containing = op.Property.ContainingType;
        if (property.IsStatic && module.Known.IsHalf(containing) && HalfConstantBits(property.Name) is { } halfBits)
            return HalfConstant(halfBits);
        if (WgslTypeMap.NumericsMatrix(containing) is { } matrix)
            return MatrixProperty(op, matrix);
        int vectorSize = module.Known.VectorSize(containing);
        if (vectorSize > 0)
        {
            var type = vectorSize switch { 2 => WgslType.Vec2, 3 => WgslType.Vec3, _ => WgslType.Vec4 };
            if (property.IsIndexer && instance is not null)
            {
                var vector = Value(instance);
                var index = Index(op.Arguments[0].Value);
                return vector is null || index is null ? null : new IrIndex(vector, index, WgslType.F32);
            }
            if (property.IsStatic)
            {
                IrExpr Unit(int axis) => new IrConstruct(type, Enumerable.Range(0, vectorSize).Select(i => (IrExpr)IrLiteral.F32(i == axis ? 1f : 0f)).ToList());
                IrExpr? value = property.Name switch
                {
                    "Zero" => new IrConstruct(type, []),
                    "One" => new IrConstruct(type, [IrLiteral.F32(1f)]),
                    "UnitX" => Unit(0),
                    "UnitY" => Unit(1),
                    "UnitZ" when vectorSize >= 3 => Unit(2),
                    "UnitW" when vectorSize == 4 => Unit(3),
                    _ => null,
                };
                if (value is not null)
                    return value;
            }
        }
        if (property.GetMethod is { DeclaringSyntaxReferences.Length: > 0 } getter && (getter.IsStatic || IsStructMember(getter)))
        {
            if (property.IsStatic && WgslTypeMap.BackingField(property) is not null)
            {
                module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax),
                    "a static auto-property is a static field, which the GPU does not see: make it a const, a static property with a body (static float Zero => 0f;), or pass the value as a uniform parameter");
                return null;
            }
            return PropertyGetterCall(op);
        }
        if (property.GetMethod is null && property.SetMethod is { DeclaringSyntaxReferences.Length: > 0 })
        {
            Unsupported(op, "the property has no getter");
            return null;
        }
        module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax),
            "properties have no WGSL translation: use fields, or a static helper method");
        return null;
    }

    private static IrBuiltinCall ArrayLength(KernelParameterBinding binding)
        => new IrBuiltinCall("arrayLength", [new IrUnary(IrUnaryOp.AddressOf, new IrRef(binding.Variable!), WgslType.U32)], WgslType.U32);

    /// <summary>The bits of Half's static constants (properties, not C# constants, so Roslyn does not fold them).</summary>
    private static ushort? HalfConstantBits(string name) => name switch
    {
        "PositiveInfinity" => 0x7c00,
        "NegativeInfinity" => 0xfc00,
        "NaN" => 0xfe00,
        "MaxValue" => 0x7bff,
        "MinValue" => 0xfbff,
        "Epsilon" => 0x0001,
        "Zero" => 0x0000,
        "NegativeZero" => 0x8000,
        "One" => 0x3c00,
        "NegativeOne" => 0xbc00,
        "E" => 0x4170,
        "Pi" => 0x4248,
        "Tau" => 0x4648,
        _ => null,
    };

    private IrIndex? ElementAccess(IPropertyReferenceOperation op, KernelParameterBinding binding, bool write)
    {
        if (write && binding.Kind == ParameterKind.ReadOnlyBuffer)
            module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, op.Syntax, binding.Symbol.Name);
        if (binding.Kind == ParameterKind.Shared && binding.SharedLengthName is null)
            CheckConstantIndex(op.Arguments[0].Value, binding.Symbol.Name, binding.SharedLength);
        var index = Index(op.Arguments[0].Value);
        IrExpr array = binding.PointerType is null ? new IrRef(binding.Variable!) : new IrUnary(IrUnaryOp.Deref, new IrRef(binding.Variable!), binding.Variable!.Type.PointeeType);
        return index is null ? null : new IrIndex(array, index, binding.Type!);
    }

    private IrExpr? Index(IOperation index)
    {
        var type = module.Types.Map(index.Type, out _);
        if (type is null || !type.IsInteger || type.IsVector)
        {
            module.Report(DiagnosticDescriptors.InvalidIndex, index.Syntax, Snippet(index.Syntax), index.Type?.ToDisplayString() ?? "?");
            return null;
        }
        return Value(index);
    }

    /// <summary>The place an assignment writes to; null when it cannot be one (reported).</summary>
    private IrExpr? Target(IOperation op)
    {
        if (IsFailedLocal(op))
            return null; // reported at its declaration
        if (IsAtomicElement(op, out var atomicSite))
        {
            var atomicBinding = atomicSite.Binding;
            // Statements, Interlocked calls, ref/out arguments and tuple targets take their atomic forms before this.
            string name = atomicBinding.Variable!.Name;
            Unsupported(op, $"atomics use '{name}', so every access to it is atomic, and this place (an assignment or ++/-- inside an expression, or a ref/out argument of a built-in) cannot be: " +
                $"write the element with a statement of its own ({name}[i] = v; {name}[i] += v; {name}[i]++;), an Interlocked call, or a ref argument");
            return null;
        }
        if (HostRoot(op) is { } hostBuffer)
            return HostTarget(op, hostBuffer); // an element of a buffer in C#'s byte layout (HostElements)
        switch (op)
        {
            case IImplicitIndexerReferenceOperation or IInvalidOperation:
                return Value(op);
            case ILocalReferenceOperation local when refLocals.TryGetValue(local.Local, out var alias):
                return alias;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } viewInstance } viewElement when IsSpanView(viewInstance):
                return ViewElement(viewInstance, viewElement.Arguments[0].Value);
            case ILocalReferenceOperation spanLocal when IsSpanLocal(spanLocal):
                if (!IsFailedLocal(spanLocal))
                    SpanViewMisuse(op, "is assigned inside another expression: re-point a Span local in a statement of its own (s = s[1..];)");
                return null;
            case ILocalReferenceOperation local when IsLocalArrayReference(local):
                ArrayMisuse(op, "is assigned: C# arrays and spans are references and WGSL arrays are values, so the two would differ; copy the elements in a loop");
                return null;
            case IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } when Indexing(op).Instance is { } table && TableSymbol(Unwrap(table)) is not null:
                return TableWrite(op, Unwrap(table));
            case IArrayElementReferenceOperation:
                return Value(op);
            case IPropertyReferenceOperation { Property.IsIndexer: true } arrayElement when Indexing(arrayElement).Instance is { } arrayInstance && ArrayOf(arrayInstance) is not null:
                return ArrayElement(arrayElement, out _);
            case IInvocationOperation reinterpreted when IsUnsafeAs(reinterpreted):
                module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                    "writes through a reinterpreted reference, which WGSL cannot: assign the variable itself, converting the value with Unsafe.BitCast<TFrom, TTo>(value)");
                return null;
            case ILocalReferenceOperation local:
                return variables.TryGetValue(local.Local, out var variable) && !failedLocals.Contains(local.Local) ? new IrRef(variable) : null;
            case IInstanceReferenceOperation when IsConstructor || thisIsPointer:
                return ThisValue();
            case IParameterReferenceOperation parameter:
                if (kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.Kind is not (ParameterKind.Uniform or ParameterKind.Specialized))
                {
                    Unsupported(op, binding.IsId ? "built-in ids are read-only" : "buffer parameters cannot be reassigned: write to their elements");
                    return null;
                }
                return Parameter(parameter);
            case IPropertyReferenceOperation { Instance: IParameterReferenceOperation p, Property.IsIndexer: true } element
                when kernelParameters.TryGetValue(p.Parameter, out var buffer) && buffer.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared:
                return ElementAccess(element, buffer, write: true);
            case IFieldReferenceOperation { Instance: { } packed } field when !field.Field.IsStatic && PackedElement(packed) is not null:
                return PackedComponentTarget((IPropertyReferenceOperation)packed, field.Field.Name, null);
            case IPropertyReferenceOperation { Instance: { } packed, Property.IsIndexer: true } component
                when module.Known.VectorSize(component.Property.ContainingType) > 0 && PackedElement(packed) is not null:
                return PackedComponentTarget((IPropertyReferenceOperation)packed, null, component.Arguments[0].Value);
            case IPropertyReferenceOperation element when PackedElement(element) is not null:
                Unsupported(op, "a Vector3 buffer element is written whole (b[i] = v, b[i] += v) or by component (b[i].X = x)");
                return null;
            case IFieldReferenceOperation or IPropertyReferenceOperation when IsFieldAccess(op, out var field, out var instance) && instance is not null && !field.IsStatic:
            {
                var instanceType = MapType(instance.Type, instance.Syntax);
                if (instanceType is null)
                    return null;
                // The receiver must itself be assignable (e.g. buffer elements, locals).
                var receiver = Target(instance);
                if (receiver is null)
                    return null;
                var member = Member(receiver, field, instanceType);
                if (member is null)
                    module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), "this field has no WGSL translation");
                return member;
            }
            case IPropertyReferenceOperation { Instance: { } instance, Property.IsIndexer: true } vectorElement
                when module.Known.VectorSize(vectorElement.Property.ContainingType) > 0:
            {
                var receiver = Target(instance);
                var index = Index(vectorElement.Arguments[0].Value);
                return receiver is null || index is null ? null : new IrIndex(receiver, index, WgslType.F32);
            }
            case IPropertyReferenceOperation { Instance: not null } matrixPart when WgslTypeMap.NumericsMatrix(matrixPart.Property.ContainingType) is { } matrix:
                return MatrixPlace(matrixPart, matrix, write: true);
            case IPropertyReferenceOperation setter when IsSetterCall(setter):
                Unsupported(op, "a property whose setter has a body is set by an assignment on its own line (p.Level = v;), which calls the setter: for ++, op= or an assignment used as a value, write p.Level = p.Level + v; on its own line");
                return null;
            case IPropertyReferenceOperation { Instance: IParameterReferenceOperation p2 } when kernelParameters.TryGetValue(p2.Parameter, out var b2) && b2.Kind == ParameterKind.ReadOnlyBuffer:
                module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, op.Syntax, p2.Parameter.Name);
                return null;
            default:
                Unsupported(op, "only locals, buffer elements, and their fields and components can be assigned");
                return null;
        }
    }
}
