using KernelGen;

namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Sparse matrix kernels in the formats cuSPARSE users know: ELL, COO with float atomics, CSR row-per-warp, Jacobi.</summary>
public static partial class Sparse
{
    /// <summary>ELLPACK SpMV: column-major slots, padding marked by column -1.</summary>
    [Kernel]
    public static void EllSpMV(ThreadId id, ReadOnlySpan<int> columns, ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> y, int slots)
    {
        var row = id.X;
        var rows = y.Length;
        if (row >= rows) return;
        var dot = 0f;
        for (var s = 0; s < slots; s++)
        {
            var col = columns[s * rows + row];
            if (col == -1) break;
            dot = MathF.FusedMultiplyAdd(values[s * rows + row], x[col], dot);
        }
        y[row] = dot;
    }

    /// <summary>COO SpMV: one thread per non-zero, the products added with a float atomic (order-dependent sums: integer-valued test data).</summary>
    [Kernel]
    public static void CooSpMV(ThreadId id, ReadOnlySpan<int> rowIndex, ReadOnlySpan<int> colIndex, ReadOnlySpan<float> values, ReadOnlySpan<float> x, Span<float> y)
    {
        var k = id.X;
        if (k >= values.Length) return;
        Atomic.Add(ref y[rowIndex[k]], values[k] * x[colIndex[k]]);
    }

    /// <summary>One Jacobi sweep for A x = b with A in CSR: x' = (b - Σ_{j≠i} a_ij x_j) / a_ii.</summary>
    [Kernel]
    public static void JacobiCsr(ThreadId id, ReadOnlySpan<int> rowStart, ReadOnlySpan<int> cols, ReadOnlySpan<float> vals, ReadOnlySpan<float> b,
        ReadOnlySpan<float> x, Span<float> xNext)
    {
        var i = id.X;
        if (i >= xNext.Length) return;
        float sigma = 0f, diagonal = 1f;
        for (var k = rowStart[i]; k < rowStart[i + 1]; k++)
        {
            if (cols[k] == i) diagonal = vals[k];
            else sigma += vals[k] * x[cols[k]];
        }
        xNext[i] = (b[i] - sigma) / diagonal;
    }
}
