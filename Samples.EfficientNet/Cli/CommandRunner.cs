using KernelGen.Samples.EfficientNet.Download;
using KernelGen.Samples.EfficientNet.Weights;

namespace KernelGen.Samples.EfficientNet.Cli;

/// <summary>
/// The one entry point of the command-line tool: parses, dispatches to a command, and turns every expected
/// failure (a usage mistake, a bad or unreadable file, no adapter, a device error, output that cannot be
/// written) into one <c>error:</c> line and a non-zero exit code, never a stack trace. New commands go in
/// <see cref="Dispatch"/> and get the same handling.
/// </summary>
public static class CommandRunner
{
    /// <summary>
    /// Standard output as a writer that reports a closed pipe: .NET's console stream silently drops writes that fail
    /// with EPIPE, which would let a truncated result exit 0. On Unix this writes to descriptor 1 through a
    /// <see cref="FileStream"/>, which throws instead; elsewhere, or if descriptor 1 is not open, it is <see cref="Console.Out"/>.
    /// </summary>
    public static TextWriter OpenStandardOutput()
    {
        if (OperatingSystem.IsWindows() || OperatingSystem.IsBrowser() || OperatingSystem.IsWasi())
            return Console.Out;
        try
        {
            var stream = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            return new StreamWriter(stream, new System.Text.UTF8Encoding(false), bufferSize: 4096) { AutoFlush = true };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Console.Out;
        }
    }

    /// <summary>Runs the tool; returns the process exit code (0 success, 1 failure, 2 usage mistake).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where progress and errors go.</param>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var output = new CheckedWriter(stdout, "standard output");
        var progress = new CheckedWriter(stderr, "standard error");
        try
        {
            int code;
            if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
            {
                output.WriteLine(Commands.Usage);
                code = args.Length == 0 ? 2 : 0;
            }
            else
            {
                code = Dispatch(CommandLine.Parse(args, Commands.Options, Commands.Flags), output, progress);
            }
            output.Flush();
            return code;
        }
        catch (UsageException ex)
        {
            Report(stderr, $"error: {ex.Message}{Environment.NewLine}{Environment.NewLine}{Commands.Usage}");
            return 2;
        }
        catch (Exception ex) when (IsExpected(ex))
        {
            Report(stderr, $"error: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Report(stderr, "cancelled; nothing was stored.");
            return 130;
        }
    }

    /// <summary>Ctrl+C stops the download and removes its partial file (the downloader's finally) before the process ends.</summary>
    private static int FetchWeights(CommandLine cl, TextWriter output, TextWriter progress)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return WeightsCommands.Fetch(cl, output, progress, CachedWeights.ForCurrentUser(), interactive: !Console.IsErrorRedirected, cancellationToken: cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int Dispatch(CommandLine cl, TextWriter output, TextWriter progress) => cl.Command switch
    {
        "classify" => Commands.Classify(cl, output, progress),
        "verify" => Commands.Verify(cl, output, progress),
        "weights fetch" => FetchWeights(cl, output, progress),
        "weights path" => WeightsCommands.PathOf(output, CachedWeights.ForCurrentUser()),
        _ => throw new UsageException($"unknown command '{cl.Command}'."),
    };

    /// <summary>Failures of the input, the environment or the device, as opposed to bugs (which keep their stack trace).</summary>
    private static bool IsExpected(Exception ex) =>
        ex is CommandFailedException or WeightFormatException or WeightDownloadException or InvalidDataException or GpuException
            or IOException or UnauthorizedAccessException;

    /// <summary>Writes the error line; if standard error itself cannot be written, the exit code still tells.</summary>
    private static void Report(TextWriter stderr, string message)
    {
        try
        {
            stderr.WriteLine(message);
            stderr.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // Nowhere left to say it.
        }
    }

    /// <summary>A writer that names the stream when a write fails (a full disk, a closed pipe).</summary>
    private sealed class CheckedWriter(TextWriter inner, string name) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override IFormatProvider FormatProvider => inner.FormatProvider;

        public override string NewLine
        {
#pragma warning disable CS8765 // TextWriter.NewLine's setter accepts null; the getter never returns it.
            get => inner.NewLine;
            set => inner.NewLine = value;
#pragma warning restore CS8765
        }

        public override void Write(char value) => Guard(() => inner.Write(value));

        public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

        public override void Write(string? value) => Guard(() => inner.Write(value));

        public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

        public override void WriteLine() => Guard(inner.WriteLine);

        public override void Flush() => Guard(inner.Flush);

        private void Guard(Action write)
        {
            try
            {
                write();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                throw new IOException($"cannot write to {name}: {ex.Message}", ex);
            }
        }
    }
}
