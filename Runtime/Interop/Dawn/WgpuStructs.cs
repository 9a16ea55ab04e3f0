using System.Runtime.InteropServices;

// One-to-one mirrors of the structs of Dawn's webgpu.h (June 2025) that the runtime uses. Sizes are
// pinned by Runtime.Tests (NativeLayoutTests) against the sizes measured on x86-64.
#pragma warning disable CA1051 // Interop structs expose fields, as in the C header.
namespace KernelGen.Interop.Dawn;

/// <summary><c>WGPUStringView</c>: UTF-8 bytes and a length (<see cref="Wgpu.StrLen"/> = null-terminated).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUStringView
{
    public byte* Data;
    public nuint Length;

    public static WGPUStringView Null => new() { Data = null, Length = Wgpu.StrLen };

    public override readonly string ToString()
    {
        if (Data == null) return string.Empty;
        if (Length == Wgpu.StrLen) return Marshal.PtrToStringUTF8((nint)Data) ?? string.Empty;
        return System.Text.Encoding.UTF8.GetString(Data, checked((int)Length));
    }
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUChainedStruct
{
    public WGPUChainedStruct* Next;
    public WGPUSType SType;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUInstanceCapabilities
{
    public nint NextInChain;
    public uint TimedWaitAnyEnable;
    public nuint TimedWaitAnyMaxCount;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUInstanceDescriptor
{
    public nint NextInChain;
    public WGPUInstanceCapabilities Capabilities;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUFuture
{
    public ulong Id;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUFutureWaitInfo
{
    public WGPUFuture Future;
    public uint Completed;
}

/// <summary>Every <c>WGPU*CallbackInfo</c> with a mode has this layout.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WGPUCallbackInfo
{
    public nint NextInChain;
    public WGPUCallbackMode Mode;
    public nint Callback;
    public nint Userdata1;
    public nint Userdata2;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUUncapturedErrorCallbackInfo
{
    public nint NextInChain;
    public nint Callback;
    public nint Userdata1;
    public nint Userdata2;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPURequestAdapterOptions
{
    public nint NextInChain;
    public WGPUFeatureLevel FeatureLevel;
    public WGPUPowerPreference PowerPreference;
    public uint ForceFallbackAdapter;
    public WGPUBackendType BackendType;
    public WGPUSurface CompatibleSurface;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUAdapterInfo
{
    public nint NextInChain;
    public WGPUStringView Vendor;
    public WGPUStringView Architecture;
    public WGPUStringView Device;
    public WGPUStringView Description;
    public WGPUBackendType BackendType;
    public WGPUAdapterType AdapterType;
    public uint VendorId;
    public uint DeviceId;
    public uint SubgroupMinSize;
    public uint SubgroupMaxSize;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPULimits
{
    public nint NextInChain;
    public uint MaxTextureDimension1D;
    public uint MaxTextureDimension2D;
    public uint MaxTextureDimension3D;
    public uint MaxTextureArrayLayers;
    public uint MaxBindGroups;
    public uint MaxBindGroupsPlusVertexBuffers;
    public uint MaxBindingsPerBindGroup;
    public uint MaxDynamicUniformBuffersPerPipelineLayout;
    public uint MaxDynamicStorageBuffersPerPipelineLayout;
    public uint MaxSampledTexturesPerShaderStage;
    public uint MaxSamplersPerShaderStage;
    public uint MaxStorageBuffersPerShaderStage;
    public uint MaxStorageTexturesPerShaderStage;
    public uint MaxUniformBuffersPerShaderStage;
    public ulong MaxUniformBufferBindingSize;
    public ulong MaxStorageBufferBindingSize;
    public uint MinUniformBufferOffsetAlignment;
    public uint MinStorageBufferOffsetAlignment;
    public uint MaxVertexBuffers;
    public ulong MaxBufferSize;
    public uint MaxVertexAttributes;
    public uint MaxVertexBufferArrayStride;
    public uint MaxInterStageShaderVariables;
    public uint MaxColorAttachments;
    public uint MaxColorAttachmentBytesPerSample;
    public uint MaxComputeWorkgroupStorageSize;
    public uint MaxComputeInvocationsPerWorkgroup;
    public uint MaxComputeWorkgroupSizeX;
    public uint MaxComputeWorkgroupSizeY;
    public uint MaxComputeWorkgroupSizeZ;
    public uint MaxComputeWorkgroupsPerDimension;
    public uint MaxImmediateSize;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUSupportedFeatures
{
    public nuint FeatureCount;
    public WGPUFeatureName* Features;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUQueueDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUDeviceDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public nuint RequiredFeatureCount;
    public WGPUFeatureName* RequiredFeatures;
    public WGPULimits* RequiredLimits;
    public WGPUQueueDescriptor DefaultQueue;
    public WGPUCallbackInfo DeviceLostCallbackInfo;
    public WGPUUncapturedErrorCallbackInfo UncapturedErrorCallbackInfo;
}

/// <summary>Dawn's toggle lists, chained onto an instance, adapter or device descriptor (sType <see cref="WGPUSType.DawnTogglesDescriptor"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUDawnTogglesDescriptor
{
    public WGPUChainedStruct Chain;
    public nuint EnabledToggleCount;
    public byte** EnabledToggles;
    public nuint DisabledToggleCount;
    public byte** DisabledToggles;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUBufferDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public WGPUBufferUsage Usage;
    public ulong Size;
    public uint MappedAtCreation;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUShaderModuleDescriptor
{
    public WGPUChainedStruct* NextInChain;
    public WGPUStringView Label;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUShaderSourceWGSL
{
    public WGPUChainedStruct Chain;
    public WGPUStringView Code;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUBufferBindingLayout
{
    public nint NextInChain;
    public WGPUBufferBindingType Type;
    public uint HasDynamicOffset;
    public ulong MinBindingSize;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUSamplerBindingLayout
{
    public nint NextInChain;
    public uint Type;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUTextureBindingLayout
{
    public nint NextInChain;
    public uint SampleType;
    public uint ViewDimension;
    public uint Multisampled;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUStorageTextureBindingLayout
{
    public nint NextInChain;
    public uint Access;
    public uint Format;
    public uint ViewDimension;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUBindGroupLayoutEntry
{
    public nint NextInChain;
    public uint Binding;
    public WGPUShaderStage Visibility;
    public uint BindingArraySize;
    public WGPUBufferBindingLayout Buffer;
    public WGPUSamplerBindingLayout Sampler;
    public WGPUTextureBindingLayout Texture;
    public WGPUStorageTextureBindingLayout StorageTexture;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBindGroupLayoutDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public nuint EntryCount;
    public WGPUBindGroupLayoutEntry* Entries;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUPipelineLayoutDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public nuint BindGroupLayoutCount;
    public WGPUBindGroupLayout* BindGroupLayouts;
    public uint ImmediateSize;
}

/// <summary><c>WGPUConstantEntry</c>: the value of one WGSL <c>override</c> constant of a pipeline.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WGPUConstantEntry
{
    public nint NextInChain;
    public WGPUStringView Key;
    public double Value;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUComputeState
{
    public nint NextInChain;
    public WGPUShaderModule Module;
    public WGPUStringView EntryPoint;
    public nuint ConstantCount;
    public WGPUConstantEntry* Constants;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUComputePipelineDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public WGPUPipelineLayout Layout;
    public WGPUComputeState Compute;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUBindGroupEntry
{
    public nint NextInChain;
    public uint Binding;
    public WGPUBuffer Buffer;
    public ulong Offset;
    public ulong Size;
    public WGPUSampler Sampler;
    public WGPUTextureView TextureView;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUBindGroupDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public WGPUBindGroupLayout Layout;
    public nuint EntryCount;
    public WGPUBindGroupEntry* Entries;
}

/// <summary><c>WGPUCommandEncoderDescriptor</c> and <c>WGPUCommandBufferDescriptor</c> (same layout).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WGPULabelDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUPassTimestampWrites
{
    public nint NextInChain;
    public WGPUQuerySet QuerySet;
    public uint BeginningOfPassWriteIndex;
    public uint EndOfPassWriteIndex;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUComputePassDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public WGPUPassTimestampWrites* TimestampWrites;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUQuerySetDescriptor
{
    public nint NextInChain;
    public WGPUStringView Label;
    public WGPUQueryType Type;
    public uint Count;
}

[StructLayout(LayoutKind.Sequential)]
internal struct WGPUCompilationMessage
{
    public nint NextInChain;
    public WGPUStringView Message;
    public WGPUCompilationMessageType Type;
    public ulong LineNum;
    public ulong LinePos;
    public ulong Offset;
    public ulong Length;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct WGPUCompilationInfo
{
    public nint NextInChain;
    public nuint MessageCount;
    public WGPUCompilationMessage* Messages;
}
