using System.Xml.Linq;

namespace Packages.Specs;

/// <summary>A fresh console project outside the repository that references RxNet by package.</summary>
/// <remarks>It lives in a temporary folder of its own, so the repository's <c>global.json</c>, central
/// package versions and build props cannot leak in; its NuGet.config lists the local feed and the
/// repository's registry, and its packages folder starts empty, so no cached package can stand in for
/// the ones just packed.</remarks>
internal sealed class ConsumerProject : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, string> _environment;

    private ConsumerProject(string directory)
    {
        Directory = directory;
        _environment = new() { ["NUGET_PACKAGES"] = Path.Combine(directory, "packages") };
    }

    /// <summary>The project's folder.</summary>
    public string Directory { get; }

    /// <summary>Writes a console project with <c>Consumer/Program.cs</c> that references
    /// <paramref name="packages"/> at the feed's version.</summary>
    public static ConsumerProject Create(PackedFeed feed, params string[] packages)
    {
        var project = Empty(feed);
        new XDocument(new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"),
            new XElement("PropertyGroup",
                new XElement("OutputType", "Exe"),
                new XElement("TargetFramework", "net10.0"),
                new XElement("Nullable", "enable"),
                new XElement("ImplicitUsings", "enable"),
                // NU1603 (a near version instead of the packed one) and every other warning fail the build.
                new XElement("TreatWarningsAsErrors", "true")),
            new XElement("ItemGroup", packages.Select(p =>
                new XElement("PackageReference", new XAttribute("Include", p), new XAttribute("Version", feed.Version))))))
            .Save(Path.Combine(project.Directory, "Consumer.csproj"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "Program.cs"), Path.Combine(project.Directory, "Program.cs"));
        return project;
    }

    /// <summary>Makes an empty folder outside the repository where the feed's packages restore, as a user's
    /// own folder would: a project goes in it (or in a folder below it) by <see cref="Write"/> or by
    /// <c>dotnet new</c>.</summary>
    public static ConsumerProject Empty(PackedFeed feed)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("rxnet-consumer-").FullName;
        if (directory.StartsWith(feed.Repository, StringComparison.Ordinal))
            throw new InvalidOperationException($"The consumer's folder {directory} is inside the repository {feed.Repository}.");

        new XDocument(new XElement("configuration",
            new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", "packages"))),
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "local"), new XAttribute("value", feed.Feed)),
                feed.Registries)))
            .Save(Path.Combine(directory, "NuGet.config"));

        // MSBuild looks for these in every parent folder: empty ones stop it at this folder, so nothing
        // another program left in the temporary folder applies.
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
            File.WriteAllText(Path.Combine(directory, name), "<Project />\n");
        return new ConsumerProject(directory);
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="relative"/> under the folder.</summary>
    public void Write(string relative, string text)
    {
        var path = Path.Combine(Directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="relative"/> (a folder
    /// under this one), bounded by the build timeout, with this folder's packages folder.</summary>
    public Task<DotnetResult> DotnetAsync(string relative, params string[] arguments) =>
        Dotnet.RunAsync(Path.Combine(Directory, relative), BuildTimeout, _environment, arguments);

    /// <summary>Restores and builds the project.</summary>
    public Task<DotnetResult> BuildAsync() =>
        Dotnet.RunAsync(Directory, BuildTimeout, _environment, "build", "-c", "Release", "-nodeReuse:false");

    /// <summary>Runs the built program.</summary>
    public Task<DotnetResult> RunAsync() =>
        Dotnet.RunAsync(Directory, RunTimeout, _environment, Path.Combine(Directory, "bin", "Release", "net10.0", "Consumer.dll"));

    /// <summary>The packages restored into the project's own packages folder, as <c>id/version</c> (NuGet
    /// writes both in lower case).</summary>
    public IEnumerable<string> RestoredPackages()
    {
        var packages = _environment["NUGET_PACKAGES"];
        return System.IO.Directory.GetDirectories(packages).SelectMany(System.IO.Directory.GetDirectories)
            .Select(version => Path.GetRelativePath(packages, version).Replace('\\', '/'));
    }

    /// <inheritdoc/>
    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
