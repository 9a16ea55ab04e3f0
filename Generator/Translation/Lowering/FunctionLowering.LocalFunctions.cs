using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>How a local function takes one variable of the method around it (see <see cref="LocalCapture"/>).</summary>
internal enum CaptureKind
{
    /// <summary>A buffer, workgroup array, uniform, override, or a Span local naming one whole: module scope, no argument.</summary>
    ModuleScope,

    /// <summary>A local or parameter the local function only reads: a value parameter (C# reads it at call time).</summary>
    Value,

    /// <summary>A local or parameter the local function (or one it calls) writes: a <c>ptr&lt;function, T&gt;</c> parameter.</summary>
    Pointer,

    /// <summary>A built-in id of the entry point: its parameters, passed on.</summary>
    Id,

    /// <summary>A Span local or parameter viewing a slice of a buffer or workgroup array: its offset and length.</summary>
    Slice,
}

/// <summary>
/// One variable a local function uses from the method around it, and how it is passed: the same for every call
/// (all of them are inside that method, or inside local functions that pass the variable on the same way).
/// </summary>
internal sealed record LocalCapture(ISymbol Symbol, CaptureKind Kind, WgslType? Type, KernelParameterBinding? Binding)
{
    public string Signature => Symbol.Name + ":" + Kind + ":" + (Type?.Name ?? Binding?.WgslName ?? "");
}

internal sealed partial class FunctionLowering
{
    /// <summary>For a local function: how it takes what it captures (parameters after its own); null for other functions.</summary>
    public IReadOnlyList<LocalCapture>? Captures { get; init; }

    /// <summary>The names of the parameters that carry captured variables (no local of the body may take them).</summary>
    private readonly HashSet<string> captureNames = new(System.StringComparer.Ordinal);

    /// <summary>
    /// The variables of the methods around <paramref name="localFunction"/> that it uses (directly or through the
    /// local functions it calls), and whether it writes each; in the order of their first use.
    /// </summary>
    internal static List<(ISymbol Symbol, bool Written, SyntaxNode At)> CapturedVariables(WgslKernelTranslator module, IMethodSymbol localFunction)
    {
        var result = new List<(ISymbol Symbol, bool Written, SyntaxNode At)>();
        Collect(module, localFunction, result, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default));
        return result;
    }

    private static void Collect(WgslKernelTranslator module, IMethodSymbol localFunction, List<(ISymbol Symbol, bool Written, SyntaxNode At)> result, HashSet<IMethodSymbol> visiting)
    {
        localFunction = localFunction.OriginalDefinition;
        if (!visiting.Add(localFunction))
            return;
        foreach (var reference in localFunction.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(module.CancellationToken);
            if (FindLimitViolation(syntax) is not null || module.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, module.CancellationToken) is not { } body)
                continue;
            bool Inside(ISymbol symbol) => symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == syntax.SyntaxTree && syntax.Span.Contains(r.Span));
            void Add(ISymbol symbol, bool written, SyntaxNode at)
            {
                if (Inside(symbol))
                    return;
                int i = result.FindIndex(c => SymbolEqualityComparer.Default.Equals(c.Symbol, symbol));
                if (i < 0)
                    result.Add((symbol, written, at));
                else if (written && !result[i].Written)
                    result[i] = (result[i].Symbol, true, result[i].At);
            }
            foreach (var op in body.Descendants())
            {
                switch (op)
                {
                    case ILocalReferenceOperation { Local.IsConst: false } local:
                        Add(local.Local, IsWrite(op), op.Syntax);
                        break;
                    case IParameterReferenceOperation parameter:
                        Add(parameter.Parameter, IsWrite(op), op.Syntax);
                        break;
                    case IInstanceReferenceOperation:
                        Add(localFunction.ContainingType, false, op.Syntax); // 'this': reported by the caller
                        break;
                    case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call when !Inside(call.TargetMethod.OriginalDefinition):
                    {
                        // A local function this one calls takes its captures from here: they are captures of this one too.
                        var inner = new List<(ISymbol Symbol, bool Written, SyntaxNode At)>();
                        Collect(module, call.TargetMethod, inner, visiting);
                        foreach (var c in inner)
                            Add(c.Symbol, c.Written, call.Syntax);
                        break;
                    }
                }
            }
        }
        visiting.Remove(localFunction);
    }

    /// <summary>Whether a reference to a variable writes it (an assignment's target, ref/out, ++, a field of it assigned...).</summary>
    private static bool IsWrite(IOperation reference)
    {
        var op = reference;
        while (true)
        {
            var parent = op.Parent;
            switch (parent)
            {
                case IFieldReferenceOperation field when field.Instance == op:
                    op = parent;
                    continue;
                case IPropertyReferenceOperation { Property.IsIndexer: false } property when property.Instance == op:
                    op = parent;
                    continue;
                case IAssignmentOperation assignment when assignment.Target == op:
                case IIncrementOrDecrementOperation:
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                case IDeclarationExpressionOperation:
                    return true;
                case ITupleOperation:
                    op = parent;
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref } }:
                    return true;
                case IInvocationOperation { TargetMethod: { IsReadOnly: false } member } call when call.Instance == op && IsStructMember(member):
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// How the local function <paramref name="target"/> takes each variable it captures, decided from what they are here
    /// (the caller, inside the same method); null when one cannot be taken (KG0069, reported).
    /// </summary>
    private List<(LocalCapture Capture, List<IrExpr> Arguments)>? LocalFunctionCaptures(IMethodSymbol target, IInvocationOperation call)
    {
        var callSite = call.Syntax;
        var result = new List<(LocalCapture, List<IrExpr>)>();
        bool failed = false;
        void Reject(ISymbol symbol, string why)
        {
            module.Report(DiagnosticDescriptors.UnsupportedCapture, callSite, target.Name, symbol is ITypeSymbol ? "this" : symbol.Name, why);
            failed = true;
        }
        var captured = CapturedVariables(module, target);
        foreach (var argument in call.Arguments)
        {
            // C#'s captured variable and its ref argument would be one place; WGSL forbids two pointers to one variable.
            if (argument.Parameter is not { RefKind: RefKind.Ref or RefKind.Out })
                continue;
            var root = Unwrap(argument.Value);
            while (root is IFieldReferenceOperation { Instance: { } instance })
                root = instance;
            ISymbol? rootSymbol = root switch { ILocalReferenceOperation l => l.Local, IParameterReferenceOperation p => p.Parameter, _ => null };
            if (rootSymbol is not null && captured.Any(c => SymbolEqualityComparer.Default.Equals(c.Symbol, rootSymbol)))
            {
                module.Report(DiagnosticDescriptors.UnsupportedCapture, argument.Syntax, target.Name, rootSymbol.Name,
                    "it also receives by reference at this call: the two would be one variable in C#, and WGSL forbids two references to one variable; use only the capture, or only the ref parameter");
                return null;
            }
        }
        foreach (var (symbol, isWritten, _) in captured)
        {
            switch (symbol)
            {
                case ITypeSymbol:
                    Reject(symbol, "is the struct the method runs on: GPU functions take no 'this'; make the local function static and pass the fields it needs");
                    break;
                case ILocalSymbol local when failedLocals.Contains(local):
                    failed = true; // reported where it was declared
                    break;
                case ILocalSymbol local when refLocals.TryGetValue(local, out var alias):
                    if (alias is IrUnary { Op: IrUnaryOp.Deref, Operand: IrRef pointer } && pointer.Variable.Type.PointeeType is { } pointee && captureNames.Contains(pointer.Variable.Name))
                        result.Add(isWritten
                            ? (new LocalCapture(local, CaptureKind.Pointer, pointee, null), [new IrRef(pointer.Variable)])
                            : (new LocalCapture(local, CaptureKind.Value, pointee, null), [alias])); // a captured local passed on
                    else
                        Reject(local, "is a ref local: WGSL cannot pass on a reference to an element or field; make the local function take the value (or a ref parameter) and pass it at the call");
                    break;
                case ILocalSymbol local when spanLocals.TryGetValue(local, out var view):
                    if (view.SliceOffset is null)
                        result.Add((new LocalCapture(local, CaptureKind.ModuleScope, null, view), []));
                    else
                        result.Add((new LocalCapture(local, CaptureKind.Slice, null, view), [view.SliceOffset, view.SliceLength!]));
                    break;
                case ILocalSymbol local when localArrays.ContainsKey(local):
                    Reject(local, "is a per-invocation array: pass it to the local function as a Span<T> parameter (static float Sum(Span<float> a) ...)");
                    break;
                case ILocalSymbol local when variables.TryGetValue(local, out var variable):
                    CaptureVariable(local, variable, isWritten, false);
                    break;
                case IParameterSymbol parameter when variables.TryGetValue(parameter, out var variable):
                    CaptureVariable(parameter, variable, isWritten, referenceParameters.Contains(parameter));
                    break;
                case IParameterSymbol parameter when kernelParameters.TryGetValue(parameter, out var binding):
                    if (binding.IsId)
                        result.Add((new LocalCapture(parameter, CaptureKind.Id, null, binding),
                            new[] { binding.Variable, binding.IndexVariable, binding.LaneVariable, binding.SizeVariable }.Where(v => v is not null).Select(v => (IrExpr)new IrRef(v!)).ToList()));
                    else if (binding.PointerType is not null)
                        Reject(parameter, "is a Span parameter given a per-invocation array: pass it to the local function as a Span<T> parameter");
                    else if (binding.SliceOffset is not null)
                        result.Add((new LocalCapture(parameter, CaptureKind.Slice, null, binding), [binding.SliceOffset, binding.SliceLength!]));
                    else
                        result.Add((new LocalCapture(parameter, CaptureKind.ModuleScope, null, binding), []));
                    break;
                default:
                    Reject(symbol, "has no WGSL form the local function can take: pass it as a parameter");
                    break;
            }
        }
        return failed ? null : result;

        void CaptureVariable(ISymbol symbol, IrVariable variable, bool isWritten, bool isPointer)
        {
            if (isPointer)
                result.Add(isWritten
                    ? (new LocalCapture(symbol, CaptureKind.Pointer, variable.Type.PointeeType, null), [new IrRef(variable)])
                    : (new LocalCapture(symbol, CaptureKind.Value, variable.Type.PointeeType, null), [new IrUnary(IrUnaryOp.Deref, new IrRef(variable), variable.Type.PointeeType)]));
            else if (!isWritten)
                result.Add((new LocalCapture(symbol, CaptureKind.Value, variable.Type, null), [new IrRef(variable)]));
            else if (variable.Kind == IrVariableKind.Var && variable.Type.ArrayElement is null)
                result.Add((new LocalCapture(symbol, CaptureKind.Pointer, variable.Type, null), [AddressOf(variable)]));
            else
                Reject(symbol, "is written by the local function, and cannot be passed to it by reference here: assign the local function's result instead");
        }
    }

    /// <summary>The parameters that carry a local function's captures, after its own (see <see cref="LocalFunctionCaptures"/>).</summary>
    private void CaptureParameters(IReadOnlyList<LocalCapture> captures)
    {
        string Name(string csharpName)
        {
            string name = WgslNames.Escape(csharpName);
            while (module.IsModuleName(name) || calledNames.Contains(name) || variables.Values.Any(v => v.Name == name) || function.Parameters.Any(v => v.Name == name)
                || kernelParameters.Values.Any(b => b.WgslName == name) || captureNames.Contains(name) || IsSliceParameterName(name))
                name += "_";
            captureNames.Add(name);
            return name;
        }
        IrVariable Parameter(string csharpName, WgslType type)
        {
            var parameter = new IrVariable(Name(csharpName), type, IrVariableKind.Parameter);
            function.Parameters.Add(parameter);
            return parameter;
        }
        foreach (var capture in captures)
        {
            switch (capture.Kind)
            {
                case CaptureKind.ModuleScope when capture.Symbol is IParameterSymbol p:
                    kernelParameters[p] = capture.Binding!;
                    break;
                case CaptureKind.ModuleScope:
                    spanLocals[(ILocalSymbol)capture.Symbol] = capture.Binding!;
                    break;
                case CaptureKind.Value:
                    variables[capture.Symbol] = Parameter(capture.Symbol.Name, capture.Type!);
                    break;
                case CaptureKind.Pointer:
                {
                    var pointer = Parameter(capture.Symbol.Name, WgslType.PointerTo(capture.Type!));
                    if (capture.Symbol is IParameterSymbol p)
                    {
                        variables[p] = pointer;
                        referenceParameters.Add(p);
                    }
                    else
                    {
                        refLocals[(ILocalSymbol)capture.Symbol] = new IrUnary(IrUnaryOp.Deref, new IrRef(pointer), capture.Type!);
                    }
                    break;
                }
                case CaptureKind.Id:
                {
                    var b = capture.Binding!;
                    IrVariable? Copy(IrVariable? v) => v is null ? null : Parameter(v.Name, v.Type);
                    kernelParameters[(IParameterSymbol)capture.Symbol] = new KernelParameterBinding(b.Symbol, b.Kind, b.Type, b.WgslName)
                    {
                        Variable = Copy(b.Variable),
                        IndexVariable = Copy(b.IndexVariable),
                        LaneVariable = Copy(b.LaneVariable),
                        SizeVariable = Copy(b.SizeVariable),
                        IndexName = b.IndexName,
                        LaneName = b.LaneName,
                        SizeName = b.SizeName,
                    };
                    break;
                }
                case CaptureKind.Slice:
                {
                    var offset = Parameter(capture.Symbol.Name + "_offset", WgslType.I32);
                    var length = Parameter(capture.Symbol.Name + "_length", WgslType.I32);
                    var view = SliceBinding(capture.Binding!, capture.Binding!.Symbol, new IrRef(offset), new IrRef(length));
                    if (capture.Symbol is IParameterSymbol p)
                        kernelParameters[p] = view;
                    else
                        spanLocals[(ILocalSymbol)capture.Symbol] = view;
                    break;
                }
            }
        }
    }

    /// <summary>The WGSL name of a local function: its containing method's name, then its own (<c>Blur_Weight</c>).</summary>
    internal static string LocalFunctionName(IMethodSymbol localFunction)
        => localFunction.ContainingSymbol.Name + "_" + localFunction.Name;
}
