using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// Lookup tables: a <c>static readonly T[] W = { ... }</c> field or a <c>static ReadOnlySpan&lt;T&gt; W =&gt; new T[] { ... }</c>
/// (or <c>=&gt; [ ... ]</c>) property with constant elements, read in a kernel or helper, becomes one module-scope
/// <c>const W: array&lt;T, N&gt; = array&lt;T, N&gt;(...)</c>: indexing, <c>Length</c> and <c>foreach</c> read it. The CPU
/// backend reads the C# member itself. Writes are reported (a GPU constant cannot change; C# would write memory
/// every invocation shares).
/// </summary>
internal sealed partial class FunctionLowering
{
    private readonly HashSet<ISymbol> failedTables = new(SymbolEqualityComparer.Default);

    /// <summary>The static field or property <paramref name="op"/> reads when it could be a lookup table (an array or span typed static member), else null.</summary>
    private ISymbol? TableSymbol(IOperation op) => op switch
    {
        IFieldReferenceOperation { Field: { IsStatic: true, IsConst: false } field } when IsSpanOrArray(field.Type) => field,
        IPropertyReferenceOperation { Property: { IsStatic: true, IsIndexer: false } property } when IsSpanOrArray(property.Type) => property,
        _ => null,
    };

    private bool IsFailedTable(IOperation op) => TableSymbol(op) is { } symbol && failedTables.Contains(symbol);

    /// <summary>The table <paramref name="op"/> names as an array to index (a failed one reported once, then marked failed).</summary>
    private (IrExpr Array, int Length, WgslType Element, string Name)? LookupTableOf(IOperation op)
    {
        var symbol = TableSymbol(op)!;
        var table = module.LookupTable(symbol, () => BuildTable(op, symbol));
        if (table is null)
        {
            failedTables.Add(symbol);
            // A placeholder so callers treat it as an array; IsFailedLocal stops them from using it.
            return (IrLiteral.I32(0), 1, WgslType.I32, symbol.Name);
        }
        return (new IrRef(table), table.Type.ArrayLength, table.Type.ArrayElement!, symbol.Name);
    }

    private IrExpr? TableWrite(IOperation op, IOperation table)
    {
        var symbol = TableSymbol(table)!;
        module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax),
            $"it writes the lookup table '{symbol.Name}', which is a constant on the GPU (and memory every invocation shares in C#): copy it into a per-invocation array (float[] a = new float[N]; then a loop) and write that");
        failedTables.Add(symbol);
        return null;
    }

    private (string Name, WgslType Type, IrExpr Value)? BuildTable(IOperation op, ISymbol symbol)
    {
        string display = symbol.ContainingType.Name + "." + symbol.Name;
        void Fail(string why) => module.Report(DiagnosticDescriptors.UnsupportedMember, op.Syntax, Snippet(op.Syntax), why);
        ExpressionSyntax? source = null;
        switch (symbol)
        {
            case IFieldSymbol field:
                if (!field.IsReadOnly)
                {
                    Fail($"'{display}' is a static field that is not readonly: a lookup table is a 'static readonly' array with constant elements (or a 'static ReadOnlySpan<T> {field.Name} => new T[] {{ ... }}' property); pass other data as a buffer");
                    return null;
                }
                source = (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(module.CancellationToken) as VariableDeclaratorSyntax)?.Initializer?.Value;
                break;
            case IPropertySymbol property:
                var declaration = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(module.CancellationToken) as PropertyDeclarationSyntax;
                source = declaration?.ExpressionBody?.Expression
                    ?? declaration?.AccessorList?.Accessors.FirstOrDefault(a => a.Keyword.Text == "get") switch
                    {
                        { ExpressionBody.Expression: { } e } => e,
                        { Body.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } e } => e,
                        _ => null,
                    };
                if (declaration?.AccessorList?.Accessors.Any(a => a.Keyword.Text is "set" or "init") == true)
                    source = null;
                break;
        }
        if (source is null)
        {
            Fail($"'{display}' has no array initializer in this compilation: a lookup table is 'static readonly T[] {symbol.Name} = {{ ... }}' or 'static ReadOnlySpan<T> {symbol.Name} => new T[] {{ ... }}' with constant elements; pass other data as a buffer");
            return null;
        }
        var initializer = module.GetSemanticModel(source.SyntaxTree).GetOperation(source, module.CancellationToken);
        IReadOnlyList<IOperation>? elements = (initializer is null ? null : Unwrap(initializer)) switch
        {
            IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: { } init } => init.ElementValues,
            IArrayInitializerOperation init => init.ElementValues,
            ICollectionExpressionOperation collection when !collection.Elements.Any(e => e is ISpreadOperation) => collection.Elements,
            _ => null,
        };
        if (elements is null || elements.Count == 0)
        {
            Fail($"'{display}' is not initialised with a non-empty list of elements ({{ 1f, 2f }}, new[] {{ ... }} or [ ... ]): WGSL needs the table's values when the module is built; pass computed data as a buffer");
            return null;
        }
        if (elements.FirstOrDefault(e => !e.ConstantValue.HasValue && !IsConstantConstruction(e)) is { } computed)
        {
            Fail($"element '{Snippet(computed.Syntax)}' of '{display}' is not a constant: a lookup table's elements must be C# constants (or vectors of them); pass computed data as a buffer");
            return null;
        }
        var element = MapType(ElementTypeOf(symbol is IFieldSymbol f ? f.Type : ((IPropertySymbol)symbol).Type), op.Syntax);
        if (element is null)
            return null;
        var values = Values(elements.ToList());
        if (values is null)
            return null;
        if (values.FirstOrDefault(v => !IsConstantIr(v)) is not null)
        {
            Fail($"an element of '{display}' has no constant WGSL form (NaN and infinities come from their bits at run time): pass such values as a buffer or uniform");
            return null;
        }
        var type = WgslType.ArrayOf(element, values.Count);
        return (WgslNames.Escape(symbol.Name), type, new IrConstruct(type, values));
    }

    /// <summary>A vector made of constants (<c>new Vector2(1f, 2f)</c>).</summary>
    private static bool IsConstantConstruction(IOperation op)
        => Unwrap(op) is IObjectCreationOperation { Initializer: null } creation && creation.Type?.Name is "Vector2" or "Vector3" or "Vector4"
            && creation.Arguments.All(a => a.Value.ConstantValue.HasValue);

    private static bool IsConstantIr(IrExpr e) => e switch
    {
        IrLiteral => true,
        IrConstruct c => c.Children.All(IsConstantIr),
        IrConvert c => c.Children.All(IsConstantIr),
        IrUnary { Op: IrUnaryOp.Negate } u => u.Children.All(IsConstantIr),
        _ => false,
    };
}
