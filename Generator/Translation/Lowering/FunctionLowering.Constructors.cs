using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

internal sealed partial class FunctionLowering
{
    private static readonly string[] VectorComponents = ["X", "Y", "Z", "W"];

    /// <summary>
    /// <c>s with { A = a, B = b }</c> on a struct or vector: one constructor, the fields it does not set read
    /// from the value. C# evaluates the value first, then the assignments in order: the constructor's
    /// evaluation order says so, and the evaluation-order pass binds what WGSL's argument order would change.
    /// </summary>
    private IrConstruct? With(IWithOperation op)
    {
        var type = MapType(op.Type, op.Syntax);
        var operand = Value(op.Operand);
        if (type is null || operand is null)
            return null;
        if (!type.IsStruct && !type.IsVector)
        {
            Unsupported(op, "'with' copies structs and vectors");
            return null;
        }
        var components = type.IsVector
            ? VectorComponents.Take(type.VectorSize).ToList()
            : type.Fields.Select(f => f.Symbol.Name).ToList();
        var values = new Dictionary<int, IrExpr>();
        var assigned = new List<int>();
        bool failed = false;
        foreach (var initializer in op.Initializer.Initializers)
        {
            if (initializer is not ISimpleAssignmentOperation { Target: var target } assignment
                || !IsFieldAccess(target, out var field, out var receiver) || receiver is not IInstanceReferenceOperation || field.IsStatic)
            {
                Unsupported(initializer, "only field and auto-property assignments (A = value) are supported in 'with'");
                return null;
            }
            int slot = type.IsVector
                ? components.IndexOf(field.Name)
                : type.FieldIndex(field);
            if (slot < 0)
            {
                module.Report(DiagnosticDescriptors.UnsupportedMember, target.Syntax, Snippet(target.Syntax), "this field has no WGSL translation");
                return null;
            }
            if (Value(assignment.Value) is { } value)
            {
                values[slot] = value;
                assigned.Remove(slot);
                assigned.Add(slot);
            }
            else
            {
                failed = true;
            }
        }
        if (failed)
            return null;
        var arguments = new List<IrExpr>();
        for (int i = 0; i < components.Count; i++)
        {
            if (values.TryGetValue(i, out var value))
                arguments.Add(value);
            else if (type.IsVector)
                arguments.Add(new IrSwizzle(operand, components[i].ToLowerInvariant(), WgslType.F32));
            else
                arguments.Add(new IrMember(operand, type.Fields[i].Name, type.Fields[i].Type));
        }
        if (values.Count == components.Count && !IsStable(operand) && new Passes.Effects().Of(operand).IsImpure)
        {
            Unsupported(op, "every field is set, so the value would only run for its effects: call it as a statement first");
            return null;
        }
        // The copied fields (which read the value) first, then the assignments in C#'s order.
        var order = Enumerable.Range(0, components.Count).Where(i => !values.ContainsKey(i)).Concat(assigned).ToList();
        return new IrConstruct(type, arguments, order);
    }

    /// <summary>The <c>: this(...)</c> call of the constructor being lowered, if any.</summary>
    private IOperation? chainedConstructor;

    /// <summary>
    /// What a constructor does before its body, as C# does: the chained constructor's result (<c>: this(...)</c>),
    /// or else the field initializers in declaration order.
    /// </summary>
    private void ConstructorStart()
    {
        var chained = chainedConstructor;
        while (chained is IExpressionStatementOperation statement)
            chained = statement.Operation;
        if (chained is IInvocationOperation { TargetMethod: { MethodKind: MethodKind.Constructor } target } invocation)
        {
            if (target.IsImplicitlyDeclared)
                return; // : this() on a struct: all zero, as the declared this_ already is
            var helper = module.RequireHelper(target, invocation.Syntax, []);
            var arguments = Values(invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value));
            if (helper is not null && arguments is not null)
                Emit(new IrAssign(new IrRef(thisVariable!), new IrCall(helper, arguments, function.ReturnType)));
            return;
        }
        if (chained is not null)
        {
            Unsupported(chained, "a struct constructor can chain to another of its constructors only (': this(...)')");
            return;
        }
        FieldInitializers();
    }

    /// <summary>
    /// The field and auto-property initializers of the constructor's struct, in declaration order, into <c>this_</c>'s
    /// fields; a record struct's primary constructor first sets its positional members from its parameters.
    /// </summary>
    private void FieldInitializers()
    {
        var type = function.ReturnType!;
        void Set(IFieldSymbol field, IrExpr value)
        {
            var slot = type.Fields.FirstOrDefault(f => SymbolEqualityComparer.Default.Equals(f.Symbol, field));
            if (slot is not null)
                Emit(new IrAssign(new IrMember(new IrRef(thisVariable!), slot.Name, slot.Type), value));
        }
        if (method.ContainingType.IsRecord)
        {
            foreach (var parameter in method.Parameters)
            {
                var parameterSyntax = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(module.CancellationToken);
                var positional = method.ContainingType.GetMembers(parameter.Name).OfType<IPropertySymbol>()
                    .FirstOrDefault(p => p.DeclaringSyntaxReferences.Any(r => r.GetSyntax(module.CancellationToken) == parameterSyntax));
                if (positional is not null && WgslTypeMap.BackingField(positional) is { } backing && variables.TryGetValue(parameter, out var variable))
                    Set(backing, new IrRef(variable));
            }
        }
        foreach (var member in method.ContainingType.GetMembers())
        {
            if (member.IsStatic)
                continue;
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var equals = reference.GetSyntax(module.CancellationToken) switch
                {
                    Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer: { } e } when member is IFieldSymbol { IsConst: false } => e,
                    Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer: { } e } when member is IPropertySymbol => e,
                    _ => null,
                };
                if (equals is null)
                    continue;
                var fieldModel = equals.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(equals.SyntaxTree);
                IOperation? initializer = fieldModel.GetOperation(equals, module.CancellationToken);
                var field = member as IFieldSymbol ?? WgslTypeMap.BackingField((IPropertySymbol)member);
                var value = initializer switch
                {
                    IFieldInitializerOperation f => f.Value,
                    IPropertyInitializerOperation p => p.Value,
                    _ => null,
                };
                if (field is null || value is null)
                    continue;
                if (Value(value) is { } lowered)
                    Set(field, lowered);
            }
        }
    }
}
