using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace KernelGen.Backends.Browser;

/// <summary>A GPUBuffer of the browser backend, known to .NET by its id in kernelgen-webgpu.js.</summary>
[SupportedOSPlatform("browser")]
internal sealed class BrowserBufferStorage(BrowserGpuDevice device, long bytes, int id) : BufferStorage(device, bytes)
{
    public int JsId { get; } = id;

    public override bool ReadsAsynchronously => true;

    public override void Write(long offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        // writeBuffer moves whole 4-byte words; a tail that ends the buffer is padded (the padding is the buffer's own).
        if (offset % 4 != 0 || (data.Length % 4 != 0 && offset + data.Length != SizeInBytes))
        {
            throw new NotSupportedException(
                $"The browser backend writes whole 4-byte words: {data.Length} bytes at byte offset {offset} of a {SizeInBytes}-byte buffer cannot be written. " +
                "Upload a range that starts and ends on a multiple of 4 bytes (or ends at the buffer's end).");
        }
        if (data.Length % 4 != 0)
        {
            var padded = new byte[(data.Length + 3) / 4 * 4];
            data.CopyTo(padded);
            BrowserWebGpu.WriteBuffer(JsId, offset, padded);
            return;
        }
        BrowserWebGpu.WriteBuffer(JsId, offset, MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(data), data.Length));
    }

    public override void Read(long offset, Span<byte> destination) =>
        throw new PlatformNotSupportedException(
            "GpuBuffer<T>.Download and ToArray cannot wait in the browser (WebGPU maps buffers asynchronously and the page's thread must not block). " +
            "Use await buffer.DownloadAsync(...) or await buffer.ToArrayAsync().");

    public override async Task<BufferReadback> ReadAsync(long offset, int length)
    {
        int token;
        try
        {
            token = await BrowserWebGpu.MapRead(JsId, offset, length).ConfigureAwait(true);
        }
        catch (System.Runtime.InteropServices.JavaScript.JSException e)
        {
            throw new GpuException($"Reading {length} bytes at byte offset {offset} of a {SizeInBytes}-byte buffer failed: {e.Message}", e);
        }
        return new BrowserReadback(token);
    }

    protected override void ReleaseCore(bool fromFinalizer)
    {
        var d = (BrowserGpuDevice)Device;
        if (d.IsDisposed) return;
        if (fromFinalizer)
        {
            d.Releases.Defer(() => ReleaseCore(fromFinalizer: false));
            return;
        }
        ReleaseBindGroups();
        BrowserWebGpu.DestroyBuffer(JsId);
    }

    private sealed class BrowserReadback(int token) : BufferReadback
    {
        private bool done;

        public override void CopyTo(Span<byte> destination)
        {
            done = true;
            BrowserWebGpu.CopyRead(token, destination);
        }

        public override void Dispose()
        {
            if (!done) BrowserWebGpu.ReleaseRead(token);
            done = true;
        }
    }
}
