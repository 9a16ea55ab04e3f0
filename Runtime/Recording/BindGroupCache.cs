namespace KernelGen;

/// <summary>A cached bind group as a buffer knows it: releasing the buffer releases the groups that bind it.</summary>
internal interface ICachedBindGroup
{
    void Release();
}

/// <summary>
/// The bind groups of one device, keyed by (pipeline, storage buffers in binding order, uniform buffer): each is made
/// once, on its first dispatch, and dies with the first buffer it binds (<see cref="BufferStorage.ReleaseBindGroups"/>)
/// or with the device (<see cref="Clear"/>). <typeparamref name="THandle"/> is the backend's handle (Dawn's bind group,
/// the browser's id). Not thread-safe: the device locks around it.
/// </summary>
internal sealed class BindGroupCache<THandle>(Func<CompiledPipeline, BufferStorage[], THandle> create, Action<THandle> release) where THandle : struct
{
    private readonly Dictionary<ulong, Entry> entries = [];
    private readonly Action<THandle> releaseHandle = release;

    /// <summary>Bind groups alive in the cache.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// The bind group of these buffers for <paramref name="pipeline"/>, created on first use; the uniform buffer (when the
    /// kernel has a uniform block) is bound last.
    /// </summary>
    public THandle Get(CompiledPipeline pipeline, ReadOnlySpan<GpuBuffer> buffers, BufferStorage? uniforms)
    {
        var hash = (ulong)pipeline.Id * 0x9E3779B97F4A7C15UL;
        foreach (var b in buffers) hash = (hash ^ (ulong)b.RawStorage.Id) * 0x100000001B3UL;
        if (uniforms != null) hash = (hash ^ (ulong)uniforms.Id) * 0x100000001B3UL;
        entries.TryGetValue(hash, out var head);
        for (var e = head; e != null; e = e.Next)
            if (e.Matches(pipeline, buffers, uniforms)) return e.Handle;

        var storages = new BufferStorage[buffers.Length + (uniforms is null ? 0 : 1)];
        for (var i = 0; i < buffers.Length; i++) storages[i] = buffers[i].RawStorage;
        if (uniforms != null) storages[^1] = uniforms;
        var created = new Entry(this, pipeline, hash, create(pipeline, storages), storages) { Next = head };
        entries[hash] = created;
        Count++;
        foreach (var s in storages) s.AddBindGroup(created);
        return created.Handle;
    }

    /// <summary>Releases every cached bind group.</summary>
    public void Clear()
    {
        foreach (var head in entries.Values.ToList())
        {
            for (var e = head; e != null;)
            {
                var next = e.Next;
                e.Release();
                e = next;
            }
        }
        entries.Clear();
    }

    private void Forget(Entry entry)
    {
        if (!entries.TryGetValue(entry.Hash, out var head)) return;
        Count--;
        if (ReferenceEquals(head, entry))
        {
            if (entry.Next is null) entries.Remove(entry.Hash);
            else entries[entry.Hash] = entry.Next;
            return;
        }
        for (var e = head; e.Next != null; e = e.Next)
        {
            if (!ReferenceEquals(e.Next, entry)) continue;
            e.Next = entry.Next;
            return;
        }
    }

    private sealed class Entry(BindGroupCache<THandle> cache, CompiledPipeline pipeline, ulong hash, THandle handle, BufferStorage[] storages) : ICachedBindGroup
    {
        private bool released;

        public ulong Hash { get; } = hash;

        public THandle Handle { get; } = handle;

        public Entry? Next { get; set; }

        public bool Matches(CompiledPipeline p, ReadOnlySpan<GpuBuffer> buffers, BufferStorage? uniforms)
        {
            if (!ReferenceEquals(pipeline, p) || storages.Length != buffers.Length + (uniforms is null ? 0 : 1)) return false;
            for (var i = 0; i < buffers.Length; i++)
                if (!ReferenceEquals(storages[i], buffers[i].RawStorage)) return false;
            return uniforms is null || ReferenceEquals(storages[^1], uniforms);
        }

        /// <summary>Unlinks from the cache and from the other buffers, then releases the backend's bind group.</summary>
        public void Release()
        {
            if (released) return;
            released = true;
            cache.Forget(this);
            foreach (var s in storages) s.RemoveBindGroup(this);
            cache.releaseHandle(Handle);
        }
    }
}
