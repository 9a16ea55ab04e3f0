using System.Text.RegularExpressions;
using KernelGen.Packaging.Tests.Infrastructure;

namespace KernelGen.Packaging.Tests;

/// <summary>
/// A user's app on the packed KernelGen publishes with NativeAOT (trimmed) without a single trim or AOT
/// warning, and the native executable runs its kernel on Dawn and on the CPU: the generated stubs and the
/// CPU delegates need no reflection.
/// </summary>
[Collection(PackedKernelGenCollection.Name)]
public sealed class NativeAotTests(PackedKernelGen package)
{
    [Fact]
    public void Kernel_app_publishes_with_native_aot_without_warnings_and_runs_on_native_and_cpu()
    {
        Assert.True(OnPath("clang") || OnPath("gcc"),
            "NativeAOT needs clang (or gcc) and zlib1g-dev to link: run scripts/setup-aot.sh (scripts/test.sh does)");
        var project = UserProject.Create(package, "SaxpyAot", SaxpyApp.Sources, """
                <PublishAot>true</PublishAot>
                <InvariantGlobalization>true</InvariantGlobalization>
                <TrimmerSingleWarn>false</TrimmerSingleWarn>
            """);
        var output = Path.Combine(project.Directory, "publish");
        var publish = project.Dotnet(TimeSpan.FromMinutes(6), "publish", "-c", "Release", "-r", "linux-x64", "-o", output,
            "-nologo", "-tl:off", "--disable-build-servers");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.DoesNotMatch(new Regex(@"warning (IL|CS)\d+"), publish.Output);
        Assert.Contains("Generating native code", publish.Output, StringComparison.Ordinal);

        var executable = Path.Combine(output, project.Name);
        Assert.True(File.Exists(executable), $"{executable} missing:\n{publish}");
        Assert.True(File.Exists(Path.Combine(output, "libwebgpu_wrapper.so")), "publish -r linux-x64 should put the package's Dawn next to the executable");
        Assert.False(File.Exists(Path.Combine(output, $"{project.Name}.dll")), "a NativeAOT publish has no managed entry assembly");

        var native = project.RunExecutable(executable, "native");
        Assert.True(native.ExitCode == 0, native.ToString());
        Assert.Contains("backend: Native", native.Output, StringComparison.Ordinal);
        Assert.Contains(SaxpyApp.ExpectedResult, native.Output, StringComparison.Ordinal);

        var cpu = project.RunExecutable(executable, "cpu");
        Assert.True(cpu.ExitCode == 0, cpu.ToString());
        Assert.Contains("backend: Cpu", cpu.Output, StringComparison.Ordinal);
        Assert.Contains(SaxpyApp.ExpectedResult, cpu.Output, StringComparison.Ordinal);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
}
