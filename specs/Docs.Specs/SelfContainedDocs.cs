using System.Text.RegularExpressions;

namespace Docs.Specs;

/// <summary>Checks that a repository's documentation stands on its own: every relative link resolves
/// inside the repository, and no text points at a design document or folder that only its authors have.</summary>
internal static partial class SelfContainedDocs
{
    /// <summary>Each relative link of each markdown file that does not resolve inside the repository, as
    /// <c>file:line: target (reason)</c>: a missing file or folder, a path that leaves the repository, or
    /// a <c>#anchor</c> that no heading of the markdown file it names produces.</summary>
    public static IReadOnlyList<string> BrokenLinks(RepositoryFiles files)
    {
        var parsed = new Dictionary<string, MarkdownFile>(StringComparer.Ordinal);
        MarkdownFile Read(string full) =>
            parsed.TryGetValue(full, out var file) ? file : parsed[full] = MarkdownFile.Parse(File.ReadAllText(full));

        var root = Path.TrimEndingDirectorySeparator(files.Root);
        var broken = new List<string>();
        foreach (var relative in files.Markdown())
        {
            var source = files.FullPath(relative);
            foreach (var link in Read(source).Links)
            {
                if (External().IsMatch(link.Target))
                    continue;
                var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
                var path = Uri.UnescapeDataString(hash < 0 ? link.Target : link.Target[..hash]);
                var anchor = hash < 0 ? "" : Uri.UnescapeDataString(link.Target[(hash + 1)..]);
                if (path.IndexOf('?', StringComparison.Ordinal) is var query and >= 0)
                    path = path[..query];

                var target = path.Length == 0 ? source
                    : path.StartsWith('/') ? Path.GetFullPath(root + path)
                    : Path.GetFullPath(path, Path.GetDirectoryName(source)!);
                string? reason =
                    target != root && !target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? "leaves the repository"
                    : !File.Exists(target) && !Directory.Exists(target) ? "no such file or folder"
                    : anchor.Length > 0 && target.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && File.Exists(target)
                        && !Read(target).Anchors.Contains(anchor.ToLowerInvariant())
                        ? $"no heading of {Path.GetRelativePath(root, target).Replace('\\', '/')} has the anchor #{anchor}"
                    : null;
                if (reason is not null)
                    broken.Add($"{relative}:{link.Line}: {link.Target} ({reason})");
            }
        }
        return broken;
    }

    /// <summary>Each line of a text file that names the design notes or the shared folder that the
    /// project was started from, as <c>file:line: text</c>: a user's clone has neither.</summary>
    public static IReadOnlyList<string> OutsideMentions(RepositoryFiles files)
    {
        var found = new List<string>();
        foreach (var relative in files.Text())
        {
            var lines = File.ReadAllLines(files.FullPath(relative));
            for (var i = 0; i < lines.Length; i++)
            {
                if (Outside().IsMatch(lines[i]))
                    found.Add($"{relative}:{i + 1}: {lines[i].Trim()}");
            }
        }
        return found;
    }

    // A scheme (https:, mailto:) or a protocol-relative address: not a file of the repository.
    [GeneratedRegex(@"^(?:[a-z][a-z0-9+.\-]*:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex External();

    // Written so that this file does not match itself: the parent folder's shared notes (lower case: the
    // specs' own Shared folder is fine), a section of the design document ("DESIGN", optionally ".md", then a
    // section sign), or the shared folder by its path.
    [GeneratedRegex(@"(?-i:\.\./shared)\b|\bDESIGN(?:\.md)?\s*§|/work/(?:shared)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Outside();
}
