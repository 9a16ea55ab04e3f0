// Corpus: built-in ids in one, two and three dimensions; local, group and group-count ids.
using System;
using KernelGen;

namespace KernelGen.Corpus;

public static partial class Ids
{
    /// <summary>Writes every invocation's 3D global id into a volume.</summary>
    [Kernel(WorkgroupSize = 4, WorkgroupSizeY = 4, WorkgroupSizeZ = 4)]
    public static void Volume3D(ThreadId id, Span<int> volume, int width, int height, int depth)
    {
        if (id.X >= width || id.Y >= height || id.Z >= depth)
            return;
        volume[(id.Z * height + id.Y) * width + id.X] = id.X + 100 * id.Y + 10000 * id.Z;
    }

    /// <summary>Local, group and group-count ids, and the flattened local index.</summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 2)]
    public static void AllIds(ThreadId thread, LocalId local, GroupId group, GroupCount groups, Span<int> output)
    {
        int width = groups.X * 8;
        int flat = thread.Y * width + thread.X;
        if (flat * 4 + 3 >= output.Length)
            return;
        output[flat * 4] = local.X + 10 * local.Y;
        output[flat * 4 + 1] = local.Index;
        output[flat * 4 + 2] = group.X + 10 * group.Y;
        output[flat * 4 + 3] = groups.X * groups.Y * groups.Z;
    }

    /// <summary>2D transpose of a matrix, one thread per element.</summary>
    [Kernel(WorkgroupSize = 16, WorkgroupSizeY = 16)]
    public static void Transpose(ThreadId id, ReadOnlySpan<float> input, Span<float> output, int rows, int columns)
    {
        int c = id.X, r = id.Y;
        if (r < rows && c < columns)
            output[c * rows + r] = input[r * columns + c];
    }

    /// <summary>
    /// Ids passed to helpers (a helper passing one on, a local function with an id parameter, an id in a helper's
    /// loop bound): each helper takes the built-ins after its own parameters, as a local function captures them.
    /// </summary>
    [Kernel(WorkgroupSize = 8, WorkgroupSizeY = 2)]
    public static void IdsInHelpers(ThreadId thread, LocalId local, GroupId group, GroupCount groups, Span<int> output)
    {
        int width = Width(groups);
        int flat = thread.Y * width + thread.X;
        if (flat * 4 + 3 >= output.Length)
            return;
        output[flat * 4] = LocalCode(local, 10);
        output[flat * 4 + 1] = Flat(thread, width) - flat + local.Index * 0 + LocalIndex(local);
        output[flat * 4 + 2] = GroupCode(group);
        output[flat * 4 + 3] = Steps(local) + Inner(thread);

        int Inner(ThreadId t) => t.X % 3;
    }

    private static int Width(GroupCount groups) => groups.X * 8;

    private static int LocalCode(LocalId l, int scale) => l.X + scale * l.Y;

    private static int LocalIndex(LocalId l) => l.Index;

    private static int Flat(ThreadId t, int width) => t.Y * width + t.X;

    private static int GroupCode(GroupId g) => g.X + 10 * g.Y;

    private static int Steps(LocalId l)
    {
        int n = 0;
        for (int k = 0; k < l.X; k++)
            n += LocalCode(l, 0) > k ? 1 : 0;
        return n * 10;
    }
}
