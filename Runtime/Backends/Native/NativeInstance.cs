using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>
/// The process-wide Dawn instance (created with timed WaitAny enabled) and the one way the runtime
/// waits for Dawn: <see cref="DawnCall.Wait"/> on it, <c>wgpuInstanceWaitAny</c> with a timeout, never a busy poll.
/// </summary>
internal static unsafe class NativeInstance
{
    private static readonly Lock Gate = new();
    private static WGPUInstance handle;

    /// <summary>The instance (created on first use; lives for the process).</summary>
    public static WGPUInstance Handle
    {
        get
        {
            if (!handle.IsNull) return handle;
            lock (Gate)
            {
                if (!handle.IsNull) return handle;
                WebGpuLibrary.EnsureLoaded();
                var descriptor = new WGPUInstanceDescriptor
                {
                    Capabilities = new WGPUInstanceCapabilities { TimedWaitAnyEnable = 1, TimedWaitAnyMaxCount = 64 },
                };
                var created = Wgpu.CreateInstance(&descriptor);
                if (created.IsNull)
                    throw new GpuAdapterUnavailableException($"wgpuCreateInstance failed (library {WebGpuLibrary.LoadedFrom}).");
                handle = created;
                return handle;
            }
        }
    }

    /// <summary>Waits on the instance for <paramref name="future"/> of <paramref name="call"/>; throws <see cref="GpuTimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static void Wait(DawnCall call, WGPUFuture future, TimeSpan timeout, string what) => call.Wait(Handle, future, timeout, what);
}
