using System.Numerics;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// A native device and a CPU device that emulates the native adapter's subgroup size, so that both group the
/// invocations alike. Fails (never skips) when the adapter lacks the <c>subgroups</c> feature or has no single size.
/// </summary>
public sealed class SubgroupDeviceFixture : IDisposable
{
    private readonly Lazy<(GpuDevice Native, GpuDevice Cpu)> devices = new(() =>
    {
        var native = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = NativeDeviceFixture.WaitTimeout });
        var f = native.Features;
        Assert.True(f.Subgroups, $"The adapter {native.Info} lacks the subgroups feature these tests need ({f}).");
        Assert.True(f.SubgroupMinSize == f.SubgroupMaxSize && f.SubgroupMinSize >= 4,
            $"The adapter {native.Info} has subgroup sizes {f.SubgroupMinSize}-{f.SubgroupMaxSize}: the expected results need one size.");
        var cpu = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu, WaitTimeout = NativeDeviceFixture.WaitTimeout, CpuSubgroupSize = f.SubgroupMinSize });
        return (native, cpu);
    });

    public GpuDevice Native => devices.Value.Native;

    public GpuDevice Cpu => devices.Value.Cpu;

    public int Size => Native.Features.SubgroupMinSize;

    public void Dispose()
    {
        if (!devices.IsValueCreated) return;
        devices.Value.Native.Dispose();
        devices.Value.Cpu.Dispose();
    }
}

/// <summary>
/// Corpus/Subgroups.cs on Dawn and on the CPU backend (emulating the adapter's subgroup size), both against a plain C#
/// model of the subgroups: invocation <c>local</c> of a workgroup is lane <c>local % size</c> of subgroup <c>local / size</c>.
/// </summary>
public class SubgroupsCorpusTests(SubgroupDeviceFixture fixture) : IClassFixture<SubgroupDeviceFixture>
{
    /// <summary>The first invocation of <paramref name="i"/>'s subgroup, its lane, and the subgroup's lane count.</summary>
    internal static (int First, int Lane, int Count) SubgroupOf(int i, int workgroup, int size)
    {
        int group = i / workgroup, local = i % workgroup;
        int firstLocal = local / size * size;
        return (group * workgroup + firstLocal, local - firstLocal, Math.Min(size, workgroup - firstLocal));
    }

    /// <summary>The value lane <paramref name="source"/> holds, else the invocation's own (the rule of Subgroup's lane reads).</summary>
    internal static T Read<T>(T[] values, int i, long source, int workgroup, int size)
    {
        var (first, _, count) = SubgroupOf(i, workgroup, size);
        return source >= 0 && source < count ? values[first + (int)source] : values[i];
    }

    private (T Native, T Cpu) Both<T>(Func<GpuDevice, T> run) => (run(fixture.Native), run(fixture.Cpu));

    [Fact]
    [CorpusCase(typeof(Subgroups), nameof(Subgroups.SubgroupSums))]
    public void SubgroupSums_adds_each_subgroup()
    {
        const int N = 200;
        int s = fixture.Size;
        var x = new SeededInputs(4501).Ints(N, -50, 50).Select(v => (float)v).ToArray(); // integers: exact in any order
        var (native, cpu) = Both(device =>
        {
            using var gx = device.Upload<float>(x);
            using var sums = device.Allocate<float>((N + s - 1) / s);
            using var stream = device.CreateStream();
            Subgroups.Gpu.SubgroupSums(stream, gx, sums, N);
            stream.Synchronize();
            return sums.ToArray();
        });
        var expected = x.Chunk(s).Select(c => c.Sum()).ToArray();
        ResultComparison.Close(expected, native, FloatTolerance.Exact, "native sums");
        ResultComparison.Close(expected, cpu, FloatTolerance.Exact, "cpu sums");
    }

    internal static (int[] Ints, uint[] UInts) IntReductionsModel(int[] x, int n, int threads, int size)
    {
        const int W = 64;
        var v = Enumerable.Range(0, threads).Select(i => i < n ? x[i] : 1).ToArray();
        var u = v.Select(a => unchecked((uint)a * 2654435761u)).ToArray();
        var ints = new int[n * 7];
        var uints = new uint[n * 4];
        for (var i = 0; i < n; i++)
        {
            var (first, _, count) = SubgroupOf(i, W, size);
            var sv = v.Skip(first).Take(count).ToArray();
            var su = u.Skip(first).Take(count).ToArray();
            ints[i * 7] = sv.Aggregate((a, b) => unchecked(a + b));
            ints[i * 7 + 1] = sv.Aggregate((a, b) => unchecked(a * b));
            ints[i * 7 + 2] = sv.Min();
            ints[i * 7 + 3] = sv.Max();
            ints[i * 7 + 4] = sv.Aggregate((a, b) => a & b);
            ints[i * 7 + 5] = sv.Aggregate((a, b) => a | b);
            ints[i * 7 + 6] = sv.Aggregate((a, b) => a ^ b);
            uints[i * 4] = su.Aggregate((a, b) => unchecked(a + b));
            uints[i * 4 + 1] = su.Min();
            uints[i * 4 + 2] = su.Max();
            uints[i * 4 + 3] = su.Aggregate((a, b) => a ^ b);
        }
        return (ints, uints);
    }

    [Fact]
    [CorpusCase(typeof(Subgroups), nameof(Subgroups.IntReductions))]
    public void IntReductions_match_the_model()
    {
        const int N = 100, Threads = 128; // the last workgroup is partly outside x: those lanes pass 1
        var x = new SeededInputs(4502).Ints(N, -40, 40);
        var (native, cpu) = Both(device => IntReductions(device, x));
        var (ints, uints) = IntReductionsModel(x, N, Threads, fixture.Size);
        ResultComparison.Exact<int>(ints, native.Ints, "native ints");
        ResultComparison.Exact<uint>(uints, native.UInts, "native uints");
        ResultComparison.Exact<int>(ints, cpu.Ints, "cpu ints");
        ResultComparison.Exact<uint>(uints, cpu.UInts, "cpu uints");
    }

    internal static (int[] Ints, uint[] UInts) IntReductions(GpuDevice device, int[] x)
    {
        using var gx = device.Upload<int>(x);
        using var ints = device.Allocate<int>(x.Length * 7);
        using var uints = device.Allocate<uint>(x.Length * 4);
        using var stream = device.CreateStream();
        Subgroups.Gpu.IntReductions(stream, gx, ints, uints, x.Length);
        stream.Synchronize();
        return (ints.ToArray(), uints.ToArray());
    }

    internal static (float[] Y, Vector4[] V) ScansModel(float[] x, int size)
    {
        const int W = 32;
        var n = x.Length;
        var y = new float[n * 8];
        var v = new Vector4[n * 4];
        for (var i = 0; i < n; i++)
        {
            var (first, lane, count) = SubgroupOf(i, W, size);
            var a = x.Skip(first).Take(count).ToArray();
            var p = Enumerable.Range(first, count).Select(j => new Vector4(x[j], 1f, -x[j], j % 3)).ToArray();
            var m3 = a.Select(t => t % 3f + 1f).ToArray();
            y[i * 8] = a.Take(lane + 1).Sum();
            y[i * 8 + 1] = a.Take(lane).Sum();
            y[i * 8 + 2] = m3.Take(lane + 1).Aggregate(1f, (q, t) => q * t);
            y[i * 8 + 3] = m3.Take(lane).Aggregate(1f, (q, t) => q * t);
            y[i * 8 + 4] = a.Min();
            y[i * 8 + 5] = a.Max();
            y[i * 8 + 6] = a.Select(t => t % 2f + 1f).Aggregate(1f, (q, t) => q * t);
            y[i * 8 + 7] = (float)(uint)(lane + 1) + (float)unchecked((int)(1u << lane));
            v[i * 4] = p.Aggregate(Vector4.Zero, (q, t) => q + t);
            v[i * 4 + 1] = p.Take(lane + 1).Aggregate(Vector4.Zero, (q, t) => q + t);
            v[i * 4 + 2] = p.Aggregate(Vector4.Max);
            var sum2 = a.Aggregate(Vector2.Zero, (q, t) => q + new Vector2(t, 2f));
            v[i * 4 + 3] = new Vector4(sum2, a.Select(t => -t).Min(), 0f);
        }
        return (y, v);
    }

    internal static (float[] Y, Vector4[] V) Scans(GpuDevice device, float[] x)
    {
        using var gx = device.Upload<float>(x);
        using var y = device.Allocate<float>(x.Length * 8);
        using var v = device.Allocate<Vector4>(x.Length * 4);
        using var stream = device.CreateStream();
        Subgroups.Gpu.ScansAndVectors(stream, gx, y, v, x.Length);
        stream.Synchronize();
        return (y.ToArray(), v.ToArray());
    }

    [Fact]
    [CorpusCase(typeof(Subgroups), nameof(Subgroups.ScansAndVectors))]
    public void ScansAndVectors_match_the_model()
    {
        const int N = 96; // three workgroups of 32
        // Small integers: every sum and product below 2^24 (subgroups of 8 here), so any order gives the same float.
        var x = new SeededInputs(4503).Ints(N, -8, 9).Select(v => (float)v).ToArray();
        var (native, cpu) = Both(device => Scans(device, x));
        var (y, v) = ScansModel(x, fixture.Size);
        ResultComparison.Close(y, native.Y, FloatTolerance.Exact, "native y");
        ResultComparison.Close(y, cpu.Y, FloatTolerance.Exact, "cpu y");
        ResultComparison.Exact<Vector4>(v, native.V, "native vectors");
        ResultComparison.Exact<Vector4>(v, cpu.V, "cpu vectors");
    }

    internal static int[] LaneReadsModel(int[] x, int lane, int size)
    {
        const int W = 64;
        var y = new int[x.Length * 10];
        for (var i = 0; i < x.Length; i++)
        {
            var (first, l, count) = SubgroupOf(i, W, size);
            int R(long source) => Read(x, i, source, W, size);
            y[i * 10] = R(3);
            y[i * 10 + 1] = R(lane);
            y[i * 10 + 2] = x[first];
            y[i * 10 + 3] = R(size - 1 - l);
            y[i * 10 + 4] = R(l ^ 1);
            y[i * 10 + 5] = R(l - 1);
            y[i * 10 + 6] = R(l + 2);
            y[i * 10 + 7] = R(l + 5);
            y[i * 10 + 8] = x[i] + x[i] + R(127);
            y[i * 10 + 9] = R(2) + R(i % 4) + R(l + 1);
            _ = count;
        }
        return y;
    }

    internal static int[] LaneReads(GpuDevice device, int[] x, int lane)
    {
        using var gx = device.Upload<int>(x);
        using var y = device.Allocate<int>(x.Length * 10);
        using var stream = device.CreateStream();
        Subgroups.Gpu.LaneReads(stream, gx, y, lane, x.Length);
        stream.Synchronize();
        return y.ToArray();
    }

    [Theory]
    [InlineData(5)]
    [InlineData(13)] // beyond a subgroup of 8: each invocation keeps its own value
    [CorpusCase(typeof(Subgroups), nameof(Subgroups.LaneReads))]
    public void LaneReads_read_the_named_lane_or_keep_the_own_value(int lane)
    {
        const int N = 128;
        var x = new SeededInputs(4504).Ints(N, -1000, 1000);
        var (native, cpu) = Both(device => LaneReads(device, x, lane));
        var expected = LaneReadsModel(x, lane, fixture.Size);
        ResultComparison.Exact<int>(expected, native, "native");
        ResultComparison.Exact<int>(expected, cpu, "cpu");
    }

    internal static uint[] VotesModel(int[] x, int size)
    {
        const int W = 32;
        var y = new uint[x.Length * 4];
        for (var i = 0; i < x.Length; i++)
        {
            var (first, lane, count) = SubgroupOf(i, W, size);
            ulong ballot = 0;
            for (var j = 0; j < count; j++)
                if (x[first + j] > 0) ballot |= 1ul << j;
            var all = Enumerable.Range(first, count).All(j => x[j] > 0);
            var any = Enumerable.Range(first, count).Any(j => x[j] > 90);
            y[i * 4] = (uint)ballot;
            y[i * 4 + 1] = (uint)(ballot >> 32);
            y[i * 4 + 2] = lane == 0 ? 1u : 0u;
            y[i * 4 + 3] = (all ? 2u : 0u) | (any ? 1u : 0u);
        }
        return y;
    }

    internal static uint[] Votes(GpuDevice device, int[] x)
    {
        using var gx = device.Upload<int>(x);
        using var y = device.Allocate<uint>(x.Length * 4);
        using var stream = device.CreateStream();
        Subgroups.Gpu.Votes(stream, gx, y, x.Length);
        stream.Synchronize();
        return y.ToArray();
    }

    [Fact]
    [CorpusCase(typeof(Subgroups), nameof(Subgroups.Votes))]
    public void Votes_match_the_model()
    {
        const int N = 64;
        var x = new SeededInputs(4505).Ints(N, -30, 100);
        for (var i = 8; i < 16; i++) x[i] = Math.Abs(x[i]) + 1; // one subgroup of 8 where all are positive
        var (native, cpu) = Both(device => Votes(device, x));
        var expected = VotesModel(x, fixture.Size);
        ResultComparison.Exact<uint>(expected, native, "native");
        ResultComparison.Exact<uint>(expected, cpu, "cpu");
    }

    [Fact]
    [CorpusCase(typeof(Subgroups), nameof(Subgroups.BlockPrefixSum))]
    public void BlockPrefixSum_scans_each_workgroup()
    {
        const int N = 300, W = 128, Groups = (N + W - 1) / W;
        var x = new SeededInputs(4506).Ints(N, -20, 20).Select(v => (float)v).ToArray();
        var (native, cpu) = Both(device =>
        {
            using var gx = device.Upload<float>(x);
            using var prefix = device.Allocate<float>(N);
            using var totals = device.Allocate<float>(Groups);
            using var stream = device.CreateStream();
            Subgroups.Gpu.BlockPrefixSum(stream, gx, prefix, totals, N);
            stream.Synchronize();
            return (prefix.ToArray(), totals.ToArray());
        });
        var expected = new float[N];
        for (var i = 0; i < N; i++) expected[i] = (i % W == 0 ? 0f : expected[i - 1]) + x[i];
        var totalsExpected = x.Chunk(W).Select(c => c.Sum()).ToArray();
        ResultComparison.Close(expected, native.Item1, FloatTolerance.Exact, "native prefix");
        ResultComparison.Close(expected, cpu.Item1, FloatTolerance.Exact, "cpu prefix");
        ResultComparison.Close(totalsExpected, native.Item2, FloatTolerance.Exact, "native totals");
        ResultComparison.Close(totalsExpected, cpu.Item2, FloatTolerance.Exact, "cpu totals");
    }
}
