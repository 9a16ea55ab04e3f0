// The WebGPU enums and flag sets the runtime uses, with Dawn's numbering of June 2025 (webgpu.h of the
// shipped build). Enums are 32-bit and flag sets 64-bit, as in the header, so they sit in the interop
// structs and signatures unchanged.
#pragma warning disable CA1008 // Zero is WGPU_*_Undefined or absent in the header, as Dawn numbers it.
#pragma warning disable CA1028 // The header fixes the underlying types.
#pragma warning disable CA1711 // The header's names (WGPUBufferUsage flags) are kept.
#pragma warning disable CA1720 // The header's names (Null, Storage) are kept.
namespace KernelGen.Interop.Dawn;

internal enum WGPUCallbackMode : uint
{
    WaitAnyOnly = 1,
    AllowProcessEvents = 2,
    AllowSpontaneous = 3,
}

internal enum WGPUWaitStatus : uint
{
    Success = 1,
    TimedOut = 2,
    Error = 3,
}

/// <summary><c>WGPUStatus</c> and the request statuses (adapter, device, map, work done, pop error scope): Success = 1 in all.</summary>
internal enum WGPUStatus : uint
{
    Success = 1,
    Error = 2,
}

[Flags]
internal enum WGPUBufferUsage : ulong
{
    None = 0,
    MapRead = 0x1,
    MapWrite = 0x2,
    CopySrc = 0x4,
    CopyDst = 0x8,
    Index = 0x10,
    Vertex = 0x20,
    Uniform = 0x40,
    Storage = 0x80,
    Indirect = 0x100,
    QueryResolve = 0x200,
}

[Flags]
internal enum WGPUMapMode : ulong
{
    None = 0,
    Read = 0x1,
    Write = 0x2,
}

[Flags]
internal enum WGPUShaderStage : ulong
{
    None = 0,
    Vertex = 0x1,
    Fragment = 0x2,
    Compute = 0x4,
}

internal enum WGPUBufferBindingType : uint
{
    BindingNotUsed = 0,
    Undefined = 1,
    Uniform = 2,
    Storage = 3,
    ReadOnlyStorage = 4,
}

internal enum WGPUBackendType : uint
{
    Undefined = 0,
    Null = 1,
    WebGPU = 2,
    D3D11 = 3,
    D3D12 = 4,
    Metal = 5,
    Vulkan = 6,
    OpenGL = 7,
    OpenGLES = 8,
}

internal enum WGPUAdapterType : uint
{
    DiscreteGPU = 1,
    IntegratedGPU = 2,
    CPU = 3,
    Unknown = 4,
}

internal enum WGPUFeatureLevel : uint
{
    Undefined = 0,
    Compatibility = 1,
    Core = 2,
}

internal enum WGPUPowerPreference : uint
{
    Undefined = 0,
    LowPower = 1,
    HighPerformance = 2,
}

/// <summary><c>WGPUFeatureName</c>: the standard names, then Dawn's (from 0x50000).</summary>
internal enum WGPUFeatureName : uint
{
    DepthClipControl = 0x1,
    Depth32FloatStencil8 = 0x2,
    TimestampQuery = 0x3,
    TextureCompressionBC = 0x4,
    TextureCompressionBCSliced3D = 0x5,
    TextureCompressionETC2 = 0x6,
    TextureCompressionASTC = 0x7,
    TextureCompressionASTCSliced3D = 0x8,
    IndirectFirstInstance = 0x9,
    ShaderF16 = 0xA,
    RG11B10UfloatRenderable = 0xB,
    BGRA8UnormStorage = 0xC,
    Float32Filterable = 0xD,
    Float32Blendable = 0xE,
    ClipDistances = 0xF,
    DualSourceBlending = 0x10,
    Subgroups = 0x11,
    CoreFeaturesAndLimits = 0x12,
    DawnImplicitDeviceSynchronization = 0x50004,
    SubgroupsF16 = 0x50008,
    ChromiumExperimentalSubgroupMatrix = 0x50038,
}

internal enum WGPUErrorFilter : uint
{
    Validation = 1,
    OutOfMemory = 2,
    Internal = 3,
}

internal enum WGPUErrorType : uint
{
    NoError = 1,
    Validation = 2,
    OutOfMemory = 3,
    Internal = 4,
    Unknown = 5,
}

internal enum WGPUDeviceLostReason : uint
{
    Unknown = 1,
    Destroyed = 2,
    CallbackCancelled = 3,
    FailedCreation = 4,
}

internal enum WGPUSType : uint
{
    ShaderSourceSPIRV = 1,
    ShaderSourceWGSL = 2,
    DawnTogglesDescriptor = 0x0005000A,
}

internal enum WGPUQueryType : uint
{
    Occlusion = 1,
    Timestamp = 2,
}

internal enum WGPUCompilationMessageType : uint
{
    Error = 1,
    Warning = 2,
    Info = 3,
}
