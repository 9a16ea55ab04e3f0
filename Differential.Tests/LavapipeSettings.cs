using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KernelGen.Differential.Tests;

/// <summary>
/// Lavapipe (Mesa's Vulkan on the CPU) compiles a compute pipeline with LLVM at its first dispatch, and LLVM's
/// optimisation passes took about 200 ms of CPU per random kernel: ten times the rest of a kernel's cost (seeds 1..60:
/// dispatch 11.0 s of CPU with them, 0.2 s without). The differential tests turn them off with Mesa's
/// <c>GALLIVM_PERF=no_opt</c> unless the variable is set (set it empty to run LLVM's optimised code). What is compared
/// does not change: Dawn still translates and validates every kernel, and the WGSL's meaning does not depend on how
/// lavapipe's LLVM optimises it (floats are compared bit for bit only while every operation is exact).
/// </summary>
internal static partial class LavapipeSettings
{
    [ModuleInitializer]
    internal static void Apply()
    {
        // Before any device exists: Mesa reads the variable once, natively (Environment.SetEnvironmentVariable does
        // not reach the C environment on Unix), so it is set with libc's setenv, which keeps a value already set.
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("GALLIVM_PERF") is null)
            _ = setenv("GALLIVM_PERF", "no_opt", 0);
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
