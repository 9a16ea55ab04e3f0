using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Generics.cs on Dawn and on the CPU backend: one WGSL module per type argument, picked by the generic
/// stub; the CPU backend runs the generic C# method itself. Integer results are exact; float results within the
/// fma contraction a GPU may do.
/// </summary>
public class GenericsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private const int N = 141;

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.ScaleAddOne) + "<float>")]
    public void ScaleAddOne_float()
    {
        var x = new SeededInputs(1101).Floats(N, -8f, 8f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device => ScaleAddOne(device, x, 1.25f));
        ResultComparison.Close(x.Select(v => v * 1.25f + 1f).ToArray(), cpu, FloatTolerance.Exact, "cpu vs C#");
        ResultComparison.Close(cpu, native, new FloatTolerance(1, 0f), "y"); // x * s + 1 may become one fma
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.ScaleAddOne) + "<int>")]
    public void ScaleAddOne_int_wraps_as_csharp()
    {
        var x = new SeededInputs(1102).AnyInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device => ScaleAddOne(device, x, -7));
        ResultComparison.Exact<int>(x.Select(v => unchecked(v * -7 + 1)).ToArray(), cpu, "cpu vs C#");
        ResultComparison.Exact<int>(cpu, native, "y");
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.ScaleAddOne) + "<uint>")]
    public void ScaleAddOne_uint_wraps_as_csharp()
    {
        var x = new SeededInputs(1103).AnyUInts(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device => ScaleAddOne(device, x, 3_000_000_019u));
        ResultComparison.Exact<uint>(x.Select(v => unchecked(v * 3_000_000_019u + 1u)).ToArray(), cpu, "cpu vs C#");
        ResultComparison.Exact<uint>(cpu, native, "y");
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.ScaleAddOne) + "<Half>")]
    public void ScaleAddOne_Half_in_f16()
    {
        var x = new SeededInputs(1104).Floats(N, -30f, 30f).Select(v => (Half)v).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device => ScaleAddOne(device, x, (Half)1.5f));
        ResultComparison.Close(cpu, native, 1, "y"); // C# rounds twice, an f16 fma once
    }

    private static T[] ScaleAddOne<T>(GpuDevice device, T[] x, T scale)
        where T : unmanaged
    {
        using var gx = device.Upload<T>(x);
        using var y = device.Allocate<T>(x.Length);
        using var stream = device.CreateStream();
        Generics.Gpu.ScaleAddOne(stream, gx, y, scale, x.Length);
        stream.Synchronize();
        return y.ToArray();
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.ClampedSum) + "<float>")]
    [CorpusCase(typeof(Generics), nameof(Generics.ClampedSum) + "<int>")]
    public void ClampedSum_modules_from_the_stubs_calls()
    {
        var inputs = new SeededInputs(1105);
        var (fa, fb) = (inputs.Floats(N), inputs.Floats(N));
        var (ia, ib) = (inputs.Ints(N, -1000, 1000), inputs.Ints(N, -1000, 1000));
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var a = device.Upload<float>(fa);
            using var b = device.Upload<float>(fb);
            using var y = device.Allocate<float>(N);
            using var ai = device.Upload<int>(ia);
            using var bi = device.Upload<int>(ib);
            using var yi = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            GenericCalls.ClampedSumFloats(stream, a, b, y, -3f, 2.5f);
            GenericCalls.ClampedSumInts(stream, ai, bi, yi, -500, 700);
            stream.Synchronize();
            return (y.ToArray(), yi.ToArray());
        });
        var floats = fa.Zip(fb, (p, q) => Math.Clamp(p + q, -3f, 2.5f)).Select((v, i) => v + i % 3).ToArray();
        ResultComparison.Close(floats, cpu.Item1, FloatTolerance.Exact, "cpu floats vs C#");
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "floats");
        var ints = ia.Zip(ib, (p, q) => Math.Clamp(p + q, -500, 700)).Select((v, i) => v + i % 3).ToArray();
        ResultComparison.Exact<int>(ints, cpu.Item2, "cpu ints vs C#");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "ints");
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.RowMax) + "<float>")]
    [CorpusCase(typeof(Generics), nameof(Generics.RowMax) + "<int>")]
    public void RowMax_for_float_and_int()
    {
        const int Rows = 77, Columns = 9;
        var inputs = new SeededInputs(1106);
        var fx = inputs.Floats(Rows * Columns, -10f, 10f);
        var ix = inputs.Ints(Rows * Columns, -100, 100);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var x = device.Upload<float>(fx);
            using var y = device.Allocate<float>(Rows);
            using var xi = device.Upload<int>(ix);
            using var yi = device.Allocate<int>(Rows);
            using var stream = device.CreateStream();
            Generics.Gpu.RowMax(stream, x, y, Columns, Rows);
            Generics.Gpu.RowMax<int>(stream, xi, yi, Columns, Rows);
            stream.Synchronize();
            return (y.ToArray(), yi.ToArray());
        });
        static T Expected<T>(T[] x, int row, Func<T, T, T> max, Func<T, T, T> add, Func<T, T> negate, Func<T, bool> positive, T min, T zero)
        {
            T best = min, sum = zero;
            for (int c = 0; c < Columns; c++)
            {
                best = max(best, x[row * Columns + c]);
                sum = add(sum, x[row * Columns + c]);
            }
            return positive(sum) ? best : negate(best);
        }
        var floats = Enumerable.Range(0, Rows).Select(r => Expected(fx, r, Math.Max, (a, b) => a + b, v => -v, v => v > 0, float.MinValue, 0f)).ToArray();
        var ints = Enumerable.Range(0, Rows).Select(r => Expected(ix, r, Math.Max, (a, b) => a + b, v => -v, v => v > 0, int.MinValue, 0)).ToArray();
        ResultComparison.Close(floats, cpu.Item1, FloatTolerance.Exact, "cpu floats vs C#");
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "floats");
        ResultComparison.Exact<int>(ints, cpu.Item2, "cpu ints vs C#");
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "ints");
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.RootsAndBuckets) + "<float>")]
    public void RootsAndBuckets_float_math_and_saturating_conversion()
    {
        var x = new SeededInputs(1107).Floats(N, -50f, 50f);
        x[0] = 3e9f; // saturates to int.MaxValue in C#, on the GPU through i32_from_f32
        x[1] = -3e9f;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var roots = device.Allocate<float>(N);
            using var buckets = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Generics.Gpu.RootsAndBuckets(stream, gx, roots, buckets, N);
            stream.Synchronize();
            return (roots.ToArray(), buckets.ToArray());
        });
        ResultComparison.Exact<int>(x.Select(v => int.CreateSaturating(v * 10f)).ToArray(), cpu.Item2, "cpu buckets vs C#");
        Assert.Equal(int.MaxValue, native.Item2[0]);
        Assert.Equal(int.MinValue, native.Item2[1]);
        ResultComparison.Exact<int>(cpu.Item2, native.Item2, "buckets");
        ResultComparison.Close(cpu.Item1, native.Item1, new FloatTolerance(1, 0f), "roots"); // WGSL's sqrt: within an ulp
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.NegateSignSaturate) + "<int>")]
    [CorpusCase(typeof(Generics), nameof(Generics.NegateSignSaturate) + "<uint>")]
    public void NegateSignSaturate_as_csharp_for_int_and_uint()
    {
        var ints = new SeededInputs(1108).AnyInts(N);
        ints[0] = int.MinValue;
        ints[1] = 0;
        ints[2] = -1;
        var uints = ints.Select(v => unchecked((uint)v)).ToArray();
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device => (Run(device, ints), Run(device, uints)));
        ResultComparison.Exact<int>(ints.Select(v => unchecked(-v)).ToArray(), cpu.Item1.Negated, "cpu int negation vs C#");
        ResultComparison.Exact<uint>(uints.Select(v => unchecked(0u - v)).ToArray(), cpu.Item2.Negated, "cpu uint negation vs C#");
        ResultComparison.Exact<int>(uints.Select(v => v == 0 ? 0 : 1).ToArray(), cpu.Item2.Signs, "cpu uint signs vs C#");
        ResultComparison.Exact<uint>(ints.Select(v => v < 0 ? 0u : (uint)v).ToArray(), cpu.Item1.AsUInt, "cpu int to uint saturating vs C#");
        ResultComparison.Exact<int>(uints.Select(v => unchecked((v > int.MaxValue ? int.MaxValue : (int)v) + (int)v)).ToArray(), cpu.Item2.AsInt, "cpu uint to int vs C#");
        ResultComparison.Exact<int>(cpu.Item1.Signs, native.Item1.Signs, "int signs");
        ResultComparison.Exact<uint>(cpu.Item1.AsUInt, native.Item1.AsUInt, "int asUInt");
        ResultComparison.Exact<int>(cpu.Item1.AsInt, native.Item1.AsInt, "int asInt");
        ResultComparison.Exact<int>(cpu.Item2.Signs, native.Item2.Signs, "uint signs");
        ResultComparison.Exact<uint>(cpu.Item2.AsUInt, native.Item2.AsUInt, "uint asUInt");
        ResultComparison.Exact<int>(cpu.Item2.AsInt, native.Item2.AsInt, "uint asInt");
        ResultComparison.Exact<int>(cpu.Item1.Negated, native.Item1.Negated, "int negated");
        ResultComparison.Exact<uint>(cpu.Item2.Negated, native.Item2.Negated, "uint negated");
    }

    private static (T[] Negated, int[] Signs, uint[] AsUInt, int[] AsInt) Run<T>(GpuDevice device, T[] x)
        where T : unmanaged
    {
        using var gx = device.Upload<T>(x);
        using var negated = device.Allocate<T>(x.Length);
        using var signs = device.Allocate<int>(x.Length);
        using var asUInt = device.Allocate<uint>(x.Length);
        using var asInt = device.Allocate<int>(x.Length);
        using var stream = device.CreateStream();
        Generics.Gpu.NegateSignSaturate(stream, gx, negated, signs, asUInt, asInt, x.Length);
        stream.Synchronize();
        return (negated.ToArray(), signs.ToArray(), asUInt.ToArray(), asInt.ToArray());
    }

    [Fact]
    [CorpusCase(typeof(Generics), nameof(Generics.PlainWithGenericHelper))]
    public void PlainWithGenericHelper_one_function_per_type_argument()
    {
        var x = new SeededInputs(1109).Floats(N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var y = device.Allocate<float>(N);
            using var counts = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Generics.Gpu.PlainWithGenericHelper(stream, gx, y, counts, N);
            stream.Synchronize();
            return (y.ToArray(), counts.ToArray());
        });
        ResultComparison.Close(x.Select(v => v + 0.5f).ToArray(), cpu.Item1, FloatTolerance.Exact, "cpu vs C#");
        ResultComparison.Close(cpu.Item1, native.Item1, FloatTolerance.Exact, "y");
        ResultComparison.Exact<int>(Enumerable.Range(1, N).ToArray(), native.Item2, "counts");
    }

    [Fact]
    public void A_type_argument_without_a_module_throws_naming_the_fix()
    {
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });
        using var x = device.Allocate<uint>(4);
        using var y = device.Allocate<uint>(4);
        using var stream = device.CreateStream();
        // Through a type parameter the generator cannot see uint reach RowMax: it made only the listed modules.
        var e = Assert.Throws<NotSupportedException>(() => RowMaxOf(stream, x, y));
        Assert.Contains("RowMax has no WGSL module for T = UInt32", e.Message, StringComparison.Ordinal);
        Assert.Contains("float, int", e.Message, StringComparison.Ordinal);
        Assert.Same(Generics.Kernels.RowMax_int, Generics.Kernels.RowMax<int>());
    }

    private static void RowMaxOf<T>(GpuStream stream, GpuBuffer<T> x, GpuBuffer<T> y)
        where T : unmanaged
        => Generics.Gpu.RowMax(stream, x, y, 1, y.Length);
}
