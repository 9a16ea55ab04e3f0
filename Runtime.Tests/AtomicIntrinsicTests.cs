namespace KernelGen.Runtime.Tests;

/// <summary>
/// KernelGen.Atomic's CPU forms (what the CPU backend runs) are atomic under real contention and return what
/// the docs say: Min/Max the original value, Add the new one.
/// </summary>
public class AtomicIntrinsicTests
{
    private const int Operations = 400_000;

    [Fact]
    public void Min_and_Max_return_the_original_value()
    {
        int i = 5;
        Assert.Equal(5, Atomic.Min(ref i, 7));
        Assert.Equal(5, i);
        Assert.Equal(5, Atomic.Min(ref i, -2));
        Assert.Equal(-2, i);
        Assert.Equal(-2, Atomic.Max(ref i, 9));
        Assert.Equal(9, i);
        uint u = 3;
        Assert.Equal(3u, Atomic.Max(ref u, 0x8000_0000u)); // unsigned order: above int.MaxValue
        Assert.Equal(0x8000_0000u, u);
        Assert.Equal(0x8000_0000u, Atomic.Min(ref u, 1u));
        Assert.Equal(1u, u);
    }

    [Fact]
    public void Min_and_Max_keep_the_extremes_under_contention()
    {
        int min = int.MaxValue, max = int.MinValue;
        uint umin = uint.MaxValue, umax = 0;
        Parallel.For(0, Operations, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            int v = (int)((uint)k * 2654435761u); // a permutation of the ints: every sign and magnitude
            Atomic.Min(ref min, v);
            Atomic.Max(ref max, v);
            Atomic.Min(ref umin, (uint)v);
            Atomic.Max(ref umax, (uint)v);
        });
        var all = Enumerable.Range(0, Operations).Select(k => (int)((uint)k * 2654435761u)).ToArray();
        Assert.Equal(all.Min(), min);
        Assert.Equal(all.Max(), max);
        Assert.Equal(all.Select(v => (uint)v).Min(), umin);
        Assert.Equal(all.Select(v => (uint)v).Max(), umax);
    }

    [Fact]
    public void Float_Add_loses_no_addition_under_contention_and_returns_the_new_value()
    {
        float total = 0f;
        var seen = new float[Operations];
        Parallel.For(0, Operations, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k => seen[k] = Atomic.Add(ref total, 1f));
        Assert.Equal(Operations, total); // whole numbers below 2^24: every sum is exact
        // Each addition saw a different running total: the new values are exactly 1..Operations.
        Assert.Equal(Enumerable.Range(1, Operations).Select(v => (float)v), seen.Order());
        float x = 1.5f;
        Assert.Equal(4f, Atomic.Add(ref x, 2.5f));
        Assert.Equal(4f, x);
    }
}
