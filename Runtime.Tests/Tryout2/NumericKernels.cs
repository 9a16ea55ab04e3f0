using System.Numerics;
using System.Threading;

namespace KernelGen.Runtime.Tests.Tryout2;

public static class Activations2
{
    const float SqrtTwoOverPi = 0.7978845608f;
    public static float GeluTanh(float x) => 0.5f * x * (1f + MathF.Tanh(SqrtTwoOverPi * (x + 0.044715f * x * x * x)));
    public static float Silu(float x) => x / (1f + MathF.Exp(-x));

    /// <summary>Abramowitz-Stegun 7.1.26 erf, max error 1.5e-7.</summary>
    public static float Erf(float x)
    {
        var sign = x < 0 ? -1f : 1f;
        x = Math.Abs(x);
        const float a1 = 0.254829592f, a2 = -0.284496736f, a3 = 1.421413741f, a4 = -1.453152027f, a5 = 1.061405429f, p = 0.3275911f;
        var t = 1f / (1f + p * x);
        var y = 1f - ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t * MathF.Exp(-x * x);
        return sign * y;
    }

    public static float GeluErf(float x) => 0.5f * x * (1f + Erf(x / MathF.Sqrt(2f)));
}

public enum Activation : uint { Gelu, GeluExact, Silu, Relu }

public static partial class Ml
{
    [Kernel]
    public static void Activate(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Activation kind)
    {
        var i = id.X;
        if (i >= y.Length) return;
        var v = x[i];
        y[i] = kind switch
        {
            Activation.Gelu => Activations2.GeluTanh(v),
            Activation.GeluExact => Activations2.GeluErf(v),
            Activation.Silu => Activations2.Silu(v),
            _ => MathF.Max(v, 0f),
        };
    }

    public struct Welford
    {
        public float Mean;
        public float M2;
        public int Count;

        public void Add(float x)
        {
            Count++;
            var delta = x - Mean;
            Mean += delta / Count;
            M2 += delta * (x - Mean);
        }

        public readonly float Variance => Count > 0 ? M2 / Count : 0f;
    }

    /// <summary>LayerNorm per row with Welford's running mean and variance, then scale and shift.</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void LayerNorm(ThreadId id, ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, int features, float eps)
    {
        var row = id.X;
        if ((row + 1) * features > x.Length) return;
        var stats = new Welford();
        var input = x.Slice(row * features, features);
        foreach (var v in input) stats.Add(v);
        var inv = 1f / MathF.Sqrt(stats.Variance + eps);
        var output = y.Slice(row * features, features);
        for (var j = 0; j < features; j++)
            output[j] = (input[j] - stats.Mean) * inv * gamma[j] + beta[j];
    }

    const int Dim = 16;
    const int Keys = 64;

    /// <summary>
    /// Single-head attention for one query row per workgroup: scores = q·K^T/sqrt(d) (K tiled through shared
    /// memory), a softmax with a shared max/sum reduction, then the weighted sum of V.
    /// </summary>
    [Kernel(WorkgroupSize = Keys)]
    public static void Attention(LocalId local, GroupId group, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, Span<float> output,
        [GroupShared(Dim)] Span<float> query, [GroupShared(Keys)] Span<float> scores, [GroupShared(Keys)] Span<float> scratch)
    {
        var t = local.X;
        var row = group.X;
        if (t < Dim) query[t] = q[row * Dim + t];
        Workgroup.Barrier();
        var s = 0f;
        for (var d = 0; d < Dim; d++) s += query[d] * k[t * Dim + d];
        s *= 1f / MathF.Sqrt(Dim);
        scores[t] = s;
        scratch[t] = s;
        Workgroup.Barrier();
        for (var stride = Keys / 2; stride > 0; stride /= 2)
        {
            if (t < stride) scratch[t] = MathF.Max(scratch[t], scratch[t + stride]);
            Workgroup.Barrier();
        }
        var max = scratch[0];
        Workgroup.Barrier();
        var e = MathF.Exp(scores[t] - max);
        scores[t] = e;
        scratch[t] = e;
        Workgroup.Barrier();
        for (var stride = Keys / 2; stride > 0; stride /= 2)
        {
            if (t < stride) scratch[t] += scratch[t + stride];
            Workgroup.Barrier();
        }
        var sum = scratch[0];
        if (t < Dim)
        {
            var acc = 0f;
            for (var j = 0; j < Keys; j++) acc += scores[j] * v[j * Dim + t];
            output[row * Dim + t] = acc / sum;
        }
    }

    /// <summary>Symmetric int8 quantisation per block of 32 with an absmax scale.</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void Quantize(ThreadId id, ReadOnlySpan<float> x, Span<sbyte> q, Span<float> scales)
    {
        var block = id.X;
        if (block >= scales.Length) return;
        var values = x.Slice(block * 32, 32);
        var absMax = 0f;
        foreach (var v in values) absMax = MathF.Max(absMax, MathF.Abs(v));
        var scale = absMax / 127f;
        scales[block] = scale;
        var inv = scale == 0f ? 0f : 1f / scale;
        for (var i = 0; i < 32; i++)
            q[block * 32 + i] = (sbyte)Math.Clamp((int)MathF.Round(values[i] * inv), -127, 127);
    }

    [Kernel]
    public static void Dequantize(ThreadId id, ReadOnlySpan<sbyte> q, ReadOnlySpan<float> scales, Span<float> y)
    {
        var i = id.X;
        if (i < y.Length) y[i] = q[i] * scales[i / 32];
    }

    /// <summary>A generic dot-product-per-row kernel over INumber.</summary>
    [Kernel]
    public static void RowDot<T>(ThreadId id, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result, int n) where T : unmanaged, INumber<T>
    {
        var r = id.X;
        if (r >= result.Length) return;
        var acc = T.Zero;
        for (var i = 0; i < n; i++) acc += a[r * n + i] * b[r * n + i];
        result[r] = acc;
    }
}

public struct OptionSpec
{
    public float Spot;
    public float Strike;
    public float Years;
    public float Rate;
    public float Volatility;
}

public static partial class Finance
{
    static float NormalCdf(float x) => 0.5f * (1f + Activations2.Erf(x * 0.70710678f));

    [Kernel]
    public static void BlackScholes(ThreadId id, ReadOnlySpan<OptionSpec> options, Span<Vector2> prices)
    {
        var i = id.X;
        if (i >= options.Length) return;
        var o = options[i];
        var sqrtT = MathF.Sqrt(o.Years);
        var d1 = (MathF.Log(o.Spot / o.Strike) + (o.Rate + 0.5f * o.Volatility * o.Volatility) * o.Years) / (o.Volatility * sqrtT);
        var d2 = d1 - o.Volatility * sqrtT;
        var discount = MathF.Exp(-o.Rate * o.Years);
        var call = o.Spot * NormalCdf(d1) - o.Strike * discount * NormalCdf(d2);
        var put = o.Strike * discount * NormalCdf(-d2) - o.Spot * NormalCdf(-d1);
        prices[i] = new(call, put);
    }

    /// <summary>Monte Carlo pi: each invocation throws darts with its own PCG stream, hits summed atomically.</summary>
    [Kernel]
    public static void MonteCarloPi(ThreadId id, Span<uint> hits, Span<uint> perThread, int samples, uint seed)
    {
        var rng = new Pcg(seed ^ (uint)id.X * 0x9E3779B9u);
        var inside = 0u;
        for (var s = 0; s < samples; s++)
        {
            var x = rng.NextFloat();
            var y = rng.NextFloat();
            if (x * x + y * y <= 1f) inside++;
        }
        perThread[id.X] = inside;
        Interlocked.Add(ref hits[0], inside);
    }
}

public struct Complex
{
    public float Re, Im;
    public Complex(float re, float im) { Re = re; Im = im; }
    public static Complex operator +(Complex a, Complex b) => new(a.Re + b.Re, a.Im + b.Im);
    public static Complex operator -(Complex a, Complex b) => new(a.Re - b.Re, a.Im - b.Im);
    public static Complex operator *(Complex a, Complex b) => new(a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);
    public static Complex FromAngle(float a) => new(MathF.Cos(a), MathF.Sin(a));
    public readonly float Magnitude => MathF.Sqrt(Re * Re + Im * Im);
}

public static partial class Fft
{
    static uint ReverseBits(uint x, int bits)
    {
        var r = 0u;
        for (var i = 0; i < bits; i++) { r = (r << 1) | (x & 1); x >>= 1; }
        return r;
    }

    [Kernel]
    public static void BitReverse(ThreadId id, ReadOnlySpan<Complex> src, Span<Complex> dst, int log2n)
    {
        var i = (uint)id.X;
        if (i >= (uint)dst.Length) return;
        dst[(int)ReverseBits(i, log2n)] = src[(int)i];
    }

    /// <summary>One radix-2 decimation-in-time stage (in place): invocation per butterfly.</summary>
    [Kernel]
    public static void Butterfly(ThreadId id, Span<Complex> data, int halfSize, int n)
    {
        var b = id.X;
        if (b >= n / 2) return;
        var group = b / halfSize;
        var k = b % halfSize;
        var i = group * halfSize * 2 + k;
        var j = i + halfSize;
        var w = Complex.FromAngle(-MathF.PI * k / halfSize);
        var t = w * data[j];
        var u = data[i];
        data[i] = u + t;
        data[j] = u - t;
    }

    [Kernel]
    public static void Magnitudes(ThreadId id, ReadOnlySpan<Complex> data, Span<float> mags)
    {
        if (id.X < mags.Length) mags[id.X] = data[id.X].Magnitude;
    }
}

public static partial class Misc
{
    /// <summary>Collatz stopping times with a do-while and uint arithmetic.</summary>
    [Kernel]
    public static void Collatz(ThreadId id, Span<int> steps, uint start)
    {
        if (id.X >= steps.Length) return;
        var n = start + (uint)id.X;
        var count = 0;
        if (n > 1)
        {
            do
            {
                n = (n & 1) == 0 ? n / 2 : 3 * n + 1;
                count++;
            } while (n != 1 && count < 1000);
        }
        steps[id.X] = count;
    }

    /// <summary>Game of life on byte cells, the rule as a switch expression on the neighbour count.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 8)]
    public static void Life(ThreadId id, ReadOnlySpan<byte> cells, Span<byte> next, int width, int height)
    {
        if (id.X >= width || id.Y >= height) return;
        var n = 0;
        for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
            {
                if (dx == 0 && dy == 0) continue;
                var xx = (id.X + dx + width) % width;
                var yy = (id.Y + dy + height) % height;
                n += cells[yy * width + xx];
            }
        var alive = cells[id.Y * width + id.X] != 0;
        next[id.Y * width + id.X] = n switch
        {
            3 => 1,
            2 when alive => 1,
            _ => 0,
        };
    }

    /// <summary>Stream compaction: keep positive values, slot from an atomic counter.</summary>
    [Kernel]
    public static void Compact(ThreadId id, ReadOnlySpan<float> values, Span<float> kept, Span<int> count)
    {
        var i = id.X;
        if (i >= values.Length) return;
        if (values[i] is > 0f and not float.PositiveInfinity)
        {
            var slot = Interlocked.Increment(ref count[0]) - 1;
            kept[slot] = values[i];
        }
    }

    /// <summary>Levenshtein distance between pairs of 16-byte words (one row of the DP table at a time).</summary>
    [Kernel]
    public static void EditDistance(ThreadId id, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<int> distance)
    {
        const int L = 16;
        var p = id.X;
        if (p >= distance.Length) return;
        Span<int> prev = stackalloc int[L + 1];
        Span<int> cur = stackalloc int[L + 1];
        for (var j = 0; j <= L; j++) prev[j] = j;
        for (var i = 1; i <= L; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= L; j++)
            {
                var cost = a[p * L + i - 1] == b[p * L + j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
            }
            for (var j = 0; j <= L; j++) prev[j] = cur[j];
        }
        distance[p] = prev[L];
    }

    const int Tile = 16;

    /// <summary>Matrix transpose through a padded shared tile.</summary>
    [Kernel(WorkgroupSize = Tile, WorkgroupSizeY = Tile)]
    public static void Transpose(LocalId local, GroupId group, ReadOnlySpan<float> src, Span<float> dst, int rows, int cols, [GroupShared(Tile * (Tile + 1))] Span<float> tile)
    {
        var x = group.X * Tile + local.X;
        var y = group.Y * Tile + local.Y;
        if (x < cols && y < rows) tile[local.Y * (Tile + 1) + local.X] = src[y * cols + x];
        Workgroup.Barrier();
        var tx = group.Y * Tile + local.X;
        var ty = group.X * Tile + local.Y;
        if (tx < rows && ty < cols) dst[ty * rows + tx] = tile[local.X * (Tile + 1) + local.Y];
    }
}
