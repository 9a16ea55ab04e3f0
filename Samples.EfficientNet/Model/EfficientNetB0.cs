using KernelGen.Samples.EfficientNet.Layers;

namespace KernelGen.Samples.EfficientNet.Model;

/// <summary>
/// EfficientNet-B0 inference on a <see cref="GpuDevice"/>, composed from the generated dispatch stubs
/// of the [Kernel] layers. Weights (BatchNorm folded) are uploaded once; activation buffers are
/// allocated and the forward pass captured as a <see cref="GpuGraph"/> once per batch size, so an
/// inference is an upload, one graph replay (one submit) and a download, and allocates no device memory.
/// Not thread-safe: use one instance per thread.
/// </summary>
public sealed class EfficientNetB0 : IDisposable
{
    private readonly GpuStream stream;
    private readonly DeviceLayer stem;
    private readonly DeviceBlock[] blocks;
    private readonly DeviceLayer head;
    private readonly DeviceLayer classifier;
    private readonly GpuBuffer<float> unused;
    private readonly Dictionary<int, BatchBuffers> batches = [];
    private readonly List<GpuBuffer> owned = [];
    private bool disposed;

    /// <summary>Uploads <paramref name="weights"/> to <paramref name="device"/>.</summary>
    /// <param name="device">The device to run on (native WebGPU or the CPU backend).</param>
    /// <param name="weights">Validated, folded weights.</param>
    /// <param name="progress">Receives one line per uploaded stage, or null.</param>
    /// <param name="workgroupReductions">
    /// Pool and squeeze-excitation strategy: true = one workgroup per (channel, image) for the pool and one
    /// fused squeeze-excitation dispatch per block (best on GPUs, where a serial loop per invocation leaves
    /// the device idle); false = one invocation per channel and two fully connected dispatches (best on
    /// software adapters, where workgroup barriers are expensive); null = chosen from the adapter type.
    /// </param>
    public EfficientNetB0(GpuDevice device, EfficientNetB0Weights weights, IProgress<string>? progress = null, bool? workgroupReductions = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(weights);
        Device = device;
        WorkgroupReductions = workgroupReductions ?? device.Info.AdapterType is not GpuAdapterType.Cpu;
        TiledPointwiseMinWorkgroups = device.Info.AdapterType is GpuAdapterType.Cpu ? int.MaxValue : 0;
        LargeTilePointwiseMinWorkgroups = 0;
        PrefetchLargeTile = device.Info.AdapterType is not GpuAdapterType.Cpu;
        PooledDepthwiseMinWorkgroups = int.MaxValue;
        WidePointwise = device.Info.AdapterType is GpuAdapterType.Cpu;
        SlidingDepthwise = device.Info.AdapterType is GpuAdapterType.Cpu;
        try
        {
            stem = Upload(weights.Stem);
            blocks = new DeviceBlock[weights.Blocks.Count];
            for (int i = 0; i < blocks.Length; i++)
            {
                MBConvBlockWeights b = weights.Blocks[i];
                if (b.Spec.SqueezeChannels > SqueezeExcitation.MaxSqueezeChannels)
                    throw new ArgumentException($"Block {b.Spec.Prefix}: {b.Spec.SqueezeChannels} squeeze channels; the fused squeeze-excitation kernel holds at most {SqueezeExcitation.MaxSqueezeChannels}.", nameof(weights));
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

    /// <summary>True when pools and squeeze-excitation use workgroup reductions (see the constructor).</summary>
    public bool WorkgroupReductions { get; }

    /// <summary>
    /// A pointwise convolution runs as <see cref="PointwiseConvolution.ForwardTiled"/> (64x64 shared-memory
    /// tiles) when it has at least this many tiles (over the batch), else as the per-invocation 4x4
    /// <see cref="PointwiseConvolution.Forward"/>. Default 0 (every layer tiled) on GPUs: measured on an
    /// H200, tiling every layer beat a threshold of 48 tiles at batch 1 (3.14 vs 4.05 ms: the 4x4 kernel's
    /// long serial loops over input channels cost more than the idle multiprocessors of small tiled grids)
    /// and matched it at batch 64; <see cref="int.MaxValue"/> (never tiled) on software adapters, where
    /// barriers are expensive. Set it before the first forward pass of a batch size (the pass is captured then).
    /// </summary>
    public int TiledPointwiseMinWorkgroups { get; set; }

    /// <summary>
    /// A tiled pointwise convolution (see <see cref="TiledPointwiseMinWorkgroups"/>) runs as
    /// <see cref="PointwiseConvolution.ForwardLargeTile"/> (64 channels x 128 columns over the whole batch,
    /// 4x8 per invocation, vector reads from workgroup memory) when that grid has at least this many
    /// workgroups, else as the 64x64 <see cref="PointwiseConvolution.ForwardTiled"/>; <see cref="int.MaxValue"/>
    /// keeps the 64x64 kernel everywhere. Default 0: measured on an H200 (2026-11-29, same call, pool not fused,
    /// no prefetch) the large and narrow tiles took the forward pass from 9.86 to 8.18 ms at batch 64 and from
    /// 3.08 to 2.89 ms at batch 1; a threshold of 264 workgroups was slower at both sizes. Set it
    /// before the first forward pass of a batch size.
    /// </summary>
    public int LargeTilePointwiseMinWorkgroups { get; set; }

    /// <summary>
    /// Where the large tile is chosen (<see cref="LargeTilePointwiseMinWorkgroups"/>), layers with at most 32
    /// output channels use <see cref="PointwiseConvolution.ForwardNarrowTile"/> (32 x 256 tile) instead of
    /// computing a half or three quarters empty 64-channel tile. Default true: measured on an H200 (2026-11-29)
    /// 0.19-0.32 ms faster at batch 64 than the 64x128 tile on those layers. Set it before the first forward
    /// pass of a batch size.
    /// </summary>
    public bool NarrowTilePointwise { get; set; } = true;

    /// <summary>
    /// The 64x128 large tile runs as <see cref="PointwiseConvolution.ForwardLargeTilePrefetch"/> (next slice's
    /// device loads issued before the current slice's FMAs). Default true on GPUs: measured on an H200
    /// (2026-11-29, same call, otherwise equal settings) 8.40 against 9.01 ms at batch 64 and 2.64 against
    /// 2.83 ms at batch 1; false on software adapters (which do not use the tiled kernels). Set it before the
    /// first forward pass of a batch size.
    /// </summary>
    public bool PrefetchLargeTile { get; set; }

    /// <summary>
    /// With <see cref="WorkgroupReductions"/>, a depthwise layer whose channels x images reach this count runs
    /// as <see cref="DepthwiseConvolution.ForwardPooled"/> (one workgroup per channel plane, the squeeze-excitation
    /// pool fused into its epilogue: one dispatch and one read of the output fewer), else as the per-row
    /// kernel followed by the pool. Default <see cref="int.MaxValue"/> (never): measured on an H200 (2026-11-29),
    /// fusing from 1024 planes cost 0.8 ms at batch 64 (9.01 against 8.18 ms; the fused kernel 3.2 ms against
    /// 2.3 ms for depthwise plus pool: one output per invocation per step, 128 invocations for a 7x7 plane,
    /// long serial loops over 112x112 planes) and fusing everywhere 0.1 ms at batch 1. Opt-in for experiments.
    /// Set it before the first forward pass of a batch size.
    /// </summary>
    public int PooledDepthwiseMinWorkgroups { get; set; }

    /// <summary>
    /// Untiled pointwise layers use the 8-channel x 4-pixel <see cref="PointwiseConvolution.ForwardWide"/>
    /// instead of the 4x4 <see cref="PointwiseConvolution.Forward"/>. Default true on software adapters
    /// (fewer gathered loads per FMA), false on GPUs (twice the invocations for small layers). Set it
    /// before the first forward pass of a batch size.
    /// </summary>
    public bool WidePointwise { get; set; }

    /// <summary>
    /// Depthwise layers use <see cref="DepthwiseConvolution.ForwardSliding"/> (each input row loaded once
    /// into registers) instead of <see cref="DepthwiseConvolution.Forward"/>. Default true on software
    /// adapters, where it was measured faster; false on GPUs until measured there. Set it before the first
    /// forward pass of a batch size.
    /// </summary>
    public bool SlidingDepthwise { get; set; }

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
            stream.Synchronize();
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
            Record(buffers, n);
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

    /// <summary>The kernels a forward pass dispatches (this assembly's generated catalog).</summary>
    public static IReadOnlyList<KernelInfo> Kernels => KernelGen.Generated.KernelCatalog.All;

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

    private void Record(BatchBuffers a, int n)
    {
        int size = EfficientNetB0Config.ImageSize;
        int h = EfficientNetB0Config.ConvOutputSize(size, 3, 2);
        int c = EfficientNetB0Config.StemChannels;
        DenseConvolution.Gpu.Forward(stream, a.Input, stem.Weight, stem.Bias, a.Ping[0],
            EfficientNetB0Config.InputChannels, size, size, c, h, h, 3, 2, Activation.Silu,
            Grid.Threads((c + DenseConvolution.ChannelsPerInvocation - 1) / DenseConvolution.ChannelsPerInvocation * h * h, n));
        int current = 0;
        foreach (DeviceBlock b in blocks)
        {
            MBConvBlockSpec s = b.Spec;
            int e = s.ExpandedChannels;
            int expanded = current;
            if (b.Expansion is not null)
            {
                expanded = Other(current, current);
                Pointwise(a.Ping[current], b.Expansion, unused, unused, a.Ping[expanded], n, c, e, h * h, Activation.Silu, false, false);
            }
            int oh = EfficientNetB0Config.ConvOutputSize(h, s.KernelSize, s.Stride);
            int depthwise = Other(current, expanded);
            bool pooledDepthwise = WorkgroupReductions && (long)e * n >= PooledDepthwiseMinWorkgroups && n <= MaxWorkgroupsPerDimension;
            if (pooledDepthwise)
            {
                DepthwiseConvolution.Gpu.ForwardPooled(stream, a.Ping[expanded], b.Depthwise.Weight, b.Depthwise.Bias, a.Ping[depthwise], a.Pooled,
                    e, h, h, oh, oh, s.KernelSize, s.Stride, Activation.Silu, Grid.Groups(e, n));
            }
            else if (SlidingDepthwise && s.KernelSize <= DepthwiseConvolution.SlidingMaxKernelSize && s.Stride is 1 or 2)
            {
                DepthwiseConvolution.Gpu.ForwardSliding(stream, a.Ping[expanded], b.Depthwise.Weight, b.Depthwise.Bias, a.Ping[depthwise],
                    e, h, h, oh, oh, s.KernelSize, s.Stride, Activation.Silu, Grid.Threads(e * oh * DepthwiseSegments(oh), n));
            }
            else
            {
                DepthwiseConvolution.Gpu.Forward(stream, a.Ping[expanded], b.Depthwise.Weight, b.Depthwise.Bias, a.Ping[depthwise],
                    e, h, h, oh, oh, s.KernelSize, s.Stride, Activation.Silu, Grid.Threads(e * oh * DepthwiseSegments(oh), n));
            }
            h = oh;
            if (!pooledDepthwise)
                Pool(a.Ping[depthwise], a.Pooled, e, h * h, n);
            if (WorkgroupReductions)
            {
                SqueezeExcitation.Gpu.Gate(stream, a.Pooled, b.SqueezeReduce.Weight, b.SqueezeReduce.Bias, b.SqueezeExpand.Weight, b.SqueezeExpand.Bias,
                    a.Gate, e, s.SqueezeChannels, Grid.Groups(n));
            }
            else
            {
                FullyConnected.Gpu.Forward(stream, a.Pooled, b.SqueezeReduce.Weight, b.SqueezeReduce.Bias, a.Squeezed,
                    e, s.SqueezeChannels, Activation.Silu, Grid.Threads(s.SqueezeChannels, n));
                FullyConnected.Gpu.Forward(stream, a.Squeezed, b.SqueezeExpand.Weight, b.SqueezeExpand.Bias, a.Gate,
                    s.SqueezeChannels, e, Activation.Sigmoid, Grid.Threads(e, n));
            }
            int output = Other(current, depthwise);
            Pointwise(a.Ping[depthwise], b.Projection, a.Gate, s.HasResidual ? a.Ping[current] : unused, a.Ping[output],
                n, e, s.OutChannels, h * h, Activation.None, true, s.HasResidual);
            current = output;
            c = s.OutChannels;
        }
        int headOut = Other(current, current);
        Pointwise(a.Ping[current], head, unused, unused, a.Ping[headOut], n, c, EfficientNetB0Config.HeadChannels, h * h, Activation.Silu, false, false);
        Pool(a.Ping[headOut], a.Pooled, EfficientNetB0Config.HeadChannels, h * h, n);
        FullyConnected.Gpu.Forward(stream, a.Pooled, classifier.Weight, classifier.Bias, a.Logits,
            EfficientNetB0Config.HeadChannels, EfficientNetB0Config.Classes, Activation.None, Grid.Threads(EfficientNetB0Config.Classes, n));
    }

    private void Pool(GpuBuffer<float> x, GpuBuffer<float> pooled, int channels, int plane, int n)
    {
        if (WorkgroupReductions)
            GlobalAveragePool.Gpu.Reduce(stream, x, pooled, channels, plane, Grid.Groups(channels, n));
        else
            GlobalAveragePool.Gpu.Forward(stream, x, pooled, channels, plane, Grid.Threads(channels, n));
    }

    private static int DepthwiseSegments(int width) => (width + DepthwiseConvolution.PixelsPerInvocation - 1) / DepthwiseConvolution.PixelsPerInvocation;

    /// <summary>The first of the three activation buffers that is neither <paramref name="a"/> nor <paramref name="b"/>.</summary>
    private static int Other(int a, int b)
    {
        for (int i = 0; i < 3; i++)
            if (i != a && i != b) return i;
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>WebGPU's default <c>maxComputeWorkgroupsPerDimension</c>.</summary>
    private const int MaxWorkgroupsPerDimension = 65535;

    private void Pointwise(GpuBuffer<float> x, DeviceLayer l, GpuBuffer<float> scale, GpuBuffer<float> residual, GpuBuffer<float> y,
        int n, int inC, int outC, int plane, int activation, bool useScale, bool useResidual)
    {
        int pixelTiles = (plane + PointwiseConvolution.TilePixels - 1) / PointwiseConvolution.TilePixels;
        int channelTiles = (outC + PointwiseConvolution.TileChannels - 1) / PointwiseConvolution.TileChannels;
        if ((long)pixelTiles * channelTiles * n >= TiledPointwiseMinWorkgroups)
        {
            long columns = (long)n * plane;
            long columnTiles = (columns + PointwiseConvolution.LargeTileColumns - 1) / PointwiseConvolution.LargeTileColumns;
            int largeChannelTiles = (outC + PointwiseConvolution.LargeTileChannels - 1) / PointwiseConvolution.LargeTileChannels;
            if (columnTiles * largeChannelTiles >= LargeTilePointwiseMinWorkgroups && columnTiles <= MaxWorkgroupsPerDimension
                && (long)n * Math.Max(inC, outC) * plane <= int.MaxValue)
            {
                long narrowColumnTiles = (columns + PointwiseConvolution.NarrowTileColumns - 1) / PointwiseConvolution.NarrowTileColumns;
                if (NarrowTilePointwise && outC <= PointwiseConvolution.NarrowTileChannels)
                {
                    PointwiseConvolution.Gpu.ForwardNarrowTile(stream, x, l.Weight, l.Bias, scale, residual, y,
                        inC, outC, plane, (int)columns, activation, useScale ? 1 : 0, useResidual ? 1 : 0,
                        Grid.Groups((int)narrowColumnTiles, 1, 1));
                    return;
                }
                if (PrefetchLargeTile)
                {
                    PointwiseConvolution.Gpu.ForwardLargeTilePrefetch(stream, x, l.Weight, l.Bias, scale, residual, y,
                        inC, outC, plane, (int)columns, activation, useScale ? 1 : 0, useResidual ? 1 : 0,
                        Grid.Groups((int)columnTiles, largeChannelTiles, 1));
                    return;
                }
                PointwiseConvolution.Gpu.ForwardLargeTile(stream, x, l.Weight, l.Bias, scale, residual, y,
                    inC, outC, plane, (int)columns, activation, useScale ? 1 : 0, useResidual ? 1 : 0,
                    Grid.Groups((int)columnTiles, largeChannelTiles, 1));
                return;
            }
            PointwiseConvolution.Gpu.ForwardTiled(stream, x, l.Weight, l.Bias, scale, residual, y,
                inC, outC, plane, activation, useScale ? 1 : 0, useResidual ? 1 : 0, Grid.Groups(pixelTiles, channelTiles, n));
            return;
        }
        if (WidePointwise)
        {
            int wideTiles = (outC + PointwiseConvolution.WideChannelsPerInvocation - 1) / PointwiseConvolution.WideChannelsPerInvocation
                * ((plane + PointwiseConvolution.PixelsPerInvocation - 1) / PointwiseConvolution.PixelsPerInvocation);
            PointwiseConvolution.Gpu.ForwardWide(stream, x, l.Weight, l.Bias, scale, residual, y,
                inC, outC, plane, activation, useScale ? 1 : 0, useResidual ? 1 : 0, Grid.Threads(wideTiles, n));
            return;
        }
        int tiles = (outC + PointwiseConvolution.ChannelsPerInvocation - 1) / PointwiseConvolution.ChannelsPerInvocation
            * ((plane + PointwiseConvolution.PixelsPerInvocation - 1) / PointwiseConvolution.PixelsPerInvocation);
        PointwiseConvolution.Gpu.Forward(stream, x, l.Weight, l.Bias, scale, residual, y,
            inC, outC, plane, activation, useScale ? 1 : 0, useResidual ? 1 : 0, Grid.Threads(tiles, n));
    }

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
            Own(Device.Allocate<float>(batch * InputSize)),
            [Own(Device.Allocate<float>((int)(largest * batch))), Own(Device.Allocate<float>((int)(largest * batch))), Own(Device.Allocate<float>((int)(largest * batch)))],
            Own(Device.Allocate<float>(batch * widest)),
            Own(Device.Allocate<float>(batch * maxSqueeze)),
            Own(Device.Allocate<float>(batch * widest)),
            Own(Device.Allocate<float>(batch * EfficientNetB0Config.Classes)));
        // The whole forward pass is captured once per batch size (bind groups and uniforms prebuilt);
        // an inference replays it as one submit.
        buffers.Graph = stream.Capture(_ => Record(buffers, batch));
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

    private sealed record BatchBuffers(GpuBuffer<float> Input, GpuBuffer<float>[] Ping, GpuBuffer<float> Pooled, GpuBuffer<float> Squeezed, GpuBuffer<float> Gate, GpuBuffer<float> Logits)
    {
        /// <summary>The captured forward pass over these buffers.</summary>
        public GpuGraph Graph { get; set; } = null!;
    }
}
