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

/// <summary>How <see cref="GpuDevice.Create"/> picks a backend and an adapter.</summary>
public sealed record GpuDeviceOptions
{
    /// <summary>The environment variable read when <see cref="AdapterName"/> is null: an adapter index or a name substring.</summary>
    public const string AdapterEnvironmentVariable = "KERNELGEN_ADAPTER";

    /// <summary>The backend. Defaults to <see cref="GpuBackend.Auto"/>.</summary>
    public GpuBackend Backend { get; init; } = GpuBackend.Auto;

    /// <summary>With <see cref="GpuBackend.Auto"/>: fall back to the CPU when no native adapter is usable. Off by default.</summary>
    public bool AllowCpuFallback { get; init; }

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
}
