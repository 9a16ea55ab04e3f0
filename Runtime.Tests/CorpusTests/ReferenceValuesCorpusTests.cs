using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/ReferenceValues.cs: calls whose value is used while they pass buffer elements by reference (a struct
/// method advancing a per-invocation generator in a buffer; ref/out helpers given buffer elements), on Dawn and on
/// the CPU backend (plain C#).
/// </summary>
public class ReferenceValuesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 256;

    [Fact]
    [CorpusCase(typeof(ReferenceValues), nameof(ReferenceValues.Draws))]
    public void Draws_advance_each_element_once_per_call_in_CSharp_order()
    {
        var seeds = new SeededInputs(5501).AnyUInts(N).Select(s => new Lcg { State = s }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var states = device.Upload<Lcg>(seeds);
            using var picks = device.Allocate<uint>(N);
            using var sums = device.Allocate<float>(N);
            using var steps = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            ReferenceValues.Gpu.Draws(stream, states, picks, sums, steps, N);
            stream.Synchronize();
            return (states.ToArray().Select(s => s.State).ToArray(), picks.ToArray(), sums.ToArray(), steps.ToArray());
        });
        ResultComparison.Exact<uint>(cpu.Item1, native.Item1, "states");
        ResultComparison.Exact<uint>(cpu.Item2, native.Item2, "picks");
        ResultComparison.Exact<float>(cpu.Item3, native.Item3, "sums");
        ResultComparison.Exact<int>(cpu.Item4, native.Item4, "steps");
        // Not vacuous: the second operand of && and the conditional's branch ran for some elements and not for
        // others, so the number of draws (hence the final state) differs between elements with one seed apart.
        Assert.Contains(native.Item3, s => s >= 10f);
        Assert.Contains(native.Item3, s => s < 10f);
        Assert.Contains(native.Item4, n => n > 0);
    }

    [Fact]
    [CorpusCase(typeof(ReferenceValues), nameof(ReferenceValues.Counters))]
    public void Counters_read_before_the_call_and_alias_as_CSharp_references_do()
    {
        var inputs = new SeededInputs(5502);
        var start = inputs.Ints(2 * N, -50, 50);
        var partner = inputs.Ints(N, 0, 100);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counts = device.Upload<int>(start);
            using var halves = device.Allocate<int>(N);
            using var olds = device.Allocate<int>(2 * N);
            using var partners = device.Upload<int>(partner);
            using var stream = device.CreateStream();
            ReferenceValues.Gpu.Counters(stream, counts, halves, olds, partners, N);
            stream.Synchronize();
            return (counts.ToArray(), halves.ToArray(), olds.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Item1, native.Item1, "counts");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "halves");
        ResultComparison.Exact<int>(cpu.Item3, native.Item3, "olds");
        for (int i = 0; i < N; i++)
        {
            // C#: counts[a] is read (c), Bump returns c and makes it c + 5, then it is read again.
            int c = start[2 * i], e = start[2 * i + 1];
            Assert.Equal(c + c + (c + 5), native.Item3[2 * i]);
            int half = (c + 5) / 2, h = ((c + 5) & 1) == 0 ? half : -half;
            Assert.Equal(half, native.Item2[i]);
            // One element (partner even): Exchange(ref x, ref x) returns 0; else it swaps and returns e - (c + 5).
            // Then Bump(ref counts[b], 1) returns c + 5 either way (b holds c + 5 after the swap).
            bool aliased = (partner[i] & 1) == 0;
            int d = (aliased ? 0 : 3 * (e - (c + 5))) + (c + 5);
            Assert.Equal(h * 10 + d, native.Item3[2 * i + 1]);
            Assert.Equal(aliased ? c + 6 : e, native.Item1[2 * i]);
            Assert.Equal(aliased ? e : c + 6, native.Item1[2 * i + 1]);
        }
        // Both the aliased (partner even) and the separate case occurred.
        Assert.Contains(partner, p => (p & 1) == 0);
        Assert.Contains(partner, p => (p & 1) == 1);
    }
}
