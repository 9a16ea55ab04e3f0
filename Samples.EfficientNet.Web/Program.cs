namespace KernelGen.Samples.EfficientNet.Web;

/// <summary>The page's .NET entry point: everything else is driven from main.js through <see cref="PageInterop"/>.</summary>
public static class Program
{
    /// <summary>Nothing to do at start: the page asks for the device and the weights when it is ready.</summary>
    public static void Main()
    {
    }
}
