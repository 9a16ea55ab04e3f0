using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using KernelGen.Generator.Translation.Printing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Generic math over a type parameter lowered for a type argument (see <see cref="WgslTypeMap.Substitute"/>):
/// <c>T.Zero</c>, <c>T.One</c>, <c>T.MaxValue</c>, static abstract interface methods (<c>T.Max(a, b)</c>,
/// <c>T.Sqrt(x)</c>) lowered as the argument type's own implementation (<c>float.Max</c>), and the
/// conversions <c>T.CreateTruncating</c>, <c>CreateSaturating</c>, <c>CreateChecked</c> (also on concrete types).
/// Operators (<c>a + b</c> through <c>INumber&lt;T&gt;</c>) need nothing here: they are WGSL's operators on the argument type.
/// </summary>
internal sealed partial class FunctionLowering
{
    /// <summary>
    /// The method a call really runs: for a static abstract member of a generic math interface over a
    /// substituted type parameter, the type argument's implementation (<c>INumber&lt;T&gt;.Max</c> with T = float:
    /// <c>float.Max</c>); otherwise <paramref name="target"/> itself.
    /// </summary>
    private IMethodSymbol ImplementationOf(IMethodSymbol target)
    {
        if (!target.IsStatic || target.ContainingType is not { TypeKind: TypeKind.Interface, IsGenericType: true } contract)
            return target;
        var resolved = (INamedTypeSymbol)module.Types.Resolve(contract);
        if (SymbolEqualityComparer.Default.Equals(resolved, contract))
            return target;
        var self = resolved.TypeArguments[0];
        var member = resolved.GetMembers(target.Name).OfType<IMethodSymbol>()
            .FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, target.OriginalDefinition));
        if (member is null || self.FindImplementationForInterfaceMember(member) is not IMethodSymbol implementation)
            return target;
        return implementation;
    }

    /// <summary>The simple name of a method that may be an explicit interface implementation (<c>INumberBase&lt;uint&gt;.Abs</c>: <c>Abs</c>).</summary>
    private static string SimpleName(IMethodSymbol method)
        => method.ExplicitInterfaceImplementations.Length > 0 ? method.ExplicitInterfaceImplementations[0].Name : method.Name;

    /// <summary>Whether <paramref name="op"/> is a static property of a generic math interface (<c>T.Zero</c>, <c>T.MaxValue</c>, <c>T.Pi</c>).</summary>
    private bool IsGenericMathProperty(IPropertyReferenceOperation op)
        => op.Property.IsStatic && op.Property.ContainingType is { TypeKind: TypeKind.Interface, IsGenericType: true } contract
            && module.Known.IsGenericMathInterface(contract)
            && module.Types.Resolve(contract.TypeArguments[0]) is not ITypeParameterSymbol;

    /// <summary>A static property of a generic math interface (see <see cref="IsGenericMathProperty"/>).</summary>
    private IrExpr? GenericMathProperty(IPropertyReferenceOperation op)
    {
        var property = op.Property;
        var self = module.Types.Resolve(property.ContainingType.TypeArguments[0]);
        var type = MapType(self, op.Syntax);
        if (type is null)
            return null;
        switch (property.Name)
        {
            case "Zero" or "AdditiveIdentity":
                return Zero(type);
            case "One" or "MultiplicativeIdentity":
                return One(type);
            case "NegativeOne" when type.Scalar != WgslScalar.U32:
                return type.Scalar switch
                {
                    WgslScalar.I32 => IrLiteral.I32(-1),
                    WgslScalar.F16 => IrLiteral.F16(0xbc00),
                    _ => IrLiteral.F32(-1f),
                };
        }
        if (module.Known.IsHalf(self) && HalfConstantBits(property.Name) is { } bits)
            return HalfConstant(bits);
        if (self.GetMembers(property.Name).OfType<IFieldSymbol>().FirstOrDefault(f => f.IsConst) is { } constant)
            return Constant(new Optional<object?>(constant.ConstantValue), self, op.Syntax);
        module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax),
            $"'{property.Name}' has no WGSL translation for {self.ToDisplayString()}: use Zero, One, NegativeOne, MinValue, MaxValue or the type's constants");
        return null;
    }

    /// <summary>Whether <paramref name="op"/> is <c>CreateTruncating</c>, <c>CreateSaturating</c> or <c>CreateChecked</c>.</summary>
    private bool IsCreateNumber(IInvocationOperation op)
        => op.TargetMethod is { IsStatic: true, IsGenericMethod: true, Parameters.Length: 1, Name: "CreateTruncating" or "CreateSaturating" or "CreateChecked" } target
            && (module.Known.IsGenericMathInterface(target.ContainingType) || module.Known.IntrinsicKey(target.ContainingType) is "int" or "uint" or "float" or "System.Half");

    /// <summary>
    /// <c>T.CreateTruncating(x)</c>, <c>CreateSaturating</c>, <c>CreateChecked</c> (on a type parameter or a concrete
    /// type). Truncating is C#'s cast (integers wrap, floats saturate as (int)f does); saturating clamps int and
    /// uint into each other's range; checked conversions cannot throw on the GPU, so only a constant that fits is accepted.
    /// </summary>
    private IrExpr? CreateNumber(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        var containing = target.ContainingType;
        ITypeSymbol self = containing.TypeKind == TypeKind.Interface && containing.IsGenericType ? module.Types.Resolve(containing.TypeArguments[0]) : containing;
        var argument = op.Arguments[0].Value;
        var to = MapType(self, op.Syntax);
        var from = MapType(module.Types.Resolve(argument.Type!), argument.Syntax);
        if (to is null || from is null)
            return null;
        if (!to.IsNumericScalar || !from.IsNumericScalar)
        {
            Unsupported(op, $"{target.Name} converts between int, uint, float and Half only");
            return null;
        }
        var constant = argument.ConstantValue;
        if (target.Name == "CreateChecked"
            && (!constant.HasValue || constant.Value is null or bool || !Fits(System.Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture), to)))
        {
            Unsupported(op, "CreateChecked throws on overflow, which GPU code cannot: use CreateTruncating (as a cast: integers wrap) or CreateSaturating (clamps to the type's range)");
            return null;
        }
        if (to.Scalar == WgslScalar.F16 && from.Scalar != WgslScalar.F16 && constant is { HasValue: true, Value: not null and not bool })
            return HalfConstant(HalfBits.FromSingle(System.Convert.ToSingle(constant.Value, System.Globalization.CultureInfo.InvariantCulture)));
        var value = Value(argument);
        if (value is null)
            return null;
        if (target.Name == "CreateSaturating")
        {
            if (from.Scalar == WgslScalar.I32 && to.Scalar == WgslScalar.U32)
                return new IrConvert(WgslType.U32, new IrBuiltinCall("max", [value, IrLiteral.I32(0)], WgslType.I32));
            if (from.Scalar == WgslScalar.U32 && to.Scalar == WgslScalar.I32)
                return new IrConvert(WgslType.I32, new IrBuiltinCall("min", [value, IrLiteral.U32(int.MaxValue)], WgslType.U32));
        }
        return Convert(value, from, to);
    }

    /// <summary>Whether a constant converts to <paramref name="type"/> without overflow (C#'s checked conversion truncates first).</summary>
    private static bool Fits(double value, WgslType type) => type.Scalar switch
    {
        WgslScalar.I32 => System.Math.Truncate(value) is >= int.MinValue and <= int.MaxValue,
        WgslScalar.U32 => System.Math.Truncate(value) is >= 0 and <= uint.MaxValue,
        _ => true,
    };
}
