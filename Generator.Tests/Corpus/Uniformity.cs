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
}
