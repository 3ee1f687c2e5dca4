using System.Text.RegularExpressions;
using Xunit;

namespace Packages.Specs;

/// <summary>The "start from zero" section of docs/testing.md, done as a user does it, outside the repository,
/// against the packages just packed: an xunit 2 project from <c>dotnet new xunit</c> with RxNet.Testing, and an
/// xunit v3 project with RxNet.Testing and the contract suite of RxNet.Testing.Xunit. Both build and pass.</summary>
[Trait("Category", "Integration")]
[Collection(SharedFeed.Name)]
public sealed partial class StartFromZeroSpecs(PackedFeed feed)
{
    // The version the guide writes; a user puts the one they packed, the spec the one it packed.
    private const string GuideVersion = "0.1.0-local.1";

    private GuideSnippets Guide => GuideSnippets.Read(Path.Combine(feed.Repository, "docs", "testing.md"));

    [Fact]
    public async Task Xunit2Template_WithRxNetTesting_BuildsAndPassesTheGuidesSpec()
    {
        using var consumer = ConsumerProject.Empty(feed);
        var folder = "";
        foreach (var command in Commands(Guide["v2", "commands"]))
        {
            if (command[0] == "cd")
            {
                folder = Path.Combine(folder, command[1]);
                continue;
            }
            if (command[1] == "test")
                consumer.Write(Path.Combine(folder, "EchoSpecs.cs"), Guide["", "EchoSpecs.cs"]);
            var result = await consumer.DotnetAsync(folder, command[1..]);
            Assert.True(result.ExitCode == 0, $"{result.Command} exited with {result.ExitCode}:\n{result.Output}");
            if (command[1] != "test")
                continue;

            // The template's own empty test and the guide's.
            Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+2, Skipped:\s+0, Total:\s+2", result.Output);
            var restored = consumer.RestoredPackages().ToList();
            Assert.Contains($"rxnet.testing/{feed.Version}", restored);
            Assert.Contains("xunit.core/2.9.3", restored);
            Assert.DoesNotContain(restored, p => p.StartsWith("xunit.v3", StringComparison.Ordinal));
            return;
        }
        Assert.Fail("The guide's xunit 2 commands never run dotnet test.");
    }

    [Fact]
    public async Task Xunit3Project_WithRxNetTestingAndContractSuite_BuildsAndPassesEverySpec()
    {
        using var consumer = ConsumerProject.Empty(feed);
        foreach (var name in new[] { "MyProtocol.Specs.csproj", "global.json", "ContractSpecs.cs" })
            consumer.Write(Path.Combine("MyProtocol.Specs", name), Guide["v3", name].Replace(GuideVersion, feed.Version, StringComparison.Ordinal));
        consumer.Write(Path.Combine("MyProtocol.Specs", "EchoSpecs.cs"), Guide["", "EchoSpecs.cs"]);

        var result = await consumer.DotnetAsync("MyProtocol.Specs", "test");

        Assert.True(result.ExitCode == 0, $"{result.Command} exited with {result.ExitCode}:\n{result.Output}");
        var total = Summary().Match(result.Output);
        Assert.True(total.Success, $"No test summary in:\n{result.Output}");
        // The guide's spec and the contract suite's facts (22 of them as written; a few more may come).
        Assert.True(int.Parse(total.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture) > 20
            && total.Groups["failed"].Value == "0", result.Output);
        var restored = consumer.RestoredPackages().ToList();
        Assert.Contains($"rxnet.testing.xunit/{feed.Version}", restored);
        Assert.DoesNotContain(restored, p => p.StartsWith("xunit.core/", StringComparison.Ordinal));
    }

    [Fact]
    public void ContractSuitePackage_Description_SaysItIsForXunitV3()
    {
        var package = PackageFile.Read(Path.Combine(feed.Feed, $"RxNet.Testing.Xunit.{feed.Version}.nupkg"));

        Assert.Contains("xunit v3", package.Metadata("description") ?? "", StringComparison.Ordinal);
    }

    // The guide's shell lines, without comments, split at spaces, with the version just packed.
    private IEnumerable<string[]> Commands(string block) =>
        block.Split('\n')
            .Select(line => line.Split('#')[0].Trim())
            .Where(line => line.Length > 0)
            .Select(line => line.Replace(GuideVersion, feed.Version, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"total:\s*(?<total>\d+)\s+failed:\s*(?<failed>\d+)")]
    private static partial Regex Summary();
}
