using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>A Dawn buffer; knows the cached bind groups that reference it so they die with it.</summary>
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

    /// <summary>Cached bind groups referencing this buffer (guarded by the device's cache lock).</summary>
    public List<CachedBindGroup> BindGroups { get; } = [];

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

    /// <summary>Releases every cached bind group that uses this buffer (caller holds the cache lock).</summary>
    public void ReleaseBindGroups()
    {
        for (var i = BindGroups.Count - 1; i >= 0; i--) BindGroups[i].Release();
        BindGroups.Clear();
    }

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

/// <summary>A bind group in a pipeline's cache, keyed by the ids of the buffers it binds.</summary>
internal sealed class CachedBindGroup(NativePipeline pipeline, ulong hash, WGPUBindGroup handle, NativeBufferStorage[] storages)
{
    public ulong Hash { get; } = hash;

    public WGPUBindGroup Handle { get; private set; } = handle;

    public NativeBufferStorage[] Storages { get; } = storages;

    /// <summary>The next entry with the same hash.</summary>
    public CachedBindGroup? Next { get; set; }

    public bool Matches(ReadOnlySpan<GpuBuffer> buffers, NativeBufferStorage? uniforms)
    {
        var count = buffers.Length + (uniforms is null ? 0 : 1);
        if (Storages.Length != count) return false;
        for (var i = 0; i < buffers.Length; i++)
            if (!ReferenceEquals(Storages[i], buffers[i].RawStorage)) return false;
        return uniforms is null || ReferenceEquals(Storages[^1], uniforms);
    }

    /// <summary>Unlinks from the pipeline's cache and from the other buffers, then releases the native bind group.</summary>
    public void Release()
    {
        if (Handle.IsNull) return;
        pipeline.Forget(this);
        foreach (var s in Storages) s.BindGroups.Remove(this);
        Handle.Release();
        Interlocked.Decrement(ref NativeGpuDevice.LiveBindGroups);
        Handle = default;
    }
}
