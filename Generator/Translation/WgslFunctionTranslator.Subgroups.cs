using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// KernelGen.Subgroup's operations: WGSL's <c>subgroup*</c> built-ins (<c>enable subgroups;</c>). A read of another
/// lane (Broadcast, Shuffle, ShuffleXor/Up/Down) goes through a function that keeps the invocation's own value where
/// the source lane is not active, as the CPU backend does: WGSL leaves that read unspecified.
/// </summary>
internal sealed partial class WgslFunctionTranslator
{
    private static readonly HashSet<string> subgroupValueOperations = new(System.StringComparer.Ordinal)
    {
        "Add", "Mul", "Min", "Max", "And", "Or", "Xor",
        "InclusiveAdd", "ExclusiveAdd", "InclusiveMul", "ExclusiveMul", "BroadcastFirst", "All", "Any",
    };

    /// <summary>The WGSL of a Subgroup operation; null when <paramref name="op"/> calls something else.</summary>
    private WgslExpression? SubgroupCall(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        if (!WgslKernelTranslator.IsSubgroupOperation(target))
            return null;
        module.UsesSubgroups = true;
        var arguments = op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
        string name = target.Name;
        if (subgroupValueOperations.Contains(name) && arguments.Count == 1)
            return WgslExpression.Primary($"subgroup{name}({Value(arguments[0]).Text})");
        switch (name)
        {
            case "Elect" when arguments.Count == 0:
                return WgslExpression.Primary("subgroupElect()");
            case "Ballot" when arguments.Count is 1 or 2:
            {
                int word = 0;
                if (arguments.Count == 2)
                {
                    if (arguments[1].ConstantValue is not { HasValue: true, Value: int w } || w < 0 || w > 3)
                    {
                        module.Report(DiagnosticDescriptors.SubgroupBallotWord, arguments[1].Syntax, Snippet(arguments[1].Syntax));
                        return WgslExpression.Error;
                    }
                    word = w;
                }
                return WgslExpression.Primary($"subgroupBallot({Value(arguments[0]).Text}).{"xyzw"[word]}");
            }
            case "Broadcast" or "Shuffle" or "ShuffleXor" or "ShuffleUp" or "ShuffleDown" when arguments.Count == 2:
            {
                var type = MapType(arguments[0].Type, arguments[0].Syntax);
                if (type is null)
                    return WgslExpression.Error;
                if (name == "Broadcast" && arguments[1].ConstantValue is { HasValue: true, Value: int lane } && lane >= 0 && lane < 128)
                    return WgslExpression.Primary($"{SubgroupBroadcastFunction(type, lane)}({Value(arguments[0]).Text})");
                string value = Value(arguments[0]).Text;
                string operand = Value(arguments[1]).Text;
                return WgslExpression.Primary($"{SubgroupReadFunction(name == "Broadcast" ? "Shuffle" : name, type)}({value}, {operand})");
            }
        }
        module.Report(DiagnosticDescriptors.UnmappedMethod, op.Syntax, "Subgroup." + name, "this overload has no WGSL translation");
        return WgslExpression.Error;
    }

    private string SubgroupLaneActiveFunction()
    {
        var (_, active) = module.RequireSubgroupState();
        return module.RequirePolyfill("subgroup_lane_active", n =>
            "// Whether lane `lane` of the invocation's subgroup is active (its bit in the ballot the entry point took first).\n" +
            $"fn {n}(lane: u32) -> bool {{\n" +
            $"    return lane < 128u && (({active}[lane / 32u] >> (lane % 32u)) & 1u) == 1u;\n" +
            "}\n");
    }

    /// <summary>Subgroup.Broadcast with a constant lane: <c>subgroupBroadcast</c>, whose lane must be a constant, guarded.</summary>
    private string SubgroupBroadcastFunction(WgslType type, int lane)
    {
        string active = SubgroupLaneActiveFunction();
        return module.RequirePolyfill($"subgroup_broadcast_{lane}_{TypeSuffix(type)}", n =>
            $"// Subgroup.Broadcast(value, {lane}): the value itself where lane {lane} is not active (WGSL leaves that read unspecified).\n" +
            $"fn {n}(value: {type.Name}) -> {type.Name} {{\n" +
            $"    return select(value, subgroupBroadcast(value, {lane}u), {active}({lane}u));\n" +
            "}\n");
    }

    /// <summary>Subgroup.Shuffle, ShuffleXor, ShuffleUp, ShuffleDown: the WGSL read, kept only where its source lane is active.</summary>
    private string SubgroupReadFunction(string operation, WgslType type)
    {
        string active = SubgroupLaneActiveFunction();
        var (lane, _) = module.RequireSubgroupState();
        var (builtin, parameter, source) = operation switch
        {
            "Shuffle" => ("subgroupShuffle", "lane", "s"),
            "ShuffleXor" => ("subgroupShuffleXor", "mask", $"{lane} ^ s"),
            "ShuffleUp" => ("subgroupShuffleUp", "delta", $"{lane} - s"),
            _ => ("subgroupShuffleDown", "delta", $"{lane} + s"),
        };
        string guard = operation == "Shuffle" ? $"{active}(s)" : $"s < 128u && {active}({source})";
        string suffix = operation switch { "Shuffle" => "shuffle", "ShuffleXor" => "shuffle_xor", "ShuffleUp" => "shuffle_up", _ => "shuffle_down" };
        return module.RequirePolyfill($"subgroup_{suffix}_{TypeSuffix(type)}", n =>
            $"// Subgroup.{operation}: the value itself where the source lane is not active (WGSL leaves that read unspecified).\n" +
            $"fn {n}(value: {type.Name}, {parameter}: i32) -> {type.Name} {{\n" +
            $"    let s = u32({parameter});\n" +
            $"    return select(value, {builtin}(value, s), {guard});\n" +
            "}\n");
    }

    private static string TypeSuffix(WgslType type) => type.Name.Replace("<", "").Replace(">", "");

    /// <summary>
    /// The entry point's text with the subgroup state filled first (when a guarded lane read uses it): the lane from
    /// <c>subgroup_invocation_id</c>, the active lanes from a ballot taken while every invocation is still running.
    /// </summary>
    private string SubgroupPrologue(string text, string header, List<string> builtins)
    {
        if (module.SubgroupState is not { } state)
            return text;
        string? laneName = kernelParameters.Values.FirstOrDefault(p => p.Kind == ParameterKind.SubgroupId)?.LaneName;
        var all = new List<string>(builtins);
        if (laneName is null)
        {
            laneName = "kg_subgroup_lane";
            all.Add($"@builtin(subgroup_invocation_id) {laneName}: u32");
        }
        int at = text.IndexOf(header + "\n", System.StringComparison.Ordinal);
        if (at < 0)
            return text;
        string replacement = $"{header.Substring(0, header.IndexOf('('))}({string.Join(", ", all)}) {{\n" +
            $"    {state.Lane} = {laneName};\n" +
            $"    {state.Active} = subgroupBallot(true);\n";
        return text.Substring(0, at) + replacement + text.Substring(at + header.Length + 1);
    }
}
