namespace KernelGen.Runtime.Tests;

/// <summary>
/// One native device per test class. Creation demands the native backend: on a machine without a
/// real adapter every test of the class FAILS with Dawn's reason and the fix (never skips).
/// </summary>
public sealed class NativeDeviceFixture : IDisposable
{
    private readonly Lazy<GpuDevice> device = new(() => GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native }));

    /// <summary>The shared native device (created on first use so a failure is reported by each test).</summary>
    public GpuDevice Device => device.Value;

    /// <summary>A CPU-backend device for comparisons.</summary>
    public GpuDevice Cpu { get; } = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu });

    public void Dispose()
    {
        if (device.IsValueCreated) device.Value.Dispose();
        Cpu.Dispose();
    }
}
