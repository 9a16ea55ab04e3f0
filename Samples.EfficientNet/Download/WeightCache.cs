using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KernelGen.Samples.EfficientNet.Download;

/// <summary>
/// The user's cache folder for downloaded weights: <c>$XDG_CACHE_HOME/kernelgen</c> (else
/// <c>~/.cache/kernelgen</c>) on Linux and other Unixes, <c>%LOCALAPPDATA%\kernelgen</c> on Windows,
/// <c>~/Library/Caches/kernelgen</c> on macOS. A file lands there only whole and verified
/// (see <see cref="WeightDownloader"/>).
/// </summary>
public sealed class WeightCache
{
    /// <summary>A cache in <paramref name="directory"/> (created when something is stored).</summary>
    public WeightCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The cache folder.</summary>
    public string Directory { get; }

    /// <summary>The current user's cache, from the real environment and OS.</summary>
    public static WeightCache ForCurrentUser() => new(DefaultDirectory(Environment.GetEnvironmentVariable, CurrentOs()));

    /// <summary>The operating systems whose cache conventions differ.</summary>
    public enum OsFamily
    {
        /// <summary>Linux and other Unixes: the XDG base directory convention.</summary>
        Unix,

        /// <summary>Windows: <c>%LOCALAPPDATA%</c>.</summary>
        Windows,

        /// <summary>macOS: <c>~/Library/Caches</c>.</summary>
        MacOs,
    }

    /// <summary>The OS family this process runs on.</summary>
    public static OsFamily CurrentOs() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OsFamily.Windows
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OsFamily.MacOs
        : OsFamily.Unix;

    /// <summary>The cache folder for <paramref name="os"/> given the environment (<c>HOME</c>, <c>XDG_CACHE_HOME</c>, <c>LOCALAPPDATA</c>, <c>USERPROFILE</c>).</summary>
    /// <exception cref="WeightDownloadException">No variable names a home or cache folder.</exception>
    public static string DefaultDirectory(Func<string, string?> environment, OsFamily os)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Absolute(string name) => environment(name) is { Length: > 0 } v && Path.IsPathRooted(v) ? v : null;
        switch (os)
        {
            case OsFamily.Windows:
                if (Absolute("LOCALAPPDATA") is string local) return Path.Combine(local, "kernelgen");
                if (Absolute("USERPROFILE") is string profile) return Path.Combine(profile, "AppData", "Local", "kernelgen");
                throw new WeightDownloadException("neither LOCALAPPDATA nor USERPROFILE is set: cannot place the weights cache.");
            case OsFamily.MacOs:
                if (Absolute("HOME") is string macHome) return Path.Combine(macHome, "Library", "Caches", "kernelgen");
                throw new WeightDownloadException("HOME is not set: cannot place the weights cache.");
            default:
                // XDG: a relative XDG_CACHE_HOME is invalid and must be ignored.
                if (Absolute("XDG_CACHE_HOME") is string xdg) return Path.Combine(xdg, "kernelgen");
                if (Absolute("HOME") is string home) return Path.Combine(home, ".cache", "kernelgen");
                throw new WeightDownloadException("neither XDG_CACHE_HOME nor HOME is set: cannot place the weights cache.");
        }
    }

    /// <summary>Where <paramref name="source"/> is (or would be) stored.</summary>
    public string PathOf(WeightSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Path.Combine(Directory, source.FileName);
    }

    /// <summary>The stored file of <paramref name="source"/>, or null when there is none.</summary>
    public string? Find(WeightSource source)
    {
        string path = PathOf(source);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using FileStream fs = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }
}
