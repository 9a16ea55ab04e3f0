using KernelGen.Generator.Tests.Infrastructure;

namespace KernelGen.Generator.Tests;

/// <summary>Focused translation rules: literals, names, conversions, layouts.</summary>
public class TranslationTests
{
    private static string Wgsl(string body, string parameters = "ThreadId id, ReadOnlySpan<float> x, Span<float> y", string extra = "")
    {
        var run = GeneratorHarness.Run($$"""
            using System;
            using System.Numerics;
            using KernelGen;
            namespace T;
            public static partial class C
            {
                [Kernel]
                public static void K({{parameters}})
                {
            {{body}}
                }
            {{extra}}
            }
            """);
        Assert.Null(run.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputProblems);
        return run.Wgsl["C.K"];
    }

    [Theory]
    [InlineData("1f", "1.0f")]
    [InlineData("0.5f", "0.5f")]
    [InlineData("1e-7f", "1e-07f")]
    [InlineData("3.4028235e38f", "0x1.fffffep+127f")]
    [InlineData("float.MaxValue", "0x1.fffffep+127f")]
    [InlineData("float.MinValue", "-0x1.fffffep+127f")]
    [InlineData("float.Epsilon", "1e-45f")]
    [InlineData("1.17549435e-38f", "1.1754944e-38f")]
    [InlineData("16777216f", "16777216.0f")]
    [InlineData("0.1f", "0.1f")]
    [InlineData("(float)0.1", "0.1f")]
    [InlineData("1 / 3f", "0.33333334f")]
    [InlineData("-0f", "f32_from_bits(0x80000000u)")]
    [InlineData("float.PositiveInfinity", "f32_from_bits(0x7f800000u)")]
    public void Float_literals_are_exact_and_culture_invariant(string csharp, string wgsl)
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Contains($"y[0i] = {wgsl};", Wgsl($"y[0] = {csharp};"), StringComparison.Ordinal);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData("int", "5", "5i")]
    [InlineData("int", "int.MinValue", "(-2147483647i - 1i)")]
    [InlineData("uint", "uint.MaxValue", "4294967295u")]
    [InlineData("uint", "5", "5u")]
    [InlineData("int", "1 << 31", "(-2147483647i - 1i)")]
    [InlineData("int", "1 << 33", "2i")]
    public void Integer_literals_carry_their_type(string type, string csharp, string wgsl)
        => Assert.Contains($"o[0i] = {wgsl};", Wgsl($"o[0] = {csharp};", $"ThreadId id, Span<{type}> o"), StringComparison.Ordinal);

    [Fact]
    public void Implicit_conversions_become_explicit()
    {
        var wgsl = Wgsl("int n = id.X; uint u = (uint)n; float f = n + u * 0.5f; y[n] = f;");
        Assert.Contains("let u: u32 = u32(n);", wgsl, StringComparison.Ordinal);
        Assert.Contains("let f: f32 = f32(n) + f32(u) * 0.5f;", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_operators_are_parenthesised_as_wgsl_requires()
    {
        var wgsl = Wgsl("int a = id.X, b = id.Y; y[0] = (a & b | a << (b + 1)) ^ (a >> 2) + (a < b == (b < a) ? 1 : 0);", "ThreadId id, Span<int> y");
        Assert.Contains("y[0i] = ((a & b) | (a << u32(b + 1i))) ^ ((a >> 2u) + select(0i, 1i, (a < b) == (b < a)));", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Locals_do_not_hide_functions_called_by_qualified_name()
    {
        var wgsl = Wgsl("float Twice = C.Twice(x[0]); y[0] = C.Twice(Twice);", extra: "static float Twice(float v) => 2f * v;");
        Assert.Contains("let Twice_: f32 = Twice(x[0i]);", wgsl, StringComparison.Ordinal);
        Assert.Contains("y[0i] = Twice(Twice_);", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_are_read_as_i32()
        => Assert.Contains("let i: i32 = i32(id.x) + i32(id.y) * i32(id.z);", Wgsl("int i = id.X + id.Y * id.Z; y[i] = 0f;"), StringComparison.Ordinal);

    [Fact]
    public void Uniform_block_follows_wgsl_alignment_rules()
    {
        var wgsl = Wgsl("y[0] = a + b.X + c.W + (float)h + s.A;", "ThreadId id, Span<float> y, float a, Vector3 b, Vector4 c, Half h, S s",
            "public struct S { public float A; }");
        Assert.Contains("struct Uniforms {\n    a: f32,\n    b: vec3<f32>,\n    c: vec4<f32>,\n    h: f16,\n    @align(16) @size(16) s: S,\n}", wgsl, StringComparison.Ordinal);
        Assert.Contains("enable f16;", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Keyword_names_compile_in_the_generated_csharp()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using KernelGen;
            namespace T;
            public static partial class C
            {
                [Kernel]
                public static void @fixed(ThreadId id, Span<float> @out, float @in, int stream, int grid) { @out[id.X] = @in + stream + grid; }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.OutputProblems);
        Assert.Contains("out[i32(id.x)] = uniforms.in + f32(uniforms.stream) + f32(uniforms.grid);", run.Wgsl["C.@fixed"], StringComparison.Ordinal);
    }

    [Fact]
    public void Conditional_expressions_without_helper_calls_stay_select()
    {
        const string helper = "static float Twice(float v) => 2f * v;";
        Assert.Contains("y[0i] = select(0.0f, x[0i], x[0i] > 0.0f);", Wgsl("y[0] = x[0] > 0f ? x[0] : 0f;"), StringComparison.Ordinal);
        // A helper in the condition runs either way: select() is still right.
        Assert.Contains("y[0i] = select(0.0f, 1.0f, Twice(x[0i]) > 1.0f);", Wgsl("y[0] = Twice(x[0]) > 1f ? 1f : 0f;", extra: helper), StringComparison.Ordinal);
    }

    [Fact]
    public void A_helper_call_in_a_for_update_conditional_moves_the_update_into_continuing()
    {
        var wgsl = Wgsl("for (int j = 0; j < y.Length; j += j > 2 ? Step(y, j) : 1) y[j] = 1f;", "ThreadId id, Span<float> y",
            "static int Step(Span<float> s, int j) { s[j] = 2f; return 2; }");
        Assert.Contains(
            "            continuing {\n                var ternary_0: i32;\n                if (j > 2i) {\n                    ternary_0 = Step(j);\n                } else {\n                    ternary_0 = 1i;\n                }\n                j += ternary_0;\n            }",
            wgsl, StringComparison.Ordinal);
        Assert.DoesNotContain("select(", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditionals_with_helper_calls_in_one_expression_run_in_source_order()
    {
        var wgsl = Wgsl("y[0] = (x[0] > 0f ? Twice(y, 1) : 0f) - (x[1] > 0f ? Twice(y, 2) : 0f);", extra: "static float Twice(Span<float> s, int i) { s[i] *= 2f; return s[i]; }");
        int first = wgsl.IndexOf("ternary_0 = Twice(1i);", StringComparison.Ordinal);
        int second = wgsl.IndexOf("ternary_1 = Twice(2i);", StringComparison.Ordinal);
        Assert.True(first > 0 && second > first, wgsl);
        Assert.Contains("y[0i] = ternary_0 - ternary_1;", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Operands_before_a_conditional_that_its_helpers_cannot_affect_stay_in_the_statement()
    {
        var wgsl = Wgsl("y[0] = x[0] + y[1] + Twice(y.Length) + (x[0] > 0f ? Logged(log, 1f) : 0f);", "ThreadId id, ReadOnlySpan<float> x, Span<float> y, Span<int> log",
            "static float Twice(int v) => 2f * v; static float Logged(Span<int> l, float v) { l[0] = 1; return v; }");
        Assert.Contains("        ternary_0 = Logged(1.0f);\n    } else {\n        ternary_0 = 0.0f;\n    }\n    y[0i] = x[0i] + y[1i] + Twice(i32(arrayLength(&y))) + ternary_0;", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_WGSL_reserves_are_escaped_once_and_kept_apart()
    {
        // '_' once sent the escaper into an endless loop ('_', '__', '___', each reserved); fn and fn_ both became fn_.
        var wgsl = Wgsl("int _ = 5; int fn = 1; int fn_ = 2; int u_ = 3; y[0] = _ + fn + fn_ + u_;", "ThreadId id, Span<int> y");
        Assert.Contains("let u_: i32 = 5i;", wgsl, StringComparison.Ordinal);
        Assert.Contains("let fn_: i32 = 1i;", wgsl, StringComparison.Ordinal);
        Assert.Contains("let fn__: i32 = 2i;", wgsl, StringComparison.Ordinal);
        Assert.Contains("let u__: i32 = 3i;", wgsl, StringComparison.Ordinal);
        Assert.Contains("y[0i] = u_ + fn_ + fn__ + u__;", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Struct_fields_that_escape_to_the_same_name_stay_apart()
    {
        var wgsl = Wgsl("y[0].fn = 1f; y[0].fn_ = 2f;", "ThreadId id, Span<S> y", "public struct S { public float fn; public float fn_; }");
        Assert.Contains("struct S {\n    fn_: f32,\n    fn__: f32,\n}", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_right_shift_assignment_shifts_by_u32()
        => Assert.Contains("a = i32(u32(a) >> u32(n));", Wgsl("int a = x[0], n = x[1]; a >>>= n; y[0] = a;", "ThreadId id, ReadOnlySpan<int> x, Span<int> y"), StringComparison.Ordinal);

    [Fact]
    public void A_loop_left_only_by_return_is_while_true()
    {
        // WGSL refuses 'loop { }' that no break leaves ("loop does not exit").
        var wgsl = Wgsl("int k = 0; while (true) { k++; if (k > 3) { y[0] = k; return; } }", "ThreadId id, Span<int> y");
        Assert.Contains("while (true) {", wgsl, StringComparison.Ordinal);
        var withBreak = Wgsl("int k = 0; for (;;) { k++; if (k > 3) break; } y[0] = k;", "ThreadId id, Span<int> y");
        Assert.Contains("loop {", withBreak, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(Half)65519f", "65504.0h")]
    [InlineData("(Half)65520f", "f16_from_bits(0x7c00u)")]
    [InlineData("(Half)0.1f", "0.099975586h")]
    [InlineData("Half.MaxValue", "65504.0h")]
    [InlineData("Half.NaN", "f16_from_bits(0xfe00u)")]
    [InlineData("(Half)1e-7f", "1.1920929e-07h")]
    public void Half_constants_are_folded_as_CSharp_converts(string csharp, string wgsl)
        => Assert.Contains($"y[0i] = {wgsl};", Wgsl($"y[0] = {csharp};", "ThreadId id, Span<Half> y"), StringComparison.Ordinal);

    [Fact]
    public void An_intrinsic_that_repeats_an_argument_receives_it_once()
    {
        var wgsl = Wgsl("y[0] = Vector4.DistanceSquared(V(y), Vector4.One) + V(y).LengthSquared();", "ThreadId id, Span<float> y",
            "static Vector4 V(Span<float> s) { s[1] += 1f; return new Vector4(s[1]); }");
        // The intrinsics build dot(d, d) with one node d: an impure one is bound to a let once, in C#'s order.
        Assert.Contains("let value_0: vec4<f32> = V() - vec4<f32>(1.0f);\n    let value_1: vec4<f32> = V();\n    y[0i] = dot(value_0, value_0) + dot(value_1, value_1);", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void An_assignment_target_index_with_a_helper_call_is_bound_first()
    {
        var wgsl = Wgsl("y[Next(c)] += Next(c);", "ThreadId id, Span<int> c, Span<int> y",
            "static int Next(Span<int> s) { s[0] += 1; return s[0]; }");
        Assert.Contains("let index_0: i32 = Next();\n    y[index_0] += Next();", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Struct_operators_and_constructors_become_functions_with_their_bodies()
    {
        var wgsl = Wgsl("S r = -(y[0] + y[1]); r += new S(2f); y[2] = r;", "ThreadId id, Span<S> y", """
            public struct S
            {
                public float A;
                public S(float a) { A = a; }
                public static S operator +(S l, S r) => new(l.A + r.A);
                public static S operator -(S v) => new S(-v.A);
            }
            """);
        Assert.Contains("// new S(float)\nfn S_new(a: f32) -> S {\n    var this_: S;\n    this_.A = a;\n    return this_;\n}", wgsl, StringComparison.Ordinal);
        Assert.Contains("fn S_op_Addition(l: S, r: S) -> S {\n    return S_new(l.A + r.A);\n}", wgsl, StringComparison.Ordinal);
        Assert.Contains("var r: S = S_op_UnaryNegation(S_op_Addition(y[0i], y[1i]));", wgsl, StringComparison.Ordinal);
        Assert.Contains("r = S_op_Addition(r, S_new(2.0f));", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void Bool_xor_assignment_is_not_equal()
        => Assert.Contains("b = b != (x[1i] > 0i);", Wgsl("bool b = x[0] > 0; b ^= x[1] > 0; y[0] = b ? 1 : 0;", "ThreadId id, ReadOnlySpan<int> x, Span<int> y"), StringComparison.Ordinal);

    [Fact]
    public void A_shift_count_without_run_time_values_is_masked_as_CSharp_does()
    {
        // WGSL evaluates it at shader creation, where a count of 32 or more is an error.
        var wgsl = Wgsl("y[0] = 255 >> Math.Sign(-1); y[1] = y[0] << x[0];", "ThreadId id, ReadOnlySpan<int> x, Span<int> y");
        // The built-in on a constant also runs at run time (RuntimeConstants), so nothing of it is a constant expression.
        Assert.Contains("y[0i] = 255i >> (u32(sign(runtime_i32(-1i))) & 31u);", wgsl, StringComparison.Ordinal);
        Assert.Contains("y[1i] = y[0i] << u32(x[0i]);", wgsl, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_on_a_partial_method_declaration_translates_the_implementation()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using KernelGen;
            namespace T;
            public static partial class C
            {
                [Kernel]
                public static partial void K(ThreadId id, Span<float> y);

                public static partial void K(ThreadId id, Span<float> y) { y[id.X] = 2f; }
            }
            """);
        Assert.Empty(run.Diagnostics);
        Assert.Contains("y[i32(id.x)] = 2.0f;", run.Wgsl["C.K"], StringComparison.Ordinal);
    }

    [Fact]
    public void Int64_DivRem_evaluates_an_impure_argument_once()
    {
        var wgsl = Wgsl("int k = 0; var (q, r) = Math.DivRem(y[k++], 3L); var (s, t) = Math.DivRem(z[k++], 5); y[1] = q + r + s + t + k;",
            "ThreadId id, Span<long> y, Span<int> z");
        // k++ runs once per call although each half of the tuple divides again: the index is bound to a let first.
        Assert.Equal(2, wgsl.Split("k++;").Length - 1);
        Assert.Contains("Tuple_vec2_u32_vec2_u32(i64_divmod(y[value_0], vec2<u32>(0x3u, 0x0u)).xy, i64_divmod(y[value_0], vec2<u32>(0x3u, 0x0u)).zw)", wgsl);
        Assert.Contains("Tuple_i32_i32(z[value_1] / 5i, z[value_1] % 5i)", wgsl);
    }

    [Fact]
    public void Int64_compound_assignments_on_an_element_evaluate_the_index_once()
    {
        var wgsl = Wgsl("int k = 0; y[k++] /= 3; z[k++] += y[0]; y[k++] %= z[0] > 0 ? 7L : 9L;", "ThreadId id, Span<long> y, Span<float> z");
        Assert.Equal(3, wgsl.Split("k++;").Length - 1);
        Assert.Contains("y[value_0] = i64_divmod(y[value_0], vec2<u32>(0x3u, 0x0u)).xy;", wgsl);
        Assert.Contains("z[value_1] += i64_to_f32(y[0i]);", wgsl);
        Assert.Contains("y[value_2] = i64_divmod(y[value_2], select(vec2<u32>(0x9u, 0x0u), vec2<u32>(0x7u, 0x0u), z[0i] > 0.0f)).zw;", wgsl);
    }

    /// <summary>Differential finding F8 (seed 1052): C# complements all 32 bits of a small integer widened to uint.</summary>
    [Fact]
    public void Complement_of_a_widened_small_integer_takes_all_its_bits()
    {
        var wgsl = Wgsl("ushort h = (ushort)x[0]; y[0] = ~(uint)h; y[1] = ~(uint)(byte)x[1];", "ThreadId id, ReadOnlySpan<uint> x, Span<uint> y");
        Assert.Contains("y[0i] = ~h;", wgsl, StringComparison.Ordinal);
        Assert.Contains("y[1i] = ~(x[1i] & 255u);", wgsl, StringComparison.Ordinal);
    }

    /// <summary>
    /// Differential finding F9 (seeds 1022, 1278): C# reads the target of <c>x[i] += v</c> before it evaluates v, so a v
    /// that writes x[i] takes a load before it and a store after; a v that writes nothing keeps the atomic built-in.
    /// </summary>
    [Fact]
    public void Compound_assignment_to_an_atomic_element_reads_it_before_a_value_that_writes_it()
    {
        var wgsl = Wgsl("y[0] += System.Threading.Interlocked.Exchange(ref y[0], 255u) + x[0]; y[1] += x[1];", "ThreadId id, ReadOnlySpan<uint> x, Span<uint> y");
        Assert.Contains("atomicStore(&y[0i], ", wgsl, StringComparison.Ordinal);
        Assert.DoesNotContain("atomicAdd(&y[0i]", wgsl, StringComparison.Ordinal);
        Assert.True(wgsl.IndexOf("atomicLoad(&y[0i])", StringComparison.Ordinal) is >= 0 and var load && load < wgsl.IndexOf("atomicExchange(&y[0i], 255u)", StringComparison.Ordinal), wgsl);
        Assert.Contains("atomicAdd(&y[1i], x[1i]);", wgsl, StringComparison.Ordinal);

        // As a value, and as a loop's step.
        var value = Wgsl("uint r = (y[2] += System.Threading.Interlocked.Exchange(ref y[2], 1u)); y[3] = r;", "ThreadId id, ReadOnlySpan<uint> x, Span<uint> y");
        Assert.True(value.IndexOf("atomicLoad(&y[2i])", StringComparison.Ordinal) is >= 0 and var read && read < value.IndexOf("atomicExchange(&y[2i], 1u)", StringComparison.Ordinal), value);
        var step = Wgsl("for (int i = 0; i < 2; y[4] -= System.Threading.Interlocked.Exchange(ref y[4], 1u)) i++;", "ThreadId id, ReadOnlySpan<uint> x, Span<uint> y");
        Assert.DoesNotContain("atomicSub(", step, StringComparison.Ordinal);
        Assert.True(step.IndexOf("atomicLoad(&y[4i])", StringComparison.Ordinal) is >= 0 and var before && before < step.IndexOf("atomicExchange(&y[4i], 1u)", StringComparison.Ordinal), step);
    }
}
