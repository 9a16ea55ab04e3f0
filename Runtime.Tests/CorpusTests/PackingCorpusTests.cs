using System.Numerics;
using System.Runtime.CompilerServices;
using KernelGen.Corpus;

namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>
/// Corpus/Packing.cs on Dawn and on the CPU backend: reinterpretation and bit operations bit for bit, the pack
/// built-ins exactly, the unpacks (a division on the GPU) within a couple of ulp; the CPU forms of KernelGen.Pack
/// against values worked out by hand from the WGSL specification.
/// </summary>
public class PackingCorpusTests(NativeDeviceFixture fixture) : IClassFixture<NativeDeviceFixture>
{
    [Fact]
    [CorpusCase(typeof(Packing), nameof(Packing.Reinterpret))]
    public void Reinterpret_keeps_every_bit()
    {
        var x = new SeededInputs(5001).Floats(200, -1e6f, 1e6f)
            .Concat([0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, 1.17549435e-38f]).ToArray();
        int n = x.Length;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<float>(x);
            using var bits = device.Allocate<uint>(n);
            using var signedBits = device.Allocate<int>(n);
            using var back = device.Allocate<float>(n);
            using var stream = device.CreateStream();
            Packing.Gpu.Reinterpret(stream, gx, bits, signedBits, back, n);
            stream.Synchronize();
            return (bits.ToArray(), signedBits.ToArray(), back.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray());
        });
        var expectedBits = x.Select(BitConverter.SingleToUInt32Bits).ToArray();
        var expectedSigned = x.Select(v => int.MinValue ^ (int)(BitConverter.SingleToUInt32Bits(v) & 0xff)).ToArray();
        var expectedBack = x.Select(v => BitConverter.SingleToUInt32Bits(v) ^ 0x80000000u).ToArray();
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<uint>(expectedBits, result.Item1, name + " bits");
            ResultComparison.Exact<int>(expectedSigned, result.Item2, name + " signed bits");
            ResultComparison.Exact<uint>(expectedBack, result.Item3, name + " -v + 0 (bits)");
        }
    }

    [Fact]
    [CorpusCase(typeof(Packing), nameof(Packing.PackUnpack))]
    public void PackUnpack_matches_the_cpu_forms()
    {
        var inputs = new SeededInputs(5002);
        // Exact ties (255 * 0.3f rounds to 76.5 in f32) are left out: Vulkan's pack instructions, which Dawn uses, round
        // them to even (lavapipe gives 76 where WGSL's floor(0.5 + 76.5) is 77); the CPU forms follow WGSL.
        var v = inputs.Vector4s(300, -1.5f, 1.5f)
            .Concat([new Vector4(0f, 1f, -1f, 2f), new Vector4(-3f, 0.25f, -0.25f, 0.75f), new Vector4(0.1f, 0.2f, 0.7f, 0.9f)])
            .Where(e => !HasPackTie(e)).ToArray();
        Assert.True(v.Length > 250, $"only {v.Length} inputs without ties");
        int n = v.Length;
        var words = inputs.AnyUInts(n);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gv = device.Upload<Vector4>(v);
            using var gw = device.Upload<uint>(words);
            using var packed = device.Allocate<uint>(5 * n);
            using var unpacked4 = device.Allocate<Vector4>(2 * n);
            using var unpacked2 = device.Allocate<Vector2>(3 * n);
            using var stream = device.CreateStream();
            Packing.Gpu.PackUnpack(stream, gv, gw, packed, unpacked4, unpacked2, n);
            stream.Synchronize();
            return (packed.ToArray(), unpacked4.ToArray(), unpacked2.ToArray());
        });
        var expectedPacked = v.SelectMany(e => new[]
        {
            Pack.Pack4x8Snorm(e), Pack.Pack4x8Unorm(e), Pack.Pack2x16Snorm(new Vector2(e.X, e.Y)),
            Pack.Pack2x16Unorm(new Vector2(e.Z, e.W)), Pack.Pack2x16Float(new Vector2(e.X, e.Y) * 1000f),
        }).ToArray();
        var expected4 = words.SelectMany(w => new[] { Pack.Unpack4x8Snorm(w), Pack.Unpack4x8Unorm(w) }).ToArray();
        var expected2 = words.SelectMany(w => new[] { Pack.Unpack2x16Snorm(w), Pack.Unpack2x16Unorm(w), Pack.Unpack2x16Float(w & 0x7bff7bffu) }).ToArray();
        ResultComparison.Exact<uint>(expectedPacked, cpu.Item1, "cpu packed");
        ResultComparison.Exact<uint>(expectedPacked, native.Item1, "native packed");
        ResultComparison.Exact<Vector4>(expected4, cpu.Item2, "cpu unpacked 4x8");
        ResultComparison.Exact<Vector2>(expected2, cpu.Item3, "cpu unpacked 2x16");
        // WGSL's f32 division is accurate to 2.5 ulp; the GPU may divide through a reciprocal.
        ResultComparison.Close(expected4, native.Item2, new FloatTolerance(3, 0f), "native unpacked 4x8");
        ResultComparison.Close(expected2, native.Item3, new FloatTolerance(3, 0f), "native unpacked 2x16");
    }

    /// <summary>Whether a component of <paramref name="e"/>, clamped and scaled in f32 for a normalised pack, is exactly k + 0.5.</summary>
    private static bool HasPackTie(Vector4 e)
    {
        foreach (var c in new[] { e.X, e.Y, e.Z, e.W })
        {
            foreach (var scaled in new[] { 127f * Math.Clamp(c, -1f, 1f), 255f * Math.Clamp(c, 0f, 1f), 32767f * Math.Clamp(c, -1f, 1f), 65535f * Math.Clamp(c, 0f, 1f) })
            {
                if (scaled - MathF.Floor(scaled) == 0.5f)
                    return true;
            }
        }
        return false;
    }

    [Fact]
    [CorpusCase(typeof(Packing), nameof(Packing.PackBytes))]
    public void PackBytes_wraps_clamps_and_extracts_bytes()
    {
        const int Groups = 100;
        var x = new SeededInputs(5003).Ints(4 * Groups, -300, 300);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<int>(x);
            using var packed = device.Allocate<uint>(4 * Groups);
            using var lanes = device.Allocate<int>(8 * Groups);
            using var stream = device.CreateStream();
            Packing.Gpu.PackBytes(stream, gx, packed, lanes, Groups);
            stream.Synchronize();
            return (packed.ToArray(), lanes.ToArray());
        });
        var expectedPacked = new uint[4 * Groups];
        var expectedLanes = new int[8 * Groups];
        for (int i = 0; i < Groups; i++)
        {
            int a = x[4 * i], b = x[4 * i + 1], c = x[4 * i + 2], d = x[4 * i + 3];
            expectedPacked[4 * i] = Pack.Pack4xI8(a, b, c, d);
            expectedPacked[4 * i + 1] = Pack.Pack4xU8((uint)a, (uint)b, (uint)c, (uint)d);
            expectedPacked[4 * i + 2] = Pack.Pack4xI8Clamp(a, b, c, d);
            expectedPacked[4 * i + 3] = Pack.Pack4xU8Clamp((uint)a, (uint)b, (uint)c, (uint)d);
            for (int lane = 0; lane < 4; lane++)
                expectedLanes[8 * i + lane] = (sbyte)x[4 * i + lane] + (x[4 * i + lane] & 0xff) * 1000;
            expectedLanes[8 * i + 4] = Pack.Unpack4xI8((uint)a, b);
            expectedLanes[8 * i + 5] = (int)Pack.Unpack4xU8((uint)c, d);
        }
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<uint>(expectedPacked, result.Item1, name + " packed");
            ResultComparison.Exact<int>(expectedLanes, result.Item2, name + " lanes");
        }
    }

    [Fact]
    [CorpusCase(typeof(Packing), nameof(Packing.BitOps))]
    public void BitOps_match_BitOperations()
    {
        const int N = 400;
        var inputs = new SeededInputs(5004);
        var x = inputs.AnyUInts(N);
        x[0] = 0; x[1] = 1; x[2] = 0x80000000u; x[3] = 0x80000001u; x[4] = 64; x[5] = uint.MaxValue;
        var n = inputs.Ints(N, -100, 100);
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gx = device.Upload<uint>(x);
            using var gn = device.Upload<int>(n);
            using var output = device.Allocate<uint>(6 * N);
            using var stream = device.CreateStream();
            Packing.Gpu.BitOps(stream, gx, gn, output, N);
            stream.Synchronize();
            return output.ToArray();
        });
        var expected = new uint[6 * N];
        for (int i = 0; i < N; i++)
        {
            uint v = x[i], s = v >> (i & 31);
            expected[6 * i] = BitOperations.RotateLeft(v, n[i]);
            expected[6 * i + 1] = BitOperations.RotateRight(v + 1u, n[i] - 3);
            expected[6 * i + 2] = (uint)BitOperations.Log2(s);
            expected[6 * i + 3] = (BitOperations.IsPow2(s) ? 1u : 0u) | (BitOperations.IsPow2((int)v >> (i & 31)) ? 2u : 0u);
            expected[6 * i + 4] = BitOperations.RoundUpToPowerOf2(s);
            expected[6 * i + 5] = (uint)BitOperations.Log2(BitOperations.RotateLeft(v, 7) | 1u);
        }
        ResultComparison.Exact<uint>(expected, native, "native");
        ResultComparison.Exact<uint>(expected, cpu, "cpu");
    }

    [Fact]
    [CorpusCase(typeof(Packing), nameof(Packing.HalfBits))]
    public void HalfBits_go_through_int_and_uint()
    {
        var h = new SeededInputs(5005).Floats(150, -70000f, 70000f).Select(f => (Half)f)
            .Concat([Half.Zero, Half.NegativeZero, Half.MaxValue, Half.MinValue, Half.Epsilon, (Half)(-1f)]).ToArray();
        int n = h.Length;
        var (native, cpu) = ResultComparison.OnBothBackends(fixture, device =>
        {
            using var gh = device.Upload<Half>(h);
            using var bits = device.Allocate<int>(2 * n);
            using var back = device.Allocate<Half>(2 * n);
            using var stream = device.CreateStream();
            Packing.Gpu.HalfBits(stream, gh, bits, back, n);
            stream.Synchronize();
            return (bits.ToArray(), back.ToArray().Select(BitConverter.HalfToUInt16Bits).ToArray());
        });
        var expectedBits = h.SelectMany(v => new[] { (int)BitConverter.HalfToInt16Bits(v), (int)BitConverter.HalfToUInt16Bits(v) }).ToArray();
        var expectedBack = h.SelectMany(v => new[]
        {
            (ushort)(BitConverter.HalfToUInt16Bits(v) ^ 0x8000), (ushort)(BitConverter.HalfToInt16Bits(v) + 1),
        }).ToArray();
        foreach (var (name, result) in new[] { ("native", native), ("cpu", cpu) })
        {
            ResultComparison.Exact<int>(expectedBits, result.Item1, name + " bits");
            ResultComparison.Exact<ushort>(expectedBack, result.Item2, name + " back (bits)");
        }
    }

    /// <summary>The CPU forms against the WGSL specification's formulas, worked out by hand.</summary>
    [Fact]
    public void Pack_cpu_forms_follow_the_wgsl_specification()
    {
        // floor(0.5 + 127 * clamp(e, -1, 1)): -1 -> -127 (0x81), -0.5 -> floor(-63) = -63 (0xc1), 0.5 -> 64, 2 -> 127.
        Assert.Equal(0x7f40c181u, Pack.Pack4x8Snorm(new Vector4(-1f, -0.5f, 0.5f, 2f)));
        // floor(0.5 + 255 * clamp(e, 0, 1)): 0, 0.5 -> floor(128) = 128, 1 -> 255, -3 -> 0.
        Assert.Equal(0x00ff8000u, Pack.Pack4x8Unorm(new Vector4(0f, 0.5f, 1f, -3f)));
        Assert.Equal(0x80017fffu, Pack.Pack2x16Snorm(new Vector2(1f, -1f)));
        Assert.Equal(0x8000ffffu, Pack.Pack2x16Unorm(new Vector2(1f, 0.5f)));
        Assert.Equal(0xc0003c00u, Pack.Pack2x16Float(new Vector2(1f, -2f)));
        // max(v / 127, -1): 0x80 is -128 -> -1; 0x81 -> -1; 0x7f -> 1.
        Assert.Equal(new Vector4(-1f, -1f, 1f, 0f), Pack.Unpack4x8Snorm(0x007f8180u));
        Assert.Equal(new Vector4(1f, 0f, 128f / 255f, 1f / 255f), Pack.Unpack4x8Unorm(0x018000ffu));
        Assert.Equal(new Vector2(-1f, 1f), Pack.Unpack2x16Snorm(0x7fff8000u));
        Assert.Equal(new Vector2(1f, 0f), Pack.Unpack2x16Unorm(0x0000ffffu));
        Assert.Equal(new Vector2(1f, -2f), Pack.Unpack2x16Float(0xc0003c00u));
        Assert.Equal(0x80ff7f01u, Pack.Pack4xI8(1, 127, -1, -128));
        Assert.Equal(0x807f7f80u, Pack.Pack4xI8Clamp(-200, 127, 300, -129));
        Assert.Equal(0xff00ffffu, Pack.Pack4xU8Clamp(300, 255, 0, 1000));
        Assert.Equal(-1, Pack.Unpack4xI8(0x000000ffu, 4));
        Assert.Equal(0x12u, Pack.Unpack4xU8(0x12345678u, -1));
    }
}
