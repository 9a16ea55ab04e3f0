namespace KernelGen;

/// <summary>The CPU backend's subgroup emulation settings.</summary>
internal static class CpuSubgroups
{
    /// <summary>The subgroup size emulated when <see cref="GpuDeviceOptions.CpuSubgroupSize"/> is not set.</summary>
    public const int DefaultSize = 32;

    /// <summary>The size from the options, checked: a power of two from 4 to 128, as WebGPU allows.</summary>
    public static int SizeFrom(GpuDeviceOptions options)
    {
        var size = options.CpuSubgroupSize ?? DefaultSize;
        if (size < 4 || size > 128 || (size & (size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(options), size,
                $"GpuDeviceOptions.CpuSubgroupSize is {size}; WebGPU's subgroup sizes are powers of two from 4 to 128 (4, 8, 16, 32, 64, 128).");
        return size;
    }
}
