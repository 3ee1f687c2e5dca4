using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RxNet.Testing.Specs;

/// <summary>
/// Compiles each C# block of a guide on its own, with the <c>using</c> lines it shows and nothing more, so a
/// reader who copies a block knows which namespaces it needs. What the harness adds, and only that: the
/// implicit usings of an SDK project with <c>ImplicitUsings</c> on (<see cref="ImplicitUsings"/>, what
/// <c>dotnet new</c> gives every project), and the names the guide's prose introduces (<c>reactor</c>,
/// <c>scheduler</c>, <c>network</c>, ...), which a block reaches as inherited members of a context class, never
/// through a using. A block fails if it needs a using it does not show, or shows one it does not need.
/// </summary>
/// <remarks>A block is split into its leading <c>using</c> lines and the rest; the rest, parsed as a program with
/// top-level statements, gives statements (the body of an async method) and declarations (types, and methods with an
/// accessibility or an attribute: members beside it), all inside a class deriving from the context, in a namespace of
/// the block's own.</remarks>
internal static class GuideSnippetCompiler
{
    /// <summary>The global usings of a .NET SDK project with <c>ImplicitUsings</c> enabled (Microsoft.NET.Sdk).</summary>
    public static readonly IReadOnlyList<string> ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    ];

    // Diagnostics that fail a block besides errors: a using the implicit usings already give.
    private static readonly HashSet<string> UsingDiagnostics = ["CS8933", "CS0105"];

    /// <summary>Compiles every block and describes each one that fails: its number, its first line, and either the
    /// compiler's messages (each with the line it is about) or the using lines it shows but compiles without.</summary>
    /// <param name="blocks">The blocks' texts, as <see cref="DocSnippets.CodeBlocks"/> gives them.</param>
    /// <param name="context">The public abstract class whose members are the names the guide's prose introduces.</param>
    /// <returns>One entry per failing block; empty when every block compiles with exactly its using lines.</returns>
    /// <remarks>A using is unneeded when the block compiles without it: each block is compiled once as written and
    /// once without each of its using lines, all in one compilation (each copy in a namespace of its own). The
    /// compiler's own CS8019 is not enough: it counts a using as needed when it only offered candidates.</remarks>
    public static IReadOnlyList<string> Failures(IReadOnlyList<string> blocks, Type context)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), parse, "ImplicitUsings.cs"),
        };
        var written = new Dictionary<SyntaxTree, int>();
        var without = new Dictionary<SyntaxTree, (int Block, string Using)>();
        for (int i = 0; i < blocks.Count; i++)
        {
            var (usings, body) = DocSnippets.SplitUsings(blocks[i]);
            var tree = CSharpSyntaxTree.ParseText(Wrap(usings, body, $"Block{i + 1}", context, parse), parse);
            trees.Add(tree);
            written[tree] = i;
            foreach (string dropped in usings)
            {
                var variant = CSharpSyntaxTree.ParseText(Wrap([.. usings.Where(u => u != dropped)], body, $"Block{i + 1}Without{without.Count}", context, parse), parse);
                trees.Add(variant);
                without[variant] = (i, dropped);
            }
        }

        var compilation = CSharpCompilation.Create(
            "GuideSnippets",
            trees,
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var diagnostics = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error || UsingDiagnostics.Contains(d.Id))
            .Where(d => d.Location.SourceTree is not null)
            .ToLookup(d => d.Location.SourceTree!);

        var messages = new SortedDictionary<int, StringBuilder>();
        StringBuilder For(int block) => messages.TryGetValue(block, out var text) ? text
            : messages[block] = new StringBuilder().Append(CultureInfo.InvariantCulture, $"block {block + 1} ({FirstLine(blocks[block])}):\n");
        foreach (var (tree, block) in written)
        {
            foreach (var diagnostic in diagnostics[tree].OrderBy(d => d.Location.SourceSpan.Start))
            {
                var line = tree.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim();
                For(block).Append(CultureInfo.InvariantCulture, $"  {diagnostic.Id} {diagnostic.GetMessage(CultureInfo.InvariantCulture)}\n    at: {line}\n");
            }
        }
        foreach (var (tree, (block, dropped)) in without)
        {
            if (!diagnostics[tree].Any() && !diagnostics[written.First(w => w.Value == block).Key].Any())
                For(block).Append(CultureInfo.InvariantCulture, $"  shows {dropped}, which it compiles without\n");
        }
        return [.. messages.Values.Select(text => text.ToString())];
    }

    /// <summary>A block as a compilation unit: the given usings, then a class deriving from <paramref name="context"/>
    /// holding the body's declarations and, in an async method, its statements, in namespace <paramref name="name"/>.</summary>
    private static string Wrap(List<string> usings, string body, string name, Type context, CSharpParseOptions parse)
    {
        var unit = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(body, parse).GetRoot();
        var members = new StringBuilder();
        var statements = new StringBuilder();
        foreach (var member in unit.Members)
        {
            // Top-level statements are the method's statements; a "local function" with an accessibility or an
            // attribute ([Fact] public void ...) is a method of the class, as are types.
            bool statement = member is GlobalStatementSyntax { Statement: var s }
                && !(s is LocalFunctionStatementSyntax f && (f.AttributeLists.Count > 0 || f.Modifiers.Any(m => SyntaxFacts.IsAccessibilityModifier(m.Kind()))));
            (statement ? statements : members).Append(member.ToFullString()).Append('\n');
        }

        var source = new StringBuilder();
        foreach (string line in usings)
            source.Append(line).Append('\n');
        source.Append(CultureInfo.InvariantCulture, $$"""
            namespace GuideSnippets.{{name}}
            {
            internal sealed class Snippet : global::{{context.FullName}}
            {
            {{members}}
            private async global::System.Threading.Tasks.Task RunAsync()
            {
            {{statements}}
            await global::System.Threading.Tasks.Task.CompletedTask;
            }
            }
            }
            """);
        return source.ToString();
    }

    private static string FirstLine(string block) =>
        DocSnippets.SplitUsings(block).Body.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";

    /// <summary>The framework's assemblies and every assembly beside the specs: what the spec project references.</summary>
    private static List<MetadataReference> References()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        var references = new List<MetadataReference>();
        foreach (string path in paths)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                if (pe.HasMetadata)
                    references.Add(MetadataReference.CreateFromFile(path));
            }
            catch (BadImageFormatException)
            {
                // A native library beside the specs: nothing to compile against.
            }
        }
        return references;
    }
}
