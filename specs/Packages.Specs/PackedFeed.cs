using System.Xml.Linq;
using Xunit;

namespace Packages.Specs;

/// <summary>The repository's packages, packed once per run into a local folder feed.</summary>
/// <remarks>Packing happens in a copy of what it needs (every file at the repository's root and
/// <c>source/</c>, without <c>bin/</c> and <c>obj/</c>), so it never writes into the repository's own
/// <c>obj/</c> folders while other spec projects build and run. The copy's <c>.git</c> points at the
/// repository's git folder, so SourceLink reads the real commit (it only reads).</remarks>
public sealed class PackedFeed : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(6);
    private readonly string _work = Directory.CreateTempSubdirectory("rxnet-pack-").FullName;

    /// <summary>The repository being packed.</summary>
    public string Repository { get; } = FindRepository();

    /// <summary>The folder feed the packages were packed into.</summary>
    public string Feed => Path.Combine(_work, "feed");

    /// <summary>The version every package got: the repository's prefix with a suffix unique to this run,
    /// as <c>docs/adr</c> tells a user to pack for a consumer.</summary>
    public string Version { get; private set; } = "";

    /// <summary>The suffix passed to <c>dotnet pack</c>.</summary>
    /// <remarks>Random, not a timestamp: only its uniqueness matters (a consumer never restores a cached package of the
    /// same version), and a leading letter keeps it a valid SemVer identifier whatever the digits.</remarks>
    public string VersionSuffix { get; } = "local.r" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The names of the projects under <c>source/</c>: one package each.</summary>
    public IReadOnlyList<string> SourceProjects { get; private set; } = [];

    /// <summary>What the pack printed, for failure messages.</summary>
    internal DotnetResult Pack { get; private set; } = new("", 0, "");

    /// <summary>The package sources of the repository's NuGet.config (the registry its builds use).</summary>
    public IReadOnlyList<XElement> Registries { get; private set; } = [];

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        try
        {
            await PackAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task PackAsync()
    {
        var copy = Path.Combine(_work, "repository");
        CopyForPacking(Repository, copy);
        var projects = Directory.GetFiles(Path.Combine(copy, "source"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(copy, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        SourceProjects = projects.Select(Path.GetFileNameWithoutExtension).ToList()!;
        // One solution of the packages alone: a single build, projects in parallel, nothing from specs/.
        new XDocument(new XElement("Solution", projects.Select(p => new XElement("Project", new XAttribute("Path", p)))))
            .Save(Path.Combine(copy, "Packages.slnx"));
        Registries = XDocument.Load(Path.Combine(Repository, "NuGet.config")).Descendants("packageSources").Elements("add").ToList();

        Pack = (await Dotnet.RunAsync(copy, PackTimeout, null,
            "pack", "Packages.slnx", "-c", "Release", "-o", Feed, "--version-suffix", VersionSuffix,
            // A package's bits do not depend on the analyzers, which the repository's own build runs.
            "-p:RunAnalyzers=false",
            // No MSBuild node outlives the spec.
            "-nodeReuse:false")).EnsureSuccess();
        var prefix = XDocument.Load(Path.Combine(Repository, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Version = prefix + "-" + VersionSuffix;
    }

    // The folder with RxNet.sln above this spec's binaries.
    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RxNet.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No RxNet.sln above {AppContext.BaseDirectory}.");
    }

    private static void CopyForPacking(string repository, string copy)
    {
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(repository))
        {
            if (Path.GetFileName(file) != ".git")
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }
        CopyTree(Path.Combine(repository, "source"), Path.Combine(copy, "source"));
        if (GitDirectory(repository) is { } git)
            File.WriteAllText(Path.Combine(copy, ".git"), $"gitdir: {git}\n");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
        {
            var name = Path.GetFileName(dir);
            if (name is not ("bin" or "obj"))
                CopyTree(dir, Path.Combine(to, name));
        }
    }

    // The repository's git folder: .git itself, or where a worktree's .git file points.
    private static string? GitDirectory(string repository)
    {
        var dotGit = Path.Combine(repository, ".git");
        if (Directory.Exists(dotGit))
            return dotGit;
        if (!File.Exists(dotGit))
            return null;
        var line = File.ReadAllLines(dotGit).FirstOrDefault(l => l.StartsWith("gitdir:", StringComparison.Ordinal));
        return line is null ? null : Path.GetFullPath(line["gitdir:".Length..].Trim(), repository);
    }
}
