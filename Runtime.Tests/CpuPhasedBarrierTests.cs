using KernelGen.Generated;

namespace KernelGen.Runtime.Tests;

/// <summary>Barrier kernels used by <see cref="CpuPhasedBarrierTests"/> (compiled by the generator like user code).</summary>
public static partial class PhasedKernels
{
    /// <summary>A 256-wide shared-memory tree reduction: one sum per workgroup.</summary>
    [Kernel(WorkgroupSize = 256)]
    public static void Reduce256(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> sums, [GroupShared(256)] Span<float> partial)
    {
        int i = id.X;
        partial[local.X] = i < x.Length ? x[i] : 0f;
        Workgroup.Barrier();
        for (int stride = 128; stride > 0; stride >>= 1)
        {
            if (local.X < stride)
                partial[local.X] += partial[local.X + stride];
            Workgroup.Barrier();
        }
        if (local.X == 0)
            sums[group.X] = partial[0];
    }

    /// <summary>
    /// Logs the order in which the CPU backend runs the invocations of a workgroup, phase by phase
    /// (a race on the GPU; well defined on the CPU backend, whose schedule is one invocation at a time).
    /// </summary>
    [Kernel(WorkgroupSize = 8)]
    public static void ScheduleLog(LocalId local, GroupId group, Span<int> log, [GroupShared(1)] Span<int> counter)
    {
        for (int phase = 0; phase < 3; phase++)
        {
            int slot = counter[0];
            counter[0] = slot + 1;
            log[group.X * 24 + slot] = phase * 100 + local.Index;
            Workgroup.Barrier();
        }
        if (local.Index == 7)
            return;
        log[group.X * 24 + 23] = local.Index;
    }

    /// <summary>Indexes past the end of <paramref name="y"/> after a barrier (an exception on the CPU backend).</summary>
    [Kernel(WorkgroupSize = 32)]
    public static void OutOfRangeAfterBarrier(LocalId local, Span<int> y, [GroupShared(32)] Span<int> tile)
    {
        tile[local.Index] = local.Index;
        Workgroup.Barrier();
        y[tile[31 - local.Index] + 100] = 1;
    }
}

/// <summary>
/// The phased CPU form of barrier kernels (<see cref="KernelInfo.CpuPhased"/>): which kernels get it,
/// and that it gives exactly the threaded path's results, schedule and errors.
/// </summary>
public class CpuPhasedBarrierTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    /// <summary>The same kernel without its phased form: the CPU backend runs it on the threaded path.</summary>
    private static KernelInfo Threaded(KernelInfo k) => new()
    {
        Name = k.Name,
        SourceLocation = k.SourceLocation,
        Wgsl = k.Wgsl,
        EntryPoint = k.EntryPoint,
        WorkgroupSizeX = k.WorkgroupSizeX,
        WorkgroupSizeY = k.WorkgroupSizeY,
        WorkgroupSizeZ = k.WorkgroupSizeZ,
        Bindings = k.Bindings,
        UniformSize = k.UniformSize,
        SharedArrays = k.SharedArrays,
        UsesBarriers = k.UsesBarriers,
        UsesF16 = k.UsesF16,
        Cpu = k.Cpu,
        CpuPhased = null,
    };

    private static T[] Run<T>(GpuDevice device, KernelInfo kernel, GpuBuffer[] inputs, int outputLength, byte[] uniforms, Grid grid) where T : unmanaged
    {
        using var output = device.Allocate<T>(outputLength);
        using var stream = device.CreateStream();
        stream.Dispatch(kernel, [.. inputs, output], uniforms, grid);
        stream.Synchronize();
        return output.ToArray();
    }

    private static float[] Seeded(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    [Fact]
    public void Barrier_kernels_with_barriers_only_in_the_body_get_the_phased_form_and_helper_barriers_keep_the_threaded_path()
    {
        var barrierKernels = KernelCatalog.All.Where(k => k.UsesBarriers).ToList();
        Assert.NotEmpty(barrierKernels);
        // Kernels with subgroup operations always take the threaded path (they exchange values mid-expression).
        var threaded = barrierKernels.Where(k => k.CpuPhased is null && !k.UsesSubgroups).Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
        // BlockMean's barriers are inside its helper ReduceSum: the iterator cannot stop inside a helper.
        // Tuples.References takes ref locals to its spans' elements, which the phased form's span views cannot hold.
        // Slices.TileWindows declares span locals (slices of its workgroup array) in the block that holds its barrier.
        // Uniformity.UniformExits waits in its helpers Neighbour and Ready too. Pixels.Positions and Matrices.Scene use
        // stackalloc, which an iterator cannot; SpanViews.RefLoops both (stackalloc, and ref locals from foreach (ref ...)).
        // Tryout3's Gemv declares a span local (a row slice) beside its barriers, as TileWindows; Blelloch swaps two
        // workgroup elements with a tuple (references to them), as Tuples.References.
        Assert.Equal(["KernelGen.Corpus.Matrices.Scene", "KernelGen.Corpus.Pixels.Positions", "KernelGen.Corpus.Slices.TileWindows", "KernelGen.Corpus.SpanViews.RefLoops", "KernelGen.Corpus.Tuples.References", "KernelGen.Corpus.Uniformity.UniformExits", "KernelGen.Corpus.Workgroups.BlockMean",
            "KernelGen.Runtime.Tests.Tryout3.Ml3.Gemv", "KernelGen.Runtime.Tests.Tryout3.Scans.Blelloch"], threaded);
        Assert.All(barrierKernels.Where(k => k.UsesSubgroups), k => Assert.Null(k.CpuPhased));
        foreach (var name in new[] { "BlockSum", "BlockArgMax", "TiledMatMul", "RowSoftmax" })
            Assert.NotNull(barrierKernels.Single(k => k.Name == "KernelGen.Corpus.Workgroups." + name).CpuPhased);
        Assert.NotNull(PhasedKernels.Kernels.Reduce256.CpuPhased);
        Assert.All(KernelCatalog.All.Where(k => !k.UsesBarriers), k => Assert.Null(k.CpuPhased));
    }

    [Fact]
    public void Phased_reduction_matches_the_threaded_path_bit_for_bit_and_dawn()
    {
        const int n = 1 << 13; // 32 workgroups of 256 (the threaded path takes seconds per 16 of them)
        var x = Seeded(n, 11);
        using var cpuX = fixture.Cpu.Upload<float>(x);
        var phased = Run<float>(fixture.Cpu, PhasedKernels.Kernels.Reduce256, [cpuX], n / 256, [], Grid.Groups(n / 256));
        var threaded = Run<float>(fixture.Cpu, Threaded(PhasedKernels.Kernels.Reduce256), [cpuX], n / 256, [], Grid.Groups(n / 256));
        Assert.Equal(threaded, phased);
        using var nativeX = fixture.Device.Upload<float>(x);
        var native = Run<float>(fixture.Device, PhasedKernels.Kernels.Reduce256, [nativeX], n / 256, [], Grid.Groups(n / 256));
        for (var g = 0; g < native.Length; g++)
        {
            var expected = x.Skip(g * 256).Take(256).Sum();
            Assert.True(Math.Abs(phased[g] - expected) <= 1e-4f, $"group {g}: {phased[g]} vs {expected}");
            Assert.True(Math.Abs(native[g] - phased[g]) <= 1e-5f, $"group {g}: Dawn {native[g]} vs CPU {phased[g]}");
        }
    }

    [Fact]
    public void Phased_corpus_kernels_match_the_threaded_path_bit_for_bit()
    {
        // Softmax: order-sensitive float reductions, a uniform, one workgroup per row.
        const int rows = 5, columns = 150;
        var x = Seeded(rows * columns, 3);
        var softmax = KernelCatalog.All.Single(k => k.Name == "KernelGen.Corpus.Workgroups.RowSoftmax");
        Assert.NotNull(softmax.CpuPhased);
        using var input = fixture.Cpu.Upload<float>(x);
        var uniforms = new byte[softmax.UniformSize];
        BitConverter.TryWriteBytes(uniforms, columns);
        Assert.Equal(
            Run<float>(fixture.Cpu, Threaded(softmax), [input], rows * columns, uniforms, Grid.Groups(rows)),
            Run<float>(fixture.Cpu, softmax, [input], rows * columns, uniforms, Grid.Groups(rows)));

        // Tiled matrix multiply: two shared tiles, a 2-D workgroup, barriers in a loop.
        const int m = 19, k = 21, n = 13;
        var matmul = KernelCatalog.All.Single(q => q.Name == "KernelGen.Corpus.Workgroups.TiledMatMul");
        Assert.NotNull(matmul.CpuPhased);
        using var a = fixture.Cpu.Upload<float>(Seeded(m * k, 4));
        using var b = fixture.Cpu.Upload<float>(Seeded(k * n, 5));
        var dims = new byte[matmul.UniformSize];
        BitConverter.TryWriteBytes(dims.AsSpan(0), m);
        BitConverter.TryWriteBytes(dims.AsSpan(4), k);
        BitConverter.TryWriteBytes(dims.AsSpan(8), n);
        var grid = Grid.Groups((n + 7) / 8, (m + 7) / 8);
        var phased = Run<float>(fixture.Cpu, matmul, [a, b], m * n, dims, grid);
        Assert.Equal(Run<float>(fixture.Cpu, Threaded(matmul), [a, b], m * n, dims, grid), phased);
        Assert.Contains(phased, v => v != 0f);
    }

    [Fact]
    public void Phased_schedule_is_the_threaded_schedule_one_invocation_at_a_time_in_local_order()
    {
        const int groups = 3;
        var kernel = PhasedKernels.Kernels.ScheduleLog;
        Assert.NotNull(kernel.CpuPhased);
        var phased = Run<int>(fixture.Cpu, kernel, [], groups * 24, [], Grid.Groups(groups));
        var threaded = Run<int>(fixture.Cpu, Threaded(kernel), [], groups * 24, [], Grid.Groups(groups));
        Assert.Equal(threaded, phased);
        var expected = new int[24];
        for (var phase = 0; phase < 3; phase++)
            for (var t = 0; t < 8; t++)
                expected[phase * 8 + t] = phase * 100 + t;
        expected[23] = 6; // after the last barrier invocations 0..6 overwrite slot 23 in turn (7 returns): 6 is last
        for (var g = 0; g < groups; g++)
            Assert.Equal(expected, phased.AsSpan(g * 24, 24).ToArray());
    }

    [Fact]
    public void A_fault_in_the_phased_form_is_reported_as_on_the_threaded_path()
    {
        var kernel = PhasedKernels.Kernels.OutOfRangeAfterBarrier;
        Assert.NotNull(kernel.CpuPhased);
        var phased = Assert.Throws<GpuKernelException>(() => Run<int>(fixture.Cpu, kernel, [], 8, [], Grid.Groups(4)));
        var threaded = Assert.Throws<GpuKernelException>(() => Run<int>(fixture.Cpu, Threaded(kernel), [], 8, [], Grid.Groups(4)));
        Assert.IsType<IndexOutOfRangeException>(phased.InnerException);
        Assert.Contains("OutOfRangeAfterBarrier", phased.Message);
        Assert.Contains("IndexOutOfRangeException", phased.Message);
        Assert.Equal(threaded.InnerException!.GetType(), phased.InnerException!.GetType());
        Assert.Equal(kernel.Name, phased.KernelName);

        // The device still runs barrier kernels afterwards.
        var log = Run<int>(fixture.Cpu, PhasedKernels.Kernels.ScheduleLog, [], 24, [], Grid.Groups(1));
        Assert.Equal(107, log[15]);
    }

    [Fact]
    public void A_barrier_reached_outside_the_phased_body_fails_loudly_instead_of_being_skipped()
    {
        var source = PhasedKernels.Kernels.ScheduleLog;
        var broken = new KernelInfo
        {
            Name = "BrokenPhased",
            SourceLocation = "test",
            Wgsl = source.Wgsl,
            EntryPoint = source.EntryPoint,
            WorkgroupSizeX = source.WorkgroupSizeX,
            WorkgroupSizeY = 1,
            WorkgroupSizeZ = 1,
            Bindings = source.Bindings,
            SharedArrays = source.SharedArrays,
            UsesBarriers = true,
            Cpu = source.Cpu,
            CpuPhased = static (in CpuInvocation _) => HelperBarrier(),
        };
        var error = Assert.Throws<GpuKernelException>(() => Run<int>(fixture.Cpu, broken, [], 24, [], Grid.Groups(1)));
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Contains("outside its kernel body", error.Message);
    }

    private static IEnumerator<int> HelperBarrier()
    {
        Workgroup.Barrier();
        yield break;
    }

    [Fact]
    public void A_timed_out_phased_dispatch_starts_no_workgroup_and_runs_no_phase_afterwards()
    {
        var phases = new long[1];
        var source = PhasedKernels.Kernels.ScheduleLog;
        var counting = new KernelInfo
        {
            Name = "CountingPhases",
            SourceLocation = "test",
            Wgsl = source.Wgsl,
            EntryPoint = source.EntryPoint,
            WorkgroupSizeX = 64,
            WorkgroupSizeY = 1,
            WorkgroupSizeZ = 1,
            Bindings = source.Bindings,
            SharedArrays = source.SharedArrays,
            UsesBarriers = true,
            Cpu = source.Cpu,
            CpuPhased = (in CpuInvocation _) => CountPhases(phases),
        };
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu, WaitTimeout = TimeSpan.FromMilliseconds(300) });
        using var log = device.Allocate<int>(24);
        using var stream = device.CreateStream();
        // 65535 x 65535 workgroups of 64: days on the CPU.
        Assert.Throws<GpuTimeoutException>(() => stream.Dispatch(counting, [log], [], Grid.Groups(65535, 65535)));
        Thread.Sleep(500); // let running phases finish
        var settled = Interlocked.Read(ref phases[0]);
        Thread.Sleep(1000);
        Assert.Equal(settled, Interlocked.Read(ref phases[0]));
        Assert.True(settled > 0 && settled < 65535L * 65535L * 64 * 3);
    }

    private static IEnumerator<int> CountPhases(long[] phases)
    {
        for (var phase = 0; phase < 3; phase++)
        {
            Interlocked.Increment(ref phases[0]);
            Thread.SpinWait(50);
            yield return phase;
        }
    }

    [Fact]
    public void Views_index_like_spans_and_convert_to_them()
    {
        var data = new CpuDispatchData([new byte[40].AsMemory(4, 32)], []);
        var invocation = new CpuInvocation(data, [new byte[8]], default, default, default, default);
        var view = invocation.BufferView<int>(0);
        Assert.Equal(8, view.Length);
        view[7] = 42;
        Span<int> span = view;
        Assert.Equal(42, span[7]);
        ReadOnlySpan<int> readOnly = invocation.ReadOnlyBufferView<int>(0);
        Assert.Equal(42, readOnly[7]);
        Assert.Equal(42, invocation.ReadOnlyBufferView<int>(0)[7]);
        Assert.Throws<IndexOutOfRangeException>(() => view[8]);
        Assert.Throws<IndexOutOfRangeException>(() => view[-1]);
        Assert.Equal(2, invocation.SharedView<float>(0).Length);
        Assert.Equal(42, BitConverter.ToInt32(data.Buffers[0].Span[28..]));
    }
}
