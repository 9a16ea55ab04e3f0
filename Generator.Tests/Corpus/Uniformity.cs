// Corpus: barriers next to exits and conditions that every invocation takes alike (uniform values), in the
// positions WGSL's uniformity analysis looks at: loops that break and continue, a switch, a helper that waits
// at a barrier in a conditional's branch and on the right of &&. The generator accepts them, and so must Dawn.
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Uniformity
{
    /// <summary>Per lane, a sum of shared values read between barriers, steered by the uniforms rounds and mode.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void UniformExits(LocalId local, GroupId group, Span<float> y, [GroupShared(64)] Span<float> t, int rounds, int mode)
    {
        int lane = local.Index;
        t[lane] = lane + 64 * group.X;
        float acc = 0f;
        for (int k = 0; k < 8; k++)
        {
            if (k == rounds)
                break;
            Workgroup.Barrier();
            acc += t[(lane + k) % 64];
            if (mode == 3)
                continue;
            acc += 0.5f;
        }
        switch (mode)
        {
            case 1:
                Workgroup.Barrier();
                acc += t[63 - lane];
                break;
            default:
                acc += 2f;
                break;
        }
        float extra = rounds > 2 ? Neighbour(t, lane) : -1f;
        if (mode > 0 && Ready(t, group.X))
            acc += extra;
        y[group.X * 64 + lane] = acc + extra;
    }

    private static float Neighbour(Span<float> t, int lane)
    {
        Workgroup.Barrier();
        return t[(lane + 1) % 64];
    }

    private static bool Ready(Span<float> t, int group)
    {
        Workgroup.Barrier();
        return t[0] == 64 * group;
    }

    /// <summary>
    /// Per lane, values steered by the lane itself, with a barrier after each construct that only some invocations
    /// leave early: a loop some break out of sooner, a helper that returns early for some arguments, a switch on the
    /// lane, an inner loop some break out of. WGSL reconverges after each, so the barriers are uniform (Dawn agrees).
    /// </summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ReconvergingExits(LocalId local, GroupId group, Span<float> y, [GroupShared(64)] Span<float> t)
    {
        int lane = local.Index;
        int i = group.X * 64 + lane;
        int k = 0;
        while (true)
        {
            if (k >= lane % 5)
                break;
            k++;
        }
        t[lane] = k;
        Workgroup.Barrier();
        float acc = t[(lane + 1) % 64];
        StoreEven(y, i, lane, lane * 2f);
        Workgroup.Barrier();
        acc += t[63 - lane];
        switch (lane % 3)
        {
            case 0:
                acc += 1f;
                break;
            case 1:
                acc += 2f;
                break;
            default:
                break;
        }
        Workgroup.Barrier();
        for (int j = 0; j < 2; j++)
        {
            for (int m = 0; m < 4; m++)
            {
                if (lane % 4 < m)
                    break;
                acc += 0.25f;
            }
            Workgroup.Barrier();
        }
        y[i] = acc + y[i];
    }

    private static void StoreEven(Span<float> y, int i, int lane, float value)
    {
        if (lane % 2 == 1)
            return;
        y[i] = value;
    }
}
