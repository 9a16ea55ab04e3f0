namespace KernelGen.Runtime.Tests;

/// <summary>
/// One native device per test class. Creation demands the native backend: on a machine without a
/// real adapter every test of the class FAILS with Dawn's reason and the fix (never skips).
/// </summary>
public sealed class NativeDeviceFixture : IDisposable
{
    /// <summary>
    /// Room for a loaded CI machine (load averages of 40-80 were seen on 2 cores): a wait that times out loses the
    /// device, which would fail every later test of the class. Timeout behaviour is tested on devices of its own.
    /// </summary>
    internal static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(10);

    private readonly Lazy<GpuDevice> device = new(() => GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Native, WaitTimeout = WaitTimeout }));

    /// <summary>The shared native device (created on first use so a failure is reported by each test).</summary>
    public GpuDevice Device => device.Value;

    /// <summary>A CPU-backend device for comparisons.</summary>
    public GpuDevice Cpu { get; } = GpuDevice.Create(new GpuDeviceOptions { Backend = GpuBackend.Cpu, WaitTimeout = WaitTimeout });

    public void Dispose()
    {
        if (device.IsValueCreated) device.Value.Dispose();
        Cpu.Dispose();
    }
}
