using Xunit;

namespace Docs.Specs;

/// <summary>Every reference in the project resolves inside the project: a user's clone has the
/// repository and nothing beside it.</summary>
public sealed class SelfContainedDocsSpecs : IDisposable
{
    private readonly DirectoryInfo _sample = Directory.CreateTempSubdirectory("rxnet-docs-");

    [Fact]
    public void MarkdownLinks_InTheRepository_ResolveInsideIt()
    {
        var files = RepositoryFiles.OfThisCheckout();
        Assert.Contains("README.md", files.Markdown());
        Assert.Contains("docs/benchmarks.md", files.Markdown());

        var broken = SelfContainedDocs.BrokenLinks(files);

        Assert.True(broken.Count == 0, "Links that a clone cannot follow:\n" + string.Join('\n', broken));
    }

    [Fact]
    public void TextFiles_InTheRepository_MentionNothingOutsideIt()
    {
        var files = RepositoryFiles.OfThisCheckout();
        Assert.Contains("specs/Docs.Specs/SelfContainedDocs.cs", files.Text());

        var mentions = SelfContainedDocs.OutsideMentions(files);

        Assert.True(mentions.Count == 0, "Text that points at notes a clone does not have (say the fact itself instead):\n" + string.Join('\n', mentions));
    }

    [Fact]
    public void BrokenLinks_MissingFileEscapeOrAnchor_AreEachReported()
    {
        Write("docs/guide.md", """
            # Guide

            ## The clock: `TestScheduler`

            ## Setup
            ## Setup
            """);
        Write("README.md", """
            # Sample
            [ok](docs/guide.md) [ok](docs/guide.md#the-clock-testscheduler) [ok](docs/guide.md#setup-1) [ok](docs/)
            [ok](#sample) [ok](https://example.com/missing.md) `[code](missing.md)`
            [missing](docs/missing.md)
            [outside](../outside.md)
            [anchor](docs/guide.md#no-such-heading)
            ```
            [in a fence](fenced.md)
            ```
            [ref]: docs/gone.md
            """);
        File.WriteAllText(Path.Combine(_sample.FullName, "outside.md"), "# Outside\n");   // exists, but beside the repository

        var broken = SelfContainedDocs.BrokenLinks(RepositoryFiles.At(Repository));

        Assert.Equal(
            [
                "README.md:4: docs/missing.md (no such file or folder)",
                "README.md:5: ../outside.md (leaves the repository)",
                "README.md:6: docs/guide.md#no-such-heading (no heading of docs/guide.md has the anchor #no-such-heading)",
                "README.md:10: docs/gone.md (no such file or folder)",
            ],
            broken);
    }

    [Fact]
    public void OutsideMentions_SharedFolderOrDesignSection_AreReportedWithTheirLine()
    {
        // Built from pieces, so that this file itself mentions neither.
        var shared = string.Concat("..", "/shared/notes.md");
        var section = string.Concat("DESIGN", " §1.4");
        Write("docs/a.md", $"fine\nsee {shared}\n");
        Write("source/B.cs", $"// bounded everywhere ({section})\n");
        Write("docs/c.md", "a design that is sound, a shared folder\n");
        Write("specs/D.csproj", "<Compile Include=\"../Shared/*.cs\" />\n");   // a folder of the repository

        var mentions = SelfContainedDocs.OutsideMentions(RepositoryFiles.At(Repository));

        Assert.Equal([$"docs/a.md:2: see {shared}", $"source/B.cs:1: // bounded everywhere ({section})"], mentions);
    }

    public void Dispose() => _sample.Delete(recursive: true);

    private string Repository => Path.Combine(_sample.FullName, "repository");

    private void Write(string relative, string text)
    {
        var path = Path.Combine(Repository, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
