namespace KernelGen.Samples.EfficientNet.Web;

/// <summary>Small kernels the browser tests run in the page (through <see cref="PageInterop"/>) and check against C#.</summary>
public static partial class TestKernels
{
    /// <summary><c>c = a + b</c>.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void VectorAdd(ThreadId id, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        int i = id.X;
        if (i >= c.Length) return;
        c[i] = a[i] + b[i];
    }

    /// <summary><c>y = scale * x + shift</c>, with the two scalars in the uniform block.</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void ScaleShift(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float scale, float shift)
    {
        int i = id.X;
        if (i >= y.Length) return;
        y[i] = scale * x[i] + shift;
    }

    /// <summary>Per-workgroup sums of 64 values through workgroup memory and barriers (tree reduction).</summary>
    [Kernel(WorkgroupSize = 64)]
    public static void BlockSum(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> sums, int count, [GroupShared(64)] Span<float> tile)
    {
        int i = id.X;
        tile[local.X] = i < count ? x[i] : 0f;
        Workgroup.Barrier();
        for (int stride = 32; stride > 0; stride /= 2)
        {
            if (local.X < stride) tile[local.X] += tile[local.X + stride];
            Workgroup.Barrier();
        }
        if (local.X == 0) sums[group.X] = tile[0];
    }
}
