using KernelGen;
using KernelGen.Samples.EfficientNet.Cli;
using KernelGen.Samples.EfficientNet.Weights;

// efficientnet: EfficientNet-B0 built from [Kernel] C# methods, run on WebGPU (Dawn) or the CPU.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.Out.WriteLine(Commands.Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    CommandLine cl = CommandLine.Parse(args, Commands.Options);
    return cl.Command switch
    {
        "classify" => Commands.Classify(cl, Console.Out, Console.Error),
        "verify" => Commands.Verify(cl, Console.Out, Console.Error),
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
catch (Exception ex) when (ex is WeightFormatException or FileNotFoundException or InvalidDataException or GpuException)
{
    // User-facing failures (bad files, no adapter, device errors): the message says what and where.
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}
