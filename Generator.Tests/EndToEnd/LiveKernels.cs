namespace KernelGen.Generator.Tests.EndToEnd;

/// <summary>
/// Kernels compiled by the real generator as an analyzer of this project: the end-to-end check that
/// generated code compiles and that KernelInfo.Cpu runs the C# method with the right arguments.
/// </summary>
public static partial class LiveKernels
{
    [Kernel(WorkgroupSize = 64)]
    public static void ScaledSilu(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float scale)
    {
        int i = id.X;
        if (i >= y.Length)
            return;
        float v = x[i];
        y[i] = scale * v / (1f + MathF.Exp(-v));
    }

    [Kernel(WorkgroupSize = 4, WorkgroupSizeY = 4)]
    public static void AddRows(ThreadId id, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> sum, int width, int height, uint bias)
    {
        int x = id.X, y = id.Y;
        if (x >= width || y >= height)
            return;
        int i = y * width + x;
        sum[i] = a[i] + b[i] + (int)bias;
    }
}
