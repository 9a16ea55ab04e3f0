// Corpus: enums (int and uint underlying) as uniforms, uniform struct fields, buffer elements, locals,
// constants, helper parameters and results, in switch statements and comparisons, [Flags] bit tests;
// bool uniforms and bool fields of uniform structs (u32 0 or 1 in the uniform block).
// GPU structs are plain data: their public fields are their memory layout.
#pragma warning disable CA1051
#pragma warning disable CA1028 // enums on uint are what the test is about
#pragma warning disable CA1008
#pragma warning disable CA1027
#pragma warning disable CA2217

using System;
using KernelGen;

namespace KernelGen.Corpus;

/// <summary>How two values are combined.</summary>
public enum BlendMode
{
    Add,
    Multiply,
    Max = 5,
    Min,
}

/// <summary>Channels to touch (a uint [Flags] enum).</summary>
[Flags]
public enum Channels : uint
{
    None = 0,
    Red = 1,
    Green = 2,
    Blue = 4,
    All = Red | Green | Blue,
}

/// <summary>An operation code stored in a buffer.</summary>
public enum OpCode
{
    Nop = -1,
    Add = 10,
    Sub = 20,
    Neg = 30,
}

/// <summary>Uniform struct with an enum field and bools next to each other (one byte each in C#).</summary>
public struct BlendSettings
{
    public float Scale;
    public BlendMode Mode;
    public bool Invert;
    public bool Clamp;
    public int Count;
}

/// <summary>A struct holding a struct with a bool.</summary>
public struct OuterSettings
{
    public bool Enabled;
    public float Bias;
    public int Padding0;
    public int Padding1;
    public BlendSettings Inner; // uniform buffers start struct members at multiples of 16 bytes
}

public static partial class Enums
{
    private const BlendMode Fallback = BlendMode.Max;

    /// <summary>A switch on an enum uniform, enum comparisons and conversions, [Flags] tests on a uint enum.</summary>
    [Kernel]
    public static void Blend(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, Span<uint> touched, BlendMode mode, Channels channels)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float v;
        switch (mode)
        {
            case BlendMode.Add:
                v = a[i] + b[i];
                break;
            case BlendMode.Multiply:
                v = a[i] * b[i];
                break;
            case BlendMode.Max:
            case BlendMode.Min:
                v = mode == BlendMode.Max ? MathF.Max(a[i], b[i]) : MathF.Min(a[i], b[i]);
                break;
            default:
                v = -1f;
                break;
        }
        BlendMode local = mode > BlendMode.Multiply ? Fallback : mode;
        local++;
        y[i] = v + (int)local * 100 + (float)mode;
        Channels picked = Channels.None;
        if ((channels & Channels.Red) != 0)
            picked |= Channels.Red;
        if (channels.HasFlag(Channels.Green))
            picked |= Channels.Green;
        if ((channels & Channels.All) == Channels.All)
            picked |= (Channels)8u;
        picked ^= ~channels & Channels.Blue;
        touched[i] = (uint)picked;
    }

    /// <summary>Enum buffer elements and a helper that takes and returns enums.</summary>
    [Kernel]
    public static void Interpret(ThreadId id, ReadOnlySpan<OpCode> ops, ReadOnlySpan<int> x, Span<int> y, Span<OpCode> next)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        OpCode op = ops[i];
        y[i] = Apply(op, x[i]);
        next[i] = Successor(op);
    }

    private static int Apply(OpCode op, int value)
    {
        switch (op)
        {
            case OpCode.Add: return value + 1;
            case OpCode.Sub: return value - 1;
            case OpCode.Neg: return -value;
            default: return value;
        }
    }

    private static OpCode Successor(OpCode op)
        => op == OpCode.Neg ? OpCode.Nop : op == OpCode.Nop ? OpCode.Add : op + 10;

    /// <summary>bool uniforms: a plain one, one the kernel assigns, and bool fields of (nested) uniform structs.</summary>
    [Kernel]
    public static void Flags(ThreadId id, ReadOnlySpan<float> x, Span<float> y, bool negate, bool twice, OuterSettings settings)
    {
        int i = id.X;
        if (i >= y.Length || i >= settings.Inner.Count)
            return;
        float v = x[i] * settings.Inner.Scale;
        if (negate)
            v = -v;
        if (settings.Inner.Invert)
            v = 1f / v;
        if (settings.Inner.Clamp && !twice)
            v = Math.Clamp(v, -1f, 1f);
        twice &= v > 0f;
        if (twice)
            v *= 2f;
        y[i] = settings.Enabled ? Finish(v, settings) : 0f;
    }

    private static float Finish(float v, OuterSettings settings)
    {
        BlendSettings inner = settings.Inner;
        return inner.Mode == BlendMode.Add ? v + settings.Bias : v * settings.Bias;
    }
}
