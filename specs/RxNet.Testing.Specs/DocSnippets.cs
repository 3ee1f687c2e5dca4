using System.Text;
using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// Keeps a guide's code honest: every fenced <c>csharp</c> block of a Markdown page must appear, line for
/// line, in a spec file that compiles and runs it. Indentation and blank lines are ignored, so the guide
/// may show a snippet less indented than the method body it lives in.
/// </summary>
internal static class DocSnippets
{
    /// <summary>Fails, quoting every such block, if a <c>csharp</c> block of <paramref name="markdownPath"/> is not in
    /// <paramref name="specPath"/> verbatim, or if the page has no such block at all.</summary>
    /// <param name="markdownPath">The guide, relative to the repository root (<c>docs/linq.md</c>).</param>
    /// <param name="specPath">The spec file, relative to the repository root.</param>
    /// <returns>How many blocks were checked.</returns>
    public static int AssertEveryBlockAppearsIn(string markdownPath, string specPath)
    {
        string root = RepositoryRoot();
        string[] spec = Normalize(File.ReadAllText(Path.Combine(root, specPath)));
        var blocks = CodeBlocks(File.ReadAllText(Path.Combine(root, markdownPath)));

        Assert.NotEmpty(blocks);
        var missing = blocks.Where(block => !Contains(spec, Normalize(block))).ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} of the {blocks.Count} C# blocks of {markdownPath} are not in {specPath} verbatim:\n\n{string.Join("\n", missing)}");
        return blocks.Count;
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
}
