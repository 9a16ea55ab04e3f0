using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;

namespace KernelGen.Generator.Translation.Passes;

/// <summary>
/// Finds the optional WebGPU features a module uses and adds their <c>enable</c> directives: today
/// <c>shader-f16</c> (<c>enable f16;</c>) wherever an f16 value, variable or field appears.
/// </summary>
internal static class FeatureUse
{
    /// <summary>The WebGPU feature name of f16 in shaders.</summary>
    public const string ShaderF16 = "shader-f16";

    /// <summary>Sets the module's enables; returns the WebGPU features it requires (sorted).</summary>
    public static List<string> Run(IrModule module)
    {
        var features = new SortedSet<string>(System.StringComparer.Ordinal);
        if (UsesF16(module))
        {
            features.Add(ShaderF16);
            if (!module.Enables.Contains("f16"))
                module.Enables.Add("f16");
        }
        return features.ToList();
    }

    private static bool UsesF16(IrModule module)
    {
        if (module.Structs.Any(s => s.Fields.Any(f => IsF16(f.Type))) || module.UniformMembers.Any(u => IsF16(u.Type)) || module.Globals.Any(g => IsF16(g.Variable.Type)))
            return true;
        foreach (var function in module.Functions.Concat(module.EntryPoint is null ? [] : [module.EntryPoint]))
        {
            if (IsF16(function.ReturnType) || function.Parameters.Any(p => IsF16(p.Type)) || Block(function.Body))
                return true;
        }
        return false;
    }

    private static bool IsF16(WgslType? type) => type is { Scalar: WgslScalar.F16 };

    private static bool Block(IrBlock? block) => block is not null && block.Statements.Any(Statement);

    private static bool Statement(IrStmt statement) => statement switch
    {
        IrBlock b => Block(b),
        IrDeclare d => IsF16(d.Variable.Type) || Expression(d.Initializer),
        IrAssign a => Expression(a.Target) || Expression(a.Value),
        IrIncrement i => Expression(i.Target),
        IrCallStatement c => Expression(c.Call),
        IrReturn r => Expression(r.Value),
        IrIf i => Expression(i.Condition) || Block(i.Then) || Block(i.Else),
        IrFor f => (f.Initializer is not null && Statement(f.Initializer)) || Expression(f.Condition) || (f.Update is not null && Statement(f.Update)) || Block(f.Body),
        IrWhile w => Expression(w.Condition) || Block(w.Body),
        IrLoop l => Block(l.Body) || Block(l.Continuing) || Expression(l.BreakIf),
        IrSwitch s => Expression(s.Selector) || s.Cases.Any(c => Block(c.Body)),
        _ => false,
    };

    private static bool Expression(IrExpr? e) => e is not null && (IsF16(e.Type) || e.Children.Any(Expression));
}
