using System.Text.RegularExpressions;
using Xunit;

namespace Packages.Specs;

/// <summary>The packages as a user gets them: packed from source into a folder feed, inspected, and used
/// by a fresh console project outside the repository.</summary>
[Trait("Category", "Integration")]
[Collection(SharedFeed.Name)]
public sealed partial class PackagesSpecs(PackedFeed feed)
{
    private static readonly string[] Shipped = ["RxNet", "RxNet.Sockets", "RxNet.Testing", "RxNet.Testing.Xunit", "RxNet.Hosting", "RxNet.Http"];

    [Fact]
    public void Pack_EverySourceProject_ProducesAPackageAndItsSymbols()
    {
        var files = Directory.GetFiles(feed.Feed).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var expected = feed.SourceProjects
            .SelectMany(p => new[] { $"{p}.{feed.Version}.nupkg", $"{p}.{feed.Version}.snupkg" })
            .Order(StringComparer.Ordinal).ToList();
        var listing = $"The feed holds: {string.Join(", ", files)}\nThe pack printed:\n{feed.Pack.Output}";
        Assert.True(Shipped.All(feed.SourceProjects.Contains), $"Missing projects under source/: {string.Join(", ", Shipped.Except(feed.SourceProjects))}");
        Assert.True(expected.SequenceEqual(files), $"Expected exactly {string.Join(", ", expected)}.\n{listing}");
        foreach (var project in feed.SourceProjects)
        {
            var symbols = PackageFile.Read(Path.Combine(feed.Feed, $"{project}.{feed.Version}.snupkg"));
            Assert.True(symbols.Entries.Contains($"lib/net10.0/{project}.pdb"), $"{project}'s symbols hold {string.Join(", ", symbols.Entries)}.");
        }
    }

    [Fact]
    public void Pack_EveryPackage_CarriesDescriptionLicenseReadmeAndCommit()
    {
        foreach (var path in Directory.GetFiles(feed.Feed, "*.nupkg"))
        {
            var package = PackageFile.Read(path);
            var name = Path.GetFileName(path);
            Assert.True(package.Metadata("version") == feed.Version, $"{name}: version {package.Metadata("version")}, expected {feed.Version}.");
            var description = package.Metadata("description") ?? "";
            Assert.True(description.Length > 40 && description != "Package Description", $"{name}: description '{description}'.");

            Assert.True(package.Metadata("license", "type") == "expression" && package.Metadata("license") == "MIT",
                $"{name}: license {package.Metadata("license", "type")} '{package.Metadata("license")}', expected the expression MIT.");
            var license = package.Text("LICENSE");
            Assert.True(license.StartsWith("MIT License", StringComparison.Ordinal) && license.Contains("Copyright (c) RxNet contributors", StringComparison.Ordinal),
                $"{name}: LICENSE reads:\n{license}");

            Assert.True(package.Metadata("readme") == "README.md", $"{name}: readme '{package.Metadata("readme")}'.");
            var readme = package.Text("README.md");
            Assert.StartsWith("# " + package.Id + "\n", readme, StringComparison.Ordinal);
            // nuget.org shows the readme alone: a relative link or a link to a repository file breaks there.
            var links = MarkdownLink().Matches(readme).Select(m => m.Groups["target"].Value).Where(t => !t.StartsWith("https://", StringComparison.Ordinal)).ToList();
            Assert.True(links.Count == 0, $"{name}: README.md links to {string.Join(", ", links)}, which nuget.org cannot follow.");

            Assert.True(package.Metadata("repository", "type") == "git", $"{name}: repository type '{package.Metadata("repository", "type")}'.");
            var commit = package.Metadata("repository", "commit") ?? "";
            Assert.True(Commit().IsMatch(commit), $"{name}: repository commit '{commit}' (packed outside a git checkout?).");
        }
    }

    [Fact]
    public async Task Consumer_ReferencesRxNetAndSocketsByPackage_EchoesALine()
    {
        using var consumer = ConsumerProject.Create(feed, "RxNet", "RxNet.Sockets");

        var build = await consumer.BuildAsync();
        Assert.True(build.ExitCode == 0, $"{build.Command} exited with {build.ExitCode}:\n{build.Output}");
        var restored = consumer.RestoredPackages().ToList();
        var packed = new[] { "rxnet", "rxnet.sockets" }.Select(id => $"{id}/{feed.Version}").ToList();
        Assert.True(packed.All(restored.Contains), $"Expected {string.Join(", ", packed)} among the restored {string.Join(", ", restored)}.");

        var run = await consumer.RunAsync();
        var printed = $"{run.Command} exited with {run.ExitCode}:\n{run.Output}";
        Assert.True(run.ExitCode == 0, printed);
        Assert.True(run.Output.Contains("echoed: hello, packages\n", StringComparison.Ordinal), printed);
        // The program ran the packed assemblies: their version is this run's, with the commit after '+'.
        Assert.True(run.Output.Contains($"RxNet {feed.Version}+", StringComparison.Ordinal)
            && run.Output.Contains($"RxNet.Sockets {feed.Version}+", StringComparison.Ordinal), printed);
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]*)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex Commit();
}
