using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KernelGen.Tuning;

/// <summary>How much a <see cref="KernelTuner"/> measures.</summary>
public enum TuneMode
{
    /// <summary>No measurement and no cache: every problem gets its first (default) candidate.</summary>
    Off,

    /// <summary>A cached choice when there is one, else a short measurement (3 replays of 3 repetitions), cached.</summary>
    Quick,

    /// <summary>A choice cached by a full tune when there is one, else a longer measurement (7 replays of 10 repetitions), cached.</summary>
    Full,
}

/// <summary>Where a <see cref="TuneResult"/> came from.</summary>
public enum TuneSource
{
    /// <summary>The first candidate, without measuring (<see cref="TuneMode.Off"/> or a single candidate).</summary>
    Default,

    /// <summary>Read from the tuning cache.</summary>
    Cached,

    /// <summary>Measured now.</summary>
    Measured,
}

/// <summary>One way of doing the work of a tuning problem.</summary>
/// <param name="Name">Stable name (it is what the cache stores).</param>
/// <param name="Record">Records the candidate's dispatches into a stream (it is captured and replayed; it must not wait).</param>
public sealed record TuneCandidate(string Name, Action<GpuStream> Record);

/// <summary>The choice for one problem.</summary>
/// <param name="Key">The problem key.</param>
/// <param name="Choice">The chosen candidate's name.</param>
/// <param name="Source">Default, cached or measured.</param>
/// <param name="Microseconds">Measured time per repetition of each candidate (empty for a default choice).</param>
public sealed record TuneResult(string Key, string Choice, TuneSource Source, IReadOnlyDictionary<string, double> Microseconds);

/// <summary>
/// Chooses among equivalent kernel configurations by timing them on the device, once per distinct problem, and
/// caches the choice per adapter and driver in the user's cache folder. Any caller can use it for its own kernels:
/// describe a problem by a key (the shape, e.g. <c>pointwise/n1/192x1152/7x7</c>) and its candidates (each records its
/// dispatches); <see cref="Choose"/> captures each candidate as a graph of a few repetitions, replays it, keeps the
/// fastest by median host time per repetition and remembers it. Candidates of one problem must compute the same
/// result; they may write scratch buffers freely (the timing replays run them on whatever the buffers hold).
/// Not thread-safe. Needs a device that can wait (native or CPU); in the browser use <see cref="TuneMode.Off"/>.
/// </summary>
public sealed class KernelTuner : IDisposable
{
    /// <summary>The environment variable that overrides the cache folder.</summary>
    public const string CacheFolderEnvironmentVariable = "KERNELGEN_CACHE_DIR";

    private readonly GpuDevice device;
    private readonly JsonObject entries;
    private GpuStream? stream;
    private bool dirty;
    private bool disposed;

    /// <summary>Creates a tuner for <paramref name="device"/>.</summary>
    /// <param name="device">The device whose kernels are timed.</param>
    /// <param name="mode">How much to measure.</param>
    /// <param name="scope">Names the caller's kernel set (for example <c>EfficientNetB0-v3</c>): change it when the kernels change, so old choices are not reused.</param>
    /// <param name="cacheFile">The cache file; null: <see cref="DefaultCacheFile"/> for this device and scope. Unused with <see cref="TuneMode.Off"/>.</param>
    /// <exception cref="NotSupportedException">Measuring was asked for on the browser backend, which cannot wait synchronously.</exception>
    public KernelTuner(GpuDevice device, TuneMode mode, string scope, string? cacheFile = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        if (mode is not TuneMode.Off && device.Backend is GpuBackend.Browser)
            throw new NotSupportedException("Tuning needs synchronous waits, which the browser backend cannot do; use TuneMode.Off there.");
        this.device = device;
        Mode = mode;
        Scope = scope;
        CacheFile = mode is TuneMode.Off ? null : cacheFile ?? DefaultCacheFile(device.Info, scope);
        entries = Load(CacheFile);
    }

    /// <summary>How much this tuner measures.</summary>
    public TuneMode Mode { get; }

    /// <summary>The caller's kernel set.</summary>
    public string Scope { get; }

    /// <summary>The cache file read and written, or null with <see cref="TuneMode.Off"/>.</summary>
    public string? CacheFile { get; }

    /// <summary>Every choice made so far, in order.</summary>
    public IReadOnlyList<TuneResult> Results => results;

    private readonly List<TuneResult> results = [];

    /// <summary>
    /// The user's cache folder for tuning choices: <c>$KERNELGEN_CACHE_DIR</c>, else <c>$XDG_CACHE_HOME/kernelgen/tuning</c>
    /// or <c>~/.cache/kernelgen/tuning</c> on Linux, <c>~/Library/Caches/kernelgen/tuning</c> on macOS, the local
    /// application data folder's <c>kernelgen/tuning</c> on Windows.
    /// </summary>
    public static string DefaultCacheFolder()
    {
        string? overridden = Environment.GetEnvironmentVariable(CacheFolderEnvironmentVariable);
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string root;
        if (OperatingSystem.IsWindows())
            root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        else if (OperatingSystem.IsMacOS())
            root = Path.Combine(home, "Library", "Caches");
        else
            root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(home, ".cache");
        return Path.Combine(root, "kernelgen", "tuning");
    }

    /// <summary>The cache file for an adapter and driver (name, backend, driver description, PCI ids) and a scope.</summary>
    public static string DefaultCacheFile(GpuAdapterInfo adapter, string scope)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        string name = $"{scope}-{adapter.Device}-{adapter.BackendType}-{adapter.Description}-{adapter.VendorId:x4}-{adapter.DeviceId:x4}";
        var safe = new StringBuilder(name.Length);
        foreach (char ch in name) safe.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' or '_' ? ch : '_');
        return Path.Combine(DefaultCacheFolder(), safe + ".json");
    }

    /// <summary>
    /// The fastest of <paramref name="candidates"/> for problem <paramref name="key"/> (the first one with
    /// <see cref="TuneMode.Off"/> or when it is the only one); measured at most once per key and cache file.
    /// </summary>
    /// <exception cref="ArgumentException">No candidates, or two with the same name.</exception>
    public TuneResult Choose(string key, IReadOnlyList<TuneCandidate> candidates)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0) throw new ArgumentException($"Tuning problem '{key}' has no candidates.", nameof(candidates));
        if (candidates.Select(c => c.Name).Distinct().Count() != candidates.Count)
            throw new ArgumentException($"Tuning problem '{key}' has two candidates of the same name.", nameof(candidates));

        TuneResult result;
        if (Mode is TuneMode.Off || candidates.Count == 1)
        {
            result = new TuneResult(key, candidates[0].Name, TuneSource.Default, new Dictionary<string, double>());
        }
        else if (entries[key] is JsonObject cached
                 && cached["choice"]?.GetValue<string>() is string choice
                 && candidates.Any(c => c.Name == choice)
                 && (Mode is TuneMode.Quick || cached["mode"]?.GetValue<string>() == nameof(TuneMode.Full))
                 && SameCandidates(cached, candidates))
        {
            result = new TuneResult(key, choice, TuneSource.Cached, ReadTimes(cached));
        }
        else
        {
            var times = new Dictionary<string, double>();
            foreach (TuneCandidate c in candidates) times[c.Name] = Measure(c);
            string best = candidates.MinBy(c => times[c.Name])!.Name;
            var timesNode = new JsonObject();
            foreach ((string name, double us) in times) timesNode[name] = Math.Round(us, 2);
            entries[key] = new JsonObject { ["choice"] = best, ["mode"] = Mode.ToString(), ["us"] = timesNode };
            dirty = true;
            result = new TuneResult(key, best, TuneSource.Measured, times);
        }
        results.Add(result);
        return result;
    }

    /// <summary>Writes the cache file if a choice was measured since it was read (also done by <see cref="Dispose"/>).</summary>
    public void Save()
    {
        if (!dirty || CacheFile is null) return;
        var root = new JsonObject
        {
            ["scope"] = Scope,
            ["adapter"] = device.Info.ToString(),
            ["entries"] = entries.DeepClone(),
        };
        string? folder = Path.GetDirectoryName(CacheFile);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        string temporary = CacheFile + ".tmp" + Environment.ProcessId;
        File.WriteAllText(temporary, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temporary, CacheFile, overwrite: true);
        dirty = false;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        try
        {
            Save();
        }
        finally
        {
            disposed = true;
            stream?.Dispose();
        }
    }

    private double Measure(TuneCandidate candidate)
    {
        (int repetitions, int replays) = Mode is TuneMode.Full ? (10, 7) : (3, 3);
        stream ??= device.CreateStream();
        using GpuGraph graph = stream.Capture(s =>
        {
            for (int i = 0; i < repetitions; i++) candidate.Record(s);
        });
        graph.Replay(); // warm-up (first use of the pipelines and bind groups)
        stream.Synchronize();
        var samples = new double[replays];
        for (int r = 0; r < replays; r++)
        {
            long start = Stopwatch.GetTimestamp();
            graph.Replay();
            stream.Synchronize();
            samples[r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / repetitions;
        }
        Array.Sort(samples);
        return samples[replays / 2];
    }

    private static bool SameCandidates(JsonObject cached, IReadOnlyList<TuneCandidate> candidates) =>
        cached["us"] is JsonObject us && us.Count == candidates.Count && candidates.All(c => us.ContainsKey(c.Name));

    private static Dictionary<string, double> ReadTimes(JsonObject cached)
    {
        var times = new Dictionary<string, double>();
        if (cached["us"] is JsonObject us)
            foreach ((string name, JsonNode? value) in us)
                if (value is not null) times[name] = value.GetValue<double>();
        return times;
    }

    private static JsonObject Load(string? file)
    {
        if (file is null || !File.Exists(file)) return [];
        try
        {
            return JsonNode.Parse(File.ReadAllText(file))?["entries"] is JsonObject e ? (JsonObject)e.DeepClone() : [];
        }
        catch (JsonException)
        {
            return []; // an unreadable cache is re-measured and rewritten
        }
    }
}
