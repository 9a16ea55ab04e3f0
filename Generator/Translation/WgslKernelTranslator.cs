using System.Collections.Generic;
using System.Linq;
using System.Threading;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Translates one kernel, and the helper methods it calls, into one WGSL module. Problems are
/// collected as diagnostics; the module text is only meaningful when there are none.
/// </summary>
internal sealed class WgslKernelTranslator
{
    private readonly Dictionary<SyntaxTree, SemanticModel> semanticModels = [];
    private readonly Dictionary<(IMethodSymbol Method, string Buffers), HelperFunction> helpers = new(HelperKeyComparer.Instance);
    private readonly List<HelperFunction> helperOrder = [];
    private readonly Dictionary<string, HelperFunction> polyfills = new(System.StringComparer.Ordinal);
    private readonly List<HelperFunction> polyfillOrder = [];
    private readonly List<IMethodSymbol> callStack = [];
    private readonly HashSet<string> moduleNames = new(System.StringComparer.Ordinal);

    public WgslKernelTranslator(Compilation compilation, CancellationToken cancellationToken)
    {
        Compilation = compilation;
        CancellationToken = cancellationToken;
        Types = new WgslTypeMap(ClaimName);
    }

    public Compilation Compilation { get; }

    public CancellationToken CancellationToken { get; }

    public WgslTypeMap Types { get; }

    public List<DiagnosticInfo> Diagnostics { get; } = [];

    /// <summary>True when some body has C# errors: the compiler reports them, the kernel is not emitted.</summary>
    public bool HasInvalidCode { get; set; }

    public bool UsesBarriers { get; set; }

    /// <summary>
    /// The buffers and shared arrays (by WGSL name) that atomics use, with their element scalar: declared as
    /// <c>array&lt;atomic&lt;i32|u32&gt;&gt;</c> (a float's bits in <c>atomic&lt;u32&gt;</c>), every access atomic.
    /// </summary>
    public Dictionary<string, WgslScalar> AtomicBuffers { get; private set; } = new(System.StringComparer.Ordinal);

    public bool HasErrors => HasInvalidCode || Diagnostics.Count > 0;

    /// <summary>The declarations of every helper the kernel called (whose text its translation depends on).</summary>
    public List<SyntaxNode> HelperDeclarations { get; } = [];

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode? node, params object?[] args)
        => Diagnostics.Add(DiagnosticInfo.Create(descriptor, node, args));

    public void Report(DiagnosticDescriptor descriptor, Location? location, params object?[] args)
        => Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));

    private readonly Dictionary<IMethodSymbol, bool> barrierHelpers = new(SymbolEqualityComparer.Default);

    /// <summary>Whether a method with source calls Workgroup.Barrier/StorageBarrier, directly or through its callees.</summary>
    public bool ContainsBarrier(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (barrierHelpers.TryGetValue(method, out var known))
            return known;
        barrierHelpers[method] = false; // recursion guard (recursion is reported elsewhere)
        bool result = false;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(CancellationToken);
            if (GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, CancellationToken) is not { } body)
                continue;
            foreach (var call in body.Descendants().OfType<IInvocationOperation>())
            {
                var target = call.TargetMethod;
                if (target is { Name: "Barrier" or "StorageBarrier", ContainingType: { Name: "Workgroup", ContainingNamespace.Name: "KernelGen" } }
                    || (target.DeclaringSyntaxReferences.Length > 0 && ContainsBarrier(target)))
                {
                    result = true;
                    break;
                }
            }
        }
        barrierHelpers[method] = result;
        return result;
    }

    /// <summary>Claims a module-scope name; false when it is taken.</summary>
    public bool ClaimName(string name) => moduleNames.Add(name);

    public bool IsModuleName(string name) => moduleNames.Contains(name);

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
        AtomicBuffers = AtomicOperations.FindBuffers(this, kernel, parameters);
        callStack.Add(kernel);
        var body = new WgslFunctionTranslator(this, model, kernel, parameters).TranslateEntryPoint(syntax, entryPoint, workgroupSize);
        callStack.RemoveAt(callStack.Count - 1);

        var w = new SourceWriter();
        w.Line($"// Generated by KernelGen from the C# kernel {fullName}, {sourceLocation}.");
        w.Line("// Edit the C# method, not this text.");
        if (Types.UsesF16)
        {
            w.Line();
            w.Line("enable f16;");
        }
        foreach (var type in Types.Structs)
        {
            w.Line();
            w.Open($"struct {type.Name} {{");
            foreach (var field in type.Fields)
                w.Line($"{field.Name}: {field.Type.Name},");
            w.Close();
        }
        var uniforms = parameters.Where(p => p.Kind == ParameterKind.Uniform).ToList();
        if (uniforms.Count > 0)
        {
            w.Line();
            w.Open($"struct {WgslNames.UniformStruct} {{");
            foreach (var u in uniforms)
                w.Line($"{u.UniformAttributes}{u.WgslName}: {u.Type!.Name},");
            w.Close();
        }
        bool first = true;
        foreach (var p in parameters)
        {
            string element = p.Type is null ? "" : AtomicBuffers.TryGetValue(p.WgslName, out var scalar)
                ? (scalar == WgslScalar.I32 ? "atomic<i32>" : "atomic<u32>")
                : p.Type.Name;
            string? declaration = p.Kind switch
            {
                ParameterKind.ReadOnlyBuffer => $"@group(0) @binding({p.Slot}) var<storage, read> {p.WgslName}: array<{element}>;",
                ParameterKind.Buffer => $"@group(0) @binding({p.Slot}) var<storage, read_write> {p.WgslName}: array<{element}>;",
                ParameterKind.Shared => $"var<workgroup> {p.WgslName}: array<{element}, {p.SharedLength}>;",
                _ => null,
            };
            if (declaration is null)
                continue;
            if (first)
                w.Line();
            first = false;
            w.Line(declaration);
        }
        if (uniforms.Count > 0)
        {
            if (first)
                w.Line();
            int binding = parameters.Count(p => p.IsBuffer);
            w.Line($"@group(0) @binding({binding}) var<uniform> {WgslNames.UniformVariable}: {WgslNames.UniformStruct};");
        }
        foreach (var helper in polyfillOrder.Concat(helperOrder))
        {
            w.Line();
            w.Raw(helper.Text ?? "");
        }
        w.Line();
        w.Raw(body);
        return w.ToString();
    }

    /// <summary>
    /// The WGSL function name for a call to <paramref name="method"/>, translating it on first use;
    /// null (with a diagnostic) when it cannot be a WGSL function.
    /// </summary>
    /// <remarks>
    /// A helper's Span parameters are bound to the kernel's buffers at each call: every distinct
    /// binding gets its own WGSL function, in which the parameter names the module-scope buffer.
    /// </remarks>
    public string? RequireHelper(IMethodSymbol method, SyntaxNode callSite, IReadOnlyList<KernelParameterBinding> spanArguments)
    {
        method = method.OriginalDefinition;
        var key = (method, string.Join(",", spanArguments.Select(a => a.WgslName)));
        if (helpers.TryGetValue(key, out var known))
        {
            if (known.Failed)
                return null;
            if (known.Text is null && callStack.Contains(method, SymbolEqualityComparer.Default))
            {
                ReportRecursion(method, callSite);
                return null;
            }
            return known.Name;
        }
        int onStack = callStack.FindIndex(m => SymbolEqualityComparer.Default.Equals(m, method));
        if (onStack >= 0)
        {
            ReportRecursion(method, callSite);
            return null;
        }

        string display = method.ContainingType.Name + "." + method.Name;
        string? problem = null;
        BaseMethodDeclarationSyntax? declaration = null;
        bool constructor = method.MethodKind == MethodKind.Constructor && method.ContainingType.IsValueType;
        if (!method.IsStatic && !constructor)
            problem = "it is an instance method; kernels can only call static methods";
        else if (method.IsGenericMethod || method.ContainingType.IsGenericType)
            problem = "it is generic, and WGSL has no generics: write a non-generic overload";
        else if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.UserDefinedOperator or MethodKind.Conversion) && !constructor)
            problem = "only static methods, struct constructors and operators can be called (no local functions or accessors)";
        else
        {
            declaration = method.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(CancellationToken))
                .OfType<BaseMethodDeclarationSyntax>()
                .FirstOrDefault(d => d.Body is not null || d.ExpressionBody is not null);
            if (declaration is null)
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
            _ => WgslNames.Escape(method.Name),
        };
        string name = baseName;
        for (int n = 2; !ClaimName(name); n++)
            name = baseName + "_" + n;
        var helper = new HelperFunction(name);
        helpers.Add(key, helper);
        HelperDeclarations.Add(declaration!);
        callStack.Add(method);
        try
        {
            var model = GetSemanticModel(declaration!.SyntaxTree);
            var spanParameters = method.Parameters.Where(p => WgslFunctionTranslator.IsSpan(p.Type))
                .Zip(spanArguments, (parameter, argument) => new KernelParameterBinding(parameter, argument.Kind, argument.Type, argument.WgslName)
                {
                    Slot = argument.Slot,
                    SharedLength = argument.SharedLength,
                })
                .ToList();
            helper.Text = new WgslFunctionTranslator(this, model, method, spanParameters).TranslateHelper(declaration, name);
        }
        finally
        {
            callStack.RemoveAt(callStack.Count - 1);
        }
        if (helper.Text is null)
        {
            helper.Failed = true;
            return null;
        }
        helperOrder.Add(helper);
        return name;
    }

    /// <summary>
    /// The name of a WGSL function that gives a built-in operation its C# meaning, emitted once per module
    /// on first use. <paramref name="text"/> makes the function's text from the name it was given.
    /// </summary>
    public string RequirePolyfill(string baseName, System.Func<string, string> text)
    {
        if (polyfills.TryGetValue(baseName, out var known))
            return known.Name;
        string name = baseName;
        for (int n = 2; !ClaimName(name); n++)
            name = baseName + "_" + n;
        var polyfill = new HelperFunction(name) { Text = text(name) };
        polyfills.Add(baseName, polyfill);
        polyfillOrder.Add(polyfill);
        return name;
    }

    private void ReportRecursion(IMethodSymbol method, SyntaxNode callSite)
    {
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

        public string? Text { get; set; }

        public bool Failed { get; set; }
    }
}
