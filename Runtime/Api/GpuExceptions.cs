namespace KernelGen;

/// <summary>An error reported by a GPU backend.</summary>
public class GpuException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GpuException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The C# name of the kernel involved, when one is.</summary>
    public string? KernelName { get; init; }
}

/// <summary>
/// A kernel needs a WebGPU feature (<c>shader-f16</c>, <c>subgroups</c>, ...) that the device's adapter lacks:
/// the same exception on the native, browser and CPU backends, thrown when the kernel is compiled or dispatched.
/// </summary>
public sealed class GpuFeatureNotSupportedException : GpuException
{
    /// <summary>Creates the exception.</summary>
    public GpuFeatureNotSupportedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuFeatureNotSupportedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuFeatureNotSupportedException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The missing feature, by its WebGPU name (<c>shader-f16</c>).</summary>
    public string? Feature { get; init; }

    /// <summary>Where the kernel's C# method is declared (<c>file(line)</c>).</summary>
    public string? SourceLocation { get; init; }
}

/// <summary>No usable WebGPU adapter: the library is missing, no adapter exists, or only Dawn's Null backend does.</summary>
public sealed class GpuAdapterUnavailableException : GpuException
{
    /// <summary>Creates the exception.</summary>
    public GpuAdapterUnavailableException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuAdapterUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuAdapterUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The device reported a validation, out-of-memory or internal error (Dawn's message included).</summary>
public sealed class GpuValidationException : GpuException
{
    /// <summary>Creates the exception.</summary>
    public GpuValidationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuValidationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuValidationException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The device refused a kernel's WGSL; <see cref="Exception.Message"/> holds the compiler's messages.</summary>
public sealed class GpuCompilationException : GpuException
{
    /// <summary>Creates the exception.</summary>
    public GpuCompilationException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuCompilationException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuCompilationException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The compiler's messages, each as <c>line:column: text</c>.</summary>
    public IReadOnlyList<string> CompilerMessages { get; init; } = [];
}

/// <summary>The device was lost (driver reset, destroyed); create a new <see cref="GpuDevice"/>.</summary>
public sealed class GpuDeviceLostException : GpuException
{
    /// <summary>Creates the exception.</summary>
    public GpuDeviceLostException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuDeviceLostException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuDeviceLostException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A wait for the device did not complete within <see cref="GpuDevice.WaitTimeout"/>.</summary>
public sealed class GpuTimeoutException : GpuException
{
    /// <summary>Creates the exception.</summary>
    public GpuTimeoutException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A kernel threw while running on the CPU backend; the inner exception is what it threw.</summary>
public sealed class GpuKernelException : GpuException
{
    /// <summary>Creates the exception.</summary>
    public GpuKernelException() { }

    /// <summary>Creates the exception with a message.</summary>
    public GpuKernelException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GpuKernelException(string message, Exception innerException) : base(message, innerException) { }
}
