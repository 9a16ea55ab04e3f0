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

namespace KernelGen.Generator.Translation;

/// <summary>
/// Reuses a kernel's translation from the previous run when nothing it can depend on has changed.
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
/// <item>the compilation's declaration surface is unchanged: every file's tokens outside method,
/// accessor and constructor bodies, its preprocessor directives, the file set, references and options;</item>
/// <item>the kernel's declaration and every helper it called have the same text at the same place
/// (so locations, line numbers and the WGSL header stay right).</item>
/// </list>
/// <para>Anything else translates again. A build always starts from scratch, so it never sees this cache.</para>
/// </remarks>
internal sealed class KernelTranslationCache
{
    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<ulong>> treeSurfaces = new();
    private readonly ConditionalWeakTable<Compilation, Snapshot> snapshots = new();
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private int translationCount;

    /// <summary>Translations run so far (cache misses).</summary>
    public int TranslationCount => Volatile.Read(ref translationCount);

    public KernelParseResult GetOrTranslate(
        GeneratorAttributeSyntaxContext context,
        Func<GeneratorAttributeSyntaxContext, CancellationToken, (KernelParseResult Result, IReadOnlyList<SyntaxNode> Dependencies)> translate,
        CancellationToken cancellationToken)
    {
        var compilation = context.SemanticModel.Compilation;
        var snapshot = snapshots.GetValue(compilation, c => new Snapshot(c));
        var surface = snapshot.Surface;
        var node = context.TargetNode;
        string key = node.SyntaxTree.FilePath + "|" + (node.Parent as BaseTypeDeclarationSyntax)?.Identifier.ValueText + "|" + context.TargetSymbol.Name;
        if (entries.TryGetValue(key, out var entry)
            && entry.Surface.SameAs(surface)
            && entry.Declarations.Skip(1).All(d => d.StillMatches(snapshot.Trees, cancellationToken)))
        {
            var self = entry.Declarations[0];
            if (ReferenceEquals(node.SyntaxTree, self.Tree) && node.FullSpan.Start == self.Start)
                return entry.Result;
            // An edit earlier in the same file may have moved the kernel without changing it. The model
            // holds neither its line nor its offset; only diagnostics hold offsets.
            if ((node.FullSpan.Start == self.Start || entry.Result.Diagnostics.Count == 0)
                && string.Equals(node.ToFullString(), self.Text, StringComparison.Ordinal))
            {
                entry.Declarations[0] = Declaration.Of(node);
                return entry.Result;
            }
        }

        var (result, dependencies) = translate(context, cancellationToken);
        Interlocked.Increment(ref translationCount);
        var declarations = new List<Declaration> { Declaration.Of(node) };
        declarations.AddRange(dependencies.Select(Declaration.Of));
        entries[key] = new Entry(surface, declarations, result);
        return result;
    }

    private sealed record Entry(Surface Surface, List<Declaration> Declarations, KernelParseResult Result);

    /// <summary>A declaration's exact text, place and line.</summary>
    private sealed record Declaration(SyntaxTree Tree, string FilePath, int Start, int Line, string Text)
    {
        public static Declaration Of(SyntaxNode node)
            => new(node.SyntaxTree, node.SyntaxTree.FilePath, node.FullSpan.Start, node.SyntaxTree.GetLineSpan(node.Span).StartLinePosition.Line, node.ToFullString());

        public bool StillMatches(Dictionary<string, SyntaxTree> trees, CancellationToken cancellationToken)
        {
            if (!trees.TryGetValue(FilePath, out var tree))
                return false;
            if (ReferenceEquals(tree, Tree))
                return true; // The very same (immutable) tree: same text, same places.
            var text = tree.GetText(cancellationToken);
            if (Start + Text.Length > text.Length)
                return false;
            var span = new Microsoft.CodeAnalysis.Text.TextSpan(Start, Text.Length);
            if (!string.Equals(text.ToString(span), Text, StringComparison.Ordinal))
                return false;
            var node = tree.GetRoot(cancellationToken).FindNode(span, getInnermostNodeForTie: false);
            return tree.GetLineSpan(node.Span, cancellationToken).StartLinePosition.Line == Line;
        }
    }

    /// <summary>One compilation's surface and its trees by path (lives as long as the compilation).</summary>
    private sealed class Snapshot
    {
        public Snapshot(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
                Trees[tree.FilePath] = tree;
            Surface = new Surface(compilation);
        }

        public Dictionary<string, SyntaxTree> Trees { get; } = new(StringComparer.Ordinal);

        public Surface Surface { get; }
    }

    /// <summary>
    /// The declaration surface of a compilation, what every method body's binding depends on, as a
    /// fingerprint (cache entries keep it; it holds no syntax).
    /// </summary>
    private sealed class Surface
    {
        private readonly ulong hash;
        private readonly MetadataReference[] references;
        private readonly CompilationOptions options;
        private readonly ParseOptions? parseOptions;
        private Surface? knownSame;

        public Surface(Compilation compilation)
        {
            ulong h = 14695981039346656037UL;
            foreach (var tree in compilation.SyntaxTrees)
            {
                h = Mix(h, Hash(tree.FilePath));
                h = Mix(h, treeSurfaces.GetValue(tree, t => new StrongBox<ulong>(HashSurface(t))).Value);
            }
            hash = h;
            references = compilation.References.ToArray();
            options = compilation.Options;
            parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options;
        }

        public bool SameAs(Surface other)
        {
            if (ReferenceEquals(this, other) || ReferenceEquals(knownSame, other))
                return true;
            if (hash != other.hash || references.Length != other.references.Length || !options.Equals(other.options) || !Equals(parseOptions, other.parseOptions))
                return false;
            for (int i = 0; i < references.Length; i++)
            {
                if (!ReferenceEquals(references[i], other.references[i]))
                    return false;
            }
            // Every kernel of a run compares against the same surface: remember the answer.
            knownSame = other;
            return true;
        }

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
