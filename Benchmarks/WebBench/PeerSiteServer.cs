using System.Net;
using System.Net.Sockets;

namespace KernelGen.Benchmarks.Web;

/// <summary>
/// The peer page's server on 127.0.0.1: files under URL prefixes mapped to folders, and single files mounted at URL
/// paths, all read where they lie (the fixture is never copied). Every answer carries the cross-origin isolation
/// headers (COOP same-origin, COEP require-corp), so the page gets SharedArrayBuffer and onnxruntime-web can run
/// its multithreaded wasm backend.
/// </summary>
internal sealed class PeerSiteServer : IDisposable
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript", [".mjs"] = "text/javascript",
        [".json"] = "application/json", [".wasm"] = "application/wasm",
    };

    private readonly HttpListener listener = new();
    private readonly Dictionary<string, string> folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> files = new(StringComparer.Ordinal);
    private readonly Task loop;

    public PeerSiteServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    /// <summary>Serves the files under <paramref name="folder"/> at <c>/prefix/...</c>.</summary>
    public void MountFolder(string prefix, string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Cannot serve {folder}: it does not exist.");
        folders["/" + prefix.Trim('/') + "/"] = Path.GetFullPath(folder) + Path.DirectorySeparatorChar;
    }

    /// <summary>Serves <paramref name="file"/> at <paramref name="urlPath"/>.</summary>
    public void MountFile(string urlPath, string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"Cannot serve {file}: it does not exist.", file);
        files["/" + urlPath.TrimStart('/')] = Path.GetFullPath(file);
    }

    private string? Resolve(string path)
    {
        if (files.TryGetValue(path, out var file)) return file;
        foreach (var (prefix, folder) in folders)
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var full = Path.GetFullPath(Path.Combine(folder, path[prefix.Length..]));
            if (full.StartsWith(folder, StringComparison.Ordinal) && File.Exists(full)) return full;
        }
        return null;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Answer(context));
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            response.AddHeader("Cross-Origin-Opener-Policy", "same-origin");
            response.AddHeader("Cross-Origin-Embedder-Policy", "require-corp");
            response.AddHeader("Cross-Origin-Resource-Policy", "same-origin");
            response.AddHeader("Cache-Control", "no-cache");
            var file = Resolve(Uri.UnescapeDataString(context.Request.Url!.AbsolutePath));
            if (file is null)
            {
                response.StatusCode = 404;
                return;
            }
            response.ContentType = Types.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
            using var stream = File.OpenRead(file);
            response.ContentLength64 = stream.Length;
            stream.CopyTo(response.OutputStream);
        }
        catch (Exception e) when (e is IOException or HttpListenerException)
        {
            // The browser went away mid-answer; nothing to do.
        }
        finally
        {
            try { response.Close(); } catch (ObjectDisposedException) { }
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try { loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
