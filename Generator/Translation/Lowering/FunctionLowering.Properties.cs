using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

internal sealed partial class FunctionLowering
{
    /// <summary>
    /// The backing field that a reference to an auto-property of a kernel struct reads and writes (<c>p.X</c> of
    /// <c>public float X { get; set; }</c>, a record struct's positional <c>X</c>), or null: C# lays the backing field
    /// out as a field, so the property is the WGSL struct's field of that name.
    /// </summary>
    private static IFieldSymbol? AutoPropertyField(IOperation? op)
        => op is IPropertyReferenceOperation { Instance: not null, Property: { IsStatic: false, IsIndexer: false } property }
            && property.ContainingType is { TypeKind: TypeKind.Struct, DeclaringSyntaxReferences.Length: > 0 }
            && WgslTypeMap.IsAutoProperty(property)
                ? WgslTypeMap.BackingField(property)
                : null;

    /// <summary>
    /// A field reference, or an auto-property reference standing for its backing field: the field and its instance.
    /// </summary>
    private static bool IsFieldAccess(IOperation? op, out IFieldSymbol field, out IOperation? instance)
    {
        switch (op)
        {
            case IFieldReferenceOperation reference:
                (field, instance) = (reference.Field, reference.Instance);
                return true;
            case IPropertyReferenceOperation reference when AutoPropertyField(reference) is { } backing:
                (field, instance) = (backing, reference.Instance);
                return true;
            default:
                (field, instance) = (null!, null);
                return false;
        }
    }

    /// <summary>An auto-property read: its instance's backing field.</summary>
    private IrExpr? AutoPropertyValue(IPropertyReferenceOperation op, IFieldSymbol backing)
    {
        var instanceType = MapType(op.Instance!.Type, op.Instance.Syntax);
        if (instanceType is null)
            return null;
        var instance = Value(op.Instance);
        var member = Member(instance, backing, instanceType);
        if (member is null && instance is not null)
        {
            module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), "this property has no WGSL translation");
            return null;
        }
        return member;
    }
}
