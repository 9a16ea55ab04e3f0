namespace KernelGen;

/// <summary>The backend's memory behind a <see cref="GpuBuffer"/>: released exactly once.</summary>
internal abstract class BufferStorage
{
    private static long nextId;
    private int released;

    protected BufferStorage(GpuDevice device, long sizeInBytes)
    {
        Device = device;
        SizeInBytes = sizeInBytes;
        Id = Interlocked.Increment(ref nextId);
    }

    /// <summary>The owning device.</summary>
    public GpuDevice Device { get; }

    /// <summary>Requested size in bytes.</summary>
    public long SizeInBytes { get; }

    /// <summary>Unique id (cache keys).</summary>
    public long Id { get; }

    /// <summary>True once released.</summary>
    public bool IsReleased => Volatile.Read(ref released) != 0;

    /// <summary>The stream that last recorded a dispatch using this buffer (to submit it before a transfer).</summary>
    public GpuStream? LastStream { get; set; }

    public abstract void Write(long offset, ReadOnlySpan<byte> data);

    public abstract void Read(long offset, Span<byte> destination);

    /// <summary>True when the memory can only be read asynchronously (the browser backend): <see cref="Read"/> throws.</summary>
    public virtual bool ReadsAsynchronously => false;

    /// <summary>Starts reading <paramref name="length"/> bytes at <paramref name="offset"/>; the result copies them out once.</summary>
    public virtual Task<BufferReadback> ReadAsync(long offset, int length)
    {
        var bytes = new byte[length];
        Read(offset, bytes);
        return Task.FromResult<BufferReadback>(new ArrayReadback(bytes));
    }

    /// <summary>
    /// Releases the memory once; from a finalizer the release is deferred to the device's thread. While a stream holds
    /// recorded work that uses the buffer (<see cref="HoldForSubmit"/>), the buffer counts as disposed at once and its
    /// memory is released right after that work is submitted, so disposing a buffer after recording with it is safe.
    /// </summary>
    public void Release(bool fromFinalizer)
    {
        if (Interlocked.Exchange(ref released, 1) != 0) return;
        if (Volatile.Read(ref holds) > 0)
        {
            Volatile.Write(ref releaseWaits, 1);
            // The last hold may have ended between the two reads: then nobody else will release.
            if (Volatile.Read(ref holds) > 0 || Interlocked.CompareExchange(ref releaseWaits, 2, 1) != 1) return;
        }
        ReleaseCore(fromFinalizer);
    }

    private int holds;
    private int releaseWaits; // 1: a release waits for the holds to end; 2: done

    /// <summary>A stream recorded work that uses this buffer (ends at its submit).</summary>
    internal void HoldForSubmit() => Interlocked.Increment(ref holds);

    /// <summary>The recorded work was submitted: a release that waited for it runs now.</summary>
    internal void EndHoldForSubmit()
    {
        if (Interlocked.Decrement(ref holds) == 0 && Volatile.Read(ref releaseWaits) == 1 && Interlocked.CompareExchange(ref releaseWaits, 2, 1) == 1)
            ReleaseCore(fromFinalizer: false);
    }

    private List<ICachedBindGroup>? bindGroups;

    /// <summary>Records that a cached bind group binds this buffer (under the device's cache lock).</summary>
    internal void AddBindGroup(ICachedBindGroup group) => (bindGroups ??= []).Add(group);

    internal void RemoveBindGroup(ICachedBindGroup group) => bindGroups?.Remove(group);

    /// <summary>Releases every cached bind group that binds this buffer (under the device's cache lock).</summary>
    internal void ReleaseBindGroups()
    {
        if (bindGroups is null) return;
        for (var i = bindGroups.Count - 1; i >= 0; i--)
        {
            if (i < bindGroups.Count) bindGroups[i].Release();
        }
        bindGroups.Clear();
    }

    protected abstract void ReleaseCore(bool fromFinalizer);

    private sealed class ArrayReadback(byte[] bytes) : BufferReadback
    {
        public override void CopyTo(Span<byte> destination) => bytes.CopyTo(destination);

        public override void Dispose() { }
    }
}

/// <summary>Bytes read from a buffer, waiting to be copied into managed memory (once).</summary>
internal abstract class BufferReadback : IDisposable
{
    /// <summary>Copies the bytes read into <paramref name="destination"/> (exactly their length).</summary>
    public abstract void CopyTo(Span<byte> destination);

    /// <inheritdoc/>
    public abstract void Dispose();
}
