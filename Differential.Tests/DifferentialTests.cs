using System.Globalization;
using Xunit.Abstractions;

namespace KernelGen.Differential.Tests;

/// <summary>
/// Random kernels built with the KernelGen generator, run on Dawn and on the CPU backend, compared:
/// integers and the side-effect log bit for bit, floats bit for bit while exact and within the
/// bound the program generator derived otherwise. KERNELGEN_DIFF_KERNELS (default 3000: with lavapipe's LLVM
/// optimisation off (<see cref="LavapipeSettings"/>) a kernel costs about 50 ms of CPU once Roslyn and the KernelGen
/// generator are warm; the whole run took 2 min 25 s, 150 s of CPU, on two cores beside other builds) and KERNELGEN_DIFF_SEED (default 1) choose the kernels;
/// KERNELGEN_DIFF_BATCH (default 250) the kernels per Roslyn compilation and Dawn device. A failure prints its seeds and sources.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private static readonly int BatchSize = Setting("KERNELGEN_DIFF_BATCH", 250);

    [Fact]
    public void Random_kernels_agree_on_Dawn_and_the_CPU()
    {
        int count = Setting("KERNELGEN_DIFF_KERNELS", 3000);
        long first = Setting("KERNELGEN_DIFF_SEED", 1);
        var summary = DifferentialSession.Run(Seeds(first, count).Select(ProgramGenerator.Generate), BatchSize, Log);
        output.WriteLine($"seeds {first}..{first + count - 1}: {summary}");
        Assert.True(summary.Failures.Count == 0, DifferentialSession.Report(summary.Failures));
        Assert.Equal(count, summary.Kernels);
        // Rejections are legitimate, but a generator whose kernels are mostly refused tests little.
        Assert.True(summary.RejectionRate < 0.25, $"the generator rejected {summary.RejectionRate:P1} of the kernels: {summary}");
    }

    /// <summary>
    /// Every kept regression kernel agrees on both backends, except those that reproduce a bug still
    /// listed in <see cref="ProgramGenerator.KnownTranslatorBugs"/>: those must still fail, so that a
    /// fix is noticed and the generator's list shrinks with it.
    /// </summary>
    [Fact]
    public void Regression_kernels_agree_on_Dawn_and_the_CPU()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Regressions");
        var cases = Directory.GetFiles(directory, "*.cs").Order(StringComparer.Ordinal)
            .Select(path => KernelCase.Parse(File.ReadAllText(path), Path.GetFileName(path)))
            .ToList();
        Assert.NotEmpty(cases);
        var summary = DifferentialSession.Run(cases, BatchSize, Log);
        output.WriteLine(summary.ToString());
        var failed = summary.Failures.Select(f => f.Case.ClassName).ToHashSet();
        var expectedToFail = cases.Where(c => c.KnownBug is { } bug && ProgramGenerator.KnownTranslatorBugs.Contains(bug)).ToList();
        foreach (var c in expectedToFail)
            Assert.True(failed.Contains(c.ClassName), $"{c.ClassName} reproduces KnownBug.{c.KnownBug}, and it passes now: the translator is fixed, remove KnownBug.{c.KnownBug} from ProgramGenerator.KnownTranslatorBugs.");
        var unexpected = summary.Failures.Where(f => !expectedToFail.Any(c => c.ClassName == f.Case.ClassName)).ToList();
        Assert.True(unexpected.Count == 0, DifferentialSession.Report(unexpected));
        // A kept regression is a kernel the generator accepts: a rejection would hide it.
        Assert.Equal(cases.Count, summary.Built);
    }

    /// <summary>
    /// A batch's assembly unloads once the batch has run and is disposed: nothing (a device's pipeline cache, the
    /// runtime's KernelRegistry) may keep it, or a long run holds every batch's code and slows down as it goes.
    /// </summary>
    [Fact]
    public void A_batch_unloads_after_it_ran()
    {
        var context = RunAndDisposeBatch();
        for (int i = 0; i < 50 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.False(context.IsAlive, "the batch's AssemblyLoadContext is still alive after it was unloaded: something holds its kernels");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference RunAndDisposeBatch()
    {
        using var batch = KernelBatch.Build([.. Seeds(1, 4).Select(ProgramGenerator.Generate)]);
        Assert.Contains(batch.Kernels, k => k.Outcome == BuildOutcome.Built);
        Assert.Contains(batch.Kernels.Where(k => k.Outcome == BuildOutcome.Built), k => KernelRegistry.All.Contains(k.Kernel!));
        using (var cpu = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu }))
        {
            var failures = DifferentialRunner.Run(timeout => GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = timeout }), cpu, batch.Kernels);
            Assert.Empty(failures);
        }
        return batch.LoadContext;
    }

    [Fact]
    public void The_same_seed_gives_the_same_kernel()
    {
        foreach (var seed in new long[] { 1, 42, 1_000_003 })
            Assert.Equal(ProgramGenerator.Generate(seed).Source, ProgramGenerator.Generate(seed).Source);
        Assert.NotEqual(ProgramGenerator.Generate(1).Source, ProgramGenerator.Generate(2).Source);
    }

    [Fact]
    public void A_kernel_reads_back_from_its_source_with_its_seed_and_tolerances()
    {
        var original = ProgramGenerator.Generate(7);
        var parsed = KernelCase.Parse(original.Source, "seed 7");
        Assert.Equal(original.ClassName, parsed.ClassName);
        Assert.Equal(original.Seed, parsed.Seed);
        Assert.Equal(original.FloatTolerance, parsed.FloatTolerance);
    }

    [Fact]
    public void Float_comparison_is_bit_for_bit_when_exact_and_bounded_otherwise()
    {
        float one = 1f, next = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(1f) + 1);
        Assert.False(DifferentialRunner.FloatsAgree(one, next, 0));
        Assert.True(DifferentialRunner.FloatsAgree(0f, -0f, 0));
        Assert.True(DifferentialRunner.FloatsAgree(one, next, 1e-6));
        Assert.False(DifferentialRunner.FloatsAgree(one, 1.001f, 1e-6));
        Assert.False(DifferentialRunner.FloatsAgree(float.NaN, 1f, 1));
        Assert.True(DifferentialRunner.FloatsAgree(float.NaN, float.NaN, 0));
    }

    [Fact]
    public void A_difference_in_the_log_is_reported_with_its_slot()
    {
        var kernelCase = ProgramGenerator.Generate(3);
        int n = KernelCase.Threads * KernelCase.OutputsPerThread;
        var same = new KernelOutputs(new int[n], new uint[n], new float[n], new int[KernelCase.Threads * KernelCase.LogSlotsPerThread]);
        Assert.Null(DifferentialRunner.Compare(kernelCase, same, same));
        var log = new int[same.Log.Length];
        log[9] = 33;
        var problem = DifferentialRunner.Compare(kernelCase, same with { Log = log }, same);
        Assert.NotNull(problem);
        Assert.Contains("log[9] (thread 1, slot 1): Dawn 33, CPU 0", problem, StringComparison.Ordinal);
    }

    // The test's output, and KERNELGEN_DIFF_PROGRESS (a file) as the run goes: xunit shows the output only at the end.
    private void Log(string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("KERNELGEN_DIFF_PROGRESS") is { Length: > 0 } progress)
            File.AppendAllText(progress, $"{DateTime.UtcNow:HH:mm:ss} {line}\n");
    }

    private static IEnumerable<long> Seeds(long first, int count)
    {
        for (long i = 0; i < count; i++) yield return first + i;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}
