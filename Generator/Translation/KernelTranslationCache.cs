using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using KernelGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace KernelGen.Generator.Translation;

/// <summary>
/// Reuses a kernel's translation when nothing it can depend on has changed: a cache keyed by values only (text,
/// hashes, option values, reference content ids), with no state on the generator instance and no syntax trees,
/// compilations or references held.
/// </summary>
/// <remarks>
/// <para>
/// ForAttributeWithMetadataName runs the transform of every kernel again whenever the compilation
/// changes (after every keystroke in the IDE), and translating means binding method bodies: for a
/// few hundred kernels that is far slower than the edit itself. In C#, a method body's binding
/// depends on its own text and on the declarations of the program, never on other method bodies.
/// So a previous translation is still exact when:
/// </para>
/// <list type="bullet">
/// <item>the compilation's declaration surface is the same value: its assembly name, every file's path and tokens
/// outside method, accessor and constructor bodies, its preprocessor directives, the options and parse options
/// (compared by value), and every reference by content (its modules' MVIDs; a compilation reference by its own
/// surface);</item>
/// <item>the kernel's declaration and every helper it called have the same text at the same place, on the same
/// line (so locations, line numbers and diagnostics stay right).</item>
/// </list>
/// <para>
/// Anything else translates again. Since the key is a value, a warm driver, a new driver over the same program
/// (another test, a build server's next build) and the IDE all find the same entries. The only per-object data are
/// weak tables keyed by immutable compiler objects (a tree's surface hash, a compilation's snapshot), which live
/// exactly as long as those objects.
/// </para>
/// </remarks>
internal static class KernelTranslationCache
{
    /// <summary>Entries kept at most; past that the table starts again (a bound on memory, not a correctness rule).</summary>
    private const int Capacity = 16384;

    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<ulong>> treeSurfaces = new();
    private static readonly ConditionalWeakTable<Compilation, Snapshot> snapshots = new();
    private static readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, StrongBox<int>> translationCounts = new(StringComparer.Ordinal);

    /// <summary>Translations run so far (cache misses) for compilations of that assembly name; for tests and benchmarks.</summary>
    public static int TranslationCount(string assemblyName)
        => translationCounts.TryGetValue(assemblyName, out var count) ? Volatile.Read(ref count.Value) : 0;

    public static KernelParseResult GetOrTranslate(
        GeneratorAttributeSyntaxContext context,
        Func<GeneratorAttributeSyntaxContext, CancellationToken, (KernelParseResult Result, IReadOnlyList<SyntaxNode> Dependencies)> translate,
        CancellationToken cancellationToken)
    {
        var compilation = context.SemanticModel.Compilation;
        var snapshot = snapshots.GetValue(compilation, c => new Snapshot(c));
        var node = context.TargetNode;
        string key = (compilation.AssemblyName ?? "") + "|" + node.SyntaxTree.FilePath + "|"
            + (node.Parent as BaseTypeDeclarationSyntax)?.Identifier.ValueText + "|" + context.TargetSymbol.Name;
        if (snapshot.Surface.Cacheable
            && entries.TryGetValue(key, out var entry)
            && entry.Surface.SameAs(snapshot.Surface)
            && entry.Dependencies.All(d => d.StillMatches(snapshot.Trees, cancellationToken)))
        {
            var self = entry.Self;
            var text = node.SyntaxTree.GetText(cancellationToken);
            if (node.FullSpan.Start == self.Start && self.StillMatches(snapshot.Trees, cancellationToken))
                return entry.Result;
            // An edit earlier in the same file may have moved the kernel without changing it. The model
            // holds neither its line nor its offset; only diagnostics hold offsets.
            if (entry.Result.Diagnostics.Count == 0 && Declaration.SameText(text, node.FullSpan.Start, self.Text))
            {
                entries[key] = entry with { Self = Declaration.Of(node, cancellationToken) };
                return entry.Result;
            }
        }

        var (result, dependencies) = translate(context, cancellationToken);
        Interlocked.Increment(ref translationCounts.GetOrAdd(compilation.AssemblyName ?? "", _ => new StrongBox<int>()).Value);
        if (snapshot.Surface.Cacheable)
        {
            if (entries.Count >= Capacity)
                entries.Clear();
            entries[key] = new Entry(snapshot.Surface, Declaration.Of(node, cancellationToken), dependencies.Select(d => Declaration.Of(d, cancellationToken)).ToArray(), result);
        }
        return result;
    }

    private sealed record Entry(Surface Surface, Declaration Self, Declaration[] Dependencies, KernelParseResult Result);

    /// <summary>
    /// A declaration's exact text, file, place and line (values; the tree it was read from is kept weakly, only to
    /// skip the text comparison when the very same immutable tree comes back).
    /// </summary>
    private sealed record Declaration(string FilePath, int Start, int SpanStart, int Line, string Text, WeakReference<SyntaxTree> Tree)
    {
        public static Declaration Of(SyntaxNode node, CancellationToken cancellationToken)
            => new(node.SyntaxTree.FilePath, node.FullSpan.Start, node.Span.Start,
                node.SyntaxTree.GetText(cancellationToken).Lines.GetLinePosition(node.Span.Start).Line, node.ToFullString(),
                new WeakReference<SyntaxTree>(node.SyntaxTree));

        public bool StillMatches(Dictionary<string, SyntaxTree> trees, CancellationToken cancellationToken)
        {
            if (!trees.TryGetValue(FilePath, out var tree))
                return false;
            if (Tree.TryGetTarget(out var same) && ReferenceEquals(same, tree))
                return true; // The very same (immutable) tree: same text, same places.
            var text = tree.GetText(cancellationToken);
            return SameText(text, Start, Text) && text.Lines.GetLinePosition(SpanStart).Line == Line;
        }

        /// <summary>Whether <paramref name="text"/> holds exactly <paramref name="expected"/> at <paramref name="start"/> (no copy made).</summary>
        public static bool SameText(SourceText text, int start, string expected)
        {
            if (start < 0 || start + expected.Length > text.Length)
                return false;
            for (int i = 0; i < expected.Length; i++)
            {
                if (text[start + i] != expected[i])
                    return false;
            }
            return true;
        }
    }

    /// <summary>One compilation's surface and its trees by path (lives as long as the compilation).</summary>
    private sealed class Snapshot
    {
        public Snapshot(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
                Trees[tree.FilePath] = tree;
            Surface = Surface.Of(compilation);
        }

        public Dictionary<string, SyntaxTree> Trees { get; } = new(StringComparer.Ordinal);

        public Surface Surface { get; }
    }

    /// <summary>
    /// The declaration surface of a compilation, what every method body's binding depends on, as a value: a hash of
    /// the assembly name, the files' paths and surfaces and the references' content ids, and the options themselves
    /// (immutable values, compared with their own equality).
    /// </summary>
    private sealed class Surface
    {
        private static readonly ConditionalWeakTable<Compilation, Surface> computed = new();

        private readonly ulong hash;
        private readonly CompilationOptions options;
        private readonly ParseOptions? parseOptions;

        private Surface(ulong hash, CompilationOptions options, ParseOptions? parseOptions, bool cacheable)
        {
            this.hash = hash;
            this.options = options;
            this.parseOptions = parseOptions;
            Cacheable = cacheable;
        }

        /// <summary>False when some reference has no content id: nothing of that compilation is cached.</summary>
        public bool Cacheable { get; }

        public static Surface Of(Compilation compilation) => computed.GetValue(compilation, Compute);

        private static Surface Compute(Compilation compilation)
        {
            ulong h = Hash(compilation.AssemblyName ?? "");
            foreach (var tree in compilation.SyntaxTrees)
            {
                h = Mix(h, Hash(tree.FilePath));
                h = Mix(h, treeSurfaces.GetValue(tree, t => new StrongBox<ulong>(HashSurface(t))).Value);
            }
            bool cacheable = true;
            foreach (var reference in compilation.References)
            {
                h = Mix(h, Hash(string.Join(",", reference.Properties.Aliases)));
                h = Mix(h, reference.Properties.EmbedInteropTypes ? 1UL : 0UL);
                switch (reference)
                {
                    case CompilationReference { Compilation: { } referenced }:
                        var inner = Of(referenced);
                        cacheable &= inner.Cacheable;
                        h = Mix(h, inner.hash);
                        h = Mix(h, (ulong)inner.options.GetHashCode());
                        break;
                    default:
                        switch (compilation.GetAssemblyOrModuleSymbol(reference))
                        {
                            case IAssemblySymbol assembly:
                                foreach (var module in assembly.Modules)
                                    cacheable &= AddModule(ref h, module);
                                break;
                            case IModuleSymbol module:
                                cacheable &= AddModule(ref h, module);
                                break;
                            default:
                                // Not part of the program (a duplicate of another reference's identity): only its name counts.
                                h = Mix(h, Hash(reference.Display ?? ""));
                                break;
                        }
                        break;
                }
            }
            return new Surface(h, compilation.Options, compilation.SyntaxTrees.FirstOrDefault()?.Options, cacheable);
        }

        /// <summary>Adds a referenced module's MVID (a new build of it, a new id); false when it has none.</summary>
        private static bool AddModule(ref ulong h, IModuleSymbol module)
        {
            if (module.GetMetadata() is not { } metadata)
                return false;
            var bytes = metadata.GetModuleVersionId().ToByteArray();
            h = Mix(h, BitConverter.ToUInt64(bytes, 0));
            h = Mix(h, BitConverter.ToUInt64(bytes, 8));
            return true;
        }

        public bool SameAs(Surface other)
            => ReferenceEquals(this, other)
                || hash == other.hash && Cacheable && other.Cacheable && options.Equals(other.options) && Equals(parseOptions, other.parseOptions);

        private static ulong HashSurface(SyntaxTree tree)
        {
            ulong h = 14695981039346656037UL;
            var root = tree.GetRoot();
            foreach (var token in root.DescendantTokens(n => !IsBody(n)))
            {
                h = Mix(h, (ulong)token.RawKind);
                h = Mix(h, Hash(token.Text));
            }
            for (var directive = root.GetFirstDirective(); directive is not null; directive = directive.GetNextDirective())
                h = Mix(h, Hash(directive.ToString()));
            return h;
        }

        private static bool IsBody(SyntaxNode node)
            => node is BlockSyntax or ArrowExpressionClauseSyntax
                && node.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BasePropertyDeclarationSyntax;

        private static ulong Hash(string text)
        {
            ulong h = 14695981039346656037UL;
            foreach (char c in text)
                h = (h ^ c) * 1099511628211UL;
            return h;
        }

        private static ulong Mix(ulong h, ulong value) => (h ^ value) * 1099511628211UL + 0x9E3779B97F4A7C15UL;
    }
}
