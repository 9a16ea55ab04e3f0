using KernelGen.Samples.EfficientNet.Layers;

namespace KernelGen.Samples.EfficientNet.Model;

/// <summary>
/// EfficientNet-B0 inference on a <see cref="GpuDevice"/>, composed from the generated dispatch stubs
/// of the [Kernel] layers. Weights (BatchNorm folded) are uploaded once; activation buffers are
/// allocated and the forward pass captured as a <see cref="GpuGraph"/> once per batch size, so an
/// inference is an upload, one graph replay (one submit) and a download, and allocates no device memory.
/// Not thread-safe: use one instance per thread.
/// </summary>
public sealed partial class EfficientNetB0 : IDisposable
{
    private readonly GpuStream stream;
    private readonly DeviceLayer stem;
    private readonly GpuBuffer<System.Numerics.Vector4> stemWide;
    private readonly DeviceBlock[] blocks;
    private readonly DeviceLayer head;
    private readonly DeviceLayer classifier;
    private readonly GpuBuffer<float> unused;
    private readonly Dictionary<int, BatchBuffers> batches = [];
    private readonly List<GpuBuffer> owned = [];
    private readonly IProgress<string>? progress;
    private bool disposed;

    /// <summary>Uploads <paramref name="weights"/> to <paramref name="device"/>.</summary>
    /// <param name="device">The device to run on (native WebGPU or the CPU backend).</param>
    /// <param name="weights">Validated, folded weights.</param>
    /// <param name="progress">Receives one line per uploaded stage, or null.</param>
    /// <param name="plan">
    /// How the <see cref="ExecutionPlan"/> of each batch size is made (tuning, forced kernels); null: from the device's
    /// type and limits, untuned.
    /// </param>
    public EfficientNetB0(GpuDevice device, EfficientNetB0Weights weights, IProgress<string>? progress = null, ExecutionPlanOptions? plan = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(weights);
        Device = device;
        PlanOptions = plan ?? new ExecutionPlanOptions();
        this.progress = progress;
        try
        {
            stem = Upload(weights.Stem);
            stemWide = Device.Upload<System.Numerics.Vector4>(DenseConvolution.WideWeights(weights.Stem.Weight, EfficientNetB0Config.StemChannels,
                EfficientNetB0Config.InputChannels * 3 * 3));
            owned.Add(stemWide);
            blocks = new DeviceBlock[weights.Blocks.Count];
            for (int i = 0; i < blocks.Length; i++)
            {
                MBConvBlockWeights b = weights.Blocks[i];
                blocks[i] = new DeviceBlock(
                    b.Spec,
                    b.Expansion is null ? null : Upload(b.Expansion),
                    Upload(b.Depthwise),
                    Upload(b.SqueezeReduce),
                    Upload(b.SqueezeExpand),
                    Upload(b.Projection));
            }
            head = Upload(weights.Head);
            classifier = Upload(weights.Classifier);
            unused = Own(device.Allocate<float>(4));
            stream = device.CreateStream();
            progress?.Report($"Uploaded {owned.Count - 1} weight buffers ({owned.Sum(b => b.SizeInBytes) / 1e6:F1} MB) to {device.Info.Device}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// The largest batch one pass can take: its largest buffer (an activation, <see cref="LargestActivationPerImage"/>
    /// floats per image) must fit the device's <c>maxStorageBufferBindingSize</c> and <c>maxBufferSize</c>, and 2 GiB.
    /// <see cref="Forward(ReadOnlySpan{float}, int, Span{float})"/> splits larger batches into passes of this size.
    /// </summary>
    public int MaxBatch
    {
        get
        {
            ulong limit = Math.Min(Math.Min(Device.Limits.MaxStorageBufferBindingSize, Device.Limits.MaxBufferSize), int.MaxValue);
            return (int)Math.Min((ulong)BatchLimit, Math.Max(1UL, limit / ((ulong)LargestActivationPerImage * sizeof(float))));
        }
    }

    /// <summary>A lower cap on <see cref="MaxBatch"/>, so that tests can exercise the splitting on a backend with large limits.</summary>
    internal int BatchLimit { get; set; } = int.MaxValue;

    /// <summary>The device the network runs on.</summary>
    public GpuDevice Device { get; }

    /// <summary>How the execution plans are made.</summary>
    public ExecutionPlanOptions PlanOptions { get; }

    /// <summary>
    /// The execution plan of a batch size: made (and tuned, with <see cref="ExecutionPlanOptions.Tune"/>) when the batch size
    /// is first prepared, together with its buffers and captured forward pass.
    /// </summary>
    public ExecutionPlan PlanFor(int batch) => BuffersFor(batch).Plan;

    /// <summary>Floats in one input image (<c>3 * 224 * 224</c>).</summary>
    public const int InputSize = EfficientNetB0Config.InputChannels * EfficientNetB0Config.ImageSize * EfficientNetB0Config.ImageSize;

    /// <summary>Runs <paramref name="batch"/> preprocessed NCHW images and returns their <c>[batch, 1000]</c> logits.</summary>
    public float[] Forward(ReadOnlySpan<float> input, int batch)
    {
        float[] logits = new float[batch * EfficientNetB0Config.Classes];
        Forward(input, batch, logits);
        return logits;
    }

    /// <summary>Runs <paramref name="batch"/> preprocessed NCHW images, writing <c>[batch, 1000]</c> logits.</summary>
    /// <exception cref="ArgumentException">The spans do not hold exactly <paramref name="batch"/> images / logit rows.</exception>
    public void Forward(ReadOnlySpan<float> input, int batch, Span<float> logits)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (input.Length != batch * InputSize)
            throw new ArgumentException($"Expected {batch} x 3 x 224 x 224 = {batch * InputSize} input values, got {input.Length}.", nameof(input));
        if (logits.Length != batch * EfficientNetB0Config.Classes)
            throw new ArgumentException($"Expected room for {batch} x 1000 logits, got {logits.Length}.", nameof(logits));

        // Batches beyond the device's buffer limits run as several passes.
        int max = MaxBatch;
        for (int done = 0; done < batch; done += max)
        {
            int n = Math.Min(max, batch - done);
            BatchBuffers buffers = BuffersFor(n);
            buffers.Input.Upload(input.Slice(done * InputSize, n * InputSize));
            Run(n);
            // No Synchronize: the download's copy is queued behind the pass and waits for it (one wait, not two).
            buffers.Logits.Download(logits.Slice(done * EfficientNetB0Config.Classes, n * EfficientNetB0Config.Classes));
        }
    }

    /// <summary>
    /// Runs <paramref name="batch"/> preprocessed NCHW images, writing <c>[batch, 1000]</c> logits, without blocking:
    /// waits with <see cref="GpuStream.SynchronizeAsync"/> and reads with <see cref="GpuBuffer{T}.DownloadAsync"/>, so
    /// it also runs in the browser (where <see cref="Forward(ReadOnlySpan{float}, int, Span{float})"/> cannot wait).
    /// </summary>
    /// <exception cref="ArgumentException">The buffers do not hold exactly <paramref name="batch"/> images / logit rows.</exception>
    public async Task ForwardAsync(ReadOnlyMemory<float> input, int batch, Memory<float> logits)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (input.Length != batch * InputSize)
            throw new ArgumentException($"Expected {batch} x 3 x 224 x 224 = {batch * InputSize} input values, got {input.Length}.", nameof(input));
        if (logits.Length != batch * EfficientNetB0Config.Classes)
            throw new ArgumentException($"Expected room for {batch} x 1000 logits, got {logits.Length}.", nameof(logits));

        int max = MaxBatch;
        for (int done = 0; done < batch; done += max)
        {
            int n = Math.Min(max, batch - done);
            BatchBuffers buffers = BuffersFor(n);
            buffers.Input.Upload(input.Span.Slice(done * InputSize, n * InputSize));
            buffers.Graph.Replay();
            await stream.SynchronizeAsync().ConfigureAwait(true);
            await buffers.Logits.DownloadAsync(logits.Slice(done * EfficientNetB0Config.Classes, n * EfficientNetB0Config.Classes)).ConfigureAwait(true);
        }
    }

    /// <summary>
    /// Submits one forward pass over the batch's device input buffer without waiting (no upload, no
    /// download): the whole network is one replay of a captured graph, so one submit. For timing the
    /// device work alone; follow with <see cref="Synchronize"/>.
    /// </summary>
    public void Run(int batch)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        BatchBuffers buffers = BuffersFor(batch);
        buffers.Graph.Replay();
    }

    /// <summary>Waits until the submitted forward passes have finished.</summary>
    public void Synchronize() => stream.Synchronize();

    /// <summary>Number of dispatches in one forward pass.</summary>
    public int DispatchesPerForward(int batch)
    {
        BatchBuffers buffers = BuffersFor(batch);
        return buffers.Graph.DispatchCount;
    }

    /// <summary>
    /// The kernels of this assembly's generated catalog that take no specialisation constants, which <see cref="CompilePipelines"/>
    /// compiles ahead of time. The specialised ones (<see cref="Layers.PointwiseConvolution"/>, <see cref="Layers.DepthwiseConvolution"/>)
    /// get one pipeline per constant set the plan picks, compiled when the plan first records it (tuning or the first pass).
    /// </summary>
    public static IReadOnlyList<KernelInfo> Kernels { get; } = KernelGen.Generated.KernelCatalog.All.Where(k => k.SpecializationConstants.IsEmpty).ToList();

    /// <summary>
    /// Compiles every kernel's pipeline now (natively: WGSL shader module and compute pipeline), so that
    /// the first forward pass does not pay for it. Nothing to do on the CPU backend.
    /// </summary>
    /// <exception cref="GpuCompilationException">The device rejected a kernel's WGSL (the message names the kernel).</exception>
    public void CompilePipelines() => Device.Compile(Kernels);

    /// <summary>Compiles every kernel's pipeline and completes once the device has checked them (in the browser, WGSL errors arrive asynchronously).</summary>
    /// <exception cref="GpuCompilationException">The device rejected a kernel's WGSL (the message names the kernel).</exception>
    public Task CompilePipelinesAsync() => Device.CompileAsync(Kernels);

    /// <summary>Measures every following dispatch (needs the adapter's timestamp-query feature); see <see cref="Timings"/>.</summary>
    /// <exception cref="NotSupportedException">The adapter cannot time dispatches.</exception>
    public void EnableProfiling() => stream.EnableProfiling();

    /// <summary>Per-dispatch times of the last forward pass, when profiling is enabled.</summary>
    public IReadOnlyList<KernelTiming> Timings => stream.Timings;

    /// <summary>Allocates (once) the activation buffers for a batch size, so that later calls allocate nothing.</summary>
    public void Prepare(int batch) => BuffersFor(batch);

    private BatchBuffers BuffersFor(int batch)
    {
        if (batches.TryGetValue(batch, out BatchBuffers? existing))
            return existing;
        if (batch > MaxBatch)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} exceeds the {MaxBatch} images whose activations fit one buffer on {Device.Info.Device}; Forward splits larger batches.");
        // The largest activation of any layer, per image, sizes the three rotating buffers.
        long largest = LargestActivationPerImage;
        int widest = EfficientNetB0Config.HeadChannels;
        foreach (DeviceBlock b in blocks)
            widest = Math.Max(widest, b.Spec.ExpandedChannels);
        int maxSqueeze = blocks.Max(b => b.Spec.SqueezeChannels);
        if (largest * batch > int.MaxValue / 4)
            throw new ArgumentOutOfRangeException(nameof(batch), $"Batch {batch} needs activation buffers larger than 2 GiB.");

        var buffers = new BatchBuffers(
            batch,
            Own(Device.Allocate<float>(batch * InputSize)),
            [Own(Device.Allocate<float>((int)(largest * batch))), Own(Device.Allocate<float>((int)(largest * batch))), Own(Device.Allocate<float>((int)(largest * batch)))],
            Own(Device.Allocate<float>(batch * widest)),
            Own(Device.Allocate<float>(batch * maxSqueeze)),
            Own(Device.Allocate<float>(batch * widest)),
            Own(Device.Allocate<float>(batch * EfficientNetB0Config.Classes)));
        List<Step> steps = Steps(buffers);
        long scratch = steps.Max(st => st.ScratchFloats(this));
        buffers.Partial = scratch > 0 ? Own(Device.Allocate<float>(checked((int)scratch))) : unused;
        long deferred = steps.Max(st => st.DeferredFloats(this));
        buffers.Deferred = deferred > 0
            ? [Own(Device.Allocate<float>(checked((int)deferred))), Own(Device.Allocate<float>(checked((int)deferred)))]
            : [unused, unused];
        long poolPartials = steps.OfType<DepthwiseStep>().Max(st => st.PartialFloats);
        buffers.PoolPartials = Own(Device.Allocate<float>(checked((int)poolPartials)));
        buffers.Plan = Plan(steps, batch);
        // The whole forward pass is captured once per batch size (bind groups and uniforms prebuilt);
        // an inference replays it as one submit.
        buffers.Graph = stream.Capture(s =>
        {
            foreach (Step st in steps) st.Record(this, s, st.Chosen!);
        });
        batches.Add(batch, buffers);
        return buffers;
    }

    /// <summary>Floats of the largest activation of any layer, per image; it sizes the three rotating buffers.</summary>
    public static long LargestActivationPerImage
    {
        get
        {
            int h = EfficientNetB0Config.ConvOutputSize(EfficientNetB0Config.ImageSize, 3, 2);
            long largest = (long)EfficientNetB0Config.StemChannels * h * h;
            foreach (MBConvBlockSpec b in EfficientNetB0Config.Blocks)
            {
                largest = Math.Max(largest, (long)b.ExpandedChannels * h * h);
                h = EfficientNetB0Config.ConvOutputSize(h, b.KernelSize, b.Stride);
            }
            return Math.Max(largest, (long)EfficientNetB0Config.HeadChannels * h * h);
        }
    }

    private DeviceLayer Upload(FoldedLayer layer) => new(Own(Device.Upload<float>(layer.Weight)), Own(Device.Upload<float>(layer.Bias)));

    private GpuBuffer<float> Own(GpuBuffer<float> buffer)
    {
        owned.Add(buffer);
        return buffer;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (BatchBuffers b in batches.Values) b.Graph?.Dispose();
        stream?.Dispose();
        foreach (GpuBuffer b in owned) b.Dispose();
        owned.Clear();
        batches.Clear();
    }

    private sealed record DeviceLayer(GpuBuffer<float> Weight, GpuBuffer<float> Bias);

    private sealed record DeviceBlock(MBConvBlockSpec Spec, DeviceLayer? Expansion, DeviceLayer Depthwise, DeviceLayer SqueezeReduce, DeviceLayer SqueezeExpand, DeviceLayer Projection);

    private sealed record BatchBuffers(int Batch, GpuBuffer<float> Input, GpuBuffer<float>[] Ping, GpuBuffer<float> Pooled, GpuBuffer<float> Squeezed, GpuBuffer<float> Gate, GpuBuffer<float> Logits)
    {
        /// <summary>The captured forward pass over these buffers.</summary>
        public GpuGraph Graph { get; set; } = null!;

        /// <summary>Split-K partial sums (the largest any candidate needs), or the unused buffer.</summary>
        public GpuBuffer<float> Partial { get; set; } = null!;

        /// <summary>Two buffers of split-K partial sums that projections leave to their consumers (alternating), or the unused buffer twice.</summary>
        public GpuBuffer<float>[] Deferred { get; set; } = null!;

        /// <summary>The squeeze-excitation pool's partial sums written by a depthwise epilogue (the largest block's).</summary>
        public GpuBuffer<float> PoolPartials { get; set; } = null!;

        /// <summary>The plan the graph was recorded from.</summary>
        public ExecutionPlan Plan { get; set; } = null!;
    }
}
