using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Integers64.cs on Dawn and on the CPU backend: long and ulong on two u32 words must give C#'s bits exactly,
/// over seeded inputs plus the word boundaries (0, -1, MinValue, MaxValue, 2^32 - 1, 2^32, values one word apart).
/// </summary>
public class Int64CorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    private static readonly ulong[] Edges =
    [
        0, 1, ulong.MaxValue, 0x8000_0000_0000_0000UL, 0x7FFF_FFFF_FFFF_FFFFUL, 0xFFFF_FFFFUL, 0x1_0000_0000UL, 0x1_0000_0001UL,
        0x8000_0000UL, 0xFFFF_FFFF_0000_0000UL, 0x0000_0001_FFFF_FFFFUL, 0xFFFF_FFFE_FFFF_FFFFUL,
    ];

    private static ulong[] ULongs(int seed, int length)
    {
        var words = new SeededInputs(seed).AnyUInts(2 * length);
        var result = new ulong[length];
        for (var i = 0; i < length; i++)
            result[i] = (ulong)words[2 * i + 1] << 32 | words[2 * i];
        Edges.AsSpan(0, Math.Min(Edges.Length, length)).CopyTo(result);
        return result;
    }

    private static long[] Longs(int seed, int length) => ULongs(seed, length).Select(u => (long)u).ToArray();

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.Pcg32))]
    public void Pcg32_matches_the_reference_generator()
    {
        const int N = 300;
        var seeds = ULongs(1101, N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gs = device.Upload<ulong>(seeds);
            using var output = device.Allocate<uint>(N * 4);
            using var stream = device.CreateStream();
            Integers64.Gpu.Pcg32(stream, gs, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<uint>(cpu, native, "pcg32");
        // pcg32_random_r written out here, independently of the kernel.
        var expected = new uint[N * 4];
        for (var i = 0; i < N; i++)
        {
            ulong state = seeds[i], inc = seeds[i] << 1 | 1;
            for (var k = 0; k < 4; k++)
            {
                ulong old = state;
                state = unchecked(old * 6364136223846793005UL + inc);
                expected[i * 4 + k] = System.Numerics.BitOperations.RotateRight((uint)((old >> 18 ^ old) >> 27), (int)(old >> 59));
            }
        }
        ResultComparison.Exact<uint>(expected, native, "pcg32 vs reference");
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.SplitMix64))]
    public void SplitMix64_matches_the_reference_sequence()
    {
        const int N = 257;
        var seeds = ULongs(1102, N);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gs = device.Upload<ulong>(seeds);
            using var output = device.Allocate<ulong>(N * 3);
            using var stream = device.CreateStream();
            Integers64.Gpu.SplitMix64(stream, gs, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<ulong>(cpu, native, "splitmix64");
        // The published first output of SplitMix64 seeded with 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, native[0]);
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.Hashes))]
    public void Hashes_fnv1a64_fmix64_and_xorshift64star_agree()
    {
        const int N = 129;
        var words = new SeededInputs(1103).AnyUInts(N * 4);
        words[0] = words[1] = words[2] = words[3] = 0;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gw = device.Upload<uint>(words);
            using var output = device.Allocate<ulong>(N * 3);
            using var stream = device.CreateStream();
            Integers64.Gpu.Hashes(stream, gw, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<ulong>(cpu, native, "hashes");
        ulong fnv = 0xcbf29ce484222325UL;
        for (var b = 0; b < 16; b++)
            fnv = unchecked((fnv ^ 0) * 0x100000001b3UL);
        Assert.Equal(fnv, native[0]);
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.ArithmeticMix))]
    public void ArithmeticMix_wraps_like_unchecked_long()
    {
        const int N = 211;
        var a = Longs(1104, N);
        var b = Longs(1105, N);
        b[0] = long.MinValue; b[1] = -1; b[2] = 0; b[3] = a[3]; b[4] = a[4] ^ 1; b[5] = a[5] ^ (1L << 40);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<long>(a);
            using var gb = device.Upload<long>(b);
            using var output = device.Allocate<long>(N * 12);
            using var stream = device.CreateStream();
            Integers64.Gpu.ArithmeticMix(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<long>(cpu, native, "arithmetic");
        for (var i = 0; i < N; i++)
            Assert.Equal(unchecked(a[i] * b[i]), native[i * 12 + 2]);
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.Shifts))]
    public void Shifts_mask_counts_to_six_bits()
    {
        const int N = 200;
        var values = ULongs(1106, N);
        var counts = new SeededInputs(1107).Ints(N, -200, 200);
        int[] fixedCounts = [0, 1, 31, 32, 33, 63, 64, 65, -1, -32, -33, -64, 127, 128, int.MinValue, int.MaxValue];
        for (var i = 0; i < N; i++)
            if (i % 3 == 0) counts[i] = fixedCounts[i / 3 % fixedCounts.Length];
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<ulong>(values);
            using var gc = device.Upload<int>(counts);
            using var output = device.Allocate<ulong>(N * 20);
            using var stream = device.CreateStream();
            Integers64.Gpu.Shifts(stream, gv, gc, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<ulong>(cpu, native, "shifts");
        Assert.Equal(0xFFFF_FFFF_FFFF_FFFFUL, native[3 * 20 + 13]); // long.MinValue >> 63 is -1
        Assert.Equal(1UL, native[3 * 20 + 8]); // 0x8000_0000_0000_0000 >> 63
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.Comparisons))]
    public void Comparisons_are_signed_for_long_and_unsigned_for_ulong()
    {
        const int N = 240;
        var a = Longs(1108, N);
        var b = Longs(1109, N);
        var inputs = new SeededInputs(1110);
        for (var i = 12; i < N; i += 4)
        {
            // Values that differ only in the low word, only in the high word, or only in the sign bit.
            var flip = inputs.AnyUInts(1)[0];
            b[i] = a[i] ^ flip;
            b[i + 1] = a[i + 1] ^ ((long)flip << 32);
            b[i + 2] = a[i + 2] ^ long.MinValue;
        }
        a[0] = long.MinValue; b[0] = long.MaxValue;
        a[1] = -1; b[1] = 0;
        a[2] = 0xFFFF_FFFFL; b[2] = 0x1_0000_0000L;
        a[3] = 0x1_0000_0000L; b[3] = 0x1_0000_0000L;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<long>(a);
            using var gb = device.Upload<long>(b);
            using var output = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Integers64.Gpu.Comparisons(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "comparisons");
        Assert.Equal(1 | 2 | 32 | 256 | 512 | 2048 | 16384, native[0] & 0xFFFF); // MinValue < MaxValue signed, above it unsigned; 0u < 0x7fffffff
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.Conversions))]
    public void Conversions_extend_and_truncate_as_CSharp()
    {
        const int N = 150;
        var inputs = new SeededInputs(1111);
        var ints = inputs.AnyInts(N);
        var uints = inputs.AnyUInts(N);
        int[] fixedInts = [0, -1, int.MinValue, int.MaxValue, 0x80, -0x81, 0x8000, 0xFFFF];
        fixedInts.CopyTo(ints, 0);
        uints[0] = 0; uints[1] = uint.MaxValue; uints[2] = 0x8000_0000u; uints[3] = 0x80u;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gi = device.Upload<int>(ints);
            using var gu = device.Upload<uint>(uints);
            using var wide = device.Allocate<long>(N * 8);
            using var narrow = device.Allocate<int>(N * 8);
            using var stream = device.CreateStream();
            Integers64.Gpu.Conversions(stream, gi, gu, wide, narrow, N);
            stream.Synchronize();
            return (Wide: wide.ToArray(), Narrow: narrow.ToArray());
        });
        ResultComparison.Exact<long>(cpu.Wide, native.Wide, "wide");
        ResultComparison.Exact<int>(cpu.Narrow, native.Narrow, "narrow");
        Assert.Equal(-1L, native.Wide[8]);
        Assert.Equal(0xFFFF_FFFFL, native.Wide[8 + 1]);
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.BitCounts))]
    public void BitCounts_match_BitOperations_on_ulong()
    {
        const int N = 180;
        var values = ULongs(1112, N);
        for (var i = 20; i < 84; i++) values[i] = 1UL << (i - 20); // a single set bit at every position
        var counts = new SeededInputs(1113).Ints(N, -130, 130);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<ulong>(values);
            using var gc = device.Upload<int>(counts);
            using var output = device.Allocate<ulong>(N * 7);
            using var stream = device.CreateStream();
            Integers64.Gpu.BitCounts(stream, gv, gc, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<ulong>(cpu, native, "bit counts");
        Assert.Equal(64UL, native[1]); // LeadingZeroCount(0)
        Assert.Equal(64UL, native[2]); // TrailingZeroCount(0)
    }

    [Fact]
    [CorpusCase(typeof(Integers64), nameof(Integers64.Places))]
    public void Places_struct_fields_uniforms_and_arrays_hold_64_bit_values()
    {
        const int N = 90;
        var totals = ULongs(1114, N);
        var counters = Enumerable.Range(0, N).Select(i => new Integers64.Counter { Total = totals[i], Id = i, Steps = i * 3 }).ToArray();
        const ulong Step = 0x1_2345_6789UL;
        var limits = new Integers64.Limits { Low = -(1L << 50), High = (1L << 52) + 12345 };
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gc = device.Upload<Integers64.Counter>(counters);
            using var output = device.Allocate<long>(N * 2);
            using var stream = device.CreateStream();
            Integers64.Gpu.Places(stream, gc, Step, limits, output, N);
            stream.Synchronize();
            return (Counters: gc.ToArray(), Output: output.ToArray());
        });
        ResultComparison.Exact<long>(cpu.Output, native.Output, "output");
        ResultComparison.Exact<ulong>(cpu.Counters.Select(c => c.Total).ToArray(), native.Counters.Select(c => c.Total).ToArray(), "Total");
        ResultComparison.Exact<int>(cpu.Counters.Select(c => c.Steps).ToArray(), native.Counters.Select(c => c.Steps).ToArray(), "Steps");
        Assert.Equal(unchecked(totals[5] + 4 * Step + 1), native.Counters[5].Total);
        Assert.Contains(native.Output.Where((_, i) => i % 2 == 0), v => v == limits.Low || v == limits.High);
    }
}
