using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;

namespace KernelGen.Samples.EfficientNet.Web;

/// <summary>
/// What main.js calls in .NET. Answers are JSON strings: <c>{"ok": true, ...}</c>, or <c>{"ok": false, "error", "reason"}</c>
/// with the exception's type and message, so the page can show why something failed.
/// </summary>
[SupportedOSPlatform("browser")]
public static partial class PageInterop
{
    private static GpuDevice? device;

    /// <summary>The device the page runs on, once <see cref="StartAsync"/> succeeded.</summary>
    internal static GpuDevice Device => device ?? throw new InvalidOperationException("The GPU device is not started yet.");

    /// <summary>
    /// Creates the WebGPU device (GpuBackend.Auto picks the browser's navigator.gpu). Without WebGPU the page
    /// still answers: the same [Kernel] methods run as C# on the CPU backend inside .NET WebAssembly (slowly);
    /// the answer then carries <c>"cpuFallback": true</c> and <c>"webGpuMissing"</c>, the reason WebGPU failed.
    /// </summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static async Task<string> StartAsync()
    {
        string? webGpuMissing = null;
        if (device is null)
        {
            try
            {
                device = await GpuDevice.CreateAsync().ConfigureAwait(true);
            }
            catch (Exception e) when (e is GpuException or PlatformNotSupportedException or JSException)
            {
                webGpuMissing = e.Message;
                try
                {
                    device = await GpuDevice.CreateAsync(new GpuDeviceOptions { Backend = GpuBackend.Cpu }).ConfigureAwait(true);
                }
                catch (Exception cpu) when (cpu is GpuException or PlatformNotSupportedException)
                {
                    return JsonText.Error(cpu);
                }
            }
        }
        var d = device;
        return JsonText.Write(w =>
        {
            w.WriteBoolean("ok", true);
            w.WriteString("backend", d.Backend.ToString());
            w.WriteString("adapter", d.Info.Device);
            w.WriteString("vendor", d.Info.Vendor);
            w.WriteString("architecture", d.Info.Architecture);
            w.WriteBoolean("fallbackAdapter", d.Backend != GpuBackend.Cpu && d.Info.AdapterType == GpuAdapterType.Cpu);
            w.WriteBoolean("cpuFallback", d.Backend == GpuBackend.Cpu);
            if (webGpuMissing is not null) w.WriteString("webGpuMissing", webGpuMissing);
            w.WriteString("features", string.Join(' ', d.Features.AdapterFeatures));
        });
    }

    /// <summary>
    /// Test hook: runs the <see cref="TestKernels"/> on the device with the given inputs and returns their outputs
    /// (the test compares them with C#): <c>add = a + b</c>, <c>scaled = scale * a + shift</c>, <c>sums</c> = sums of
    /// 64-element blocks of <c>a</c>.
    /// </summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static async Task<string> RunTestKernelsAsync([JSMarshalAs<JSType.Array<JSType.Number>>] double[] a, [JSMarshalAs<JSType.Array<JSType.Number>>] double[] b, double scale, double shift)
    {
        try
        {
            var d = Device;
            var x = Array.ConvertAll(a, v => (float)v);
            var y = Array.ConvertAll(b, v => (float)v);
            var blocks = (x.Length + 63) / 64;
            using var bufferA = d.Upload<float>(x);
            using var bufferB = d.Upload<float>(y);
            using var sum = d.Allocate<float>(x.Length);
            using var scaled = d.Allocate<float>(x.Length);
            using var sums = d.Allocate<float>(blocks);
            using var stream = d.CreateStream();
            TestKernels.Gpu.VectorAdd(stream, bufferA, bufferB, sum, x.Length);
            TestKernels.Gpu.ScaleShift(stream, bufferA, scaled, (float)scale, (float)shift, x.Length);
            TestKernels.Gpu.BlockSum(stream, bufferA, sums, x.Length, Grid.Groups(blocks));
            await stream.SynchronizeAsync().ConfigureAwait(true);
            var added = await sum.ToArrayAsync().ConfigureAwait(true);
            var scaledValues = await scaled.ToArrayAsync().ConfigureAwait(true);
            var sumValues = await sums.ToArrayAsync().ConfigureAwait(true);
            // A partial read at an element offset, to pin DownloadAsync's offset handling.
            var tail = new float[Math.Min(3, x.Length)];
            await sum.DownloadAsync(tail, x.Length - tail.Length).ConfigureAwait(true);
            return JsonText.Write(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteArray("add", added);
                w.WriteArray("scaled", scaledValues);
                w.WriteArray("sums", sumValues);
                w.WriteArray("addTail", tail);
            });
        }
        catch (Exception e)
        {
            return JsonText.Error(e);
        }
    }

    /// <summary>
    /// Test hook: (1) <paramref name="dispatches"/> dependent dispatches on one stream, ping-ponging
    /// <c>y = x + 1</c> between two buffers, each with its own uniform block, so the 1 MiB uniform arena fills and
    /// the stream submits mid-recording; (2) a captured graph of <c>y = scale * x + shift</c> replayed twice.
    /// Returns both results and the host cost of recording a dispatch on the WebAssembly interpreter.
    /// </summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static async Task<string> RunChainAndGraphAsync([JSMarshalAs<JSType.Array<JSType.Number>>] double[] a, int dispatches, double scale, double shift)
    {
        try
        {
            var d = Device;
            var x = Array.ConvertAll(a, v => (float)v);
            using var ping = d.Upload<float>(x);
            using var pong = d.Allocate<float>(x.Length);
            using var stream = d.CreateStream();
            TestKernels.Gpu.ScaleShift(stream, ping, pong, 1f, 0f, x.Length); // compile outside the timing
            await stream.SynchronizeAsync().ConfigureAwait(true);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < dispatches; i++)
            {
                if (i % 2 == 0) TestKernels.Gpu.ScaleShift(stream, ping, pong, 1f, 1f, x.Length);
                else TestKernels.Gpu.ScaleShift(stream, pong, ping, 1f, 1f, x.Length);
            }
            var recordMs = watch.Elapsed.TotalMilliseconds;
            await stream.SynchronizeAsync().ConfigureAwait(true);
            var totalMs = watch.Elapsed.TotalMilliseconds;
            var chain = await (dispatches % 2 == 0 ? ping : pong).ToArrayAsync().ConfigureAwait(true);

            using var source = d.Upload<float>(x);
            using var target = d.Allocate<float>(x.Length);
            using var graph = stream.Capture(s => TestKernels.Gpu.ScaleShift(s, source, target, (float)scale, (float)shift, x.Length));
            graph.Replay();
            graph.Replay();
            await stream.SynchronizeAsync().ConfigureAwait(true);
            var replayed = await target.ToArrayAsync().ConfigureAwait(true);
            return JsonText.Write(w =>
            {
                w.WriteBoolean("ok", true);
                w.WriteArray("chain", chain);
                w.WriteArray("graph", replayed);
                w.WriteNumber("recordMicrosecondsPerDispatch", 1000 * recordMs / dispatches);
                w.WriteNumber("totalMs", totalMs);
                w.WriteNumber("graphDispatches", graph.DispatchCount);
            });
        }
        catch (Exception e)
        {
            return JsonText.Error(e);
        }
    }

    /// <summary>
    /// Test hook: compiles a kernel whose WGSL is broken (as a hand-written or corrupted KernelInfo would be) and returns
    /// what <see cref="GpuDevice.CompileAsync(IEnumerable{KernelInfo})"/> threw.
    /// </summary>
    [JSExport]
    [return: JSMarshalAs<JSType.Promise<JSType.String>>]
    public static async Task<string> BrokenKernelMessageAsync()
    {
        var broken = new KernelInfo
        {
            Name = "KernelGen.Samples.EfficientNet.Web.TestKernels.Broken",
            SourceLocation = "TestKernels.cs(1)",
            Wgsl = "@group(0) @binding(0) var<storage, read_write> y: array<f32>;\n\n@compute @workgroup_size(64)\nfn main(@builtin(global_invocation_id) id: vec3<u32>) {\n    y[id.x] = undefined_value;\n}\n",
            EntryPoint = "main",
            WorkgroupSizeX = 64,
            WorkgroupSizeY = 1,
            WorkgroupSizeZ = 1,
            Bindings = [new KernelBinding(0, "y", BindingKind.Storage, typeof(float), 4)],
            Cpu = static (in CpuInvocation _) => { },
        };
        try
        {
            await Device.CompileAsync([broken]).ConfigureAwait(true);
            return JsonText.Write(w => w.WriteBoolean("ok", true));
        }
        catch (Exception e)
        {
            return JsonText.Error(e);
        }
    }

    /// <summary>Test hook: what the blocking calls say in the browser (each must throw PlatformNotSupportedException naming the async call).</summary>
    [JSExport]
    public static string BlockingCallMessages()
    {
        var d = Device;
        using var buffer = d.Allocate<float>(4);
        using var stream = d.CreateStream();
        return JsonText.Write(w =>
        {
            w.WriteString("synchronize", Message(stream.Synchronize));
            w.WriteString("download", Message(() => buffer.ToArray()));
            w.WriteString("create", Message(() => GpuDevice.Create().Dispose()));
        });

        static string Message(Action action)
        {
            try
            {
                action();
                return "no exception";
            }
            catch (Exception e)
            {
                return $"{e.GetType().Name}: {e.Message}";
            }
        }
    }
}
