namespace Docs.Specs;

/// <summary>The files of a checkout as a clone has them: everything under the root except build output,
/// test results and the folders of git and editors.</summary>
internal sealed class RepositoryFiles
{
    // Produced by builds, tests and benchmark runs, or private to a tool: never part of a clone.
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal)
    {
        "bin", "obj", "TestResults", "BenchmarkDotNet.Artifacts", "node_modules", ".git", ".vs", ".idea",
    };

    private RepositoryFiles(string root) => Root = root;

    /// <summary>The repository's root folder.</summary>
    public string Root { get; }

    /// <summary>The checkout these specs were built from: the folder with RxNet.sln above their binaries.</summary>
    public static RepositoryFiles OfThisCheckout()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RxNet.sln")))
                return new RepositoryFiles(dir.FullName);
        }
        throw new InvalidOperationException($"No RxNet.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The files under <paramref name="root"/> (for specs of the checker itself).</summary>
    public static RepositoryFiles At(string root) => new(Path.GetFullPath(root));

    /// <summary>Every file, as a path relative to the root with '/' separators, in ordinal order.</summary>
    public IReadOnlyList<string> All()
    {
        var found = new List<string>();
        Walk(Root, found);
        return found.Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The text files: those without a NUL byte in their first 8 KiB (git's own test for binary).</summary>
    public IEnumerable<string> Text() => All().Where(IsText);

    /// <summary>The markdown files.</summary>
    public IEnumerable<string> Markdown() => All().Where(p => p.EndsWith(".md", StringComparison.OrdinalIgnoreCase));

    /// <summary>The full path of <paramref name="relative"/>.</summary>
    public string FullPath(string relative) => Path.Combine(Root, relative);

    private bool IsText(string relative)
    {
        using var stream = File.OpenRead(FullPath(relative));
        var head = new byte[8192];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return Array.IndexOf(head, (byte)0, 0, read) < 0;
    }

    private static void Walk(string directory, List<string> found)
    {
        found.AddRange(Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != ".git"));
        foreach (var sub in Directory.GetDirectories(directory))
        {
            var name = Path.GetFileName(sub);
            if (Skipped.Contains(name))
                continue;
            Walk(sub, found);
        }
    }
}
