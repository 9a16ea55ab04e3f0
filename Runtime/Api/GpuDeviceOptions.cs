namespace KernelGen;

/// <summary>Which backend runs the kernels.</summary>
public enum GpuBackend
{
    /// <summary>
    /// In the browser, <see cref="Browser"/>; elsewhere native WebGPU when an adapter exists; the CPU only if
    /// <see cref="GpuDeviceOptions.AllowCpuFallback"/>.
    /// </summary>
    Auto,

    /// <summary>Native WebGPU through Dawn; fails loudly without a real adapter.</summary>
    Native,

    /// <summary>The C# kernel bodies, run in parallel on the CPU.</summary>
    Cpu,

    /// <summary>
    /// WebGPU of the browser (<c>navigator.gpu</c>) from .NET WebAssembly; created with <see cref="GpuDevice.CreateAsync"/>,
    /// waited on with <see cref="GpuStream.SynchronizeAsync"/>, read with <see cref="GpuBuffer{T}.DownloadAsync"/>.
    /// </summary>
    Browser,
}

/// <summary>Which adapter to prefer when several exist.</summary>
public enum GpuPowerPreference
{
    /// <summary>Dawn's default choice.</summary>
    Default,

    /// <summary>A discrete GPU when there is one.</summary>
    HighPerformance,

    /// <summary>An integrated GPU when there is one.</summary>
    LowPower,
}

/// <summary>
/// Which of Dawn's graphics APIs the native backend runs on. By default Dawn picks per OS: D3D12 on Windows
/// (then D3D11 and Vulkan), Metal on macOS, Vulkan on Linux.
/// </summary>
public enum GpuNativeBackend
{
    /// <summary>Dawn's choice for the OS (and KernelGen's wider search when that offers only the Null adapter).</summary>
    Default,

    /// <summary>Vulkan: Linux, Windows (a GPU driver's vulkan-1.dll), macOS only through a Vulkan-on-Metal layer.</summary>
    Vulkan,

    /// <summary>Direct3D 12: Windows. Dawn compiles shaders with FXC (d3dcompiler_47.dll); DXC is not shipped.</summary>
    D3D12,

    /// <summary>Direct3D 11: Windows.</summary>
    D3D11,

    /// <summary>Metal: macOS 13 or later.</summary>
    Metal,

    /// <summary>OpenGL ES through EGL (compatibility feature level): Linux, as a last resort.</summary>
    OpenGLES,
}

/// <summary>How <see cref="GpuDevice.Create"/> picks a backend and an adapter.</summary>
public sealed record GpuDeviceOptions
{
    /// <summary>The environment variable read when <see cref="AdapterName"/> is null: an adapter index or a name substring.</summary>
    public const string AdapterEnvironmentVariable = "KERNELGEN_ADAPTER";

    /// <summary>
    /// The environment variable read when <see cref="NativeBackend"/> is <see cref="GpuNativeBackend.Default"/>:
    /// <c>vulkan</c>, <c>d3d12</c>, <c>d3d11</c>, <c>metal</c> or <c>opengles</c> (case-insensitive).
    /// </summary>
    public const string NativeBackendEnvironmentVariable = "KERNELGEN_NATIVE_BACKEND";

    /// <summary>The backend. Defaults to <see cref="GpuBackend.Auto"/>.</summary>
    public GpuBackend Backend { get; init; } = GpuBackend.Auto;

    /// <summary>With <see cref="GpuBackend.Auto"/>: fall back to the CPU when no native adapter is usable. Off by default.</summary>
    public bool AllowCpuFallback { get; init; }

    /// <summary>
    /// Forces Dawn's graphics API for the native backend (else <c>KERNELGEN_NATIVE_BACKEND</c>, else Dawn's choice for the OS).
    /// Only adapters of that API are offered; none found is an error naming it.
    /// </summary>
    public GpuNativeBackend NativeBackend { get; init; } = GpuNativeBackend.Default;

    /// <summary>Power preference used when no adapter is named.</summary>
    public GpuPowerPreference PowerPreference { get; init; } = GpuPowerPreference.HighPerformance;

    /// <summary>Picks the adapter at this index of <see cref="GpuDevice.ListAdapters"/>.</summary>
    public int? AdapterIndex { get; init; }

    /// <summary>Picks the first adapter whose device name, description or vendor contains this (case-insensitive).</summary>
    public string? AdapterName { get; init; }

    /// <summary>The longest any wait for the device may take before <see cref="GpuTimeoutException"/>. Defaults to 30 s.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Worker threads of the CPU backend (default: <see cref="Environment.ProcessorCount"/>).</summary>
    public int? CpuThreads { get; init; }

    /// <summary>
    /// The subgroup size the CPU backend emulates for <see cref="Subgroup"/> operations: a power of two from 4 to 128
    /// (default 32). Set it to a GPU's <see cref="GpuFeatures.SubgroupMinSize"/> to reproduce that GPU's grouping.
    /// </summary>
    public int? CpuSubgroupSize { get; init; }

    /// <summary>
    /// Native backend: uploads (<see cref="GpuBuffer{T}.Upload"/>, <see cref="GpuDevice.Upload{T}(ReadOnlySpan{T})"/>) of at
    /// least this many bytes are copied straight into the device's mapped staging buffers, which are reused across
    /// calls, instead of going through <c>wgpuQueueWriteBuffer</c> (which stages a large write in a buffer allocated
    /// for that call). Default 4 MiB: on the H200 a queue write of 1 MB costs as much as the staged one (Dawn sub-allocates
    /// writes up to 4 MiB from its own ring), of 16.8 MB 5.9 ms against 0.72. <see cref="int.MaxValue"/> sends every
    /// upload through the queue. Downloads always use the mapped staging buffers.
    /// </summary>
    public int StagedUploadBytes
    {
        get => stagedUploadBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            stagedUploadBytes = value;
        }
    }

    private readonly int stagedUploadBytes = 4 << 20;

    /// <summary>Tests: the native device does not request the <c>subgroups</c> feature (as on an adapter without it).</summary>
    internal bool WithoutSubgroups { get; init; }
}
