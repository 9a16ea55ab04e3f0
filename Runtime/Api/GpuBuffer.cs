using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen;

/// <summary>A buffer on a device (the untyped view the dispatch contract uses).</summary>
public abstract class GpuBuffer : IDisposable
{
    private readonly BufferStorage storage;

    private protected GpuBuffer(BufferStorage storage, int length)
    {
        this.storage = storage;
        Length = length;
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The element type.</summary>
    public abstract Type ElementType { get; }

    /// <summary>Bytes per element.</summary>
    public abstract int ElementSize { get; }

    /// <summary>Size in bytes (<see cref="Length"/> x <see cref="ElementSize"/>).</summary>
    public long SizeInBytes => storage.SizeInBytes;

    /// <summary>The device the buffer lives on.</summary>
    public GpuDevice Device => storage.Device;

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => storage.IsReleased;

    /// <summary>The backend memory; throws when disposed.</summary>
    internal BufferStorage Storage
    {
        get
        {
            ObjectDisposedException.ThrowIf(storage.IsReleased, this);
            return storage;
        }
    }

    /// <summary>The backend memory even when released (for checks).</summary>
    internal BufferStorage RawStorage => storage;

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the device memory (once).</summary>
    protected virtual void Dispose(bool disposing) => storage.Release(fromFinalizer: !disposing);

    /// <summary>Finalizer guard: a forgotten buffer still releases its memory.</summary>
    ~GpuBuffer() => Dispose(false);

    /// <inheritdoc/>
    public override string ToString() => $"GpuBuffer<{ElementType.Name}>[{Length}]";
}

/// <summary>A typed buffer of <typeparamref name="T"/> on a device.</summary>
public sealed class GpuBuffer<T> : GpuBuffer where T : unmanaged
{
    internal GpuBuffer(BufferStorage storage, int length) : base(storage, length) { }

    /// <inheritdoc/>
    public override Type ElementType => typeof(T);

    /// <inheritdoc/>
    public override int ElementSize => Unsafe.SizeOf<T>();

    /// <summary>Copies <paramref name="data"/> into the buffer starting at element <paramref name="offset"/>.</summary>
    public void Upload(ReadOnlySpan<T> data, int offset = 0)
    {
        CheckRange(offset, data.Length, nameof(data));
        var s = Storage;
        using var call = s.Device.EnterCall();
        s.Device.ThrowIfUnusable();
        s.LastStream?.SubmitIfPending();
        s.Write((long)offset * ElementSize, MemoryMarshal.AsBytes(data));
    }

    /// <summary>Copies the buffer, starting at element <paramref name="offset"/>, into <paramref name="destination"/>.</summary>
    /// <remarks>Dispatches recorded on a stream that used this buffer and not yet submitted are submitted first.</remarks>
    public void Download(Span<T> destination, int offset = 0)
    {
        CheckRange(offset, destination.Length, nameof(destination));
        var s = Storage;
        using var call = s.Device.EnterCall();
        s.Device.ThrowIfUnusable();
        s.LastStream?.SubmitIfPending();
        s.Read((long)offset * ElementSize, MemoryMarshal.AsBytes(destination));
    }

    /// <summary>The buffer's contents as a new array.</summary>
    public T[] ToArray()
    {
        var result = new T[Length];
        Download(result);
        return result;
    }

    /// <summary>
    /// Copies the buffer, starting at element <paramref name="offset"/>, into <paramref name="destination"/> without
    /// blocking where the backend reads asynchronously (the browser); elsewhere it is <see cref="Download"/>.
    /// </summary>
    /// <remarks>Dispatches recorded on a stream that used this buffer and not yet submitted are submitted first.</remarks>
    public async Task DownloadAsync(Memory<T> destination, int offset = 0)
    {
        CheckRange(offset, destination.Length, nameof(destination));
        var s = Storage;
        if (!s.ReadsAsynchronously)
        {
            Download(destination.Span, offset);
            return;
        }
        s.Device.ThrowIfUnusable();
        s.LastStream?.SubmitIfPending();
        using var readback = await s.ReadAsync((long)offset * ElementSize, checked(destination.Length * ElementSize)).ConfigureAwait(true);
        readback.CopyTo(MemoryMarshal.AsBytes(destination.Span));
    }

    /// <summary>The buffer's contents as a new array, read without blocking where the backend reads asynchronously (the browser).</summary>
    public async Task<T[]> ToArrayAsync()
    {
        var result = new T[Length];
        await DownloadAsync(result).ConfigureAwait(true);
        return result;
    }

    private void CheckRange(int offset, int count, string name)
    {
        if (offset < 0 || (long)offset + count > Length)
            throw new ArgumentOutOfRangeException(name, $"{count} elements at offset {offset} do not fit in a buffer of {Length} {typeof(T).Name}.");
    }
}
