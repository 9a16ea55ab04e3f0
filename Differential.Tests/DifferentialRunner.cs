using System.Reflection;
using System.Text;

namespace KernelGen.Differential.Tests;

/// <summary>The inputs of one case, derived from its seed: special values mixed with random ones.</summary>
internal sealed record KernelInputs(int[] Ints, uint[] UInts, float[] Floats, int K, float S)
{
    /// <summary>Largest magnitude of a float input (<c>fa</c> and <c>s</c>): multiples of 2^-6 below 32 (11 significant bits, exact as Half too).</summary>
    public const double FloatMax = 32;

    /// <summary>Every float input is a multiple of 2^FloatQuantum.</summary>
    public const int FloatQuantum = -6;

    public static KernelInputs For(long seed)
    {
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32) ^ 0x5EED));
        int count = KernelCase.Threads * KernelCase.InputsPerThread;
        int[] specialInts = [0, 1, -1, 2, -2, 31, 32, 33, int.MaxValue, int.MinValue, int.MinValue + 1, 0x55555555, 255, -256, 65536];
        uint[] specialUInts = [0u, 1u, 2u, 31u, 32u, uint.MaxValue, 0x80000000u, 0x7FFFFFFFu, 0xAAAAAAAAu, 65535u];
        var ints = new int[count];
        var uints = new uint[count];
        var floats = new float[count];
        for (int i = 0; i < count; i++)
        {
            ints[i] = random.Next(4) switch
            {
                0 => specialInts[random.Next(specialInts.Length)],
                1 => random.Next(-100, 100),
                _ => (int)(uint)random.NextInt64(0, 1L << 32),
            };
            uints[i] = random.Next(4) switch
            {
                0 => specialUInts[random.Next(specialUInts.Length)],
                1 => (uint)random.Next(0, 200),
                _ => (uint)random.NextInt64(0, 1L << 32),
            };
            floats[i] = Float(random);
        }
        return new(ints, uints, floats, random.Next(4) == 0 ? specialInts[random.Next(specialInts.Length)] : random.Next(-50, 50), Float(random));
    }

    private static float Float(Random random) => random.Next(8) switch
    {
        0 => 0f,
        1 => random.Next(-8, 9),
        _ => (float)Math.ScaleB(random.Next(-2047, 2048), FloatQuantum),
    };
}

/// <summary>What one kernel computed on one backend.</summary>
internal sealed record KernelOutputs(int[] Ints, uint[] UInts, float[] Floats, int[] Log);

/// <summary>A kernel whose two backends disagree, or that Dawn refused, or that failed to build.</summary>
internal sealed record DifferentialFailure(KernelCase Case, string What);

/// <summary>Runs built kernels on Dawn and on the CPU backend and compares their outputs.</summary>
internal static class DifferentialRunner
{
    /// <summary>Time spent compiling pipelines on Dawn and running on each backend (for the summary).</summary>
    public static readonly System.Diagnostics.Stopwatch CompileTime = new(), NativeTime = new(), CpuTime = new();

    /// <summary>
    /// The longest wait on a device running <paramref name="kernels"/> kernels (device creation, a pipeline's error
    /// scope, a batch's completion): a minute, and half a second per kernel. Generous: a kernel takes about 20 ms on
    /// lavapipe, and with five builds on two cores a batch of 250 has taken over a minute with nothing wrong.
    /// </summary>
    public static TimeSpan Wait(int kernels) => TimeSpan.FromSeconds(60 + 0.5 * kernels);

    /// <summary>Kernels per submit on Dawn, and per rerun when a batch failed on Dawn as a whole (then one at a time within a chunk that fails again).</summary>
    public const int ChunkSize = 16;

    public static IReadOnlyList<DifferentialFailure> Run(Func<TimeSpan, GpuDevice> createNative, GpuDevice cpu, IReadOnlyList<BuiltKernel> built)
    {
        var failures = new List<DifferentialFailure>();
        var runnable = new List<BuiltKernel>();
        foreach (var kernel in built)
        {
            if (kernel.Outcome == BuildOutcome.Broken) failures.Add(new(kernel.Case, "build: " + kernel.Detail));
            else if (kernel.Outcome == BuildOutcome.Built) runnable.Add(kernel);
        }
        var nativeOut = TryNative(createNative, runnable, failures, out _);
        if (nativeOut is null)
        {
            using var fallback = PhaseTimes.Measure("fallback");
            // The batch timed out, lost its device or hit an error Dawn reports late: rerun it in chunks, each on a
            // fresh device, and a chunk that fails again one kernel at a time. Under load a wait can run out with
            // nothing wrong, so only a kernel that fails alone is a failure (an endless loop in its WGSL, say).
            var survivors = new List<BuiltKernel>();
            var outputs = new List<KernelOutputs>();
            foreach (var chunk in runnable.Chunk(ChunkSize))
            {
                var kernels = chunk.ToList();
                if (TryNative(createNative, kernels, failures, out _) is { } chunkOut)
                {
                    survivors.AddRange(kernels);
                    outputs.AddRange(chunkOut);
                    continue;
                }
                foreach (var kernel in kernels)
                {
                    var one = new List<BuiltKernel> { kernel };
                    if (TryNative(createNative, one, failures, out var error) is { } oneOut)
                    {
                        survivors.Add(kernel);
                        outputs.AddRange(oneOut);
                    }
                    else if (one.Count == 1)
                    {
                        failures.Add(new(kernel.Case, $"did not complete on Dawn when run alone (the CPU backend did; an endless or wrong loop in the WGSL?): {error}\nWGSL:\n{kernel.Kernel!.Wgsl}"));
                    }
                }
            }
            runnable = survivors;
            nativeOut = [.. outputs];
        }

        CpuTime.Start();
        KernelOutputs[] cpuOut;
        try
        {
            using (PhaseTimes.Measure("cpu"))
                cpuOut = RunAll(cpu, runnable);
        }
        catch (Exception e) when (e is InvalidOperationException or GpuException)
        {
            // A kernel threw in C# (the CPU backend runs it as plain C#): run each alone to find which. Each that
            // throws is that seed's failure (its source is written like any other); the others are compared.
            var alone = new List<KernelOutputs>();
            var survivors = new List<BuiltKernel>();
            var survivorsNative = new List<KernelOutputs>();
            for (int i = 0; i < runnable.Count; i++)
            {
                try
                {
                    alone.Add(RunAll(cpu, [runnable[i]])[0]);
                    survivors.Add(runnable[i]);
                    survivorsNative.Add(nativeOut[i]);
                }
                catch (Exception one) when (one is InvalidOperationException or GpuException)
                {
                    failures.Add(new(runnable[i].Case, $"threw on the CPU backend (the kernel's C# throws there: a program generator bug, unless the generated C# differs from the source): {Innermost(one)}\nWGSL:\n{runnable[i].Kernel!.Wgsl}"));
                }
            }
            runnable = survivors;
            nativeOut = [.. survivorsNative];
            cpuOut = [.. alone];
        }
        CpuTime.Stop();
        using var compare = PhaseTimes.Measure("compare");
        for (int i = 0; i < runnable.Count; i++)
        {
            var problem = Compare(runnable[i].Case, nativeOut[i], cpuOut[i]);
            if (problem is not null) failures.Add(new(runnable[i].Case, problem + "\nWGSL:\n" + runnable[i].Kernel!.Wgsl));
        }
        return failures;
    }

    /// <summary>
    /// Compiles and runs <paramref name="kernels"/> on one fresh Dawn device. A kernel Dawn refuses is that kernel's
    /// failure and leaves the list. Null when the device failed as a whole (a wait ran out, the device was lost, Dawn
    /// reported an error after the fact): <paramref name="error"/> says how, and nothing is concluded about any kernel.
    /// </summary>
    private static KernelOutputs[]? TryNative(Func<TimeSpan, GpuDevice> createNative, List<BuiltKernel> kernels, List<DifferentialFailure> failures, out string? error)
    {
        error = null;
        GpuDevice? native = null;
        try
        {
            using (PhaseTimes.Measure("device"))
                native = createNative(Wait(kernels.Count));
            CompileTime.Start();
            using (PhaseTimes.Measure("pipelines"))
            {
                for (int i = 0; i < kernels.Count; i++)
                {
                    try
                    {
                        native.Compile(kernels[i].Kernel!);
                    }
                    catch (GpuCompilationException e)
                    {
                        failures.Add(new(kernels[i].Case, $"accepted by the generator but refused by Dawn: {e.Message}\nWGSL:\n{kernels[i].Kernel!.Wgsl}"));
                        kernels.RemoveAt(i--);
                    }
                }
            }
            CompileTime.Stop();
            NativeTime.Start();
            // A chunk per submit and wait: under load one wait for a whole batch has run out with nothing wrong, and
            // the abandoned device then kept lavapipe busy with the batch while the fallback reran it.
            var outputs = new List<KernelOutputs>(kernels.Count);
            foreach (var chunk in kernels.Chunk(ChunkSize))
                outputs.AddRange(RunAll(native, chunk));
            return [.. outputs];
        }
        catch (GpuException e) when (e is not GpuAdapterUnavailableException)
        {
            // No adapter at all is the machine's problem, not a kernel's: that propagates and fails the run as it is.
            error = $"{e.GetType().Name}: {e.Message}";
            return null;
        }
        finally
        {
            CompileTime.Stop();
            NativeTime.Stop();
            using var release = PhaseTimes.Measure("release");
            native?.Dispose();
        }
    }

    // The kernels are recorded on one stream and submitted once.
    private static KernelOutputs[] RunAll(GpuDevice device, IReadOnlyList<BuiltKernel> kernels)
    {
        const int outputs = KernelCase.Threads * KernelCase.OutputsPerThread;
        const int logs = KernelCase.Threads * KernelCase.LogSlotsPerThread;
        var buffers = new List<GpuBuffer[]>();
        try
        {
            var dispatch = PhaseTimes.Measure(device.Backend == GpuBackend.Cpu ? "cpu dispatch" : "dispatch");
            using var stream = device.CreateStream();
            foreach (var kernel in kernels)
            {
                var inputs = KernelInputs.For(kernel.Case.Seed);
                GpuBuffer[] set =
                [
                    device.Upload<int>(inputs.Ints), device.Upload<uint>(inputs.UInts), device.Upload<float>(inputs.Floats),
                    device.Upload<int>(new int[outputs]), device.Upload<uint>(new uint[outputs]), device.Upload<float>(new float[outputs]),
                    device.Upload<int>(new int[logs]),
                ];
                buffers.Add(set);
                var stub = Stub(kernel);
                try
                {
                    stub.Invoke(null, [stream, .. set, inputs.K, inputs.S, Grid.Threads(KernelCase.Threads)]);
                }
                catch (TargetInvocationException e) when (e.InnerException is not null)
                {
                    throw new InvalidOperationException($"{kernel.Case.Describe()}: dispatch failed on {device.Backend}: {e.InnerException.Message}", e.InnerException);
                }
            }
            stream.Synchronize();
            dispatch.Dispose();
            using var readback = PhaseTimes.Measure(device.Backend == GpuBackend.Cpu ? "cpu readback" : "readback");
            return [.. buffers.Select(set => new KernelOutputs(
                ((GpuBuffer<int>)set[3]).ToArray(), ((GpuBuffer<uint>)set[4]).ToArray(), ((GpuBuffer<float>)set[5]).ToArray(), ((GpuBuffer<int>)set[6]).ToArray()))];
        }
        finally
        {
            foreach (var set in buffers)
                foreach (var buffer in set) buffer.Dispose();
        }
    }

    // The exception a kernel threw, with the frame it came from (the generated helper, say).
    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        var frame = e.StackTrace?.Split('\n').FirstOrDefault()?.Trim();
        return $"{e.GetType().Name}: {e.Message}{(frame is null ? "" : " (" + frame + ")")}";
    }

    private static MethodInfo Stub(BuiltKernel kernel)
    {
        var type = kernel.Kernel!.Cpu.Method.DeclaringType!.Assembly.GetType($"{KernelCase.Namespace}.{kernel.Case.ClassName}+Gpu")
            ?? throw new InvalidOperationException($"{kernel.Case.Describe()}: no generated Gpu stub class");
        return type.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == KernelCase.EntryPoint && m.GetParameters()[^1].ParameterType == typeof(Grid));
    }

    /// <summary>Null when the outputs agree; else which slots differ and how.</summary>
    public static string? Compare(KernelCase kernelCase, KernelOutputs native, KernelOutputs cpu)
    {
        var report = new StringBuilder();
        int mismatches = 0;
        void Note(string text)
        {
            if (++mismatches <= 12) report.Append("\n  ").Append(text);
        }
        for (int i = 0; i < cpu.Ints.Length; i++)
            if (native.Ints[i] != cpu.Ints[i]) Note($"oi[{i}] (thread {i / KernelCase.OutputsPerThread}, slot {i % KernelCase.OutputsPerThread}): Dawn {native.Ints[i]}, CPU {cpu.Ints[i]}");
        for (int i = 0; i < cpu.UInts.Length; i++)
            if (native.UInts[i] != cpu.UInts[i]) Note($"ou[{i}] (thread {i / KernelCase.OutputsPerThread}, slot {i % KernelCase.OutputsPerThread}): Dawn {native.UInts[i]}, CPU {cpu.UInts[i]}");
        for (int i = 0; i < cpu.Log.Length; i++)
            if (native.Log[i] != cpu.Log[i]) Note($"log[{i}] (thread {i / KernelCase.LogSlotsPerThread}, slot {i % KernelCase.LogSlotsPerThread}): Dawn {native.Log[i]}, CPU {cpu.Log[i]}");
        for (int i = 0; i < cpu.Floats.Length; i++)
        {
            float a = native.Floats[i], e = cpu.Floats[i];
            double tolerance = kernelCase.FloatTolerance[i % KernelCase.OutputsPerThread];
            if (FloatsAgree(e, a, tolerance)) continue;
            Note($"of[{i}] (thread {i / KernelCase.OutputsPerThread}, slot {i % KernelCase.OutputsPerThread}): Dawn {a:R} (0x{BitConverter.SingleToUInt32Bits(a):X8}), CPU {e:R} (0x{BitConverter.SingleToUInt32Bits(e):X8}), allowed {(tolerance == 0 ? "bit for bit" : tolerance.ToString("G3", System.Globalization.CultureInfo.InvariantCulture))}");
        }
        return mismatches == 0 ? null : $"{mismatches} outputs differ:{report}";
    }

    /// <summary>
    /// Bit for bit when <paramref name="tolerance"/> is 0, except that +0 equals -0 (Vulkan does not
    /// promise the sign of zero without SignedZeroInfNanPreserve); otherwise within the absolute bound.
    /// </summary>
    public static bool FloatsAgree(float expected, float actual, double tolerance)
    {
        if (float.IsNaN(expected) || float.IsNaN(actual)) return float.IsNaN(expected) && float.IsNaN(actual);
        if (tolerance == 0) return expected == actual;
        if (float.IsInfinity(expected) || float.IsInfinity(actual)) return expected == actual;
        return Math.Abs((double)actual - expected) <= tolerance;
    }
}
