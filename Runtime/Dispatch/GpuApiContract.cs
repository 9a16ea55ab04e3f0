// CONTRACT PLACEHOLDER: the Runtime issue replaces this file with the real GpuDevice/GpuBuffer/GpuStream.
// The generated dispatch stubs call exactly these members; keep their signatures.
namespace KernelGen;

/// <summary>A typed buffer on a device.</summary>
public abstract class GpuBuffer : IDisposable
{
    /// <summary>Number of elements.</summary>
    public abstract int Length { get; }

    /// <summary>The element type.</summary>
    public abstract Type ElementType { get; }

    /// <inheritdoc/>
    public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }

    /// <summary>Releases the buffer.</summary>
    protected virtual void Dispose(bool disposing) { }
}

/// <summary>A typed buffer of <typeparamref name="T"/> on a device.</summary>
public abstract class GpuBuffer<T> : GpuBuffer where T : unmanaged
{
    /// <inheritdoc/>
    public override Type ElementType => typeof(T);
}

/// <summary>Records dispatches and submits them together.</summary>
public sealed class GpuStream
{
    /// <summary>Records one dispatch of <paramref name="kernel"/>.</summary>
    /// <param name="kernel">The kernel.</param>
    /// <param name="buffers">One buffer per storage binding, in binding order.</param>
    /// <param name="uniforms">The uniform block, laid out as in WGSL (empty when the kernel has none).</param>
    /// <param name="grid">The dispatch size.</param>
    public void Dispatch(KernelInfo kernel, ReadOnlySpan<GpuBuffer> buffers, ReadOnlySpan<byte> uniforms, Grid grid)
        => throw new NotImplementedException();
}

/// <summary>Every kernel of the loaded assemblies, registered by generated module initializers.</summary>
public static class KernelRegistry
{
    private static readonly List<KernelInfo> kernels = [];

    /// <summary>All registered kernels.</summary>
    public static IReadOnlyList<KernelInfo> All { get { lock (kernels) return kernels.ToArray(); } }

    /// <summary>Registers an assembly's kernels (called by generated code).</summary>
    public static void Register(IEnumerable<KernelInfo> assemblyKernels)
    {
        lock (kernels) kernels.AddRange(assemblyKernels);
    }
}
