namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Transformer pieces as llm.c / PyTorch-kernel authors write them: GEMV, RMSNorm, RoPE, online softmax, cross-entropy.</summary>
public static partial class Ml3
{
    public const int Threads = 64;

    /// <summary>y = A x + b, one workgroup per row, a strided partial dot per thread then a tree reduction in shared memory.</summary>
    [Kernel(WorkgroupSize = Threads)]
    public static void Gemv(LocalId local, GroupId group, ReadOnlySpan<float> a, ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> y, int cols,
        [GroupShared(Threads)] Span<float> partial)
    {
        var row = group.X;
        var t = local.X;
        var sum = 0f;
        var rowData = a.Slice(row * cols, cols);
        for (var c = t; c < cols; c += Threads) sum += rowData[c] * x[c];
        partial[t] = sum;
        Workgroup.Barrier();
        for (var s = Threads / 2; s > 0; s >>= 1)
        {
            if (t < s) partial[t] += partial[t + s];
            Workgroup.Barrier();
        }
        if (t == 0) y[row] = partial[0] + bias[row];
    }

    static float SumOfSquares(ReadOnlySpan<float> v)
    {
        var s = 0f;
        foreach (var e in v) s += e * e;
        return s;
    }

    /// <summary>RMSNorm per row: x / sqrt(mean(x²) + eps) * weight, the row passed to a helper as a slice.</summary>
    [Kernel]
    public static void RmsNorm(ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, int dim, float eps)
    {
        var row = id.X;
        if ((row + 1) * dim > x.Length) return;
        var input = x.Slice(row * dim, dim);
        var scale = 1f / MathF.Sqrt(SumOfSquares(input) / dim + eps);
        var output = y[(row * dim)..((row + 1) * dim)];
        for (var i = 0; i < dim; i++) output[i] = input[i] * scale * weight[i];
    }

    /// <summary>Rotary position embedding on (even, odd) pairs, the angle's sine and cosine from MathF.SinCos.</summary>
    [Kernel]
    public static void Rope(ThreadId id, Span<float> q, int headDim, float theta)
    {
        var pair = id.X;
        if (2 * pair + 1 >= q.Length) return;
        var position = 2 * pair / headDim;
        var i = pair % (headDim / 2);
        var freq = 1f / MathF.Pow(theta, 2f * i / headDim);
        var (sin, cos) = MathF.SinCos(position * freq);
        float a = q[2 * pair], b = q[2 * pair + 1];
        q[2 * pair] = a * cos - b * sin;
        q[2 * pair + 1] = a * sin + b * cos;
    }

    static (float Max, float Sum) Merge((float Max, float Sum) s, float v)
    {
        if (v <= s.Max) return (s.Max, s.Sum + MathF.Exp(v - s.Max));
        return (v, s.Sum * MathF.Exp(s.Max - v) + 1f);
    }

    /// <summary>Online (single-pass) softmax statistics per row with a tuple accumulator, then the normalised row.</summary>
    [Kernel]
    public static void OnlineSoftmax(ThreadId id, ReadOnlySpan<float> logits, Span<float> probs, int cols)
    {
        var row = id.X;
        if ((row + 1) * cols > logits.Length) return;
        (float Max, float Sum) acc = (float.NegativeInfinity, 0f);
        for (var c = 0; c < cols; c++) acc = Merge(acc, logits[row * cols + c]);
        for (var c = 0; c < cols; c++) probs[row * cols + c] = MathF.Exp(logits[row * cols + c] - acc.Max) / acc.Sum;
    }

    /// <summary>Cross-entropy loss per row against an integer target: logsumexp - logit[target]; rows with target -1 are ignored.</summary>
    [Kernel]
    public static void CrossEntropy(ThreadId id, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> loss, int cols)
    {
        var row = id.X;
        if (row >= targets.Length) return;
        var target = targets[row];
        if (target < 0) { loss[row] = 0f; return; }
        var max = float.MinValue;
        for (var c = 0; c < cols; c++) max = MathF.Max(max, logits[row * cols + c]);
        var sum = 0f;
        for (var c = 0; c < cols; c++) sum += MathF.Exp(logits[row * cols + c] - max);
        loss[row] = MathF.Log(sum) + max - logits[row * cols + target];
    }
}
