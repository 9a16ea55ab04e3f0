using System.Reflection;
using System.Runtime.InteropServices;

namespace KernelGen.Interop.Dawn;

/// <summary>
/// Finds Dawn's <c>libwebgpu_wrapper.so</c> for the P/Invokes of <see cref="Wgpu"/>: the file named by
/// <c>KERNELGEN_WEBGPU_LIB</c>, else next to the application, else in the repository's <c>.native/</c>
/// (found by walking up from the application folder).
/// </summary>
internal static partial class WebGpuLibrary
{
    /// <summary>The environment variable that names the library file explicitly.</summary>
    public const string EnvironmentVariable = "KERNELGEN_WEBGPU_LIB";

    /// <summary>The library's file name.</summary>
    public const string FileName = "libwebgpu_wrapper.so";

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
        foreach (var candidate in Candidates())
        {
            tried.Add(candidate.Description);
            if (candidate.Path is null || !File.Exists(candidate.Path)) continue;
            if (NativeLibrary.TryLoad(candidate.Path, out var handle))
            {
                cachedHandle = handle;
                cachedPath = candidate.Path;
                return (handle, candidate.Path, tried);
            }
            tried[^1] += " (exists but failed to load)";
        }
        return (0, null, tried);
    }

    /// <summary>The places searched, in order, with a description of each for error messages.</summary>
    internal static IEnumerable<(string? Path, string Description)> Candidates()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        yield return (string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment,
            $"${EnvironmentVariable} = {(string.IsNullOrEmpty(fromEnvironment) ? "(unset)" : fromEnvironment)}");
        var besideApp = Path.Combine(AppContext.BaseDirectory, FileName);
        yield return (besideApp, $"next to the application: {besideApp}");
        var repo = FindRepositoryNativeFolder(AppContext.BaseDirectory);
        yield return (repo is null ? null : Path.Combine(repo, FileName),
            repo is null ? "the repository's .native/ folder (no .native/ found above the application folder)" : $"the repository's .native/: {Path.Combine(repo, FileName)}");
    }

    private static string? FindRepositoryNativeFolder(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            var native = Path.Combine(dir.FullName, ".native");
            if (File.Exists(Path.Combine(native, FileName))) return native;
        }
        return null;
    }

    internal static string MissingLibraryMessage(List<string> tried) =>
        $"Dawn's WebGPU library ({FileName}) was not found. Looked at:\n  1. {string.Join("\n  ", tried.Select((t, i) => i == 0 ? t : $"{i + 1}. {t}"))}\n" +
        $"Fix: build the project (the build fetches it from the npm package bun-webgpu-linux-x64@0.1.7 into .native/ and copies it next to the app), " +
        $"run scripts/setup-native.sh, or set {EnvironmentVariable} to the library's full path.";

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
