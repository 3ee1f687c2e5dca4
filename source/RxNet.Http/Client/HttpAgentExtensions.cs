namespace RxNet.Http;

/// <summary>Shortcuts for sending requests with an <see cref="IHttpAgent"/> and for handling their responses.</summary>
public static class HttpAgentExtensions
{
    /// <summary>Sends <c>GET url</c>: Twisted's <c>agent.request(b"GET", url)</c>.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="url">An absolute <c>http</c> or <c>https</c> URL.</param>
    /// <returns>A cold observable of the response (see <see cref="IHttpAgent.Send"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> or <paramref name="url"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is empty or not an absolute <c>http</c>/<c>https</c> URL.</exception>
    public static IObservable<HttpResponse> Get(this IHttpAgent agent, string url)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(url);
        return agent.Send(new HttpRequest("GET", url));
    }

    /// <summary>Says the caller will not read <paramref name="response"/>'s body, so its connection can be reused: what
    /// is left is read and dropped, up to <see cref="HttpAgentOptions.MaxResponseDrainSize"/> bytes within
    /// <see cref="HttpAgentOptions.ResponseDrainTimeout"/>, and the connection is closed instead when that is not enough
    /// (or when the body is read until the server closes).</summary>
    /// <param name="response">A response an <see cref="HttpAgent"/> received; for any other, nothing happens.</param>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is null.</exception>
    /// <remarks>A body that is neither read nor discarded holds its connection (in use, its input paused) until the
    /// agent's timeouts end it. After this, subscribing to the body fails. Does nothing when the body was already
    /// subscribed.</remarks>
    public static void DiscardBody(this HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Body is Client.Internal.ResponseBody body)
            body.Discard();
    }
}
