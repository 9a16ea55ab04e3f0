using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>An adapter handle offered by Dawn with what it reports about itself.</summary>
internal readonly record struct NativeAdapter(WGPUAdapter Handle, GpuAdapterInfo Info, WGPUBackendType BackendType, int SubgroupMinSize = 0, int SubgroupMaxSize = 0);

/// <summary>
/// Finds Dawn's adapters and picks one: by index or name (options or <c>KERNELGEN_ADAPTER</c>), else by
/// power preference. Dawn's Null adapter, which it hands out when no real driver is accepted, is refused.
/// </summary>
internal static unsafe class NativeAdapters
{
    /// <summary>Why Dawn's Null adapter is refused, with the fix.</summary>
    public const string NullAdapterFix =
        "Fix: install a Vulkan driver Dawn accepts: Mesa 25 lavapipe (run scripts/setup-native.sh, which installs mesa-vulkan-drivers " +
        "from Debian's bookworm-backports; Debian 12's own Mesa 22 lavapipe is rejected by Dawn), or SwiftShader " +
        "(export VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json with Debian's chromium installed). On a machine with a GPU, install its Vulkan driver.";

    /// <summary>
    /// Returns null when an adapter can run kernels, else why not. Dawn's Null backend (backend type 1)
    /// creates devices whose every result is garbage, so it is never accepted.
    /// </summary>
    public static string? RefusalReason(WGPUBackendType backendType, string deviceName)
        => backendType == WGPUBackendType.Null
            ? $"Dawn offered only its Null backend adapter ('{deviceName}'): no GPU or software Vulkan driver that Dawn accepts was found. {NullAdapterFix}"
            : null;

    /// <summary>
    /// Serialises adapter requests: Dawn discovers its backends on an instance's first request, and a
    /// request made on another thread meanwhile is handed the Null adapter (measured: 4 devices created
    /// at once on lavapipe fail every time without this).
    /// </summary>
    private static readonly Lock DiscoveryGate = new();

    public static IReadOnlyList<GpuAdapterInfo> List()
    {
        lock (DiscoveryGate)
        {
            var adapters = Enumerate(TimeSpan.FromSeconds(30), ForcedBackend(GpuNativeBackend.Default));
            foreach (var a in adapters) a.Handle.Release();
            return adapters.Select(a => a.Info).ToArray();
        }
    }

    /// <summary>Picks the adapter the options ask for; throws <see cref="GpuAdapterUnavailableException"/> with the reason otherwise.</summary>
    public static NativeAdapter Select(GpuDeviceOptions options)
    {
        lock (DiscoveryGate)
        {
            return SelectOne(options);
        }
    }

    private static NativeAdapter SelectOne(GpuDeviceOptions options)
    {
        var forced = ForcedBackend(options.NativeBackend);
        var name = options.AdapterName;
        var index = options.AdapterIndex;
        if (name is null && index is null)
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(GpuDeviceOptions.AdapterEnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                if (int.TryParse(fromEnvironment, out var i)) index = i;
                else name = fromEnvironment.Trim();
            }
        }
        if (name is null && index is null)
        {
            var power = options.PowerPreference switch
            {
                GpuPowerPreference.HighPerformance => WGPUPowerPreference.HighPerformance,
                GpuPowerPreference.LowPower => WGPUPowerPreference.LowPower,
                _ => WGPUPowerPreference.Undefined,
            };
            var adapter = Request(power, forced, options.WaitTimeout);
            if (adapter is null && forced != WGPUBackendType.Undefined)
                throw new GpuAdapterUnavailableException(NoAdapterOnForcedBackend(forced));
            if (adapter is null)
                throw new GpuAdapterUnavailableException($"Dawn found no WebGPU adapter. {NullAdapterFix}");
            var refusal = RefusalReason(adapter.Value.BackendType, adapter.Value.Info.Device);
            if (refusal is null) return adapter.Value;
            adapter.Value.Handle.Release();
            // The default request can hand out Null while a real adapter exists on another backend: look wider.
            var others = Enumerate(options.WaitTimeout, forced);
            if (others.Count > 0)
            {
                foreach (var other in others.Skip(1)) other.Handle.Release();
                return others[0];
            }
            throw new GpuAdapterUnavailableException(refusal);
        }

        var all = Enumerate(options.WaitTimeout, forced);
        NativeAdapter? chosen = null;
        if (index is { } k)
        {
            if (k >= 0 && k < all.Count) chosen = all[k];
        }
        else
        {
            chosen = all.Cast<NativeAdapter?>().FirstOrDefault(a =>
                a!.Value.Info.Device.Contains(name!, StringComparison.OrdinalIgnoreCase)
                || a.Value.Info.Description.Contains(name!, StringComparison.OrdinalIgnoreCase)
                || a.Value.Info.Vendor.Contains(name!, StringComparison.OrdinalIgnoreCase));
        }
        foreach (var a in all)
            if (chosen is null || a.Handle != chosen.Value.Handle) a.Handle.Release();
        if (chosen is null)
        {
            var listing = all.Count == 0 ? "none" : string.Join("; ", all.Select((a, i) => $"[{i}] {a.Info}"));
            var wanted = index is not null ? $"index {index}" : $"name containing '{name}'";
            throw new GpuAdapterUnavailableException(
                $"No WebGPU adapter matches {wanted} (from GpuDeviceOptions or ${GpuDeviceOptions.AdapterEnvironmentVariable}). Available: {listing}." +
                (all.Count == 0 ? " " + NullAdapterFix : ""));
        }
        return chosen.Value;
    }

    /// <summary>Every distinct real adapter Dawn offers across backends (or on the forced one) and power preferences; real GPUs first.</summary>
    private static List<NativeAdapter> Enumerate(TimeSpan timeout, WGPUBackendType forced)
    {
        var found = new List<NativeAdapter>();
        // Dawn's default choice per power preference, and Vulkan explicitly (where Dawn might prefer another backend).
        const WGPUPowerPreference high = WGPUPowerPreference.HighPerformance, low = WGPUPowerPreference.LowPower;
        const WGPUBackendType any = WGPUBackendType.Undefined, vulkan = WGPUBackendType.Vulkan;
        var requests = forced != WGPUBackendType.Undefined ? new[] { (high, forced), (low, forced) } : new[] { (high, any), (low, any), (high, vulkan), (low, vulkan) };
        foreach (var (power, backend) in requests)
        {
            var adapter = Request(power, backend, timeout);
            if (adapter is null) continue;
            var a = adapter.Value;
            if (RefusalReason(a.BackendType, a.Info.Device) is not null
                || found.Any(f => f.BackendType == a.BackendType && f.Info.VendorId == a.Info.VendorId && f.Info.DeviceId == a.Info.DeviceId && f.Info.Device == a.Info.Device))
            {
                a.Handle.Release();
                continue;
            }
            found.Add(a);
        }
        return found.OrderBy(a => a.Info.AdapterType switch
        {
            GpuAdapterType.DiscreteGpu => 0,
            GpuAdapterType.IntegratedGpu => 1,
            GpuAdapterType.Cpu => 2,
            _ => 3,
        }).ToList();
    }

    private static NativeAdapter? Request(WGPUPowerPreference power, WGPUBackendType backend, TimeSpan timeout)
    {
        var instance = NativeInstance.Handle;
        var options = new WGPURequestAdapterOptions
        {
            FeatureLevel = backend == WGPUBackendType.OpenGLES ? WGPUFeatureLevel.Compatibility : WGPUFeatureLevel.Core,
            PowerPreference = power,
            BackendType = backend,
        };
        var call = DawnCall.Start(DawnCallbackKind.RequestAdapter);
        var future = Wgpu.InstanceRequestAdapter(instance, &options, call.Info);
        call.Wait(instance, future, timeout, "Dawn to offer an adapter (wgpuInstanceRequestAdapter)");
        if (call.Status != WGPUStatus.Success || call.Adapter.IsNull) return null;
        var adapter = call.Adapter;
        var info = new WGPUAdapterInfo();
        if (Wgpu.AdapterGetInfo(adapter, &info) != WGPUStatus.Success)
        {
            adapter.Release();
            return null;
        }
        var managed = new GpuAdapterInfo(info.Vendor.ToString(), info.Architecture.ToString(), info.Device.ToString(), info.Description.ToString(),
            BackendName(info.BackendType), AdapterType(info.AdapterType), info.VendorId, info.DeviceId);
        var backendType = info.BackendType;
        var subgroupMin = (int)info.SubgroupMinSize;
        var subgroupMax = (int)info.SubgroupMaxSize;
        Wgpu.AdapterInfoFreeMembers(info);
        return new NativeAdapter(adapter, managed, backendType, subgroupMin, subgroupMax);
    }

    /// <summary>
    /// Dawn's WGPUBackendType for the option, else for <c>KERNELGEN_NATIVE_BACKEND</c>; 0 (undefined) lets Dawn choose.
    /// </summary>
    internal static WGPUBackendType ForcedBackend(GpuNativeBackend option)
        => ForcedBackend(option, Environment.GetEnvironmentVariable(GpuDeviceOptions.NativeBackendEnvironmentVariable));

    internal static WGPUBackendType ForcedBackend(GpuNativeBackend option, string? fromEnvironment)
    {
        if (option == GpuNativeBackend.Default)
        {
            if (string.IsNullOrWhiteSpace(fromEnvironment)) return WGPUBackendType.Undefined;
            if (!Enum.TryParse(fromEnvironment.Trim(), ignoreCase: true, out option) || !Enum.IsDefined(option) || int.TryParse(fromEnvironment, out _))
                throw new ArgumentException(
                    $"${GpuDeviceOptions.NativeBackendEnvironmentVariable} = '{fromEnvironment}' names no backend; use vulkan, d3d12, d3d11, metal or opengles (or unset it for Dawn's choice).");
        }
        return option switch
        {
            GpuNativeBackend.D3D11 => WGPUBackendType.D3D11,
            GpuNativeBackend.D3D12 => WGPUBackendType.D3D12,
            GpuNativeBackend.Metal => WGPUBackendType.Metal,
            GpuNativeBackend.Vulkan => WGPUBackendType.Vulkan,
            GpuNativeBackend.OpenGLES => WGPUBackendType.OpenGLES,
            _ => WGPUBackendType.Undefined,
        };
    }

    private static string NoAdapterOnForcedBackend(WGPUBackendType backend)
    {
        var available = OperatingSystem.IsWindows() ? "D3D12, D3D11 and Vulkan" : OperatingSystem.IsMacOS() ? "Metal" : "Vulkan and OpenGLES";
        return $"Dawn offers no adapter on its {BackendName(backend)} backend, which GpuDeviceOptions.NativeBackend or " +
            $"${GpuDeviceOptions.NativeBackendEnvironmentVariable} forces. Dawn has {available} on this OS; unset the choice to let Dawn pick, " +
            $"or install a driver for {BackendName(backend)}. {NullAdapterFix}";
    }

    public static string BackendName(WGPUBackendType backend) => backend is > WGPUBackendType.Undefined and <= WGPUBackendType.OpenGLES
        ? backend.ToString()
        : $"Undefined({(uint)backend})";

    private static GpuAdapterType AdapterType(WGPUAdapterType type) => type switch
    {
        WGPUAdapterType.DiscreteGPU => GpuAdapterType.DiscreteGpu,
        WGPUAdapterType.IntegratedGPU => GpuAdapterType.IntegratedGpu,
        WGPUAdapterType.CPU => GpuAdapterType.Cpu,
        _ => GpuAdapterType.Unknown,
    };
}
