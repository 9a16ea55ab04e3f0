using System.Runtime.InteropServices;

namespace KernelGen.Native;

/// <summary>
/// The entry points of Dawn's C API (<c>webgpu.h</c>, June 2025) that the runtime uses, one to one.
/// Handles are plain <see cref="nint"/>; ownership lives in the safe layer. Callback-info structs
/// are passed by value, as the header declares.
/// </summary>
internal static unsafe partial class Wgpu
{
    /// <summary>The library name the resolver (<see cref="WebGpuLibrary"/>) maps to a file.</summary>
    public const string Library = "webgpu_wrapper";

    public static readonly nuint StrLen = nuint.MaxValue;
    public const ulong WholeSize = ulong.MaxValue;
    public const uint QuerySetIndexUndefined = uint.MaxValue;

    // WGPUCallbackMode
    public const uint CallbackModeWaitAnyOnly = 1;
    public const uint CallbackModeAllowProcessEvents = 2;
    public const uint CallbackModeAllowSpontaneous = 3;

    // WGPUWaitStatus
    public const uint WaitStatusSuccess = 1;
    public const uint WaitStatusTimedOut = 2;

    // WGPUStatus and request statuses: Success = 1 for all of them.
    public const uint StatusSuccess = 1;

    // WGPUBufferUsage (u64 flags)
    public const ulong BufferUsageMapRead = 0x1;
    public const ulong BufferUsageCopySrc = 0x4;
    public const ulong BufferUsageCopyDst = 0x8;
    public const ulong BufferUsageUniform = 0x40;
    public const ulong BufferUsageStorage = 0x80;
    public const ulong BufferUsageQueryResolve = 0x200;

    public const ulong MapModeRead = 0x1;
    public const ulong ShaderStageCompute = 0x4;

    // WGPUBufferBindingType
    public const uint BufferBindingUniform = 2;
    public const uint BufferBindingStorage = 3;
    public const uint BufferBindingReadOnlyStorage = 4;

    // WGPUBackendType
    public const uint BackendNull = 1;

    // WGPUFeatureLevel, WGPUPowerPreference
    public const uint FeatureLevelCompatibility = 1;
    public const uint FeatureLevelCore = 2;

    // WGPUFeatureName (Dawn's numbering of June 2025)
    public const uint FeatureTimestampQuery = 0x3;
    public const uint FeatureShaderF16 = 0xA;
    public const uint FeatureSubgroups = 0x11;
    public const uint FeatureImplicitDeviceSynchronization = 0x50004;

    // WGPUErrorFilter, WGPUErrorType
    public const uint ErrorFilterValidation = 1;
    public const uint ErrorFilterOutOfMemory = 2;
    public const uint ErrorFilterInternal = 3;
    public const uint ErrorTypeNoError = 1;

    public const uint DeviceLostReasonDestroyed = 2;
    public const uint DeviceLostReasonCallbackCancelled = 3;

    public const uint STypeShaderSourceWGSL = 2;
    public const uint STypeDawnTogglesDescriptor = 0x0005000A;
    public const uint QueryTypeTimestamp = 2;
    public const uint CompilationMessageError = 1;

    // Instance
    [LibraryImport(Library, EntryPoint = "wgpuCreateInstance")]
    public static partial nint CreateInstance(WGPUInstanceDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceRequestAdapter")]
    public static partial WGPUFuture InstanceRequestAdapter(nint instance, WGPURequestAdapterOptions* options, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceWaitAny")]
    public static partial uint InstanceWaitAny(nint instance, nuint futureCount, WGPUFutureWaitInfo* futures, ulong timeoutNS);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceProcessEvents")]
    public static partial void InstanceProcessEvents(nint instance);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceRelease")]
    public static partial void InstanceRelease(nint instance);

    // Adapter
    [LibraryImport(Library, EntryPoint = "wgpuAdapterGetInfo")]
    public static partial uint AdapterGetInfo(nint adapter, WGPUAdapterInfo* info);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterInfoFreeMembers")]
    public static partial void AdapterInfoFreeMembers(WGPUAdapterInfo info);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterGetLimits")]
    public static partial uint AdapterGetLimits(nint adapter, WGPULimits* limits);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterGetFeatures")]
    public static partial void AdapterGetFeatures(nint adapter, WGPUSupportedFeatures* features);

    [LibraryImport(Library, EntryPoint = "wgpuSupportedFeaturesFreeMembers")]
    public static partial void SupportedFeaturesFreeMembers(WGPUSupportedFeatures features);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterRequestDevice")]
    public static partial WGPUFuture AdapterRequestDevice(nint adapter, WGPUDeviceDescriptor* descriptor, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterRelease")]
    public static partial void AdapterRelease(nint adapter);

    // Device
    [LibraryImport(Library, EntryPoint = "wgpuDeviceGetQueue")]
    public static partial nint DeviceGetQueue(nint device);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceGetLimits")]
    public static partial uint DeviceGetLimits(nint device, WGPULimits* limits);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateBuffer")]
    public static partial nint DeviceCreateBuffer(nint device, WGPUBufferDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateShaderModule")]
    public static partial nint DeviceCreateShaderModule(nint device, WGPUShaderModuleDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateBindGroupLayout")]
    public static partial nint DeviceCreateBindGroupLayout(nint device, WGPUBindGroupLayoutDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreatePipelineLayout")]
    public static partial nint DeviceCreatePipelineLayout(nint device, WGPUPipelineLayoutDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateComputePipeline")]
    public static partial nint DeviceCreateComputePipeline(nint device, WGPUComputePipelineDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateBindGroup")]
    public static partial nint DeviceCreateBindGroup(nint device, WGPUBindGroupDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateCommandEncoder")]
    public static partial nint DeviceCreateCommandEncoder(nint device, WGPULabelDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateQuerySet")]
    public static partial nint DeviceCreateQuerySet(nint device, WGPUQuerySetDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDevicePushErrorScope")]
    public static partial void DevicePushErrorScope(nint device, uint filter);

    [LibraryImport(Library, EntryPoint = "wgpuDevicePopErrorScope")]
    public static partial WGPUFuture DevicePopErrorScope(nint device, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceDestroy")]
    public static partial void DeviceDestroy(nint device);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceRelease")]
    public static partial void DeviceRelease(nint device);

    // Queue
    [LibraryImport(Library, EntryPoint = "wgpuQueueWriteBuffer")]
    public static partial void QueueWriteBuffer(nint queue, nint buffer, ulong bufferOffset, void* data, nuint size);

    [LibraryImport(Library, EntryPoint = "wgpuQueueSubmit")]
    public static partial void QueueSubmit(nint queue, nuint commandCount, nint* commands);

    [LibraryImport(Library, EntryPoint = "wgpuQueueOnSubmittedWorkDone")]
    public static partial WGPUFuture QueueOnSubmittedWorkDone(nint queue, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuQueueRelease")]
    public static partial void QueueRelease(nint queue);

    // Buffer
    [LibraryImport(Library, EntryPoint = "wgpuBufferMapAsync")]
    public static partial WGPUFuture BufferMapAsync(nint buffer, ulong mode, nuint offset, nuint size, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuBufferGetConstMappedRange")]
    public static partial void* BufferGetConstMappedRange(nint buffer, nuint offset, nuint size);

    [LibraryImport(Library, EntryPoint = "wgpuBufferUnmap")]
    public static partial void BufferUnmap(nint buffer);

    [LibraryImport(Library, EntryPoint = "wgpuBufferDestroy")]
    public static partial void BufferDestroy(nint buffer);

    [LibraryImport(Library, EntryPoint = "wgpuBufferRelease")]
    public static partial void BufferRelease(nint buffer);

    // Shader module, layouts, pipelines, bind groups, query sets
    [LibraryImport(Library, EntryPoint = "wgpuShaderModuleGetCompilationInfo")]
    public static partial WGPUFuture ShaderModuleGetCompilationInfo(nint shaderModule, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuShaderModuleRelease")]
    public static partial void ShaderModuleRelease(nint shaderModule);

    [LibraryImport(Library, EntryPoint = "wgpuBindGroupLayoutRelease")]
    public static partial void BindGroupLayoutRelease(nint layout);

    [LibraryImport(Library, EntryPoint = "wgpuPipelineLayoutRelease")]
    public static partial void PipelineLayoutRelease(nint layout);

    [LibraryImport(Library, EntryPoint = "wgpuComputePipelineRelease")]
    public static partial void ComputePipelineRelease(nint pipeline);

    [LibraryImport(Library, EntryPoint = "wgpuBindGroupRelease")]
    public static partial void BindGroupRelease(nint bindGroup);

    [LibraryImport(Library, EntryPoint = "wgpuQuerySetDestroy")]
    public static partial void QuerySetDestroy(nint querySet);

    [LibraryImport(Library, EntryPoint = "wgpuQuerySetRelease")]
    public static partial void QuerySetRelease(nint querySet);

    // Command encoding
    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderBeginComputePass")]
    public static partial nint CommandEncoderBeginComputePass(nint encoder, WGPUComputePassDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderCopyBufferToBuffer")]
    public static partial void CommandEncoderCopyBufferToBuffer(nint encoder, nint source, ulong sourceOffset, nint destination, ulong destinationOffset, ulong size);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderResolveQuerySet")]
    public static partial void CommandEncoderResolveQuerySet(nint encoder, nint querySet, uint firstQuery, uint queryCount, nint destination, ulong destinationOffset);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderFinish")]
    public static partial nint CommandEncoderFinish(nint encoder, WGPULabelDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderRelease")]
    public static partial void CommandEncoderRelease(nint encoder);

    [LibraryImport(Library, EntryPoint = "wgpuCommandBufferRelease")]
    public static partial void CommandBufferRelease(nint commandBuffer);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderSetPipeline")]
    public static partial void ComputePassEncoderSetPipeline(nint pass, nint pipeline);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderSetBindGroup")]
    public static partial void ComputePassEncoderSetBindGroup(nint pass, uint groupIndex, nint group, nuint dynamicOffsetCount, uint* dynamicOffsets);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderDispatchWorkgroups")]
    public static partial void ComputePassEncoderDispatchWorkgroups(nint pass, uint x, uint y, uint z);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderEnd")]
    public static partial void ComputePassEncoderEnd(nint pass);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderRelease")]
    public static partial void ComputePassEncoderRelease(nint pass);
}
