using System.Reflection;
using System.Runtime.InteropServices;

namespace KernelGen.Interop.Dawn;

/// <summary>
/// Finds Dawn's library for the P/Invokes of <see cref="Wgpu"/> (<c>libwebgpu_wrapper.so</c> on Linux,
/// <c>webgpu_wrapper.dll</c> on Windows, <c>libwebgpu_wrapper.dylib</c> on macOS): the file named by
/// <c>KERNELGEN_WEBGPU_LIB</c>, else next to the application, else the package's <c>runtimes/&lt;rid&gt;/native/</c>
/// below the application, else the native asset folders NuGet's deps.json gives the host, else the repository's
/// <c>.native/</c> (found by walking up from the application folder). A failure names every place and what is
/// missing on this OS.
/// </summary>
internal static partial class WebGpuLibrary
{
    /// <summary>The environment variable that names the library file explicitly.</summary>
    public const string EnvironmentVariable = "KERNELGEN_WEBGPU_LIB";

    /// <summary>The Dawn builds the package ships, per runtime identifier (the same pins as build/KernelGen.Dawn.props).</summary>
    internal static readonly IReadOnlyList<ShippedDawn> Shipped =
    [
        new("linux-x64", "libwebgpu_wrapper.so", "bun-webgpu-linux-x64", "0.1.7", "libwebgpu_wrapper.so"),
        new("win-x64", "webgpu_wrapper.dll", "bun-webgpu-win32-x64", "0.1.5", "win-x64/webgpu_wrapper.dll"),
        new("osx-arm64", "libwebgpu_wrapper.dylib", "bun-webgpu-darwin-arm64", "0.1.5", "osx-arm64/libwebgpu_wrapper.dylib"),
        new("osx-x64", "libwebgpu_wrapper.dylib", "bun-webgpu-darwin-x64", "0.1.5", "osx-x64/libwebgpu_wrapper.dylib"),
    ];

    /// <summary>The library's file name on this OS.</summary>
    public static string FileName { get; } = FileNameFor(CurrentOs());

    /// <summary>This process's runtime identifier in the package's terms (e.g. <c>win-x64</c>), also for RIDs it does not ship.</summary>
    public static string Rid { get; } = RidFor(CurrentOs(), RuntimeInformation.ProcessArchitecture);

    /// <summary>The shipped build for this process, or null where the package has none (e.g. linux-arm64).</summary>
    public static ShippedDawn? ForThisProcess { get; } = Shipped.FirstOrDefault(d => d.Rid == Rid);

    private static readonly Lock Gate = new();
    private static bool registered;
    private static string? loadedFrom;

    /// <summary>The path the library was loaded from, once loaded.</summary>
    public static string? LoadedFrom => loadedFrom;

    /// <summary>Installs the resolver and checks the library loads; throws a clear error otherwise.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loadedFrom != null) return;
            PrepareEnvironment();
            if (!registered)
            {
                NativeLibrary.SetDllImportResolver(typeof(WebGpuLibrary).Assembly, Resolve);
                registered = true;
            }
            var (handle, path, tried) = Load();
            if (handle == 0)
                throw new GpuAdapterUnavailableException(MissingLibraryMessage(tried));
            CheckIsDawn(handle, path!);
            loadedFrom = path;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Wgpu.Library) return 0;
        var (handle, _, tried) = Load();
        if (handle == 0) throw new DllNotFoundException(MissingLibraryMessage(tried));
        return handle;
    }

    private static nint cachedHandle;
    private static string? cachedPath;

    private static (nint Handle, string? Path, List<string> Tried) Load()
    {
        var tried = new List<string>();
        if (cachedHandle != 0) return (cachedHandle, cachedPath, tried);
        ThrowIfNamedFileIsMissing(Environment.GetEnvironmentVariable(EnvironmentVariable));
        foreach (var candidate in Candidates())
        {
            tried.Add(candidate.Description);
            if (candidate.Path is null || !File.Exists(candidate.Path)) continue;
            if (TryLoadFile(candidate.Path, out var handle, out var failure))
            {
                cachedHandle = handle;
                cachedPath = candidate.Path;
                return (handle, candidate.Path, tried);
            }
            tried[^1] += failure;
        }
        return (0, null, tried);
    }

    private static bool TryLoadFile(string path, out nint handle, out string failure)
    {
        try
        {
            handle = NativeLibrary.Load(path);
            failure = "";
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            // The loader's own words (dlerror / the Windows error) say which dependency or version is missing.
            handle = 0;
            failure = $" (exists but failed to load: {e.Message.Trim()})";
            return false;
        }
    }

    /// <summary>The message <see cref="EnsureLoaded"/> would give if <paramref name="path"/> were the only place (for tests).</summary>
    internal static string MessageForCandidate(string path)
    {
        if (TryLoadFile(path, out var handle, out var failure))
        {
            NativeLibrary.Free(handle);
            return $"{path} loads";
        }
        return MissingLibraryMessage([$"the file {path}{failure}"]);
    }

    /// <summary>The places searched, in order, with a description of each for error messages.</summary>
    internal static IEnumerable<(string? Path, string Description)> Candidates()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        yield return (string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment,
            $"${EnvironmentVariable} = {(string.IsNullOrEmpty(fromEnvironment) ? "(unset)" : fromEnvironment)}");
        var besideApp = Path.Combine(AppContext.BaseDirectory, FileName);
        yield return (besideApp, $"next to the application: {besideApp}");
        var packageAsset = Path.Combine(AppContext.BaseDirectory, "runtimes", Rid, "native", FileName);
        yield return (packageAsset, $"the package's native asset for {Rid} below the application: {packageAsset}");
        foreach (var folder in NuGetNativeFolders())
        {
            var inFolder = Path.Combine(folder, FileName);
            yield return (inFolder, $"a native asset folder from the app's deps.json: {inFolder}");
        }
        var repo = FindRepositoryNativeFolder(AppContext.BaseDirectory);
        yield return (repo,
            repo is null ? "the repository's .native/ folder (no .native/ holding Dawn found above the application folder)" : $"the repository's .native/: {repo}");
    }

    /// <summary>
    /// The folders the host's NuGet native asset resolution derived from deps.json (the app's RID-specific
    /// <c>runtimes/&lt;rid&gt;/native/</c> folders, package folders under <c>dotnet run</c>), minus the app folder.
    /// </summary>
    private static IEnumerable<string> NuGetNativeFolders()
    {
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is not string folders) yield break;
        var app = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        foreach (var folder in folders.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(Path.TrimEndingDirectorySeparator(folder), app, StringComparison.Ordinal)) continue;
            yield return folder;
        }
    }

    private static string? FindRepositoryNativeFolder(string start)
    {
        var relative = ForThisProcess?.RepositoryPath ?? FileName;
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".native", relative);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>An explicit choice that does not exist is an error, not a reason to load some other copy silently.</summary>
    internal static void ThrowIfNamedFileIsMissing(string? named)
    {
        if (string.IsNullOrEmpty(named) || File.Exists(named)) return;
        throw new GpuAdapterUnavailableException(
            $"${EnvironmentVariable} names '{named}', which does not exist. Set it to the full path of Dawn's {FileName}, or unset it to use the copy next to the application.");
    }

    /// <summary>Entry points every use of the library needs; a library without them is not Dawn's webgpu.h build.</summary>
    internal static readonly string[] RequiredExports = ["wgpuCreateInstance", "wgpuInstanceWaitAny", "wgpuInstanceRequestAdapter", "wgpuAdapterRequestDevice", "wgpuDeviceCreateComputePipeline"];

    /// <summary>Throws a clear error when the loaded library lacks Dawn's entry points (instead of EntryPointNotFoundException at the first call).</summary>
    internal static void CheckIsDawn(nint handle, string path)
    {
        var missing = RequiredExports.Where(name => !NativeLibrary.TryGetExport(handle, name, out _)).ToList();
        if (missing.Count == 0) return;
        throw new GpuAdapterUnavailableException(
            $"The library loaded as Dawn's WebGPU ({path}) is not Dawn's webgpu.h build: it lacks {string.Join(", ", missing)}. " +
            $"Point ${EnvironmentVariable} at Dawn's {FileName}, or unset it. " + MissingFix());
    }

    internal static string MissingLibraryMessage(List<string> tried)
    {
        var places = string.Join("\n  ", tried.Select((t, i) => $"{i + 1}. {t}"));
        var failedToLoad = tried.Any(t => t.Contains("exists but failed to load", StringComparison.Ordinal));
        return $"Dawn's WebGPU library ({FileName}) could not be {(failedToLoad ? "loaded" : "found")} for {Rid}. Looked at:\n  {places}\n" +
            (failedToLoad ? LoadFailureHint(CurrentOs()) + "\n" : "") + MissingFix();
    }

    /// <summary>What the library needs on this OS, for when a file exists but the loader refuses it.</summary>
    internal static string LoadFailureHint(DawnOs os) => os switch
    {
        DawnOs.Windows =>
            "On Windows, webgpu_wrapper.dll needs the Microsoft Visual C++ 2015-2022 Redistributable (x64): VCRUNTIME140.dll, " +
            "VCRUNTIME140_1.dll and MSVCP140.dll. Install it (vc_redist.x64.exe from Microsoft) or place those DLLs next to the app. " +
            "Dawn loads d3dcompiler_47.dll (part of Windows) and vulkan-1.dll (installed with GPU drivers) itself when it needs them.",
        DawnOs.MacOS =>
            $"On macOS, libwebgpu_wrapper.dylib needs macOS 13 (Ventura) or later (this is {Environment.OSVersion.Version}) and the build for " +
            "this CPU (osx-arm64 on Apple silicon, osx-x64 on Intel; an x64 process under Rosetta needs osx-x64). A copy downloaded by a " +
            "browser may be quarantined: xattr -d com.apple.quarantine <path>.",
        DawnOs.Linux =>
            "On Linux, libwebgpu_wrapper.so needs x86-64 glibc 2.27 or later with libstdc++ (not musl/Alpine).",
        _ => "",
    };

    private static string MissingFix()
    {
        if (ForThisProcess is not { } shipped)
            return $"KernelGen ships Dawn for {string.Join(", ", Shipped.Select(d => d.Rid))}, not for {Rid}. " +
                $"Fix: build Dawn's C library (webgpu.h of June 2025) for {Rid} and set {EnvironmentVariable} to its full path, or use GpuBackend.Cpu.";
        return $"Fix: reference the KernelGen package (it carries runtimes/{shipped.Rid}/native/{shipped.FileName}; `dotnet publish -r {shipped.Rid}` " +
            $"puts it next to the app); in this repository, build the project (the build fetches it from the npm package {shipped.NpmPackage}@{shipped.NpmVersion} " +
            $"into .native/) or run scripts/setup-native.sh; or set {EnvironmentVariable} to the library's full path.";
    }

    internal static string FileNameFor(DawnOs os) => os switch
    {
        DawnOs.Windows => "webgpu_wrapper.dll",
        DawnOs.MacOS => "libwebgpu_wrapper.dylib",
        _ => "libwebgpu_wrapper.so",
    };

    internal static string RidFor(DawnOs os, Architecture architecture)
    {
        var osPart = os switch
        {
            DawnOs.Windows => "win",
            DawnOs.MacOS => "osx",
            DawnOs.Linux => "linux",
            _ => RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant(),
        };
        return $"{osPart}-{architecture.ToString().ToLowerInvariant()}";
    }

    private static DawnOs CurrentOs() =>
        OperatingSystem.IsWindows() ? DawnOs.Windows
        : OperatingSystem.IsMacOS() ? DawnOs.MacOS
        : OperatingSystem.IsLinux() ? DawnOs.Linux
        : DawnOs.Other;

    /// <summary>
    /// Dawn probes Wayland when XDG_RUNTIME_DIR is unset and prints noise; give it a private folder.
    /// .NET's Environment does not change the native environment, so this calls libc's setenv.
    /// </summary>
    private static void PrepareEnvironment()
    {
        if (!OperatingSystem.IsLinux()) return;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"))) return;
        // One folder per user (not per process, so runs do not pile up folders); a fresh one if that is not ours.
        string dir;
        try
        {
            dir = Path.Combine(Path.GetTempPath(), $"kernelgen-xdg-{Environment.UserName}");
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            dir = Directory.CreateTempSubdirectory("kernelgen-xdg-").FullName; // 0700 on Unix
        }
        Environment.SetEnvironmentVariable("XDG_RUNTIME_DIR", dir);
        _ = SetEnv("XDG_RUNTIME_DIR", dir, 1);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}

/// <summary>The operating systems the library's file name and needs depend on.</summary>
internal enum DawnOs
{
    Linux,
    Windows,
    MacOS,
    Other,
}

/// <summary>One Dawn build the package ships: its RID, file name, npm origin and place under the repository's <c>.native/</c>.</summary>
internal sealed record ShippedDawn(string Rid, string FileName, string NpmPackage, string NpmVersion, string RepositoryPath);
