// Corpus: [Specialize] parameters (WGSL override constants) in the workgroup size, workgroup array lengths, loop bounds and branches.
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Specialization
{
    /// <summary>Block sums whose block (workgroup size and shared array length) is fixed when the pipeline is created.</summary>
    [Kernel(WorkgroupSizeFrom = nameof(block))]
    public static void SpecializedBlockSum(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> sums,
        [Specialize] int block, [GroupShared(nameof(block))] Span<float> partial)
    {
        int i = id.X;
        partial[local.X] = i < x.Length ? x[i] : 0f;
        Workgroup.Barrier();
        for (int stride = partial.Length / 2; stride > 0; stride >>= 1)
        {
            if (local.X < stride)
                partial[local.X] += partial[local.X + stride];
            Workgroup.Barrier();
        }
        if (local.X == 0)
            sums[group.X] = partial[0] / (block > 0 ? 1f : 0f);
    }

    /// <summary>A polynomial whose degree (loop bound), scale, clamping (branch) and bit mask are specialisation constants.</summary>
    [Kernel]
    public static void SpecializedPolynomial(ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<uint> bits,
        [Specialize] int degree, [Specialize] float scale, [Specialize] bool clampOutput, [Specialize] uint mask, float offset)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float v = x[i];
        float sum = 0f;
        float power = 1f;
        for (int d = 0; d <= degree; d++)
        {
            sum += power;
            power *= v;
        }
        if (clampOutput)
            sum = Math.Clamp(sum, -1f, 1f);
        y[i] = sum * scale + offset;
        // An assigned [Specialize] parameter is a copy of the constant.
        while (degree > 2)
            degree -= 2;
        bits[i] = ((uint)i & mask) + (uint)degree;
    }
}

/// <summary>How <see cref="SpecializedEnums.Combine"/> mixes its inputs (an int enum [Specialize] parameter).</summary>
public enum MixMode
{
    Add,
    Multiply,
    Max,
    Replace,
}

/// <summary>A uint enum of flags, specialised too.</summary>
[Flags]
public enum MixFlags : uint
{
    None = 0,
    Offset = 1,
    Negate = 2,
    Square = 0x80000000,
}

public static partial class SpecializedEnums
{
    /// <summary>Enum [Specialize] parameters: i32 and u32 overrides, a switch expression and flag tests on them.</summary>
    [Kernel]
    public static void Combine(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output, [Specialize] MixMode mode, [Specialize] MixFlags mask)
    {
        int i = id.X;
        if (i >= output.Length)
            return;
        float v = mode switch
        {
            MixMode.Add => a[i] + b[i],
            MixMode.Multiply => a[i] * b[i],
            MixMode.Max => MathF.Max(a[i], b[i]),
            _ => b[i],
        };
        if ((mask & MixFlags.Offset) != 0)
            v += 1f;
        if ((mask & MixFlags.Square) == MixFlags.Square)
            v *= v;
        if (mask.HasFlag(MixFlags.Negate))
            v = -v;
        output[i] = v;
    }
}
