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

    /// <summary>The WebGPU feature name of the subgroup built-ins and built-in values.</summary>
    public const string Subgroups = "subgroups";

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
        if (UsesSubgroups(module))
        {
            features.Add(Subgroups);
            if (!module.Enables.Contains("subgroups"))
                module.Enables.Add("subgroups");
        }
        return features.ToList();
    }

    // A subgroup built-in value, a subgroup built-in function (the polyfills that read other lanes call them too).
    private static bool UsesSubgroups(IrModule module)
        => module.EntryPoint is { } entry && entry.BuiltinParameters.Any(b => b.Builtin.StartsWith("subgroup_", System.StringComparison.Ordinal))
            || module.Polyfills.Any(p => p.Text.Contains("subgroup"))
            || module.Functions.Concat(module.EntryPoint is null ? [] : [module.EntryPoint]).Any(f => Block(f.Body, IsSubgroupBuiltin));

    private static bool IsSubgroupBuiltin(IrExpr e) => e is IrBuiltinCall call && call.Name.StartsWith("subgroup", System.StringComparison.Ordinal);

    private static bool UsesF16(IrModule module)
    {
        if (module.Structs.Any(s => s.Fields.Any(f => IsF16(f.Type))) || module.UniformMembers.Any(u => IsF16(u.Type)) || module.Globals.Any(g => IsF16(g.Variable.Type)))
            return true;
        foreach (var function in module.Functions.Concat(module.EntryPoint is null ? [] : [module.EntryPoint]))
        {
            if (IsF16(function.ReturnType) || function.Parameters.Any(p => IsF16(p.Type)) || Block(function.Body, e => IsF16(e.Type)))
                return true;
        }
        return false;
    }

    private static bool IsF16(WgslType? type) => type is { Scalar: WgslScalar.F16 };

    private static bool Block(IrBlock? block, System.Func<IrExpr, bool> found) => IrWalker.Any(block, found);
}
