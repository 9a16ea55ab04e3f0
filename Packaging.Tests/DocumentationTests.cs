using System.Text.RegularExpressions;
using KernelGen.Packaging.Tests.Infrastructure;

namespace KernelGen.Packaging.Tests;

/// <summary>Keeps docs/ true to the generator's sources: diagnostic IDs and titles, the intrinsic table, links.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string[] ReleaseFiles = ["AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md"];

    private static string Read(params string[] path) => File.ReadAllText(RepositoryRoot.Combine(path));

    /// <summary>(id, title) of every descriptor in Generator/DiagnosticDescriptors.cs.</summary>
    private static List<(string Id, string Title)> Descriptors() =>
        DescriptorDeclaration().Matches(Read("Generator", "DiagnosticDescriptors.cs"))
            .Select(m => (m.Groups["id"].Value, m.Groups["title"].Value)).ToList();

    [Fact]
    public void Every_generator_diagnostic_has_a_section_with_its_title_in_diagnostics_md()
    {
        var descriptors = Descriptors();
        Assert.True(descriptors.Count >= 29, $"found only {descriptors.Count} descriptors: has DiagnosticDescriptors.cs changed shape?");
        var doc = Read("docs", "diagnostics.md");
        var missing = descriptors.Where(d => !doc.Contains($"\n## {d.Id}: {d.Title}\n", StringComparison.Ordinal))
            .Select(d => $"## {d.Id}: {d.Title}").ToList();
        Assert.True(missing.Count == 0, "docs/diagnostics.md lacks these sections:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Every_id_in_the_analyzer_release_files_is_documented_and_no_documented_id_is_unknown()
    {
        var released = ReleaseFiles
            .SelectMany(f => ReleaseRow().Matches(Read("Generator", f)).Select(m => m.Groups["id"].Value))
            .ToHashSet(StringComparer.Ordinal);
        var doc = Read("docs", "diagnostics.md");
        var documented = DocumentedId().Matches(doc).Select(m => m.Groups["id"].Value).ToList();

        Assert.Equal(documented.Distinct().Count(), documented.Count);
        Assert.Empty(released.Except(documented));
        Assert.Empty(documented.Except(released).Except(Descriptors().Select(d => d.Id)));
        // One example and a fix per diagnostic.
        foreach (var section in doc.Split("\n## ").Skip(1))
        {
            Assert.True(section.Contains("```", StringComparison.Ordinal) || section.StartsWith("KG0029", StringComparison.Ordinal),
                $"no example in section {section[..6]}");
            Assert.Contains("Fix:", section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_mapped_math_and_vector_function_is_in_the_kernel_language_table()
    {
        var intrinsics = Read("Generator", "Mappings", "Intrinsics.cs");
        var pairs = IntrinsicEntry().Matches(intrinsics).Select(m => (CSharp: m.Groups["cs"].Value, Wgsl: m.Groups["wgsl"].Value)).ToList();
        Assert.True(pairs.Count >= 40, $"found only {pairs.Count} table entries in Intrinsics.cs: has it changed shape?");
        var rows = Read("docs", "kernel-language.md").Split('\n').Where(l => l.StartsWith('|')).ToList();
        var missing = pairs.Where(p => !rows.Any(r =>
                Regex.IsMatch(r, $@"`(\w+\.)?{p.CSharp}\b") && Regex.IsMatch(r, $@"\b{p.Wgsl}\b")))
            .Select(p => $"{p.CSharp} -> {p.Wgsl}").ToList();
        Assert.True(missing.Count == 0, "docs/kernel-language.md has no table row for:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void Readme_links_every_docs_page_and_every_relative_link_in_docs_resolves()
    {
        var readme = Read("README.md");
        foreach (var page in new[] { "kernel-language.md", "diagnostics.md", "runtime.md", "troubleshooting.md" })
            Assert.Contains($"(docs/{page})", readme, StringComparison.Ordinal);

        // The pages under docs/ (the root README's other links belong to the sections of their owners).
        var documents = Directory.GetFiles(RepositoryRoot.Combine("docs"), "*.md");
        var broken = new List<string>();
        foreach (var document in documents)
        {
            foreach (Match link in RelativeLink().Matches(File.ReadAllText(document)))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, link.Groups["path"].Value));
                if (!File.Exists(target) && !Directory.Exists(target))
                    broken.Add($"{Path.GetFileName(document)}: {link.Value}");
            }
        }
        Assert.True(broken.Count == 0, "broken links:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void Package_readme_names_every_docs_page()
    {
        // The package readme is read on a package gallery, where relative links break: it names each page instead.
        var packageReadme = Read("docs", "package-readme.md");
        var pages = Directory.GetFiles(RepositoryRoot.Combine("docs"), "*.md").Select(Path.GetFileName)
            .Where(name => name != "package-readme.md").ToList();
        Assert.True(pages.Count >= 4, $"expected the docs pages, found {pages.Count}");
        var unnamed = pages.Where(page => !packageReadme.Contains($"`docs/{page}`", StringComparison.Ordinal)).ToList();
        Assert.True(unnamed.Count == 0, "docs/package-readme.md does not name: " + string.Join(", ", unnamed));
    }

    [GeneratedRegex(@"Error\(""(?<id>KG\d{4})"",\s*""(?<title>[^""]+)""")]
    private static partial Regex DescriptorDeclaration();

    [GeneratedRegex(@"^(?<id>KG\d{4})\s*\|", RegexOptions.Multiline)]
    private static partial Regex ReleaseRow();

    [GeneratedRegex(@"^## (?<id>KG\d{4}):", RegexOptions.Multiline)]
    private static partial Regex DocumentedId();

    [GeneratedRegex(@"\[""(?<cs>\w+)""\] = ""(?<wgsl>\w+)""")]
    private static partial Regex IntrinsicEntry();

    [GeneratedRegex(@"\]\((?<path>(?!https?:|#|mailto:)[^)\s#]+)(#[^)]*)?\)")]
    private static partial Regex RelativeLink();
}
