using KernelGen.Backends.Browser;

namespace KernelGen.Runtime.Tests;

/// <summary>The browser module's error reports are typed (status + message), not prefixed strings.</summary>
public class BrowserErrorReportTests
{
    [Theory]
    [InlineData("""{"status":3,"message":"destroyed: gone"}""", 3, "destroyed: gone")]
    [InlineData("""{"status":2,"message":"The device refused the WGSL of kernel K (K.cs(3)):\n    1:2: bad"}""", 2, "The device refused the WGSL of kernel K (K.cs(3)):\n    1:2: bad")]
    [InlineData("""{"status":4,"message":"creating buffer"}""", 4, "creating buffer")]
    [InlineData("""{"status":1,"message":"lost|not a prefix any more"}""", 1, "lost|not a prefix any more")]
    [InlineData("""{"status":99,"message":"unknown"}""", 1, "unknown")]
    [InlineData("plain text", 1, "plain text")]
    public void Reports_parse_to_their_status_and_message(string json, int status, string message)
    {
        var parsed = BrowserError.Parse(json);
        Assert.Equal((BrowserErrorStatus)status, parsed.Status);
        Assert.Equal(message, parsed.Message);
    }
}
