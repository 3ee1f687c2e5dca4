namespace RxNet.Http;

/// <summary>
/// How <see cref="HttpAgentPolicies.FollowRedirects"/> follows redirects. The defaults are a browser's (Twisted's
/// <c>BrowserLikeRedirectAgent</c>): at most 20 in a row, 301 and 302 turn POST into GET, 303 turns everything but
/// HEAD into GET, 307 and 308 keep the method and the body, https to http is refused.
/// </summary>
public sealed record HttpRedirectOptions
{
    /// <summary>The default of <see cref="MaxRedirects"/>: 20, Twisted's <c>redirectLimit</c>, Firefox's and Chrome's limit.</summary>
    public const int DefaultMaxRedirects = 20;

    /// <summary>The default of <see cref="MaxReplayBodySize"/>: 64 KiB, enough for a form or a JSON document, small
    /// enough to keep per request in flight.</summary>
    public const long DefaultMaxReplayBodySize = 64 * 1024;

    /// <summary>The defaults.</summary>
    public static HttpRedirectOptions Default { get; } = new();

    /// <summary>How many redirects are followed in a row; the response after that many that is a redirect again
    /// fails the request with <see cref="HttpProtocolError.TooManyRedirects"/>. 0 follows none (every redirect fails).</summary>
    public int MaxRedirects { get; init; } = DefaultMaxRedirects;

    /// <summary>Twisted's <c>RedirectAgent</c> instead of its browser-like one: a 301, 302, 307 or 308 answering a
    /// request other than GET or HEAD is not followed and fails with <see cref="HttpProtocolError.RedirectRefused"/>
    /// (Twisted fails it with <c>PageRedirect</c>), since repeating a POST, or turning it into a GET, may not be what
    /// the server meant; 303 still turns the request into a GET (a HEAD stays a HEAD). <see langword="false"/> by default.</summary>
    public bool Strict { get; init; }

    /// <summary>Whether a redirect from https to http is followed. <see langword="false"/> by default: the rest of the
    /// exchange, and what the caller then sends, would go in clear text; the redirect fails with
    /// <see cref="HttpProtocolError.RedirectRefused"/>.</summary>
    public bool AllowInsecureRedirects { get; init; }

    /// <summary>The largest request body kept to send again on a redirect that keeps the body (307, 308, and 301 or
    /// 302 to a method other than POST). A body is recorded as it is sent, up to this size; a longer one, or one
    /// not yet sent whole when the redirect came, cannot be sent again, and the redirect response is then returned
    /// to the caller as it is. A body the agent never started to read (a server that answered before
    /// <c>100 Continue</c>) is sent to the next hop whatever its size.</summary>
    public long MaxReplayBodySize { get; init; } = DefaultMaxReplayBodySize;
}
