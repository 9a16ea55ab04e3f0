using System.Runtime.InteropServices;

// One struct per WebGPU object type, as Dawn's C++ wrapper (generated from dawn.json) has one class
// per handle: a handle of one type cannot be passed where another is expected, and each knows its own
// release call. They are blittable (one pointer), so LibraryImport passes and returns them as the C
// handles they are. Ownership stays with the safe layer (one owner, released once).
namespace KernelGen.Interop.Dawn;

/// <summary><c>WGPUInstance</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUInstance : IEquatable<WGPUInstance>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuInstanceRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.InstanceRelease(this);
    }

    public bool Equals(WGPUInstance other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUInstance other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUInstance left, WGPUInstance right) => left.handle == right.handle;

    public static bool operator !=(WGPUInstance left, WGPUInstance right) => left.handle != right.handle;
}

/// <summary><c>WGPUAdapter</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUAdapter : IEquatable<WGPUAdapter>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuAdapterRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.AdapterRelease(this);
    }

    public bool Equals(WGPUAdapter other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUAdapter other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUAdapter left, WGPUAdapter right) => left.handle == right.handle;

    public static bool operator !=(WGPUAdapter left, WGPUAdapter right) => left.handle != right.handle;
}

/// <summary><c>WGPUDevice</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUDevice : IEquatable<WGPUDevice>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuDeviceRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.DeviceRelease(this);
    }

    public bool Equals(WGPUDevice other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUDevice other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUDevice left, WGPUDevice right) => left.handle == right.handle;

    public static bool operator !=(WGPUDevice left, WGPUDevice right) => left.handle != right.handle;
}

/// <summary><c>WGPUQueue</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUQueue : IEquatable<WGPUQueue>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuQueueRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.QueueRelease(this);
    }

    public bool Equals(WGPUQueue other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUQueue other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUQueue left, WGPUQueue right) => left.handle == right.handle;

    public static bool operator !=(WGPUQueue left, WGPUQueue right) => left.handle != right.handle;
}

/// <summary><c>WGPUBuffer</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUBuffer : IEquatable<WGPUBuffer>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuBufferRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.BufferRelease(this);
    }

    public bool Equals(WGPUBuffer other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUBuffer other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUBuffer left, WGPUBuffer right) => left.handle == right.handle;

    public static bool operator !=(WGPUBuffer left, WGPUBuffer right) => left.handle != right.handle;
}

/// <summary><c>WGPUShaderModule</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUShaderModule : IEquatable<WGPUShaderModule>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuShaderModuleRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.ShaderModuleRelease(this);
    }

    public bool Equals(WGPUShaderModule other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUShaderModule other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUShaderModule left, WGPUShaderModule right) => left.handle == right.handle;

    public static bool operator !=(WGPUShaderModule left, WGPUShaderModule right) => left.handle != right.handle;
}

/// <summary><c>WGPUBindGroupLayout</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUBindGroupLayout : IEquatable<WGPUBindGroupLayout>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuBindGroupLayoutRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.BindGroupLayoutRelease(this);
    }

    public bool Equals(WGPUBindGroupLayout other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUBindGroupLayout other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUBindGroupLayout left, WGPUBindGroupLayout right) => left.handle == right.handle;

    public static bool operator !=(WGPUBindGroupLayout left, WGPUBindGroupLayout right) => left.handle != right.handle;
}

/// <summary><c>WGPUPipelineLayout</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUPipelineLayout : IEquatable<WGPUPipelineLayout>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuPipelineLayoutRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.PipelineLayoutRelease(this);
    }

    public bool Equals(WGPUPipelineLayout other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUPipelineLayout other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUPipelineLayout left, WGPUPipelineLayout right) => left.handle == right.handle;

    public static bool operator !=(WGPUPipelineLayout left, WGPUPipelineLayout right) => left.handle != right.handle;
}

/// <summary><c>WGPUComputePipeline</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUComputePipeline : IEquatable<WGPUComputePipeline>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuComputePipelineRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.ComputePipelineRelease(this);
    }

    public bool Equals(WGPUComputePipeline other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUComputePipeline other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUComputePipeline left, WGPUComputePipeline right) => left.handle == right.handle;

    public static bool operator !=(WGPUComputePipeline left, WGPUComputePipeline right) => left.handle != right.handle;
}

/// <summary><c>WGPUBindGroup</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUBindGroup : IEquatable<WGPUBindGroup>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuBindGroupRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.BindGroupRelease(this);
    }

    public bool Equals(WGPUBindGroup other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUBindGroup other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUBindGroup left, WGPUBindGroup right) => left.handle == right.handle;

    public static bool operator !=(WGPUBindGroup left, WGPUBindGroup right) => left.handle != right.handle;
}

/// <summary><c>WGPUCommandEncoder</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUCommandEncoder : IEquatable<WGPUCommandEncoder>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuCommandEncoderRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.CommandEncoderRelease(this);
    }

    public bool Equals(WGPUCommandEncoder other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUCommandEncoder other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUCommandEncoder left, WGPUCommandEncoder right) => left.handle == right.handle;

    public static bool operator !=(WGPUCommandEncoder left, WGPUCommandEncoder right) => left.handle != right.handle;
}

/// <summary><c>WGPUCommandBuffer</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUCommandBuffer : IEquatable<WGPUCommandBuffer>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuCommandBufferRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.CommandBufferRelease(this);
    }

    public bool Equals(WGPUCommandBuffer other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUCommandBuffer other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUCommandBuffer left, WGPUCommandBuffer right) => left.handle == right.handle;

    public static bool operator !=(WGPUCommandBuffer left, WGPUCommandBuffer right) => left.handle != right.handle;
}

/// <summary><c>WGPUComputePassEncoder</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUComputePassEncoder : IEquatable<WGPUComputePassEncoder>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuComputePassEncoderRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.ComputePassEncoderRelease(this);
    }

    public bool Equals(WGPUComputePassEncoder other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUComputePassEncoder other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUComputePassEncoder left, WGPUComputePassEncoder right) => left.handle == right.handle;

    public static bool operator !=(WGPUComputePassEncoder left, WGPUComputePassEncoder right) => left.handle != right.handle;
}

/// <summary><c>WGPUQuerySet</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUQuerySet : IEquatable<WGPUQuerySet>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    /// <summary>Drops this reference (<c>wgpuQuerySetRelease</c>); a null handle is ignored.</summary>
    public void Release()
    {
        if (handle != 0) Wgpu.QuerySetRelease(this);
    }

    public bool Equals(WGPUQuerySet other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUQuerySet other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUQuerySet left, WGPUQuerySet right) => left.handle == right.handle;

    public static bool operator !=(WGPUQuerySet left, WGPUQuerySet right) => left.handle != right.handle;
}

/// <summary><c>WGPUSurface</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUSurface : IEquatable<WGPUSurface>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    public bool Equals(WGPUSurface other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUSurface other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUSurface left, WGPUSurface right) => left.handle == right.handle;

    public static bool operator !=(WGPUSurface left, WGPUSurface right) => left.handle != right.handle;
}

/// <summary><c>WGPUSampler</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUSampler : IEquatable<WGPUSampler>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    public bool Equals(WGPUSampler other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUSampler other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUSampler left, WGPUSampler right) => left.handle == right.handle;

    public static bool operator !=(WGPUSampler left, WGPUSampler right) => left.handle != right.handle;
}

/// <summary><c>WGPUTextureView</c>: a reference to a Dawn object (null when <see cref="IsNull"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct WGPUTextureView : IEquatable<WGPUTextureView>
{
    private readonly nint handle;

    /// <summary>True for the null handle (no object).</summary>
    public bool IsNull => handle == 0;

    public bool Equals(WGPUTextureView other) => handle == other.handle;

    public override bool Equals(object? obj) => obj is WGPUTextureView other && Equals(other);

    public override int GetHashCode() => handle.GetHashCode();

    public static bool operator ==(WGPUTextureView left, WGPUTextureView right) => left.handle == right.handle;

    public static bool operator !=(WGPUTextureView left, WGPUTextureView right) => left.handle != right.handle;
}
