using System.Text;
using System.Text.RegularExpressions;

namespace Docs.Specs;

/// <summary>What a link checker needs from a markdown file: the links it makes and the anchors its
/// headings get on GitHub.</summary>
/// <remarks>Fenced code blocks hold neither links nor headings, and a code span holds no link, so they are
/// left out before either is read (line numbers stay).</remarks>
internal sealed partial class MarkdownFile
{
    private MarkdownFile(IReadOnlyList<MarkdownLink> links, IReadOnlySet<string> anchors)
    {
        Links = links;
        Anchors = anchors;
    }

    /// <summary>The inline links and images (<c>[text](target)</c>), reference definitions
    /// (<c>[id]: target</c>) and HTML <c>href</c>/<c>src</c> attributes.</summary>
    public IReadOnlyList<MarkdownLink> Links { get; }

    /// <summary>The anchors a <c>#fragment</c> may name: each heading's GitHub slug (a repeated one gets
    /// <c>-1</c>, <c>-2</c>, ...) and each HTML <c>id</c> or <c>name</c>.</summary>
    public IReadOnlySet<string> Anchors { get; }

    /// <summary>Reads markdown text.</summary>
    public static MarkdownFile Parse(string text)
    {
        var lines = WithoutFencedBlocks(text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
        var links = new List<MarkdownLink>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var slugs = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            // A heading keeps its code spans (`Name` is slugged as Name); a link inside one is no link.
            var line = CodeSpan().Replace(lines[i], "");
            foreach (Match m in InlineLink().Matches(line))
                links.Add(new MarkdownLink(i + 1, m.Groups["target"].Value));
            foreach (Match m in ReferenceDefinition().Matches(line))
                links.Add(new MarkdownLink(i + 1, m.Groups["target"].Value));
            foreach (Match m in HtmlLink().Matches(line))
                links.Add(new MarkdownLink(i + 1, m.Groups["target"].Value));
            foreach (Match m in HtmlAnchor().Matches(line))
                anchors.Add(m.Groups["anchor"].Value);
            if (Heading().Match(lines[i]) is { Success: true } heading)
            {
                var slug = Slug(heading.Groups["text"].Value);
                var seen = slugs.GetValueOrDefault(slug);
                slugs[slug] = seen + 1;
                anchors.Add(seen == 0 ? slug : $"{slug}-{seen}");
            }
        }
        return new MarkdownFile(links, anchors);
    }

    /// <summary>The anchor GitHub gives a heading: its text as rendered (links reduced to their text,
    /// code and emphasis marks gone), in lower case, without punctuation other than '-' and '_', spaces
    /// turned into '-'.</summary>
    public static string Slug(string heading)
    {
        var text = LinkInHeading().Replace(heading.Trim(), "${text}");
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c == ' ')
                slug.Append('-');
            else if (c is '-' or '_' || char.IsLetterOrDigit(c))
                slug.Append(c);
        }
        return slug.ToString();
    }

    // Blanks fenced blocks (``` or ~~~), keeping one entry per line.
    private static List<string> WithoutFencedBlocks(string[] lines)
    {
        var result = new List<string>(lines.Length);
        string? fence = null;
        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                result.Add("");
            }
            else if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                    fence = null;
                result.Add("");
            }
            else
            {
                result.Add(line);
            }
        }
        return result;
    }

    [GeneratedRegex(@"!?\[[^\]]*\]\(\s*<?(?<target>[^)\s>]+)>?(?:\s+""[^""]*"")?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"<(?:a|img)\s[^>]*\b(?:href|src)\s*=\s*""(?<target>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLink();

    [GeneratedRegex(@"<[a-z][a-z0-9]*\s[^>]*\b(?:id|name)\s*=\s*""(?<anchor>[^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlAnchor();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkInHeading();

    [GeneratedRegex(@"(`+).*?\1")]
    private static partial Regex CodeSpan();
}
