using System.Net;
using RxNet.Http.Client.Policies.Internal;

namespace RxNet.Http;

public static partial class HttpAgentPolicies
{
    /// <summary>An agent that sends the cookies of <paramref name="cookies"/> and stores those its responses set
    /// (Twisted's <c>CookieAgent</c>, with .NET's <see cref="CookieContainer"/> as the jar).</summary>
    /// <param name="agent">The agent that sends the requests.</param>
    /// <param name="cookies">The jar: read for every request, written for every response.</param>
    /// <returns>An agent that adds a <c>Cookie</c> field with the jar's cookies for the request's URI (after any
    /// <c>Cookie</c> the caller set) and stores every <c>Set-Cookie</c> field of the response (malformed ones, or
    /// ones for another domain, are ignored, as browsers ignore them).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>Compose it under <see cref="FollowRedirects"/> (<c>agent.WithCookies(jar).FollowRedirects()</c>) so
    /// that every hop of a redirect chain sends and stores cookies, as a browser does; above it, only the first
    /// request and the final response would. The jar is read when the request is sent (on subscription), so a hop
    /// sees what the previous one stored. <see cref="CookieContainer"/> is thread-safe; one jar may serve many
    /// agents.</remarks>
    public static IHttpAgent WithCookies(this IHttpAgent agent, CookieContainer cookies)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(cookies);
        return new CookieAgent(agent, cookies);
    }
}
