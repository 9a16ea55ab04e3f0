namespace KernelGen.Samples.EfficientNet.Tests.Reference;

/// <summary>
/// Runs a [Kernel] method directly as C#, once per invocation of a 2-D thread grid: what the CPU
/// backend does with the generated <c>KernelInfo.Cpu</c> body. Rows (id.Y) run in parallel.
/// </summary>
internal static class CpuKernelGrid
{
    public static void Run(int threadsX, int threadsY, Action<ThreadId> invocation)
    {
        // Round X up to whole 64-wide workgroups, as a dispatch would: kernels must guard their bounds.
        int paddedX = (threadsX + 63) / 64 * 64;
        Parallel.For(0, threadsY, y =>
        {
            for (int x = 0; x < paddedX; x++)
                invocation(new ThreadId(x, y, 0));
        });
    }
}
