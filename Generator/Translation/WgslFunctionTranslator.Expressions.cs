using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

internal sealed partial class WgslFunctionTranslator
{
    private void Unsupported(IOperation op, string why)
        => module.Report(DiagnosticDescriptors.UnsupportedExpression, op.Syntax, Snippet(op.Syntax), why);

    internal static bool IsIdType(ITypeSymbol? type)
        => type is { Name: "ThreadId" or "LocalId" or "GroupId" or "GroupCount", ContainingNamespace: { Name: "KernelGen", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>Translates an expression whose value is used.</summary>
    private WgslExpression Value(IOperation op)
    {
        module.CancellationToken.ThrowIfCancellationRequested();
        switch (op)
        {
            case IInvalidOperation:
                module.HasInvalidCode = true;
                return WgslExpression.Error;
            case IAnonymousFunctionOperation or IDelegateCreationOperation or IMethodReferenceOperation:
                Unsupported(op, "lambdas and delegates do not exist on the GPU: write a static helper method and call it");
                return WgslExpression.Error;
            case ITranslatedQueryOperation:
                Unsupported(op, "LINQ does not run on the GPU: write a for loop");
                return WgslExpression.Error;
            case IAwaitOperation:
                Unsupported(op, "kernels run synchronously on the GPU: remove await");
                return WgslExpression.Error;
            case IThrowOperation:
                Unsupported(op, "GPU code cannot throw exceptions: guard the invalid case with if and return");
                return WgslExpression.Error;
            case IInterpolatedStringOperation:
                Unsupported(op, "WGSL has no strings");
                return WgslExpression.Error;
            case IAddressOfOperation or IFunctionPointerInvocationOperation:
            case { Type.TypeKind: TypeKind.Pointer }:
            case { Syntax.RawKind: (int)SyntaxKind.PointerIndirectionExpression or (int)SyntaxKind.PointerMemberAccessExpression or (int)SyntaxKind.StackAllocArrayCreationExpression or (int)SyntaxKind.ImplicitStackAllocArrayCreationExpression }:
                module.Report(DiagnosticDescriptors.UnsafeCode, op.Syntax, Snippet(op.Syntax));
                return WgslExpression.Error;
            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation:
                module.Report(DiagnosticDescriptors.SideEffectAsValue, op.Syntax, Snippet(op.Syntax));
                return WgslExpression.Error;
            case IIsPatternOperation or IIsTypeOperation or ISwitchExpressionOperation:
                Unsupported(op, "patterns are not supported: compare values with ==, <, > and use if/else or ?:");
                return WgslExpression.Error;
            case ICoalesceOperation or IConditionalAccessOperation or IConditionalAccessInstanceOperation:
                Unsupported(op, "null does not exist on the GPU: every value is a plain number, vector or struct");
                return WgslExpression.Error;
            case ITupleOperation:
                Unsupported(op, "tuples do not exist in WGSL: use a struct or separate variables");
                return WgslExpression.Error;
            case IArrayCreationOperation or IArrayElementReferenceOperation or IArrayInitializerOperation:
                Unsupported(op, "arrays are not supported: use Span<T> buffer parameters, or a [GroupShared(n)] Span<T> parameter for workgroup memory");
                return WgslExpression.Error;
            case ITypeOfOperation or INameOfOperation:
                Unsupported(op, "types and names are not values on the GPU");
                return WgslExpression.Error;
            case IWithOperation:
                Unsupported(op, "use plain assignments");
                return WgslExpression.Error;
            case IImplicitIndexerReferenceOperation indexer:
                module.Report(DiagnosticDescriptors.InvalidIndex, indexer.Argument.Syntax, Snippet(indexer.Argument.Syntax), indexer.Argument.Type?.ToDisplayString() ?? "?");
                return WgslExpression.Error;
            case IRangeOperation:
                module.Report(DiagnosticDescriptors.InvalidIndex, op.Syntax, Snippet(op.Syntax), "System.Range");
                return WgslExpression.Error;
        }
        if (op.ConstantValue.HasValue && IsFoldable(op))
            return Constant(op.ConstantValue, op.Type, op.Syntax);
        if (IsFailedLocal(op) || ReportsUnsupportedBits(op))
            return WgslExpression.Error;
        if (op.Type is { SpecialType: not SpecialType.System_Void } type && !IsSpan(type) && !IsIdType(type) && MapType(type, op.Syntax) is null)
            return WgslExpression.Error;
        switch (op)
        {
            case ILiteralOperation:
                Unsupported(op, "only int, uint, float and bool literals are supported");
                return WgslExpression.Error;
            case IConversionOperation conversion:
                return Conversion(conversion);
            case IBinaryOperation binary:
                return Binary(binary);
            case IUnaryOperation unary:
                return Unary(unary);
            case IConditionalOperation conditional:
                return Ternary(conditional);
            case ILocalReferenceOperation local:
                return failedLocals.Contains(local.Local) ? WgslExpression.Error : WgslExpression.Primary(LocalName(local.Local));
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
            case IInstanceReferenceOperation when IsConstructor:
                return WgslExpression.Primary(ThisName);
            default:
                Unsupported(op, "it has no WGSL translation");
                return WgslExpression.Error;
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

    private WgslExpression Constant(Optional<object?> constant, ITypeSymbol? type, SyntaxNode at)
    {
        var wgslType = MapType(type, at);
        if (wgslType is null)
            return WgslExpression.Error;
        object? value = constant.Value;
        if (value is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedExpression, at, Snippet(at), "null does not exist on the GPU");
            return WgslExpression.Error;
        }
        string text;
        switch (wgslType.Scalar, wgslType.VectorSize)
        {
            case (WgslScalar.I32, 0):
                text = WgslLiteral.Int(value is int i ? i : unchecked((int)System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case (WgslScalar.U32, 0):
                text = WgslLiteral.UInt(value is uint u ? u : unchecked((uint)System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case (WgslScalar.F32, 0):
                return FloatConstant(System.Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture));
            case (WgslScalar.F16, 0):
                return HalfConstant(HalfBits.FromSingle(System.Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture)));
            case (WgslScalar.Bool, 0):
                text = WgslLiteral.Bool(value is true);
                break;
            default:
                module.Report(DiagnosticDescriptors.UnsupportedExpression, at, Snippet(at), "only int, uint, float and bool constants are supported");
                return WgslExpression.Error;
        }
        return new WgslExpression(text, text[0] == '-' ? WgslPrecedence.Unary : WgslPrecedence.Primary);
    }

    /// <summary>
    /// An f32 constant. NaN and the infinities have no WGSL literal and are refused by WGSL's constant
    /// evaluation, so they come from their bit pattern through a function (never a constant expression).
    /// </summary>
    private WgslExpression FloatConstant(float value)
    {
        uint bits = System.BitConverter.ToUInt32(System.BitConverter.GetBytes(value), 0);
        // -0.0f is the negation of 0.0f in WGSL, whose implementations may drop the sign of a zero.
        if (bits != 0x80000000u && WgslLiteral.Float(value) is { } literal)
            return new WgslExpression(literal, literal[0] == '-' ? WgslPrecedence.Unary : WgslPrecedence.Primary);
        string name = module.RequirePolyfill("f32_from_bits", F32FromBits);
        return WgslExpression.Primary($"{name}({WgslLiteral.Bits(bits)})");
    }

    private static string F32FromBits(string n) =>
        "// An f32 from its bits, never a constant expression: WGSL has no literal for NaN, infinities and -0, refuses\n" +
        "// the first two in constant expressions and may drop the sign of a constant zero.\n" +
        $"fn {n}(bits: u32) -> f32 {{\n" +
        "    return bitcast<f32>(bits);\n" +
        "}\n";

    /// <summary>An f16 constant (the value C#'s Half conversion gives), NaN and infinities from their bits.</summary>
    private WgslExpression HalfConstant(ushort bits)
    {
        if (bits != 0x8000 && WgslLiteral.Half(bits) is { } literal)
            return new WgslExpression(literal, literal[0] == '-' ? WgslPrecedence.Unary : WgslPrecedence.Primary);
        string name = module.RequirePolyfill("f16_from_bits", F16FromBits);
        return WgslExpression.Primary($"{name}({WgslLiteral.Bits(bits)})");
    }

    private static WgslExpression Zero(WgslType? type) => type switch
    {
        null => WgslExpression.Error,
        { IsScalar: true, Scalar: WgslScalar.I32 } => WgslExpression.Primary("0i"),
        { IsScalar: true, Scalar: WgslScalar.U32 } => WgslExpression.Primary("0u"),
        { IsScalar: true, Scalar: WgslScalar.F32 } => WgslExpression.Primary("0.0f"),
        { IsScalar: true, Scalar: WgslScalar.Bool } => WgslExpression.Primary("false"),
        _ => WgslExpression.Primary(type.Name + "()"),
    };

    private static string One(WgslType type) => type switch
    {
        { Scalar: WgslScalar.I32 } => "1i",
        { Scalar: WgslScalar.U32 } => "1u",
        { Scalar: WgslScalar.F16 } => "1.0h",
        _ => "1.0f",
    };

    private WgslExpression Convert(WgslExpression value, WgslType from, WgslType to)
    {
        if (from.Name == to.Name)
            return value;
        if (from.Scalar == WgslScalar.F32 && to.IsScalar && to.Scalar is WgslScalar.I32 or WgslScalar.U32)
            return WgslExpression.Primary($"{SaturatingConversion(to)}({value.Text})");
        return WgslExpression.Primary($"{to.Name}({value.Text})");
    }

    /// <summary>
    /// C# converts float to int and uint with saturation (.NET 9 and later, every platform); WGSL's i32()
    /// and u32() clamp to the largest f32 below the limit instead (2147483520, 4294967040), so values from
    /// 2^31 (2^32) up need the integer maximum chosen explicitly. (NaN is left to i32(): WGSL lets
    /// implementations assume there are none.)
    /// </summary>
    private string SaturatingConversion(WgslType to)
    {
        bool signed = to.Scalar == WgslScalar.I32;
        string type = to.Name;
        string max = signed ? "2147483647i" : "4294967295u";
        string limit = signed ? "2147483648.0f" : "4294967296.0f";
        return module.RequirePolyfill(type + "_from_f32", name =>
            $"// C#'s ({(signed ? "int" : "uint")})float saturates: {type}() alone would clamp to the largest f32 below {(signed ? "2^31" : "2^32")}.\n" +
            $"fn {name}(value: f32) -> {type} {{\n" +
            $"    return select({type}(value), {max}, value >= {limit});\n" +
            "}\n");
    }

    private static WgslExpression Not(WgslExpression value) => new("!" + value.AsOperand(WgslPrecedence.Unary), WgslPrecedence.Unary);

    /// <summary>
    /// A reference to a local or kernel parameter whose declaration was already reported: stay quiet about its
    /// uses (one diagnostic per root cause).
    /// </summary>
    private bool IsFailedLocal(IOperation? op)
    {
        while (op is IConversionOperation or IParenthesizedOperation)
            op = op is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)op).Operand;
        return op switch
        {
            ILocalReferenceOperation local => failedLocals.Contains(local.Local),
            IParameterReferenceOperation parameter => isEntryPoint && !kernelParameters.ContainsKey(parameter.Parameter)
                && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method),
            _ => false,
        };
    }

    private WgslExpression Conversion(IConversionOperation op)
    {
        if (IsFailedLocal(op.Operand))
            return WgslExpression.Error;
        if (op.IsChecked)
        {
            Unsupported(op, "checked conversions cannot report overflow on the GPU: remove checked");
            return WgslExpression.Error;
        }
        if (HalfBitsConversion(op) is { } halfBits)
            return halfBits;
        if (ReportsUnsupportedBits(op.Operand))
            return WgslExpression.Error;
        var conversion = op.GetConversion();
        // Target-typed new(...) and default are conversions of a value that already has the type.
        if (SymbolEqualityComparer.Default.Equals(op.Type, op.Operand.Type) && !HasSource(op.OperatorMethod))
            return Value(op.Operand);
        if (!(conversion.IsIdentity || conversion.IsNumeric || conversion.IsUserDefined || conversion.IsConstantExpression || conversion.IsDefaultLiteral))
        {
            Unsupported(op, "only numeric conversions (int, uint, float, Half) exist on the GPU");
            return WgslExpression.Error;
        }
        var to = MapType(op.Type, op.Syntax);
        var from = MapType(op.Operand.Type, op.Operand.Syntax);
        if (to is null || from is null)
            return WgslExpression.Error;
        if (HasSource(op.OperatorMethod))
            return UserOperator(op.OperatorMethod!, op.Syntax, op.Operand);
        if (to.Scalar == WgslScalar.F16 && to.IsScalar && from.Scalar != WgslScalar.F16 && op.Operand.ConstantValue is { HasValue: true, Value: not null and not bool } folded)
        {
            // (Half)65519f is 65504 in C#; WGSL's constant f16(65519.0f) is an error. Fold it as C# does.
            return HalfConstant(HalfBits.FromSingle(System.Convert.ToSingle(folded.Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
        var value = Value(op.Operand);
        if (from.Name != to.Name && !(from.IsNumericScalar && to.IsNumericScalar))
        {
            Unsupported(op, $"there is no conversion from {from.Name} to {to.Name} in WGSL");
            return WgslExpression.Error;
        }
        return Convert(value, from, to);
    }

    /// <summary>Whether <paramref name="method"/> is declared in this compilation (a user-defined operator, not a built-in one).</summary>
    private static bool HasSource(IMethodSymbol? method) => method is { DeclaringSyntaxReferences.Length: > 0 };

    /// <summary>
    /// A user-defined operator (or conversion) of a kernel struct: a call to its body translated as a WGSL
    /// function. WGSL has no operators on structs, so the operator is never emitted as one.
    /// </summary>
    private WgslExpression UserOperator(IMethodSymbol method, SyntaxNode at, params IOperation[] operands)
    {
        string? name = module.RequireHelper(method, at, []);
        if (name is null)
            return WgslExpression.Error;
        var arguments = new List<string>();
        foreach (var operand in operands)
            arguments.Add(Value(operand).Text);
        return WgslExpression.Primary($"{name}({string.Join(", ", arguments)})");
    }

    private WgslExpression Unary(IUnaryOperation op)
    {
        if (op.IsLifted)
        {
            Unsupported(op, "nullable values do not exist on the GPU");
            return WgslExpression.Error;
        }
        if (HasSource(op.OperatorMethod))
            return UserOperator(op.OperatorMethod!, op.Syntax, op.Operand);
        var operand = Value(op.Operand);
        string text = operand.AsOperand(WgslPrecedence.Unary);
        switch (op.OperatorKind)
        {
            case UnaryOperatorKind.Plus:
                return operand;
            case UnaryOperatorKind.Minus:
                // "- -x" must not become "--x".
                return new WgslExpression("-" + (text.StartsWith("-", System.StringComparison.Ordinal) ? "(" + text + ")" : text), WgslPrecedence.Unary);
            case UnaryOperatorKind.Not:
                return new WgslExpression("!" + text, WgslPrecedence.Unary);
            case UnaryOperatorKind.BitwiseNegation:
                return new WgslExpression("~" + text, WgslPrecedence.Unary);
            default:
                Unsupported(op, "this operator has no WGSL equivalent");
                return WgslExpression.Error;
        }
    }

    private WgslExpression Binary(IBinaryOperation op)
    {
        if (op.IsLifted)
        {
            Unsupported(op, "nullable values do not exist on the GPU");
            return WgslExpression.Error;
        }
        if (op.IsChecked)
        {
            Unsupported(op, "checked arithmetic cannot report overflow on the GPU: remove checked");
            return WgslExpression.Error;
        }
        if (IsFailedLocal(op.LeftOperand) || IsFailedLocal(op.RightOperand))
            return WgslExpression.Error;
        var leftType = MapType(op.LeftOperand.Type, op.LeftOperand.Syntax);
        var rightType = MapType(op.RightOperand.Type, op.RightOperand.Syntax);
        if (leftType is null || rightType is null)
            return WgslExpression.Error;
        if (HasSource(op.OperatorMethod))
            return UserOperator(op.OperatorMethod!, op.Syntax, op.LeftOperand, op.RightOperand);
        var left = Value(op.LeftOperand);
        var right = Value(op.RightOperand);
        if (op.OperatorKind is BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift or BinaryOperatorKind.UnsignedRightShift)
            right = ShiftAmount(op.RightOperand, right, rightType);
        return BinaryText(op.OperatorKind, left, leftType, right, rightType, op.Syntax);
    }

    /// <summary>A shift amount: WGSL wants u32, and C# masks the count to 0..31.</summary>
    private static WgslExpression ShiftAmount(IOperation amount, WgslExpression value, WgslType type)
    {
        if (amount.ConstantValue is { HasValue: true, Value: int constant })
            return WgslExpression.Primary(WgslLiteral.UInt((uint)(constant & 31)));
        var count = type.Scalar == WgslScalar.U32 ? value : WgslExpression.Primary($"u32({value.Text})");
        // A count WGSL evaluates at shader creation (255 >> Math.Sign(-1)) must be below 32 there; C# masks it.
        // At run time WGSL masks it itself, so only counts without a run-time value need the mask.
        bool runtime = amount.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation { Local.IsConst: false }
            or IParameterReferenceOperation or IPropertyReferenceOperation or IInstanceReferenceOperation or IFieldReferenceOperation { ConstantValue.HasValue: false }
            || IsHelperCall(o));
        return runtime ? count : new WgslExpression($"{count.AsOperand(WgslPrecedence.BitAnd)} & 31u", WgslPrecedence.BitAnd);
    }

    private WgslExpression BinaryText(BinaryOperatorKind kind, WgslExpression left, WgslType leftType, WgslExpression right, WgslType rightType, SyntaxNode at)
    {
        (string symbol, WgslPrecedence precedence) = kind switch
        {
            BinaryOperatorKind.Add => ("+", WgslPrecedence.Additive),
            BinaryOperatorKind.Subtract => ("-", WgslPrecedence.Additive),
            BinaryOperatorKind.Multiply => ("*", WgslPrecedence.Multiplicative),
            BinaryOperatorKind.Divide => ("/", WgslPrecedence.Multiplicative),
            BinaryOperatorKind.Remainder => ("%", WgslPrecedence.Multiplicative),
            BinaryOperatorKind.LeftShift => ("<<", WgslPrecedence.Shift),
            BinaryOperatorKind.RightShift => (">>", WgslPrecedence.Shift),
            BinaryOperatorKind.UnsignedRightShift => (">>", WgslPrecedence.Shift),
            BinaryOperatorKind.And => ("&", WgslPrecedence.BitAnd),
            BinaryOperatorKind.Or => ("|", WgslPrecedence.BitOr),
            BinaryOperatorKind.ExclusiveOr when leftType.Scalar == WgslScalar.Bool => ("!=", WgslPrecedence.Relational),
            BinaryOperatorKind.ExclusiveOr => ("^", WgslPrecedence.BitXor),
            BinaryOperatorKind.ConditionalAnd => ("&&", WgslPrecedence.LogicalAnd),
            BinaryOperatorKind.ConditionalOr => ("||", WgslPrecedence.LogicalOr),
            BinaryOperatorKind.Equals => ("==", WgslPrecedence.Relational),
            BinaryOperatorKind.NotEquals => ("!=", WgslPrecedence.Relational),
            BinaryOperatorKind.LessThan => ("<", WgslPrecedence.Relational),
            BinaryOperatorKind.LessThanOrEqual => ("<=", WgslPrecedence.Relational),
            BinaryOperatorKind.GreaterThan => (">", WgslPrecedence.Relational),
            BinaryOperatorKind.GreaterThanOrEqual => (">=", WgslPrecedence.Relational),
            _ => ("", WgslPrecedence.Primary),
        };
        if (symbol.Length == 0)
        {
            module.Report(DiagnosticDescriptors.UnsupportedExpression, at, Snippet(at), "this operator has no WGSL equivalent");
            return WgslExpression.Error;
        }
        if (kind == BinaryOperatorKind.Remainder && leftType.IsScalar && leftType.IsFloat)
            return WgslExpression.Primary($"{RemainderFunction(leftType)}({left.Text}, {right.Text})");
        if (kind == BinaryOperatorKind.UnsignedRightShift && leftType.Scalar == WgslScalar.I32)
            return WgslExpression.Primary($"i32(u32({left.Text}) >> {right.AsOperand(WgslPrecedence.Shift, right: true)})");
        string text = $"{left.AsOperand(precedence)} {symbol} {right.AsOperand(precedence, right: true)}";
        if ((leftType.IsVector || rightType.IsVector) && kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)
            return WgslExpression.Primary(kind == BinaryOperatorKind.Equals ? $"all({text})" : $"any({text})");
        return new WgslExpression(text, precedence);
    }

    private WgslExpression Ternary(IConditionalOperation op)
    {
        if (op.IsRef || op.WhenFalse is null)
        {
            Unsupported(op, "ref conditionals are not supported");
            return WgslExpression.Error;
        }
        if (IsLazyTernary(op))
            return LazyTernary(op);
        if (module.Types.Map(op.Type, out _) is { IsStruct: true })
        {
            Unsupported(op, "WGSL's select() works on scalars and vectors only: use if/else to choose between structs");
            return WgslExpression.Error;
        }
        // WGSL select() evaluates both sides: fine, because without helper calls kernel expressions have no side effects.
        var condition = Value(op.Condition);
        var whenTrue = Value(op.WhenTrue);
        var whenFalse = Value(op.WhenFalse);
        return WgslExpression.Primary($"select({whenFalse.Text}, {whenTrue.Text}, {condition.Text})");
    }

    private WgslExpression Parameter(IParameterReferenceOperation op)
    {
        if (names.TryGetValue(op.Parameter, out var name))
            return WgslExpression.Primary(name);
        if (kernelParameters.TryGetValue(op.Parameter, out var binding))
        {
            switch (binding.Kind)
            {
                case ParameterKind.Uniform:
                    return WgslExpression.Primary($"{WgslNames.UniformVariable}.{binding.WgslName}");
                case ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared:
                    Unsupported(op, "a buffer can only be indexed (x[i]) or asked for its Length; it cannot be stored, sliced or passed to a method");
                    return WgslExpression.Error;
                default:
                    module.Report(DiagnosticDescriptors.BuiltinIdAsValue, op.Syntax, op.Parameter.Name,
                        binding.Kind == ParameterKind.LocalId ? ".X, .Y, .Z, .Index" : ".X, .Y, .Z");
                    return WgslExpression.Error;
            }
        }
        return WgslExpression.Primary(WgslNames.Escape(op.Parameter.Name));
    }

    private WgslExpression Field(IFieldReferenceOperation op)
    {
        var field = op.Field;
        if (IsFailedLocal(op.Instance))
            return WgslExpression.Error;
        if (op.Instance is null || field.IsStatic)
        {
            module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax),
                "static fields are not visible to the GPU: make it a const, or pass the value as a uniform parameter");
            return WgslExpression.Error;
        }
        var instanceType = MapType(op.Instance.Type, op.Instance.Syntax);
        if (instanceType is null)
            return WgslExpression.Error;
        var instance = Value(op.Instance);
        string? member = MemberName(field, instanceType);
        if (member is null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), "this field has no WGSL translation");
            return WgslExpression.Error;
        }
        return WgslExpression.Primary($"{instance.AsOperand(WgslPrecedence.Primary)}.{member}");
    }

    private static string? MemberName(IFieldSymbol field, WgslType instanceType)
    {
        if (instanceType.IsVector)
            return field.Name is "X" or "Y" or "Z" or "W" ? field.Name.ToLowerInvariant() : null;
        if (instanceType.IsStruct)
            return instanceType.Fields.FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, field))?.Name;
        return null;
    }

    private WgslExpression Property(IPropertyReferenceOperation op)
    {
        var property = op.Property;
        var instance = op.Instance;
        if (IsFailedLocal(instance))
            return WgslExpression.Error;
        if (instance is IParameterReferenceOperation parameter && kernelParameters.TryGetValue(parameter.Parameter, out var binding))
        {
            if (binding.IsId)
            {
                if (property.Name is "X" or "Y" or "Z")
                    return WgslExpression.Primary($"i32({binding.WgslName}.{property.Name.ToLowerInvariant()})");
                if (property.Name == "Index" && binding.IndexName is not null)
                    return WgslExpression.Primary($"i32({binding.IndexName})");
            }
            else if (binding.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared)
            {
                if (property.IsIndexer)
                {
                    return module.AtomicBuffers.ContainsKey(binding.WgslName)
                        ? AtomicRead(op, binding)
                        : WgslExpression.Primary(ElementAccess(op, binding, write: false));
                }
                if (property.Name == "Length")
                {
                    return binding.Kind == ParameterKind.Shared
                        ? WgslExpression.Primary(WgslLiteral.Int(binding.SharedLength))
                        : WgslExpression.Primary($"i32(arrayLength(&{binding.WgslName}))");
                }
                if (property.Name == "IsEmpty")
                {
                    return binding.Kind == ParameterKind.Shared
                        ? WgslExpression.Primary(WgslLiteral.Bool(binding.SharedLength == 0))
                        : WgslExpression.Primary($"(arrayLength(&{binding.WgslName}) == 0u)");
                }
            }
        }
        else if (instance is not null && IsSpan(instance.Type))
        {
            Unsupported(op, "index kernel buffer parameters directly (x[i], x.Length); spans cannot be stored in locals or sliced");
            return WgslExpression.Error;
        }
        var containing = op.Property.ContainingType;
        if (property.IsStatic && containing.ToDisplayString() == "System.Half" && HalfConstantBits(property.Name) is { } halfBits)
            return HalfConstant(halfBits);
        int vectorSize = WgslTypeMap.NumericsVectorSize(containing);
        if (vectorSize > 0)
        {
            if (property.IsIndexer && instance is not null)
                return WgslExpression.Primary($"{Value(instance).AsOperand(WgslPrecedence.Primary)}[{Index(op.Arguments[0].Value)}]");
            if (property.IsStatic)
            {
                string type = $"vec{vectorSize}<f32>";
                string? text = property.Name switch
                {
                    "Zero" => type + "()",
                    "One" => type + "(1.0f)",
                    "UnitX" => $"{type}(1.0f{string.Concat(Enumerable.Repeat(", 0.0f", vectorSize - 1))})",
                    "UnitY" => $"{type}(0.0f, 1.0f{string.Concat(Enumerable.Repeat(", 0.0f", vectorSize - 2))})",
                    "UnitZ" when vectorSize >= 3 => $"{type}(0.0f, 0.0f, 1.0f{(vectorSize == 4 ? ", 0.0f" : "")})",
                    "UnitW" when vectorSize == 4 => $"{type}(0.0f, 0.0f, 0.0f, 1.0f)",
                    _ => null,
                };
                if (text is not null)
                    return WgslExpression.Primary(text);
            }
        }
        module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax),
            "properties have no WGSL translation: use fields, or a static helper method");
        return WgslExpression.Error;
    }

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

    private string ElementAccess(IPropertyReferenceOperation op, KernelParameterBinding binding, bool write, bool bindIndex = false)
    {
        if (write && binding.Kind == ParameterKind.ReadOnlyBuffer)
            module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, op.Syntax, binding.Symbol.Name);
        var index = op.Arguments[0].Value;
        if (bindIndex && !index.ConstantValue.HasValue && index is not ILocalReferenceOperation)
        {
            // The target's index runs first in C#: bind it before the statement, so that it runs once and
            // before whatever the assigned value does.
            if (hoistRoot is null)
            {
                Unsupported(index, "this index calls a helper or reads a buffer the assigned value can change, and cannot be evaluated first here: compute the index in a statement before");
                return WgslExpression.Error.Text;
            }
            var type = module.Types.Map(index.Type, out _);
            string text = Index(index);
            if (type is null)
                return WgslExpression.Error.Text;
            string name = NewTemporary("index");
            w.Line($"let {name}: {type.Name} = {text};");
            return $"{binding.WgslName}[{name}]";
        }
        return $"{binding.WgslName}[{Index(index)}]";
    }

    /// <summary>Whether <paramref name="op"/> calls a helper (which can write buffers) anywhere inside.</summary>
    private static bool HasHelperCall(IOperation? op) => op is not null && op.DescendantsAndSelf().Any(IsHelperCall);

    private bool ReadsBuffer(IOperation op) => op.DescendantsAndSelf().Any(o => BufferRead(o) is not null);

    private string Index(IOperation index)
    {
        var type = module.Types.Map(index.Type, out _);
        if (type is null || !type.IsInteger || type.IsVector)
        {
            module.Report(DiagnosticDescriptors.InvalidIndex, index.Syntax, Snippet(index.Syntax), index.Type?.ToDisplayString() ?? "?");
            return WgslExpression.Error.Text;
        }
        return Value(index).Text;
    }

    /// <summary>
    /// The WGSL reference an assignment writes to. An index that calls a helper, or reads a buffer while
    /// the value (<paramref name="value"/>) calls one, is bound to a let first (C# evaluates the target first).
    /// </summary>
    private string Target(IOperation op, IOperation? value = null)
    {
        switch (op)
        {
            case IImplicitIndexerReferenceOperation or IInvalidOperation or IArrayElementReferenceOperation:
                return Value(op).Text;
            case IInvocationOperation reinterpreted when IsUnsafeAs(reinterpreted):
                module.Report(DiagnosticDescriptors.UnsupportedReinterpretation, op.Syntax, Snippet(op.Syntax),
                    "writes through a reinterpreted reference, which WGSL cannot: assign the variable itself, converting the value with Unsafe.BitCast<TFrom, TTo>(value)");
                return WgslExpression.Error.Text;
            case ILocalReferenceOperation local:
                return LocalName(local.Local);
            case IInstanceReferenceOperation when IsConstructor:
                return ThisName;
            case IParameterReferenceOperation parameter:
                if (kernelParameters.TryGetValue(parameter.Parameter, out var binding) && binding.Kind != ParameterKind.Uniform)
                {
                    Unsupported(op, binding.IsId ? "built-in ids are read-only" : "buffer parameters cannot be reassigned: write to their elements");
                    return WgslExpression.Error.Text;
                }
                return Parameter(parameter).Text;
            case IPropertyReferenceOperation { Instance: IParameterReferenceOperation p, Property.IsIndexer: true } element
                when kernelParameters.TryGetValue(p.Parameter, out var buffer) && buffer.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared:
            {
                var index = element.Arguments[0].Value;
                bool bind = HasHelperCall(index) || (HasHelperCall(value) && ReadsBuffer(index));
                return ElementAccess(element, buffer, write: true, bindIndex: bind);
            }
            case IFieldReferenceOperation { Instance: { } instance } field when !field.Field.IsStatic:
            {
                var instanceType = MapType(instance.Type, instance.Syntax);
                if (instanceType is null)
                    return WgslExpression.Error.Text;
                // The receiver must itself be assignable (e.g. buffer elements, locals).
                string receiver = Target(instance, value);
                var member = MemberName(field.Field, instanceType);
                if (member is null)
                {
                    module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), "this field has no WGSL translation");
                    return WgslExpression.Error.Text;
                }
                return receiver + "." + member;
            }
            case IPropertyReferenceOperation { Instance: { } instance, Property.IsIndexer: true } vectorElement
                when WgslTypeMap.NumericsVectorSize(vectorElement.Property.ContainingType) > 0:
                return $"{Target(instance, value)}[{Index(vectorElement.Arguments[0].Value)}]";
            case IPropertyReferenceOperation { Instance: IParameterReferenceOperation p2 } when kernelParameters.TryGetValue(p2.Parameter, out var b2) && b2.Kind == ParameterKind.ReadOnlyBuffer:
                module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, op.Syntax, p2.Parameter.Name);
                return WgslExpression.Error.Text;
            default:
                Unsupported(op, "only locals, buffer elements, and their fields and components can be assigned");
                return WgslExpression.Error.Text;
        }
    }

    private WgslExpression Invocation(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        var arguments = new List<string>();
        if (op.Instance is not null && !target.IsStatic)
        {
            if (MapType(op.Instance.Type, op.Instance.Syntax) is null)
                return WgslExpression.Error;
        }
        if (FloatClassification(op) is { } classified)
            return classified;
        if (AtomicInvocation(op, statement: false) is { } atomic)
            return atomic;
        if (BitsInvocation(op) is { } bitCall)
            return bitCall;
        if (target.ContainingType.ToDisplayString() == "System.BitConverter" && target.Name is "Int32BitsToSingle" or "UInt32BitsToSingle" && op.Arguments.Length == 1)
        {
            var bits = Value(op.Arguments[0].Value);
            string from = module.RequirePolyfill("f32_from_bits", F32FromBits);
            return WgslExpression.Primary(target.Name == "Int32BitsToSingle" ? $"{from}(bitcast<u32>({bits.Text}))" : $"{from}({bits.Text})");
        }
        var template = Intrinsics.Find(target);
        if (template is null && target.DeclaringSyntaxReferences.Length == 0)
        {
            string type = target.ContainingType.ToDisplayString();
            if (target.ContainingNamespace?.ToDisplayString() == "System.Linq")
            {
                Unsupported(op, "LINQ does not run on the GPU: write a for loop");
                return WgslExpression.Error;
            }
            string why = type is "System.MathF" or "System.Math" or "float" or "int" or "uint" or "System.Half"
                ? "it has no WGSL built-in equivalent; supported: " + Intrinsics.SupportedMath
                : Intrinsics.AdviceFor(target.ContainingType)
                    ?? "it has no source in this compilation and no WGSL equivalent: write the computation as a static method in this project";
            module.Report(DiagnosticDescriptors.UnmappedMethod, op.Syntax, type + "." + target.Name, why);
            return WgslExpression.Error;
        }
        if (target.MethodKind == MethodKind.LocalFunction)
            return WgslExpression.Error; // The local function itself is reported where it is declared.
        string? helper = null;
        if (template is null && target.DeclaringSyntaxReferences.Length > 0)
        {
            // Span arguments bind the helper's Span parameters to kernel buffers (no WGSL argument).
            var spanArguments = new List<KernelParameterBinding>();
            foreach (var argument in op.Arguments.Where(a => a.Parameter is not null && IsSpan(a.Parameter.Type)).OrderBy(a => a.Parameter!.Ordinal))
            {
                var value = argument.Value;
                while (value is IConversionOperation { Conversion.IsImplicit: true } conversion)
                    value = conversion.Operand;
                if (value is IParameterReferenceOperation reference && kernelParameters.TryGetValue(reference.Parameter, out var buffer) && !buffer.IsId && buffer.Kind != ParameterKind.Uniform)
                {
                    spanArguments.Add(buffer);
                }
                else
                {
                    Unsupported(argument.Value, "a helper's Span parameter must receive one of the kernel's buffer parameters (or the caller's own Span parameter) as it is");
                    return WgslExpression.Error;
                }
            }
            // The helper's signature is checked before its arguments, so a bad helper is one diagnostic.
            helper = module.RequireHelper(target, op.Syntax, spanArguments);
            if (helper is null)
                return WgslExpression.Error;
        }
        foreach (var argument in op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (helper is not null && argument.Parameter is not null && IsSpan(argument.Parameter.Type))
                continue;
            if (argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter is { RefKind: not RefKind.None })
            {
                Unsupported(argument, "pass plain values: params arrays and ref/out/in arguments are not supported");
                return WgslExpression.Error;
            }
            arguments.Add(Value(argument.Value).Text);
        }
        if (template == "pow")
            template = PowFunction(MapType(target.Parameters[0].Type, op.Syntax));
        if (template is not null)
        {
            if (target.ContainingType.Name == "Workgroup")
                module.UsesBarriers = true;
            if (op.Instance is not null && !target.IsStatic)
                arguments.Insert(0, Value(op.Instance).Text);
            if (template.IndexOf('(') < 0)
                return WgslExpression.Primary($"{template}({string.Join(", ", arguments)})");
            if (RepeatsAnArgument(template, arguments))
                return WgslExpression.Primary($"{TemplateFunction(op, template)}({string.Join(", ", arguments)})");
            string text = template;
            for (int i = arguments.Count - 1; i >= 0; i--)
                text = text.Replace("{" + i + "}", arguments[i]);
            return WgslExpression.Primary(text);
        }
        return WgslExpression.Primary($"{helper}({string.Join(", ", arguments)})");
    }

    /// <summary>
    /// Whether substituting <paramref name="arguments"/> into <paramref name="template"/> would copy an
    /// argument that is more than a name or literal (<c>dot({0}, {0})</c> with a call in {0} would run it twice).
    /// </summary>
    private static bool RepeatsAnArgument(string template, List<string> arguments)
    {
        for (int i = 0; i < arguments.Count; i++)
        {
            string placeholder = "{" + i + "}";
            int first = template.IndexOf(placeholder, System.StringComparison.Ordinal);
            if (first >= 0 && template.IndexOf(placeholder, first + 1, System.StringComparison.Ordinal) >= 0 && !IsPlainOperand(arguments[i]))
                return true;
        }
        return false;
    }

    private static bool IsPlainOperand(string text)
    {
        if (text.Length == 0)
            return false;
        foreach (char c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '.'))
                return false;
        }
        return true;
    }

    /// <summary>
    /// A WGSL function whose body is the intrinsic's template over its parameters: a call evaluates each
    /// argument once, in order, as C# does. One per method and overload.
    /// </summary>
    private string TemplateFunction(IInvocationOperation op, string template)
    {
        var target = op.TargetMethod;
        var types = new List<WgslType>();
        if (op.Instance is not null && !target.IsStatic)
            types.Add(module.Types.Map(target.ContainingType, out _)!);
        foreach (var p in target.Parameters)
            types.Add(module.Types.Map(p.Type, out _)!);
        var returns = module.Types.Map(target.ReturnType, out _)!;
        string baseName = char.ToLowerInvariant(target.Name[0]) + target.Name.Substring(1) + "_" + string.Join("_", types.Select(t => t.Name.Replace("<", "").Replace(">", "")));
        return module.RequirePolyfill(baseName, n =>
        {
            string body = template;
            for (int i = types.Count - 1; i >= 0; i--)
                body = body.Replace("{" + i + "}", "a" + i);
            return $"// {target.ContainingType.Name}.{target.Name}: its arguments are used more than once, so they are passed in once.\n" +
                $"fn {n}({string.Join(", ", types.Select((t, i) => $"a{i}: {t.Name}"))}) -> {returns.Name} {{\n" +
                $"    return {body};\n" +
                "}\n";
        });
    }

    /// <summary>
    /// float.IsNaN, IsInfinity, IsFinite, IsNegative and the rest (and their Half forms), tested on the value's
    /// bits: WGSL lets a compiler assume there are no NaNs or infinities, so <c>x != x</c> can be folded away,
    /// while integer tests on <c>bitcast&lt;u32&gt;(x)</c> cannot. Null when <paramref name="op"/> is no such call.
    /// </summary>
    private WgslExpression? FloatClassification(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        if (!target.IsStatic || target.Parameters.Length != 1 || target.ReturnType.SpecialType != SpecialType.System_Boolean)
            return null;
        bool half = target.ContainingType.ToDisplayString() == "System.Half";
        if (!half && target.ContainingType.SpecialType != SpecialType.System_Single)
            return null;
        if (!SymbolEqualityComparer.Default.Equals(target.Parameters[0].Type, target.ContainingType))
            return null;
        // Each test on (sign-free) bits: the magnitude's bits against the infinity's.
        string? test = (target.Name, half) switch
        {
            ("IsNaN", false) => "(bits & 0x7fffffffu) > 0x7f800000u",
            ("IsInfinity", false) => "(bits & 0x7fffffffu) == 0x7f800000u",
            ("IsFinite", false) => "(bits & 0x7fffffffu) < 0x7f800000u",
            ("IsNegative", false) => "(bits >> 31u) == 1u",
            ("IsPositiveInfinity", false) => "bits == 0x7f800000u",
            ("IsNegativeInfinity", false) => "bits == 0xff800000u",
            ("IsNormal", false) => "(bits & 0x7f800000u) != 0u && (bits & 0x7f800000u) != 0x7f800000u",
            ("IsSubnormal", false) => "(bits & 0x7f800000u) == 0u && (bits & 0x7fffffu) != 0u",
            ("IsNaN", true) => "(bits & 0x7fffu) > 0x7c00u",
            ("IsInfinity", true) => "(bits & 0x7fffu) == 0x7c00u",
            ("IsFinite", true) => "(bits & 0x7fffu) < 0x7c00u",
            ("IsNegative", true) => "(bits >> 15u) == 1u",
            ("IsPositiveInfinity", true) => "bits == 0x7c00u",
            ("IsNegativeInfinity", true) => "bits == 0xfc00u",
            ("IsNormal", true) => "(bits & 0x7c00u) != 0u && (bits & 0x7c00u) != 0x7c00u",
            ("IsSubnormal", true) => "(bits & 0x7c00u) == 0u && (bits & 0x3ffu) != 0u",
            _ => null,
        };
        if (test is null)
            return null;
        var argument = op.Arguments[0].Value;
        if (MapType(argument.Type, argument.Syntax) is null)
            return WgslExpression.Error;
        var value = Value(argument);
        string t = half ? "f16" : "f32";
        string bits = half ? "bitcast<u32>(vec2<f16>(x, 0.0h)) & 0xffffu" : "bitcast<u32>(x)";
        string name = module.RequirePolyfill(char.ToLowerInvariant(target.Name[0]) + target.Name.Substring(1) + "_" + t, n =>
            $"// {(half ? "Half" : "float")}.{target.Name} on the bits: a compiler may assume that no f32 or f16 is NaN or infinite.\n" +
            $"fn {n}(x: {t}) -> bool {{\n" +
            $"    let bits: u32 = {bits};\n" +
            $"    return {test};\n" +
            "}\n");
        return WgslExpression.Primary($"{name}({value.Text})");
    }

    /// <summary>
    /// C#'s Pow for f32 or f16. WGSL's pow(x, y) is exp2(y * log2(x)), undefined for x &lt;= 0, where C#
    /// gives (-2)^3 = -8, 0^0 = 1 and 0^-1 = +inf; those cases are spelled out around the built-in.
    /// </summary>
    private string? PowFunction(WgslType? type)
    {
        if (type is null || !type.IsScalar || !type.IsFloat)
            return "pow";
        string t = type.Name;
        string s = type.Scalar == WgslScalar.F16 ? "h" : "f";
        // Every float from 2^24 (f16: 2^11) up is an even integer.
        string evenFrom = type.Scalar == WgslScalar.F16 ? "2048.0h" : "16777216.0f";
        return module.RequirePolyfill("pow_" + t, name =>
            $"// C#'s Pow: WGSL's pow() is undefined for x <= 0, C# defines 0^y and integral powers of negative x.\n" +
            $"fn {name}(x: {t}, y: {t}) -> {t} {{\n" +
            $"    if (y == 0.0{s}) {{\n" +
            $"        return 1.0{s};\n" +
            "    }\n" +
            $"    if (x == 0.0{s}) {{\n" +
            $"        return select(0.0{s}, 1.0{s} / abs(x), y < 0.0{s});\n" +
            "    }\n" +
            $"    if (x > 0.0{s} || trunc(y) != y) {{\n" +
            "        return pow(x, y);\n" +
            "    }\n" +
            "    let magnitude: " + t + " = pow(-x, y);\n" +
            $"    let odd: bool = abs(y) < {evenFrom} && (i32(abs(y)) & 1i) == 1i;\n" +
            "    return select(magnitude, -magnitude, odd);\n" +
            "}\n");
    }

    /// <summary>
    /// C#'s float % (f32 or f16) is the exact remainder (C fmod). WGSL's x % y is x - y * trunc(x / y),
    /// which is off by a whole |y| when x / y rounds to an integer (-8 % (1/3f): 0 instead of -0.3333331).
    /// The polyfill subtracts |y| scaled by powers of two, each subtraction exact, at most once per binade
    /// between x and y (the loop is bounded, so an infinite x cannot hang the GPU).
    /// </summary>
    private string RemainderFunction(WgslType type)
    {
        string t = type.Name;
        string s = type.Scalar == WgslScalar.F16 ? "h" : "f";
        // More than the number of binades of the type (f32: 277 with subnormals, f16: 40).
        string steps = type.Scalar == WgslScalar.F16 ? "48" : "300";
        return module.RequirePolyfill("rem_" + t, name =>
            $"// C#'s float %: the exact remainder with the dividend's sign (WGSL's % rounds x / y first).\n" +
            $"fn {name}(x: {t}, y: {t}) -> {t} {{\n" +
            "    let divisor: " + t + " = abs(y);\n" +
            $"    if (divisor == 0.0{s}) {{\n" +
            "        return x % y;\n" +
            "    }\n" +
            "    let bottom = frexp(divisor);\n" +
            "    var r: " + t + " = abs(x);\n" +
            $"    for (var n: i32 = 0i; n < {steps}i && r >= divisor; n++) {{\n" +
            "        // The largest divisor * 2^k not above r: r minus it is exact and below it.\n" +
            "        let top = frexp(r);\n" +
            "        r = r - ldexp(divisor, top.exp - bottom.exp - select(0i, 1i, bottom.fract > top.fract));\n" +
            "    }\n" +
            $"    return select(r, -r, x < 0.0{s});\n" +
            "}\n");
    }

    private WgslExpression Creation(IObjectCreationOperation op)
    {
        var type = MapType(op.Type, op.Syntax);
        if (type is null)
            return WgslExpression.Error;
        if (type.IsVector || type.IsScalar)
        {
            if (op.Initializer is not null)
            {
                Unsupported(op, "set the components through the constructor: new Vector4(x, y, z, w)");
                return WgslExpression.Error;
            }
            if (op.Arguments.Length == 0)
                return Zero(type);
            var args = op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => Value(a.Value).Text);
            return WgslExpression.Primary($"{type.Name}({string.Join(", ", args)})");
        }
        if (op.Constructor is { IsImplicitlyDeclared: false } constructor)
        {
            if (op.Initializer is not null)
            {
                Unsupported(op, "a constructor call with an object initializer is not supported: set the fields in the constructor, or use one of the two");
                return WgslExpression.Error;
            }
            string? name = module.RequireHelper(constructor, op.Syntax, []);
            if (name is null)
                return WgslExpression.Error;
            var args = new List<string>();
            foreach (var argument in op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
            {
                if (argument.ArgumentKind == ArgumentKind.ParamArray || argument.Parameter is { RefKind: not RefKind.None })
                {
                    Unsupported(argument, "pass plain values: params arrays and ref/out/in arguments are not supported");
                    return WgslExpression.Error;
                }
                args.Add(Value(argument.Value).Text);
            }
            return WgslExpression.Primary($"{name}({string.Join(", ", args)})");
        }
        var values = new Dictionary<IFieldSymbol, string>(SymbolEqualityComparer.Default);
        foreach (var initializer in op.Initializer?.Initializers ?? [])
        {
            if (initializer is ISimpleAssignmentOperation { Target: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field } assignment)
            {
                values[field.Field] = Value(assignment.Value).Text;
            }
            else
            {
                Unsupported(initializer, "only field assignments (A = value) are supported in struct initializers");
                return WgslExpression.Error;
            }
        }
        var fields = type.Fields.Select(f => values.TryGetValue(f.Symbol, out var v) ? v : Zero(f.Type).Text);
        return WgslExpression.Primary($"{type.Name}({string.Join(", ", fields)})");
    }
}
