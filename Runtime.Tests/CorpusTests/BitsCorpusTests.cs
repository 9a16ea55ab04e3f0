using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Corpus/Bits.cs on Dawn and on the CPU backend: integer work, so results must be bit-identical.</summary>
public class BitsCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Bits), nameof(Bits.BitwiseOperators))]
    public void BitwiseOperators_agree_on_every_bit_pattern_and_shift_count()
    {
        const int N = 203; // not a multiple of the workgroup size (64): the kernel guards i < a.Length
        var inputs = new SeededInputs(101);
        var a = inputs.AnyInts(N);
        var b = inputs.AnyInts(N); // b & 31 covers every shift count
        a[0] = int.MinValue; a[1] = -1; a[2] = int.MaxValue;
        b[0] = 31; b[1] = 0; b[2] = 1;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<int>(a);
            using var gb = device.Upload<int>(b);
            using var output = device.Allocate<int>(N * 8);
            using var stream = device.CreateStream();
            Bits.Gpu.BitwiseOperators(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "output");
        // C# semantics pinned independently: x << 33 shifts by 1, >> is arithmetic, >>> logical.
        Assert.Equal(int.MinValue >> 31, native[5]);
        Assert.Equal(1, native[6]);
        Assert.Equal((int)(0x8000_0000u >> 3), native[7]);
        Assert.Equal(-2, native[8 + 7] - (int)(uint.MaxValue >> 3));
    }

    [Fact]
    [CorpusCase(typeof(Bits), nameof(Bits.DivisionAndModulo))]
    public void DivisionAndModulo_truncate_toward_zero_for_negative_operands()
    {
        const int N = 150;
        var inputs = new SeededInputs(102);
        var a = inputs.AnyInts(N);
        var b = inputs.Ints(N, -12, 12); // small divisors of both signs, and 0 (the kernel replaces it by 1)
        for (var i = 0; i < N; i += 3) b[i] = inputs.AnyInts(1)[0];
        int[] fixedA = [-7, 7, -7, 7, int.MinValue, int.MaxValue, 5];
        int[] fixedB = [2, -2, -2, 2, 3, -1, 0];
        fixedA.CopyTo(a, 0);
        fixedB.CopyTo(b, 0);
        // int.MinValue / -1 throws OverflowException in C# (WGSL defines it as int.MinValue): not a kernel input here.
        for (var i = 0; i < N; i++)
            if (a[i] == int.MinValue && b[i] == -1) a[i] = int.MinValue + 1;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<int>(a);
            using var gb = device.Upload<int>(b);
            using var quotient = device.Allocate<int>(N);
            using var remainder = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Bits.Gpu.DivisionAndModulo(stream, ga, gb, quotient, remainder, N);
            stream.Synchronize();
            return (Quotient: quotient.ToArray(), Remainder: remainder.ToArray());
        });
        ResultComparison.Exact<int>(cpu.Quotient, native.Quotient, "quotient");
        ResultComparison.Exact<int>(cpu.Remainder, native.Remainder, "remainder");
        Assert.Equal([-3, -3, 3, 3, int.MinValue / 3, -int.MaxValue, 5], native.Quotient[..7]);
        Assert.Equal([-1, 1, -1, 1, int.MinValue % 3, 0, 0], native.Remainder[..7]);
    }

    [Fact]
    [CorpusCase(typeof(Bits), nameof(Bits.HashUInt))]
    public void HashUInt_wraps_like_unchecked_uint_arithmetic()
    {
        const int N = 257;
        var seeds = new SeededInputs(103).AnyUInts(N);
        seeds[0] = 0; seeds[1] = uint.MaxValue;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gs = device.Upload<uint>(seeds);
            using var hashes = device.Allocate<uint>(N);
            using var stream = device.CreateStream();
            Bits.Gpu.HashUInt(stream, gs, hashes, N);
            stream.Synchronize();
            return hashes.ToArray();
        });
        ResultComparison.Exact<uint>(cpu, native, "hashes");
        Assert.Equal(Murmur3Finalizer(seeds[1] + 0x9E3779B9u), native[1]);
    }

    [Fact]
    [CorpusCase(typeof(Bits), nameof(Bits.BitCounts))]
    public void BitCounts_match_BitOperations()
    {
        const int N = 131;
        var values = new SeededInputs(104).AnyUInts(N);
        for (var i = 0; i < 32; i++) values[i] = 1u << i >> (i % 3); // a single set bit at every position
        values[32] = 0; values[33] = uint.MaxValue;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<uint>(values);
            using var counts = device.Allocate<int>(N * 3);
            using var stream = device.CreateStream();
            Bits.Gpu.BitCounts(stream, gv, counts, N);
            stream.Synchronize();
            return counts.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "counts");
        var expected = values.SelectMany(v => new[] { System.Numerics.BitOperations.PopCount(v), System.Numerics.BitOperations.LeadingZeroCount(v), System.Numerics.BitOperations.TrailingZeroCount(v) }).ToArray();
        ResultComparison.Exact<int>(expected, native, "counts vs BitOperations");
    }

    [Fact]
    [CorpusCase(typeof(Bits), nameof(Bits.BoolLogic))]
    public void BoolLogic_encodes_and_or_xor_nor()
    {
        const int N = 97;
        var inputs = new SeededInputs(105);
        var a = inputs.Ints(N, -2, 3);
        var b = inputs.Ints(N, -2, 3);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var ga = device.Upload<int>(a);
            using var gb = device.Upload<int>(b);
            using var output = device.Allocate<int>(N);
            using var stream = device.CreateStream();
            Bits.Gpu.BoolLogic(stream, ga, gb, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        ResultComparison.Exact<int>(cpu, native, "output");
        var expected = a.Zip(b, (x, y) => (x > 0, y > 0) switch { (true, true) => 1 + 2, (false, false) => 8, _ => 2 + 4 }).ToArray();
        ResultComparison.Exact<int>(expected, native, "output vs truth table");
    }

    private static uint Murmur3Finalizer(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }
}
