using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>The atomic read-modify-write operations kernels can call (<c>Interlocked</c> and <c>KernelGen.Atomic</c>).</summary>
internal enum AtomicKind
{
    Add,
    Increment,
    Decrement,
    Exchange,
    CompareExchange,
    And,
    Or,
    Min,
    Max,
}

/// <summary>
/// Recognises atomic calls and finds, before translation, which kernel buffers and shared arrays they touch:
/// those become <c>array&lt;atomic&lt;i32|u32&gt;&gt;</c> in WGSL, so every other access to them must be an
/// <c>atomicLoad</c>/<c>atomicStore</c> from the first line on.
/// </summary>
internal static class AtomicOperations
{
    /// <summary>Whether <paramref name="type"/> is <c>System.Threading.Interlocked</c> or <c>KernelGen.Atomic</c>.</summary>
    public static bool IsAtomicClass(KnownTypes known, INamedTypeSymbol? type) => known.IsAtomicType(type);

    /// <summary>The operation <paramref name="method"/> performs, or null when it is no supported atomic.</summary>
    public static AtomicKind? Kind(KnownTypes known, IMethodSymbol method)
    {
        if (!IsAtomicClass(known, method.ContainingType) || method.Parameters.Length == 0 || method.Parameters[0].RefKind != RefKind.Ref)
            return null;
        bool interlocked = known.Interlocked.Matches(method.ContainingType);
        foreach (var entry in Table)
        {
            if (entry.Name == method.Name && entry.Arity == method.Parameters.Length && entry.Interlocked == interlocked)
                return entry.Kind;
        }
        return null;
    }

    /// <summary>The supported atomics: (method name, parameter count, on Interlocked (else KernelGen.Atomic), operation).</summary>
    private static readonly (string Name, int Arity, bool Interlocked, AtomicKind Kind)[] Table =
    [
        ("Add", 2, true, AtomicKind.Add),
        ("Add", 2, false, AtomicKind.Add),
        ("Increment", 1, true, AtomicKind.Increment),
        ("Decrement", 1, true, AtomicKind.Decrement),
        ("Exchange", 2, true, AtomicKind.Exchange),
        ("CompareExchange", 3, true, AtomicKind.CompareExchange),
        ("And", 2, true, AtomicKind.And),
        ("Or", 2, true, AtomicKind.Or),
        ("Min", 2, false, AtomicKind.Min),
        ("Max", 2, false, AtomicKind.Max),
    ];

    /// <summary>The supported atomics for diagnostics, from the table: "Interlocked.Add, ...; KernelGen.Atomic.Add, ...".</summary>
    public static string Supported
        => "Interlocked." + string.Join(", ", Table.Where(e => e.Interlocked).Select(e => e.Name).Distinct())
            + "; KernelGen.Atomic." + string.Join(", ", Table.Where(e => !e.Interlocked).Select(e => e.Name).Distinct());

    /// <summary>Whether Interlocked has a supported atomic named <paramref name="name"/> (with other parameters).</summary>
    public static bool IsSupportedName(string name) => Table.Any(e => e.Interlocked && e.Name == name);

    /// <summary>The scalar an atomic of <paramref name="kind"/> on <paramref name="element"/> works on, or null when WGSL has none.</summary>
    public static WgslScalar? ElementScalar(AtomicKind kind, ITypeSymbol element) => element.SpecialType switch
    {
        SpecialType.System_Int32 => WgslScalar.I32,
        SpecialType.System_UInt32 => WgslScalar.U32,
        // A float is kept as its bits in an atomic<u32>: exchange, compare-exchange (bitwise, as .NET compares) and add.
        SpecialType.System_Single when kind is AtomicKind.Exchange or AtomicKind.CompareExchange or AtomicKind.Add => WgslScalar.F32,
        _ => null,
    };

    /// <summary>The location argument (the first parameter, by reference) of an atomic call.</summary>
    public static IOperation? Location(IInvocationOperation call)
        => call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value;

    /// <summary>
    /// The WGSL names of the kernel's buffers and shared arrays that an atomic call of the kernel, or of a helper it
    /// passes them to, uses, with their element scalar.
    /// </summary>
    public static Dictionary<string, WgslScalar> FindBuffers(WgslKernelTranslator module, IMethodSymbol kernel, IReadOnlyList<KernelParameterBinding> parameters)
        => FindBuffers(module, kernel, parameters, new HashSet<string>(System.StringComparer.Ordinal));

    /// <summary>
    /// <see cref="FindBuffers(WgslKernelTranslator, IMethodSymbol, IReadOnlyList{KernelParameterBinding})"/>, and in
    /// <paramref name="fieldBuffers"/> the buffers and shared arrays of structs whose elements' fields
    /// (<c>ref cells[i].Count</c>, <c>ref grid[i].Bin.Count</c>) atomics use: those are held as atomic 32-bit words
    /// (FunctionLowering.FieldAtomics).
    /// </summary>
    public static Dictionary<string, WgslScalar> FindBuffers(WgslKernelTranslator module, IMethodSymbol kernel, IReadOnlyList<KernelParameterBinding> parameters, HashSet<string> fieldBuffers)
    {
        var result = new Dictionary<string, WgslScalar>(System.StringComparer.Ordinal);
        var spans = new Dictionary<IParameterSymbol, KernelParameterBinding>(SymbolEqualityComparer.Default);
        foreach (var p in parameters)
        {
            if (p.Kind is ParameterKind.Buffer or ParameterKind.ReadOnlyBuffer or ParameterKind.Shared)
                spans[p.Symbol] = p;
        }
        Scan(module, kernel, spans, new HashSet<string>(System.StringComparer.Ordinal), result, fieldBuffers);
        return result;
    }

    /// <summary>The span parameter whose element <paramref name="location"/> is a field of (through fields and vector components), or null.</summary>
    public static IParameterSymbol? FieldRoot(IOperation? location)
    {
        bool field = false;
        while (true)
        {
            switch (location)
            {
                case IFieldReferenceOperation { Field.IsStatic: false, Instance: { } instance }:
                    field = true;
                    location = instance;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p }:
                    return field ? p.Parameter : null;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } vector } when field || vector is IFieldReferenceOperation:
                    field = true;
                    location = vector;
                    continue;
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// The buffer or shared array a place is in, and whether it is a field of an element (through fields and vector
    /// components) rather than a whole element: through ref locals (<paramref name="refLocals"/>: their targets) and
    /// ref parameters of a helper (<paramref name="refParameters"/>: what the call passes); null for any other place.
    /// </summary>
    public static (KernelParameterBinding Binding, bool Field)? PlaceRoot(IOperation? place, Dictionary<IParameterSymbol, KernelParameterBinding> spans,
        Dictionary<ILocalSymbol, IOperation> refLocals, Dictionary<IParameterSymbol, (KernelParameterBinding Binding, bool Field)> refParameters)
    {
        bool field = false;
        for (int depth = 0; depth < 256; depth++)
        {
            switch (place)
            {
                case IConversionOperation { Conversion.IsIdentity: true } identity:
                    place = identity.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    place = parenthesized.Operand;
                    continue;
                case IFieldReferenceOperation { Field.IsStatic: false, Instance: { } instance }:
                    field = true;
                    place = instance;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: IParameterReferenceOperation p } when spans.TryGetValue(p.Parameter, out var binding):
                    return (binding, field);
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } vector } when field || vector is IFieldReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation:
                    // a vector component (x[i].Pos[c], or v[c] of a ref local or ref parameter v)
                    field = true;
                    place = vector;
                    continue;
                case ILocalReferenceOperation local when refLocals.TryGetValue(local.Local, out var target):
                    place = target;
                    continue;
                case IParameterReferenceOperation parameter when refParameters.TryGetValue(parameter.Parameter, out var passed):
                    return (passed.Binding, passed.Field || field);
                default:
                    return null;
            }
        }
        return null;
    }

    private static void Scan(WgslKernelTranslator module, IMethodSymbol method, Dictionary<IParameterSymbol, KernelParameterBinding> spans, HashSet<string> visited, Dictionary<string, WgslScalar> result, HashSet<string> fieldBuffers,
        Dictionary<IParameterSymbol, (KernelParameterBinding Binding, bool Field)>? refParameters = null)
    {
        method = method.OriginalDefinition;
        refParameters ??= new(SymbolEqualityComparer.Default);
        string key = method.ToDisplayString() + "|" + string.Join(",", method.Parameters.Select(p => spans.TryGetValue(p, out var b) ? b.WgslName
            : refParameters.TryGetValue(p, out var r) ? "ref " + r.Binding.WgslName + (r.Field ? ".field" : "") : ""));
        if (!visited.Add(key))
            return;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(module.CancellationToken);
            if (syntax is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax))
                continue;
            // Never bind a body beyond the nesting limits (its lowering reports KG0032).
            var body = Lowering.FunctionLowering.FindLimitViolation(syntax) is null ? module.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, module.CancellationToken) : null;
            if (body is null)
                continue;
            // Ref locals name their targets: an atomic through one uses the array it refers to.
            var refLocals = new Dictionary<ILocalSymbol, IOperation>(SymbolEqualityComparer.Default);
            foreach (var declarator in body.Descendants().OfType<IVariableDeclaratorOperation>())
            {
                if (declarator.Symbol.RefKind is RefKind.Ref or RefKind.RefReadOnly && declarator.GetVariableInitializer()?.Value is { } target)
                    refLocals[declarator.Symbol] = target;
            }
            foreach (var call in body.Descendants().OfType<IInvocationOperation>())
            {
                var target = call.TargetMethod;
                if (Kind(module.Known, target) is { } kind)
                {
                    var root = PlaceRoot(Location(call), spans, refLocals, refParameters);
                    if (root is { Field: false, Binding: var binding }
                        && binding.Kind is ParameterKind.Buffer or ParameterKind.Shared
                        && ElementScalar(kind, target.Parameters[0].Type) is { } scalar
                        && binding.Type is { IsScalar: true } element && element.Scalar == scalar)
                    {
                        result[binding.WgslName] = scalar;
                    }
                    else if (root is { Field: true, Binding: var holder }
                        && holder.Kind is ParameterKind.Buffer or ParameterKind.Shared && holder.Type is { IsStruct: true })
                    {
                        fieldBuffers.Add(holder.WgslName);
                    }
                    continue;
                }
                if (target.DeclaringSyntaxReferences.Length == 0 || target.IsGenericMethod)
                    continue;
                // A helper: its Span parameters name the buffers the call passes, its ref parameters the places.
                var callee = target.OriginalDefinition;
                // A local function also sees the spans it captures: its enclosing method's.
                var inner = callee.MethodKind == MethodKind.LocalFunction
                    ? new Dictionary<IParameterSymbol, KernelParameterBinding>(spans, SymbolEqualityComparer.Default)
                    : new Dictionary<IParameterSymbol, KernelParameterBinding>(SymbolEqualityComparer.Default);
                var innerReferences = new Dictionary<IParameterSymbol, (KernelParameterBinding Binding, bool Field)>(SymbolEqualityComparer.Default);
                foreach (var argument in call.Arguments)
                {
                    if (argument.Parameter is null || argument.Parameter.Ordinal >= callee.Parameters.Length)
                        continue;
                    var value = argument.Value;
                    while (value is IConversionOperation { Conversion.IsImplicit: true } conversion)
                        value = conversion.Operand;
                    if (value is IParameterReferenceOperation passed && spans.TryGetValue(passed.Parameter, out var buffer))
                        inner[callee.Parameters[argument.Parameter.Ordinal]] = buffer;
                    else if (argument.Parameter.RefKind is RefKind.Ref or RefKind.Out && PlaceRoot(value, spans, refLocals, refParameters) is { } place)
                        innerReferences[callee.Parameters[argument.Parameter.Ordinal]] = place;
                }
                Scan(module, callee, inner, visited, result, fieldBuffers, innerReferences);
            }
        }
    }
}
