using System.Text.RegularExpressions;

namespace Packages.Specs;

/// <summary>The files and commands a guide gives a user to paste, read from the guide itself, so a spec runs
/// what the reader sees: each is the fenced block right after a <c>&lt;!-- start-from-zero VARIANT: NAME --&gt;</c>
/// comment (invisible when the markdown is rendered).</summary>
internal sealed partial class GuideSnippets
{
    private readonly Dictionary<(string Variant, string Name), string> _blocks;

    private GuideSnippets(Dictionary<(string Variant, string Name), string> blocks) => _blocks = blocks;

    /// <summary>Reads the marked blocks of <paramref name="markdownPath"/>.</summary>
    public static GuideSnippets Read(string markdownPath)
    {
        var text = File.ReadAllText(markdownPath).Replace("\r\n", "\n", StringComparison.Ordinal);
        var blocks = Marked().Matches(text).ToDictionary(
            m => (m.Groups["variant"].Value, m.Groups["name"].Value),
            m => m.Groups["body"].Value);
        return new GuideSnippets(blocks);
    }

    /// <summary>The block named <paramref name="name"/> for <paramref name="variant"/> (empty for the blocks
    /// every variant uses).</summary>
    /// <exception cref="InvalidOperationException">The guide has no such block.</exception>
    public string this[string variant, string name] =>
        _blocks.TryGetValue((variant, name), out var body) ? body
        : throw new InvalidOperationException($"The guide has no block marked 'start-from-zero{(variant.Length > 0 ? " " + variant : "")}: {name}'; it has {string.Join(", ", _blocks.Keys)}.");

    [GeneratedRegex(@"<!-- start-from-zero(?: (?<variant>\S+))?: (?<name>\S+) -->\n```[^\n]*\n(?<body>.*?)```\n", RegexOptions.Singleline)]
    private static partial Regex Marked();
}
