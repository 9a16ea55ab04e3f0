namespace KernelGen;

/// <summary>
/// A kernel compiled for one device with one set of override constants: what a recorded dispatch names. Each
/// backend derives its own (Dawn's pipeline and layout, the browser's pipeline id, the CPU's kernel body).
/// </summary>
internal abstract class CompiledPipeline(KernelInfo kernel, PipelineConstants constants)
{
    private static long nextId;

    public KernelInfo Kernel { get; } = kernel;

    /// <summary>The values given to the kernel's WGSL override constants.</summary>
    public PipelineConstants Constants { get; } = constants;

    /// <summary>Unique in the process (cache keys).</summary>
    public long Id { get; } = Interlocked.Increment(ref nextId);

    /// <summary>Releases what the backend made for the pipeline (called once, by the owning cache).</summary>
    public virtual void Release() { }
}

/// <summary>
/// The pipelines of one device, keyed by <see cref="PipelineKey"/> (kernel by reference, override constants by value):
/// each is created once, on first use or ahead of it (<see cref="GpuDevice.Compile(KernelInfo)"/>). Thread-safe.
/// </summary>
internal sealed class PipelineCache<TPipeline>(Func<KernelInfo, PipelineConstants, TPipeline> create) where TPipeline : CompiledPipeline
{
    private readonly Lock gate = new();
    private readonly Dictionary<PipelineKey, TPipeline> pipelines = [];

    public int Count
    {
        get
        {
            lock (gate) return pipelines.Count;
        }
    }

    /// <summary>The pipeline of <paramref name="kernel"/> with <paramref name="constants"/>, created on first use (creation errors propagate and nothing is cached).</summary>
    public TPipeline Get(KernelInfo kernel, PipelineConstants constants)
    {
        var key = new PipelineKey(kernel, constants);
        lock (gate)
        {
            if (pipelines.TryGetValue(key, out var pipeline)) return pipeline;
            pipeline = create(kernel, constants);
            pipelines.Add(key, pipeline);
            return pipeline;
        }
    }

    /// <summary>Releases every pipeline (the device's release).</summary>
    public void Clear()
    {
        lock (gate)
        {
            foreach (var p in pipelines.Values) p.Release();
            pipelines.Clear();
        }
    }
}

/// <summary>
/// Releases wanted by finalizers (a forgotten buffer, stream or graph), run later on a thread that uses the device:
/// native objects are never released on the finalizer thread. Thread-safe.
/// </summary>
internal sealed class DeferredReleases
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> queue = new();

    public bool IsEmpty => queue.IsEmpty;

    public void Defer(Action release) => queue.Enqueue(release);

    /// <summary>Runs the releases queued so far (at the next call into the device).</summary>
    public void Run()
    {
        while (queue.TryDequeue(out var release)) release();
    }

    /// <summary>Drops them (the device itself is going, and everything on it with it).</summary>
    public void Clear() => queue.Clear();
}
