using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Atomics.cs on Dawn and on the CPU backend (whose invocations run concurrently), against the
/// results C# defines: every result is independent of the order in which the invocations' atomics land.
/// </summary>
public class AtomicsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.Histogram))]
    public void Histogram_counts_every_value()
    {
        const int N = 5000;
        var values = new SeededInputs(4001).Ints(N, 0, 300);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<int>(values);
            using var bins = device.Allocate<int>(256);
            using var stream = device.CreateStream();
            Atomics.Gpu.Histogram(stream, gv, bins, N);
            stream.Synchronize();
            return bins.ToArray();
        });
        var expected = new int[256];
        foreach (var v in values)
            expected[v & 255]++;
        ResultComparison.Exact<int>(expected, native, "native bins");
        ResultComparison.Exact<int>(expected, cpu, "cpu bins");
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.CompactPositive))]
    public void CompactPositive_keeps_each_positive_value_once()
    {
        const int N = 1000;
        var x = new SeededInputs(4002).Floats(N, -1f, 1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var kept = device.Allocate<float>(N);
            using var count = device.Allocate<int>(1);
            using var stream = device.CreateStream();
            Atomics.Gpu.CompactPositive(stream, gx, kept, count, N);
            stream.Synchronize();
            int n = count.ToArray()[0];
            return kept.ToArray().Take(n).Order().ToArray();
        });
        var expected = x.Where(v => v > 0f).Order().ToArray();
        ResultComparison.Exact<float>(expected, native, "native kept (sorted)");
        ResultComparison.Exact<float>(expected, cpu, "cpu kept (sorted)");
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.MinMaxSum))]
    public void MinMaxSum_gives_signed_and_unsigned_extremes_and_wrapping_sums()
    {
        const int N = 3000;
        var x = new SeededInputs(4003).AnyInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var range = device.Upload<int>([int.MaxValue, int.MinValue]);
            using var unsignedRange = device.Upload<uint>([uint.MaxValue, 0u]);
            using var sums = device.Allocate<uint>(2);
            using var stream = device.CreateStream();
            Atomics.Gpu.MinMaxSum(stream, gx, range, unsignedRange, sums, N);
            stream.Synchronize();
            return (range.ToArray(), unsignedRange.ToArray(), sums.ToArray());
        });
        var u = x.Select(v => (uint)v).ToArray();
        uint sum = 0, squares = 0;
        foreach (var v in u)
        {
            sum = unchecked(sum + v);
            squares = unchecked(squares + v * v + 1u);
        }
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>([x.Min(), x.Max()], result.Item1, name + " int range");
            ResultComparison.Exact<uint>([u.Min(), u.Max()], result.Item2, name + " uint range");
            ResultComparison.Exact<uint>([sum, squares], result.Item3, name + " sums");
        }
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.ProductByCompareExchange))]
    public void ProductByCompareExchange_multiplies_every_input_once()
    {
        const int N = 700;
        var x = new SeededInputs(4004).Ints(N, -1000, 1000).Select(v => v | 1).ToArray(); // odd: the product stays nonzero mod 2^32
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var product = device.Upload<int>([1]);
            using var stream = device.CreateStream();
            Atomics.Gpu.ProductByCompareExchange(stream, gx, product, N);
            stream.Synchronize();
            return product.ToArray();
        });
        int expected = 1;
        foreach (var v in x)
            expected = unchecked(expected * v);
        ResultComparison.Exact<int>([expected], native, "native product");
        ResultComparison.Exact<int>([expected], cpu, "cpu product");
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.SharedHistogram))]
    public void SharedHistogram_adds_each_workgroup_histogram()
    {
        const int N = 1234; // the last workgroup is partial
        var values = new SeededInputs(4005).Ints(N, 0, 1000);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<int>(values);
            using var bins = device.Allocate<int>(16);
            using var stream = device.CreateStream();
            Atomics.Gpu.SharedHistogram(stream, gv, bins, N);
            stream.Synchronize();
            return bins.ToArray();
        });
        var expected = new int[16];
        foreach (var v in values)
            expected[v & 15]++;
        ResultComparison.Exact<int>(expected, native, "native bins");
        ResultComparison.Exact<int>(expected, cpu, "cpu bins");
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.TicketsThroughHelpers))]
    public void TicketsThroughHelpers_grants_exactly_the_limit()
    {
        const int N = 500, Limit = 321;
        var wanted = Enumerable.Repeat(1, N).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gw = device.Upload<int>(wanted);
            using var tickets = device.Upload<int>([0, Limit, 0]);
            using var granted = device.Allocate<int>(3);
            using var stream = device.CreateStream();
            Atomics.Gpu.TicketsThroughHelpers(stream, gw, tickets, granted, N);
            stream.Synchronize();
            return (tickets.ToArray(), granted.ToArray());
        });
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>([N, Limit, N - Limit], result.Item1, name + " tickets");
            ResultComparison.Exact<int>([Limit, N, -N], result.Item2, name + " granted");
        }
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.FlagsAndExchange))]
    public void FlagsAndExchange_sets_clears_and_swaps()
    {
        const int N = 150, Words = (N + 31) / 32;
        var slots0 = new SeededInputs(4006).Ints(N, -10000, 10000);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var set = device.Allocate<uint>(Words);
            using var cleared = device.Upload<uint>(Enumerable.Repeat(uint.MaxValue, Words).ToArray());
            using var slots = device.Upload<int>(slots0);
            using var previous = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Atomics.Gpu.FlagsAndExchange(stream, set, cleared, slots, previous, N);
            stream.Synchronize();
            return (set.ToArray(), cleared.ToArray(), slots.ToArray(), previous.ToArray());
        });
        var expectedSet = new uint[Words];
        var expectedCleared = Enumerable.Repeat(uint.MaxValue, Words).ToArray();
        var expectedSlots = new int[N];
        var expectedPrevious = new int[N];
        for (int i = 0; i < N; i++)
        {
            uint bit = 1u << (i & 31);
            if (i % 3 == 0)
                expectedSet[i >> 5] |= bit;
            else
                expectedCleared[i >> 5] &= ~bit;
            expectedPrevious[i] = slots0[i] + i * 2;
            int s = i * 2;
            s += 10;
            s *= 3;
            s++;
            s <<= 1;
            s ^= 5;
            s--;
            s -= expectedPrevious[i] & 1;
            s %= 1000;
            expectedSlots[i] = s;
        }
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<uint>(expectedSet, result.Item1, name + " set");
            ResultComparison.Exact<uint>(expectedCleared, result.Item2, name + " cleared");
            ResultComparison.Exact<int>(expectedSlots, result.Item3, name + " slots");
            ResultComparison.Exact<int>(expectedPrevious, result.Item4, name + " previous");
        }
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.FloatAccumulate))]
    public void FloatAccumulate_adds_floats_atomically()
    {
        const int N = 999;
        // Whole numbers: every partial sum is exact, so the order of the additions cannot change the result.
        var x = new SeededInputs(4007).Ints(N, -100, 100).Select(v => (float)v).ToArray();
        var swapped0 = new SeededInputs(4008).Ints(N, -50, 50).Select(v => v * 0.5f).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var sums = device.Allocate<float>(7);
            using var swapped = device.Upload<float>(swapped0);
            using var stream = device.CreateStream();
            Atomics.Gpu.FloatAccumulate(stream, gx, sums, swapped, N);
            stream.Synchronize();
            return (sums.ToArray(), swapped.ToArray());
        });
        var expectedSums = new float[7];
        for (int i = 0; i < N; i++)
            expectedSums[i & 3] += x[i];
        expectedSums[4] = N;
        expectedSums[6] = N;
        var expectedSwapped = swapped0.Select((s, i) => s + x[i] * 2f).ToArray();
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<float>(expectedSums, result.Item1, name + " sums");
            ResultComparison.Exact<float>(expectedSwapped, result.Item2, name + " swapped");
        }
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.Positions))]
    public void Positions_run_each_atomic_as_often_as_csharp_does()
    {
        const int N = 300;
        var x = new SeededInputs(4009).Ints(N, 0, 6);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var counters = device.Allocate<int>(4);
            using var got = device.Allocate<int>(N);
            using var arrivals = device.Allocate<int>(N);
            using var best = device.Allocate<uint>(1);
            using var stream = device.CreateStream();
            Atomics.Gpu.Positions(stream, gx, counters, got, arrivals, best, N);
            stream.Synchronize();
            return (counters.ToArray(), got.ToArray(), arrivals.ToArray().Order().ToArray(), best.ToArray());
        });
        int[] expectedCounters = [x.Sum(), 2 * x.Sum(v => v + 1), x.Count(v => v > 2), N];
        var expectedGot = x.Select(v => v > 2 ? 1 : 0).ToArray();
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(expectedCounters, result.Item1, name + " counters");
            ResultComparison.Exact<int>(expectedGot, result.Item2, name + " got");
            ResultComparison.Exact<int>(x.Order().ToArray(), result.Item3, name + " arrivals (sorted)");
            ResultComparison.Exact<uint>([(uint)x.Max()], result.Item4, name + " best");
        }
    }

    [Fact]
    [CorpusCase(typeof(Atomics), nameof(Atomics.UpdateValues))]
    public void UpdateValues_are_what_each_thread_stored_not_a_reload()
    {
        const int N = 256;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var c = device.Allocate<int>(N + 2);
            using var u = device.Allocate<uint>(N);
            using var f = device.Allocate<float>(N);
            using var seen = device.Allocate<int>(8 * N);
            using var stream = device.CreateStream();
            Atomics.Gpu.UpdateValues(stream, c, u, f, seen, N);
            stream.Synchronize();
            return (c.ToArray(), u.ToArray(), f.ToArray(), seen.ToArray());
        });
        // Per thread: c[0] = 3i + 1 (all threads at once), then its own c[i + 2]: 5, 6 and 7, 6 and 5, 15, 8, 1, -6;
        // u[i]: 16, 15; f[i]: 0.5, 1.5.
        var expectedSeen = Enumerable.Range(0, N).SelectMany(i => new[] { 3 * i + 1, 10, 5 + 100 * 7, 6 - 5, 30, 16 + 16, (int)((0.5f + 0.5f * 10f) * 4f), 2 }).ToArray();
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(expectedSeen, result.Item4, name + " seen");
            Assert.Contains(result.Item1[0], Enumerable.Range(0, N).Select(i => 3 * i + 1));
            ResultComparison.Exact<int>([N, .. Enumerable.Repeat(-6, N)], result.Item1.AsSpan(1), name + " c");
            ResultComparison.Exact<uint>(Enumerable.Repeat(15u, N).ToArray(), result.Item2, name + " u");
            ResultComparison.Exact<float>(Enumerable.Repeat(1.5f, N).ToArray(), result.Item3, name + " f");
        }
    }
}
