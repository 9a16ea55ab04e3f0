using System.Collections.Generic;
using System.Linq;
using KernelGen.Generator.Mappings;
using KernelGen.Generator.Translation.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace KernelGen.Generator.Translation.Lowering;

/// <summary>
/// System.Numerics.Matrix4x4 and Matrix3x2 as <c>mat4x4&lt;f32&gt;</c> and <c>mat3x2&lt;f32&gt;</c>. The one convention:
/// C#'s row i (<c>Mi1</c>, <c>Mi2</c>, ...) is WGSL's column i, so a matrix's bytes are the same on both sides,
/// <c>m.Mrc</c> is <c>m[r-1][c-1]</c>, C#'s row-vector product <c>v * M</c> (<c>Vector4.Transform(v, m)</c>) is
/// WGSL's <c>m * v</c>, and C#'s <c>a * b</c> is WGSL's <c>b * a</c>. Operations whose operands WGSL would take in
/// another order than C# evaluates them go through a function that takes them in C#'s order.
/// </summary>
internal sealed partial class FunctionLowering
{
    private const string MatrixSupported =
        "supported on Matrix4x4 and Matrix3x2 are the fields M11..M44, the indexers m[row] and m[row, column], X, Y, Z, W, Translation, Identity, IsIdentity, " +
        "the constructors, Create, + - * (by a matrix or a float), unary -, == and !=, Add, Subtract, Multiply, Negate, Lerp, Equals, Transpose (4x4), " +
        "CreateScale (scale only), CreateTranslation, CreateRotationX/Y/Z (4x4, about the origin), GetElement, GetRow, WithElement, WithRow, " +
        "and Vector2/3/4.Transform and TransformNormal by a matrix";

    /// <summary><c>m.Mrc</c>: column r-1, component c-1 of the WGSL matrix; null when the field is no element.</summary>
    private static IrSwizzle? MatrixElement(IrExpr instance, string field, WgslType matrix)
    {
        if (field.Length != 3 || field[0] != 'M')
            return null;
        int row = field[1] - '1', column = field[2] - '1';
        if (row < 0 || row >= matrix.MatrixColumns || column < 0 || column >= matrix.MatrixRows)
            return null;
        return new IrSwizzle(MatrixRow(instance, IrLiteral.I32(row), matrix), "xyzw"[column].ToString(), WgslType.F32);
    }

    private static IrIndex MatrixRow(IrExpr matrixValue, IrExpr row, WgslType matrix) => new(matrixValue, row, matrix.MatrixColumn!);

    private static IrConstruct MatrixIdentity(WgslType matrix)
        => new(matrix, Enumerable.Range(0, matrix.MatrixColumns * matrix.MatrixRows)
            .Select(i => (IrExpr)IrLiteral.F32(i / matrix.MatrixRows == i % matrix.MatrixRows ? 1f : 0f)).ToList());

    private static string MatrixName(WgslType matrix) => matrix.MatrixColumns == 4 ? "Matrix4x4" : "Matrix3x2";

    /// <summary>KG0062 for a matrix member without a translation.</summary>
    private void UnsupportedMatrixMember(IOperation op, string why)
        => module.Report(DiagnosticDescriptors.UnsupportedMatrixMember, op.Syntax, Snippet(op.Syntax), why + "; " + MatrixSupported);

    /// <summary>KG0063 when a constant row (or column) index is outside the matrix: C# throws, WGSL refuses the module.</summary>
    private bool MatrixIndexInRange(IOperation index, int count, string what, WgslType matrix)
    {
        if (index.ConstantValue is { HasValue: true, Value: int value } && (value < 0 || value >= count))
        {
            module.Report(DiagnosticDescriptors.MatrixIndexOutOfRange, index.Syntax, value, what, MatrixName(matrix), count);
            return false;
        }
        return true;
    }

    /// <summary>Whether the constant ones of a row and a column index (of an indexer, GetElement, WithRow, ...) are in the matrix (KG0063 otherwise).</summary>
    private bool MatrixIndicesInRange(IReadOnlyList<IOperation> indices, WgslType matrix)
    {
        bool ok = MatrixIndexInRange(indices[0], matrix.MatrixColumns, "row", matrix);
        if (indices.Count > 1)
            ok &= MatrixIndexInRange(indices[1], matrix.MatrixRows, "column", matrix);
        return ok;
    }

    /// <summary>Row and column indices of an indexer: checked when constant, then lowered.</summary>
    private List<IrExpr>? MatrixIndices(IReadOnlyList<IOperation> indices, WgslType matrix)
    {
        if (!MatrixIndicesInRange(indices, matrix))
            return null;
        var result = new List<IrExpr>();
        foreach (var index in indices)
        {
            if (Index(index) is not { } value)
                return null;
            result.Add(value);
        }
        return result;
    }

    /// <summary>A property of a matrix read as a value (Identity, IsIdentity, Translation, X..W, the indexers).</summary>
    private IrExpr? MatrixProperty(IPropertyReferenceOperation op, WgslType matrix)
    {
        var property = op.Property;
        if (property.IsStatic)
        {
            if (property.Name == "Identity")
                return MatrixIdentity(matrix);
            UnsupportedMatrixMember(op, $"{MatrixName(matrix)}.{property.Name} has no WGSL translation");
            return null;
        }
        if (property.Name == "IsIdentity")
        {
            var value = Value(op.Instance!);
            return value is null ? null : new IrCall(MatrixEquality(matrix), [value, MatrixIdentity(matrix)], WgslType.Bool);
        }
        return MatrixPlace(op, matrix, write: false);
    }

    /// <summary>
    /// A part of a matrix that can be read or written: a row (X, Y, Z, W, <c>m[row]</c>, Matrix3x2's Translation),
    /// an element (<c>m[row, column]</c>), or Matrix4x4's Translation (read only). The receiver is a value for reads
    /// and a place for writes.
    /// </summary>
    private IrExpr? MatrixPlace(IPropertyReferenceOperation op, WgslType matrix, bool write)
    {
        var property = op.Property;
        IrExpr? Receiver() => write ? Target(op.Instance!) : Value(op.Instance!);
        if (property.IsIndexer)
        {
            var indices = MatrixIndices(op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList(), matrix);
            var receiver = indices is null ? null : Receiver();
            if (indices is null || receiver is null)
                return null;
            var row = MatrixRow(receiver, indices[0], matrix);
            return indices.Count == 1 ? row : new IrIndex(row, indices[1], WgslType.F32);
        }
        int rowIndex = property.Name switch { "X" => 0, "Y" => 1, "Z" => 2, "W" => 3, "Translation" => matrix.MatrixColumns - 1, _ => -1 };
        if (rowIndex < 0 || rowIndex >= matrix.MatrixColumns)
        {
            UnsupportedMatrixMember(op, $"{MatrixName(matrix)}.{property.Name} has no WGSL translation");
            return null;
        }
        if (property.Name == "Translation" && matrix.MatrixRows == 4)
        {
            if (write)
            {
                UnsupportedMatrixMember(op, "WGSL cannot assign three components of a column at once: set M41, M42 and M43 (or m.W = new Vector4(t, m.M44))");
                return null;
            }
            var value = Receiver();
            return value is null ? null : new IrSwizzle(MatrixRow(value, IrLiteral.I32(3), matrix), "xyz", WgslType.Vec3);
        }
        var instance = Receiver();
        return instance is null ? null : MatrixRow(instance, IrLiteral.I32(rowIndex), matrix);
    }

    /// <summary><c>new Matrix4x4(m11, ..., m44)</c>, <c>new Matrix4x4(Matrix3x2)</c>, <c>new Matrix3x2(m11, ..., m32)</c>, with or without an initializer.</summary>
    private IrExpr? MatrixCreation(IObjectCreationOperation op, WgslType matrix)
    {
        int count = matrix.MatrixColumns * matrix.MatrixRows;
        var arguments = Values(op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value));
        if (arguments is null)
            return null;
        IrExpr? created = arguments.Count switch
        {
            0 => new IrConstruct(matrix, []),
            1 when arguments[0].Type == WgslType.Mat3x2 && matrix == WgslType.Mat4x4 => new IrCall(Matrix4x4From3x2(), arguments, matrix),
            _ when arguments.Count == count && arguments.All(e => e.Type == WgslType.F32) => new IrConstruct(matrix, arguments),
            _ => null,
        };
        if (created is null)
        {
            UnsupportedMatrixMember(op, "this constructor has no WGSL translation");
            return null;
        }
        if (op.Initializer is null)
            return created;
        if (op.Arguments.Length != 0)
        {
            Unsupported(op, "a constructor call with an object initializer is not supported: set the elements in the constructor, or use one of the two");
            return null;
        }
        // new Matrix4x4 { M11 = a, M22 = b }: the elements in C#'s order of the initialisers, zeros for the rest.
        var values = new Dictionary<int, IrExpr>();
        foreach (var initializer in op.Initializer.Initializers)
        {
            if (initializer is not ISimpleAssignmentOperation { Target: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } field } assignment
                || field.Field.Name is not { Length: 3 } name || name[0] != 'M')
            {
                Unsupported(initializer, "only element assignments (M11 = value) are supported in a matrix initializer");
                return null;
            }
            var value = Value(assignment.Value);
            if (value is null)
                return null;
            values[(name[1] - '1') * matrix.MatrixRows + (name[2] - '1')] = value;
        }
        var elements = Enumerable.Range(0, count).Select(i => values.TryGetValue(i, out var v) ? v : IrLiteral.F32(0f)).ToList();
        var order = values.Keys.Concat(Enumerable.Range(0, count).Where(i => !values.ContainsKey(i))).ToList();
        return new IrConstruct(matrix, elements, order);
    }

    /// <summary>C#'s <c>new Matrix4x4(Matrix3x2 m)</c> and <c>Matrix4x4.Create(m)</c>: the 2D affine transform in the XY plane.</summary>
    private IrPolyfill Matrix4x4From3x2() => module.RequirePolyfill("matrix4x4_from_mat3x2", n =>
        "// new Matrix4x4(Matrix3x2 m): the 2D transform in the XY plane (rows M11 M12 0 0, M21 M22 0 0, 0 0 1 0, M31 M32 0 1).\n" +
        $"fn {n}(m: mat3x2<f32>) -> mat4x4<f32> {{\n" +
        "    return mat4x4<f32>(vec4<f32>(m[0], 0.0f, 0.0f), vec4<f32>(m[1], 0.0f, 0.0f), vec4<f32>(0.0f, 0.0f, 1.0f, 0.0f), vec4<f32>(m[2], 0.0f, 1.0f));\n" +
        "}\n");

    /// <summary>CreateScale(Vector3) of Matrix4x4, CreateScale(Vector2) of Matrix3x2: the scales on the diagonal.</summary>
    private IrPolyfill MatrixScale(WgslType matrix) => matrix.MatrixColumns == 4
        ? module.RequirePolyfill("createScale_vec3", n =>
            "// Matrix4x4.CreateScale(Vector3 scales): the scales on the diagonal, 1 last.\n" +
            $"fn {n}(scales: vec3<f32>) -> mat4x4<f32> {{\n" +
            "    return mat4x4<f32>(scales.x, 0.0f, 0.0f, 0.0f, 0.0f, scales.y, 0.0f, 0.0f, 0.0f, 0.0f, scales.z, 0.0f, 0.0f, 0.0f, 0.0f, 1.0f);\n" +
            "}\n")
        : module.RequirePolyfill("createScale_vec2", n =>
            "// Matrix3x2.CreateScale(Vector2 scales): the scales on the diagonal, no translation.\n" +
            $"fn {n}(scales: vec2<f32>) -> mat3x2<f32> {{\n" +
            "    return mat3x2<f32>(scales.x, 0.0f, 0.0f, scales.y, 0.0f, 0.0f);\n" +
            "}\n");

    /// <summary>A binary operator with a matrix operand (+ - * == !=); null (reported) for any other.</summary>
    private IrExpr? MatrixOperator(BinaryOperatorKind kind, IrExpr left, WgslType leftType, IrExpr right, WgslType rightType, SyntaxNode at)
    {
        var matrix = leftType.IsMatrix ? leftType : rightType;
        switch (kind)
        {
            case BinaryOperatorKind.Multiply when leftType.IsMatrix && rightType.IsMatrix:
                return new IrCall(MatrixProduct(matrix), [left, right], matrix);
            case BinaryOperatorKind.Multiply when leftType.IsMatrix && rightType == WgslType.F32:
            case BinaryOperatorKind.Add or BinaryOperatorKind.Subtract when leftType == rightType:
                return new IrBinary(kind == BinaryOperatorKind.Multiply ? IrBinaryOp.Multiply : kind == BinaryOperatorKind.Add ? IrBinaryOp.Add : IrBinaryOp.Subtract, left, right, matrix);
            case BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals when leftType == rightType:
            {
                var equal = new IrCall(MatrixEquality(matrix), [left, right], WgslType.Bool);
                return kind == BinaryOperatorKind.Equals ? equal : new IrUnary(IrUnaryOp.Not, equal);
            }
        }
        module.Report(DiagnosticDescriptors.UnsupportedExpression, at, Snippet(at), "this operator has no WGSL translation on matrices: " + MatrixSupported);
        return null;
    }

    private IrCall MatrixNegation(IrExpr operand)
    {
        var matrix = operand.Type!;
        string columns = string.Join(", ", Enumerable.Range(0, matrix.MatrixColumns).Select(i => $"-m[{i}]"));
        var negate = module.RequirePolyfill("negate_" + Short(matrix), n =>
            $"// -m ({MatrixName(matrix)}.Negate): each element negated (-0 for 0, as in C#).\n" +
            $"fn {n}(m: {matrix.Name}) -> {matrix.Name} {{\n" +
            $"    return {matrix.Name}({columns});\n" +
            "}\n");
        return new IrCall(negate, [operand], matrix);
    }

    private static string Short(WgslType matrix) => matrix.MatrixColumns == 4 ? "mat4x4" : "mat3x2";

    private IrPolyfill MatrixProduct(WgslType matrix) => matrix.MatrixColumns == 4
        ? module.RequirePolyfill("multiply_mat4x4", n =>
            "// C#'s a * b (Matrix4x4.Multiply): C#'s rows are WGSL's columns, so the product is WGSL's b * a.\n" +
            $"fn {n}(a: mat4x4<f32>, b: mat4x4<f32>) -> mat4x4<f32> {{\n" +
            "    return b * a;\n" +
            "}\n")
        : module.RequirePolyfill("multiply_mat3x2", n =>
            "// C#'s a * b (Matrix3x2.Multiply: affine, a third column 0, 0, 1): each row of a through b's 2x2 part, plus b's translation on the last.\n" +
            $"fn {n}(a: mat3x2<f32>, b: mat3x2<f32>) -> mat3x2<f32> {{\n" +
            "    let linear: mat2x2<f32> = mat2x2<f32>(b[0], b[1]);\n" +
            "    return mat3x2<f32>(linear * a[0], linear * a[1], linear * a[2] + b[2]);\n" +
            "}\n");

    private IrPolyfill MatrixEquality(WgslType matrix)
    {
        string test = string.Join(" && ", Enumerable.Range(0, matrix.MatrixColumns).Select(i => $"all(a[{i}] == b[{i}])"));
        return module.RequirePolyfill("equals_" + Short(matrix), n =>
            $"// a == b on {MatrixName(matrix)}: every element equal, as in C#.\n" +
            $"fn {n}(a: {matrix.Name}, b: {matrix.Name}) -> bool {{\n" +
            $"    return {test};\n" +
            "}\n");
    }

    /// <summary>Whether <paramref name="target"/> is a matrix method or a vector's Transform/TransformNormal by a matrix.</summary>
    private bool IsMatrixCall(IMethodSymbol target)
        => WgslTypeMap.NumericsMatrix(target.ContainingType) is not null
            || (module.Known.VectorSize(target.ContainingType) > 0 && target.Name is "Transform" or "TransformNormal"
                && target.Parameters.Any(p => WgslTypeMap.NumericsMatrix(p.Type) is not null));

    /// <summary>A call of a Matrix4x4/Matrix3x2 method, or of Vector2/3/4.Transform/TransformNormal by a matrix.</summary>
    private IrExpr? MatrixInvocation(IInvocationOperation op, IMethodSymbol target)
    {
        var operands = new List<IOperation>();
        if (!target.IsStatic && op.Instance is not null)
            operands.Add(op.Instance);
        foreach (var argument in op.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
        {
            if (argument.Parameter is { RefKind: not RefKind.None })
            {
                UnsupportedMatrixMember(op, $"'{target.Name}' takes an out or ref argument, which a kernel cannot pass" +
                    (target.Name == "Invert" ? " (and inverting on the GPU would not match C#'s rounding: invert on the host and pass the inverse as a uniform)" : ""));
                return null;
            }
            operands.Add(argument.Value);
        }
        var types = new List<WgslType>();
        foreach (var operand in operands)
        {
            if (MapType(operand.Type, operand.Syntax) is not { } type)
                return null;
            types.Add(type);
        }
        var matrix = WgslTypeMap.NumericsMatrix(target.ContainingType);
        string signature = target.Name + "(" + string.Join(", ", types.Skip(target.IsStatic ? 0 : 1).Select(t => t.Name)) + ")";
        // Index checks before the values, so that a bad constant is one diagnostic.
        if (matrix is not null && target.Name is "GetElement" or "WithElement" or "GetRow" or "WithRow" && !target.IsStatic)
        {
            int indexCount = target.Name.EndsWith("Element", System.StringComparison.Ordinal) ? 2 : 1;
            if (!MatrixIndicesInRange(operands.Skip(1).Take(indexCount).ToList(), matrix))
                return null;
        }
        var a = Values(operands);
        if (a is null)
            return null;
        IrExpr? result = matrix is null ? VectorTransform(target, types, a) : MatrixMethod(target, matrix, types, a);
        if (result is null)
        {
            UnsupportedMatrixMember(op, target.Name switch
            {
                "GetDeterminant" or "Invert" or "Decompose" => $"{target.Name} is not translated: WGSL's arithmetic would not reproduce C#'s rounding of it; compute it on the host and pass it as a uniform, or write the formula as a helper method",
                _ => $"'{(matrix is null ? target.ContainingType.Name : MatrixName(matrix))}.{signature}' has no WGSL translation",
            });
        }
        return result;
    }

    private IrExpr? MatrixMethod(IMethodSymbol target, WgslType matrix, List<WgslType> types, List<IrExpr> a)
    {
        bool four = matrix.MatrixColumns == 4;
        IrExpr F(float value) => IrLiteral.F32(value);
        IrExpr Row(float x, float y, float z, float w) => new IrConstruct(WgslType.Vec4, [F(x), F(y), F(z), F(w)]);
        IrExpr Elements(params IrExpr[] elements) => new IrConstruct(matrix, elements);
        bool AllFloats(int n) => types.Count == n && types.All(t => t == WgslType.F32);
        if (target.IsStatic)
        {
            switch (target.Name)
            {
                case "Multiply" when types.Count == 2 && types[0] == matrix && types[1] == matrix:
                    return new IrCall(MatrixProduct(matrix), a, matrix);
                case "Multiply" when types.Count == 2 && types[0] == matrix && types[1] == WgslType.F32:
                    return new IrBinary(IrBinaryOp.Multiply, a[0], a[1], matrix);
                case "Add" when types.Count == 2:
                    return new IrBinary(IrBinaryOp.Add, a[0], a[1], matrix);
                case "Subtract" when types.Count == 2:
                    return new IrBinary(IrBinaryOp.Subtract, a[0], a[1], matrix);
                case "Negate" when types.Count == 1:
                    return MatrixNegation(a[0]);
                case "Transpose" when four && types.Count == 1:
                    return new IrBuiltinCall("transpose", a, matrix);
                case "Lerp" when types.Count == 3:
                    return new IrCall(MatrixLerp(matrix), a, matrix);
                case "Create" when types.Count == matrix.MatrixColumns * matrix.MatrixRows && AllFloats(types.Count):
                    return new IrConstruct(matrix, a);
                case "Create" when types.Count == matrix.MatrixColumns && types.All(t => t == matrix.MatrixColumn):
                    return new IrConstruct(matrix, a); // Create(x, y, z, w): the rows
                case "Create" when types.Count == 1 && types[0] == WgslType.F32:
                    return new IrConstruct(matrix, Enumerable.Range(0, matrix.MatrixColumns).Select(_ => (IrExpr)new IrConstruct(matrix.MatrixColumn!, [a[0]])).ToList());
                case "Create" when types.Count == 1 && types[0] == matrix.MatrixColumn:
                    return new IrConstruct(matrix, Enumerable.Repeat(a[0], matrix.MatrixColumns).ToList()); // every row the vector
                case "Create" when four && types.Count == 1 && types[0] == WgslType.Mat3x2:
                    return new IrCall(Matrix4x4From3x2(), a, matrix);
                case "CreateScale" when four && types.Count == 1 && types[0] == WgslType.F32:
                    return Elements(a[0], F(0), F(0), F(0), F(0), a[0], F(0), F(0), F(0), F(0), a[0], F(0), F(0), F(0), F(0), F(1));
                case "CreateScale" when types.Count == 1 && types[0] == (four ? WgslType.Vec3 : WgslType.Vec2):
                    return new IrCall(MatrixScale(matrix), a, matrix);
                case "CreateScale" when four && AllFloats(3):
                    return Elements(a[0], F(0), F(0), F(0), F(0), a[1], F(0), F(0), F(0), F(0), a[2], F(0), F(0), F(0), F(0), F(1));
                case "CreateScale" when !four && types.Count == 1 && types[0] == WgslType.F32:
                    return Elements(a[0], F(0), F(0), a[0], F(0), F(0));
                case "CreateScale" when !four && AllFloats(2):
                    return Elements(a[0], F(0), F(0), a[1], F(0), F(0));
                case "CreateTranslation" when four && types.Count == 1 && types[0] == WgslType.Vec3:
                    return new IrConstruct(matrix, [Row(1, 0, 0, 0), Row(0, 1, 0, 0), Row(0, 0, 1, 0), new IrConstruct(WgslType.Vec4, [a[0], F(1)])]);
                case "CreateTranslation" when four && AllFloats(3):
                    return Elements(F(1), F(0), F(0), F(0), F(0), F(1), F(0), F(0), F(0), F(0), F(1), F(0), a[0], a[1], a[2], F(1));
                case "CreateTranslation" when !four && types.Count == 1 && types[0] == WgslType.Vec2:
                    return new IrConstruct(matrix, [new IrConstruct(WgslType.Vec2, [F(1), F(0)]), new IrConstruct(WgslType.Vec2, [F(0), F(1)]), a[0]]);
                case "CreateTranslation" when !four && AllFloats(2):
                    return Elements(F(1), F(0), F(0), F(1), a[0], a[1]);
                case "CreateRotationX" or "CreateRotationY" or "CreateRotationZ" when four && AllFloats(1):
                    return new IrCall(MatrixRotation(target.Name.Substring(target.Name.Length - 1)), a, matrix);
            }
            return null;
        }
        switch (target.Name)
        {
            case "GetElement" when types.Count == 3:
                return new IrIndex(MatrixRow(a[0], a[1], matrix), a[2], WgslType.F32);
            case "GetRow" when types.Count == 2:
                return MatrixRow(a[0], a[1], matrix);
            case "WithElement" when types.Count == 4:
                return new IrCall(MatrixWith(matrix, element: true), a, matrix);
            case "WithRow" when types.Count == 3:
                return new IrCall(MatrixWith(matrix, element: false), a, matrix);
            case "Equals" when types.Count == 2 && types[1] == matrix:
                return new IrCall(MatrixEquality(matrix), a, WgslType.Bool);
        }
        return null;
    }

    /// <summary>Vector2/3/4.Transform and TransformNormal by a matrix: a function taking (v, m) in C#'s order.</summary>
    private IrCall? VectorTransform(IMethodSymbol target, List<WgslType> types, List<IrExpr> a)
    {
        if (types.Count != 2 || !types[1].IsMatrix || !types[0].IsVector)
            return null;
        var v = types[0];
        var m = types[1];
        var result = module.Known.VectorSize(target.ContainingType) switch { 2 => WgslType.Vec2, 3 => WgslType.Vec3, _ => WgslType.Vec4 };
        bool normal = target.Name == "TransformNormal";
        // The WGSL of each form, over parameters v and m; null where C# has no such overload.
        string? body = (result.VectorSize, v.VectorSize, m.MatrixColumns, normal) switch
        {
            (4, 4, 4, false) => "m * v",
            (4, 3, 4, false) => "m * vec4<f32>(v, 1.0f)",
            (4, 2, 4, false) => "m * vec4<f32>(v, 0.0f, 1.0f)",
            (3, 3, 4, false) => "(m * vec4<f32>(v, 1.0f)).xyz",
            (3, 3, 4, true) => "mat3x3<f32>(m[0].xyz, m[1].xyz, m[2].xyz) * v",
            (2, 2, 4, false) => "(m * vec4<f32>(v, 0.0f, 1.0f)).xy",
            (2, 2, 4, true) => "mat2x2<f32>(m[0].xy, m[1].xy) * v",
            (2, 2, 3, false) => "m * vec3<f32>(v, 1.0f)",
            (2, 2, 3, true) => "mat2x2<f32>(m[0], m[1]) * v",
            _ => null,
        };
        if (body is null)
            return null;
        string csharp = $"Vector{result.VectorSize}.{target.Name}(Vector{v.VectorSize}, {MatrixName(m)})";
        string what = normal ? "the translation row is not added" : (v.VectorSize, m.MatrixColumns) switch { (4, _) => "", (3, _) => "w = 1", (_, 3) => "z = 1", _ => "z = 0, w = 1" };
        string name = $"{(normal ? "transformNormal" : "transform")}_vec{v.VectorSize}_{Short(m)}" + (result.VectorSize != v.VectorSize ? "_vec" + result.VectorSize : "");
        var function = module.RequirePolyfill(name, n =>
            $"// {csharp}: C#'s row vector times the matrix is WGSL's m * v (C#'s rows are WGSL's columns){(what.Length > 0 ? "; " + what : "")}.\n" +
            $"fn {n}(v: {v.Name}, m: {m.Name}) -> {result.Name} {{\n" +
            $"    return {body};\n" +
            "}\n");
        return new IrCall(function, a, result);
    }

    private IrPolyfill MatrixRotation(string axis)
    {
        // C#'s layouts (rows): X [1 0 0 0; 0 c s 0; 0 -s c 0; 0 0 0 1], Y [c 0 -s 0; 0 1 0 0; s 0 c 0; 0 0 0 1], Z [c s 0 0; -s c 0 0; 0 0 1 0; 0 0 0 1].
        string rows = axis switch
        {
            "X" => "vec4<f32>(1.0f, 0.0f, 0.0f, 0.0f), vec4<f32>(0.0f, c, s, 0.0f), vec4<f32>(0.0f, -s, c, 0.0f)",
            "Y" => "vec4<f32>(c, 0.0f, -s, 0.0f), vec4<f32>(0.0f, 1.0f, 0.0f, 0.0f), vec4<f32>(s, 0.0f, c, 0.0f)",
            _ => "vec4<f32>(c, s, 0.0f, 0.0f), vec4<f32>(-s, c, 0.0f, 0.0f), vec4<f32>(0.0f, 0.0f, 1.0f, 0.0f)",
        };
        return module.RequirePolyfill("createRotation" + axis, n =>
            $"// Matrix4x4.CreateRotation{axis}(radians): C#'s rows as columns.\n" +
            $"fn {n}(radians: f32) -> mat4x4<f32> {{\n" +
            "    let c: f32 = cos(radians);\n" +
            "    let s: f32 = sin(radians);\n" +
            $"    return mat4x4<f32>({rows}, vec4<f32>(0.0f, 0.0f, 0.0f, 1.0f));\n" +
            "}\n");
    }

    private IrPolyfill MatrixLerp(WgslType matrix)
    {
        string vector = matrix.MatrixColumn!.Name;
        string columns = string.Join(", ", Enumerable.Range(0, matrix.MatrixColumns).Select(i => $"mix(a[{i}], b[{i}], {vector}(t))"));
        return module.RequirePolyfill("lerp_" + Short(matrix), n =>
            $"// {MatrixName(matrix)}.Lerp(a, b, t): mix(a, b, t) element by element, row by row.\n" +
            $"fn {n}(a: {matrix.Name}, b: {matrix.Name}, t: f32) -> {matrix.Name} {{\n" +
            $"    return {matrix.Name}({columns});\n" +
            "}\n");
    }

    private IrPolyfill MatrixWith(WgslType matrix, bool element)
    {
        string name = (element ? "withElement_" : "withRow_") + Short(matrix);
        return element
            ? module.RequirePolyfill(name, n =>
                $"// m.WithElement(row, column, value) on {MatrixName(matrix)}: a copy with one element replaced.\n" +
                $"fn {n}(m: {matrix.Name}, row: i32, column: i32, value: f32) -> {matrix.Name} {{\n" +
                $"    var result: {matrix.Name} = m;\n" +
                "    result[row][column] = value;\n" +
                "    return result;\n" +
                "}\n")
            : module.RequirePolyfill(name, n =>
                $"// m.WithRow(row, value) on {MatrixName(matrix)}: a copy with one row (a WGSL column) replaced.\n" +
                $"fn {n}(m: {matrix.Name}, row: i32, value: {matrix.MatrixColumn!.Name}) -> {matrix.Name} {{\n" +
                $"    var result: {matrix.Name} = m;\n" +
                "    result[row] = value;\n" +
                "    return result;\n" +
                "}\n");
    }
}
