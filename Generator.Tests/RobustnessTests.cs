using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Incomplete and broken code, as it exists while being typed: the generator never throws and never
/// reports its own failure (KG0029); it stays quiet or reports KG diagnostics.
/// </summary>
public class RobustnessTests
{
    private const string Prelude = "using System;\nusing System.Numerics;\nusing KernelGen;\nnamespace Tests;\n";

    public static TheoryData<string> BrokenSources =>
    [
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = ",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[id.X] = 1f",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { for (int i = 0; i < ; i++) { } } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { if (",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<Missing> y) { y[0] = default; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = Missing.Compute(1f); } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = UnknownLocal; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = MathF.Exp(); } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { var v = ; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) => ",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y); }",
        "public static partial class C { [Kernel] public static extern void K(ThreadId id, Span<float> y); }",
        "public static partial class C { [Kernel] public static partial void K(ThreadId id, Span<float> y); }",
        "public static partial class C { [Kernel] public static abstract void K(ThreadId id, Span<float> y); }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y, ) { } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<> y) { } }",
        "public static partial class C { [Kernel] public static void K(",
        "public static partial class C { [Kernel] public static void (ThreadId id) { } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { } [Kernel] public static void K(ThreadId id, Span<float> y) { } }",
        "public static partial class C { [Kernel(WorkgroupSize = )] public static void K(ThreadId id, Span<float> y) { } }",
        "public static partial class C { [Kernel(WorkgroupSize = \"64\")] public static void K(ThreadId id, Span<float> y) { } }",
        "public static partial class C { [Kernel(Unknown = 3)] public static void K(ThreadId id, Span<float> y) { } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, [GroupShared] Span<float> t) { } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, [GroupShared(\"x\")] Span<float> t) { } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = Helper(1f); } static float Helper(float v) { return } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = Helper(1f); } static float Helper(float v) => Helper2(v); static float Helper2(float v) => Missing(v); }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<S> y) { y[0].A = 1f; } } public struct S { public float A; public Missing B; }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<S> y) { } } public struct S { public S Inner; }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<S> y) { } } public struct S { }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { switch (id.X) { case 1: y[0] = 1f; } } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = id.X switch { 1 => 1f, _ => 0f }; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { int x = 1; x = x++ + ++x; y[0] = x; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = (float)(object)1f; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = $\"{id.X}\".Length; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = y.Slice(1)[0]; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { Span<float> t = stackalloc float[4]; y[0] = t[0]; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = default; y[1] = default(float); (int a, int b) = (1, 2); } }",
        "public static partial class C { [Kernel] public static async void K(ThreadId id, Span<float> y) { await System.Threading.Tasks.Task.Yield(); } }",
        "public static partial class C { [Kernel] public static IEnumerable<int> K(ThreadId id) { yield return 1; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = nameof(y).Length; y[1] = sizeof(float); } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<int> y) { y[0] = checked(id.X + 1); y[1] = unchecked(id.X * 2); } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = new Vector4 { X = 1f }.X; y[1] = Vector4.Zero[5]; } }",
        "public static partial class C { public static partial class D { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = 1f; } } }",
        "public partial record R { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = 1f; } }",
        "public partial record struct R { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = 1f; } }",
        "public partial struct S { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = 1f; } }",
        "[Kernel] public static void Free(ThreadId id) { }",
        "public static partial class C { public static void Outer() { [Kernel] static void Local(ThreadId id) { } } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = 1e39f; y[1] = float.NaN; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = 1f << 2; } }",
        "public static partial class C { [Kernel] public static void K(ThreadId id, Span<uint> y) { y[0] = -1; y[1] = (uint)-1; } }",
    ];

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Broken_input_never_makes_the_generator_throw(string source)
        => AssertRunsCleanly(GeneratorHarness.Run(Prelude + source));

    [Fact]
    public void Generator_never_throws_on_any_prefix_of_a_kernel_file_as_it_is_typed()
    {
        foreach (var file in new[] { "Corpus/Workgroups.cs", "Corpus/Structs.cs", "Corpus/Helpers.cs" })
        {
            var text = Corpus.Files.Single(f => f.Path == file).Text;
            // Cut at every line end and in the middle of every line: code as it stands while being typed.
            var cuts = new SortedSet<int>();
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    cuts.Add(i);
                    int previous = text.LastIndexOf('\n', Math.Max(0, i - 1));
                    cuts.Add((previous + 1 + i) / 2);
                }
            }
            foreach (var cut in cuts)
                AssertRunsCleanly(GeneratorHarness.Run(GeneratorHarness.Compile([(file, text[..cut])])), $"{file} cut at {cut}");
        }
    }

    private static void AssertRunsCleanly(GeneratorRun run, string? context = null)
    {
        Assert.True(run.Exception is null, $"{context}: {run.Exception}");
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "KG0029");
        // CS8784/CS8785: the compiler's "generator failed" warnings.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.All(run.Diagnostics, d => Assert.StartsWith("KG", d.Id, StringComparison.Ordinal));
    }
}
