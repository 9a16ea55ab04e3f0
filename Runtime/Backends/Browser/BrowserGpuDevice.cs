using System.Runtime.Versioning;
using System.Text.Json;

namespace KernelGen.Backends.Browser;

/// <summary>
/// WebGPU in the browser (<c>navigator.gpu</c>) from .NET WebAssembly. Creation, waits and reads are
/// asynchronous (the interpreter cannot block the page's only thread); recording and uploads are not.
/// One device per page.
/// </summary>
[SupportedOSPlatform("browser")]
internal sealed class BrowserGpuDevice : GpuDevice
{
    private static BrowserGpuDevice? current;
    private readonly PipelineCache<BrowserPipeline> pipelines;
    private readonly BindGroupCache<int> bindGroups;
    private int nextId;
    private string? lostMessage;

    private BrowserGpuDevice(GpuDeviceOptions options, GpuAdapterInfo info, GpuLimits limits, GpuFeatures features) : base(options)
    {
        Info = info;
        Limits = limits;
        Features = features;
        UniformAlignment = (int)Math.Max(16, limits.MinUniformBufferOffsetAlignment);
        pipelines = new(CreatePipeline);
        bindGroups = new(CreateBindGroup, BrowserWebGpu.DestroyBindGroup);
    }

    public override GpuBackend Backend => GpuBackend.Browser;

    public override GpuAdapterInfo Info { get; }

    public override GpuLimits Limits { get; }

    public override GpuFeatures Features { get; }

    public override bool IsLost => lostMessage != null;

    internal override int UniformAlignment { get; }

    /// <summary>Requests an adapter and a device from <c>navigator.gpu</c>.</summary>
    /// <exception cref="GpuAdapterUnavailableException">WebGPU is missing or refused; the message says why.</exception>
    public static async Task<BrowserGpuDevice> CreateBrowserAsync(GpuDeviceOptions options)
    {
        if (current is { IsDisposed: false })
            throw new InvalidOperationException("A browser WebGPU device already exists on this page; dispose it before creating another.");
        await BrowserWebGpu.EnsureLoadedAsync().ConfigureAwait(true);
        var power = options.PowerPreference switch
        {
            GpuPowerPreference.HighPerformance => "high-performance",
            GpuPowerPreference.LowPower => "low-power",
            _ => "",
        };
        var json = await BrowserWebGpu.RequestDevice(power).ConfigureAwait(true);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.GetProperty("ok").GetBoolean())
            throw new GpuAdapterUnavailableException(root.GetProperty("reason").GetString() ?? "WebGPU is unavailable.");

        var i = root.GetProperty("info");
        var fallback = i.GetProperty("isFallbackAdapter").GetBoolean();
        var architecture = i.GetProperty("architecture").GetString() ?? "";
        var deviceName = i.GetProperty("device").GetString() ?? "";
        var vendor = i.GetProperty("vendor").GetString() ?? "";
        var info = new GpuAdapterInfo(vendor, architecture,
            deviceName.Length > 0 ? deviceName : string.Join(' ', new[] { vendor, architecture }.Where(s => s.Length > 0)),
            i.GetProperty("description").GetString() ?? "", "WebGPU (browser)",
            fallback ? GpuAdapterType.Cpu : GpuAdapterType.Unknown, 0, 0);

        var l = root.GetProperty("limits");
        uint U(string name) => (uint)l.GetProperty(name).GetDouble();
        ulong UL(string name) => (ulong)l.GetProperty(name).GetDouble();
        var limits = new GpuLimits
        {
            MaxComputeWorkgroupsPerDimension = U("maxComputeWorkgroupsPerDimension"),
            MaxComputeInvocationsPerWorkgroup = U("maxComputeInvocationsPerWorkgroup"),
            MaxComputeWorkgroupSizeX = U("maxComputeWorkgroupSizeX"),
            MaxComputeWorkgroupSizeY = U("maxComputeWorkgroupSizeY"),
            MaxComputeWorkgroupSizeZ = U("maxComputeWorkgroupSizeZ"),
            MaxComputeWorkgroupStorageSize = U("maxComputeWorkgroupStorageSize"),
            MaxStorageBufferBindingSize = UL("maxStorageBufferBindingSize"),
            MaxBufferSize = UL("maxBufferSize"),
            MaxStorageBuffersPerShaderStage = U("maxStorageBuffersPerShaderStage"),
            MaxUniformBufferBindingSize = UL("maxUniformBufferBindingSize"),
            MinUniformBufferOffsetAlignment = U("minUniformBufferOffsetAlignment"),
        };
        var names = root.GetProperty("features").EnumerateArray().Select(f => f.GetString() ?? "").Order(StringComparer.Ordinal).ToArray();
        // Per-kernel timestamps are not implemented by this backend, so timestamp-query is not offered as usable.
        var features = new GpuFeatures(names.Contains("shader-f16"), TimestampQuery: false, names.Contains("subgroups")) { AdapterFeatures = names };
        current = new BrowserGpuDevice(options, info, limits, features);
        return current;
    }

    internal int NextId() => ++nextId;

    internal override BufferStorage CreateStorage(long bytes, string label)
    {
        if ((ulong)bytes > Limits.MaxBufferSize)
            throw new ArgumentOutOfRangeException(nameof(bytes), $"A {bytes}-byte buffer exceeds the device's maxBufferSize ({Limits.MaxBufferSize}).");
        return CreateBuffer(bytes, $"GpuBuffer<{label}>", uniform: false);
    }

    /// <summary>A buffer in JavaScript: storage (a GpuBuffer's) or uniform (a stream's or graph's arena).</summary>
    internal BrowserBufferStorage CreateBuffer(long bytes, string label, bool uniform)
    {
        var id = NextId();
        BrowserWebGpu.CreateBuffer(id, bytes, label, uniform);
        return new BrowserBufferStorage(this, bytes, id);
    }

    internal override GpuStream CreateStreamCore() => new BrowserGpuStream(this);

    /// <summary>The pipeline of a kernel with these override constants (created once per set; it compiles asynchronously and errors surface at the next wait).</summary>
    internal override CompiledPipeline GetPipeline(KernelInfo kernel, PipelineConstants constants) => pipelines.Get(kernel, constants);

    /// <summary>The cached bind group (its id in JavaScript) of these buffers for a pipeline.</summary>
    internal int GetBindGroup(BrowserPipeline pipeline, ReadOnlySpan<GpuBuffer> buffers, BrowserBufferStorage? uniforms) => bindGroups.Get(pipeline, buffers, uniforms);

    private int CreateBindGroup(CompiledPipeline pipeline, BufferStorage[] storages)
    {
        var id = NextId();
        Span<int> ids = stackalloc int[storages.Length];
        for (var i = 0; i < storages.Length; i++) ids[i] = ((BrowserBufferStorage)storages[i]).JsId;
        BrowserWebGpu.CreateBindGroup(id, ((BrowserPipeline)pipeline).JsId, ids, pipeline.Kernel.UniformSize > 0 ? (pipeline.Kernel.UniformSize + 15) & ~15 : 0);
        return id;
    }

    private BrowserPipeline CreatePipeline(KernelInfo kernel, PipelineConstants constants)
    {
        DispatchValidation.RequireFeatures(this, kernel);
        if (kernel.UsesSubgroups && !Features.Subgroups)
            throw new GpuCompilationException(Native.NativeGpuDevice.SubgroupsMissing(kernel, Info.Device)) { KernelName = kernel.Name };
        var kinds = string.Concat(kernel.Bindings.Select(b => b.Kind switch
        {
            BindingKind.Storage => 's',
            BindingKind.ReadOnlyStorage => 'r',
            _ => 'u',
        }));
        var id = NextId();
        var constantsJson = "{" + string.Join(",", constants.Select(c =>
            $"\"{System.Text.Json.JsonEncodedText.Encode(c.Key)}\":{c.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}")) + "}";
        BrowserWebGpu.CreatePipeline(id, kernel.Name, kernel.SourceLocation, kernel.Wgsl, kernel.EntryPoint, kinds, constantsJson);
        return new BrowserPipeline(kernel, constants, id);
    }

    internal override async Task CheckErrorsAsync()
    {
        ThrowIfUnusable();
        ThrowFor(await BrowserWebGpu.CheckErrors().ConfigureAwait(true));
    }

    /// <summary>Turns the module's error report (JSON <c>{ status, message }</c>, "" for none) into the exception the native backend raises for it.</summary>
    internal void ThrowFor(string error)
    {
        if (string.IsNullOrEmpty(error)) return;
        var (status, message) = BrowserError.Parse(error);
        switch (status)
        {
            case BrowserErrorStatus.DeviceLost:
                lostMessage = message;
                throw new GpuDeviceLostException($"The WebGPU device on '{Info.Device}' was lost: {lostMessage}");
            case BrowserErrorStatus.Compilation:
                throw new GpuCompilationException(message) { CompilerMessages = [message] };
            case BrowserErrorStatus.OutOfMemory:
                throw new GpuValidationException($"out-of-memory error: {message}");
            case BrowserErrorStatus.Internal:
                throw new GpuValidationException($"internal error: {message}");
            default:
                throw new GpuValidationException(message);
        }
    }

    internal override void ThrowIfUnusable()
    {
        base.ThrowIfUnusable();
        if (lostMessage != null) throw new GpuDeviceLostException($"The WebGPU device on '{Info.Device}' was lost: {lostMessage}");
    }

    internal override void DisposeCore()
    {
        Releases.Clear();
        BrowserWebGpu.DestroyDevice();
        if (ReferenceEquals(current, this)) current = null;
    }
}

/// <summary>A pipeline of the browser backend: its id in kernelgen-webgpu.js.</summary>
[SupportedOSPlatform("browser")]
internal sealed class BrowserPipeline(KernelInfo kernel, PipelineConstants constants, int jsId) : CompiledPipeline(kernel, constants)
{
    public int JsId { get; } = jsId;
}
