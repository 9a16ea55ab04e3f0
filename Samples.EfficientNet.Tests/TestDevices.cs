namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>
/// Devices for the sample tests. These tests check answers, never speed: a lavapipe forward pass of a
/// barrier-heavy variant that takes a few seconds on an idle machine took over the default 30 s wait at a
/// load average of 22, so every wait gets ten minutes. A hang still ends the test, with the runtime's timeout error.
/// </summary>
internal static class TestDevices
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromMinutes(10);

    public static GpuDevice Create(GpuBackend backend) => GpuDevice.Create(new GpuDeviceOptions { Backend = backend, WaitTimeout = WaitTimeout });
}
