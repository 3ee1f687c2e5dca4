namespace RxNet.Http.Client.Internal;

/// <summary>What a client needs of an absolute request URL: its origin, its origin-form target
/// (<c>/path?query</c>) and the <c>Host</c> field's value. Parsed once and kept by the agent for the next request
/// to the same URL, the common case, which then parses nothing.</summary>
internal sealed class ParsedUrl(string url, HttpOrigin origin, string pathAndQuery)
{
    public string Url { get; } = url;

    public HttpOrigin Origin { get; } = origin;

    public string PathAndQuery { get; } = pathAndQuery;

    public string Authority { get; } = origin.Authority;

    /// <summary>Parses <paramref name="url"/>, or returns <paramref name="last"/> when it is the same URL.</summary>
    /// <returns>The parts, or <see langword="null"/> when the URL is not absolute.</returns>
    public static ParsedUrl? Of(string url, ParsedUrl? last)
    {
        if (last is not null && string.Equals(last.Url, url, StringComparison.Ordinal))
            return last;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return null;
        return new ParsedUrl(url, HttpOrigin.Of(uri), uri.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped));
    }
}
