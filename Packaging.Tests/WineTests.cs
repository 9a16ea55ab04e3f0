using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using KernelGen.Packaging.Tests.Infrastructure;

namespace KernelGen.Packaging.Tests;

/// <summary>
/// Windows for real, under Debian's Wine: apps on the packed KernelGen, published `-r win-x64 --self-contained`,
/// run as Windows programs: the package's webgpu_wrapper.dll (Dawn for Windows) loads with Wine's VC++ runtime,
/// Dawn's Vulkan backend reaches Mesa lavapipe through winevulkan, and the results are exact (saxpy) or within
/// the fixture's tolerance (EfficientNet-B0 against PyTorch's logits). Needs wine64 and xvfb-run
/// (scripts/setup-wine.sh; scripts/test.sh runs it); fails, never skips, without them.
/// </summary>
[Collection(PackedKernelGenCollection.Name)]
public sealed partial class WineTests(PackedKernelGen package)
{
    private const string Wine64 = "/usr/lib/wine/wine64";
    private const string WineServer = "/usr/lib/wine/wineserver";
    private static readonly Lock PrefixGate = new();

    [Fact]
    public void Win_x64_self_contained_saxpy_runs_under_wine_on_dawns_vulkan_backend()
    {
        var project = UserProject.Create(package, "SaxpyWin", SaxpyApp.Sources);
        var output = Publish(project);

        var native = RunUnderWine(project, Path.Combine(output, "SaxpyWin.exe"), ["native"]);
        Assert.True(native.ExitCode == 0, native.ToString());
        Assert.Contains("backend: Native", native.Output, StringComparison.Ordinal);
        Assert.Matches(@"adapter: .*\(Vulkan, ", native.Output);
        Assert.Contains("dawn next to app: True", native.Output, StringComparison.Ordinal);
        Assert.Contains(SaxpyApp.ExpectedResult, native.Output, StringComparison.Ordinal);

        var cpu = RunUnderWine(project, Path.Combine(output, "SaxpyWin.exe"), ["cpu"]);
        Assert.True(cpu.ExitCode == 0, cpu.ToString());
        Assert.Contains("backend: Cpu", cpu.Output, StringComparison.Ordinal);
        Assert.Contains(SaxpyApp.ExpectedResult, cpu.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Win_x64_efficientnet_forward_pass_under_wine_matches_the_pytorch_fixture()
    {
        var sample = RepositoryRoot.Combine("Samples.EfficientNet");
        var fixture = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "fixtures", "efficientnet_b0"));
        Assert.True(File.Exists(Path.Combine(fixture, "reference_io.safetensors")), $"the fixture is missing at {fixture}");
        // The sample's sources as a user's project would hold them, on the package instead of the repository's projects.
        var project = UserProject.Create(package, "EfficientNetWin", new Dictionary<string, string>(), """
                <AssemblyName>efficientnet</AssemblyName>
                <RootNamespace>KernelGen.Samples.EfficientNet</RootNamespace>
                <InvariantGlobalization>true</InvariantGlobalization>
            """, $"""
                <PackageReference Include="SkiaSharp" Version="{CentralVersion("SkiaSharp")}" />
                <Compile Include="{sample}/**/*.cs" Exclude="{sample}/bin/**;{sample}/obj/**" />
                <EmbeddedResource Include="{sample}/Resources/imagenet_classes.txt" LogicalName="KernelGen.Samples.EfficientNet.imagenet_classes.txt" />
            """);
        var output = Publish(project);

        var verify = RunUnderWine(project, Path.Combine(output, "efficientnet.exe"),
            ["verify", "--weights", WindowsPath(Path.Combine(fixture, "weights.f16.safetensors")), "--reference", WindowsPath(Path.Combine(fixture, "reference_io.safetensors"))],
            TimeSpan.FromMinutes(8));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Matches(@"Device: Native: .*\(Vulkan, ", verify.Output);
        Assert.Contains("top1_match=8/8", verify.Output, StringComparison.Ordinal);
        var diff = MaxAbsDiff().Match(verify.Output);
        Assert.True(diff.Success, verify.ToString());
        Assert.InRange(double.Parse(diff.Groups[1].Value, CultureInfo.InvariantCulture), 0, 1e-3);
    }

    private static string Publish(UserProject project)
    {
        var output = Path.Combine(project.Directory, "publish-win-x64");
        var publish = project.Dotnet(TimeSpan.FromMinutes(6), "publish", "-c", "Release", "-r", "win-x64", "--self-contained", "-o", output,
            "-nologo", "-tl:off", "--disable-build-servers");
        Assert.True(publish.ExitCode == 0, publish.ToString());
        Assert.True(File.Exists(Path.Combine(output, "webgpu_wrapper.dll")), $"publish -r win-x64 should put the package's webgpu_wrapper.dll next to the app:\n{publish}");
        Assert.False(File.Exists(Path.Combine(output, "libwebgpu_wrapper.so")), "a win-x64 publish must not carry the Linux library");
        return output;
    }

    private CommandResult RunUnderWine(UserProject project, string executable, string[] arguments, TimeSpan? timeout = null)
    {
        Assert.True(File.Exists(Wine64) && OnPath("xvfb-run"), "Wine tests need Debian's wine64 and xvfb-run: run scripts/setup-wine.sh (scripts/test.sh does)");
        var prefix = Path.Combine(package.Root, "wine-prefix");
        var environment = new Dictionary<string, string?>
        {
            ["WINEPREFIX"] = prefix,
            ["WINEDEBUG"] = "-all",
            // No winedbg waiting forever on an unhandled exception. (mscoree must stay: CoreCLR loads IL images through it.)
            ["WINEDLLOVERRIDES"] = "winedbg.exe=d",
            ["KERNELGEN_WEBGPU_LIB"] = null,
            ["KERNELGEN_NATIVE_BACKEND"] = null,
            ["DOTNET_ROOT"] = null,
        };
        lock (PrefixGate)
        {
            // A program started while Wine still creates its prefix fails to load its own DLLs: create it first and wait.
            if (!File.Exists(Path.Combine(prefix, "system.reg")))
            {
                // No Mono/Gecko installers while the prefix is created.
                var boot = CommandLine.Run(Wine64, ["wineboot", "-i"], project.Directory,
                    new Dictionary<string, string?>(environment) { ["WINEDLLOVERRIDES"] = "mscoree,mshtml=" }, TimeSpan.FromMinutes(3));
                Assert.True(boot.ExitCode == 0, boot.ToString());
                var settle = CommandLine.Run(WineServer, ["-w"], project.Directory, environment, TimeSpan.FromMinutes(3));
                Assert.True(settle.ExitCode == 0, settle.ToString());
            }
        }
        // winevulkan needs Wine's X11 driver, hence a virtual display.
        return CommandLine.Run("xvfb-run", ["-a", Wine64, executable, .. arguments], project.Directory, environment, timeout ?? TimeSpan.FromMinutes(3));
    }

    /// <summary>Wine maps the Unix root to drive Z:.</summary>
    private static string WindowsPath(string unixPath) => "Z:" + unixPath.Replace('/', '\\');

    private static string CentralVersion(string package) =>
        XDocument.Load(RepositoryRoot.Combine("Directory.Packages.props")).Descendants()
            .Single(e => e.Name.LocalName == "PackageVersion" && e.Attribute("Include")?.Value == package).Attribute("Version")!.Value;

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    [GeneratedRegex(@"max_abs_diff=([0-9.eE+-]+) top1_match=")]
    private static partial Regex MaxAbsDiff();
}
