using KernelGen.Backends.Browser;
using KernelGen.Backends.Cpu;
using KernelGen.Backends.Native;

namespace KernelGen;

/// <summary>
/// A device that runs kernels: a native WebGPU adapter through Dawn, or the CPU backend. Create one
/// with <see cref="Create"/>, allocate buffers on it, and record dispatches on a <see cref="GpuStream"/>.
/// </summary>
public abstract class GpuDevice : IDisposable
{
    private TimeSpan waitTimeout;

    private protected GpuDevice(GpuDeviceOptions options)
    {
        Options = options;
        WaitTimeout = options.WaitTimeout;
    }

    /// <summary>
    /// The longest any single wait for the device may take (initially <see cref="GpuDeviceOptions.WaitTimeout"/>);
    /// a longer wait throws <see cref="GpuTimeoutException"/> naming what it waited for.
    /// </summary>
    public TimeSpan WaitTimeout
    {
        get => waitTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            waitTimeout = value;
        }
    }

    /// <summary>The options the device was created with.</summary>
    public GpuDeviceOptions Options { get; }

    /// <summary>The backend this device runs on (<see cref="GpuBackend.Native"/>, <see cref="GpuBackend.Browser"/> or <see cref="GpuBackend.Cpu"/>).</summary>
    public abstract GpuBackend Backend { get; }

    /// <summary>The adapter.</summary>
    public abstract GpuAdapterInfo Info { get; }

    /// <summary>The device's limits (the adapter's full limits are requested).</summary>
    public abstract GpuLimits Limits { get; }

    /// <summary>The optional features enabled on the device.</summary>
    public abstract GpuFeatures Features { get; }

    /// <summary>True once disposed.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>True once the device is lost; every further call throws <see cref="GpuDeviceLostException"/>.</summary>
    public abstract bool IsLost { get; }

    /// <summary>
    /// Creates a device. <see cref="GpuBackend.Native"/> fails with <see cref="GpuAdapterUnavailableException"/>
    /// (naming the reason and the fix) when there is no real adapter; <see cref="GpuBackend.Auto"/> then
    /// falls back to the CPU only when <see cref="GpuDeviceOptions.AllowCpuFallback"/> is set.
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">
    /// In the browser, for any backend but <see cref="GpuBackend.Cpu"/> (WebGPU devices are created asynchronously there: use
    /// <see cref="CreateAsync"/>); elsewhere, for <see cref="GpuBackend.Browser"/>.
    /// </exception>
    public static GpuDevice Create(GpuDeviceOptions? options = null)
    {
        options ??= new GpuDeviceOptions();
        if (OperatingSystem.IsBrowser() && options.Backend != GpuBackend.Cpu)
        {
            throw new PlatformNotSupportedException(
                $"GpuDevice.Create cannot wait for navigator.gpu in the browser (backend {options.Backend}): use await GpuDevice.CreateAsync(options).");
        }
        switch (options.Backend)
        {
            case GpuBackend.Cpu:
                return new CpuGpuDevice(options);
            case GpuBackend.Browser:
                throw new PlatformNotSupportedException("The Browser backend runs only on .NET WebAssembly in a browser; use Native or Auto here.");
            case GpuBackend.Native:
                return NativeGpuDevice.CreateNative(options);
            default:
                try
                {
                    return NativeGpuDevice.CreateNative(options);
                }
                catch (GpuAdapterUnavailableException) when (options.AllowCpuFallback)
                {
                    return new CpuGpuDevice(options);
                }
        }
    }

    /// <summary>
    /// Creates a device without blocking: in the browser the only way to get a WebGPU device (<see cref="GpuBackend.Auto"/>
    /// and <see cref="GpuBackend.Browser"/> ask <c>navigator.gpu</c>; Auto falls back to the CPU only when
    /// <see cref="GpuDeviceOptions.AllowCpuFallback"/> is set); elsewhere the same as <see cref="Create"/>.
    /// </summary>
    /// <exception cref="GpuAdapterUnavailableException">No usable adapter; the message says why (in the browser: no WebGPU, no adapter, or the device was refused).</exception>
    public static async Task<GpuDevice> CreateAsync(GpuDeviceOptions? options = null)
    {
        options ??= new GpuDeviceOptions();
        if (!OperatingSystem.IsBrowser()) return Create(options);
        switch (options.Backend)
        {
            case GpuBackend.Cpu:
                return new CpuGpuDevice(options);
            case GpuBackend.Native:
                throw new PlatformNotSupportedException("The Native backend (Dawn) does not run in the browser; use Auto or Browser there.");
            default:
                try
                {
                    return await BrowserGpuDevice.CreateBrowserAsync(options).ConfigureAwait(true);
                }
                catch (GpuAdapterUnavailableException) when (options.Backend == GpuBackend.Auto && options.AllowCpuFallback)
                {
                    return new CpuGpuDevice(options);
                }
        }
    }

    /// <summary>The native adapters Dawn offers (real ones first; Dawn's Null adapter is never listed).</summary>
    /// <exception cref="PlatformNotSupportedException">In the browser, where Dawn does not exist (<see cref="CreateAsync"/> picks the browser's adapter).</exception>
    public static IReadOnlyList<GpuAdapterInfo> ListAdapters() => OperatingSystem.IsBrowser()
        ? throw new PlatformNotSupportedException("Dawn's adapters do not exist in the browser: GpuDevice.CreateAsync asks navigator.gpu for its adapter, and device.Info describes it.")
        : NativeAdapters.List();

    /// <summary>Allocates a zero-filled buffer of <paramref name="length"/> elements.</summary>
    public GpuBuffer<T> Allocate<T>(int length) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        using var call = EnterCall();
        ThrowIfUnusable();
        var bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        return new GpuBuffer<T>(CreateStorage(bytes, typeof(T).Name), length);
    }

    /// <summary>Allocates a buffer holding a copy of <paramref name="data"/>.</summary>
    public GpuBuffer<T> Upload<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        var buffer = Allocate<T>(data.Length);
        try
        {
            buffer.Upload(data);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
        return buffer;
    }

    /// <summary>Creates a stream that records dispatches and submits them together.</summary>
    public GpuStream CreateStream()
    {
        using var call = EnterCall();
        ThrowIfUnusable();
        return CreateStreamCore();
    }

    /// <summary>
    /// Compiles kernels ahead of their first dispatch (natively: shader module and pipeline, once per
    /// device). Throws <see cref="GpuCompilationException"/> with the device's messages for WGSL it refuses.
    /// The CPU backend has nothing to compile.
    /// </summary>
    public void Compile(IEnumerable<KernelInfo> kernels)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        using var call = EnterCall();
        ThrowIfUnusable();
        foreach (var kernel in kernels)
        {
            DispatchValidation.RequireFeatures(this, kernel ?? throw new ArgumentException("A kernel in the list is null.", nameof(kernels)));
            if (kernel is null) throw new ArgumentException("A kernel in the list is null.", nameof(kernels));
            CompileCore(kernel.SpecializationConstants.IsEmpty ? kernel : kernel.Specialize(kernel.Constants), kernel.Constants);
        }
    }

    /// <inheritdoc cref="Compile(IEnumerable{KernelInfo})"/>
    public void Compile(KernelInfo kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        using var call = EnterCall();
        ThrowIfUnusable();
        DispatchValidation.RequireFeatures(this, kernel);
        CompileCore(kernel.SpecializationConstants.IsEmpty ? kernel : kernel.Specialize(kernel.Constants), kernel.Constants);
    }

    /// <summary>
    /// Compiles the pipeline of <paramref name="kernel"/> for one set of values of its WGSL <c>override</c> constants (a kernel's
    /// <see cref="SpecializeAttribute"/> parameters, by their <see cref="SpecializationConstant.Name"/>) ahead of the first
    /// dispatch that uses them: the dispatch then finds it in the device's pipeline cache (each distinct set is its own pipeline).
    /// </summary>
    /// <exception cref="ArgumentException">A [Specialize] parameter has no value, or a value its type cannot hold.</exception>
    public void Compile(KernelInfo kernel, PipelineConstants constants)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(constants);
        using var call = EnterCall();
        ThrowIfUnusable();
        DispatchValidation.RequireFeatures(this, kernel);
        CompileCore(kernel.Specialize(constants), constants);
    }

    /// <summary>
    /// Compiles kernels like <see cref="Compile(IEnumerable{KernelInfo})"/> and completes once the device has checked
    /// them: in the browser, WGSL errors arrive asynchronously, and this is where they are thrown
    /// (<see cref="GpuCompilationException"/>); elsewhere they are thrown at once.
    /// </summary>
    public async Task CompileAsync(IEnumerable<KernelInfo> kernels)
    {
        Compile(kernels);
        await CheckErrorsAsync().ConfigureAwait(true);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Safe while other threads use the device: calls already inside the backend finish first (each is
    /// bounded by <see cref="WaitTimeout"/>), later ones throw <see cref="ObjectDisposedException"/>. After a
    /// timeout the device is lost and this returns at once, releasing the native device on a background thread.
    /// </remarks>
    public void Dispose()
    {
        lock (disposeGate)
        {
            if (IsDisposed) return;
            IsDisposed = true;
        }
        GC.SuppressFinalize(this);
        // The browser has one thread and never blocks in the backend: nothing can be in flight there.
        if (OperatingSystem.IsBrowser() || (!DisposeMayBlock && WaitForCalls(TimeSpan.FromSeconds(2))))
        {
            DisposeCore();
            return;
        }
        // Calls still in flight on other threads, or a device that may block after a timeout: release it on a
        // background thread once every call has left, and return now.
        new Thread(() =>
        {
            WaitForCalls(Timeout.InfiniteTimeSpan);
            DisposeCore();
        })
        { IsBackground = true, Name = "KernelGen device release" }.Start();
    }

    private readonly Lock disposeGate = new();
    private int activeCalls;

    private bool WaitForCalls(TimeSpan limit)
    {
        var deadline = limit == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)limit.TotalMilliseconds;
        var spin = new SpinWait();
        while (Volatile.Read(ref activeCalls) != 0)
        {
            if (Environment.TickCount64 > deadline) return false;
            if (spin.NextSpinWillYield) Thread.Sleep(1);
            else spin.SpinOnce();
        }
        return true;
    }

    /// <summary>
    /// Marks a call into the backend until the returned scope is disposed, so that <see cref="Dispose"/> on another
    /// thread never releases native objects under it. Throws <see cref="ObjectDisposedException"/> once disposed.
    /// </summary>
    internal DeviceCall EnterCall()
    {
        Interlocked.Increment(ref activeCalls);
        if (IsDisposed)
        {
            Interlocked.Decrement(ref activeCalls);
            ObjectDisposedException.ThrowIf(true, this);
        }
        return new DeviceCall(this);
    }

    /// <summary>One call into the backend (see <see cref="EnterCall"/>).</summary>
    internal readonly struct DeviceCall(GpuDevice device) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref device.activeCalls);
    }

    /// <summary>True when releasing the native device could block (after a timeout): <see cref="Dispose"/> then releases it on a background thread.</summary>
    private protected virtual bool DisposeMayBlock => false;

    /// <inheritdoc/>
    public override string ToString() => $"{Backend}: {Info}";

    internal abstract BufferStorage CreateStorage(long bytes, string label);

    internal abstract GpuStream CreateStreamCore();

    internal abstract void DisposeCore();

    /// <summary>Builds the pipeline of a kernel ahead of its first dispatch (the CPU backend has nothing to build).</summary>
    internal virtual void CompileCore(KernelInfo kernel, PipelineConstants constants) => GetPipeline(kernel, constants);

    /// <summary>The device's pipeline of <paramref name="kernel"/> with <paramref name="constants"/> (its <see cref="PipelineCache{TPipeline}"/>; created on first use).</summary>
    internal abstract CompiledPipeline GetPipeline(KernelInfo kernel, PipelineConstants constants);

    /// <summary>Size of the uniform arena of streams created from now on (1 MiB; tests make it small to force refills).</summary>
    internal int UniformArenaBytes { get; set; } = 1 << 20;

    /// <summary>Uniform slices in a command list start at multiples of this (minUniformBufferOffsetAlignment, at least 16).</summary>
    internal virtual int UniformAlignment => 16;

    /// <summary>Releases wanted by finalizers, run at the next call into the device.</summary>
    internal DeferredReleases Releases { get; } = new();

    /// <summary>Throws errors the device reported asynchronously (the browser backend); nothing to do elsewhere.</summary>
    internal virtual Task CheckErrorsAsync() => Task.CompletedTask;

    /// <summary>Throws when the device is disposed, lost or has a pending asynchronous error.</summary>
    internal virtual void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!Releases.IsEmpty) Releases.Run();
    }
}
