using System.Text.RegularExpressions;
using KernelGen.Packaging.Tests.Infrastructure;

namespace KernelGen.Packaging.Tests;

/// <summary>
/// What a new user does: a fresh console project outside the repository, a PackageReference to the
/// packed KernelGen, one [Kernel], `dotnet build`, `dotnet run` on the native adapter and on the CPU.
/// </summary>
[Collection(PackedKernelGenCollection.Name)]
public sealed class NewUserTests(PackedKernelGen package)
{
    private static readonly Lock Gate = new();
    private static (UserProject Project, CommandResult Build)? built;

    /// <summary>The saxpy app, built once for the tests of this class.</summary>
    private (UserProject Project, CommandResult Build) BuiltApp()
    {
        lock (Gate)
        {
            if (built is { } done && done.Project.Directory.StartsWith(package.Root, StringComparison.Ordinal)) return done;
            var project = UserProject.Create(package, "SaxpyApp", SaxpyApp.Sources);
            built = (project, project.Build());
            return built.Value;
        }
    }

    [Fact]
    public void Fresh_console_project_builds_without_warnings()
    {
        var (_, build) = BuiltApp();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(new Regex(@": warning [A-Z]+\d+", RegexOptions.Multiline), build.Output);
    }

    [Fact]
    public void Build_puts_dawn_next_to_the_app_from_the_package()
    {
        var (project, build) = BuiltApp();
        Assert.True(build.ExitCode == 0, build.ToString());
        var besideApp = Path.Combine(project.OutputFolder, "libwebgpu_wrapper.so");
        Assert.True(File.Exists(besideApp), $"{besideApp} missing after build");
        var fromPackage = Path.Combine(project.Directory, ".packages", "kernelgen", package.Version, "runtimes", "linux-x64", "native", "libwebgpu_wrapper.so");
        Assert.True(File.Exists(fromPackage), $"the package was not restored into the project's own packages folder: {fromPackage} missing");
        Assert.Equal(new FileInfo(fromPackage).Length, new FileInfo(besideApp).Length);
    }

    [Fact]
    public void Dotnet_run_computes_the_kernel_on_the_native_adapter()
    {
        var (project, build) = BuiltApp();
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = project.RunBuilt("native");
        Assert.True(run.ExitCode == 0, $"The app failed on the native adapter (is a Vulkan driver installed? scripts/setup-native.sh):\n{run}");
        Assert.Contains("backend: Native", run.Output, StringComparison.Ordinal);
        Assert.Contains("dawn next to app: True", run.Output, StringComparison.Ordinal);
        Assert.Contains("kernels: PackageUser.Saxpy.Run", run.Output, StringComparison.Ordinal);
        Assert.Contains(SaxpyApp.ExpectedResult, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Dotnet_run_computes_the_kernel_on_the_cpu_backend()
    {
        var (project, build) = BuiltApp();
        Assert.True(build.ExitCode == 0, build.ToString());
        var run = project.RunBuilt("cpu");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("backend: Cpu", run.Output, StringComparison.Ordinal);
        Assert.Contains(SaxpyApp.ExpectedResult, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_construct_fails_the_build_with_its_diagnostic_at_the_exact_location()
    {
        // Line 11, column 16: the call MathF.BitIncrement(...), which has no WGSL built-in.
        const string kernel = """
            using KernelGen;

            namespace PackageUser;

            public static partial class Roots
            {
                [Kernel(WorkgroupSize = 64)]
                public static void Cube(ThreadId id, Span<float> y)
                {
                    int i = id.X;
                    y[i] = MathF.BitIncrement(y[i]);
                }
            }

            """;
        var project = UserProject.Create(package, "BrokenKernelApp", new Dictionary<string, string>
        {
            ["Roots.cs"] = kernel,
            ["Program.cs"] = "System.Console.WriteLine(\"unreachable\");\n",
        });
        var build = project.Build();
        Assert.NotEqual(0, build.ExitCode);
        var roots = Path.Combine(project.Directory, "Roots.cs");
        var error = new Regex($@"^\s*{Regex.Escape(roots)}\(11,16\): error KG0018: 'System\.MathF\.BitIncrement' cannot be called from a kernel: it has no WGSL built-in equivalent", RegexOptions.Multiline);
        Assert.True(error.IsMatch(build.Output), $"expected {error} in:\n{build}");
        // The generator reports and stops: no crash (AD0001/CS8785) and no follow-on errors from missing stubs.
        var errors = build.Output.Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
        Assert.True(errors.Count == 1 && errors[0].Contains("error KG0018", StringComparison.Ordinal), string.Join('\n', errors));
    }
}
