using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

internal sealed partial class FunctionLowering
{
    /// <summary>Whether a method is one C# synthesizes for a record struct (==, !=, Equals, GetHashCode, ToString, Deconstruct...).</summary>
    private static bool IsSynthesizedRecordMember(IMethodSymbol? method)
        => method is { IsImplicitlyDeclared: true, ContainingType: { IsRecord: true, IsValueType: true } };

    /// <summary>
    /// The positional members of a record struct that its synthesized <c>Deconstruct</c> of <paramref name="arity"/>
    /// parameters gives, in order; null when the type is no record struct or has no such synthesized method.
    /// </summary>
    private static List<IPropertySymbol>? RecordPositionals(ITypeSymbol? type, int arity)
    {
        if (type is not INamedTypeSymbol { IsRecord: true, IsValueType: true } record)
            return null;
        var deconstruct = record.GetMembers("Deconstruct").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == arity);
        if (deconstruct is not { IsImplicitlyDeclared: true })
            return null;
        var result = new List<IPropertySymbol>();
        foreach (var parameter in deconstruct.Parameters)
        {
            if (record.GetMembers(parameter.Name).OfType<IPropertySymbol>().FirstOrDefault() is not { } property)
                return null;
            result.Add(property);
        }
        return result;
    }

    /// <summary>
    /// <c>a == b</c>, <c>a != b</c>, <c>a.Equals(b)</c> of a record struct: C#'s synthesized member-wise equality, each
    /// field (backing fields of its properties too) compared as <c>EqualityComparer&lt;T&gt;.Default</c> does:
    /// <c>float</c> fields and vector components by <c>float.Equals</c> (NaN equals NaN, 0 equals -0), nested records and
    /// plain structs member-wise, the rest with <c>==</c>. A generated <c>fn R_equals(a: R, b: R) -> bool</c> takes both
    /// operands once, left before right.
    /// </summary>
    private IrExpr? RecordEquality(IOperation at, IOperation left, IOperation right, bool negate)
    {
        var type = MapType(left.Type, left.Syntax);
        if (type is null || MapType(right.Type, right.Syntax) is null)
            return null;
        var record = (INamedTypeSymbol)left.Type!;
        if (record.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => !m.IsImplicitlyDeclared && m.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, record)))
        {
            module.Report(DiagnosticDescriptors.UnmappedMethod, at.Syntax, record.Name + ".Equals",
                "the record struct declares its own Equals, which its == calls: call that method (a.Equals(b)) by another name, e.g. a static helper, or compare the members");
            return null;
        }
        var text = EqualityText(type, "a", "b", out string? why);
        if (text is null)
        {
            module.Report(DiagnosticDescriptors.RecordEqualityNotTranslated, at.Syntax, Snippet(at.Syntax), why!);
            return null;
        }
        var a = Value(left);
        var b = Value(right);
        if (a is null || b is null)
            return null;
        var function = module.RequirePolyfill(type.Name + "_equals", name =>
            $"// C#'s == on the record struct {record.Name}: member by member, floats by float.Equals (NaN equals NaN, 0 equals -0).\n" +
            $"fn {name}(a: {type.Name}, b: {type.Name}) -> bool {{\n    return {text};\n}}\n");
        IrExpr call = new IrCall(function, [a, b], WgslType.Bool);
        return negate ? Not(call) : call;
    }

    /// <summary>The WGSL text of <c>EqualityComparer&lt;T&gt;.Default.Equals(a, b)</c> for a value of <paramref name="type"/>; null (why) when it has none.</summary>
    private string? EqualityText(WgslType type, string a, string b, out string? why)
    {
        why = null;
        if (type.IsMatrix)
        {
            why = "a Matrix4x4 or Matrix3x2 member has no translated Equals: compare the members you need";
            return null;
        }
        if (type.Is64)
            return $"all({a} == {b})";
        if (type.IsStruct)
        {
            if (type.Symbol is INamedTypeSymbol { IsTupleType: false } plain && DeclaresEquality(plain))
            {
                why = $"its member of type '{plain.Name}' declares its own Equals or IEquatable, which C#'s comparison calls: compare the members";
                return null;
            }
            var parts = new List<string>();
            foreach (var field in type.Fields)
            {
                var part = EqualityText(field.Type, a + "." + field.Name, b + "." + field.Name, out why);
                if (part is null)
                    return null;
                parts.Add(type.Fields.Count > 1 && part.Contains("||") ? "(" + part + ")" : part);
            }
            return string.Join(" && ", parts);
        }
        if (type.Scalar == WgslScalar.F16)
        {
            why = "a Half member is not compared (Half.Equals treats NaN as equal to NaN): compare the members you need";
            return null;
        }
        if (type.Scalar == WgslScalar.F32)
        {
            var equals = module.RequirePolyfill("f32_equals", Polyfills.F32Equals);
            return type.IsVector
                ? string.Join(" && ", VectorComponents.Take(type.VectorSize).Select(c => $"{equals.Name}({a}.{c.ToLowerInvariant()}, {b}.{c.ToLowerInvariant()})"))
                : $"{equals.Name}({a}, {b})";
        }
        return type.IsVector ? $"all({a} == {b})" : $"{a} == {b}";
    }

    /// <summary>Whether a struct declares an Equals or IEquatable that EqualityComparer would call instead of ValueType's member-wise one.</summary>
    private static bool DeclaresEquality(INamedTypeSymbol type)
        => type.GetMembers("Equals").OfType<IMethodSymbol>().Any(m => !m.IsImplicitlyDeclared && m.Parameters.Length == 1)
            || (!type.IsRecord && type.AllInterfaces.Any(i => i.Name == "IEquatable"));

    /// <summary>A call of a synthesized record member: <c>Equals(R)</c> as ==, the rest (ToString, GetHashCode, Equals(object), PrintMembers) refused.</summary>
    private IrExpr? RecordMemberCall(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        if (target.Name == "Equals" && op.Instance is not null && op.Arguments.Length == 1
            && SymbolEqualityComparer.Default.Equals(target.Parameters[0].Type, target.ContainingType))
            return RecordEquality(op, op.Instance, op.Arguments[0].Value, negate: false);
        module.Report(DiagnosticDescriptors.UnmappedMethod, op.Syntax, target.ContainingType.Name + "." + target.Name,
            "it is a record struct member that works on strings, hashes or boxed objects, which the GPU does not have: compare records with == or !=, and read their members");
        return null;
    }
}
