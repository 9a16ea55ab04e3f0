namespace KernelGen.Backends.Cpu;

/// <summary>The CPU backend: buffers are managed byte arrays and kernels run as C# (<see cref="KernelInfo.Cpu"/>).</summary>
internal sealed class CpuGpuDevice : GpuDevice
{
    public CpuGpuDevice(GpuDeviceOptions options) : base(options)
    {
        Threads = Math.Max(1, options.CpuThreads ?? Environment.ProcessorCount);
        SubgroupSize = CpuSubgroups.SizeFrom(options);
        Features = new(ShaderF16: true, TimestampQuery: true, Subgroups: true)
        {
            SubgroupMinSize = SubgroupSize,
            SubgroupMaxSize = SubgroupSize,
            AdapterFeatures = ["shader-f16", "subgroups", "timestamp-query"],
        };
        Info = new GpuAdapterInfo("KernelGen", "cpu", $"CPU backend ({Threads} threads)", "C# kernel bodies run in parallel",
            "Cpu", GpuAdapterType.Cpu, 0, 0);
    }

    /// <summary>The emulated subgroup size (<see cref="GpuDeviceOptions.CpuSubgroupSize"/>).</summary>
    public int SubgroupSize { get; }

    /// <summary>Worker threads for a dispatch.</summary>
    public int Threads { get; }

    /// <summary>The threads that run kernels with barriers (created on first use).</summary>
    public CpuBarrierWorkers BarrierWorkers => LazyInitializer.EnsureInitialized(ref barrierWorkers, () => new CpuBarrierWorkers(Threads));

    private CpuBarrierWorkers? barrierWorkers;

    public override GpuBackend Backend => GpuBackend.Cpu;

    public override GpuAdapterInfo Info { get; }

    // WebGPU's own limits where they matter for portability (a dispatch the CPU accepts should run natively too),
    // larger where a managed array allows it.
    public override GpuLimits Limits { get; } = new()
    {
        MaxComputeWorkgroupsPerDimension = 65535,
        MaxComputeInvocationsPerWorkgroup = 1024,
        MaxComputeWorkgroupSizeX = 1024,
        MaxComputeWorkgroupSizeY = 1024,
        MaxComputeWorkgroupSizeZ = 64,
        MaxComputeWorkgroupStorageSize = 65536,
        MaxStorageBufferBindingSize = int.MaxValue,
        MaxBufferSize = int.MaxValue,
        MaxStorageBuffersPerShaderStage = 64,
        MaxUniformBufferBindingSize = 65536,
        MinUniformBufferOffsetAlignment = 16,
    };

    public override GpuFeatures Features { get; }

    public override bool IsLost => lostMessage is not null;

    private volatile string? lostMessage;

    /// <summary>Marks the device lost after a dispatch outlived <see cref="GpuDevice.WaitTimeout"/> (its threads may still be busy).</summary>
    internal void MarkTimedOut(string message) => lostMessage = $"a dispatch timed out: {message}";

    private protected override bool DisposeMayBlock => IsLost;

    internal override void ThrowIfUnusable()
    {
        base.ThrowIfUnusable();
        if (lostMessage is { } m) throw new GpuDeviceLostException($"The CPU device was lost ({m}). Create a new GpuDevice.");
    }

    internal override BufferStorage CreateStorage(long bytes, string label)
    {
        if (bytes > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(bytes), $"The CPU backend holds buffers in managed arrays; {bytes} bytes is more than {Array.MaxLength}.");
        return new CpuBufferStorage(this, bytes);
    }

    internal override GpuStream CreateStreamCore() => new CpuGpuStream(this);

    internal override void DisposeCore() => barrierWorkers?.Dispose();

    private readonly PipelineCache<CpuPipeline> pipelines = new((kernel, constants) => new CpuPipeline(kernel, constants));

    /// <summary>The CPU has nothing to compile: a pipeline is the kernel's C# body and the constants it reads.</summary>
    internal override CompiledPipeline GetPipeline(KernelInfo kernel, PipelineConstants constants) => pipelines.Get(kernel, constants);
}

/// <summary>A CPU "pipeline": the kernel's body (<see cref="KernelInfo.Cpu"/>) with its override constants.</summary>
internal sealed class CpuPipeline(KernelInfo kernel, PipelineConstants constants) : CompiledPipeline(kernel, constants);

/// <summary>A buffer of the CPU backend: a managed byte array.</summary>
internal sealed class CpuBufferStorage(GpuDevice device, long bytes) : BufferStorage(device, bytes)
{
    public byte[] Data { get; private set; } = new byte[bytes];

    public override void Write(long offset, ReadOnlySpan<byte> data) => data.CopyTo(Data.AsSpan(checked((int)offset)));

    public override void Read(long offset, Span<byte> destination) => Data.AsSpan(checked((int)offset), destination.Length).CopyTo(destination);

    protected override void ReleaseCore(bool fromFinalizer) => Data = [];
}
