using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace KernelGen;

/// <summary>
/// Records dispatches and submits them together: natively, every dispatch recorded between two
/// submits goes into one command buffer (one compute pass). Not thread-safe: use one stream per thread.
/// </summary>
public abstract class GpuStream : IDisposable
{
    private bool capturing;
    private int user; // managed id of the thread inside a call on this stream, 0 when none
    private readonly CommandList pending;
    private CommandList? capture;

    private protected GpuStream(GpuDevice device)
    {
        Device = device;
        pending = new CommandList(device.UniformArenaBytes, device.UniformAlignment, growable: false, holdsBuffers: true);
    }

    /// <summary>The device the stream records for.</summary>
    public GpuDevice Device { get; }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Commands (dispatches, copies, clears) recorded and not yet submitted.</summary>
    public int PendingDispatches => pending.Count;

    /// <summary>True between <see cref="BeginCapture"/> and <see cref="EndCapture"/>.</summary>
    public bool IsCapturing => capturing;

    /// <summary>True after <see cref="EnableProfiling"/>.</summary>
    public bool IsProfiling { get; private set; }

    /// <summary>Per-dispatch times of the work completed by the last <see cref="Synchronize"/> (when profiling).</summary>
    public abstract IReadOnlyList<KernelTiming> Timings { get; }

    /// <summary>Records one dispatch of <paramref name="kernel"/>.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="buffers">One buffer per storage binding, in binding order.</param>
    /// <param name="uniforms">The uniform block, laid out as in WGSL (empty when the kernel has none).</param>
    /// <param name="grid">The dispatch size.</param>
    /// <exception cref="ArgumentException">The buffers or uniforms do not match the kernel's bindings, or the grid exceeds the device's limits.</exception>
    public void Dispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, Grid grid)
        => Dispatch(kernel, buffers, uniforms, grid, PipelineConstants.Empty);

    /// <summary>Records one dispatch of <paramref name="kernel"/> with values for its WGSL <c>override</c> constants (one pipeline per distinct set).</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="buffers">One buffer per storage binding, in binding order.</param>
    /// <param name="uniforms">The uniform block, laid out as in WGSL (empty when the kernel has none).</param>
    /// <param name="grid">The dispatch size.</param>
    /// <param name="constants">The override constants' values (names as declared in the WGSL).</param>
    public void Dispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, Grid grid, PipelineConstants constants)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(constants);
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        using var use = Use();
        Device.ThrowIfUnusable();
        // A kernel with [Specialize] parameters: the instance for these values (its workgroup size and shared lengths).
        if (!kernel.SpecializationConstants.IsEmpty) kernel = kernel.Specialize(constants);
        var groups = DispatchValidation.Validate(Device, kernel, buffers, uniforms, grid);
        Record(kernel, buffers, uniforms, groups, constants);
    }

    /// <summary>Appends a validated dispatch to the pending list (or the capture), submitting first when the uniform arena is full.</summary>
    private void Record(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, WorkgroupCount groups, PipelineConstants constants)
    {
        var pipeline = Device.GetPipeline(kernel, constants);
        if (capture is { } graph)
        {
            graph.TryAddDispatch(pipeline, buffers, uniforms, groups, IsProfiling);
            return;
        }
        if (!pending.TryAddDispatch(pipeline, buffers, uniforms, groups, IsProfiling))
        {
            var hadWork = pending.Count > 0;
            SubmitCore();
            if (!hadWork || !pending.TryAddDispatch(pipeline, buffers, uniforms, groups, IsProfiling))
                throw new ArgumentException($"{DispatchValidation.Describe(kernel)}: its {uniforms.Length}-byte uniform block does not fit in the stream's uniform arena ({Device.UniformArenaBytes} bytes).", nameof(uniforms));
        }
        foreach (var b in buffers) b.RawStorage.LastStream = this;
        if (ExecutesAtRecord) SubmitCore();
    }

    /// <summary>Records a copy of the whole of <paramref name="source"/> into <paramref name="destination"/> (same length), ordered with the dispatches.</summary>
    public void Copy<T>(GpuBuffer<T> source, GpuBuffer<T> destination) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Length != destination.Length)
            throw new ArgumentException($"Copy needs buffers of one length ({source} into {destination}); use the overload with offsets and a count for part of a buffer.", nameof(destination));
        Copy(source, 0, destination, 0, source.Length);
    }

    /// <summary>
    /// Records a copy of <paramref name="count"/> elements from <paramref name="source"/> at <paramref name="sourceOffset"/> to
    /// <paramref name="destination"/> at <paramref name="destinationOffset"/>. WebGPU copies whole 4-byte words: offsets and size in
    /// bytes must be multiples of 4, and source and destination must be different buffers.
    /// </summary>
    public void Copy<T>(GpuBuffer<T> source, int sourceOffset, GpuBuffer<T> destination, int destinationOffset, int count) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var size = Unsafe.SizeOf<T>();
        CheckTransferBuffer(source, sourceOffset, count, nameof(source));
        CheckTransferBuffer(destination, destinationOffset, count, nameof(destination));
        if (ReferenceEquals(source.RawStorage, destination.RawStorage))
            throw new ArgumentException($"WebGPU cannot copy within one buffer ({source}); copy through a second buffer.", nameof(destination));
        Transfer(new BufferTransfer(source, (long)sourceOffset * size, destination, (long)destinationOffset * size, (long)count * size));
    }

    /// <summary>Records setting every byte of <paramref name="buffer"/> to zero, ordered with the dispatches.</summary>
    public void Clear(GpuBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckTransferBuffer(buffer, 0, buffer.Length, nameof(buffer));
        Transfer(new BufferTransfer(null, 0, buffer, 0, buffer.SizeInBytes));
    }

    /// <summary>Records zeroing <paramref name="count"/> elements of <paramref name="buffer"/> from <paramref name="offset"/> (byte range in whole 4-byte words).</summary>
    public void Clear<T>(GpuBuffer<T> buffer, int offset, int count) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckTransferBuffer(buffer, offset, count, nameof(buffer));
        var size = Unsafe.SizeOf<T>();
        Transfer(new BufferTransfer(null, 0, buffer, (long)offset * size, (long)count * size));
    }

    /// <summary>Records setting every element of <paramref name="buffer"/> to <paramref name="value"/> (elements of 4, 8, 12 or 16 bytes).</summary>
    public void Fill<T>(GpuBuffer<T> buffer, T value) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Fill(buffer, value, 0, buffer.Length);
    }

    /// <summary>Records setting <paramref name="count"/> elements of <paramref name="buffer"/> from <paramref name="offset"/> to <paramref name="value"/>.</summary>
    public void Fill<T>(GpuBuffer<T> buffer, T value, int offset, int count) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var size = Unsafe.SizeOf<T>();
        if (size % 4 != 0 || size > 16)
            throw new ArgumentException($"Fill writes patterns of 4-byte words: {typeof(T).Name} has {size} bytes (4, 8, 12 or 16 are supported; Clear zeroes any type).", nameof(value));
        CheckTransferBuffer(buffer, offset, count, nameof(buffer));
        if ((ulong)buffer.SizeInBytes > Device.Limits.MaxStorageBufferBindingSize)
            throw new ArgumentException($"Fill binds the buffer as storage: {buffer} has {buffer.SizeInBytes} bytes, more than maxStorageBufferBindingSize ({Device.Limits.MaxStorageBufferBindingSize}).", nameof(buffer));
        if (count == 0) return;
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        using var use = Use();
        Device.ThrowIfUnusable();
        Span<uint> pattern = stackalloc uint[4];
        MemoryMarshal.Write(MemoryMarshal.AsBytes(pattern), in value);
        var words = size / 4;
        var (uniforms, groups) = FillKernel.Plan(pattern[..words], (long)offset * words, (long)count * words, Device.Limits.MaxComputeWorkgroupsPerDimension);
        ReadOnlySpan<GpuBuffer> target = [buffer];
        Record(FillKernel.Kernel, target, uniforms, groups, PipelineConstants.Empty);
    }

    private void CheckTransferBuffer(GpuBuffer buffer, long offset, long count, string name)
    {
        if (buffer.IsDisposed) throw new ObjectDisposedException(buffer.ToString(), $"Buffer {buffer} was disposed.");
        if (!ReferenceEquals(buffer.Device, Device))
            throw new ArgumentException($"Buffer {buffer} belongs to another device ({buffer.Device}); a stream works on the buffers of its own device.", name);
        if (offset < 0 || count < 0 || offset + count > buffer.Length)
            throw new ArgumentOutOfRangeException(name, $"{count} elements at offset {offset} do not fit in {buffer}.");
        var size = buffer.ElementSize;
        if (offset * size % 4 != 0 || count * size % 4 != 0)
            throw new ArgumentException($"WebGPU copies and clears whole 4-byte words: {count} elements at offset {offset} of {buffer} are not a range of whole words.", name);
    }

    private void Transfer(in BufferTransfer transfer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (transfer.Bytes == 0) return;
        using var use = Use();
        Device.ThrowIfUnusable();
        if (capture is { } graph)
        {
            graph.AddTransfer(transfer);
            return;
        }
        pending.AddTransfer(transfer);
        if (transfer.Source is { } source) source.RawStorage.LastStream = this;
        transfer.Destination.RawStorage.LastStream = this;
        if (ExecutesAtRecord) SubmitCore();
    }

    /// <summary>Submits the recorded dispatches to the device (does not wait).</summary>
    public void Submit()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (capturing) throw new InvalidOperationException("Submit is not allowed while capturing a graph; call EndCapture first.");
        using var use = Use();
        Device.ThrowIfUnusable();
        SubmitCore();
    }

    /// <summary>Submits the recorded dispatches and waits until the device has finished them (bounded by the device's wait timeout).</summary>
    public void Synchronize()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (capturing) throw new InvalidOperationException("Synchronize is not allowed while capturing a graph; call EndCapture first.");
        using var use = Use();
        Device.ThrowIfUnusable();
        SynchronizeCore();
    }

    /// <summary>
    /// Submits the recorded dispatches and completes when the device has finished them. In the browser this is
    /// the only way to wait (<see cref="Synchronize"/> throws there); elsewhere it waits like <see cref="Synchronize"/>.
    /// </summary>
    public Task SynchronizeAsync()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (capturing) throw new InvalidOperationException("SynchronizeAsync is not allowed while capturing a graph; call EndCapture first.");
        Device.ThrowIfUnusable();
        return SynchronizeCoreAsync();
    }

    /// <summary>Measures every following dispatch (GPU timestamps natively; needs the timestamp-query feature).</summary>
    /// <exception cref="NotSupportedException">The adapter has no timestamp-query feature.</exception>
    public void EnableProfiling()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (Device.Backend == GpuBackend.Browser)
            throw new NotSupportedException("The browser backend does not measure per-kernel times yet; time whole submits with SynchronizeAsync instead.");
        if (!Device.Features.TimestampQuery)
            throw new NotSupportedException($"Adapter '{Device.Info.Device}' has no timestamp-query feature; per-kernel GPU timings are unavailable.");
        IsProfiling = true;
    }

    /// <summary>Starts recording a graph: following dispatches are captured, not executed, until <see cref="EndCapture"/>.</summary>
    public void BeginCapture()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (capturing) throw new InvalidOperationException("The stream is already capturing a graph.");
        using var use = Use();
        Device.ThrowIfUnusable();
        capture = new CommandList(4096, Device.UniformAlignment, growable: true, holdsBuffers: false);
        capturing = true;
    }

    /// <summary>Ends the capture and builds the graph (bind groups and uniforms prebuilt).</summary>
    public GpuGraph EndCapture()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!capturing) throw new InvalidOperationException("EndCapture without BeginCapture.");
        using var use = Use();
        capturing = false;
        return EndCaptureCore();
    }

    /// <summary>Captures the dispatches <paramref name="record"/> makes on this stream into a replayable graph.</summary>
    public GpuGraph Capture(Action<GpuStream> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        BeginCapture();
        try
        {
            record(this);
        }
        catch
        {
            if (capturing)
            {
                capturing = false;
                capture = null;
            }
            throw;
        }
        return EndCapture();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (IsDisposed) return;
        var use = new StreamUse(this, enterDevice: false);
        try
        {
            if (IsDisposed) return;
            IsDisposed = true;
            DisposeAll();
        }
        finally
        {
            use.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Enters a call on this stream: refuses a second thread while one is inside (a stream is not thread-safe;
    /// without this check two threads would corrupt its native encoder) and marks the call on the device, so that
    /// disposing the device on another thread waits for it. Nested calls on the same thread (graph replay) pass.
    /// </summary>
    internal StreamUse Use() => new(this, enterDevice: true);

    /// <summary>A call on a stream (see <see cref="Use"/>).</summary>
    internal struct StreamUse : IDisposable
    {
        private readonly GpuStream stream;
        private readonly bool owner;
        private GpuDevice.DeviceCall call;
        private bool entered;

        public StreamUse(GpuStream stream, bool enterDevice)
        {
            this.stream = stream;
            var me = Environment.CurrentManagedThreadId;
            var other = Interlocked.CompareExchange(ref stream.user, me, 0);
            if (other != 0 && other != me)
            {
                throw new InvalidOperationException(
                    $"A GpuStream was used from two threads at once (managed threads {other} and {me}). A stream is not thread-safe: " +
                    "create one stream per thread (streams of one device may work on different threads).");
            }
            owner = other == 0;
            if (!enterDevice) return;
            try
            {
                call = stream.Device.EnterCall();
                entered = true;
            }
            catch
            {
                if (owner) Volatile.Write(ref stream.user, 0);
                throw;
            }
        }

        public void Dispose()
        {
            if (entered) call.Dispose();
            entered = false;
            if (owner) Volatile.Write(ref stream.user, 0);
        }
    }

    /// <summary>Finalizer guard: a forgotten stream still releases its native objects (on the device's thread, later).</summary>
    ~GpuStream()
    {
        if (!IsDisposed) ReleaseFromFinalizer();
    }

    /// <summary>Schedules the release of native objects from the finalizer (never touches them on the finalizer thread).</summary>
    private protected virtual void ReleaseFromFinalizer() => Device.Releases.Defer(DisposeAll);

    /// <summary>Submits when dispatches are pending (before a buffer transfer that must see their results).</summary>
    internal void SubmitIfPending()
    {
        if (IsDisposed || capturing || PendingDispatches == 0 || Device.IsDisposed || Device.IsLost) return;
        using var use = Use();
        if (!IsDisposed && !capturing && PendingDispatches > 0) SubmitCore();
    }

    /// <summary>Submits the pending command list (nothing when it is empty); it is emptied even when the backend throws.</summary>
    private protected void SubmitCore()
    {
        if (pending.Count == 0) return;
        try
        {
            ExecuteCore(pending, null);
        }
        finally
        {
            pending.Reset();
        }
    }

    /// <summary>Builds the graph of the captured list (the backend prepares what it can once: uniforms, bind groups).</summary>
    private CommandGraph EndCaptureCore()
    {
        var list = capture!;
        capture = null;
        return new CommandGraph(this, list, PrepareCore(list));
    }

    /// <summary>Submits the pending list, then a graph's captured list (the replay of <see cref="CommandGraph"/>).</summary>
    internal void Replay(CommandList list, PreparedCommands? prepared)
    {
        SubmitCore();
        foreach (ref readonly var c in list.Commands)
            foreach (var b in list.BuffersOf(c)) b.RawStorage.LastStream = this;
        ExecuteCore(list, prepared);
    }

    /// <summary>True when each command runs as it is recorded (the CPU backend: results are visible at once).</summary>
    private protected virtual bool ExecutesAtRecord => false;

    /// <summary>
    /// Runs a command list on the backend and submits it: the stream's pending list (<paramref name="prepared"/> null; its
    /// uniforms are in the list's arena) or a captured graph's (with what <see cref="PrepareCore"/> made for it).
    /// </summary>
    private protected abstract void ExecuteCore(CommandList list, PreparedCommands? prepared);

    /// <summary>Prepares a captured list for repeated replay (natively: its own uniform buffer and bind groups); null when nothing is worth preparing.</summary>
    private protected virtual PreparedCommands? PrepareCore(CommandList list) => null;

    private protected abstract void SynchronizeCore();

    private protected virtual Task SynchronizeCoreAsync()
    {
        SynchronizeCore();
        return Task.CompletedTask;
    }

    /// <summary>Drops the pending list (buffers whose release waited for it are released) and releases the backend's objects.</summary>
    private void DisposeAll()
    {
        try
        {
            pending.Reset();
        }
        finally
        {
            DisposeCore();
        }
    }

    private protected abstract void DisposeCore();
}

/// <summary>
/// A captured sequence of dispatches (the WebGPU counterpart of a CUDA graph): pipelines, bind groups
/// and uniforms are built once; <see cref="Replay"/> records them all into one submit.
/// </summary>
public abstract class GpuGraph : IDisposable
{
    private protected GpuGraph(GpuStream stream, IReadOnlyList<KernelInfo> kernels)
    {
        Stream = stream;
        Kernels = kernels;
    }

    /// <summary>The stream the graph was captured on, and replays on.</summary>
    public GpuStream Stream { get; }

    /// <summary>The kernels of the captured dispatches, in order.</summary>
    public IReadOnlyList<KernelInfo> Kernels { get; }

    /// <summary>Number of captured dispatches.</summary>
    public int DispatchCount => Kernels.Count;

    /// <summary>True once disposed.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Records every captured dispatch and submits them as one command buffer (does not wait; call <see cref="GpuStream.Synchronize"/>).</summary>
    /// <exception cref="ObjectDisposedException">A buffer the graph uses was disposed.</exception>
    public void Replay()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ObjectDisposedException.ThrowIf(Stream.IsDisposed, Stream);
        if (Stream.IsCapturing) throw new InvalidOperationException("Cannot replay a graph on a stream that is capturing.");
        using var use = Stream.Use();
        Stream.Device.ThrowIfUnusable();
        ReplayCore();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Finalizer guard: a forgotten graph still releases its bind groups and uniforms (on the device's thread, later).</summary>
    ~GpuGraph()
    {
        if (!IsDisposed) ReleaseFromFinalizer();
    }

    /// <summary>Schedules the release of native objects from the finalizer.</summary>
    private protected virtual void ReleaseFromFinalizer() { }

    private protected abstract void ReplayCore();

    private protected abstract void DisposeCore();
}

/// <summary>The checks every backend makes before it records a dispatch.</summary>
internal static class DispatchValidation
{
    public static string Describe(KernelInfo kernel) => $"kernel {kernel.Name} ({kernel.SourceLocation})";

    /// <summary>Throws <see cref="GpuFeatureNotSupportedException"/> when the device lacks a feature the kernel needs (every backend).</summary>
    public static void RequireFeatures(GpuDevice device, KernelInfo kernel)
    {
        var features = device.Features;
        foreach (var feature in kernel.UsesF16 ? kernel.RequiredFeatures.Add("shader-f16") : kernel.RequiredFeatures)
        {
            if (!features.Has(feature))
            {
                throw new GpuFeatureNotSupportedException(
                    $"{Describe(kernel)} needs the WebGPU feature '{feature}'{(feature == "shader-f16" ? " (it uses Half)" : "")}, which adapter '{device.Info.Device}' does not have.")
                { Feature = feature, KernelName = kernel.Name, SourceLocation = kernel.SourceLocation };
            }
        }
    }

    public static WorkgroupCount Validate(GpuDevice device, KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, Grid grid)
    {
        RequireFeatures(device, kernel);
        var storageCount = kernel.StorageBindingCount;
        if (buffers.Length != storageCount)
        {
            throw new ArgumentException(
                $"{Describe(kernel)} takes {storageCount} storage buffer(s) ({string.Join(", ", kernel.Bindings.Take(storageCount).Select(b => b.Name))}) but {buffers.Length} were passed.",
                nameof(buffers));
        }
        var limits = device.Limits;
        for (var i = 0; i < buffers.Length; i++)
        {
            var binding = kernel.Bindings[i];
            var buffer = buffers[i] ?? throw new ArgumentNullException(nameof(buffers), $"{Describe(kernel)}: buffer '{binding.Name}' is null.");
            if (buffer.IsDisposed)
                throw new ObjectDisposedException(buffer.ToString(), $"{Describe(kernel)}: buffer '{binding.Name}' was disposed.");
            if (!ReferenceEquals(buffer.Device, device))
                throw new ArgumentException($"{Describe(kernel)}: buffer '{binding.Name}' belongs to another device ({buffer.Device}); buffers cannot be shared between devices.", nameof(buffers));
            if (binding.ElementType is not null && buffer.ElementType != binding.ElementType)
                throw new ArgumentException($"{Describe(kernel)}: buffer '{binding.Name}' must be GpuBuffer<{binding.ElementType.Name}> but is GpuBuffer<{buffer.ElementType.Name}>.", nameof(buffers));
            if (binding.ElementType is null && binding.ElementSize > 0 && buffer.ElementSize != binding.ElementSize)
                throw new ArgumentException($"{Describe(kernel)}: buffer '{binding.Name}' has {buffer.ElementSize}-byte elements; the kernel expects {binding.ElementSize}.", nameof(buffers));
            if (buffer.Length == 0)
                throw new ArgumentException($"{Describe(kernel)}: buffer '{binding.Name}' is empty; WebGPU cannot bind an empty buffer.", nameof(buffers));
            if ((ulong)buffer.SizeInBytes > limits.MaxStorageBufferBindingSize)
                throw new ArgumentException($"{Describe(kernel)}: buffer '{binding.Name}' has {buffer.SizeInBytes} bytes; the device binds at most {limits.MaxStorageBufferBindingSize} (maxStorageBufferBindingSize).", nameof(buffers));
            for (var j = 0; j < i; j++)
            {
                if (!ReferenceEquals(buffers[j].RawStorage, buffer.RawStorage)) continue;
                var other = kernel.Bindings[j];
                if (binding.Kind == BindingKind.Storage || other.Kind == BindingKind.Storage)
                {
                    throw new ArgumentException(
                        $"{Describe(kernel)}: the same buffer is bound to '{other.Name}' ({Access(other)}) and '{binding.Name}' ({Access(binding)}); " +
                        "WebGPU forbids a writable storage binding that aliases another binding of the same dispatch. Use separate buffers.",
                        nameof(buffers));
                }
            }
        }
        if (uniforms.Length != kernel.UniformSize)
            throw new ArgumentException($"{Describe(kernel)} has a {kernel.UniformSize}-byte uniform block but {uniforms.Length} bytes were passed.", nameof(uniforms));
        if ((ulong)kernel.UniformSize > limits.MaxUniformBufferBindingSize)
            throw new ArgumentException($"{Describe(kernel)} has a {kernel.UniformSize}-byte uniform block; the device binds at most {limits.MaxUniformBufferBindingSize} (maxUniformBufferBindingSize).", nameof(kernel));
        if (storageCount > limits.MaxStorageBuffersPerShaderStage)
        {
            throw new ArgumentException(
                $"{Describe(kernel)} has {storageCount} storage buffers; the device allows at most {limits.MaxStorageBuffersPerShaderStage} per shader stage " +
                "(maxStorageBuffersPerShaderStage). Pack some inputs into one buffer.", nameof(kernel));
        }
        if (kernel.InvocationsPerWorkgroup > limits.MaxComputeInvocationsPerWorkgroup
            || kernel.WorkgroupSizeX > limits.MaxComputeWorkgroupSizeX || kernel.WorkgroupSizeY > limits.MaxComputeWorkgroupSizeY || kernel.WorkgroupSizeZ > limits.MaxComputeWorkgroupSizeZ)
        {
            throw new ArgumentException(
                $"{Describe(kernel)} has workgroup size ({kernel.WorkgroupSizeX}, {kernel.WorkgroupSizeY}, {kernel.WorkgroupSizeZ}); the device allows at most " +
                $"{limits.MaxComputeInvocationsPerWorkgroup} invocations and ({limits.MaxComputeWorkgroupSizeX}, {limits.MaxComputeWorkgroupSizeY}, {limits.MaxComputeWorkgroupSizeZ}).",
                nameof(kernel));
        }
        var shared = 0L;
        foreach (var array in kernel.SharedArrays) shared += (long)array.ElementSize * array.Length;
        if (shared > limits.MaxComputeWorkgroupStorageSize)
            throw new ArgumentException($"{Describe(kernel)} uses {shared} bytes of workgroup memory; the device allows {limits.MaxComputeWorkgroupStorageSize}.", nameof(kernel));
        var (gx, gy, gz) = grid.ToGroups(kernel);
        var max = limits.MaxComputeWorkgroupsPerDimension;
        if ((uint)gx > max || (uint)gy > max || (uint)gz > max)
        {
            // Splitting would change GroupId/ThreadId/GroupCount as the kernel sees them, so it is never done silently.
            throw new ArgumentOutOfRangeException(nameof(grid),
                $"{Describe(kernel)}: {grid} needs ({gx}, {gy}, {gz}) workgroups; the device allows at most {max} per dimension " +
                "(maxComputeWorkgroupsPerDimension). Spread the work over Y/Z (a 2D grid) or loop inside the kernel.");
        }
        return new WorkgroupCount((uint)gx, (uint)gy, (uint)gz);
    }

    private static string Access(KernelBinding binding) => binding.Kind switch
    {
        BindingKind.Storage => "read_write",
        BindingKind.ReadOnlyStorage => "read",
        _ => "uniform",
    };

    /// <summary>"A, B, C (+n more)" for error messages about a submit.</summary>
    public static string KernelList(IEnumerable<KernelInfo> kernels)
    {
        var distinct = kernels.Distinct().ToList();
        var text = new StringBuilder();
        foreach (var k in distinct.Take(8))
        {
            if (text.Length > 0) text.Append(", ");
            text.Append(k.Name).Append(" (").Append(k.SourceLocation).Append(')');
        }
        if (distinct.Count > 8) text.Append($" (+{distinct.Count - 8} more)");
        return text.ToString();
    }
}
