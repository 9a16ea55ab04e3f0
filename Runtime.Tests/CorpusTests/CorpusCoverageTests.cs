using System.Reflection;
namespace KernelGen.Runtime.Tests.CorpusTests;

/// <summary>Every kernel of the corpus (Generator.Tests/Corpus) has an execution case (a new corpus kernel without one fails here).</summary>
public class CorpusCoverageTests
{
    /// <summary>
    /// Kernels that cannot be executed deterministically, with the reason. Empty: every corpus kernel
    /// runs with well-defined results on both backends.
    /// </summary>
    private static readonly Dictionary<string, string> NotExecuted = [];

    [Fact]
    public void Every_catalog_kernel_has_an_execution_case()
    {
        Assert.NotEmpty(CorpusCatalog.Kernels); // the generator ran on the linked corpus
        var cases = CaseMethods().SelectMany(m => m.GetCustomAttributes<CorpusCaseAttribute>()).Select(a => a.KernelName).ToHashSet();
        var missing = CorpusCatalog.Kernels.Select(k => k.Name).Where(n => !cases.Contains(n) && !NotExecuted.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"Corpus kernels without a [CorpusCase] test: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_case_names_a_catalog_kernel_and_is_a_test()
    {
        var catalog = CorpusCatalog.Kernels.Select(k => k.Name).ToHashSet();
        foreach (var method in CaseMethods())
        {
            Assert.True(method.GetCustomAttribute<FactAttribute>() != null, $"{method.DeclaringType!.Name}.{method.Name} has [CorpusCase] but is not a test.");
            foreach (var attribute in method.GetCustomAttributes<CorpusCaseAttribute>())
                Assert.True(catalog.Contains(attribute.KernelName), $"{method.DeclaringType!.Name}.{method.Name} names '{attribute.KernelName}', which is not in KernelCatalog.All.");
        }
        foreach (var name in NotExecuted.Keys)
            Assert.True(catalog.Contains(name), $"The exclusion list names '{name}', which is not in KernelCatalog.All.");
    }

    private static IEnumerable<MethodInfo> CaseMethods() =>
        typeof(CorpusCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.IsDefined(typeof(CorpusCaseAttribute)));
}
