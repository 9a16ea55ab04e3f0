using System.Numerics;

namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Generic-math kernels (INumber&lt;T&gt;) and [Specialize] sizes, as .NET 7+ users write them.</summary>
public static partial class Generic3
{
    static T Square<T>(T v) where T : INumber<T> => v * v;

    /// <summary>Sum of squared differences per row, generic over the element type.</summary>
    [Kernel]
    public static void SquaredDistance<T>(ThreadId id, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> result, int dim) where T : unmanaged, INumber<T>
    {
        var row = id.X;
        if (row >= result.Length) return;
        var acc = T.Zero;
        for (var i = 0; i < dim; i++) acc += Square(a[row * dim + i] - b[row * dim + i]);
        result[row] = acc;
    }

    /// <summary>Clamp into [lo, hi] and count elements that were out of range (T.Clamp, T.CreateTruncating).</summary>
    [Kernel]
    public static void ClampCount<T>(ThreadId id, Span<T> data, Span<int> clipped, T lo, T hi) where T : unmanaged, INumber<T>
    {
        var i = id.X;
        if (i >= data.Length) return;
        var v = data[i];
        var c = T.Clamp(v, lo, hi);
        data[i] = c;
        clipped[i] = int.CreateTruncating(T.Abs(c - v) > T.Zero ? T.One : T.Zero);
    }

    /// <summary>A tiled 1-D box filter whose radius and tile are specialisation constants (override-sized shared memory).</summary>
    [Kernel(WorkgroupSizeFrom = nameof(tile))]
    public static void BoxFilter(LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> y, [Specialize] int tile, [Specialize] int radius,
        [GroupShared(256)] Span<float> cache)
    {
        var t = local.X;
        var start = group.X * tile - radius;
        for (var k = t; k < tile + 2 * radius; k += tile)
        {
            var g = start + k;
            cache[k] = g >= 0 && g < x.Length ? x[g] : 0f;
        }
        Workgroup.Barrier();
        var gi = group.X * tile + t;
        if (gi >= y.Length) return;
        var sum = 0f;
        for (var r = -radius; r <= radius; r++) sum += cache[t + radius + r];
        y[gi] = sum / (2 * radius + 1);
    }
}
