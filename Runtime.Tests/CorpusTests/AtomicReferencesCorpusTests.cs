using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/AtomicReferences.cs on Dawn and on the CPU backend (whose invocations run concurrently): atomics and plain
/// accesses through ref locals and helpers' ref parameters, against the results C# defines. Contended counters are
/// checked exactly (each increment lands once), float sums add values exact in any order.
/// </summary>
public class AtomicReferencesCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int Cells = 8;

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.RefLocalHistogram))]
    public void RefLocalHistogram_counts_every_key_once_through_ref_locals()
    {
        const int N = 3000;
        var keys = new SeededInputs(7401).Ints(N, 0, 1 << 20);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gk = device.Upload<int>(keys);
            using var bins = device.Allocate<int>(16);
            using var maxima = device.Allocate<uint>(4);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.RefLocalHistogram(stream, gk, bins, maxima, N);
            stream.Synchronize();
            return (bins.ToArray(), maxima.ToArray());
        });
        var bins = new int[16];
        var maxima = new uint[4];
        foreach (int k in keys)
        {
            bins[k % 16] += 3;
            maxima[k & 3] = Math.Max(maxima[k & 3], (uint)k);
        }
        foreach (var (name, (b, m)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(bins, b, name + " bins");
            ResultComparison.Exact<uint>(maxima, m, name + " maxima");
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.RefLocalReadsAndWrites))]
    public void RefLocalReadsAndWrites_load_and_store_through_the_ref_local()
    {
        const int N = 300;
        var start = new SeededInputs(7402).Ints(N, -1000, 1000);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counts = device.Upload<int>(start);
            using var snapshot = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.RefLocalReadsAndWrites(stream, counts, snapshot, N);
            stream.Synchronize();
            return (counts.ToArray(), snapshot.ToArray());
        });
        var counts = start.Select(c => (c + 4) * 2 + 1).ToArray();
        // snapshot = c + 4, then += Interlocked.Add's result (the new value).
        var snapshots = start.Select(c => (c + 4) + (c + 4) * 2 + 1).ToArray();
        foreach (var (name, (c, s)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(counts, c, name + " counts");
            ResultComparison.Exact<int>(snapshots, s, name + " snapshots");
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.SharedRefLocal))]
    public void SharedRefLocal_counts_per_workgroup_through_a_ref_local_to_shared_memory()
    {
        const int N = 1000;
        var x = new SeededInputs(7403).Ints(N, 0, 1 << 20);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var result = device.Allocate<int>(8);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.SharedRefLocal(stream, gx, result, N);
            stream.Synchronize();
            return result.ToArray();
        });
        var expected = new int[8];
        foreach (int v in x)
            expected[v & 7]++;
        ResultComparison.Exact<int>(expected, native, "native");
        ResultComparison.Exact<int>(expected, cpu, "cpu");
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.RefLocalCells))]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.RefLocalCellMeans))]
    public void RefLocalCells_update_fields_through_ref_locals_and_means_read_them_back()
    {
        const int N = 2000;
        var keys = new SeededInputs(7404).Ints(N, 0, 100000);
        var start = Enumerable.Range(0, Cells).Select(c => new RefCell { Count = c, Sum = 1f, Min = int.MaxValue - c, Seen = 1u << 30 }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gk = device.Upload<int>(keys);
            using var cells = device.Upload<RefCell>(start);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.RefLocalCells(stream, gk, cells, N);
            stream.Synchronize();
            var afterAtomics = cells.ToArray();
            AtomicReferences.Gpu.RefLocalCellMeans(stream, cells, Cells);
            stream.Synchronize();
            return (afterAtomics, cells.ToArray());
        });
        var expected = start.ToArray();
        for (int i = 0; i < N; i++)
        {
            ref var cell = ref expected[keys[i] % Cells];
            cell.Count++;
            cell.Sum += 0.5f;
            cell.Min = Math.Min(cell.Min, keys[i]);
            cell.Seen |= 1u << (i & 31);
        }
        var means = expected.Select(c => new RefCell { Count = c.Count - 1, Sum = c.Count == 0 ? 0f : c.Sum / c.Count, Min = c.Min, Seen = c.Seen ^ 1u }).ToArray();
        foreach (var (name, (atomics, after)) in new[] { ("native", native), ("cpu", cpu) })
        {
            AssertCells(expected, atomics, name + " atomics", exactSums: true);
            AssertCells(means, after, name + " means", exactSums: false);
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.HelperBumps))]
    public void HelperBumps_count_through_ref_parameters_given_buffer_shared_and_field_places()
    {
        const int N = 1000; // 16 workgroups of 64, the last partly filled
        var keys = new SeededInputs(7405).Ints(N, 0, 1 << 16);
        var start = Enumerable.Range(0, Cells).Select(c => new RefCell { Count = 0, Sum = c, Min = int.MaxValue, Seen = (uint)c }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gk = device.Upload<int>(keys);
            using var bins = device.Allocate<int>(8);
            using var cells = device.Upload<RefCell>(start);
            using var totals = device.Allocate<int>(4);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.HelperBumps(stream, gk, bins, cells, totals, N);
            stream.Synchronize();
            return (bins.ToArray(), cells.ToArray(), totals.ToArray());
        });
        var bins = new int[8];
        var totals = new int[4];
        var cells = start.ToArray();
        foreach (int k in keys)
        {
            bins[k & 7]++;
            totals[k & 3]++;
            cells[k % Cells].Count += 2;
            cells[(k >> 3) % Cells].Count++;
            cells[(k >> 3) % Cells].Min = Math.Min(cells[(k >> 3) % Cells].Min, k);
        }
        foreach (var (name, (b, c, t)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(bins, b, name + " bins");
            ResultComparison.Exact<int>(totals, t, name + " group totals");
            AssertCells(cells, c, name + " cells", exactSums: true);
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.CompactThroughHelper))]
    public void CompactThroughHelper_gives_every_positive_value_a_unique_slot()
    {
        const int N = 2500;
        var x = new SeededInputs(7406).Ints(N, -50, 50).Select((v, i) => v > 0 ? v * 10000 + i : v).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var output = device.Allocate<int>(N);
            using var count = device.Allocate<int>(1);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.CompactThroughHelper(stream, gx, output, count, N);
            stream.Synchronize();
            return (output.ToArray(), count.ToArray()[0]);
        });
        var positive = x.Where(v => v > 0).Order().ToArray();
        foreach (var (name, (output, count)) in new[] { ("native", native), ("cpu", cpu) })
        {
            Assert.True(count == positive.Length, $"{name}: {count} slots claimed, {positive.Length} positive values");
            // Every value is distinct, so a slot written twice would lose one: the sorted slots are the values.
            ResultComparison.Exact<int>(positive, output.Take(count).Order().ToArray(), name + " compacted values");
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.HelperPlainAccess))]
    public void HelperPlainAccess_reads_and_writes_the_element_in_the_helper()
    {
        const int N = 200;
        var inputs = new SeededInputs(7407);
        var start = inputs.Ints(N, -100, 100);
        var factors = inputs.Ints(N, -5, 6);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var counts = device.Upload<int>(start);
            using var gf = device.Upload<int>(factors);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.HelperPlainAccess(stream, counts, gf, N);
            stream.Synchronize();
            return counts.ToArray();
        });
        var expected = start.Select((c, i) => (c * factors[i] + 1) * 2 + 1).ToArray();
        ResultComparison.Exact<int>(expected, native, "native");
        ResultComparison.Exact<int>(expected, cpu, "cpu");
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.ForUpdateReferences))]
    public void ForUpdateReferences_run_the_calls_in_the_for_updates()
    {
        const int N = 100;
        var start = Enumerable.Range(0, N).Select(i => i * 0.25f).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var values = device.Upload<float>(start);
            using var bins = device.Allocate<int>(8);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.ForUpdateReferences(stream, values, bins, N);
            stream.Synchronize();
            return (values.ToArray(), bins.ToArray());
        });
        var values = start.Select(v => v + 3f).ToArray();
        // Each invocation bumps bins[0..3] once.
        var bins = new[] { N, N, N, N, 0, 0, 0, 0 };
        foreach (var (name, (v, b)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<float>(values, v, name + " values");
            ResultComparison.Exact<int>(bins, b, name + " bins");
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.RefPositions))]
    public void RefPositions_claim_in_loops_conditions_and_local_functions()
    {
        const int N = 1500;
        var keys = new SeededInputs(7408).Ints(N, 0, 1000);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gk = device.Upload<int>(keys);
            using var bins = device.Allocate<int>(9);
            using var firsts = device.Allocate<int>(9);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.RefPositions(stream, gk, bins, firsts, N);
            stream.Synchronize();
            return (bins.ToArray(), firsts.ToArray());
        });
        var bins = new int[9];
        foreach (int k in keys)
        {
            for (int r = 0; r < 3; r++)
                bins[(k + r) & 7]++;
            if (k > 500)
                bins[8]++;
        }
        // Exactly one invocation claims slot 0 of each bin that is reached, and every claim under the condition is counted.
        var firsts = bins.Select((b, j) => j < 8 ? (b > 0 ? 1 : 0) : b).ToArray();
        foreach (var (name, (b, f)) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(bins, b, name + " bins");
            ResultComparison.Exact<int>(firsts, f, name + " firsts");
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.PixelReferences))]
    public void PixelReferences_change_bytes_through_ref_locals_and_ref_parameters()
    {
        const int N = 257;
        var bytes = new SeededInputs(7409).Ints(N * 4, 0, 256);
        var start = Enumerable.Range(0, N).Select(i => new RefPixel { R = (byte)bytes[4 * i], G = (byte)bytes[4 * i + 1], B = (byte)bytes[4 * i + 2], A = (byte)bytes[4 * i + 3] }).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var pixels = device.Upload<RefPixel>(start);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.PixelReferences(stream, pixels, N);
            stream.Synchronize();
            return pixels.ToArray();
        });
        var expected = start.Select(p => new RefPixel
        {
            R = (byte)((byte)(255 - p.R) >> 1),
            G = (byte)((byte)(p.G + 10) / 2),
            B = p.A,
            A = p.B,
        }).ToArray();
        foreach (var (name, actual) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(expected.Select(p => p.R | p.G << 8 | p.B << 16 | p.A << 24).ToArray(),
                actual.Select(p => p.R | p.G << 8 | p.B << 16 | p.A << 24).ToArray(), name + " pixels");
        }
    }

    [Fact]
    [CorpusCase(typeof(AtomicReferences), nameof(AtomicReferences.BodyReferences))]
    public void BodyReferences_advance_a_field_of_a_28_byte_element_through_a_ref_parameter()
    {
        const int N = 100;
        var inputs = new SeededInputs(7410);
        var v = inputs.Ints(N * 7, -20, 20);
        var start = Enumerable.Range(0, N).Select(i => new RefBody
        {
            Pos = new System.Numerics.Vector3(v[7 * i], v[7 * i + 1], v[7 * i + 2]) * 0.25f,
            Mass = v[7 * i + 3] * 0.5f,
            Vel = new System.Numerics.Vector3(v[7 * i + 4], v[7 * i + 5], v[7 * i + 6]) * 0.5f,
        }).ToArray();
        const float dt = 0.5f;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var bodies = device.Upload<RefBody>(start);
            using var stream = device.CreateStream();
            AtomicReferences.Gpu.BodyReferences(stream, bodies, dt, N);
            stream.Synchronize();
            return bodies.ToArray();
        });
        var expected = start.Select(b =>
        {
            var pos = b.Pos + b.Vel * dt;
            return new RefBody { Pos = pos, Mass = b.Mass * 2f, Vel = new System.Numerics.Vector3(b.Vel.X, pos.X, b.Vel.Z) };
        }).ToArray();
        foreach (var (name, actual) in new[] { ("native", native), ("cpu", cpu) })
        {
            // Quarters and halves times a half: every value is exact.
            ResultComparison.Exact<float>(expected.SelectMany(b => new[] { b.Pos.X, b.Pos.Y, b.Pos.Z, b.Mass, b.Vel.X, b.Vel.Y, b.Vel.Z }).ToArray(),
                actual.SelectMany(b => new[] { b.Pos.X, b.Pos.Y, b.Pos.Z, b.Mass, b.Vel.X, b.Vel.Y, b.Vel.Z }).ToArray(), name + " bodies");
        }
    }

    private static void AssertCells(RefCell[] expected, RefCell[] actual, string what, bool exactSums)
    {
        ResultComparison.Exact<int>(expected.Select(c => c.Count).ToArray(), actual.Select(c => c.Count).ToArray(), what + " counts");
        ResultComparison.Exact<int>(expected.Select(c => c.Min).ToArray(), actual.Select(c => c.Min).ToArray(), what + " minima");
        ResultComparison.Exact<uint>(expected.Select(c => c.Seen).ToArray(), actual.Select(c => c.Seen).ToArray(), what + " seen");
        if (exactSums)
            ResultComparison.Exact<float>(expected.Select(c => c.Sum).ToArray(), actual.Select(c => c.Sum).ToArray(), what + " sums");
        else // WGSL's f32 division is within 2.5 ulp.
            ResultComparison.Close(expected.Select(c => c.Sum).ToArray(), actual.Select(c => c.Sum).ToArray(), new FloatTolerance(3, 0f), what + " means");
    }
}
