using System.Numerics;
using System.Reflection;
using KernelGen.Generator.Tests.Infrastructure;

namespace KernelGen.Generator.Tests;

/// <summary>
/// The "supported: ..." lists in KG0018 come from the intrinsic table, never by hand: for every public static
/// method of MathF and Vector2/3/4 over float and vector values (found by reflection, not listed here), the
/// method is named in the list exactly when a kernel calling it translates.
/// </summary>
public class SupportedListTests
{
    private const string Prelude = "using System;\nusing System.Numerics;\nusing KernelGen;\n\nnamespace Tests;\n\n";

    [Fact]
    public void MathF_list_names_exactly_the_methods_that_translate()
    {
        var message = Message("MathF.BitIncrement(y[1])");
        const string marker = "the MathF methods that have: ";
        Assert.Contains(marker, message, StringComparison.Ordinal);
        var listed = message.Substring(message.IndexOf(marker, StringComparison.Ordinal) + marker.Length).Split(", ").ToHashSet();
        Check(typeof(MathF), "float", listed);
    }

    [Fact]
    public void Each_math_type_lists_only_the_methods_it_declares()
    {
        // int has no MaxMagnitude mapping and no Sqrt at all, but its own CopySign and DivRem; float lists its classifications.
        var forInt = Message("int.MaxMagnitude(1, 2)");
        Assert.Contains("the Int32 methods that have: ", forInt, StringComparison.Ordinal);
        var intList = forInt.Substring(forInt.IndexOf("have: ", StringComparison.Ordinal));
        Assert.DoesNotContain("MaxMagnitude", intList, StringComparison.Ordinal);
        Assert.DoesNotContain("Sqrt", forInt, StringComparison.Ordinal);
        Assert.Contains("Max", forInt, StringComparison.Ordinal);
        Assert.Contains("CopySign", intList, StringComparison.Ordinal);
        Assert.Contains("DivRem", intList, StringComparison.Ordinal);
        var forFloat = Message("float.BitIncrement(y[1])");
        Assert.Contains("IsNaN", forFloat, StringComparison.Ordinal);
        Assert.Contains("CopySign", forFloat, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(Vector2))]
    [InlineData(typeof(Vector3))]
    [InlineData(typeof(Vector4))]
    public void Vector_list_names_exactly_the_methods_that_translate(Type vector)
    {
        var message = Message($"{vector.Name}.Sum({vector.Name}.One)");
        string marker = $"the {vector.Name} methods that have: ";
        Assert.Contains(marker, message, StringComparison.Ordinal);
        string list = message.Substring(message.IndexOf(marker, StringComparison.Ordinal) + marker.Length);
        var listed = list.Substring(0, list.IndexOf(" (", StringComparison.Ordinal)).Split(", ").ToHashSet();
        Check(vector, vector.Name, listed);
    }

    private static string Message(string expression)
    {
        var run = GeneratorHarness.Run(Prelude + "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = " + expression + "; } }");
        return Assert.Single(run.Diagnostics, d => d.Id == "KG0018").GetMessage();
    }

    /// <summary>Each static method over float/vector operands with a float, int or vector result: listed iff it translates.</summary>
    private static void Check(Type type, string csharpType, HashSet<string> listed)
    {
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => !m.IsSpecialName && !m.IsGenericMethod && m.GetParameters().Length > 0
                && m.GetParameters().All(p => !p.ParameterType.IsByRef && (p.ParameterType == typeof(float) || p.ParameterType == type))
                && (m.ReturnType == typeof(float) || m.ReturnType == typeof(int) || m.ReturnType == type))
            .ToList();
        Assert.NotEmpty(candidates);
        var wrong = new List<string>();
        foreach (var method in candidates)
        {
            string Argument(ParameterInfo p, int i) => p.ParameterType == typeof(float) ? $"y[{i + 1}]" : $"new {csharpType}(y[{i + 1}])";
            string call = $"{type.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(Argument))})";
            string value = method.ReturnType == type ? (type == typeof(float) ? call : call + ".X") : "(float)" + call;
            var run = GeneratorHarness.Run(Prelude + "public static partial class C { [Kernel] public static void K(ThreadId id, Span<float> y) { y[0] = " + value + "; } }");
            Assert.Null(run.Exception);
            bool translates = run.Diagnostics.Length == 0;
            if (!translates && run.Diagnostics.Any(d => d.Id != "KG0018"))
                continue; // rejected for another reason (its type), which the list does not claim
            if (translates != listed.Contains(method.Name))
                wrong.Add($"{call}: translates {translates}, listed {listed.Contains(method.Name)} ({string.Join("; ", run.Diagnostics.Select(d => d.GetMessage()))})");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
