using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Integers64Math.cs on Dawn and on the CPU backend: 64-bit division, float and Half conversions and the Math
/// members must give C#'s results exactly, over the word boundaries, powers of two, rounding ties and seeded values of
/// every magnitude.
/// </summary>
public class Int64MathCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static readonly ulong[] Edges =
    [
        0, 1, ulong.MaxValue, 0x8000_0000_0000_0000UL, 0x7FFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_0000_0001UL,
        0x8000_0000UL, 0xFFFF_FFFF_0000_0000UL, 0x0000_0001_FFFF_FFFFUL, 0xFFFF_FFFE_FFFF_FFFFUL, 2, 3, 10, ulong.MaxValue - 1,
        0x8000_0000_0000_0001UL, 1UL << 62, 0xFFFF_FFFF_FFFF_FFF6UL, 7,
    ];

    /// <summary>Edges first, then seeded 64-bit values shifted right by a random count (all magnitudes), some negated.</summary>
    private static ulong[] ULongs(int seed, int length)
    {
        var inputs = new SeededInputs(seed);
        var words = inputs.AnyUInts(2 * length);
        var shifts = inputs.Ints(length, 0, 64);
        var result = new ulong[length];
        for (var i = 0; i < length; i++)
        {
            ulong v = ((ulong)words[2 * i + 1] << 32 | words[2 * i]) >> (i % 2 == 0 ? shifts[i] : 0);
            result[i] = i % 3 == 0 ? unchecked(0UL - v) : v;
        }
        Edges.AsSpan(0, Math.Min(Edges.Length, length)).CopyTo(result);
        return result;
    }

    private static long[] Longs(int seed, int length) => ULongs(seed, length).Select(u => (long)u).ToArray();

    /// <summary>Divisors for the CPU run: C# throws for x / 0 and long.MinValue / -1, so those pairs are moved.</summary>
    private static (long[] A, long[] B) Dividends(int seed, int length)
    {
        var a = Longs(seed, length);
        var b = Longs(seed + 1, length);
        long[] small = [1, -1, 2, -2, 3, 7, -7, 10, long.MinValue, long.MaxValue, 1L << 32, -(1L << 32), 0xFFFF_FFFFL, 1L << 62];
        for (var i = 0; i < length; i++)
        {
            if (i % 4 == 1) b[i] = small[i / 4 % small.Length];
            if (i % 4 == 2) b[i] >>= 33; // divisors of one word
            if (b[i] == 0) b[i] = 5;
            if (a[i] == long.MinValue && b[i] == -1) b[i] = -3;
        }
        return (a, b);
    }

    private static long[] Divide(GpuDevice device, long[] a, long[] b)
    {
        using var ga = device.Upload<long>(a);
        using var gb = device.Upload<long>(b);
        using var output = device.Allocate<long>(a.Length * 12);
        using var stream = device.CreateStream();
        Integers64Math.Gpu.Division(stream, ga, gb, output, a.Length);
        stream.Synchronize();
        return output.ToArray();
    }

    [Fact]
    [CorpusCase(typeof(Integers64Math), nameof(Integers64Math.Division))]
    public void Division_truncates_like_CSharp_for_long_and_ulong()
    {
        const int N = 160;
        var (a, b) = Dividends(1201, N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device => Divide(device, a, b));
        ResultComparison.Exact<long>(cpu, native, "division");
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(a[i] / b[i], native[i * 12]);
            Assert.Equal(a[i] % b[i], native[i * 12 + 1]);
            Assert.Equal((long)((ulong)a[i] / (ulong)b[i]), native[i * 12 + 2]);
            Assert.Equal((long)((ulong)a[i] % (ulong)b[i]), native[i * 12 + 3]);
        }
    }

    [Fact]
    [CorpusCase(typeof(Integers64Math), nameof(Integers64Math.Division))]
    public void Division_by_zero_and_MinValue_by_minus_one_give_WGSLs_32_bit_results_on_the_GPU()
    {
        // C# throws (DivideByZeroException, OverflowException); the GPU gives what WGSL defines for i32 and u32:
        // x / 0 is x, x % 0 is 0, long.MinValue / -1 is long.MinValue and long.MinValue % -1 is 0.
        long[] a = [12345, -12345, long.MinValue, long.MaxValue, long.MinValue, -1, 1L << 40, 0];
        long[] b = [0, 0, 0, 0, -1, 0, 0, 0];
        var native = Divide(fixture.Device, a, b);
        for (var i = 0; i < a.Length; i++)
        {
            bool overflow = b[i] == -1;
            Assert.Equal(overflow ? long.MinValue : a[i], native[i * 12]);
            Assert.Equal(0, native[i * 12 + 1]);
            Assert.Equal(overflow ? 0 : a[i], native[i * 12 + 2]); // as ulongs: 2^63 / (2^64 - 1) is 0, remainder 2^63
            Assert.Equal(overflow ? long.MinValue : 0, native[i * 12 + 3]);
        }
        // The CPU backend runs the C# method, which throws (reported as a fault of the kernel, the exception inside).
        var fault = Assert.ThrowsAny<Exception>(() => Divide(fixture.Cpu, [1], [0]));
        Assert.Contains(Causes(fault), e => e is DivideByZeroException);
    }

    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            yield return e;
    }

    [Fact]
    [CorpusCase(typeof(Integers64Math), nameof(Integers64Math.FloatConversions))]
    public void FloatConversions_round_once_to_nearest_even_and_saturate()
    {
        const int N = 400;
        var values = Longs(1203, N);
        var inputs = new SeededInputs(1204);
        // Ties and near-ties of the 24-bit significand at several magnitudes, both signs.
        var ties = inputs.AnyUInts(N);
        for (var i = 20; i < 120; i++)
        {
            int k = 25 + i % 39; // the top bit's position
            ulong kept = (1UL << 23 | ties[i] & 0x7F_FFFF) << (k - 23);
            ulong half = 1UL << (k - 24);
            ulong v = (i % 4) switch { 0 => kept + half, 1 => kept + half - 1, 2 => kept + half + 1, _ => kept + (half << 1) - 1 };
            values[i] = i % 5 == 0 ? -(long)v : (long)v;
        }
        var floats = inputs.AnyUInts(N).Select(BitConverter.UInt32BitsToSingle).ToArray();
        float[] special =
        [
            float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, -0.5f, 0.999f, 1f, -1f, 9.223372E18f, -9.223372E18f,
            9.2233715E18f, -9.2233715E18f, 1.8446744E19f, 1.8446743E19f, 16777217f, -16777216f, 4294967296f, 2147483648f, 1e-40f,
            -1e30f, 1e30f, BitConverter.UInt32BitsToSingle(0x7FC0_1234), BitConverter.UInt32BitsToSingle(0xFF80_0001),
        ];
        special.CopyTo(floats, 0);
        var spread = inputs.Floats(N, -70f, 70f);
        for (var i = 150; i < 300; i++) floats[i] = MathF.Pow(2f, spread[i]) * (i % 2 == 0 ? 1f : -1f);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<long>(values);
            using var gf = device.Upload<float>(floats);
            using var toFloat = device.Allocate<float>(N * 4);
            using var fromFloat = device.Allocate<long>(N * 4);
            using var stream = device.CreateStream();
            Integers64Math.Gpu.FloatConversions(stream, gv, gf, toFloat, fromFloat, N);
            stream.Synchronize();
            return (ToFloat: toFloat.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray(), FromFloat: fromFloat.ToArray());
        });
        ResultComparison.Exact<uint>(cpu.ToFloat, native.ToFloat, "to float (bits)");
        ResultComparison.Exact<long>(cpu.FromFloat, native.FromFloat, "from float");
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(values[i]), native.ToFloat[i * 4]);
            Assert.Equal((long)floats[i], native.FromFloat[i * 4]);
        }
        Assert.Equal(0, native.FromFloat[0]); // NaN
        Assert.Equal(long.MaxValue, native.FromFloat[4]); // +infinity
        Assert.Equal(0, native.FromFloat[5 * 4 + 1]); // (ulong)-0.5f is 0
        Assert.Equal(0, native.FromFloat[8 * 4 + 1]); // (ulong)-1f saturates to 0
        Assert.Equal(BitConverter.SingleToUInt32Bits(1.8446744E19f), native.ToFloat[2 * 4 + 1]); // (float)ulong.MaxValue rounds up to 2^64
    }

    [Fact]
    [CorpusCase(typeof(Integers64Math), nameof(Integers64Math.HalfConversions))]
    public void HalfConversions_round_once_and_overflow_to_infinity()
    {
        const int N = 300;
        var values = Longs(1205, N);
        var inputs = new SeededInputs(1206);
        var small = inputs.Ints(N, -70000, 70000);
        for (var i = 20; i < 200; i++) values[i] = small[i];
        long[] fixedValues = [2049, 2051, -2051, 4097, 65504, 65519, 65520, -65520, 65535, 65536, 1024, -1, 4095, 4094];
        fixedValues.CopyTo(values, 20);
        var halves = inputs.AnyUInts(N).Select(u => BitConverter.UInt16BitsToHalf((ushort)u)).ToArray();
        Half[] special = [Half.NaN, Half.PositiveInfinity, Half.NegativeInfinity, Half.MaxValue, Half.MinValue, (Half)(-0.5f), (Half)0.999f, (Half)(-1f), Half.Epsilon];
        special.CopyTo(halves, 0);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<long>(values);
            using var gh = device.Upload<Half>(halves);
            using var toHalf = device.Allocate<Half>(N * 2);
            using var fromHalf = device.Allocate<long>(N * 2);
            using var stream = device.CreateStream();
            Integers64Math.Gpu.HalfConversions(stream, gv, gh, toHalf, fromHalf, N);
            stream.Synchronize();
            return (ToHalf: toHalf.ToArray().Select(BitConverter.HalfToUInt16Bits).ToArray(), FromHalf: fromHalf.ToArray());
        });
        ResultComparison.Exact<ushort>(cpu.ToHalf, native.ToHalf, "to Half (bits)");
        ResultComparison.Exact<long>(cpu.FromHalf, native.FromHalf, "from Half");
        Assert.Equal(BitConverter.HalfToUInt16Bits((Half)2048f), native.ToHalf[20 * 2]); // 2049: the tie goes to even
        Assert.Equal(BitConverter.HalfToUInt16Bits(Half.PositiveInfinity), native.ToHalf[26 * 2]); // 65520
        Assert.Equal(long.MinValue, native.FromHalf[2 * 2]); // -infinity
    }

    [Fact]
    [CorpusCase(typeof(Integers64Math), nameof(Integers64Math.MathMembers))]
    public void MathMembers_match_Math_and_BitOperations_on_long_and_ulong()
    {
        const int N = 200;
        var a = Longs(1207, N);
        var b = Longs(1208, N);
        for (var i = 0; i < 64; i++) b[N - 64 + i] = 1L << i; // every power of two
        for (var i = 20; i < 40; i++) b[i] = a[i]; // equal operands
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<long>(a);
            using var gb = device.Upload<long>(b);
            using var output = device.Allocate<long>(N * 16);
            using var stream = device.CreateStream();
            Integers64Math.Gpu.MathMembers(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<long>(cpu, native, "math members");
        for (var i = 0; i < N; i++)
        {
            Assert.Equal(Math.Max(a[i], b[i]), native[i * 16]);
            Assert.Equal(Math.BigMul((int)a[i], (int)b[i]), native[i * 16 + 8]);
        }
    }

    [Fact]
    [CorpusCase(typeof(Integers64Math), nameof(Integers64Math.DivRemRotateCopySign))]
    public void DivRem_rotations_CopySign_BigMul_and_parity_tests_match_CSharp()
    {
        const int N = 160;
        var (a, b) = Dividends(1209, N);
        for (var i = 0; i < N; i++)
        {
            // The 32-bit DivRem divides the low words: keep those out of C#'s exceptions too.
            if ((int)b[i] == 0) b[i] ^= 1;
            if ((int)a[i] == int.MinValue && (int)b[i] == -1) b[i] ^= 2;
            // int.CopySign throws for int.MinValue's magnitude with a positive sign.
            if ((int)(a[i] >> 1) == int.MinValue) a[i] ^= 2;
        }
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<long>(a);
            using var gb = device.Upload<long>(b);
            using var output = device.Allocate<long>(N * 10);
            using var stream = device.CreateStream();
            Integers64Math.Gpu.DivRemRotateCopySign(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<long>(cpu, native, "DivRem, rotations, CopySign");
        for (var i = 0; i < N; i++)
        {
            var (q, r) = Math.DivRem(a[i], b[i]);
            Assert.Equal(q ^ r << 1, native[i * 10]);
            Assert.Equal(int.RotateLeft((int)a[i], (int)b[i]) + 4294967296L * int.RotateRight((int)b[i], (int)(a[i] >> 32)), native[i * 10 + 4]);
            Assert.Equal(long.IsNegative(a[i]), (native[i * 10 + 8] & 16) != 0);
            Assert.Equal(long.CopySign(a[i] >> 1, b[i]) ^ int.BigMul((int)a[i], (int)(b[i] >> 32)) ^ (long)uint.BigMul((uint)b[i], (uint)(a[i] >> 16)), native[i * 10 + 9]);
        }
    }
}
