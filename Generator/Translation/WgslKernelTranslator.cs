using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using KernelGen.Generator.Translation.Lowering;
using KernelGen.Generator.Translation.Passes;
using KernelGen.Generator.Translation.Printing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Translates one kernel, and the helper methods it calls, into one WGSL module: lowering (C# operations
/// to IR, with the KG diagnostics) -> passes (evaluation order, effects, feature use) -> printing. Problems
/// are collected as diagnostics; the module text is only meaningful when there are none.
/// </summary>
internal sealed class WgslKernelTranslator
{
    private readonly Dictionary<SyntaxTree, SemanticModel> semanticModels = [];
    private readonly Dictionary<(IMethodSymbol Method, string Buffers), HelperFunction> helpers = new(HelperKeyComparer.Instance);
    private readonly List<HelperFunction> helperOrder = [];
    private readonly Dictionary<string, IrPolyfill> polyfills = new(System.StringComparer.Ordinal);
    private readonly IrModule ir = new();
    private readonly List<IMethodSymbol> callStack = [];
    private readonly HashSet<string> moduleNames = new(System.StringComparer.Ordinal);

    public WgslKernelTranslator(Compilation compilation, CancellationToken cancellationToken)
    {
        Compilation = compilation;
        CancellationToken = cancellationToken;
        Known = KnownTypes.For(compilation);
        Types = new WgslTypeMap(Known, ClaimName);
    }

    public Compilation Compilation { get; }

    /// <summary>The compilation's well-known types (Span, Half, System.Numerics vectors, KernelGen's own), matched by symbol.</summary>
    public KnownTypes Known { get; }

    public CancellationToken CancellationToken { get; }

    public WgslTypeMap Types { get; }

    public List<DiagnosticInfo> Diagnostics { get; } = [];

    /// <summary>True when some body has C# errors: the compiler reports them, the kernel is not emitted.</summary>
    public bool HasInvalidCode { get; set; }

    public bool UsesBarriers { get; set; }

    /// <summary>True when the module uses subgroup built-ins (the feature pass found the <c>subgroups</c> feature).</summary>
    public bool UsesSubgroups => RequiredFeatures.Contains(FeatureUse.Subgroups);

    /// <summary>
    /// The module-scope private copies of the invocation's subgroup lane and of the mask of active lanes, which the
    /// guarded lane reads (shuffles, broadcast) test; null until one is used. The entry point fills them first.
    /// </summary>
    public (IrVariable Lane, IrVariable Active)? SubgroupState { get; private set; }

    public (IrVariable Lane, IrVariable Active) RequireSubgroupState()
    {
        if (SubgroupState is { } known)
            return known;
        string lane = "subgroup_lane", active = "subgroup_active";
        for (int n = 2; !ClaimName(lane); n++)
            lane = "subgroup_lane_" + n;
        for (int n = 2; !ClaimName(active); n++)
            active = "subgroup_active_" + n;
        var state = (new IrVariable(lane, WgslType.U32, IrVariableKind.Private), new IrVariable(active, WgslType.UVec4, IrVariableKind.Private));
        SubgroupState = state;
        return state;
    }

    /// <summary>The WebGPU features the module needs (<c>shader-f16</c>), from the feature pass.</summary>
    public List<string> RequiredFeatures { get; } = [];

    /// <summary>The module-scope uniform block variable, when the kernel has uniforms.</summary>
    public IrVariable? UniformVariable { get; private set; }

    /// <summary>The names of the <c>u32</c> overrides ([Specialize] uint parameters).</summary>
    public HashSet<string> UnsignedOverrides { get; } = new(System.StringComparer.Ordinal);

    public bool IsUnsignedOverride(string name) => UnsignedOverrides.Contains(name);

    /// <summary>The module's override constant of that name (a [Specialize] parameter).</summary>
    public IrVariable Override(string name) => ir.Overrides.First(v => v.Name == name);

    /// <summary>The overrides that give the workgroup size along X, Y and Z ([Specialize] parameters); null entries are constant.</summary>
    public string?[] WorkgroupSizeNames { get; set; } = new string?[3];

    public bool HasErrors => HasInvalidCode || Diagnostics.Count > 0;

    /// <summary>An operation whose lowering failed without a diagnostic of its own (it follows one reported elsewhere).</summary>
    public IOperation? UnreportedFailure { get; set; }

    /// <summary>The declarations of every helper the kernel called (whose text its translation depends on).</summary>
    public List<SyntaxNode> HelperDeclarations { get; } = [];

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode? node, params object?[] args)
        => Diagnostics.Add(DiagnosticInfo.Create(descriptor, node, args));

    public void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
        => Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));

    private readonly HashSet<ITypeSymbol> rejectedTypes = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// KG0017 once per root cause: a type is reported where it is first met (a struct whose member is the problem,
    /// at that member's declaration), and its later uses (and, for a member, the member's own type) stay quiet.
    /// </summary>
    public void ReportUnsupportedType(ITypeSymbol? type, SyntaxNode? at, string why, ISymbol? rejectedMember)
    {
        if (type is not null && !rejectedTypes.Add(type))
            return;
        Location? location = at?.GetLocation();
        if (rejectedMember?.ContainingType is { } owner)
        {
            // The innermost struct with the offending member is the root: report it once, at the member.
            if (rejectedMember is IFieldSymbol { Type: var fieldType })
                rejectedTypes.Add(fieldType);
            else if (rejectedMember is IPropertySymbol { Type: var propertyType })
                rejectedTypes.Add(propertyType);
            if (!rejectedTypes.Add(owner) && !SymbolEqualityComparer.Default.Equals(owner, type))
                return;
            var declaration = rejectedMember.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(CancellationToken);
            SyntaxNode? typeSyntax = declaration switch
            {
                VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax d } => d.Type,
                PropertyDeclarationSyntax p => p.Type,
                ParameterSyntax { Type: { } positional } => positional, // a record struct's positional member
                _ => declaration,
            };
            Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, typeSyntax?.GetLocation() ?? location, owner.ToDisplayString(), Types.RejectedMemberWhy));
            return;
        }
        Diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, location, type?.ToDisplayString() ?? "?", why));
    }

    /// <summary>Whether <paramref name="method"/> is one of KernelGen.Subgroup's operations.</summary>
    public bool IsSubgroupOperation(IMethodSymbol method) => Known.Subgroup.Matches(method.ContainingType);

    /// <summary>Helper calls nested deeper than this are reported (each level is lowered on the generator's stack).</summary>
    internal const int MaxCallDepth = 48;

    private bool stackReported;

    /// <summary>
    /// False (with one KG0032) when the generator's thread is close to the end of its stack: the nesting limits keep
    /// real code far from it, and this turns any input they miss into a diagnostic instead of a crashed compiler.
    /// </summary>
    public bool StackSuffices(SyntaxNode at)
    {
        try
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack(); // netstandard2.0 has no Try form
            return true;
        }
        catch (System.InsufficientExecutionStackException)
        {
        }
        if (!stackReported)
        {
            stackReported = true;
            Report(DiagnosticDescriptors.BeyondWgslLimits, at.GetFirstToken().GetLocation(), at.GetFirstToken().Text,
                "is nested too deeply (expressions, statements and helper calls together) for the compiler's stack");
        }
        return false;
    }

    private static string Count(long n) => n > 1_000_000_000 ? "over a billion" : n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Claims a module-scope name; false when it is taken.</summary>
    public bool ClaimName(string name) => moduleNames.Add(name) && ir.Names.Add(name);

    public bool IsModuleName(string name) => moduleNames.Contains(name);

    private readonly Dictionary<ISymbol, IrVariable?> lookupTables = new(SymbolEqualityComparer.Default);

    /// <summary>The module-scope const array of a lookup table (a static field or property), made once per module by <paramref name="build"/>; null when it cannot be one (reported once).</summary>
    public IrVariable? LookupTable(ISymbol table, System.Func<(string Name, WgslType Type, IrExpr Value)?> build)
    {
        if (lookupTables.TryGetValue(table, out var known))
            return known;
        lookupTables[table] = null; // a table cannot name itself, and a failed one is reported once
        if (build() is not { } made)
            return null;
        string name = made.Name;
        while (!ClaimName(name))
            name += "_";
        var variable = new IrVariable(name, made.Type, IrVariableKind.Const);
        ir.Constants.Add((variable, made.Value));
        lookupTables[table] = variable;
        return variable;
    }

    public SemanticModel GetSemanticModel(SyntaxTree tree)
    {
        if (!semanticModels.TryGetValue(tree, out var model))
        {
            model = Compilation.GetSemanticModel(tree);
            semanticModels.Add(tree, model);
        }
        return model;
    }

    /// <summary>Translates the kernel body and assembles the module.</summary>
    public string Translate(
        IMethodSymbol kernel,
        BaseMethodDeclarationSyntax syntax,
        SemanticModel model,
        IReadOnlyList<KernelParameterBinding> parameters,
        string entryPoint,
        (int X, int Y, int Z) workgroupSize,
        string fullName,
        string sourceLocation)
    {
        semanticModels[syntax.SyntaxTree] = model;
        ir.Header.Add($"// Generated by KernelGen from the C# kernel {fullName} ({sourceLocation}).");
        ir.Header.Add("// Edit the C# method, not this text.");
        // Arrays that atomics use are atomic from the first access on: found before any lowering. Buffers and shared
        // arrays of structs whose fields atomics use are held as atomic 32-bit words in C#'s layout (FieldAtomics).
        var fieldAtomics = new HashSet<string>(System.StringComparer.Ordinal);
        var atomicArrays = AtomicOperations.FindBuffers(this, kernel, parameters, fieldAtomics);
        foreach (var p in parameters)
        {
            if (fieldAtomics.Contains(p.WgslName))
                Lowering.FunctionLowering.HoldAsAtomicWords(p);
        }
        // Module scope: buffers and workgroup arrays, then the uniform block.
        foreach (var p in parameters)
        {
            switch (p.Kind)
            {
                case ParameterKind.ReadOnlyBuffer or ParameterKind.Buffer:
                    // A Vector3 buffer in C#'s 12-byte layout is an array<f32> (HostLayouts).
                    p.Variable = new IrVariable(p.WgslName, p.PackedVector3 ? WgslType.F32 : p.HostLayout is not null ? WgslType.U32 : p.Type!, p.Kind == ParameterKind.Buffer ? IrVariableKind.StorageBuffer : IrVariableKind.ReadOnlyStorageBuffer)
                    {
                        AtomicElement = p.HostLayout is { Atomic: true } ? "atomic<u32>" : null,
                    };
                    ir.Globals.Add(new IrGlobal(p.Variable, p.Slot));
                    break;
                case ParameterKind.Shared when p.HostLayout is { } words:
                    // A shared array of structs whose fields atomics use: its elements' 32-bit words (FieldAtomics).
                    p.Variable = new IrVariable(p.WgslName, WgslType.U32, IrVariableKind.Workgroup) { AtomicElement = "atomic<u32>" };
                    ir.Globals.Add(new IrGlobal(p.Variable, 0, p.SharedLength * (words.Stride / 4),
                        p.SharedLengthName is null ? null : $"{p.SharedLengthName} * {(words.Stride / 4).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
                    break;
                case ParameterKind.Shared:
                    p.Variable = new IrVariable(p.WgslName, p.Type!, IrVariableKind.Workgroup);
                    ir.Globals.Add(new IrGlobal(p.Variable, 0, p.SharedLength, p.SharedLengthName));
                    break;
                case ParameterKind.Specialized:
                    p.Variable = new IrVariable(p.WgslName, p.Type!, IrVariableKind.Override);
                    ir.Overrides.Add(p.Variable);
                    break;
                case ParameterKind.ThreadId or ParameterKind.LocalId or ParameterKind.GroupId or ParameterKind.GroupCount:
                    p.Variable = new IrVariable(p.WgslName, WgslType.UVec3, IrVariableKind.Parameter);
                    if (p.IndexName is not null)
                        p.IndexVariable = new IrVariable(p.IndexName, WgslType.U32, IrVariableKind.Parameter);
                    break;
                case ParameterKind.SubgroupId:
                    p.LaneVariable = new IrVariable(p.LaneName!, WgslType.U32, IrVariableKind.Parameter);
                    p.SizeVariable = new IrVariable(p.SizeName!, WgslType.U32, IrVariableKind.Parameter);
                    break;
                case ParameterKind.Uniform:
                    ir.UniformMembers.Add(new IrUniformMember(p.UniformAttributes, p.WgslName, (p.UniformType ?? p.Type)!));
                    break;
            }
        }
        if (ir.UniformMembers.Count > 0)
        {
            var uniformStruct = WgslType.ForStruct(WgslNames.UniformStruct, kernel.ContainingType);
            UniformVariable = new IrVariable(WgslNames.UniformVariable, uniformStruct, IrVariableKind.Uniform);
            ir.Globals.Add(new IrGlobal(UniformVariable, parameters.Count(p => p.IsBuffer)));
        }

        foreach (var pair in atomicArrays)
        {
            if (parameters.FirstOrDefault(p => p.WgslName == pair.Key) is { HostLayout: null, Variable: { } atomic })
                atomic.AtomicElement = pair.Value == WgslScalar.I32 ? "atomic<i32>" : "atomic<u32>";
        }
        callStack.Add(kernel);
        var lowering = new FunctionLowering(this, model, kernel, parameters, entryPoint);
        var entry = lowering.LowerEntryPoint(syntax, workgroupSize);
        callStack.RemoveAt(callStack.Count - 1);
        if (!HasErrors && UnreportedFailure is { } failure)
        {
            // Never drop a part of the kernel silently: a failure is either reported or follows one that was.
            Report(DiagnosticDescriptors.UnsupportedExpression, failure.Syntax, failure.Syntax.ToString(), "it has no WGSL translation");
        }
        if (entry is null || HasErrors)
            return "";
        var inlined = new InlinedSize();
        if (inlined.Of(entry) is var size and > InlinedSize.Limit)
        {
            var heaviest = inlined.Heaviest(entry);
            Report(DiagnosticDescriptors.InlinedTooLarge, syntax is MethodDeclarationSyntax m ? m.Identifier.GetLocation() : syntax.GetLocation(), fullName,
                Count(size), Count(InlinedSize.Limit), heaviest is { } h ? h.Callee.Name : fullName, Count(heaviest?.Size ?? size));
            return "";
        }
        FillSubgroupState(entry, parameters);
        EvaluationOrder.Run(entry, ir);
        RuntimeConstants.Run(entry, RequirePolyfill);
        Uniformity.Run(this, entry);
        if (HasErrors)
            return "";
        ir.EntryPoint = entry;
        ir.Structs.AddRange(Types.Structs);
        ir.Functions.AddRange(helperOrder.Select(h => h.Function!));
        RequiredFeatures.AddRange(FeatureUse.Run(ir));
        return WgslPrinter.Print(ir);
    }

    /// <summary>
    /// When a guarded lane read uses the subgroup state: declares it, and fills it first in the entry point: the lane
    /// from <c>subgroup_invocation_id</c>, the active lanes from a ballot taken while every invocation still runs.
    /// </summary>
    private void FillSubgroupState(IrFunction entry, IReadOnlyList<KernelParameterBinding> parameters)
    {
        if (SubgroupState is not { } state)
            return;
        ir.Globals.Add(new IrGlobal(state.Lane, 0));
        ir.Globals.Add(new IrGlobal(state.Active, 0));
        var lane = parameters.FirstOrDefault(p => p.Kind == ParameterKind.SubgroupId)?.LaneVariable;
        if (lane is null)
        {
            lane = new IrVariable("kg_subgroup_lane", WgslType.U32, IrVariableKind.Parameter);
            entry.BuiltinParameters.Add(new IrBuiltinParameter("subgroup_invocation_id", lane));
        }
        entry.Body.Statements.InsertRange(0,
        [
            new IrAssign(new IrRef(state.Lane), new IrRef(lane)),
            new IrAssign(new IrRef(state.Active), new IrBuiltinCall("subgroupBallot", [IrLiteral.Bool(true)], WgslType.UVec4, pure: false)),
        ]);
    }

    /// <summary>
    /// The WGSL function name for a call to <paramref name="method"/>, translating it on first use;
    /// null (with a diagnostic) when it cannot be a WGSL function.
    /// </summary>
    /// <remarks>
    /// A helper's Span parameters are bound to the kernel's buffers at each call: every distinct
    /// binding gets its own WGSL function, in which the parameter names the module-scope buffer.
    /// </remarks>
    /// <param name="aliases">For a call whose two ref parameters name one place at run time: (kept, merged) parameter
    /// ordinals; the merged parameter is the kept one's pointer in this version of the function.</param>
    public IrFunction? RequireHelper(IMethodSymbol method, SyntaxNode callSite, IReadOnlyList<KernelParameterBinding> spanArguments, (int Kept, int Merged)? aliases = null,
        IReadOnlyList<LocalCapture>? captures = null, IReadOnlyList<PlaceReference>? placeReferences = null)
    {
        // A generic helper is one WGSL function per type argument (after the caller's own substitutions).
        var typeArguments = method.IsGenericMethod && !method.ContainingType.IsGenericType
            ? method.TypeArguments.Select(Types.Resolve).ToList()
            : [];
        var typeArgumentTypes = new List<WgslType>();
        foreach (var argument in typeArguments)
        {
            if (argument is ITypeParameterSymbol || Types.Map(argument, out _) is not { } mapped)
            {
                Report(DiagnosticDescriptors.UnmappedMethod, callSite, method.ContainingType.Name + "." + method.Name,
                    $"its type argument '{argument.ToDisplayString()}' is not a WGSL type: generic helpers run for int, uint, float, Half, vectors and structs of those");
                return null;
            }
            typeArgumentTypes.Add(mapped);
        }
        method = method.OriginalDefinition;
        var key = (method, string.Join(",", spanArguments.Select(a => (a.PointerType ?? a.WgslName) + (a.IsSlice ? "[slice]" : ""))) + "<" + string.Join(",", typeArgumentTypes.Select(t => t.Name)) + ">"
            + (aliases is { } alias ? $"|{alias.Merged}={alias.Kept}" : "")
            + (captures is { Count: > 0 } ? "|captures " + string.Join(",", captures.Select(c => c.Signature)) : "")
            + (placeReferences is { Count: > 0 } ? "|atomic " + string.Join(",", placeReferences.Select(r => r.Signature)) : ""));
        if (helpers.TryGetValue(key, out var known))
        {
            if (known.Failed)
                return null;
            if (known.Function is null && callStack.Contains(method, SymbolEqualityComparer.Default))
            {
                ReportRecursion(method, callSite);
                return null;
            }
            return known.Function;
        }
        int onStack = callStack.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        if (onStack >= 0)
        {
            ReportRecursion(method, callSite);
            return null;
        }
        if (callStack.Count > MaxCallDepth)
        {
            Report(DiagnosticDescriptors.BeyondWgslLimits, callSite, method.Name, $"is a helper call more than {MaxCallDepth} calls deep (the kernel calls a helper that calls a helper ...)");
            return null;
        }

        string display = method.ContainingType.Name + "." + method.Name;
        string? problem = null;
        CSharpSyntaxNode? declaration = null;
        TypeDeclarationSyntax? primary = null;
        bool constructor = method.MethodKind == MethodKind.Constructor && method.ContainingType.IsValueType;
        bool accessor = method.MethodKind is MethodKind.PropertyGet or MethodKind.PropertySet;
        bool local = method.MethodKind == MethodKind.LocalFunction;
        if (!method.IsStatic && !constructor && !local && !FunctionLowering.IsStructMember(method))
            problem = method.ContainingType.IsValueType
                ? "it is an instance member of a struct declared outside this compilation"
                : "it is an instance method of a class, and the GPU has no objects: make it static, or a method of a struct";
        else if (method.ContainingType.IsGenericType)
            problem = "it is declared in a generic type, and WGSL has no generics: move it into a non-generic type (generic methods are fine)";
        else if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.UserDefinedOperator or MethodKind.Conversion) && !constructor && !accessor && !local)
            problem = "only methods, local functions, properties, struct constructors and operators can be called (no delegates or lambdas: write a static local function or a helper method)";
        else
        {
            declaration = method.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(CancellationToken))
                .OfType<CSharpSyntaxNode>()
                .FirstOrDefault(d => d switch
                {
                    BaseMethodDeclarationSyntax m => m.Body is not null || m.ExpressionBody is not null,
                    LocalFunctionStatementSyntax f => f.Body is not null || f.ExpressionBody is not null,
                    AccessorDeclarationSyntax a => a.Body is not null || a.ExpressionBody is not null,
                    ArrowExpressionClauseSyntax => true, // a property's => body
                    _ => false,
                });
            if (declaration is null && constructor && method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(CancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault() is { } type)
            {
                // A primary constructor: its field initializers, in declaration order, are its body.
                if (PrimaryParameterCapture(type, method) is { } captured)
                    problem = $"its parameter '{captured}' is used outside field initializers, so C# keeps it in a hidden field that the WGSL struct would not have: assign it to a field (public float X = {captured};) and use the field";
                else
                    primary = type;
            }
            else if (declaration is null && primary is null)
                problem = method.DeclaringSyntaxReferences.Length == 0
                    ? "it has no source in this compilation and no WGSL built-in equivalent; write the computation as a static method in this project, or use MathF"
                    : "it has no body";
        }
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.UnmappedMethod, callSite, display, problem);
            return null;
        }

        // Operators and constructors are named for their type: S_op_Addition, S_new.
        string baseName = method.MethodKind switch
        {
            MethodKind.Constructor => WgslNames.Escape(method.ContainingType.Name + "_new"),
            MethodKind.UserDefinedOperator or MethodKind.Conversion => WgslNames.Escape(method.ContainingType.Name + "_" + method.Name),
            MethodKind.PropertyGet or MethodKind.PropertySet => WgslNames.Escape(method.ContainingType.Name + "_" + method.Name),
            MethodKind.LocalFunction => WgslNames.Escape(FunctionLowering.LocalFunctionName(method) + string.Concat(typeArgumentTypes.Select(t => "_" + WgslNames.TypeSuffix(t)))),
            _ when !method.IsStatic => WgslNames.Escape(method.ContainingType.Name + "_" + method.Name + string.Concat(typeArgumentTypes.Select(t => "_" + WgslNames.TypeSuffix(t)))),
            _ => WgslNames.Escape(method.Name + string.Concat(typeArgumentTypes.Select(t => "_" + WgslNames.TypeSuffix(t)))),
        };
        if (aliases is not null)
            baseName += "_aliased";
        string name = baseName;
        for (int n = 2; !ClaimName(name); n++)
            name = baseName + "_" + n;
        var helper = new HelperFunction(name);
        helpers.Add(key, helper);
        if (declaration is not null)
            HelperDeclarations.Add(declaration);
        callStack.Add(method);
        try
        {
            var model = GetSemanticModel(((SyntaxNode?)declaration ?? primary!).SyntaxTree);
            var spanParameters = method.Parameters.Where(p => FunctionLowering.IsSpanOrArray(Known, p.Type))
                .Zip(spanArguments, (parameter, argument) => argument.IsSlice && argument.PointerType is not null
                    ? SliceParameter(parameter, PointerParameter(parameter, argument, spanArguments), spanArguments)
                    : argument.IsSlice
                    ? SliceParameter(parameter, argument, spanArguments)
                    : argument.PointerType is null
                    ? new KernelParameterBinding(parameter, argument.Kind, argument.Type, argument.WgslName)
                    {
                        Slot = argument.Slot,
                        SharedLength = argument.SharedLength,
                        SharedLengthName = argument.SharedLengthName,
                        PackedVector3 = argument.PackedVector3,
                        HostLayout = argument.HostLayout,
                        Variable = argument.Variable,
                    }
                    : PointerParameter(parameter, argument, spanArguments))
                .ToList();
            var previous = method.TypeParameters.Select(Types.SubstitutionOf).ToList();
            for (int i = 0; i < typeArguments.Count; i++)
                Types.Substitute(method.TypeParameters[i], typeArguments[i]);
            try
            {
                var function = new FunctionLowering(this, model, method, spanParameters, name) { ReferenceAlias = aliases, Captures = captures, PlaceReferences = placeReferences }.LowerHelper(declaration);
                if (function is not null && !HasErrors)
                {
                    EvaluationOrder.Run(function, ir);
                    RuntimeConstants.Run(function, RequirePolyfill);
                    function.Effects = Effects.OfFunction(function);
                }
                helper.Function = function;
            }
            finally
            {
                for (int i = 0; i < typeArguments.Count; i++)
                    Types.EndSubstitution(method.TypeParameters[i], previous[i]);
            }
        }
        finally
        {
            callStack.RemoveAt(callStack.Count - 1);
        }
        if (helper.Function is null)
        {
            helper.Failed = true;
            return null;
        }
        helperOrder.Add(helper);
        return helper.Function;
    }

    /// <summary>
    /// The first parameter of a struct's primary constructor that the struct's members read outside field initializers
    /// (C# then stores it in a hidden field), or null.
    /// </summary>
    private string? PrimaryParameterCapture(TypeDeclarationSyntax type, IMethodSymbol constructor)
    {
        var model = GetSemanticModel(type.SyntaxTree);
        foreach (var name in type.Members.SelectMany(m => m.DescendantNodes()).OfType<IdentifierNameSyntax>())
        {
            if (model.GetSymbolInfo(name, CancellationToken).Symbol is IParameterSymbol p && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, constructor)
                && !name.Ancestors().Any(a => a is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax } or PropertyDeclarationSyntax }))
                return p.Name;
        }
        return null;
    }

    /// <summary>
    /// A helper's Span parameter given a slice: the array it views, and two i32 parameters (<c>s_offset</c>, <c>s_length</c>)
    /// named for its C# name unless a module-scope name or a buffer the helper's other Span parameters name has it.
    /// </summary>
    private KernelParameterBinding SliceParameter(IParameterSymbol parameter, KernelParameterBinding argument, IReadOnlyList<KernelParameterBinding> spanArguments)
    {
        string Name(string suffix)
        {
            string name = WgslNames.Escape(parameter.Name + suffix);
            while (IsModuleName(name) || spanArguments.Any(a => a.PointerType is null && a.WgslName == name) || parameter.ContainingSymbol is IMethodSymbol m && m.Parameters.Any(q => q.Name == name))
                name += "_";
            return name;
        }
        var offset = new IrVariable(Name("_offset"), WgslType.I32, IrVariableKind.Parameter);
        var length = new IrVariable(Name("_length"), WgslType.I32, IrVariableKind.Parameter);
        var binding = FunctionLowering.SliceBinding(argument, parameter, new IrRef(offset), new IrRef(length));
        binding.SliceOffsetParameter = offset;
        binding.SliceLengthParameter = length;
        return binding;
    }

    /// <summary>
    /// A helper's pointer parameter (a caller's per-invocation array), named for its C# name unless a module-scope name or a
    /// buffer the helper's other Span parameters name has it.
    /// </summary>
    private KernelParameterBinding PointerParameter(IParameterSymbol parameter, KernelParameterBinding argument, IReadOnlyList<KernelParameterBinding> spanArguments)
    {
        string name = WgslNames.Escape(parameter.Name);
        while (IsModuleName(name) || spanArguments.Any(a => a.PointerType is null && a.WgslName == name))
            name += "_";
        return new KernelParameterBinding(parameter, argument.Kind, argument.Type, name)
        {
            SharedLength = argument.SharedLength,
            PointerType = argument.PointerType,
            Variable = new IrVariable(name, WgslType.PointerTo(WgslType.ArrayOf(argument.Type!, argument.SharedLength)), IrVariableKind.Parameter),
        };
    }

    /// <summary>
    /// A WGSL function that gives a built-in operation its C# meaning, emitted once per module on first use.
    /// <paramref name="text"/> makes the function's text from the name it was given.
    /// </summary>
    public IrPolyfill RequirePolyfill(string baseName, System.Func<string, string> text)
    {
        if (polyfills.TryGetValue(baseName, out var known))
            return known;
        string name = baseName;
        for (int n = 2; !ClaimName(name); n++)
            name = baseName + "_" + n;
        var polyfill = new IrPolyfill(name, text(name));
        polyfills.Add(baseName, polyfill);
        ir.Polyfills.Add(polyfill);
        return polyfill;
    }

    private readonly HashSet<IMethodSymbol> reportedRecursion = new(SymbolEqualityComparer.Default);

    private void ReportRecursion(IMethodSymbol method, SyntaxNode callSite)
    {
        if (!reportedRecursion.Add(method))
            return; // one diagnostic per recursive method (Fib(n - 1) + Fib(n - 2) is one cause)
        int start = callStack.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        var cycle = callStack.Skip(start).Select(m => m.Name).Concat([method.Name]);
        Report(DiagnosticDescriptors.RecursiveCall, callSite, method.ContainingType.Name + "." + method.Name, string.Join(" -> ", cycle));
    }

    private sealed class HelperKeyComparer : IEqualityComparer<(IMethodSymbol Method, string Buffers)>
    {
        public static readonly HelperKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, string Buffers) x, (IMethodSymbol Method, string Buffers) y)
            => SymbolEqualityComparer.Default.Equals(x.Method, y.Method) && x.Buffers == y.Buffers;

        public int GetHashCode((IMethodSymbol Method, string Buffers) obj)
            => SymbolEqualityComparer.Default.GetHashCode(obj.Method) ^ obj.Buffers.GetHashCode();
    }

    private sealed class HelperFunction(string name)
    {
        public string Name { get; } = name;

        public IrFunction? Function { get; set; }

        public bool Failed { get; set; }
    }
}
