using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>
/// The process-wide Dawn instance (created with timed WaitAny enabled) and the one way the runtime
/// waits for Dawn: <c>wgpuInstanceWaitAny</c> with a timeout, never a busy poll.
/// </summary>
internal static unsafe class NativeInstance
{
    private static readonly Lock Gate = new();
    private static nint handle;

    /// <summary>The instance handle (created on first use; lives for the process).</summary>
    public static nint Handle
    {
        get
        {
            if (handle != 0) return handle;
            lock (Gate)
            {
                if (handle != 0) return handle;
                WebGpuLibrary.EnsureLoaded();
                var descriptor = new WGPUInstanceDescriptor
                {
                    Capabilities = new WGPUInstanceCapabilities { TimedWaitAnyEnable = 1, TimedWaitAnyMaxCount = 64 },
                };
                var created = Wgpu.CreateInstance(&descriptor);
                if (created == 0)
                    throw new GpuAdapterUnavailableException($"wgpuCreateInstance failed (library {WebGpuLibrary.LoadedFrom}).");
                handle = created;
                return handle;
            }
        }
    }

    /// <summary>
    /// Prepares the result object an asynchronous Dawn call's callback fills (found through
    /// <paramref name="gc"/>); pass the call's future to <see cref="Wait"/>.
    /// </summary>
    public static CallbackResult Begin(out GCHandle gc)
    {
        var result = new CallbackResult();
        gc = GCHandle.Alloc(result);
        return result;
    }

    /// <summary>
    /// Waits for <paramref name="future"/>; frees <paramref name="gc"/> unless the wait times out.
    /// Throws <see cref="GpuTimeoutException"/> naming <paramref name="what"/> on timeout.
    /// </summary>
    public static void Wait(WGPUFuture future, TimeSpan timeout, string what, CallbackResult result, GCHandle gc)
    {
        var info = new WGPUFutureWaitInfo { Future = future };
        var timeoutNs = (ulong)Math.Max(0, timeout.Ticks) * 100UL;
        var status = Wgpu.InstanceWaitAny(Handle, 1, &info, timeoutNs);
        if (status == Wgpu.WaitStatusTimedOut || (status == Wgpu.WaitStatusSuccess && !result.Done))
        {
            // Leave gc allocated: a late callback must find a live object.
            throw new GpuTimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what}. " +
                "The GPU did not finish in time (a very long kernel, an endless loop in a kernel, or a hung driver); " +
                "raise GpuDevice.WaitTimeout (or GpuDeviceOptions.WaitTimeout) if the work is legitimately long.");
        }
        gc.Free();
        if (status != Wgpu.WaitStatusSuccess)
            throw new GpuException($"wgpuInstanceWaitAny failed with status {status} while waiting for {what}.");
    }
}

/// <summary>Routes device-lost and uncaptured-error callbacks (which may arrive on any thread) to devices by id.</summary>
internal static class NativeDeviceEvents
{
    private static readonly ConcurrentDictionary<nint, Backends.Native.NativeGpuDevice> Devices = new();
    private static long nextId;

    public static nint Register(NativeGpuDevice device)
    {
        var id = (nint)Interlocked.Increment(ref nextId);
        Devices[id] = device;
        return id;
    }

    public static void Unregister(nint id) => Devices.TryRemove(id, out _);

    public static void DeviceLost(nint id, uint reason, string message)
    {
        if (Devices.TryGetValue(id, out var device)) device.OnLost(reason, message);
    }

    public static void UncapturedError(nint id, uint type, string message)
    {
        if (Devices.TryGetValue(id, out var device)) device.OnUncapturedError(type, message);
    }
}
