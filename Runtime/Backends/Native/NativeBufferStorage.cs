using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>A Dawn buffer (the cached bind groups that bind it die with it: <see cref="BufferStorage.ReleaseBindGroups"/>).</summary>
internal sealed class NativeBufferStorage : BufferStorage
{
    private readonly NativeGpuDevice device;
    private readonly Lock handleGate = new();
    private WGPUBuffer handle;

    private NativeBufferStorage(NativeGpuDevice device, long bytes, WGPUBuffer handle, ulong allocated) : base(device, bytes)
    {
        this.device = device;
        this.handle = handle;
        AllocatedBytes = allocated;
    }

    /// <summary>The native buffer (valid until released).</summary>
    public WGPUBuffer Handle => handle;

    /// <summary>Bytes allocated natively (rounded up to whole 4-byte words, at least 4).</summary>
    public ulong AllocatedBytes { get; }

    public static NativeBufferStorage Create(NativeGpuDevice device, long bytes, WGPUBufferUsage usage, string label)
    {
        var allocated = Math.Max(4UL, ((ulong)bytes + 3) & ~3UL);
        var handle = device.CreateRawBuffer(allocated, usage, label);
        Interlocked.Increment(ref NativeGpuDevice.LiveBuffers);
        return new NativeBufferStorage(device, bytes, handle, allocated);
    }

    public override void Write(long offset, ReadOnlySpan<byte> data) => device.WriteBuffer(handle, (ulong)offset, data);

    public override void Read(long offset, Span<byte> destination) => device.ReadBuffer(handle, (ulong)offset, destination);

    protected override void ReleaseCore(bool fromFinalizer) => device.ReleaseStorage(this, fromFinalizer);

    public void ReleaseHandle()
    {
        WGPUBuffer h;
        lock (handleGate)
        {
            h = handle;
            handle = default;
        }
        if (h.IsNull) return;
        // Release, not Destroy: work already submitted may still use the buffer; Dawn frees it afterwards.
        h.Release();
        Interlocked.Decrement(ref NativeGpuDevice.LiveBuffers);
    }
}
