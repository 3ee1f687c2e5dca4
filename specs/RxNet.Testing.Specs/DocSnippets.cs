using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// Keeps a guide's code honest: every fenced <c>csharp</c> block of a Markdown page must appear, line for
/// line, in a spec file that compiles and runs it. Indentation and blank lines are ignored, so the guide
/// may show a snippet less indented than the method body it lives in. A block's leading <c>using</c> lines are
/// matched against the spec file's own usings, since a file has them at its top, not before each snippet.
/// </summary>
internal static partial class DocSnippets
{
    /// <summary>Fails, quoting every such block, if a <c>csharp</c> block of <paramref name="markdownPath"/> is not in
    /// one of <paramref name="specPaths"/> verbatim (its using lines among that file's), or if the page has no such
    /// block at all.</summary>
    /// <param name="markdownPath">The guide, relative to the repository root (<c>docs/linq.md</c>).</param>
    /// <param name="specPaths">The spec files, relative to the repository root.</param>
    /// <returns>How many blocks were checked.</returns>
    public static int AssertEveryBlockAppearsIn(string markdownPath, params string[] specPaths)
    {
        string root = RepositoryRoot();
        var specs = specPaths.Select(path => Normalize(File.ReadAllText(Path.Combine(root, path)))).ToList();
        var blocks = CodeBlocks(File.ReadAllText(Path.Combine(root, markdownPath)));

        Assert.NotEmpty(blocks);
        var missing = blocks.Where(block =>
        {
            var (usings, body) = SplitUsings(block);
            return !specs.Any(spec => Contains(spec, Normalize(body)) && usings.All(spec.Contains));
        }).ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} of the {blocks.Count} C# blocks of {markdownPath} are not in {string.Join(" or ", specPaths)} verbatim:\n\n{string.Join("\n", missing)}");
        return blocks.Count;
    }

    /// <summary>A block's leading <c>using</c> directives (trimmed, blank lines among them dropped) and the rest.</summary>
    /// <param name="block">A code block's text.</param>
    /// <returns>The using lines, and the text after them.</returns>
    public static (List<string> Usings, string Body) SplitUsings(string block)
    {
        string[] lines = block.Split('\n');
        int count = 0;
        while (count < lines.Length && (lines[count].Trim().Length == 0 || UsingDirective().IsMatch(lines[count].Trim())))
            count++;
        return ([.. lines.Take(count).Select(l => l.Trim()).Where(l => l.Length > 0)], string.Join('\n', lines.Skip(count)));
    }

    /// <summary>The directory holding <c>RxNet.sln</c>, found upwards from the test binaries.</summary>
    /// <returns>Its full path.</returns>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RxNet.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("RxNet.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The fenced <c>csharp</c> blocks of a Markdown text.</summary>
    /// <param name="markdown">The page.</param>
    /// <returns>Each block's text, without its fences.</returns>
    public static List<string> CodeBlocks(string markdown)
    {
        var blocks = new List<string>();
        StringBuilder? block = null;
        foreach (string line in markdown.Split('\n'))
        {
            if (block is null && line.Trim() == "```csharp")
            {
                block = new StringBuilder();
            }
            else if (block is not null && line.Trim() == "```")
            {
                blocks.Add(block.ToString());
                block = null;
            }
            else
            {
                block?.Append(line).Append('\n');
            }
        }
        return blocks;
    }

    /// <summary>Lines without their indentation and without blank lines.</summary>
    private static string[] Normalize(string text) =>
        [.. text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];

    private static bool Contains(string[] haystack, string[] needle)
    {
        for (int start = 0; start + needle.Length <= haystack.Length; start++)
        {
            if (haystack.AsSpan(start, needle.Length).SequenceEqual(needle))
                return true;
        }
        return false;
    }

    // A using directive (namespace, static or alias), not a using statement or declaration.
    [GeneratedRegex(@"^using\s+(static\s+)?(\w+\s*=\s*)?[\w.]+(<[\w.,\s<>]+>)?\s*;$")]
    private static partial Regex UsingDirective();
}
