using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The second outside-user round's misuse (Runtime.Tests/Tryout2 holds what runs): what a new user writes first that has
/// no GPU meaning, or that another engineer's construct will cover, gives exactly one diagnostic at the marked span.
/// A case whose construct lands elsewhere fails here with what the generator now says: update it then.
/// </summary>
public class Tryout2DiagnosticTests
{
    private const string Prelude = "using System;\nusing System.Linq;\nusing System.Numerics;\nusing KernelGen;\n\nnamespace Tests;\n\n";

    public static TheoryData<string, string> Cases => new()
    {
        // A barrier only some invocations reach.
        { "KG0030", "public static partial class C { [Kernel(WorkgroupSize = 64)] public static void K(LocalId local, Span<float> y, [GroupShared(64)] Span<float> t) { t[local.X] = 1f; if (local.X < 32) [|Workgroup.Barrier()|]; y[local.X] = t[63 - local.X]; } }" },
        // Writing an input buffer.
        { "KG0020", "public static partial class C { [Kernel] public static void K(ThreadId id, ReadOnlySpan<float> x) { [|x[id.X]|] = 0f; } }" },
        // A class as a parameter, a string, an exception, recursion.
        { "KG0006", "public class Options { public float Gain; }\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, [|Options|] o) { y[id.X] = o.Gain; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|string|] label = \"a\"; y[id.X] = label.Length; } }" },
        { "KG0015", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { if (id.X >= y.Length) [|throw|] new ArgumentOutOfRangeException(nameof(id)); y[id.X] = 1f; } }" },
        { "KG0019", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[id.X] = Fib(id.X); } static int Fib(int n) => n < 2 ? n : [|Fib(n - 1)|] + Fib(n - 2); }" },
        // double maths, a double local, Math.Sqrt of a float (which C# widens to double).
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|double|] d = y[id.X]; y[id.X] = (float)d; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = (float)[|Math.Sqrt(y[id.X])|]; } }" },
        // A 2-D array, LINQ, a lambda.
        { "KG0055", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|var|] m = new float[3, 3]; y[id.X] = m[1, 1]; } }" },
        { "KG0016", "public static partial class C { [Kernel] public static void K(ThreadId id, ReadOnlySpan<float> x, Span<float> y) { y[id.X] = [|x.ToArray().Sum()|]; } }" },
        { "KG0017", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|Func<float, float>|] f = v => v * 2f; y[id.X] = f(1f); } }" },
        // Console output.
        { "KG0018", "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { [|Console.WriteLine(id.X)|]; y[id.X] = 1f; } }" },
        // A static readonly scalar or table computed by code (the GPU needs constants).
        { "KG0024", "public static partial class C { static readonly float Norm = 315f / (64f * MathF.Sqrt(MathF.PI)); [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = [|Norm|]; } }" },
        { "KG0024", "public static partial class C { static readonly uint[] Table = Make(); static uint[] Make() => new uint[256]; [Kernel] public static void K(ThreadId id, Span<uint> y) { y[id.X] = [|Table|][id.X & 255]; } }" },
        // Record structs (corpus Records), tuple switches with positional patterns (corpus Patterns) and helpers returning tuples (corpus TupleValues) translate now.
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_new_users_misuse_gets_one_diagnostic_at_the_marked_span(string id, string markup)
    {
        var (source, spans) = Markup.Parse(Prelude + markup);
        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Exception);
        var reported = run.Diagnostics.Select(d => $"{d.Id} {d.Location.SourceSpan} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}'").ToList();
        var expected = spans.Select(s => $"{id} {s} '{source.Substring(s.Start, s.Length)}'").ToList();
        Assert.True(expected.SequenceEqual(reported), $"expected {string.Join("; ", expected)}\nreported {string.Join("; ", run.Diagnostics.Select(d => $"{d.Id} '{source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)}': {d.GetMessage()}"))}");
        Assert.All(run.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }
}
