// Corpus: per-invocation arrays (stackalloc, new T[N], initialisers, collection expressions) and helpers that take them.
using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A struct element of a per-invocation array.</summary>
public struct ArrayEntry
{
    public float Key;
    public int Count;
}

public static partial class Arrays
{
    private const int TileRows = 2;
    private const int TileColumns = 4;

    /// <summary>Register-tiled matrix product: each thread computes a 2 x 4 tile of C in a stackalloc accumulator.</summary>
    [Kernel(WorkgroupSize = 16)]
    public static void RegisterTileMatMul(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        int tilesPerRow = (n + TileColumns - 1) / TileColumns;
        int row0 = id.X / tilesPerRow * TileRows;
        int column0 = id.X % tilesPerRow * TileColumns;
        if (row0 >= m)
            return;
        Span<float> acc = stackalloc float[TileRows * TileColumns];
        float[] left = new float[TileRows];
        for (int p = 0; p < k; p++)
        {
            for (int r = 0; r < left.Length; r++)
                left[r] = row0 + r < m ? a[(row0 + r) * k + p] : 0f;
            for (int j = 0; j < TileColumns; j++)
            {
                float right = column0 + j < n ? b[p * n + column0 + j] : 0f;
                for (int r = 0; r < TileRows; r++)
                    acc[r * TileColumns + j] += left[r] * right;
            }
        }
        for (int r = 0; r < TileRows; r++)
        {
            for (int j = 0; j < TileColumns; j++)
            {
                if (row0 + r < m && column0 + j < n)
                    c[(row0 + r) * n + column0 + j] = acc[r * TileColumns + j];
            }
        }
    }

    /// <summary>Each thread sorts 8 values in a per-invocation array through helpers that take it as a Span (a WGSL pointer).</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void SortEight(ThreadId id, ReadOnlySpan<float> x, Span<float> sorted)
    {
        int group = id.X;
        if (group * 8 >= x.Length)
            return;
        Span<float> values = stackalloc float[8];
        for (int i = 0; i < values.Length; i++)
            values[i] = x[group * 8 + i];
        InsertionSort(values);
        for (int i = 0; i < values.Length; i++)
            sorted[group * 8 + i] = values[i];
    }

    private static void InsertionSort(Span<float> values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            for (int j = i; j > 0 && values[j - 1] > values[j]; j--)
                Swap(values, j - 1, j);
        }
    }

    private static void Swap(Span<float> values, int i, int j)
    {
        float t = values[i];
        values[i] = values[j];
        values[j] = t;
    }

    /// <summary>Initialised arrays of every form: stackalloc with elements, array initialisers, new[], collection expressions.</summary>
    [Kernel]
    public static void InitializedArrays(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        Span<float> weights = stackalloc float[] { 0.25f, 0.5f, 0.25f };
        int[] offsets = { -1, 0, 1 };
        ReadOnlySpan<float> scale = [1f, 2f];
        var bias = new[] { 0.5f };
        Span<int> flags = stackalloc[] { 1, 0 };
        float sum = 0f;
        for (int t = 0; t < weights.Length; t++)
        {
            int j = Math.Clamp(i + offsets[t], 0, x.Length - 1);
            sum += weights[t] * x[j];
        }
        y[i] = sum * scale[flags[i & 1] == 1 ? 1 : 0] + bias[0];
    }

    /// <summary>Arrays of vectors and structs: element fields and components written, compound assignment and ++ on elements.</summary>
    [Kernel]
    public static void StructAndVectorArrays(ThreadId id, ReadOnlySpan<float> x, Span<Vector4> points, Span<float> keys, Span<int> counts)
    {
        int i = id.X;
        if (i >= points.Length)
            return;
        Span<Vector4> corners = stackalloc Vector4[2];
        corners[1] = new Vector4(1f, 2f, 3f, 4f);
        corners[0].X = x[i];
        corners[0].W += corners[1].Y * 2f;
        ArrayEntry[] entries = new ArrayEntry[3];
        for (int e = 0; e < entries.Length; e++)
        {
            entries[e].Key = x[i] * (e + 1);
            entries[e].Count++;
            entries[e].Count += e;
        }
        entries[2].Count *= 10;
        points[i] = corners[0] + corners[1];
        keys[i] = entries[0].Key + entries[1].Key + entries[2].Key;
        counts[i] = entries[0].Count + entries[1].Count + entries[2].Count;
    }

    /// <summary>A histogram of 4 bins per thread (++ on an element with a computed index); the median of three in a helper with its own array.</summary>
    [Kernel]
    public static void SmallHistogram(ThreadId id, ReadOnlySpan<int> x, Span<int> bins, Span<int> medians)
    {
        int i = id.X;
        if (i * 4 >= x.Length)
            return;
        Span<int> local = stackalloc int[4];
        for (int t = 0; t < 4; t++)
            local[x[i * 4 + t] & 3]++;
        for (int b = 0; b < local.Length; b++)
            bins[i * 4 + b] = local[b];
        medians[i] = MedianOfThree(x[i * 4], x[i * 4 + 1], x[i * 4 + 2]);
    }

    /// <summary>foreach over a per-invocation array (with a conversion of the loop variable) and over a buffer, with continue and break.</summary>
    [Kernel]
    public static void ForEachLoops(ThreadId id, ReadOnlySpan<int> x, Span<float> weighted, Span<int> equal)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int[] weights = { 1, 2, 3 };
        float sum = 0f;
        foreach (float w in weights)
            sum += w * x[i];
        weighted[i] = sum;
        int count = 0;
        foreach (int v in x)
        {
            if (v != x[i])
                continue;
            count++;
            if (count == 3)
                break;
        }
        equal[i] = count;
    }

    /// <summary>Span methods on per-invocation arrays: Fill, CopyTo (whole and into a longer array), Clear.</summary>
    [Kernel]
    public static void SpanMethods(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        Span<float> a = stackalloc float[4];
        a.Fill(x[i]);
        Span<float> b = stackalloc float[4];
        a.CopyTo(b);
        b[1] = 0f;
        Span<float> c = stackalloc float[6];
        b.CopyTo(c);
        c[5] = 1f;
        a.Clear();
        y[i] = a[0] + b[0] + b[1] + c[3] + c[4] + c[5];
    }

    /// <summary>Evaluation order with a helper that writes the array through its pointer: C# reads a[0] before the call.</summary>
    [Kernel]
    public static void PointerWriteOrder(ThreadId id, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        Span<float> a = stackalloc float[2];
        a[0] = x[i];
        y[i] = a[0] + (x[i] > 0f ? Bump(a) : 0.5f);
        a[1] += Bump(a) * a[0];
        y[i] += a[1];
    }

    private static float Bump(Span<float> a)
    {
        a[0] += 10f;
        return a[0];
    }

    private static int MedianOfThree(int a, int b, int c)
    {
        int[] v = { a, b, c };
        Order(v, 0, 1);
        Order(v, 1, 2);
        Order(v, 0, 1);
        return v[1];
    }

    private static void Order(int[] v, int i, int j)
    {
        if (v[i] > v[j])
        {
            int t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
    }
}
