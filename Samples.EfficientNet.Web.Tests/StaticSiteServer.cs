using System.Net;
using System.Net.Sockets;

namespace KernelGen.Samples.EfficientNet.Web.Tests;

/// <summary>
/// The tests' own static server on 127.0.0.1: serves the published site, plus files mounted at URL paths
/// straight from where they lie (the fixtures under ../shared are never copied). Serves .wasm as application/wasm.
/// </summary>
internal sealed class StaticSiteServer : IDisposable
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript", [".mjs"] = "text/javascript",
        [".css"] = "text/css", [".json"] = "application/json", [".wasm"] = "application/wasm",
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".map"] = "application/json",
    };

    private readonly HttpListener listener = new();
    private readonly string root;
    private readonly Dictionary<string, string> mounts = new(StringComparer.Ordinal);
    private readonly Task loop;

    public StaticSiteServer(string root)
    {
        this.root = Path.GetFullPath(root);
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    /// <summary>Serves <paramref name="file"/> at <paramref name="urlPath"/> (read at request time, never copied).</summary>
    public string Mount(string urlPath, string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"Cannot serve {file}: it does not exist.", file);
        lock (mounts) mounts["/" + urlPath.TrimStart('/')] = Path.GetFullPath(file);
        return Url(urlPath);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
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
            var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath);
            string? file;
            lock (mounts) mounts.TryGetValue(path, out file);
            if (file is null)
            {
                var relative = path == "/" ? "index.html" : path.TrimStart('/');
                var full = Path.GetFullPath(Path.Combine(root, relative));
                file = full.StartsWith(root, StringComparison.Ordinal) && File.Exists(full) ? full : null;
            }
            if (file is null)
            {
                response.StatusCode = 404;
                return;
            }
            response.ContentType = Types.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
            response.AddHeader("Cache-Control", "no-cache");
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
