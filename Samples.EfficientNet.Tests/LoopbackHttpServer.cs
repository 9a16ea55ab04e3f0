using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace KernelGen.Samples.EfficientNet.Tests;

/// <summary>A request as the loopback server saw it.</summary>
internal sealed record LoopbackRequest(string Method, string Path, string? Range);

/// <summary>
/// What the loopback server answers. <see cref="CloseAfter"/> cuts the body after that many bytes (the
/// headers still promise all of it); <see cref="ChunkDelay"/> sends the body in <see cref="ChunkSize"/>
/// pieces with a pause between; <see cref="StallAfterHeaders"/> sends the headers and then nothing.
/// </summary>
internal sealed record LoopbackResponse(int Status, byte[] Body)
{
    public long? ContentRangeFrom { get; init; }

    public long? ContentRangeTotal { get; init; }

    public int? CloseAfter { get; init; }

    public TimeSpan ChunkDelay { get; init; }

    public int ChunkSize { get; init; } = 16 * 1024;

    public bool StallAfterHeaders { get; init; }

    /// <summary>The whole file, or the part a <c>Range: bytes=N-</c> asks for (206), as a static file server does.</summary>
    public static LoopbackResponse File(byte[] file, LoopbackRequest request, bool honourRange = true)
    {
        if (honourRange && request.Range is string range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            long from = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
            return new LoopbackResponse(206, file[(int)from..]) { ContentRangeFrom = from, ContentRangeTotal = file.Length };
        }
        return new LoopbackResponse(200, file);
    }
}

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for the download tests: one request per connection,
/// answered by a test's handler; it serves at most <see cref="MaxRequests"/> requests and stops when disposed.
/// </summary>
internal sealed class LoopbackHttpServer : IDisposable
{
    public const int MaxRequests = 16;

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Func<LoopbackRequest, LoopbackResponse> handler;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly ConcurrentQueue<LoopbackRequest> requests = new();

    public LoopbackHttpServer(Func<LoopbackRequest, LoopbackResponse> handler)
    {
        this.handler = handler;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    public IReadOnlyList<LoopbackRequest> Requests => [.. requests];

    /// <summary>A port on which nothing listens (bound, read, released).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        var connections = new List<Task>();
        for (int served = 0; served < MaxRequests && !stop.IsCancellationRequested; served++)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
            connections.Add(Task.Run(() => Serve(client)));
        }
        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                LoopbackRequest request = await ReadRequest(stream);
                requests.Enqueue(request);
                LoopbackResponse response = handler(request);
                var head = new StringBuilder();
                head.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n");
                head.Append(CultureInfo.InvariantCulture, $"Content-Length: {response.Body.Length}\r\n");
                head.Append("Content-Type: application/octet-stream\r\nConnection: close\r\n");
                if (response.Status == 200 || response.Status == 206)
                    head.Append("Accept-Ranges: bytes\r\n");
                if (response.ContentRangeFrom is long from)
                    head.Append(CultureInfo.InvariantCulture, $"Content-Range: bytes {from}-{from + response.Body.Length - 1}/{response.ContentRangeTotal}\r\n");
                head.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), stop.Token);
                await stream.FlushAsync(stop.Token);
                if (response.StallAfterHeaders)
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                    return;
                }
                int end = Math.Min(response.CloseAfter ?? response.Body.Length, response.Body.Length);
                for (int at = 0; at < end; at += response.ChunkSize)
                {
                    if (at > 0 && response.ChunkDelay > TimeSpan.Zero)
                        await Task.Delay(response.ChunkDelay, stop.Token);
                    await stream.WriteAsync(response.Body.AsMemory(at, Math.Min(response.ChunkSize, end - at)), stop.Token);
                }
                await stream.FlushAsync(stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the test ended.
            }
        }
    }

    private static async Task<LoopbackRequest> ReadRequest(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1];
        while (bytes.Count < 16 * 1024)
        {
            if (await stream.ReadAsync(buffer) == 0) break;
            bytes.Add(buffer[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') break;
        }
        string[] lines = Encoding.ASCII.GetString([.. bytes]).Split("\r\n");
        string[] first = lines[0].Split(' ');
        string? range = lines.Skip(1).Where(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Range:".Length..].Trim()).FirstOrDefault();
        return new LoopbackRequest(first[0], first.Length > 1 ? first[1] : "", range);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        206 => "Partial Content",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
