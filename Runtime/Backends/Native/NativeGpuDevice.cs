using System.Collections.Concurrent;
using System.Text;
using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>A WebGPU device through Dawn: owns the device, its queue, the pipeline and bind-group caches.</summary>
internal sealed unsafe class NativeGpuDevice : GpuDevice, IDawnDeviceEvents
{
    // Live native objects of all devices; the leak test compares them before and after.
    internal static long LiveBuffers;
    internal static long LiveBindGroups;

    private readonly Lock cacheLock = new();
    private readonly PipelineCache<NativePipeline> pipelines;
    private readonly BindGroupCache<WGPUBindGroup> bindGroups;
    private readonly ConcurrentQueue<string> asyncErrors = new();
    private readonly nint eventsId;
    private WGPUDevice device;
    private WGPUQueue queue;
    private volatile bool lost;
    private volatile bool disposing;
    private string lostMessage = string.Empty;
    private GpuAdapterInfo info = null!;
    private GpuLimits limits = null!;
    private GpuFeatures features = null!;

    private NativeGpuDevice(GpuDeviceOptions options) : base(options)
    {
        eventsId = DawnDeviceEvents.Register(this);
        Staging = new NativeStaging(this);
        pipelines = new((kernel, constants) =>
        {
            DispatchValidation.RequireFeatures(this, kernel);
            if (kernel.UsesSubgroups && !features.Subgroups)
                throw new NotSupportedException(SubgroupsMissing(kernel, info.Device));
            return NativePipeline.Create(this, kernel, constants);
        });
        bindGroups = new((pipeline, storages) => ((NativePipeline)pipeline).CreateBindGroup(storages), group =>
        {
            group.Release();
            Interlocked.Decrement(ref LiveBindGroups);
        });
    }

    public override GpuBackend Backend => GpuBackend.Native;

    public override GpuAdapterInfo Info => info;

    public override GpuLimits Limits => limits;

    public override GpuFeatures Features => features;

    public override bool IsLost => lost;

    /// <summary>True when Dawn serialises calls on the device (streams may then live on different threads).</summary>
    internal bool IsThreadSafe { get; private set; }

    internal WGPUDevice Handle => device;

    internal WGPUQueue Queue => queue;

    internal TimeSpan Timeout => WaitTimeout;

    internal override int UniformAlignment => uniformAlignment;

    private int uniformAlignment = 16;

    public static NativeGpuDevice CreateNative(GpuDeviceOptions options)
    {
        var created = new NativeGpuDevice(options);
        try
        {
            created.Initialize();
            return created;
        }
        catch
        {
            DawnDeviceEvents.Unregister(created.eventsId);
            throw;
        }
    }

    private void Initialize()
    {
        var adapter = NativeAdapters.Select(Options);
        try
        {
            var adapterLimits = new WGPULimits();
            if (Wgpu.AdapterGetLimits(adapter.Handle, &adapterLimits) != WGPUStatus.Success)
                throw new GpuAdapterUnavailableException($"wgpuAdapterGetLimits failed for adapter {adapter.Info}.");
            var supported = new WGPUSupportedFeatures();
            Wgpu.AdapterGetFeatures(adapter.Handle, &supported);
            var available = new HashSet<WGPUFeatureName>();
            for (nuint i = 0; i < supported.FeatureCount; i++) available.Add(supported.Features[i]);
            Wgpu.SupportedFeaturesFreeMembers(supported);

            // Implicit device synchronization makes Dawn lock the device around every call, so streams of one
            // device may record on different threads (the runtime's own caches are locked too).
            var wanted = new[] { WGPUFeatureName.ShaderF16, WGPUFeatureName.TimestampQuery, WGPUFeatureName.Subgroups, WGPUFeatureName.DawnImplicitDeviceSynchronization }
                .Where(available.Contains).Where(f => !(Options.WithoutSubgroups && f == WGPUFeatureName.Subgroups)).ToArray();
            var label = Encoding.UTF8.GetBytes("KernelGen device");
            var call = DawnCall.Start(DawnCallbackKind.RequestDevice);
            WGPUFuture future;
            // Exact timestamps: Dawn rounds them to 65.536 us by default (its timestamp_quantization toggle), which
            // turns short dispatches into 0 or multiples of it in per-kernel profiles.
            byte* quantization = stackalloc byte[] { (byte)'t', (byte)'i', (byte)'m', (byte)'e', (byte)'s', (byte)'t', (byte)'a', (byte)'m', (byte)'p', (byte)'_',
                (byte)'q', (byte)'u', (byte)'a', (byte)'n', (byte)'t', (byte)'i', (byte)'z', (byte)'a', (byte)'t', (byte)'i', (byte)'o', (byte)'n', 0 };
            byte** disabled = stackalloc byte*[1];
            disabled[0] = quantization;
            var toggles = new WGPUDawnTogglesDescriptor
            {
                Chain = new WGPUChainedStruct { SType = WGPUSType.DawnTogglesDescriptor },
                DisabledToggleCount = 1,
                DisabledToggles = disabled,
            };
            fixed (WGPUFeatureName* required = wanted)
            fixed (byte* labelBytes = label)
            {
                var descriptor = new WGPUDeviceDescriptor
                {
                    NextInChain = (nint)(&toggles),
                    Label = new WGPUStringView { Data = labelBytes, Length = (nuint)label.Length },
                    RequiredFeatureCount = (nuint)wanted.Length,
                    RequiredFeatures = required,
                    // The adapter's full limits, so big buffers and workgroups work.
                    RequiredLimits = &adapterLimits,
                    DefaultQueue = new WGPUQueueDescriptor { Label = WGPUStringView.Null },
                    DeviceLostCallbackInfo = DawnDeviceEvents.DeviceLostInfo(eventsId),
                    UncapturedErrorCallbackInfo = DawnDeviceEvents.UncapturedErrorInfo(eventsId),
                };
                future = Wgpu.AdapterRequestDevice(adapter.Handle, &descriptor, call.Info);
            }
            NativeInstance.Wait(call, future, Options.WaitTimeout, $"Dawn to create a device on {adapter.Info}");
            if (call.Status != WGPUStatus.Success || call.Device.IsNull)
                throw new GpuAdapterUnavailableException($"Dawn could not create a device on {adapter.Info}: {call.Message}");
            device = call.Device;
            queue = Wgpu.DeviceGetQueue(device);

            var deviceLimits = new WGPULimits();
            if (Wgpu.DeviceGetLimits(device, &deviceLimits) != WGPUStatus.Success) deviceLimits = adapterLimits;
            info = adapter.Info;
            limits = new GpuLimits
            {
                MaxComputeWorkgroupsPerDimension = deviceLimits.MaxComputeWorkgroupsPerDimension,
                MaxComputeInvocationsPerWorkgroup = deviceLimits.MaxComputeInvocationsPerWorkgroup,
                MaxComputeWorkgroupSizeX = deviceLimits.MaxComputeWorkgroupSizeX,
                MaxComputeWorkgroupSizeY = deviceLimits.MaxComputeWorkgroupSizeY,
                MaxComputeWorkgroupSizeZ = deviceLimits.MaxComputeWorkgroupSizeZ,
                MaxComputeWorkgroupStorageSize = deviceLimits.MaxComputeWorkgroupStorageSize,
                MaxStorageBufferBindingSize = deviceLimits.MaxStorageBufferBindingSize,
                MaxBufferSize = deviceLimits.MaxBufferSize,
                MaxStorageBuffersPerShaderStage = deviceLimits.MaxStorageBuffersPerShaderStage,
                MaxUniformBufferBindingSize = deviceLimits.MaxUniformBufferBindingSize,
                MinUniformBufferOffsetAlignment = deviceLimits.MinUniformBufferOffsetAlignment,
            };
            uniformAlignment = (int)Math.Max(16u, deviceLimits.MinUniformBufferOffsetAlignment);
            IsThreadSafe = wanted.Contains(WGPUFeatureName.DawnImplicitDeviceSynchronization);
            features = new GpuFeatures(
                ShaderF16: wanted.Contains(WGPUFeatureName.ShaderF16),
                TimestampQuery: wanted.Contains(WGPUFeatureName.TimestampQuery),
                Subgroups: wanted.Contains(WGPUFeatureName.Subgroups))
            {
                SubgroupMinSize = wanted.Contains(WGPUFeatureName.Subgroups) ? adapter.SubgroupMinSize : 0,
                SubgroupMaxSize = wanted.Contains(WGPUFeatureName.Subgroups) ? adapter.SubgroupMaxSize : 0,
                AdapterFeatures = available.Order().Select(FeatureName).ToArray(),
            };
        }
        finally
        {
            adapter.Handle.Release();
        }
    }

    /// <summary>webgpu.h's feature names (Dawn's numbering of June 2025); Dawn-specific ones as hex.</summary>
    internal static string FeatureName(WGPUFeatureName feature) => (uint)feature switch
    {
        0x1 => "depth-clip-control",
        0x2 => "depth32float-stencil8",
        0x3 => "timestamp-query",
        0x4 => "texture-compression-bc",
        0x5 => "texture-compression-bc-sliced-3d",
        0x6 => "texture-compression-etc2",
        0x7 => "texture-compression-astc",
        0x8 => "texture-compression-astc-sliced-3d",
        0x9 => "indirect-first-instance",
        0xA => "shader-f16",
        0xB => "rg11b10ufloat-renderable",
        0xC => "bgra8unorm-storage",
        0xD => "float32-filterable",
        0xE => "float32-blendable",
        0xF => "clip-distances",
        0x10 => "dual-source-blending",
        0x11 => "subgroups",
        0x12 => "core-features-and-limits",
        0x50004 => "implicit-device-synchronization",
        0x50008 => "subgroups-f16",
        0x50038 => "chromium-experimental-subgroup-matrix",
        var id => $"dawn-0x{id:x}",
    };

    void IDawnDeviceEvents.OnLost(WGPUDeviceLostReason reason, string message)
    {
        if (disposing) return;
        lostMessage = $"{(reason == WGPUDeviceLostReason.Destroyed ? "destroyed" : $"reason {reason}")}: {message}";
        lost = true;
    }

    void IDawnDeviceEvents.OnUncapturedError(WGPUErrorType type, string message)
    {
        if (disposing || lost) return;
        asyncErrors.Enqueue($"{ErrorTypeName(type)} error: {message}");
    }

    internal static string ErrorTypeName(WGPUErrorType type) => type switch
    {
        WGPUErrorType.Validation => "validation",
        WGPUErrorType.OutOfMemory => "out-of-memory",
        WGPUErrorType.Internal => "internal",
        _ => $"type {(uint)type}",
    };

    /// <summary>
    /// Waits for an asynchronous call on this device, bounded by <see cref="GpuDevice.WaitTimeout"/>. A timeout
    /// marks the device lost: Dawn may never finish that work (an endless kernel), and every later call on the
    /// device, the release of its native objects included, could block behind it.
    /// </summary>
    internal void Wait(DawnCall call, WGPUFuture future, string what)
    {
        try
        {
            NativeInstance.Wait(call, future, Timeout, what);
        }
        catch (GpuTimeoutException e)
        {
            lostMessage = $"a wait timed out: {e.Message}";
            TimedOut = true;
            lost = true;
            throw;
        }
    }

    /// <summary>True after a wait timed out: the device is lost and its native objects are abandoned, never released on a caller's thread.</summary>
    internal bool TimedOut { get; private set; }

    private protected override bool DisposeMayBlock => TimedOut;

    internal override void ThrowIfUnusable()
    {
        base.ThrowIfUnusable();
        if (lost)
            throw new GpuDeviceLostException($"The WebGPU device '{info.Device}' was lost ({lostMessage}). Create a new GpuDevice.");
        if (!asyncErrors.IsEmpty)
        {
            var messages = new List<string>();
            while (asyncErrors.TryDequeue(out var m)) messages.Add(m);
            throw new GpuValidationException($"Dawn reported an error outside any checked call (it concerns earlier work): {string.Join("; ", messages)}");
        }
    }

    /// <summary>Destroys the native device without disposing, as a driver reset would (device-loss tests).</summary>
    internal void DestroyForTesting()
    {
        Wgpu.DeviceDestroy(device); // the device-lost callback is AllowSpontaneous: it has run when this returns
    }

    // Error scopes: every call whose failure must surface at that call is bracketed by these. Dawn keeps one
    // scope stack per device, so a push..pop section holds a (reentrant) lock: threads cannot interleave
    // their scopes and take each other's errors. Nothing between a push and its pop may throw.
    private readonly object scopeGate = new();

    internal void PushErrorScope(WGPUErrorFilter filter = WGPUErrorFilter.Validation)
    {
        Monitor.Enter(scopeGate);
        Wgpu.DevicePushErrorScope(device, filter);
    }

    /// <summary>Pops the scope pushed by <see cref="PushErrorScope"/>; returns Dawn's message when an error was captured.</summary>
    internal string? PopErrorScope(string what)
    {
        try
        {
            var call = DawnCall.Start(DawnCallbackKind.PopErrorScope);
            var future = Wgpu.DevicePopErrorScope(device, call.Info);
            Wait(call, future, $"the error scope of {what}");
            if (lost) throw new GpuDeviceLostException($"The WebGPU device '{info.Device}' was lost ({lostMessage}) during {what}. Create a new GpuDevice.");
            return call.Status == WGPUStatus.Success && call.ErrorType != WGPUErrorType.NoError
                ? $"{ErrorTypeName(call.ErrorType)} error: {call.Message}"
                : null;
        }
        finally
        {
            Monitor.Exit(scopeGate);
        }
    }

    internal override BufferStorage CreateStorage(long bytes, string label)
    {
        if ((ulong)bytes > limits.MaxBufferSize)
            throw new ArgumentOutOfRangeException(nameof(bytes), $"A buffer of {bytes} bytes exceeds the device's maxBufferSize ({limits.MaxBufferSize}).");
        return NativeBufferStorage.Create(this, bytes, WGPUBufferUsage.Storage | WGPUBufferUsage.CopySrc | WGPUBufferUsage.CopyDst, label);
    }

    internal override GpuStream CreateStreamCore() => new NativeGpuStream(this);

    /// <summary>The compiled pipeline of a kernel with these override constants (compiled once per device and set).</summary>
    internal override CompiledPipeline GetPipeline(KernelInfo kernel, PipelineConstants constants) => pipelines.Get(kernel, constants);

    /// <summary>The error for a kernel with subgroup operations on an adapter without the <c>subgroups</c> feature.</summary>
    internal static string SubgroupsMissing(KernelInfo kernel, string device)
        => $"{DispatchValidation.Describe(kernel)} uses subgroup operations (Subgroup.*, SubgroupId) but adapter '{device}' lacks the subgroups feature. " +
            "Run it on an adapter that has it (GpuDevice.Features.Subgroups), or on the CPU backend, which emulates subgroups.";

    /// <summary>The cached bind group of (pipeline, buffers, uniform buffer), created on first use.</summary>
    internal WGPUBindGroup GetBindGroup(NativePipeline pipeline, ReadOnlySpan<GpuBuffer> buffers, NativeBufferStorage? uniforms)
    {
        lock (cacheLock)
        {
            return bindGroups.Get(pipeline, buffers, uniforms);
        }
    }

    /// <summary>Releases a buffer: drops every cached bind group that references it, then the buffer itself.</summary>
    internal void ReleaseStorage(NativeBufferStorage storage, bool fromFinalizer)
    {
        if (TimedOut) return; // abandoned with the device (Dispose releases the device on a background thread)
        if (fromFinalizer)
        {
            // Dawn objects are released on the thread that uses the device, not on the finalizer thread.
            Releases.Defer(() => ReleaseStorage(storage, fromFinalizer: false));
            return;
        }
        // Under the cache lock, which DisposeCore holds throughout: a buffer released on another thread never races the device's release.
        lock (cacheLock)
        {
            storage.ReleaseBindGroups();
            storage.ReleaseHandle();
        }
    }

    /// <summary>The mapped staging buffers of large transfers (<see cref="NativeStaging"/>).</summary>
    internal NativeStaging Staging { get; }

    /// <summary>Copies bytes of a buffer to the host through mapped staging buffers (waits for the queue).</summary>
    internal void ReadBuffer(WGPUBuffer buffer, ulong offset, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        Staging.Read(buffer, offset, destination);
    }

    /// <summary>Writes host bytes into a buffer through the queue (ordered before later submits).</summary>
    internal void WriteBuffer(WGPUBuffer buffer, ulong offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        if ((offset & 3) == 0 && (data.Length & 3) == 0)
        {
            if (data.Length >= Options.StagedUploadBytes)
            {
                Staging.Write(buffer, offset, data);
                return;
            }
            fixed (byte* p = data) Wgpu.QueueWriteBuffer(queue, buffer, offset, p, (nuint)data.Length);
            return;
        }
        // WebGPU writes whole 4-byte words: read the covering words, patch, write back (rare: odd-sized Half data).
        var start = offset & ~3UL;
        var size = (int)((offset + (ulong)data.Length - start + 3) & ~3UL);
        var words = new byte[size];
        ReadBuffer(buffer, start, words);
        data.CopyTo(words.AsSpan((int)(offset - start)));
        fixed (byte* p = words) Wgpu.QueueWriteBuffer(queue, buffer, start, p, (nuint)size);
    }

    internal WGPUBuffer CreateRawBuffer(ulong size, WGPUBufferUsage usage, string label, bool mappedAtCreation = false)
    {
        var bytes = Encoding.UTF8.GetBytes(label);
        fixed (byte* l = bytes)
        {
            var descriptor = new WGPUBufferDescriptor
            {
                Label = new WGPUStringView { Data = l, Length = (nuint)bytes.Length },
                Usage = usage,
                Size = size,
                MappedAtCreation = mappedAtCreation ? 1u : 0u,
            };
            PushErrorScope();
            PushErrorScope(WGPUErrorFilter.OutOfMemory);
            var handle = Wgpu.DeviceCreateBuffer(device, &descriptor);
            var outOfMemory = PopErrorScope($"creating a {size}-byte buffer");
            var invalid = PopErrorScope($"creating a {size}-byte buffer");
            if (outOfMemory != null || invalid != null || handle.IsNull)
            {
                handle.Release();
                throw new GpuValidationException($"Dawn could not create a {size}-byte buffer ('{label}'): {outOfMemory ?? invalid ?? "null handle"}");
            }
            return handle;
        }
    }

    internal override void DisposeCore()
    {
        disposing = true;
        if (TimedOut)
        {
            // On GpuDevice.Dispose's background thread: Dawn may block here until the GPU gives up the work.
            DawnDeviceEvents.Unregister(eventsId);
            Wgpu.DeviceDestroy(device);
            return;
        }
        Releases.Run();
        lock (cacheLock)
        {
            bindGroups.Clear();
            pipelines.Clear();
            ReleaseDevice();
        }
    }

    private void ReleaseDevice()
    {
        Staging.Release();
        queue.Release();
        queue = default;
        if (!device.IsNull)
        {
            // No wgpuInstanceProcessEvents here: it ticks every device of the process-wide instance, racing
            // with other threads' use of their devices (crashes and deadlocks inside Dawn). Destroy frees the
            // device's resources itself and the lost callback is AllowSpontaneous.
            Wgpu.DeviceDestroy(device);
            device.Release();
        }
        device = default;
        DawnDeviceEvents.Unregister(eventsId);
    }
}
