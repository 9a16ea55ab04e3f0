using System.Text;
using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Large and adversarial sources: the generator finishes on a thread with a small stack, within a bound
/// on what it allocates, never throws, and answers with KG diagnostics or generated code that compiles.
/// </summary>
/// <remarks>
/// The memory bound is deterministic (bytes allocated by the generator's thread); the time bound only
/// catches a generator that never returns (it is minutes, not a speed requirement: this machine may be loaded).
/// </remarks>
public class AdversarialSourceTests
{
    private const string Prelude = "using System;\nusing System.Numerics;\nusing KernelGen;\nnamespace Tests;\n";

    /// <summary>Smaller than any thread a compiler host gives a generator (1 MiB is the smallest default, on Windows).</summary>
    private const int StackBytes = 1 << 20;

    private const long AllocationLimit = 1L << 30;

    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(10);

    private static string Kernel(string body, string parameters = "ThreadId id, Span<float> y")
        => Prelude + "public static partial class C { [Kernel] public static void K(" + parameters + ") { " + body + " } }";

    public static TheoryData<string, string> Sources()
    {
        var data = new TheoryData<string, string>
        {
            { "a sum of 20,000 terms", Kernel("y[0] = " + string.Join(" + ", Enumerable.Repeat("y[1]", 20_000)) + ";") },
            // Deeper parentheses overflow the stack of Roslyn's own parser (csc crashes on them before any generator runs).
            { "1,500 nested parentheses", Kernel("y[0] = " + new string('(', 1_500) + "y[1]" + new string(')', 1_500) + ";") },
            { "1,500 nested unary minus", Kernel("y[0] = " + string.Concat(Enumerable.Repeat("-(", 1_500)) + "y[1]" + new string(')', 1_500) + ";") },
            { "2,000 nested ifs", Kernel(string.Concat(Enumerable.Repeat("if (id.X > 1) { ", 2_000)) + "y[0] = 1f;" + new string('}', 2_000)) },
            { "an else-if chain of 3,000", Kernel("int x = id.X; " + string.Join(" else ", Enumerable.Range(0, 3_000).Select(i => $"if (x == {i}) {{ y[0] = {i}f; }}")) ) },
            { "2,000 nested loops", Kernel(string.Concat(Enumerable.Range(0, 2_000).Select(i => $"for (int i{i} = 0; i{i} < 2; i{i}++) {{ ")) + "y[0] += 1f;" + new string('}', 2_000)) },
            // The cost of a large switch is Roslyn's: binding the method body alone (GetOperation, before any generator
            // code) allocates 59 MiB at 1,000 cases, 204 MiB at 2,000 and 777 MiB at 4,000 (the decision DAG grows with
            // the square of the cases); the generator adds about 1.5% on top. Beyond 2,000 cases the bound measures csc.
            { "a switch of 2,000 cases", Kernel("switch (id.X) { " + string.Concat(Enumerable.Range(0, 2_000).Select(i => $"case {i}: y[0] = {i}f; break; ")) + "}") },
            { "10,000 locals", Kernel(string.Concat(Enumerable.Range(0, 10_000).Select(i => $"float v{i} = y[{i % 7}]; ")) + "y[0] = v9999;") },
            { "a 50,000-character identifier", Kernel($"float {new string('a', 50_000)} = 1f; y[0] = {new string('a', 50_000)};") },
            { "a ternary chain of 3,000", Kernel("int x = id.X; y[0] = " + string.Concat(Enumerable.Range(0, 3_000).Select(i => $"x == {i} ? {i}f : ")) + "0f;") },
            { "a helper chain 400 deep", Prelude + "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = H0(y[1]); } "
                + string.Concat(Enumerable.Range(0, 400).Select(i => $"static float H{i}(float v) => {(i == 399 ? "v" : $"H{i + 1}(v) + 1f")}; ")) + "}" },
            { "helpers that each call the next twice, 40 deep", Prelude + "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = H0(y[1]); } "
                + string.Concat(Enumerable.Range(0, 40).Select(i => $"static float H{i}(float v) => {(i == 39 ? "v" : $"H{i + 1}(v) + H{i + 1}(v * 0.5f)")}; ")) + "}" },
            { "a struct nested 300 deep", Prelude + string.Concat(Enumerable.Range(0, 300).Select(i => $"public struct S{i} {{ public {(i == 299 ? "float" : $"S{i + 1}")} F; }} "))
                + "public static partial class C { [Kernel] public static void K(ThreadId id, Span<S0> y) { y[0] = default; } }" },
        };
        var many = new StringBuilder(Prelude).Append("public static partial class C { ");
        for (int i = 0; i < 300; i++)
            many.Append($"[Kernel] public static void K{i}(ThreadId id, Span<float> y, float s) {{ y[id.X] = y[id.X] * s + {i}f; }} ");
        data.Add("300 kernels in one class", many.Append('}').ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void The_generator_finishes_within_its_bounds_and_answers_clearly(string name, string source)
    {
        var compilation = GeneratorHarness.Compile(source);
        GeneratorRun? run = null;
        Exception? failure = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            try
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                run = GeneratorHarness.Run(compilation);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, StackBytes);
        thread.Start();
        Assert.True(thread.Join(HangLimit), $"{name}: the generator did not return within {HangLimit.TotalMinutes} minutes");
        Assert.True(failure is null, $"{name}: {failure}");
        Assert.NotNull(run);
        Assert.True(run.Exception is null, $"{name}: the generator threw {run.Exception}");
        Assert.True(allocated < AllocationLimit, $"{name}: the generator allocated {allocated / (1 << 20)} MiB");
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "KG0029");
        Assert.All(run.Diagnostics, d => Assert.StartsWith("KG", d.Id, StringComparison.Ordinal));
        if (run.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            // A rejection says where: every error points into the user's source.
            Assert.All(run.Diagnostics, d => Assert.False(string.IsNullOrEmpty(d.Location.GetLineSpan().Path), $"{name}: {d} has no source location"));
        }
        else if (!compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            // Accepted: the generated C# compiles (no CS8103 or any other error in what we emitted).
            var generated = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && !compilation.SyntaxTrees.Contains(tree));
            Assert.Empty(generated.Select(d => d.ToString()));
        }
    }
}

/// <summary>The generated C# keeps the WGSL out of the assembly's user-string heap (16 MiB for all literals: CS8103 beyond).</summary>
public class GeneratedLiteralTests
{
    [Fact]
    public void Kernel_wgsl_is_a_utf8_literal_and_adds_nothing_to_the_user_string_heap()
    {
        var body = string.Concat(Enumerable.Range(0, 4_000).Select(i => $"float v{i} = y[{i % 7}] * {i}f; y[{i % 5}] = v{i}; "));
        var run = GeneratorHarness.Run("using System;\nusing KernelGen;\nnamespace Tests;\npublic static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { " + body + "} }");
        Assert.Empty(run.Diagnostics);
        var stub = run.Sources.Single(s => s.Key.EndsWith(".Kernels.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("Wgsl = global::System.Text.Encoding.UTF8.GetString(@\"", stub, StringComparison.Ordinal);
        using var pe = new MemoryStream();
        var emitted = run.Output.Emit(pe);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        pe.Position = 0;
        using var reader = new System.Reflection.PortableExecutable.PEReader(pe);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        int userStrings = System.Reflection.Metadata.Ecma335.MetadataReaderExtensions.GetHeapSize(metadata, System.Reflection.Metadata.Ecma335.HeapIndex.UserString);
        Assert.True(stub.Length > 200_000, $"the module is only {stub.Length} characters: the test needs a large one");
        Assert.True(userStrings < 64 * 1024, $"the user-string heap holds {userStrings} bytes: the WGSL went into it");
    }
}
