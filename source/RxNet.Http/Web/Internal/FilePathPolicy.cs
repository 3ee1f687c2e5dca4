namespace RxNet.Http.Web.Internal;

/// <summary>
/// What a <see cref="File"/> may serve: a child segment is refused when it could leave its directory (<c>.</c>,
/// <c>..</c>, a separator or NUL in it, whether it came encoded or not), and an entry that is a symbolic link is
/// refused when its final target lies outside the served root. Refusals are 404s, as Twisted's
/// <c>InsecurePath</c> is: the client learns nothing about what exists outside.
/// </summary>
internal sealed class FilePathPolicy
{
    private readonly string _root;
    private readonly string _realRoot;

    public FilePathPolicy(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        // A root that does not exist (yet) serves nothing, as Twisted's does; a root that is a link is confined to its target.
        _realRoot = Path.Exists(_root) && new DirectoryInfo(_root).LinkTarget is not null
            ? Path.TrimEndingDirectorySeparator(Directory.ResolveLinkTarget(_root, returnFinalTarget: true)?.FullName ?? _root)
            : _root;
    }

    /// <summary>A directory entry, for listings.</summary>
    public readonly record struct Entry(string Name, bool IsDirectory);

    /// <summary>Whether <paramref name="segment"/> names an entry of its directory, never anything above it.</summary>
    public static bool IsSafeSegment(string segment) =>
        segment is not ("." or "..") && segment.IndexOfAny(['/', '\\', '\0']) < 0 && !Path.IsPathRooted(segment);

    /// <summary>Whether <paramref name="path"/> (an existing entry under the root) may be served: not a link, or a
    /// link whose final target is inside the root.</summary>
    public bool IsInside(string path)
    {
        FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
        if (info.LinkTarget is null)
            return true;
        string? target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        return target is not null && (Under(target, _root) || Under(target, _realRoot));
    }

    /// <summary>The entries of <paramref name="directory"/> that may be served, sorted by name (ordinal).</summary>
    public List<Entry> List(string directory)
    {
        var entries = new List<Entry>();
        foreach (var info in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (IsInside(info.FullName))
                entries.Add(new Entry(info.Name, Directory.Exists(info.FullName)));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    private static bool Under(string path, string root) =>
        string.Equals(path, root, StringComparison.Ordinal) || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
