using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;

namespace KernelGen.Backends.Browser;

/// <summary>
/// The one-to-one binding to kernelgen-webgpu.js (embedded in this assembly and imported once as an
/// ES module). Calls are few and coarse: one per buffer transfer, pipeline, bind group, and submit of a whole command list.
/// </summary>
[SupportedOSPlatform("browser")]
internal static partial class BrowserWebGpu
{
    private const string Module = "KernelGen.WebGpu";
    private const string ResourceName = "KernelGen.Backends.Browser.kernelgen-webgpu.js";
    private static Task? loading;

    /// <summary>Imports the module (once per page) from the copy embedded in the runtime, as a data: URL.</summary>
    /// <exception cref="GpuAdapterUnavailableException">The import failed (e.g. a Content-Security-Policy that forbids data: scripts).</exception>
    public static Task EnsureLoadedAsync() => loading ??= LoadAsync();

    private static async Task LoadAsync()
    {
        using var stream = typeof(BrowserWebGpu).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The runtime lacks its embedded resource {ResourceName}.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        try
        {
            await JSHost.ImportAsync(Module, "data:text/javascript;base64," + Convert.ToBase64String(bytes)).ConfigureAwait(true);
        }
        catch (JSException e)
        {
            loading = null; // let a later attempt try again
            throw new GpuAdapterUnavailableException(
                "KernelGen could not import its WebGPU module, which it loads as a data: URL (a Content-Security-Policy whose script-src " +
                $"lacks data: forbids that): {e.Message}", e);
        }
    }

    [JSImport("requestDevice", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static partial Task<string> RequestDevice(string powerPreference);

    [JSImport("destroyDevice", Module)]
    public static partial void DestroyDevice();

    [JSImport("lostReason", Module)]
    public static partial string LostReason();

    [JSImport("createBuffer", Module)]
    public static partial void CreateBuffer(int id, double size, string label, bool uniform);

    [JSImport("destroyBuffer", Module)]
    public static partial void DestroyBuffer(int id);

    [JSImport("writeBuffer", Module)]
    public static partial void WriteBuffer(int id, double offset, [JSMarshalAs<JSType.MemoryView>] Span<byte> data);

    [JSImport("createPipeline", Module)]
    public static partial void CreatePipeline(int id, string name, string location, string wgsl, string entryPoint, string kinds, string constantsJson);

    [JSImport("createBindGroup", Module)]
    public static partial void CreateBindGroup(int id, int pipelineId, [JSMarshalAs<JSType.MemoryView>] Span<int> bufferIds, int uniformSize);

    [JSImport("destroyBindGroup", Module)]
    public static partial void DestroyBindGroup(int id);

    [JSImport("submit", Module)]
    public static partial void Submit([JSMarshalAs<JSType.MemoryView>] Span<int> commands, int uniformBufferId, [JSMarshalAs<JSType.MemoryView>] Span<byte> uniforms);

    [JSImport("synchronize", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static partial Task<string> Synchronize();

    [JSImport("checkErrors", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static partial Task<string> CheckErrors();

    [JSImport("mapRead", Module)]
    [return: JSMarshalAs<JSType.Promise<JSType.Number>>]
    public static partial Task<int> MapRead(int id, double offset, int length);

    [JSImport("copyRead", Module)]
    public static partial void CopyRead(int token, [JSMarshalAs<JSType.MemoryView>] Span<byte> destination);

    [JSImport("releaseRead", Module)]
    public static partial void ReleaseRead(int token);
}
