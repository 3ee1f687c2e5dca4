using RxNet.Http.Client.Policies.Internal;

namespace RxNet.Http;

/// <summary>
/// Policies as operators over an <see cref="IHttpAgent"/>: each returns an agent that wraps the one given, so they
/// compose as Rx operators do (<c>agent.WithCookies(jar).FollowRedirects().DecodeContent()</c>). Twisted's
/// <c>RedirectAgent</c>, <c>BrowserLikeRedirectAgent</c>, <c>ContentDecoderAgent</c> and <c>CookieAgent</c>.
/// </summary>
public static partial class HttpAgentPolicies
{
    /// <summary>An agent that follows redirects as a browser does (Twisted's <c>BrowserLikeRedirectAgent</c>), or as
    /// Twisted's stricter <c>RedirectAgent</c> does with <see cref="HttpRedirectOptions.Strict"/>.</summary>
    /// <param name="agent">The agent that sends each hop.</param>
    /// <param name="options">The limit and the rules; <see cref="HttpRedirectOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>An agent whose response is the first that is not a redirect to follow; its
    /// <see cref="HttpResponse.Request"/> is the last request sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit in <paramref name="options"/> is negative.</exception>
    /// <remarks>
    /// <para><b>Which.</b> A 301, 302, 303, 307 or 308 with a <c>Location</c> field is followed; any other response
    /// (a 300, a 304, a redirect without <c>Location</c>) is returned as it is. <c>Location</c> may be relative: it
    /// is resolved against the request's URI.</para>
    /// <para><b>Method and body.</b> 303 turns every method but HEAD into GET; 301 and 302 turn POST into GET; a
    /// request turned into a GET loses its body and the fields that described it (<c>Content-Type</c>,
    /// <c>Content-Length</c>, <c>Content-Encoding</c>, <c>Content-Language</c>, <c>Content-Location</c>,
    /// <c>Transfer-Encoding</c>, <c>Expect</c>). Otherwise (307, 308, and 301 or 302 to a method other than POST) the
    /// method and the body are kept: a body nobody read yet is sent as it is, one read whole and no longer than
    /// <see cref="HttpRedirectOptions.MaxReplayBodySize"/> is sent again from a copy, and any other (longer, or only
    /// partly sent when the redirect came) cannot be sent again, so that redirect response is returned as it is.
    /// With <see cref="HttpRedirectOptions.Strict"/>, a 301, 302, 307 or 308 to a method other than GET or HEAD fails
    /// with <see cref="HttpProtocolError.RedirectRefused"/>, as Twisted's <c>RedirectAgent</c> fails it.</para>
    /// <para><b>Safety.</b> Across origins (scheme, host or port differ) <c>Authorization</c>,
    /// <c>Proxy-Authorization</c>, <c>Cookie</c> and a caller-set <c>Host</c> are removed (Twisted leaked them:
    /// CVE-2022-21712); cookies a <see cref="WithCookies"/> under this operator adds are its own, per hop. A redirect
    /// from https to http fails with <see cref="HttpProtocolError.RedirectRefused"/> unless
    /// <see cref="HttpRedirectOptions.AllowInsecureRedirects"/>; so does a <c>Location</c> that is not http or https.</para>
    /// <para><b>Limit.</b> <see cref="HttpRedirectOptions.MaxRedirects"/> redirects are followed (20 by default); a
    /// redirect after that fails with <see cref="HttpProtocolError.TooManyRedirects"/>.</para>
    /// <para><b>Connections.</b> The body of every response not returned (a redirect followed, or one that fails) is
    /// read to its end and thrown away before the next request, so its connection goes back to the pool and the next
    /// hop to the same origin reuses it; a redirect body longer than 64 KiB is given up instead (its connection
    /// closes). Errors are <see cref="HttpProtocolException"/>s with status 502; an error of a hop passes through.</para>
    /// </remarks>
    public static IHttpAgent FollowRedirects(this IHttpAgent agent, HttpRedirectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        options ??= HttpRedirectOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRedirects, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxReplayBodySize, nameof(options));
        return new RedirectingAgent(agent, options);
    }
}
