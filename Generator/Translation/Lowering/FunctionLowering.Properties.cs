using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

    /// <summary>Whether assigning <paramref name="target"/> calls a setter with a body (a property or indexer of a kernel struct, or a static property).</summary>
    private static bool IsSetterCall(IOperation target)
        => target is IPropertyReferenceOperation { Property.SetMethod: { DeclaringSyntaxReferences.Length: > 0 } setter } property
            && AutoPropertyField(property) is null
            && (setter.IsStatic || IsStructMember(setter))
            && setter.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is AccessorDeclarationSyntax { Body: not null } or AccessorDeclarationSyntax { ExpressionBody: not null });

    /// <summary>
    /// <c>p.Level = v;</c> (or <c>p[i] = v;</c>) on its own line, the setter having a body: a call of the setter, the
    /// struct by pointer when it writes it (a buffer element through a temporary written back after the call), the
    /// indexer's arguments, then the value, as C# evaluates them.
    /// </summary>
    private IrCallStatement? SetterStatement(ISimpleAssignmentOperation assignment, IPropertyReferenceOperation target)
    {
        var setter = target.Property.SetMethod!;
        var helper = module.RequireHelper(setter, target.Syntax, []);
        if (helper is null)
            return null;
        var slots = new List<CallSlot>();
        if (!setter.IsStatic && target.Instance is not null)
            slots.Add(new CallSlot(target.Instance, ChangesItsStruct(helper), false, null, -1));
        foreach (var argument in target.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
            slots.Add(new CallSlot(argument.Value, false, false, null, argument.Parameter?.Ordinal ?? -1));
        slots.Add(new CallSlot(assignment.Value, false, false, null, setter.Parameters.Length - 1));
        var call = Call(assignment, helper, slots);
        return call is IrCall c ? new IrCallStatement(c) : null;
    }
}
