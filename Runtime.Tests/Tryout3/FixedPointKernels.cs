namespace KernelGen.Runtime.Tests.Tryout3;

/// <summary>Q16.16 fixed point as embedded and deterministic-physics code writes it.</summary>
public readonly struct Fix16
{
    public const int One = 1 << 16;
    public readonly int Raw;
    public Fix16(int raw) => Raw = raw;
    public static Fix16 FromInt(int v) => new(v << 16);
    public static Fix16 operator +(Fix16 a, Fix16 b) => new(SaturatingAdd(a.Raw, b.Raw));
    public static Fix16 operator -(Fix16 a) => new(-a.Raw);
    public static Fix16 operator *(Fix16 a, Fix16 b) => new((int)(((long)a.Raw * b.Raw) >> 16));
    public static bool operator <(Fix16 a, Fix16 b) => a.Raw < b.Raw;
    public static bool operator >(Fix16 a, Fix16 b) => a.Raw > b.Raw;

    /// <summary>Hacker's Delight 2-12: overflow when both operands' signs differ from the sum's.</summary>
    static int SaturatingAdd(int a, int b)
    {
        var s = a + b;
        if (((a ^ s) & (b ^ s)) < 0) s = a < 0 ? int.MinValue : int.MaxValue;
        return s;
    }
}

public static partial class FixedPoint
{
    /// <summary>A quarter-wave sine table in Q1.15 (short), read through a ReadOnlySpan property.</summary>
    static ReadOnlySpan<short> QuarterSine => [0, 3212, 6393, 9512, 12539, 15446, 18204, 20787, 23170, 25329, 27245, 28898, 30273, 31356, 32137, 32609, 32767];

    static int Sin16(int phase)
    {
        // phase: 0..63 for a full turn, 16 steps a quarter.
        var p = phase & 63;
        var quadrant = p >> 4;
        var k = p & 15;
        int v = quadrant switch
        {
            0 => QuarterSine[k],
            1 => QuarterSine[16 - k],
            2 => -QuarterSine[k],
            _ => -QuarterSine[16 - k],
        };
        return v;
    }

    /// <summary>A damped oscillator integrated in Q16.16 for a number of steps (deterministic everywhere).</summary>
    [Kernel]
    public static void Oscillator(ThreadId id, ReadOnlySpan<int> start, Span<int> position, int steps)
    {
        var i = id.X;
        if (i >= start.Length) return;
        var x = new Fix16(start[i]);
        var v = Fix16.FromInt(0);
        var k = new Fix16(Fix16.One / 10);
        var damping = new Fix16(Fix16.One - Fix16.One / 64);
        for (var s = 0; s < steps; s++)
        {
            v = (v + -(k * x)) * damping;
            x += v;
        }
        position[i] = x.Raw;
    }

    /// <summary>Fixed-point sine by table with linear interpolation between entries, and a saturating accumulate of a signal.</summary>
    [Kernel]
    public static void SineSynth(ThreadId id, Span<int> samples, Span<short> pcm, int phaseStep, int gain)
    {
        var i = id.X;
        if (i >= samples.Length) return;
        var phase = i * phaseStep;                 // Q8: 64 table steps << 8
        var whole = phase >> 8;
        var frac = phase & 255;
        var a = Sin16(whole);
        var b = Sin16(whole + 1);
        var value = a + ((b - a) * frac >> 8);
        samples[i] = value;
        pcm[i] = (short)Math.Clamp(value * gain >> 4, short.MinValue, short.MaxValue);
    }
}
