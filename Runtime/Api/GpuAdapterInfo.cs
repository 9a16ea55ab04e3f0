namespace KernelGen;

/// <summary>The kind of adapter.</summary>
public enum GpuAdapterType
{
    /// <summary>Unknown.</summary>
    Unknown,

    /// <summary>A discrete GPU.</summary>
    DiscreteGpu,

    /// <summary>An integrated GPU.</summary>
    IntegratedGpu,

    /// <summary>A software rasterizer (lavapipe, SwiftShader) or the CPU backend.</summary>
    Cpu,
}

/// <summary>Describes an adapter.</summary>
/// <param name="Vendor">Vendor name.</param>
/// <param name="Architecture">Architecture name.</param>
/// <param name="Device">Device name, e.g. <c>NVIDIA H200</c> or <c>llvmpipe (LLVM 19.1.7, 256 bits)</c>.</param>
/// <param name="Description">Driver description.</param>
/// <param name="BackendType">Dawn's backend: Vulkan, Metal, D3D12, OpenGLES, ... or <c>Cpu</c> for the CPU backend.</param>
/// <param name="AdapterType">The kind of adapter.</param>
/// <param name="VendorId">PCI vendor id.</param>
/// <param name="DeviceId">PCI device id.</param>
public sealed record GpuAdapterInfo(string Vendor, string Architecture, string Device, string Description,
    string BackendType, GpuAdapterType AdapterType, uint VendorId, uint DeviceId)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Device} ({BackendType}, {AdapterType}{(string.IsNullOrEmpty(Description) ? "" : ", " + Description)})";
}

/// <summary>The device limits that matter for compute.</summary>
public sealed record GpuLimits
{
    /// <summary>Most workgroups per dispatch dimension.</summary>
    public required uint MaxComputeWorkgroupsPerDimension { get; init; }

    /// <summary>Most invocations per workgroup.</summary>
    public required uint MaxComputeInvocationsPerWorkgroup { get; init; }

    /// <summary>Largest workgroup size along X.</summary>
    public required uint MaxComputeWorkgroupSizeX { get; init; }

    /// <summary>Largest workgroup size along Y.</summary>
    public required uint MaxComputeWorkgroupSizeY { get; init; }

    /// <summary>Largest workgroup size along Z.</summary>
    public required uint MaxComputeWorkgroupSizeZ { get; init; }

    /// <summary>Bytes of workgroup-shared memory.</summary>
    public required uint MaxComputeWorkgroupStorageSize { get; init; }

    /// <summary>Largest storage-buffer binding, in bytes.</summary>
    public required ulong MaxStorageBufferBindingSize { get; init; }

    /// <summary>Largest buffer, in bytes.</summary>
    public required ulong MaxBufferSize { get; init; }

    /// <summary>Storage buffers per shader stage.</summary>
    public required uint MaxStorageBuffersPerShaderStage { get; init; }

    /// <summary>Largest uniform-buffer binding, in bytes.</summary>
    public required ulong MaxUniformBufferBindingSize { get; init; }

    /// <summary>Alignment of uniform-buffer offsets.</summary>
    public required uint MinUniformBufferOffsetAlignment { get; init; }
}

/// <summary>Optional device features the runtime uses.</summary>
/// <param name="ShaderF16">WGSL <c>f16</c> (kernels with Half).</param>
/// <param name="TimestampQuery">GPU timestamps (per-kernel timings).</param>
/// <param name="Subgroups">WGSL subgroup operations.</param>
public sealed record GpuFeatures(bool ShaderF16, bool TimestampQuery, bool Subgroups)
{
    /// <summary>The smallest subgroup size the adapter may use (0 without <see cref="Subgroups"/>).</summary>
    public int SubgroupMinSize { get; init; }

    /// <summary>The largest subgroup size the adapter may use (0 without <see cref="Subgroups"/>).</summary>
    public int SubgroupMaxSize { get; init; }

    /// <summary>Every feature the adapter reports, by webgpu.h name (for diagnostics).</summary>
    public IReadOnlyList<string> AdapterFeatures { get; init; } = [];

    /// <summary>Whether the device has <paramref name="feature"/> (a WebGPU feature name such as <c>shader-f16</c>).</summary>
    public bool Has(string feature) => feature switch
    {
        "shader-f16" => ShaderF16,
        "timestamp-query" => TimestampQuery,
        "subgroups" => Subgroups,
        _ => AdapterFeatures.Contains(feature),
    };

    /// <inheritdoc/>
    public override string ToString() => $"shader-f16: {ShaderF16}, timestamp-query: {TimestampQuery}, subgroups: {Subgroups}{(Subgroups ? $" (sizes {SubgroupMinSize}-{SubgroupMaxSize})" : "")}; adapter: {string.Join(" ", AdapterFeatures)}";
}

/// <summary>The GPU time of one dispatch, from timestamp queries (native) or a stopwatch (CPU backend).</summary>
/// <param name="Kernel">The kernel's C# name.</param>
/// <param name="Microseconds">Duration in microseconds.</param>
public readonly record struct KernelTiming(string Kernel, double Microseconds);
