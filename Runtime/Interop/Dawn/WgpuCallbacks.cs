using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen.Interop.Dawn;

/// <summary>The shape of the callback an asynchronous Dawn call takes (one <c>[UnmanagedCallersOnly]</c> method each).</summary>
internal enum DawnCallbackKind
{
    /// <summary><c>wgpuInstanceRequestAdapter</c>: (status, adapter, message).</summary>
    RequestAdapter,

    /// <summary><c>wgpuAdapterRequestDevice</c>: (status, device, message).</summary>
    RequestDevice,

    /// <summary><c>wgpuQueueOnSubmittedWorkDone</c>, <c>wgpuBufferMapAsync</c>: (status, message).</summary>
    Status,

    /// <summary><c>wgpuDevicePopErrorScope</c>: (status, error type, message).</summary>
    PopErrorScope,

    /// <summary><c>wgpuShaderModuleGetCompilationInfo</c>: (status, compilation info).</summary>
    CompilationInfo,
}

/// <summary>One message of a shader module's compilation info.</summary>
internal readonly record struct DawnCompilationMessage(WGPUCompilationMessageType Type, ulong Line, ulong Column, string Text);

/// <summary>
/// One asynchronous Dawn call and its wait: the one helper for the callback-info-then-WaitAny pattern.
/// <code>
/// var call = DawnCall.Start(DawnCallbackKind.Status);
/// var future = Wgpu.QueueOnSubmittedWorkDone(queue, call.Info);
/// call.Wait(instance, future, timeout, "the queue");
/// </code>
/// The callback finds the call through a GCHandle in <c>userdata1</c>. A completed wait frees the
/// handle; after a timeout it is deliberately left allocated, so that a late callback still writes
/// into a live object.
/// </summary>
internal sealed unsafe class DawnCall
{
    // Kept small: one is allocated per wait (a submit's error scope included), so no cached callback info and one handle slot.
    private GCHandle self;
    private readonly DawnCallbackKind kind;
    private volatile bool done;
    private nint handle;

    private DawnCall(DawnCallbackKind kind)
    {
        this.kind = kind;
        self = GCHandle.Alloc(this);
    }

    /// <summary>The callback info to pass to the Dawn call (by value).</summary>
    public WGPUCallbackInfo Info => new() { Mode = WGPUCallbackMode.WaitAnyOnly, Callback = Pointer(kind), Userdata1 = GCHandle.ToIntPtr(self) };

    /// <summary>True once the callback ran.</summary>
    public bool Done => done;

    public WGPUStatus Status { get; private set; }

    /// <summary>The error type a popped error scope captured.</summary>
    public WGPUErrorType ErrorType { get; private set; }

    /// <summary>The adapter a request delivered (null otherwise).</summary>
    public WGPUAdapter Adapter => kind == DawnCallbackKind.RequestAdapter ? Unsafe.As<nint, WGPUAdapter>(ref handle) : default;

    /// <summary>The device a request delivered (null otherwise).</summary>
    public WGPUDevice Device => kind == DawnCallbackKind.RequestDevice ? Unsafe.As<nint, WGPUDevice>(ref handle) : default;

    public string Message { get; private set; } = string.Empty;

    public IReadOnlyList<DawnCompilationMessage> CompilationMessages { get; private set; } = [];

    /// <summary>Prepares a call whose callback has the shape <paramref name="kind"/>.</summary>
    public static DawnCall Start(DawnCallbackKind kind) => new(kind);

    /// <summary>
    /// Waits for <paramref name="future"/> with <c>wgpuInstanceWaitAny</c> (no busy polling).
    /// Throws <see cref="GpuTimeoutException"/> naming <paramref name="what"/> when it does not complete in time.
    /// </summary>
    public void Wait(WGPUInstance instance, WGPUFuture future, TimeSpan timeout, string what)
    {
        var info = new WGPUFutureWaitInfo { Future = future };
        var timeoutNs = (ulong)Math.Max(0, timeout.Ticks) * 100UL;
        var status = Wgpu.InstanceWaitAny(instance, 1, &info, timeoutNs);
        if (status == WGPUWaitStatus.TimedOut || (status == WGPUWaitStatus.Success && !done))
        {
            // self stays allocated: a late callback must find a live object.
            throw new GpuTimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what}. " +
                "The GPU did not finish in time (a very long kernel, an endless loop in a kernel, or a hung driver); " +
                "raise GpuDevice.WaitTimeout (or GpuDeviceOptions.WaitTimeout) if the work is legitimately long.");
        }
        self.Free();
        if (status != WGPUWaitStatus.Success)
            throw new GpuException($"wgpuInstanceWaitAny failed with status {status} while waiting for {what}.");
    }

    /// <summary>
    /// True when the call has completed, without blocking (<c>wgpuInstanceWaitAny</c> with a zero timeout); false while
    /// it is still pending. A completed call frees its handle as <see cref="Wait"/> does.
    /// </summary>
    public bool TryComplete(WGPUInstance instance)
    {
        if (!self.IsAllocated) return done;
        var info = new WGPUFutureWaitInfo { Future = future };
        var status = Wgpu.InstanceWaitAny(instance, 1, &info, 0);
        if (status != WGPUWaitStatus.Success || !done) return false;
        self.Free();
        return true;
    }

    private WGPUFuture future;

    /// <summary>Remembers the future of the call (for <see cref="TryComplete"/>).</summary>
    public WGPUFuture Future
    {
        get => future;
        set => future = value;
    }

    private static nint Pointer(DawnCallbackKind kind) => kind switch
    {
        DawnCallbackKind.RequestAdapter => (nint)(delegate* unmanaged[Cdecl]<WGPUStatus, WGPUAdapter, WGPUStringView, nint, nint, void>)&OnRequestAdapter,
        DawnCallbackKind.RequestDevice => (nint)(delegate* unmanaged[Cdecl]<WGPUStatus, WGPUDevice, WGPUStringView, nint, nint, void>)&OnRequestDevice,
        DawnCallbackKind.Status => (nint)(delegate* unmanaged[Cdecl]<WGPUStatus, WGPUStringView, nint, nint, void>)&OnStatus,
        DawnCallbackKind.PopErrorScope => (nint)(delegate* unmanaged[Cdecl]<WGPUStatus, WGPUErrorType, WGPUStringView, nint, nint, void>)&OnPopErrorScope,
        DawnCallbackKind.CompilationInfo => (nint)(delegate* unmanaged[Cdecl]<WGPUStatus, WGPUCompilationInfo*, nint, nint, void>)&OnCompilationInfo,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static DawnCall? Target(nint userdata)
        => userdata == 0 ? null : GCHandle.FromIntPtr(userdata).Target as DawnCall;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRequestAdapter(WGPUStatus status, WGPUAdapter adapter, WGPUStringView message, nint userdata1, nint userdata2)
    {
        if (Target(userdata1) is not { } call) return;
        call.Status = status;
        call.handle = Unsafe.As<WGPUAdapter, nint>(ref adapter);
        call.Message = message.ToString();
        call.done = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnRequestDevice(WGPUStatus status, WGPUDevice device, WGPUStringView message, nint userdata1, nint userdata2)
    {
        if (Target(userdata1) is not { } call) return;
        call.Status = status;
        call.handle = Unsafe.As<WGPUDevice, nint>(ref device);
        call.Message = message.ToString();
        call.done = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnStatus(WGPUStatus status, WGPUStringView message, nint userdata1, nint userdata2)
    {
        if (Target(userdata1) is not { } call) return;
        call.Status = status;
        call.Message = message.ToString();
        call.done = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPopErrorScope(WGPUStatus status, WGPUErrorType type, WGPUStringView message, nint userdata1, nint userdata2)
    {
        if (Target(userdata1) is not { } call) return;
        call.Status = status;
        call.ErrorType = type;
        call.Message = message.ToString();
        call.done = true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnCompilationInfo(WGPUStatus status, WGPUCompilationInfo* info, nint userdata1, nint userdata2)
    {
        if (Target(userdata1) is not { } call) return;
        call.Status = status;
        var messages = new List<DawnCompilationMessage>();
        if (info != null)
        {
            for (nuint i = 0; i < info->MessageCount; i++)
            {
                var m = info->Messages[i];
                messages.Add(new DawnCompilationMessage(m.Type, m.LineNum, m.LinePos, m.Message.ToString()));
            }
        }
        call.CompilationMessages = messages;
        call.done = true;
    }
}

/// <summary>What a device learns from Dawn outside any call: its loss and errors no scope captured.</summary>
internal interface IDawnDeviceEvents
{
    void OnLost(WGPUDeviceLostReason reason, string message);

    void OnUncapturedError(WGPUErrorType type, string message);
}

/// <summary>
/// Routes device-lost and uncaptured-error callbacks (which may arrive on any thread, also after the
/// device object is gone) to devices by a registered id passed as <c>userdata1</c>.
/// </summary>
internal static unsafe class DawnDeviceEvents
{
    private static readonly ConcurrentDictionary<nint, IDawnDeviceEvents> Devices = new();
    private static long nextId;

    public static nint Register(IDawnDeviceEvents device)
    {
        var id = (nint)Interlocked.Increment(ref nextId);
        Devices[id] = device;
        return id;
    }

    public static void Unregister(nint id) => Devices.TryRemove(id, out _);

    /// <summary>The device-lost callback info (AllowSpontaneous: it runs on whatever thread Dawn loses the device).</summary>
    public static WGPUCallbackInfo DeviceLostInfo(nint id) => new()
    {
        Mode = WGPUCallbackMode.AllowSpontaneous,
        Callback = (nint)(delegate* unmanaged[Cdecl]<WGPUDevice*, WGPUDeviceLostReason, WGPUStringView, nint, nint, void>)&OnDeviceLost,
        Userdata1 = id,
    };

    public static WGPUUncapturedErrorCallbackInfo UncapturedErrorInfo(nint id) => new()
    {
        Callback = (nint)(delegate* unmanaged[Cdecl]<WGPUDevice*, WGPUErrorType, WGPUStringView, nint, nint, void>)&OnUncapturedError,
        Userdata1 = id,
    };

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDeviceLost(WGPUDevice* device, WGPUDeviceLostReason reason, WGPUStringView message, nint userdata1, nint userdata2)
    {
        if (Devices.TryGetValue(userdata1, out var target)) target.OnLost(reason, message.ToString());
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnUncapturedError(WGPUDevice* device, WGPUErrorType type, WGPUStringView message, nint userdata1, nint userdata2)
    {
        if (Devices.TryGetValue(userdata1, out var target)) target.OnUncapturedError(type, message.ToString());
    }
}
