using Xunit;

namespace RxNet.Testing.Specs;

/// <summary>
/// Each C# block of docs/porting-from-twisted.md compiles on its own with the <c>using</c> lines it shows: none
/// missing, none unneeded. The harness adds only a project's implicit usings and the names the guide's prose
/// introduces (<see cref="PortingGuideContext"/>); <see cref="GuideSnippetCompiler"/> says how.
/// </summary>
public sealed class PortingGuideUsingsSpecs
{
    [Fact]
    public void PortingGuide_EveryCodeBlock_CompilesWithExactlyTheUsingsItShows()
    {
        string guide = File.ReadAllText(Path.Combine(DocSnippets.RepositoryRoot(), "docs", "porting-from-twisted.md"));
        var blocks = DocSnippets.CodeBlocks(guide);

        var failures = GuideSnippetCompiler.Failures(blocks, typeof(PortingGuideContext));

        Assert.True(failures.Count == 0, $"{failures.Count} of the {blocks.Count} C# blocks of the porting guide do not compile alone with their using lines:\n\n{string.Join("\n", failures)}");
    }
}
