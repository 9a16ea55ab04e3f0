using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/FieldAtomics.cs on Dawn and on the CPU backend (whose invocations run concurrently): atomics on fields of
/// struct elements of buffers and [GroupShared] arrays, against the results C# defines. Float sums add values that
/// are exact in any order, so every result is independent of the order in which the atomics land.
/// </summary>
public class FieldAtomicsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int Cells = 16;

    [Fact]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.CellHistogram))]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.CopyCells))]
    public void CellHistogram_counts_sums_masks_and_minima_per_cell_and_a_plain_kernel_copies_them()
    {
        const int N = 3000;
        var inputs = new SeededInputs(7101);
        var keys = inputs.Ints(N, 0, 5000);
        var values = inputs.Ints(N, -8, 9).Select(v => v * 0.5f).ToArray();
        var start = Enumerable.Range(0, Cells).Select(c => new AtomicCell { Count = c, Sum = 1f, Mask = 1u << 31, Min = int.MaxValue - c }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gk = device.Upload<int>(keys);
            using var gv = device.Upload<float>(values);
            using var cells = device.Upload<AtomicCell>(start);
            using var copy = device.Allocate<AtomicCell>(Cells);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.CellHistogram(stream, gk, gv, cells, N);
            FieldAtomics.Gpu.CopyCells(stream, cells, copy, Cells);
            stream.Synchronize();
            return (cells.ToArray(), copy.ToArray());
        });
        var expected = start.ToArray();
        for (int i = 0; i < N; i++)
        {
            ref var cell = ref expected[keys[i] % Cells];
            cell.Count++;
            cell.Sum += values[i];
            cell.Mask |= 1u << (i & 31);
            cell.Min = Math.Min(cell.Min, keys[i] - 1000);
        }
        foreach (var (name, (cells, copy)) in new[] { ("native", native), ("cpu", cpu) })
        {
            AssertCells(expected, cells, name + " cells");
            AssertCells(expected, copy, name + " copy");
        }
    }

    [Fact]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.CellMeans))]
    public void CellMeans_copies_whole_elements_out_and_back_beside_a_field_atomic()
    {
        var start = Enumerable.Range(0, Cells).Select(c => new AtomicCell { Count = c % 5, Sum = 3f * (c % 5) + 0.5f * c, Mask = (uint)c * 7u, Min = -c }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var cells = device.Upload<AtomicCell>(start);
            using var seen = device.Allocate<int>(Cells);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.CellMeans(stream, cells, seen, Cells);
            stream.Synchronize();
            return (cells.ToArray(), seen.ToArray());
        });
        var expected = start.Select(c => new AtomicCell { Count = c.Count + 1, Sum = c.Count == 0 ? 0f : c.Sum / c.Count, Mask = c.Mask ^ 1u, Min = c.Min }).ToArray();
        foreach (var (name, (cells, seen)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(start.Select(c => c.Count).ToArray(), seen, name + " seen");
            ResultComparison.Exact<int>(expected.Select(c => c.Count).ToArray(), cells.Select(c => c.Count).ToArray(), name + " counts");
            ResultComparison.Exact<uint>(expected.Select(c => c.Mask).ToArray(), cells.Select(c => c.Mask).ToArray(), name + " masks");
            ResultComparison.Exact<int>(expected.Select(c => c.Min).ToArray(), cells.Select(c => c.Min).ToArray(), name + " minima");
            // WGSL's f32 division is within 2.5 ulp.
            ResultComparison.Close(expected.Select(c => c.Sum).ToArray(), cells.Select(c => c.Sum).ToArray(), new FloatTolerance(3, 0f), name + " means");
        }
    }

    [Fact]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.PushLists))]
    public void PushLists_links_every_node_onto_its_list_once()
    {
        const int N = 2000;
        var keys = new SeededInputs(7103).AnyInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gk = device.Upload<int>(keys);
            using var nodes = device.Allocate<AtomicNode>(8 + N);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.PushLists(stream, gk, nodes, N);
            stream.Synchronize();
            return nodes.ToArray();
        });
        foreach (var (name, nodes) in new[] { ("native", native), ("cpu", cpu) })
        {
            for (int h = 0; h < 8; h++)
            {
                var walked = new List<int>();
                for (int n = nodes[h].Next; n != 0 && walked.Count <= N; n = nodes[n].Next)
                    walked.Add(nodes[n].Value);
                var wanted = keys.Where(k => (k & 7) == h).Order().ToArray();
                ResultComparison.Exact<int>(wanted, walked.Order().ToArray(), $"{name} list {h} (sorted)");
            }
        }
    }

    [Fact]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.Summaries))]
    public void Summaries_give_signed_and_unsigned_extremes_a_float_total_and_nested_counts()
    {
        const int N = 2500;
        var x = new SeededInputs(7104).AnyInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var stats = device.Upload<AtomicStats>([new AtomicStats { Max = int.MinValue, Min = int.MaxValue, UMax = 0u, Total = 0f }]);
            using var grid = device.Allocate<AtomicGridCell>(4);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.Summaries(stream, gx, stats, grid, N);
            stream.Synchronize();
            return (stats.ToArray()[0], grid.ToArray());
        });
        foreach (var (name, (stats, grid)) in new[] { ("native", native), ("cpu", cpu) })
        {
            Assert.Equal(x.Max(), stats.Max);
            Assert.Equal(x.Min(), stats.Min);
            Assert.Equal(x.Select(v => (uint)v).Max(), stats.UMax);
            Assert.Equal(0.5f * N, stats.Total);
            for (int b = 0; b < 4; b++)
            {
                int count = x.Count(v => (v & 3) == b);
                Assert.True(grid[b].Bin.Count == 2 * count, $"{name} grid[{b}].Bin.Count: {grid[b].Bin.Count}, expected {2 * count}");
                Assert.True(grid[b].Bin.Max == (uint)(2 * count), $"{name} grid[{b}].Bin.Max: {grid[b].Bin.Max}, expected {2 * count}");
                Assert.True(grid[b].Weight == (count > 0 ? 1f : 0f), $"{name} grid[{b}].Weight: {grid[b].Weight}");
            }
        }
    }

    [Fact]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.SharedBins))]
    public void SharedBins_count_per_workgroup_in_a_shared_struct_array()
    {
        const int N = 1000; // 16 workgroups of 64, the last one partly filled
        var x = new SeededInputs(7105).Ints(N, 0, 1 << 20);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var result = device.Allocate<AtomicBin>(8);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.SharedBins(stream, gx, result, N);
            stream.Synchronize();
            return result.ToArray();
        });
        var expected = new AtomicBin[8];
        for (int g = 0; g * 64 < N; g++)
        {
            var inGroup = x.Skip(g * 64).Take(64).ToArray();
            for (int b = 0; b < 8; b++)
            {
                int count = inGroup.Count(v => (v & 7) == b);
                expected[b].Count += count;
                expected[b].Max = Math.Max(expected[b].Max, (uint)count);
            }
        }
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(expected.Select(b => b.Count).ToArray(), result.Select(b => b.Count).ToArray(), name + " counts");
            ResultComparison.Exact<uint>(expected.Select(b => b.Max).ToArray(), result.Select(b => b.Max).ToArray(), name + " per-group maxima");
        }
    }

    [Fact]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.ThroughHelper))]
    public void ThroughHelper_counts_in_a_helper_that_receives_the_buffer()
    {
        const int N = 777;
        var x = new SeededInputs(7106).AnyInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var bins = device.Allocate<AtomicBin>(4);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.ThroughHelper(stream, gx, bins, N);
            stream.Synchronize();
            return bins.ToArray();
        });
        var counts = Enumerable.Range(0, 4).Select(b => x.Count(v => (v & 3) == b)).ToArray();
        var maxima = Enumerable.Range(0, 4).Select(b => x.Where(v => (v & 3) == b).Select(v => (uint)v).DefaultIfEmpty(0u).Max()).ToArray();
        foreach (var (name, bins) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(counts, bins.Select(b => b.Count).ToArray(), name + " counts");
            ResultComparison.Exact<uint>(maxima, bins.Select(b => b.Max).ToArray(), name + " maxima");
        }
    }

    [Fact]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.TaggedCounters))]
    public void TaggedCounters_add_to_int_fields_of_byte_layout_elements_without_losing_neighbouring_bytes()
    {
        const int N = 1500;
        var x = new SeededInputs(7107).Ints(N, 0, 1 << 12);
        var start = Enumerable.Range(0, 16).Select(k => new TaggedCounter { Tag = 1, Flags = (byte)k, Delta = (short)(k * 3 - 20), Count = 100 * k, Bits = 0 }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counters = device.Upload<TaggedCounter>(start);
            using var gx = device.Upload<int>(x);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.TaggedCounters(stream, counters, gx, N);
            stream.Synchronize();
            return counters.ToArray();
        });
        var expected = start.ToArray();
        for (int i = 0; i < N; i++)
        {
            int k = x[i] & 7;
            expected[k].Count += expected[k].Delta;
            expected[k].Bits |= 1u << (x[i] >> 3 & 31);
        }
        for (int i = 0; i < 16; i++)
        {
            expected[i].Tag = (byte)(i * 37);
            expected[i].Flags |= 0x80;
        }
        foreach (var (name, counters) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(expected.Select(c => c.Count).ToArray(), counters.Select(c => c.Count).ToArray(), name + " counts");
            ResultComparison.Exact<uint>(expected.Select(c => c.Bits).ToArray(), counters.Select(c => c.Bits).ToArray(), name + " bits");
            ResultComparison.Exact<byte>(expected.Select(c => c.Tag).ToArray(), counters.Select(c => c.Tag).ToArray(), name + " tags");
            ResultComparison.Exact<byte>(expected.Select(c => c.Flags).ToArray(), counters.Select(c => c.Flags).ToArray(), name + " flags");
            ResultComparison.Exact<short>(expected.Select(c => c.Delta).ToArray(), counters.Select(c => c.Delta).ToArray(), name + " deltas");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [CorpusCase(typeof(FieldAtomics), nameof(FieldAtomics.SpecializedSharedBins))]
    public void SpecializedSharedBins_size_the_shared_struct_array_by_a_specialisation_constant(int binCount)
    {
        const int N = 900;
        var x = new SeededInputs(7108).Ints(N, 0, 1 << 20);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var result = device.Allocate<AtomicBin>(binCount);
            using var stream = device.CreateStream();
            FieldAtomics.Gpu.SpecializedSharedBins(stream, gx, result, binCount, N);
            stream.Synchronize();
            return result.ToArray();
        });
        var expected = Enumerable.Range(0, binCount).Select(b => x.Count(v => v % binCount == b)).ToArray();
        ResultComparison.Exact<int>(expected, native.Select(b => b.Count).ToArray(), "native counts");
        ResultComparison.Exact<int>(expected, cpu.Select(b => b.Count).ToArray(), "cpu counts");
    }

    private static void AssertCells(AtomicCell[] expected, AtomicCell[] actual, string what)
    {
        ResultComparison.Exact<int>(expected.Select(c => c.Count).ToArray(), actual.Select(c => c.Count).ToArray(), what + " counts");
        ResultComparison.Exact<float>(expected.Select(c => c.Sum).ToArray(), actual.Select(c => c.Sum).ToArray(), what + " sums");
        ResultComparison.Exact<uint>(expected.Select(c => c.Mask).ToArray(), actual.Select(c => c.Mask).ToArray(), what + " masks");
        ResultComparison.Exact<int>(expected.Select(c => c.Min).ToArray(), actual.Select(c => c.Min).ToArray(), what + " minima");
    }
}
