using KernelGen;
using KernelGen.Samples.EfficientNet.Cli;
using KernelGen.Samples.EfficientNet.Download;
using KernelGen.Samples.EfficientNet.Weights;

// efficientnet: EfficientNet-B0 built from [Kernel] C# methods, run on WebGPU (Dawn) or the CPU.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(Commands.Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    CommandLine cl = CommandLine.Parse(args, Commands.Options, Commands.Flags);
    return cl.Command switch
    {
        "classify" => Commands.Classify(cl, Console.Out, Console.Error),
        "verify" => Commands.Verify(cl, Console.Out, Console.Error),
        "weights fetch" => FetchWeights(cl),
        "weights path" => WeightsCommands.PathOf(Console.Out, CachedWeights.ForCurrentUser()),
        _ => throw new UsageException($"unknown command '{cl.Command}'."),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(Commands.Usage);
    return 2;
}
catch (Exception ex) when (ex is WeightFormatException or FileNotFoundException or InvalidDataException or GpuException or WeightDownloadException)
{
    // User-facing failures (bad files, no adapter, device errors, downloads): the message says what and where.
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled; nothing was stored.");
    return 130;
}

// Ctrl+C stops the download and removes its partial file (the downloader's finally) before the process ends.
static int FetchWeights(CommandLine cl)
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
        return WeightsCommands.Fetch(cl, Console.Out, Console.Error, CachedWeights.ForCurrentUser(), interactive: !Console.IsErrorRedirected, cancellationToken: cancel.Token);
    }
    finally
    {
        Console.CancelKeyPress -= onCancel;
    }
}
