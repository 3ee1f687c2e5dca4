namespace Docs.Specs;

/// <summary>One link target written in a markdown file, with the line it is on.</summary>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Target">The target as written: a path, a path with <c>#anchor</c>, or <c>#anchor</c> alone.</param>
internal sealed record MarkdownLink(int Line, string Target);
