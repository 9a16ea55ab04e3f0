using KernelGen.Interop.Dawn;

namespace KernelGen.Backends.Native;

/// <summary>
/// The device's mapped staging buffers for large host transfers, reused across calls. Uploads go through
/// <c>MapWrite|CopySrc</c> buffers that stay mapped between uses: the caller's data is copied straight into the
/// mapping, the buffer is unmapped, a copy into the destination is submitted, and the buffer is mapped again at once,
/// which Dawn completes once that copy has run. Downloads go through <c>MapRead|CopyDst</c> buffers. This replaces
/// <c>wgpuQueueWriteBuffer</c> for large uploads, where Dawn allocates (and the driver pins) a fresh staging buffer of
/// the transfer's size on every call. Transfers larger than <see cref="ChunkBytes"/> go in chunks, so the staging
/// memory stays bounded (at most <see cref="MaxIdle"/> buffers per direction are kept). Thread-safe: a buffer taken
/// from the ring belongs to one transfer until it is given back.
/// </summary>
internal sealed unsafe class NativeStaging(NativeGpuDevice device)
{
    /// <summary>The largest piece one staging buffer carries (larger transfers go in chunks of this size; tests make it small).</summary>
    internal ulong ChunkBytes { get; set; } = 64UL << 20;

    /// <summary>Staging buffers kept per direction between transfers.</summary>
    internal const int MaxIdle = 3;

    // Live staging buffers of all devices (the leak tests compare them before and after).
    internal static long LiveStagingBuffers;

    private readonly Lock gate = new();
    private readonly List<Entry> idleWrites = [];
    private readonly List<Entry> idleReads = [];
    private bool released;

    /// <summary>Staging buffers kept now (both directions; tests).</summary>
    internal int IdleCount
    {
        get
        {
            lock (gate) return idleWrites.Count + idleReads.Count;
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/> into <paramref name="destination"/> at <paramref name="offset"/> through mapped
    /// staging buffers (offset and length in whole 4-byte words). Returns once the data is out of the caller's span;
    /// the copies are queued in order with earlier submits and do not wait for the device.
    /// </summary>
    public void Write(WGPUBuffer destination, ulong offset, ReadOnlySpan<byte> data)
    {
        var chunk = ChunkBytes;
        for (var done = 0; done < data.Length;)
        {
            var n = (int)Math.Min(chunk, (ulong)(data.Length - done));
            var entry = Take(idleWrites, (ulong)n, write: true);
            try
            {
                var mapped = (byte*)Wgpu.BufferGetMappedRange(entry.Handle, 0, (nuint)entry.Size);
                if (mapped == null) throw new GpuException($"Dawn returned no mapping for a {entry.Size}-byte upload staging buffer.");
                CopyParallel(data.Slice(done, n), new Span<byte>(mapped, n));
                Wgpu.BufferUnmap(entry.Handle);
                entry.Mapped = false;
                SubmitCopy(entry.Handle, 0, destination, offset + (ulong)done, (ulong)n, "a staged upload (copy from a mapped staging buffer)");
                // Mapped again for the next upload; Dawn completes it once the copy above has run.
                entry.StartMap(WGPUMapMode.Write);
            }
            catch
            {
                Discard(entry);
                throw;
            }
            GiveBack(idleWrites, entry);
            done += n;
        }
    }

    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes of <paramref name="source"/> at <paramref name="offset"/> (any
    /// alignment: the covering words are copied). The chunks' copies are all submitted before the first is waited for.
    /// On a failed or timed-out wait the destination keeps what earlier chunks wrote and nothing more is read.
    /// </summary>
    public void Read(WGPUBuffer source, ulong offset, Span<byte> destination)
    {
        var chunk = ChunkBytes;
        var start = offset & ~3UL;
        var lead = (int)(offset - start);
        var total = ((ulong)lead + (ulong)destination.Length + 3) & ~3UL;
        var chunks = (int)((total + chunk - 1) / chunk);
        // At most MaxIdle chunks in flight: enough to overlap the copies with the waits, bounded memory.
        var window = new Entry?[Math.Min(chunks, MaxIdle)];
        var issued = 0;
        try
        {
            for (var c = 0; c < chunks; c++)
            {
                while (issued < chunks && issued < c + window.Length)
                {
                    var at = (ulong)issued * chunk;
                    var size = Math.Min(chunk, total - at);
                    var entry = Take(idleReads, size, write: false);
                    window[issued % window.Length] = entry;
                    SubmitCopy(source, start + at, entry.Handle, 0, size, "a staged download (copy into a mapped staging buffer)");
                    entry.StartMap(WGPUMapMode.Read, size);
                    issued++;
                }
                var e = window[c % window.Length]!;
                e.FinishMap("a buffer download (wgpuBufferMapAsync of its staging buffer)");
                var chunkStart = (ulong)c * chunk;
                var chunkSize = Math.Min(chunk, total - chunkStart);
                var mapped = (byte*)Wgpu.BufferGetConstMappedRange(e.Handle, 0, (nuint)chunkSize);
                if (mapped == null) throw new GpuException($"Dawn returned no mapping for a {chunkSize}-byte download staging buffer.");
                // The chunk's bytes [chunkStart, chunkStart + chunkSize) of the covering range; destination starts at 'lead'.
                var from = c == 0 ? lead : 0;
                var to = (int)Math.Min(chunkSize, (ulong)lead + (ulong)destination.Length - chunkStart);
                var into = (int)(chunkStart + (ulong)from - (ulong)lead);
                CopyParallel(new ReadOnlySpan<byte>(mapped + from, to - from), destination.Slice(into, to - from));
                Wgpu.BufferUnmap(e.Handle);
                e.Mapped = false;
                window[c % window.Length] = null;
                GiveBack(idleReads, e);
            }
        }
        finally
        {
            // A failed chunk: the ones still in flight are dropped (their maps may never complete on a lost device).
            foreach (var e in window)
                if (e is not null) Discard(e);
        }
    }

    /// <summary>Releases every kept staging buffer (device dispose); transfers in progress discard theirs when they end.</summary>
    public void Release()
    {
        List<Entry> all;
        lock (gate)
        {
            released = true;
            all = [.. idleWrites, .. idleReads];
            idleWrites.Clear();
            idleReads.Clear();
        }
        foreach (var e in all) e.Release();
    }

    /// <summary>
    /// A staging buffer of at least <paramref name="bytes"/>: a kept one that is ready (upload: mapped), else a new one
    /// while fewer than <see cref="MaxIdle"/> are kept, else the kept one that fits, waited for.
    /// </summary>
    private Entry Take(List<Entry> idle, ulong bytes, bool write)
    {
        Entry? pick = null;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(released, device);
            var fits = -1;
            for (var i = 0; i < idle.Count; i++)
            {
                var e = idle[i];
                if (e.Size < bytes) continue;
                if (e.IsReady)
                {
                    fits = i;
                    break;
                }
                if (fits < 0 || e.Size < idle[fits].Size) fits = i;
            }
            if (fits >= 0 && (idle[fits].IsReady || idle.Count >= MaxIdle))
            {
                pick = idle[fits];
                idle.RemoveAt(fits);
            }
        }
        if (pick is null)
        {
            var size = (bytes + (1UL << 20) - 1) & ~((1UL << 20) - 1); // whole MiB, so that similar sizes share buffers
            var usage = write ? WGPUBufferUsage.MapWrite | WGPUBufferUsage.CopySrc : WGPUBufferUsage.MapRead | WGPUBufferUsage.CopyDst;
            pick = new Entry(device, device.CreateRawBuffer(size, usage, write ? "KernelGen upload staging" : "KernelGen download staging", mappedAtCreation: write), size) { Mapped = write };
            Interlocked.Increment(ref LiveStagingBuffers);
            return pick;
        }
        try
        {
            pick.FinishMap(write ? "an upload staging buffer to be free again (its earlier copy to finish)" : "a download staging buffer");
            if (!write && pick.Mapped)
            {
                Wgpu.BufferUnmap(pick.Handle);
                pick.Mapped = false;
            }
        }
        catch
        {
            Discard(pick);
            throw;
        }
        return pick;
    }

    /// <summary>Keeps <paramref name="entry"/> for later transfers (the smallest kept one goes when the ring is full).</summary>
    private void GiveBack(List<Entry> idle, Entry entry)
    {
        Entry? drop = null;
        lock (gate)
        {
            if (released)
            {
                drop = entry;
            }
            else
            {
                idle.Add(entry);
                if (idle.Count > MaxIdle)
                {
                    var smallest = 0;
                    for (var i = 1; i < idle.Count; i++)
                        if (idle[i].Size < idle[smallest].Size) smallest = i;
                    drop = idle[smallest];
                    idle.RemoveAt(smallest);
                }
            }
        }
        drop?.Release();
    }

    private static void Discard(Entry entry) => entry.Release();

    private void SubmitCopy(WGPUBuffer from, ulong fromOffset, WGPUBuffer to, ulong toOffset, ulong bytes, string what)
    {
        device.PushErrorScope();
        var encoder = Wgpu.DeviceCreateCommandEncoder(device.Handle, null);
        Wgpu.CommandEncoderCopyBufferToBuffer(encoder, from, fromOffset, to, toOffset, bytes);
        var commands = Wgpu.CommandEncoderFinish(encoder, null);
        Wgpu.QueueSubmit(device.Queue, 1, &commands);
        commands.Release();
        encoder.Release();
        var error = device.PopErrorScope(what);
        if (error != null) throw new GpuValidationException($"Dawn rejected {what} of {bytes} bytes: {error}");
    }

    /// <summary>Copies in parallel pieces of 4 MiB when the copy is large (one thread copies about 5-10 GB/s).</summary>
    internal static void CopyParallel(ReadOnlySpan<byte> from, Span<byte> to)
    {
        const int piece = 4 << 20;
        if (from.Length < 2 * piece || Environment.ProcessorCount < 2)
        {
            from.CopyTo(to);
            return;
        }
        fixed (byte* f = from)
        fixed (byte* t = to)
        {
            var src = (nint)f;
            var dst = (nint)t;
            var length = from.Length;
            var pieces = (length + piece - 1) / piece;
            Parallel.For(0, pieces, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(8, Environment.ProcessorCount) }, i =>
            {
                var at = (long)i * piece;
                var n = (int)Math.Min(piece, length - at);
                Buffer.MemoryCopy((void*)(src + (nint)at), (void*)(dst + (nint)at), n, n);
            });
        }
    }

    /// <summary>One staging buffer and its pending map (the callback's <see cref="DawnCall"/>, which holds the future).</summary>
    private sealed class Entry(NativeGpuDevice device, WGPUBuffer handle, ulong size)
    {
        private DawnCall? call;
        private int releasedFlag;

        public WGPUBuffer Handle { get; } = handle;

        public ulong Size { get; } = size;

        /// <summary>True while the buffer is mapped (its range may be read or written).</summary>
        public bool Mapped { get; set; }

        /// <summary>Usable without a wait: no map pending, or the pending one has completed (checked without blocking).</summary>
        public bool IsReady => call is null || call.Done || call.TryComplete(NativeInstance.Handle);

        public void StartMap(WGPUMapMode mode, ulong bytes = 0)
        {
            var c = DawnCall.Start(DawnCallbackKind.Status);
            c.Future = Wgpu.BufferMapAsync(Handle, mode, 0, (nuint)(bytes == 0 ? Size : bytes), c.Info);
            call = c;
        }

        /// <summary>Waits for the pending map (if any); throws when it times out (the device is then lost) or fails.</summary>
        public void FinishMap(string what)
        {
            if (call is not { } c) return;
            if (!c.Done) device.Wait(c, c.Future, what);
            call = null;
            if (c.Status != WGPUStatus.Success)
            {
                device.ThrowIfUnusable();
                throw new GpuValidationException($"Mapping a staging buffer for {what} failed with status {c.Status}: {c.Message}");
            }
            Mapped = true;
        }

        /// <summary>
        /// Releases the buffer once (Dawn unmaps it and aborts a pending map; a late callback finds its call alive).
        /// After a timed-out wait nothing is released: the device and its objects are abandoned (see NativeGpuDevice.Wait).
        /// </summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref releasedFlag, 1) != 0) return;
            Interlocked.Decrement(ref LiveStagingBuffers);
            if (device.TimedOut) return;
            Handle.Release();
            // A pending map is aborted by the release: collect its callback now, so that its handle is freed.
            if (call is { Done: false } c) c.TryComplete(NativeInstance.Handle);
        }
    }
}
