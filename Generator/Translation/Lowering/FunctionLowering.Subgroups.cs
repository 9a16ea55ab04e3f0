using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// KernelGen.Subgroup's operations: WGSL's <c>subgroup*</c> built-ins (the feature pass adds <c>enable subgroups;</c>).
/// A read of another lane (Broadcast, Shuffle, ShuffleXor/Up/Down) goes through a function that keeps the invocation's
/// own value where the source lane is not active, as the CPU backend does: WGSL leaves that read unspecified.
/// </summary>
internal sealed partial class FunctionLowering
{
    private static readonly HashSet<string> subgroupValueOperations = new(System.StringComparer.Ordinal)
    {
        "Add", "Mul", "Min", "Max", "And", "Or", "Xor",
        "InclusiveAdd", "ExclusiveAdd", "InclusiveMul", "ExclusiveMul", "BroadcastFirst", "All", "Any",
    };

    /// <summary>A subgroup built-in: no memory access, but never moved, merged or dropped (it is convergent).</summary>
    private static IrBuiltinCall SubgroupBuiltin(string name, IReadOnlyList<IrExpr> arguments, WgslType type)
        => new(name, arguments, type, pure: false);

    /// <summary>The IR of a call of a KernelGen.Subgroup operation; null when it failed (reported).</summary>
    private IrExpr? SubgroupCall(IInvocationOperation op)
    {
        var target = op.TargetMethod;
        var operands = op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
        string name = target.Name;
        var resultType = target.ReturnsVoid ? null : MapType(target.ReturnType, op.Syntax);
        if (resultType is null)
            return null;
        if (subgroupValueOperations.Contains(name) && operands.Count == 1)
            return Value(operands[0]) is { } value ? SubgroupBuiltin("subgroup" + name, [value], resultType) : null;
        switch (name)
        {
            case "Elect" when operands.Count == 0:
                return SubgroupBuiltin("subgroupElect", [], WgslType.Bool);
            case "Ballot" when operands.Count is 1 or 2:
            {
                int word = 0;
                if (operands.Count == 2)
                {
                    if (operands[1].ConstantValue is not { HasValue: true, Value: int w } || w < 0 || w > 3)
                    {
                        module.Report(DiagnosticDescriptors.SubgroupBallotWord, operands[1].Syntax, Snippet(operands[1].Syntax));
                        return null;
                    }
                    word = w;
                }
                return Value(operands[0]) is { } predicate
                    ? new IrSwizzle(SubgroupBuiltin("subgroupBallot", [predicate], WgslType.UVec4), "xyzw"[word].ToString(), WgslType.U32)
                    : null;
            }
            case "Broadcast" or "Shuffle" or "ShuffleXor" or "ShuffleUp" or "ShuffleDown" when operands.Count == 2:
            {
                var type = MapType(operands[0].Type, operands[0].Syntax);
                if (type is null)
                    return null;
                if (name == "Broadcast" && operands[1].ConstantValue is { HasValue: true, Value: int lane } && lane >= 0 && lane < 128)
                    return Value(operands[0]) is { } v ? new IrCall(SubgroupBroadcastFunction(type, lane), [v], type) : null;
                var arguments = Values(operands);
                return arguments is null ? null : new IrCall(SubgroupReadFunction(name == "Broadcast" ? "Shuffle" : name, type), arguments, type)
                {
                    // WGSL requires a shuffle's delta or mask to be uniform (the uniformity pass checks it).
                    UniformArgument = name is "ShuffleXor" or "ShuffleUp" or "ShuffleDown" ? (1, operands[1].Syntax, "Subgroup." + name) : null,
                };
            }
        }
        module.Report(DiagnosticDescriptors.UnmappedMethod, op.Syntax, "Subgroup." + name, "this overload has no WGSL translation");
        return null;
    }

    private IrPolyfill SubgroupLaneActiveFunction()
    {
        var (_, active) = module.RequireSubgroupState();
        return module.RequirePolyfill("subgroup_lane_active", n =>
            "// Whether lane `lane` of the invocation's subgroup is active (its bit in the ballot the entry point took first).\n" +
            $"fn {n}(lane: u32) -> bool {{\n" +
            $"    return lane < 128u && (({active.Name}[lane / 32u] >> (lane % 32u)) & 1u) == 1u;\n" +
            "}\n");
    }

    /// <summary>Subgroup.Broadcast with a constant lane: <c>subgroupBroadcast</c>, whose lane must be a constant, guarded.</summary>
    private IrPolyfill SubgroupBroadcastFunction(WgslType type, int lane)
    {
        string active = SubgroupLaneActiveFunction().Name;
        return module.RequirePolyfill($"subgroup_broadcast_{lane}_{TypeSuffix(type)}", n =>
            $"// Subgroup.Broadcast(value, {lane}): the value itself where lane {lane} is not active (WGSL leaves that read unspecified).\n" +
            $"fn {n}(value: {type.Name}) -> {type.Name} {{\n" +
            $"    return select(value, subgroupBroadcast(value, {lane}u), {active}({lane}u));\n" +
            "}\n");
    }

    /// <summary>Subgroup.Shuffle, ShuffleXor, ShuffleUp, ShuffleDown: the WGSL read, kept only where its source lane is active.</summary>
    private IrPolyfill SubgroupReadFunction(string operation, WgslType type)
    {
        string active = SubgroupLaneActiveFunction().Name;
        string lane = module.RequireSubgroupState().Lane.Name;
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
}
