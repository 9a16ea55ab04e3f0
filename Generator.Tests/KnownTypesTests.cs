using KernelGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace KernelGen.Generator.Tests;

/// <summary>
/// Well-known types are matched by symbol (the compilation's own System.Numerics.Vector4, System.Span&lt;T&gt;,
/// System.MathF...), never by name: a user type of the same name in another namespace is a user type.
/// </summary>
public class KnownTypesTests
{
    private const string Prelude = "using System;\nusing KernelGen;\n\nnamespace Tests;\n\n";

    [Fact]
    public void A_user_struct_named_Vector4_is_a_user_struct_not_vec4()
    {
        var run = GeneratorHarness.Run(Prelude + """
            public struct Vector4 { public float X, Y, Z, W; }

            public static partial class K
            {
                [Kernel]
                public static void Scale(ThreadId id, Span<Vector4> data, float by)
                {
                    int i = id.X;
                    if (i >= data.Length)
                        return;
                    Vector4 v = data[i];
                    v.X *= by;
                    data[i] = v;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Null(run.Exception);
        string wgsl = run.Wgsl["K.Scale"];
        Assert.Contains("struct Vector4 {", wgsl, StringComparison.Ordinal);
        Assert.Contains("array<Vector4>", wgsl, StringComparison.Ordinal);
        Assert.DoesNotContain("vec4<f32>", wgsl, StringComparison.Ordinal);
        Assert.Empty(run.OutputProblems);
    }

    [Fact]
    public void A_user_struct_named_Vector4_in_the_System_Numerics_namespace_is_still_a_user_struct()
    {
        // A source type that takes a .NET name is not the .NET type (the compiler warns CS0436 and binds the source one).
        var run = GeneratorHarness.Run("""
            namespace System.Numerics { public struct Vector4 { public float X; public int Count; } }
            """, Prelude + """
            public static partial class K
            {
                [Kernel]
                public static void Count(ThreadId id, Span<System.Numerics.Vector4> data)
                {
                    int i = id.X;
                    if (i < data.Length)
                        data[i].Count += 1;
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        string wgsl = run.Wgsl["K.Count"];
        Assert.Contains("Count: i32", wgsl, StringComparison.Ordinal);
        Assert.DoesNotContain("vec4<f32>", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_ref_struct_named_Span_is_not_a_buffer()
    {
        var run = GeneratorHarness.Run(Prelude + """
            public ref struct Span<T>
            {
                public int Length => 0;
            }

            public static partial class K
            {
                [Kernel]
                public static void Fill(ThreadId id, Span<float> data)
                {
                }
            }
            """);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal("KG0006", diagnostic.Id);
        Assert.Contains("Tests.Span<float>", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(run.Wgsl);
    }

    [Fact]
    public void A_user_class_named_MathF_is_a_helper_not_the_builtin()
    {
        var run = GeneratorHarness.Run(Prelude + """
            public static class MathF
            {
                public static float Max(float a, float b) => a + b;
            }

            public static partial class K
            {
                [Kernel]
                public static void Add(ThreadId id, Span<float> data)
                {
                    int i = id.X;
                    if (i < data.Length)
                        data[i] = MathF.Max(data[i], 1f);
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        string wgsl = run.Wgsl["K.Add"];
        Assert.DoesNotContain("max(", wgsl, StringComparison.Ordinal);
        Assert.Contains("return a + b;", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_class_named_Interlocked_is_a_helper_not_atomic()
    {
        var run = GeneratorHarness.Run(Prelude + """
            public static class Interlocked
            {
                public static int Add(int location, int value) => location + value;
            }

            public static partial class K
            {
                [Kernel]
                public static void Count(ThreadId id, Span<int> data)
                {
                    int i = id.X;
                    if (i < data.Length)
                        data[i] = Interlocked.Add(data[i], 1);
                }
            }
            """);
        Assert.Empty(run.Diagnostics);
        string wgsl = run.Wgsl["K.Count"];
        Assert.DoesNotContain("atomic", wgsl, StringComparison.Ordinal);
        Assert.Contains("return location + value;", wgsl, StringComparison.Ordinal);
    }
}
