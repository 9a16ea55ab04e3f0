using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// <c>static readonly</c> values (C# has no <c>const Vector3</c>): a static readonly field of a scalar, enum, vector,
/// matrix or kernel struct type (of any class in the compilation) whose initializer folds at compile time (C#
/// constants, <c>new Vector3(consts)</c>, <c>Vector3.UnitY</c>, <c>-Vector3.One</c>, <c>new S { A = consts }</c>,
/// <c>default</c>) becomes one module-scope <c>const Name: T = ...;</c>, made once per module like a lookup table.
/// The CPU backend reads the C# field itself.
/// </summary>
internal sealed partial class FunctionLowering
{
    private const string StaticConstantFix =
        "initialize it with constants (2f, new Vector3(0f, -9.8f, 0f), Vector3.UnitY, new S { A = 1f }), or pass the value as a uniform parameter";

    private IrRef? StaticReadonlyValue(IFieldReferenceOperation op, IFieldSymbol field)
    {
        if (failedTables.Contains(field))
            return null;
        var constant = module.LookupTable(field, () => BuildStaticConstant(op, field));
        if (constant is null)
        {
            failedTables.Add(field);
            return null;
        }
        return new IrRef(constant);
    }

    private (string Name, WgslType Type, IrExpr Value)? BuildStaticConstant(IFieldReferenceOperation op, IFieldSymbol field)
    {
        string display = field.ContainingType.Name + "." + field.Name;
        void Fail(string why) => module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), why);
        var source = (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(module.CancellationToken) as VariableDeclaratorSyntax)?.Initializer?.Value;
        if (source is null)
        {
            Fail($"'{display}' is a static readonly field without an initializer in this compilation, which the GPU does not see: {StaticConstantFix}");
            return null;
        }
        var type = MapType(field.Type, op.Syntax);
        if (type is null)
            return null;
        var initializer = module.GetSemanticModel(source.SyntaxTree).GetOperation(source, module.CancellationToken);
        if (initializer is null || !IsFoldableConstant(initializer))
        {
            Fail($"the initializer of '{display}' ({Snippet(source)}) is not made of constants, so it has no value when the WGSL module is built: {StaticConstantFix}");
            return null;
        }
        var value = Value(initializer);
        if (value is null)
            return null;
        if (!IsConstantIr(value))
        {
            Fail($"the initializer of '{display}' ({Snippet(source)}) has no constant WGSL form (NaN and infinities come from their bits at run time): {StaticConstantFix}");
            return null;
        }
        return (WgslNames.Escape(field.Name), type, value);
    }

    /// <summary>Whether <paramref name="op"/> is built of constants alone: its WGSL form is then a const-expression.</summary>
    private bool IsFoldableConstant(IOperation op) => op switch
    {
        _ when op.ConstantValue.HasValue => true,
        IConversionOperation { Conversion.IsImplicit: true } conversion => IsFoldableConstant(conversion.Operand),
        IParenthesizedOperation parenthesized => IsFoldableConstant(parenthesized.Operand),
        IDefaultValueOperation => true,
        IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus } unary
            when module.Known.VectorSize(unary.Operand.Type) > 0 => IsFoldableConstant(unary.Operand),
        IPropertyReferenceOperation { Instance: null, Property: { Name: "Zero" or "One" or "UnitX" or "UnitY" or "UnitZ" or "UnitW" } property }
            => module.Known.VectorSize(property.ContainingType) > 0,
        IObjectCreationOperation creation
            => (module.Known.VectorSize(creation.Type) > 0 || creation.Constructor is null or { IsImplicitlyDeclared: true })
               && creation.Arguments.All(a => IsFoldableConstant(a.Value))
               && (creation.Initializer?.Initializers ?? []).All(i => i is ISimpleAssignmentOperation { Value: var v } && IsFoldableConstant(v)),
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="op"/> is a static readonly field or a field of one (<c>Rubber.Steps</c>): a WGSL
    /// const-expression, which WGSL checks at shader creation (a shift count of 32 or more is an error there).
    /// </summary>
    private static bool IsStaticReadonlyPath(IFieldReferenceOperation op)
    {
        IOperation? current = op;
        while (current is IFieldReferenceOperation { Field: var field } reference)
        {
            if (field.IsStatic)
                return field.IsReadOnly;
            current = reference.Instance;
        }
        return false;
    }
}
