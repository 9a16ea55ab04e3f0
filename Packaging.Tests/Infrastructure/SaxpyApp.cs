namespace KernelGen.Packaging.Tests.Infrastructure;

/// <summary>The sources of the user's first app: one [Kernel] and a Program that runs it on the backend named on the command line.</summary>
internal static class SaxpyApp
{
    public const string Kernel = """
        using KernelGen;

        namespace PackageUser;

        public static partial class Saxpy
        {
            [Kernel(WorkgroupSize = 64)]
            public static void Run(ThreadId id, ReadOnlySpan<float> x, Span<float> y, float a)
            {
                int i = id.X;
                if (i >= y.Length) return;
                y[i] = a * x[i] + y[i];
            }
        }

        """;

    public const string Program = """
        using KernelGen;
        using PackageUser;

        var backend = args.Length > 0 && args[0] == "cpu" ? GpuBackend.Cpu : GpuBackend.Native;
        using var device = GpuDevice.Create(new GpuDeviceOptions { Backend = backend });
        const int n = 1000;
        var x = new float[n];
        var y = new float[n];
        for (int i = 0; i < n; i++) { x[i] = i; y[i] = 1f; }
        using var xs = device.Upload<float>(x);
        using var ys = device.Upload<float>(y);
        using var stream = device.CreateStream();
        Saxpy.Gpu.Run(stream, xs, ys, 2f, n);
        stream.Synchronize();
        var result = ys.ToArray();
        long sum = 0;
        foreach (var v in result) sum += (long)v;
        Console.WriteLine($"backend: {device.Backend}");
        Console.WriteLine($"adapter: {device.Info}");
        var dawnNames = new[] { "libwebgpu_wrapper.so", "webgpu_wrapper.dll", "libwebgpu_wrapper.dylib" };
        Console.WriteLine($"dawn next to app: {dawnNames.Any(name => File.Exists(Path.Combine(AppContext.BaseDirectory, name)))}");
        Console.WriteLine($"kernels: {string.Join(",", KernelGen.Generated.KernelCatalog.All.Select(k => k.Name))}");
        Console.WriteLine($"y[0]={(long)result[0]} y[1]={(long)result[1]} y[999]={(long)result[999]} sum={sum}");

        """;

    /// <summary>y = 2x + 1 for x = 0..999: exact in float; the sum of the first 1000 odd numbers is 1000².</summary>
    public const string ExpectedResult = "y[0]=1 y[1]=3 y[999]=1999 sum=1000000";

    public static IReadOnlyDictionary<string, string> Sources => new Dictionary<string, string>
    {
        ["Saxpy.cs"] = Kernel,
        ["Program.cs"] = Program,
    };
}
