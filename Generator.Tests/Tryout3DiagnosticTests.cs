using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The third outside-user round's rejections (Runtime.Tests/Tryout3 holds what runs; README.md there lists them): each is
/// exactly one error at the marked span whose message names what works instead. A case whose construct becomes supported
/// (several are other engineers' areas: 64-bit arithmetic, patterns) fails here: move it to a runtime kernel then.
/// </summary>
public class Tryout3DiagnosticTests
{
    private const string Prelude = "using System;\nusing System.Numerics;\nusing System.Threading;\nusing KernelGen;\n\nnamespace Tests;\n\n";

    public static TheoryData<string, string, string> Cases => new()
    {
        // The length of a buffer of bytes, shorts or 3-byte pixels: its last word may hold padding.
        { "KG0066", "pass the length as an int parameter", "public static partial class C { [Kernel] public static void K(ThreadId id, ReadOnlySpan<byte> image, Span<int> y) { if (id.X < [|image.Length|]) y[id.X] = image[id.X]; } }" },
        // A static readonly vector (a Vector3 cannot be const in C#).
        { "KG0024", "pass the value as a uniform parameter", "public static partial class C { static readonly Vector3 Gravity = Vector3.Normalize(new(0f, -9.8f, 0f)); [Kernel] public static void K(ThreadId id, Span<Vector3> v) { v[id.X] += [|Gravity|]; } }" },
        // MemoryExtensions on a per-invocation array, Debug.Assert.
        { "KG0018", "write the computation as a static method", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> w = stackalloc float[5]; for (int k = 0; k < 5; k++) w[k] = y[(id.X + k) % y.Length]; [|w.Sort()|]; y[id.X] = w[2]; } }" },
        { "KG0018", "write values to a Span<T> buffer parameter", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|System.Diagnostics.Debug.Assert(id.X >= 0)|]; y[id.X] = 1f; } }" },
        // .NET math without a WGSL built-in: the message lists the ones that have one.
        { "KG0018", "the Single methods that have", "public static partial class C { [Kernel] public static void K(ThreadId id, ReadOnlySpan<float> x, Span<int> y) { y[id.X] = [|x[id.X].CompareTo(0f)|]; } }" },
        { "KG0018", "the MathF methods that have", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = [|MathF.MaxMagnitude(y[id.X], -2f)|]; } }" },
        { "KG0018", "multiply by the power of ten", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = [|MathF.Round(y[id.X], 2)|]; } }" },
        // A tuple swap of two elements of a byte buffer (C#'s byte layout): one error per element, the message saying to use a local.
        { "KG0066", "copy the element to a local", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<byte> data, int n) { int i = id.X, j = n - 1 - id.X; if (i < j) ([|data[i]|], [|data[j]|]) = (data[j], data[i]); } }" },
        // checked arithmetic, a span chosen by ?: between two buffers.
        { "KG0016", "remove checked", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[id.X] = checked([|id.X * 2|]); } }" },
        { "KG0051", "index each where it is chosen", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool useA) { ReadOnlySpan<float> src = [|useA ? a : b|]; y[id.X] = src[id.X]; } }" },
        // Translated since (removed from this list): Math.DivRem, an `is var` pattern, Math.Max(int, uint) and int % uint
        // (C#'s long; 64-bit / % and Math.Max translate).
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_outside_users_rejected_kernel_gets_one_diagnostic_that_says_what_works(string id, string advice, string markup)
    {
        var (source, spans) = Markup.Parse(Prelude + markup);
        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Exception);
        var reported = run.Diagnostics.Select(d => $"{d.Id} {d.Location.SourceSpan} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}'").ToList();
        var expected = spans.Select(s => $"{id} {s} '{source.Substring(s.Start, s.Length)}'").ToList();
        Assert.True(expected.SequenceEqual(reported), $"expected {string.Join("; ", expected)}\nreported {string.Join("; ", run.Diagnostics.Select(d => $"{d.Id} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}"))}");
        Assert.All(run.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Contains(advice, run.Diagnostics[0].GetMessage());
    }
}
