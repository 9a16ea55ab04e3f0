using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Tuple deconstruction of tuple literals (<c>(a, b) = (b, a)</c>, <c>var (x, y) = (...)</c>) and ref / ref
/// readonly locals. A deconstruction runs as C# does: the targets' indices first, then the values in order
/// (each bound to a <c>let</c> unless nothing can change it), then the assignments in order. A ref local is
/// an alias of the place it refers to, its indices bound to <c>let</c>s where it is declared (evaluated once).
/// </summary>
internal sealed partial class FunctionLowering
{
    private readonly Dictionary<ILocalSymbol, IrExpr> refLocals = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> reservedNames = new(System.StringComparer.Ordinal);
    private HashSet<string>? sourceNames;

    /// <summary>A name for a lowering temporary that no C# identifier of the method, module name or other temporary uses.</summary>
    private string FreshName(string prefix)
    {
        sourceNames ??= new HashSet<string>(method.DeclaringSyntaxReferences.SelectMany(r => r.GetSyntax().DescendantTokens())
            .Where(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken)).Select(t => t.ValueText), System.StringComparer.Ordinal);
        for (int n = 0; ; n++)
        {
            string name = prefix + "_" + n;
            if (!sourceNames.Contains(name) && !module.IsModuleName(name) && !calledNames.Contains(name) && !reservedNames.Contains(name) && !arrayTemporaries.Contains(name)
                && !variables.Values.Any(v => v.Name == name))
            {
                reservedNames.Add(name);
                return name;
            }
        }
    }

    /// <summary>Whether no statement of this function can change the value (literals, lets, parameters, and operators over those).</summary>
    private static bool IsStable(IrExpr e) => e switch
    {
        IrLiteral => true,
        IrRef r => r.Variable.Kind is IrVariableKind.Let or IrVariableKind.Const or IrVariableKind.Parameter,
        IrBinary or IrUnary { Op: not (IrUnaryOp.AddressOf or IrUnaryOp.Deref) } or IrConvert or IrBitcast or IrConstruct or IrSwizzle or IrMember => e.Children.All(IsStable),
        _ => false,
    };

    /// <summary>Binds <paramref name="value"/> to a fresh <c>let</c> emitted now, unless it is stable.</summary>
    private IrExpr Bind(IrExpr value, string prefix)
    {
        if (IsStable(value))
            return value;
        var temporary = new IrVariable(FreshName(prefix), value.Type!, IrVariableKind.Let);
        Emit(new IrDeclare(temporary, value));
        return new IrRef(temporary);
    }

    /// <summary>The place with each index bound (evaluated now, once).</summary>
    private IrExpr BindIndices(IrExpr place) => place switch
    {
        IrIndex index => index.WithChildren([BindIndices(index.Children[0]), Bind(index.Children[1], "index")]),
        IrMember or IrSwizzle => place.WithChildren([BindIndices(place.Children[0])]),
        _ => place,
    };

    /// <summary><c>(t1, t2, ...) = (v1, v2, ...)</c> as a statement (also a declaration <c>var (a, b) = ...</c>).</summary>
    private void Deconstruction(IDeconstructionAssignmentOperation op)
    {
        var targets = new List<IOperation>();
        var values = new List<IOperation>();
        var paths = new List<int[]?>();
        if (!Flatten(op.Target, op.Value, targets, values, paths))
            return;
        // 1. the targets' places (indices evaluated once, in order)
        var places = new List<(IrExpr? Place, IrVariable? Declared, WgslType? Type)>();
        var atomicTargets = new Dictionary<int, KernelParameterBinding>();
        bool failed = false;
        foreach (var target in targets)
        {
            switch (target)
            {
                case IDiscardOperation:
                    places.Add((null, null, null));
                    break;
                case IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared }:
                case ILocalReferenceOperation { IsDeclaration: true } declared2 when (declared = declared2) is not null:
                {
                    var type = MapType(declared.Local.Type, declared.Syntax);
                    if (type is null)
                    {
                        failedLocals.Add(declared.Local);
                        failed = true;
                        places.Add((null, null, null));
                        break;
                    }
                    places.Add((null, LocalVariable(declared.Local, type, written.Contains(declared.Local) ? IrVariableKind.Var : IrVariableKind.Let), type));
                    break;
                }
                case var _ when IsAtomicElement(target, out var atomicSite):
                {
                    // An element of an array atomics use: stored with atomicStore (its index evaluated here, once).
                    var atomicBinding = atomicSite.Binding;
                    var index = SiteIndex(atomicSite);
                    if (index is null)
                        failed = true;
                    atomicTargets[places.Count] = atomicBinding;
                    var type = AtomicValueType(atomicBinding);
                    places.Add((index is null ? null : new IrIndex(new IrRef(atomicBinding.Variable!), index, type), null, type));
                    break;
                }
                default:
                {
                    var type = MapType(target.Type, target.Syntax);
                    var place = Target(target);
                    if (place is null || type is null)
                        failed = true;
                    places.Add((place, null, type));
                    break;
                }
            }
        }
        if (failed)
            return;
        for (int i = 0; i < places.Count; i++)
        {
            if (places[i].Place is { } place)
                places[i] = (BindIndices(place), null, places[i].Type);
        }
        // 2. the values, in order, each kept before any assignment
        var results = new List<IrExpr?>();
        var wholes = new Dictionary<IOperation, IrExpr?>();
        for (int i = 0; i < values.Count; i++)
        {
            IrExpr? value;
            WgslType? from;
            if (paths[i] is { } path)
            {
                // An element of a tuple value (var (lo, hi) = MinMax(v)): the value evaluated once, where C# does, into a let.
                if (!wholes.TryGetValue(values[i], out var whole))
                {
                    whole = Value(values[i]) is { } wholeValue ? Bind(wholeValue, "tuple") : null;
                    wholes.Add(values[i], whole);
                }
                (value, from) = (whole, MapType(values[i].Type, values[i].Syntax));
                foreach (int element in path)
                {
                    int index = from is { IsTuple: true } ? element
                        : from is { IsStruct: true } && RecordPositionals(from.Symbol as ITypeSymbol, path.Length == 1 ? values.Count(v => v == values[i]) : -1) is { } positionals
                            && WgslTypeMap.BackingField(positionals[element]) is { } backing ? from.FieldIndex(backing) : -1;
                    if (value is null || from is null || index < 0)
                    {
                        (value, from) = (null, null);
                        break;
                    }
                    (value, from) = (new IrMember(value, from.Fields[index].Name, from.Fields[index].Type), from.Fields[index].Type);
                }
            }
            else
            {
                value = Value(values[i]);
                from = value is null ? null : MapType(values[i].Type, values[i].Syntax);
            }
            if (value is null)
            {
                failed = true;
                results.Add(null);
                continue;
            }
            if (places[i].Type is { } to && from is not null && from.Name != to.Name)
                value = ConvertElement(value, from, to, values[i]);
            if (value is null)
            {
                failed = true;
                results.Add(null);
                continue;
            }
            if (places[i].Place is null && places[i].Declared is null)
            {
                // a discard: evaluated for its effects only
                if (!IsStable(value) && new Passes.Effects().Of(value).IsImpure)
                    Emit(new IrAssign(null, value));
                results.Add(null);
                continue;
            }
            // Every value is kept before the first assignment, which could change what it reads.
            results.Add(values.Count == 1 && paths[0] is null ? value : Bind(value, "tuple"));
        }
        if (failed)
            return;
        // 3. the assignments, in order
        for (int i = 0; i < places.Count; i++)
        {
            if (results[i] is not { } value)
                continue;
            if (places[i].Declared is { } declared)
                Emit(new IrDeclare(declared, value));
            else if (places[i].Place is IrIndex element && atomicTargets.TryGetValue(i, out var binding))
                Emit(AtomicStore(binding, element.Index, value));
            else if (places[i].Place is { } place)
                Emit(new IrAssign(place, value));
        }
    }

    /// <summary>
    /// Pairs the targets with the values of a tuple literal (nested tuples flattened), or with the elements of a
    /// tuple value (each listed as the whole value and the element's path in it); false when reported.
    /// </summary>
    private bool Flatten(IOperation target, IOperation value, List<IOperation> targets, List<IOperation> values, List<int[]?> paths)
    {
        while (value is IConversionOperation { Operand: ITupleOperation or IConversionOperation } conversion && conversion.Type is INamedTypeSymbol { IsTupleType: true }
            && (conversion.Operand is ITupleOperation || conversion.Conversion.IsIdentity))
            value = conversion.Operand;
        if (target is IDeclarationExpressionOperation { Expression: ITupleOperation declaredTuple })
            target = declaredTuple;
        if (target is not ITupleOperation targetTuple)
        {
            targets.Add(target);
            values.Add(value);
            paths.Add(null);
            return true;
        }
        if (value is not ITupleOperation valueTuple)
        {
            if (value.Type is INamedTypeSymbol { IsTupleType: true } tupleType && tupleType.TupleElements.Length == targetTuple.Elements.Length)
                return FlattenElements(targetTuple, tupleType, value, [], targets, values, paths);
            if (RecordPositionals(value.Type, targetTuple.Elements.Length) is not null)
            {
                // A record struct's synthesized Deconstruct: its positional members, in order, from the value evaluated once.
                for (int i = 0; i < targetTuple.Elements.Length; i++)
                {
                    if (targetTuple.Elements[i] is ITupleOperation or IDeclarationExpressionOperation { Expression: ITupleOperation })
                    {
                        Unsupported(targetTuple.Elements[i], "a positional member is deconstructed once: deconstruct it into a local, then that local");
                        return false;
                    }
                    targets.Add(targetTuple.Elements[i]);
                    values.Add(value);
                    paths.Add([i]);
                }
                return true;
            }
            Unsupported(value, "only tuples are deconstructed: a Deconstruct method is not supported; read the fields (var a = s.A;)");
            return false;
        }
        if (valueTuple.Elements.Length != targetTuple.Elements.Length)
        {
            Unsupported(value, "the tuple has a different number of elements than the deconstruction");
            return false;
        }
        for (int i = 0; i < targetTuple.Elements.Length; i++)
        {
            var element = valueTuple.Elements[i];
            if (!Flatten(targetTuple.Elements[i], element, targets, values, paths))
                return false;
        }
        return true;
    }

    /// <summary>The targets of a deconstruction of the tuple value <paramref name="whole"/> (at <paramref name="path"/> in it).</summary>
    private bool FlattenElements(ITupleOperation targetTuple, INamedTypeSymbol tupleType, IOperation whole, int[] path, List<IOperation> targets, List<IOperation> values, List<int[]?> paths)
    {
        for (int i = 0; i < targetTuple.Elements.Length; i++)
        {
            var target = targetTuple.Elements[i];
            if (target is IDeclarationExpressionOperation { Expression: ITupleOperation declaredTuple })
                target = declaredTuple;
            int[] elementPath = [.. path, i];
            if (target is ITupleOperation nested)
            {
                if (tupleType.TupleElements[i].Type is not INamedTypeSymbol { IsTupleType: true } nestedType || nestedType.TupleElements.Length != nested.Elements.Length)
                {
                    Unsupported(target, "the tuple element has a different number of elements than the deconstruction");
                    return false;
                }
                if (!FlattenElements(nested, nestedType, whole, elementPath, targets, values, paths))
                    return false;
                continue;
            }
            targets.Add(target);
            values.Add(whole);
            paths.Add(elementPath);
        }
        return true;
    }

    /// <summary><c>ref T r = ref place;</c>: r becomes an alias of the place, its indices evaluated here once.</summary>
    private void RefLocal(ILocalSymbol local, IOperation? initializer)
    {
        while (initializer is IConversionOperation { Conversion.IsIdentity: true } identity)
            initializer = identity.Operand;
        if (initializer is null)
        {
            failedLocals.Add(local);
            return;
        }
        if (IsAliasedPlace(initializer, out _, out _, out _))
        {
            // A place of an array atomics use: the array and the index (or byte address), evaluated here once.
            if (MapType(local.Type, initializer.Syntax) is not null && PlaceAliasFor(initializer, bind: true) is { } placeAlias)
                placeAliases[local] = placeAlias;
            else
                failedLocals.Add(local);
            return;
        }
        if (initializer is IInvocationOperation or IConditionalOperation)
        {
            failedLocals.Add(local);
            Unsupported(initializer, "a ref local refers to a buffer, shared or struct element, a local or a field (ref x[i], ref s.A)");
            return;
        }
        IrExpr? place = initializer is ILocalReferenceOperation other && refLocals.TryGetValue(other.Local, out var alias) ? alias : local.RefKind == RefKind.RefReadOnly ? Value(initializer) : Target(initializer);
        if (place is null || MapType(local.Type, initializer.Syntax) is null)
        {
            failedLocals.Add(local);
            return;
        }
        refLocals[local] = BindIndices(place);
    }
}
