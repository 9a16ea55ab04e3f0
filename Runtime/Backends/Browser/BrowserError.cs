using System.Text.Json;

namespace KernelGen.Backends.Browser;

/// <summary>The kinds of error kernelgen-webgpu.js reports (its <c>ErrorStatus</c> table has the same numbers).</summary>
internal enum BrowserErrorStatus
{
    Validation = 1,
    Compilation = 2,
    DeviceLost = 3,
    OutOfMemory = 4,
    Internal = 5,
}

/// <summary>Reads the module's error report, <c>{ "status": n, "message": "..." }</c>.</summary>
internal static class BrowserError
{
    public static (BrowserErrorStatus Status, string Message) Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var status = root.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) && Enum.IsDefined((BrowserErrorStatus)n)
                ? (BrowserErrorStatus)n
                : BrowserErrorStatus.Validation;
            var message = root.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
            return (status, message);
        }
        catch (JsonException)
        {
            return (BrowserErrorStatus.Validation, json); // not a report: keep the text
        }
    }
}
