using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Model;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Lowers one C# method body (the kernel itself or a helper it calls) to one IR function by walking its
/// operation tree: one method per construct, statements in the .Statements file and expressions in the
/// .Expressions file, calls and intrinsics in the .Calls file. Anything outside the kernel language is
/// reported at its span. Lowering writes no text and reorders nothing: expressions keep C#'s evaluation
/// order, and the passes make WGSL evaluate them that way.
/// </summary>
internal sealed partial class FunctionLowering
{
    private readonly WgslKernelTranslator module;
    private readonly SemanticModel model;
    private readonly IMethodSymbol method;
    private readonly Dictionary<IParameterSymbol, KernelParameterBinding> kernelParameters = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ISymbol, IrVariable> variables = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> written = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> failedLocals = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> calledNames = new(System.StringComparer.Ordinal);
    private readonly IrFunction function;
    private IrBlock current;
    private IrVariable? thisVariable;
    private SyntaxNode? currentStatement;
    private bool isEntryPoint;

    public FunctionLowering(WgslKernelTranslator module, SemanticModel model, IMethodSymbol method, IReadOnlyList<KernelParameterBinding> parameters, string name)
    {
        this.module = module;
        this.model = model;
        this.method = method;
        foreach (var p in parameters)
            kernelParameters[p.Symbol] = p;
        function = new IrFunction(name);
        current = function.Body;
    }

    /// <summary>Lowers the kernel to the <c>@compute</c> entry point; null when its body cannot be read.</summary>
    public IrFunction? LowerEntryPoint(BaseMethodDeclarationSyntax syntax, (int X, int Y, int Z) workgroupSize)
    {
        isEntryPoint = true;
        // Before anything binds the body: Roslyn's binder recurses too, and a body nested beyond WGSL's limits can
        // exhaust the generator thread's stack inside it.
        if (!WithinLimits(syntax))
            return null;
        ReportReadOnlyBufferWrites(syntax);
        var body = GetBody(syntax);
        if (body is null)
            return null;
        function.WorkgroupSize = workgroupSize;
        function.WorkgroupSizeNames = module.WorkgroupSizeNames;
        foreach (var p in kernelParameters.Values.OrderBy(p => p.Symbol.Ordinal))
        {
            switch (p.Kind)
            {
                case ParameterKind.ThreadId:
                    function.BuiltinParameters.Add(new("global_invocation_id", p.Variable!));
                    break;
                case ParameterKind.LocalId:
                    function.BuiltinParameters.Add(new("local_invocation_id", p.Variable!));
                    function.BuiltinParameters.Add(new("local_invocation_index", p.IndexVariable!));
                    break;
                case ParameterKind.GroupId:
                    function.BuiltinParameters.Add(new("workgroup_id", p.Variable!));
                    break;
                case ParameterKind.GroupCount:
                    function.BuiltinParameters.Add(new("num_workgroups", p.Variable!));
                    break;
                case ParameterKind.SubgroupId:
                    function.BuiltinParameters.Add(new("subgroup_invocation_id", p.LaneVariable!));
                    function.BuiltinParameters.Add(new("subgroup_size", p.SizeVariable!));
                    break;
            }
        }
        foreach (var p in kernelParameters.Values.OrderBy(p => p.Symbol.Ordinal))
        {
            if (p.Kind == ParameterKind.Uniform && written.Contains(p.Symbol))
            {
                // WGSL uniforms are read-only; C# parameters are assignable, so take a copy.
                var copy = new IrVariable(p.WgslName, p.Type!, IrVariableKind.Var);
                Emit(new IrDeclare(copy, FromUniform(UniformMember(p), p.Type!)));
                variables[p.Symbol] = copy;
            }
            else if (p.Kind == ParameterKind.Specialized && written.Contains(p.Symbol))
            {
                // An override is a constant: an assigned [Specialize] parameter is a copy under a name of its own.
                string name = p.WgslName + "_";
                while (module.IsModuleName(name) || calledNames.Contains(name))
                    name += "_";
                var copy = new IrVariable(name, p.Type!, IrVariableKind.Var);
                Emit(new IrDeclare(copy, new IrRef(p.Variable!)));
                variables[p.Symbol] = copy;
            }
        }
        MovableSpanParameters();
        Statements(body);
        Finish();
        return function;
    }

    /// <summary>Lowers a helper function (a static method the kernel calls); null when its signature cannot be translated (reported).</summary>
    public IrFunction? LowerHelper(CSharpSyntaxNode? syntax)
    {
        int problems = module.Diagnostics.Count;
        // A primary constructor has no declaration of its own (null): its field initializers are its body.
        var body = syntax is null ? null : GetBody(syntax);
        var copies = new List<IrStmt>();
        if (IsStructMember(method) && syntax is not null)
            ThisParameter(syntax);
        foreach (var p in method.Parameters)
        {
            if (kernelParameters.TryGetValue(p, out var bound))
            {
                // A Span parameter bound to a kernel buffer at this call names the buffer directly; one given a
                // caller's per-invocation array is a pointer to it.
                if (bound.PointerType is not null)
                    function.Parameters.Add(bound.Variable!);
                if (bound.SliceOffsetParameter is not null)
                {
                    function.Parameters.Add(bound.SliceOffsetParameter);
                    function.Parameters.Add(bound.SliceLengthParameter!);
                }
                continue;
            }
            if (IsIdType(p.Type) && p.RefKind == RefKind.None && Captures?.Any(c => c.Kind == CaptureKind.Id && SymbolEqualityComparer.Default.Equals(c.Symbol, p)) == true)
                continue; // the caller's id, taken after the parameters like a capture (IdArguments)
            var parameterSyntax = p.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(module.CancellationToken) as ParameterSyntax;
            var location = parameterSyntax?.Type?.GetLocation() ?? p.Locations.FirstOrDefault();
            if (IsSpecializeParameter(module.Known, p))
            {
                module.Report(DiagnosticDescriptors.InvalidSpecializeParameter, location, p.Name, method.ContainingType.Name + "." + method.Name,
                    "only kernel parameters are specialisation constants: remove [Specialize] here; the kernel passes the value on as a plain argument");
                continue;
            }
            if (p.RefKind is RefKind.Ref or RefKind.Out)
            {
                if (PlaceReferenceParameter(p))
                    continue; // given a place of an array atomics use: its index (PlaceReferences)
                if (ReferenceAlias is { } alias && alias.Merged == p.Ordinal)
                {
                    // This version of the function runs where both references name one place: one pointer for both.
                    var kept = method.Parameters[alias.Kept];
                    variables[p] = variables[kept];
                    referenceParameters.Add(p);
                    continue;
                }
                ReferenceParameter(p, location);
                continue;
            }
            module.Types.RejectedMember = null;
            var type = module.Types.Map(p.Type, out var why);
            if (type is null && module.Types.RejectedMember is not null)
            {
                // A struct whose member is the problem: reported once, at that member (not at every helper taking it).
                module.ReportUnsupportedType(p.Type, parameterSyntax?.Type, why, module.Types.RejectedMember);
                continue;
            }
            if (type is null)
            {
                module.Report(DiagnosticDescriptors.UnsupportedHelperMethod, location, method.ContainingType.Name + "." + method.Name,
                    $"parameter '{p.Name}' has type '{p.Type.ToDisplayString()}': {why}");
                continue;
            }
            string pname = WgslNames.Escape(p.Name);
            // A value parameter must not hide a buffer that a Span parameter of this function names.
            while (kernelParameters.Values.Any(b => b.WgslName == pname) || UsedByOtherName(pname, p.Name) || calledNames.Contains(pname) || IsSliceParameterName(pname))
                pname += "_";
            if (body is not null && written.Contains(p))
            {
                var incoming = new IrVariable(pname + "_in", type, IrVariableKind.Parameter);
                var local = new IrVariable(pname, type, IrVariableKind.Var);
                function.Parameters.Add(incoming);
                copies.Add(new IrDeclare(local, new IrRef(incoming)));
                variables[p] = local;
            }
            else
            {
                var parameter = new IrVariable(pname, type, IrVariableKind.Parameter);
                function.Parameters.Add(parameter);
                variables[p] = parameter;
            }
        }
        if (Captures is not null)
            CaptureParameters(Captures);
        if (IsConstructor)
        {
            var type = module.Types.Map(method.ContainingType, out var why);
            if (type is null)
                module.Report(DiagnosticDescriptors.UnsupportedHelperMethod, syntax?.GetLocation() ?? method.Locations.FirstOrDefault(), method.ContainingType.Name + "." + method.Name, why);
            else
                function.ReturnType = type;
        }
        else if (!method.ReturnsVoid)
        {
            if (method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                module.Report(DiagnosticDescriptors.UnsupportedHelperMethod, ReturnTypeLocation(syntax), method.ContainingType.Name + "." + method.Name, "it returns by reference: return the value");
            }
            else
            {
                var type = module.Types.Map(method.ReturnType, out var why);
                if (type is null)
                    module.Report(DiagnosticDescriptors.UnsupportedHelperMethod, ReturnTypeLocation(syntax), method.ContainingType.Name + "." + method.Name, $"it returns '{method.ReturnType.ToDisplayString()}': {why}");
                else
                    function.ReturnType = type;
            }
        }
        if (module.Diagnostics.Count > problems)
            return null;
        function.Comment = method.MethodKind switch
        {
            MethodKind.Constructor => $"// new {method.ContainingType.Name}({string.Join(", ", method.Parameters.Select(p => p.Type.ToDisplayString()))})",
            MethodKind.UserDefinedOperator or MethodKind.Conversion => $"// {method.ContainingType.Name}.{method.Name} (the C# operator)",
            MethodKind.PropertyGet => $"// {method.ContainingType.Name}.{((IPropertySymbol)method.AssociatedSymbol!).Name} (the property's getter)",
            MethodKind.LocalFunction => $"// {method.ContainingType.Name}.{method.ContainingSymbol.Name}: local function {method.Name}",
            _ => $"// {method.ContainingType.Name}.{method.Name}",
        };
        foreach (var copy in copies)
            Emit(copy);
        MovableSpanParameters();
        if (IsConstructor)
        {
            // Zero, as C# 11 defaults the fields a constructor leaves.
            thisVariable = new IrVariable(ThisName, function.ReturnType!, IrVariableKind.Var);
            Emit(new IrDeclare(thisVariable, null));
            ConstructorStart();
        }
        if (body is not null)
            Statements(body);
        if (IsConstructor && !(body is not null && body.Operations.Length > 0 && body.Operations[body.Operations.Length - 1] is IReturnOperation))
            Emit(new IrReturn(new IrRef(thisVariable!)));
        Finish();
        return function;
    }

    /// <summary>Records the names the body uses, so that passes take temporaries outside them.</summary>
    private void Finish()
    {
        CheckNo64BitNativeOperations();
        function.Names.UnionWith(calledNames);
        function.Names.UnionWith(reservedNames);
        function.Names.UnionWith(variables.Values.Select(v => v.Name));
        function.Names.UnionWith(function.Parameters.Select(v => v.Name));
        function.Names.UnionWith(function.BuiltinParameters.Select(v => v.Variable.Name));
        if (thisVariable is not null)
            function.Names.Add(ThisName);
    }

    private void Emit(IrStmt statement)
    {
        statement.Syntax ??= currentStatement;
        current.Statements.Add(statement);
    }

    /// <summary>
    /// Writes to a ReadOnlySpan buffer are C# errors too, which stop translation; say here what to change.
    /// </summary>
    private void ReportReadOnlyBufferWrites(BaseMethodDeclarationSyntax syntax)
    {
        foreach (var node in syntax.DescendantNodes())
        {
            var target = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression) => postfix.Operand,
                PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression) => prefix.Operand,
                _ => null,
            };
            while (target is MemberAccessExpressionSyntax member)
                target = member.Expression;
            if (target is ElementAccessExpressionSyntax { Expression: IdentifierNameSyntax name } element
                && model.GetSymbolInfo(name, module.CancellationToken).Symbol is IParameterSymbol parameter
                && kernelParameters.TryGetValue(parameter, out var binding)
                && binding.Kind == ParameterKind.ReadOnlyBuffer)
            {
                module.Report(DiagnosticDescriptors.WriteToReadOnlyBuffer, element, parameter.Name);
            }
        }
    }

    private static Location? ReturnTypeLocation(CSharpSyntaxNode? syntax) => syntax switch
    {
        MethodDeclarationSyntax m => m.ReturnType.GetLocation(),
        LocalFunctionStatementSyntax f => f.ReturnType.GetLocation(),
        AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax property } => property.Type.GetLocation(),
        ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax property } => property.Type.GetLocation(),
        _ => syntax?.GetLocation(),
    };

    /// <summary>A struct constructor, translated as a function that fills and returns <see cref="ThisName"/>.</summary>
    private bool IsConstructor => method.MethodKind == MethodKind.Constructor;

    /// <summary>The value a constructor builds (<c>this</c>; reserved from locals in constructors).</summary>
    private const string ThisName = "this_";

    /// <summary>C# expression nesting above this is reported (WGSL implementations stop near 255-512; the translator recurses).</summary>
    internal const int MaxExpressionDepth = 200;

    /// <summary>Statement nesting (blocks, branches, loops, each else-if) above this is reported (lavapipe failed at 90).</summary>
    internal const int MaxStatementDepth = 60;

    /// <summary>
    /// Measures the body's nesting without recursion, before anything recursive (binding, translation) sees it:
    /// a 10,000-term sum once overflowed the translator's stack. Reports KG0032 at the first place too deep.
    /// </summary>
    private bool WithinLimits(CSharpSyntaxNode syntax)
    {
        if (FindLimitViolation(syntax) is not { } violation)
            return true;
        module.Report(DiagnosticDescriptors.BeyondWgslLimits, violation.At, violation.Snippet, violation.Why);
        return false;
    }

    /// <summary>
    /// The first place where <paramref name="syntax"/> nests beyond the limits, found without recursion (so that it is
    /// safe on any input); null when it is within them. Nothing may bind a body before this says it is within them.
    /// </summary>
    internal static (Location At, string Snippet, string Why)? FindLimitViolation(SyntaxNode syntax)
    {
        var stack = new Stack<(SyntaxNode Node, int Expressions, int Statements, SyntaxNode Root)>();
        stack.Push((syntax, 0, 0, syntax));
        while (stack.Count > 0)
        {
            var (node, expressions, statements, root) = stack.Pop();
            if (node is ExpressionSyntax and not (IdentifierNameSyntax or LiteralExpressionSyntax or PredefinedTypeSyntax or QualifiedNameSyntax))
            {
                if (expressions == 0)
                    root = node; // the outermost expression is where the diagnostic goes
                expressions++;
            }
            else if (node is StatementSyntax and not BlockSyntax || (node is BlockSyntax && node.Parent is BlockSyntax))
                statements++;
            if (expressions > MaxExpressionDepth)
                return (root.GetLocation(), Snippet(root), $"nests expressions more than {MaxExpressionDepth} deep");
            if (statements > MaxStatementDepth)
                return (node.GetFirstToken().GetLocation(), node.GetFirstToken().Text, $"nests statements (blocks, if, else if, loops) more than {MaxStatementDepth} deep");
            foreach (var child in node.ChildNodes())
                stack.Push((child, expressions, statements, root));
        }
        return null;
    }

    private IBlockOperation? GetBody(CSharpSyntaxNode syntax)
    {
        if (!isEntryPoint && !WithinLimits(syntax))
            return null;
        var operation = model.GetOperation(syntax, module.CancellationToken);
        IBlockOperation? block;
        if (operation is IConstructorBodyOperation constructor)
        {
            chainedConstructor = constructor.Initializer;
            block = constructor.BlockBody ?? constructor.ExpressionBody;
        }
        else if (operation is ILocalFunctionOperation localFunction)
        {
            block = localFunction.Body ?? localFunction.IgnoredBody;
        }
        else if (operation is IBlockOperation arrow)
        {
            block = arrow; // a property's => body
        }
        else
        {
            var body = operation as IMethodBodyOperation;
            block = body?.BlockBody ?? body?.ExpressionBody;
        }
        if (block is null)
        {
            module.HasInvalidCode = true;
            return null;
        }
        foreach (var op in block.DescendantsAndSelf())
        {
            if (op is IInvalidOperation || op.Type is { TypeKind: TypeKind.Error })
            {
                // C# errors: the compiler reports them; translating would only add noise.
                module.HasInvalidCode = true;
                return null;
            }
            switch (op)
            {
                case IInvocationOperation { TargetMethod.DeclaringSyntaxReferences.Length: > 0 } call:
                    calledNames.Add(WgslNames.Escape(call.TargetMethod.Name));
                    break;
                case IFieldReferenceOperation or IPropertyReferenceOperation when TableSymbol(op) is { } table:
                    calledNames.Add(WgslNames.Escape(table.Name)); // a lookup table's module-scope const: no local may hide it
                    break;
                case ISimpleAssignmentOperation a:
                    MarkWritten(a.Target);
                    if (!a.IsRef && a.Target is ILocalReferenceOperation { Local: var assignedSpan } && IsSpan(assignedSpan.Type))
                        SpanAssigned(assignedSpan, a.Value);
                    else if (!a.IsRef && a.Target is IParameterReferenceOperation { Parameter: var assignedParameter } && IsSpan(assignedParameter.Type))
                        SpanAssigned(assignedParameter, a.Value);
                    break;
                case IDeconstructionAssignmentOperation d:
                    MarkTupleWritten(d.Target);
                    break;
                case IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref, Initializer.Value: { } refTarget }:
                    MarkWritten(refTarget);
                    SpanWritten(refTarget);
                    break;
                case ICompoundAssignmentOperation c: MarkWritten(c.Target); break;
                case IIncrementOrDecrementOperation i: MarkWritten(i.Target); break;
                case IArgumentOperation { Parameter.RefKind: not RefKind.None } arg:
                    MarkWritten(arg.Value);
                    SpanWritten(arg.Value);
                    break;
            }
            // A struct member that writes its struct writes the caller's variable (conservatively: any non-readonly one).
            if (op is IInvocationOperation { Instance: { } receiver, TargetMethod: { IsReadOnly: false } member } && IsStructMember(member))
                MarkWritten(receiver);
            else if (op is IPropertyReferenceOperation { Instance: { } owner, Property.GetMethod: { IsReadOnly: false } getter } && IsStructMember(getter))
                MarkWritten(owner);
        }
        return block;
    }

    private void MarkTupleWritten(IOperation target)
    {
        if (target is IDeclarationExpressionOperation declaration)
            target = declaration.Expression;
        if (target is ITupleOperation tuple)
        {
            foreach (var element in tuple.Elements)
                MarkTupleWritten(element);
        }
        else
        {
            MarkWritten(target);
        }
    }

    private void MarkWritten(IOperation target)
    {
        while (true)
        {
            switch (target)
            {
                case IFieldReferenceOperation { Instance: { } instance }:
                    target = instance;
                    continue;
                case IPropertyReferenceOperation { Instance: { } instance } when !IsSpan(instance.Type):
                    target = instance;
                    continue;
                case ILocalReferenceOperation local:
                    written.Add(local.Local);
                    return;
                case IParameterReferenceOperation parameter:
                    written.Add(parameter.Parameter);
                    return;
                default:
                    return;
            }
        }
    }

    private bool IsSpan(ITypeSymbol? type) => module.Known.IsSpan(type);

    internal static string RefKindText(RefKind kind) => kind switch
    {
        RefKind.Ref => "ref",
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => "ref readonly",
    };

    private string LocalName(ILocalSymbol local)
    {
        if (variables.TryGetValue(local, out var known))
            return known.Name;
        string name = WgslNames.Escape(local.Name);
        // A local must not hide a module-scope name or a function this body calls.
        while (module.IsModuleName(name) || calledNames.Contains(name) || ((IsConstructor || thisVariable is not null) && name == ThisName) || UsedByOtherName(name, local.Name)
            || arrayTemporaries.Contains(name) || IsSliceParameterName(name) || captureNames.Contains(name))
            name += "_";
        return name;
    }

    /// <summary>The variable of a local (declared or about to be), created with its WGSL name on first use.</summary>
    private IrVariable LocalVariable(ILocalSymbol local, WgslType type, IrVariableKind kind)
    {
        if (!variables.TryGetValue(local, out var variable))
        {
            variable = new IrVariable(LocalName(local), type, kind);
            variables[local] = variable;
        }
        return variable;
    }

    /// <summary>
    /// Whether a symbol with another C# name already has the WGSL name <paramref name="name"/> here (<c>fn</c>
    /// escaped to <c>fn_</c>, then a local really named <c>fn_</c>). Symbols with the same C# name share their
    /// WGSL name: C# scoping already keeps them apart.
    /// </summary>
    private bool UsedByOtherName(string name, string csharpName)
    {
        foreach (var pair in variables)
        {
            if (pair.Value.Name == name && pair.Key.Name != csharpName)
                return true;
        }
        return false;
    }

    private WgslType? MapType(ITypeSymbol? type, SyntaxNode? at)
    {
        if (IsIdType(type))
        {
            module.Report(DiagnosticDescriptors.BuiltinIdAsValue, at, at is null ? type!.Name : Snippet(at), type!.Name switch { "LocalId" => ".X, .Y, .Z, .Index", "SubgroupId" => ".Lane, .Size", _ => ".X, .Y, .Z" });
            return null;
        }
        if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
        {
            module.Report(DiagnosticDescriptors.UnsafeCode, at, at is null ? type.ToDisplayString() : Snippet(at));
            return null;
        }
        module.Types.RejectedMember = null;
        var mapped = module.Types.Map(type, out var why);
        if (mapped is null)
            module.ReportUnsupportedType(type, at, why, module.Types.RejectedMember);
        return mapped;
    }

    internal static string Snippet(SyntaxNode node)
    {
        var span = node.Span;
        var text = node.SyntaxTree.GetText().ToString(new Microsoft.CodeAnalysis.Text.TextSpan(span.Start, System.Math.Min(span.Length, 240))).Replace("\r", " ").Replace("\n", " ");
        while (text.Contains("  "))
            text = text.Replace("  ", " ");
        return text.Length > 60 || span.Length > 240 ? text.Substring(0, System.Math.Min(text.Length, 57)) + "..." : text;
    }
}
