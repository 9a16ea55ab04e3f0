namespace KernelGen.Differential.Tests;

/// <summary>The float formats the program generator computes in.</summary>
internal sealed record FloatFormat(string Name, int Bits, double Limit, int MinQuantum)
{
    /// <summary>f32: 24 significant bits; values kept below 1e30 (no overflow); 2^-126 is the smallest normal.</summary>
    public static FloatFormat Single { get; } = new("float", 24, 1e30, -126);

    /// <summary>f16: 11 significant bits; values kept below 60000 (65504 is the largest); 2^-14 is the smallest normal.</summary>
    public static FloatFormat Half { get; } = new("Half", 11, 60000, -14);

    /// <summary>The spacing of values of magnitude up to <paramref name="max"/> (a bound on one rounding error).</summary>
    public double Ulp(double max) => max == 0 ? 0 : Math.ScaleB(1.0, (int)Math.Floor(Math.Log2(max)) - (Bits - 1));
}

/// <summary>
/// What the program generator knows about a float (or Half, or vector component) value, so that it
/// only writes expressions whose result C# and WGSL define alike:
/// |value| ≤ <see cref="Max"/> (never overflows); the exact value is a multiple of 2^<see cref="Quantum"/>
/// (so, when that is at least the format's smallest normal, never a denormal that a GPU may flush);
/// and the value computed by either backend is within <see cref="Error"/> of the exact real result.
/// Error 0 means every operation so far was exact (the result fits the format's significand): then
/// fused multiply-add, reassociation or flushing cannot change it and the backends must agree bit for bit.
/// Only exact values may be compared, converted to integers, floored or rounded (discontinuous forms).
/// </summary>
internal readonly record struct ValueRange(double Max, int Quantum, double Error)
{
    /// <summary>The quantum of zero: zero is a multiple of every power of two.</summary>
    public const int ZeroQuantum = 64;

    public static ValueRange Zero { get; } = new(0, ZeroQuantum, 0);

    public bool IsExact => Error == 0;

    /// <summary>A constant: its magnitude and the lowest set bit of its significand.</summary>
    public static ValueRange Of(double value)
    {
        if (value == 0) return Zero;
        int q = 40;
        while (Math.ScaleB(value, -q) != Math.Round(Math.ScaleB(value, -q))) q--;
        return new(Math.Abs(value), q, 0);
    }

    /// <summary>True when the range stays inside the format (no overflow, no denormal).</summary>
    public bool FitsIn(FloatFormat format) => Max <= format.Limit && (Max == 0 || Quantum >= format.MinQuantum);

    /// <summary>True when every value of the range is representable exactly (its significand fits).</summary>
    public bool Representable(FloatFormat format) => Max == 0 || Math.ScaleB(Max, -Math.Min(Quantum, 1000)) < Math.ScaleB(1.0, format.Bits);

    // The error one rounding of a result in [0, max] adds: none when the operands were exact and the
    // exact result is representable; else one ulp, plus 2^-120 for a denormal a GPU may flush on the way.
    private static double Rounding(ValueRange result, bool operandsExact, FloatFormat format) =>
        operandsExact && result.Representable(format) ? 0 : format.Ulp(result.Max) + Math.ScaleB(1.0, -120);

    public static ValueRange Add(ValueRange a, ValueRange b, FloatFormat format)
    {
        var r = new ValueRange(a.Max + b.Max, Math.Min(a.Quantum, b.Quantum), a.Error + b.Error);
        return r with { Error = r.Error + Rounding(r, a.IsExact && b.IsExact, format) };
    }

    public static ValueRange Multiply(ValueRange a, ValueRange b, FloatFormat format)
    {
        var r = new ValueRange(a.Max * b.Max, Math.Min(a.Quantum + b.Quantum, ZeroQuantum), a.Error * b.Max + b.Error * a.Max + a.Error * b.Error);
        if (a.Max == 0 || b.Max == 0) r = r with { Quantum = ZeroQuantum };
        return r with { Error = r.Error + Rounding(r, a.IsExact && b.IsExact, format) };
    }

    /// <summary>Division by a nonzero constant: exact scaling for a power of two, else WGSL's 2.5 ulp (counted as 3).</summary>
    public static ValueRange DivideByConstant(ValueRange a, double divisor, FloatFormat format)
    {
        double m = Math.Abs(divisor);
        int log = (int)Math.Round(Math.Log2(m));
        if (Math.ScaleB(1.0, log) == m)
            return a.Max == 0 ? a : new(a.Max / m, a.Quantum - log, a.Error / m);
        var max = a.Max / m * (1 + Math.ScaleB(1.0, -format.Bits + 2));
        int quantum = a.Max == 0 ? ZeroQuantum : a.Quantum - (int)Math.Ceiling(Math.Log2(m)) - format.Bits - 1;
        return new(max, quantum, a.Error / m + 3 * format.Ulp(max) + Math.ScaleB(1.0, -120));
    }

    /// <summary>Either of two values (a ternary, a branch merge, min/max).</summary>
    public static ValueRange Either(ValueRange a, ValueRange b) =>
        new(Math.Max(a.Max, b.Max), Math.Min(a.Quantum, b.Quantum), Math.Max(a.Error, b.Error));

    /// <summary>Floor, ceiling, truncation or rounding of an exact value: an integer (or zero).</summary>
    public static ValueRange ToInteger(ValueRange a) => new(a.Max + 1, Math.Max(a.Quantum, 0), 0);

    /// <summary>A value within <paramref name="error"/> of the exact result and at most <paramref name="max"/> in magnitude (a built-in with stated accuracy).</summary>
    public static ValueRange Approximate(double max, double error) => new(max, -40, error + Math.ScaleB(1.0, -120));
}
