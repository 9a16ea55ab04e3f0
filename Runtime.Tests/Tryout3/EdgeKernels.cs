namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>What a user's data holds sooner or later: NaN, infinities, signed zeros, out-of-range floats, through everyday calls.</summary>
public static partial class Edges
{
    /// <summary>ReLU, clamp, min/max and conversions of special values, eight results an element.</summary>
    [Kernel]
    public static void Specials(ThreadId id, ReadOnlySpan<float> x, Span<float> f, Span<int> n)
    {
        var i = id.X;
        if (i >= x.Length) return;
        var v = x[i];
        var o = f.Slice(4 * i, 4);
        o[0] = MathF.Max(v, 0f);
        o[1] = MathF.Min(v, 1f);
        o[2] = Math.Clamp(v, -1f, 1f);
        o[3] = float.Lerp(0f, 2f, v);
        var m = n.Slice(4 * i, 4);
        m[0] = (int)v;
        m[1] = (int)(uint)v;
        m[2] = (int)MathF.Round(v);
        m[3] = MathF.Sign(float.IsNaN(v) ? 0f : v);
    }
}
