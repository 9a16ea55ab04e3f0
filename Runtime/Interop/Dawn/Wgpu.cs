using System.Runtime.InteropServices;

namespace KernelGen.Interop.Dawn;

/// <summary>
/// The entry points of Dawn's C API (<c>webgpu.h</c>, June 2025) that the runtime uses, one to one.
/// Handles are the typed structs of <c>WgpuHandles.cs</c> and enums those of <c>WgpuEnums.cs</c>; ownership lives in the safe layer. Callback-info structs
/// are passed by value, as the header declares.
/// </summary>
internal static unsafe partial class Wgpu
{
    /// <summary>The library name the resolver (<see cref="WebGpuLibrary"/>) maps to a file.</summary>
    public const string Library = "webgpu_wrapper";

    public static readonly nuint StrLen = nuint.MaxValue;
    public const ulong WholeSize = ulong.MaxValue;
    public const uint QuerySetIndexUndefined = uint.MaxValue;

    // Instance
    [LibraryImport(Library, EntryPoint = "wgpuCreateInstance")]
    public static partial WGPUInstance CreateInstance(WGPUInstanceDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceRequestAdapter")]
    public static partial WGPUFuture InstanceRequestAdapter(WGPUInstance instance, WGPURequestAdapterOptions* options, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceWaitAny")]
    public static partial WGPUWaitStatus InstanceWaitAny(WGPUInstance instance, nuint futureCount, WGPUFutureWaitInfo* futures, ulong timeoutNS);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceProcessEvents")]
    public static partial void InstanceProcessEvents(WGPUInstance instance);

    [LibraryImport(Library, EntryPoint = "wgpuInstanceRelease")]
    public static partial void InstanceRelease(WGPUInstance instance);

    // Adapter
    [LibraryImport(Library, EntryPoint = "wgpuAdapterGetInfo")]
    public static partial WGPUStatus AdapterGetInfo(WGPUAdapter adapter, WGPUAdapterInfo* info);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterInfoFreeMembers")]
    public static partial void AdapterInfoFreeMembers(WGPUAdapterInfo info);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterGetLimits")]
    public static partial WGPUStatus AdapterGetLimits(WGPUAdapter adapter, WGPULimits* limits);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterGetFeatures")]
    public static partial void AdapterGetFeatures(WGPUAdapter adapter, WGPUSupportedFeatures* features);

    [LibraryImport(Library, EntryPoint = "wgpuSupportedFeaturesFreeMembers")]
    public static partial void SupportedFeaturesFreeMembers(WGPUSupportedFeatures features);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterRequestDevice")]
    public static partial WGPUFuture AdapterRequestDevice(WGPUAdapter adapter, WGPUDeviceDescriptor* descriptor, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuAdapterRelease")]
    public static partial void AdapterRelease(WGPUAdapter adapter);

    // Device
    [LibraryImport(Library, EntryPoint = "wgpuDeviceGetQueue")]
    public static partial WGPUQueue DeviceGetQueue(WGPUDevice device);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceGetLimits")]
    public static partial WGPUStatus DeviceGetLimits(WGPUDevice device, WGPULimits* limits);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateBuffer")]
    public static partial WGPUBuffer DeviceCreateBuffer(WGPUDevice device, WGPUBufferDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateShaderModule")]
    public static partial WGPUShaderModule DeviceCreateShaderModule(WGPUDevice device, WGPUShaderModuleDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateBindGroupLayout")]
    public static partial WGPUBindGroupLayout DeviceCreateBindGroupLayout(WGPUDevice device, WGPUBindGroupLayoutDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreatePipelineLayout")]
    public static partial WGPUPipelineLayout DeviceCreatePipelineLayout(WGPUDevice device, WGPUPipelineLayoutDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateComputePipeline")]
    public static partial WGPUComputePipeline DeviceCreateComputePipeline(WGPUDevice device, WGPUComputePipelineDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateBindGroup")]
    public static partial WGPUBindGroup DeviceCreateBindGroup(WGPUDevice device, WGPUBindGroupDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateCommandEncoder")]
    public static partial WGPUCommandEncoder DeviceCreateCommandEncoder(WGPUDevice device, WGPULabelDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceCreateQuerySet")]
    public static partial WGPUQuerySet DeviceCreateQuerySet(WGPUDevice device, WGPUQuerySetDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuDevicePushErrorScope")]
    public static partial void DevicePushErrorScope(WGPUDevice device, WGPUErrorFilter filter);

    [LibraryImport(Library, EntryPoint = "wgpuDevicePopErrorScope")]
    public static partial WGPUFuture DevicePopErrorScope(WGPUDevice device, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceDestroy")]
    public static partial void DeviceDestroy(WGPUDevice device);

    [LibraryImport(Library, EntryPoint = "wgpuDeviceRelease")]
    public static partial void DeviceRelease(WGPUDevice device);

    // Queue
    [LibraryImport(Library, EntryPoint = "wgpuQueueWriteBuffer")]
    public static partial void QueueWriteBuffer(WGPUQueue queue, WGPUBuffer buffer, ulong bufferOffset, void* data, nuint size);

    [LibraryImport(Library, EntryPoint = "wgpuQueueSubmit")]
    public static partial void QueueSubmit(WGPUQueue queue, nuint commandCount, WGPUCommandBuffer* commands);

    [LibraryImport(Library, EntryPoint = "wgpuQueueOnSubmittedWorkDone")]
    public static partial WGPUFuture QueueOnSubmittedWorkDone(WGPUQueue queue, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuQueueRelease")]
    public static partial void QueueRelease(WGPUQueue queue);

    // Buffer
    [LibraryImport(Library, EntryPoint = "wgpuBufferMapAsync")]
    public static partial WGPUFuture BufferMapAsync(WGPUBuffer buffer, WGPUMapMode mode, nuint offset, nuint size, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuBufferGetConstMappedRange")]
    public static partial void* BufferGetConstMappedRange(WGPUBuffer buffer, nuint offset, nuint size);

    [LibraryImport(Library, EntryPoint = "wgpuBufferGetMappedRange")]
    public static partial void* BufferGetMappedRange(WGPUBuffer buffer, nuint offset, nuint size);

    [LibraryImport(Library, EntryPoint = "wgpuBufferUnmap")]
    public static partial void BufferUnmap(WGPUBuffer buffer);

    [LibraryImport(Library, EntryPoint = "wgpuBufferDestroy")]
    public static partial void BufferDestroy(WGPUBuffer buffer);

    [LibraryImport(Library, EntryPoint = "wgpuBufferRelease")]
    public static partial void BufferRelease(WGPUBuffer buffer);

    // Shader module, layouts, pipelines, bind groups, query sets
    [LibraryImport(Library, EntryPoint = "wgpuShaderModuleGetCompilationInfo")]
    public static partial WGPUFuture ShaderModuleGetCompilationInfo(WGPUShaderModule shaderModule, WGPUCallbackInfo callbackInfo);

    [LibraryImport(Library, EntryPoint = "wgpuShaderModuleRelease")]
    public static partial void ShaderModuleRelease(WGPUShaderModule shaderModule);

    [LibraryImport(Library, EntryPoint = "wgpuBindGroupLayoutRelease")]
    public static partial void BindGroupLayoutRelease(WGPUBindGroupLayout layout);

    [LibraryImport(Library, EntryPoint = "wgpuPipelineLayoutRelease")]
    public static partial void PipelineLayoutRelease(WGPUPipelineLayout layout);

    [LibraryImport(Library, EntryPoint = "wgpuComputePipelineRelease")]
    public static partial void ComputePipelineRelease(WGPUComputePipeline pipeline);

    [LibraryImport(Library, EntryPoint = "wgpuBindGroupRelease")]
    public static partial void BindGroupRelease(WGPUBindGroup bindGroup);

    [LibraryImport(Library, EntryPoint = "wgpuQuerySetDestroy")]
    public static partial void QuerySetDestroy(WGPUQuerySet querySet);

    [LibraryImport(Library, EntryPoint = "wgpuQuerySetRelease")]
    public static partial void QuerySetRelease(WGPUQuerySet querySet);

    // Command encoding
    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderBeginComputePass")]
    public static partial WGPUComputePassEncoder CommandEncoderBeginComputePass(WGPUCommandEncoder encoder, WGPUComputePassDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderCopyBufferToBuffer")]
    public static partial void CommandEncoderCopyBufferToBuffer(WGPUCommandEncoder encoder, WGPUBuffer source, ulong sourceOffset, WGPUBuffer destination, ulong destinationOffset, ulong size);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderClearBuffer")]
    public static partial void CommandEncoderClearBuffer(WGPUCommandEncoder encoder, WGPUBuffer buffer, ulong offset, ulong size);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderResolveQuerySet")]
    public static partial void CommandEncoderResolveQuerySet(WGPUCommandEncoder encoder, WGPUQuerySet querySet, uint firstQuery, uint queryCount, WGPUBuffer destination, ulong destinationOffset);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderFinish")]
    public static partial WGPUCommandBuffer CommandEncoderFinish(WGPUCommandEncoder encoder, WGPULabelDescriptor* descriptor);

    [LibraryImport(Library, EntryPoint = "wgpuCommandEncoderRelease")]
    public static partial void CommandEncoderRelease(WGPUCommandEncoder encoder);

    [LibraryImport(Library, EntryPoint = "wgpuCommandBufferRelease")]
    public static partial void CommandBufferRelease(WGPUCommandBuffer commandBuffer);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderSetPipeline")]
    public static partial void ComputePassEncoderSetPipeline(WGPUComputePassEncoder pass, WGPUComputePipeline pipeline);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderSetBindGroup")]
    public static partial void ComputePassEncoderSetBindGroup(WGPUComputePassEncoder pass, uint groupIndex, WGPUBindGroup group, nuint dynamicOffsetCount, uint* dynamicOffsets);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderDispatchWorkgroups")]
    public static partial void ComputePassEncoderDispatchWorkgroups(WGPUComputePassEncoder pass, uint x, uint y, uint z);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderEnd")]
    public static partial void ComputePassEncoderEnd(WGPUComputePassEncoder pass);

    [LibraryImport(Library, EntryPoint = "wgpuComputePassEncoderRelease")]
    public static partial void ComputePassEncoderRelease(WGPUComputePassEncoder pass);
}
