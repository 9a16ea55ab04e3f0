using KernelGen.Samples.EfficientNet.Cli;

// efficientnet: EfficientNet-B0 built from [Kernel] C# methods, run on WebGPU (Dawn) or the CPU.
// Standard output is not disposed: with auto-flush nothing is left in it, and a failed final flush must not
// turn an exit code into an unhandled exception.
return CommandRunner.Run(args, CommandRunner.OpenStandardOutput(), Console.Error);
