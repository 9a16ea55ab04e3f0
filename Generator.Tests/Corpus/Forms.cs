// Corpus: syntactic forms (expression bodies, void helpers, vector indexers, continue inside
// do/while and switch, nested struct uniforms, integer Math).
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051

using System;
using System.Numerics;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>A scale and an offset: 32 bytes, 16-byte aligned in WGSL.</summary>
public struct Affine
{
    public Vector4 Scale;
    public Vector4 Offset;
}

/// <summary>A uniform struct holding a struct; padded to WGSL's 48 bytes.</summary>
public struct AffineParameters
{
    public Affine Transform;
    public int Count;
    public int Padding0;
    public int Padding1;
    public int Padding2;
}

public static partial class Forms
{
    /// <summary>An expression-bodied kernel calling a void helper that writes the buffer.</summary>
    [Kernel]
    public static void Squares(ThreadId id, Span<int> y) => StoreSquare(y, id.X);

    private static void StoreSquare(Span<int> values, int i)
    {
        if (i >= values.Length)
            return;
        values[i] = i * i;
    }

    /// <summary>A struct inside the uniform struct; Vector4 components read through the indexer.</summary>
    [Kernel]
    public static void ApplyAffine(ThreadId id, ReadOnlySpan<Vector4> input, Span<Vector4> output, Span<float> weighted, AffineParameters parameters)
    {
        int i = id.X;
        if (i >= parameters.Count || i >= input.Length)
            return;
        Vector4 v = input[i] * parameters.Transform.Scale + parameters.Transform.Offset;
        output[i] = v;
        float sum = 0f;
        for (int k = 0; k < 4; k++)
            sum += v[k] * k;
        weighted[i] = sum;
    }

    /// <summary>continue inside do/while (re-tests the condition) and inside a switch in a for loop.</summary>
    [Kernel]
    public static void ContinueForms(ThreadId id, ReadOnlySpan<int> x, Span<int> oddSum, Span<int> tally)
    {
        int i = id.X;
        if (i >= x.Length)
            return;
        int n = Math.Abs(x[i]) % 20;
        int sum = 0;
        do
        {
            n--;
            if (n % 2 == 0)
                continue;
            sum += n;
        }
        while (n > 0);
        oddSum[i] = sum;

        int count = 0;
        for (int k = 0; k < 8; k++)
        {
            switch ((k + x[i]) & 3)
            {
                case 0:
                    continue;
                case 1:
                    count += 10;
                    break;
                default:
                    count++;
                    break;
            }
            count *= 2;
        }
        tally[i] = count;
    }

    /// <summary>Integer Math (Abs, Min, Max, Clamp, Sign on int and uint), nested ternaries, negations.</summary>
    [Kernel]
    public static void IntegerMath(ThreadId id, ReadOnlySpan<int> a, ReadOnlySpan<uint> b, Span<int> output)
    {
        int i = id.X;
        if (i >= a.Length || i >= b.Length || i * 4 + 3 >= output.Length)
            return;
        int v = a[i];
        uint u = b[i];
        output[i * 4] = Math.Abs(v) + Math.Min(v, 7) + Math.Max(v, -7);
        output[i * 4 + 1] = (int)(Math.Clamp(u, 10u, 500u) + Math.Max(u, 3u) - Math.Min(u, 100u));
        output[i * 4 + 2] = v > 10 ? 1 : v < -10 ? -1 : Math.Sign(v) * 2;
        output[i * 4 + 3] = -(-v) - -v + ~~v;
    }
}
