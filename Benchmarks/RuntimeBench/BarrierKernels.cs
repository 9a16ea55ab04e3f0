namespace KernelGen.Benchmarks;

/// <summary>A generated barrier kernel for the CPU backend's barrier figure (the generator runs on this project).</summary>
public static partial class BarrierKernels
{
    /// <summary>A 256-wide shared-memory tree reduction: one sum per workgroup of 256 floats.</summary>
    [Kernel(WorkgroupSize = 256)]
    public static void Reduce256(ThreadId id, LocalId local, GroupId group, ReadOnlySpan<float> x, Span<float> sums, [GroupShared(256)] Span<float> partial)
    {
        int i = id.X;
        partial[local.X] = i < x.Length ? x[i] : 0f;
        Workgroup.Barrier();
        for (int stride = 128; stride > 0; stride >>= 1)
        {
            if (local.X < stride)
                partial[local.X] += partial[local.X + stride];
            Workgroup.Barrier();
        }
        if (local.X == 0)
            sums[group.X] = partial[0];
    }

    /// <summary>The same kernel without its phased CPU form: the CPU backend runs it one thread per invocation.</summary>
    public static KernelInfo Threaded(KernelInfo k) => new()
    {
        Name = k.Name + " (threaded)",
        SourceLocation = k.SourceLocation,
        Wgsl = k.Wgsl,
        EntryPoint = k.EntryPoint,
        WorkgroupSizeX = k.WorkgroupSizeX,
        WorkgroupSizeY = k.WorkgroupSizeY,
        WorkgroupSizeZ = k.WorkgroupSizeZ,
        Bindings = k.Bindings,
        UniformSize = k.UniformSize,
        SharedArrays = k.SharedArrays,
        UsesBarriers = k.UsesBarriers,
        UsesF16 = k.UsesF16,
        Cpu = k.Cpu,
        CpuPhased = null,
    };
}
