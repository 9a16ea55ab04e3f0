using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using KernelGen.Backends.Native;

namespace KernelGen.Interop.Dawn;

/// <summary>
/// The outcome of one asynchronous Dawn call, filled by a callback. The callback finds it through a
/// GCHandle in <c>userdata1</c>. On success the waiter frees the handle; after a timeout the handle is
/// deliberately left allocated so that a late callback still writes into a live object.
/// </summary>
internal sealed class CallbackResult
{
    public volatile bool Done;
    public uint Status;
    public uint Kind;
    public nint Handle;
    public string Message = string.Empty;
    public List<(uint Type, ulong Line, ulong Column, string Text)>? CompilationMessages;
}

/// <summary>The [UnmanagedCallersOnly] callbacks the runtime passes to Dawn.</summary>
internal static unsafe class WgpuCallbacks
{
    public static WGPUCallbackInfo Info(nint callback, GCHandle target, uint mode = Wgpu.CallbackModeWaitAnyOnly)
        => new() { Mode = mode, Callback = callback, Userdata1 = GCHandle.ToIntPtr(target) };

    public static nint Request => (nint)(delegate* unmanaged[Cdecl]<uint, nint, WGPUStringView, nint, nint, void>)&OnRequest;

    public static nint Status => (nint)(delegate* unmanaged[Cdecl]<uint, WGPUStringView, nint, nint, void>)&OnStatus;

    public static nint PopErrorScope => (nint)(delegate* unmanaged[Cdecl]<uint, uint, WGPUStringView, nint, nint, void>)&OnPopErrorScope;

    public static nint CompilationInfo => (nint)(delegate* unmanaged[Cdecl]<uint, WGPUCompilationInfo*, nint, nint, void>)&OnCompilationInfo;

    public static nint DeviceLost => (nint)(delegate* unmanaged[Cdecl]<nint*, uint, WGPUStringView, nint, nint, void>)&OnDeviceLost;

    public static nint UncapturedError => (nint)(delegate* unmanaged[Cdecl]<nint*, uint, WGPUStringView, nint, nint, void>)&OnUncapturedError;

    private static CallbackResult? Target(nint userdata)
        => userdata == 0 ? null : GCHandle.FromIntPtr(userdata).Target as CallbackResult;

    /// <summary>RequestAdapter / RequestDevice: (status, handle, message, ud1, ud2).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnRequest(uint status, nint handle, WGPUStringView message, nint userdata1, nint userdata2)
    {
        var result = Target(userdata1);
        if (result is null) return;
        result.Status = status;
        result.Handle = handle;
        result.Message = message.ToString();
        result.Done = true;
    }

    /// <summary>QueueWorkDone / BufferMap: (status, message, ud1, ud2).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnStatus(uint status, WGPUStringView message, nint userdata1, nint userdata2)
    {
        var result = Target(userdata1);
        if (result is null) return;
        result.Status = status;
        result.Message = message.ToString();
        result.Done = true;
    }

    /// <summary>PopErrorScope: (status, error type, message, ud1, ud2).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnPopErrorScope(uint status, uint type, WGPUStringView message, nint userdata1, nint userdata2)
    {
        var result = Target(userdata1);
        if (result is null) return;
        result.Status = status;
        result.Kind = type;
        result.Message = message.ToString();
        result.Done = true;
    }

    /// <summary>ShaderModule GetCompilationInfo: (status, const WGPUCompilationInfo*, ud1, ud2).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnCompilationInfo(uint status, WGPUCompilationInfo* info, nint userdata1, nint userdata2)
    {
        var result = Target(userdata1);
        if (result is null) return;
        result.Status = status;
        var messages = new List<(uint, ulong, ulong, string)>();
        if (info != null)
        {
            for (nuint i = 0; i < info->MessageCount; i++)
            {
                var m = info->Messages[i];
                messages.Add((m.Type, m.LineNum, m.LinePos, m.Message.ToString()));
            }
        }
        result.CompilationMessages = messages;
        result.Done = true;
    }

    /// <summary>DeviceLost: (const WGPUDevice*, reason, message, ud1, ud2). userdata1 is a device id.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnDeviceLost(nint* device, uint reason, WGPUStringView message, nint userdata1, nint userdata2)
        => NativeDeviceEvents.DeviceLost(userdata1, reason, message.ToString());

    /// <summary>UncapturedError: (const WGPUDevice*, type, message, ud1, ud2). userdata1 is a device id.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    public static void OnUncapturedError(nint* device, uint type, WGPUStringView message, nint userdata1, nint userdata2)
        => NativeDeviceEvents.UncapturedError(userdata1, type, message.ToString());
}
