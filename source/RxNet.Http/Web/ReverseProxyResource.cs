using RxNet.Http.Web.Internal;

namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>proxy.ReverseProxyResource</c>: forwards every request below it to an HTTP server at
/// <see cref="Host"/>:<see cref="Port"/> under <see cref="Path"/>, through an <see cref="IHttpAgent"/>, and answers
/// with that server's response, streaming both bodies.
/// </summary>
/// <remarks>
/// <para><b>Paths.</b> As in Twisted, a child is another proxy resource whose path is this one's plus <c>/</c> and
/// the segment (percent-encoded again), so a resource put at <c>/api</c> with path <c>/v1</c> forwards
/// <c>/api/users/7?x=1</c> to <c>http://host:port/v1/users/7?x=1</c>; the query is kept.</para>
/// <para><b>Fields.</b> The request's fields are forwarded without the hop-by-hop ones (RFC 9110 §7.6.1:
/// <c>Connection</c> and what it names, <c>Keep-Alive</c>, <c>Proxy-Connection</c>, <c>TE</c>,
/// <c>Transfer-Encoding</c>, <c>Upgrade</c>, <c>Trailer</c>, <c>Proxy-Authenticate</c>, <c>Proxy-Authorization</c>),
/// nor <c>Expect</c> (the server already answered it) and <c>Content-Length</c> (the agent frames the body);
/// <c>Host</c> is rewritten to <c>host</c>, or <c>host:port</c> when the port is not 80, as Twisted does. The
/// response's fields come back without the hop-by-hop ones; its length is kept when the upstream gave one.</para>
/// <para><b>Streaming and back-pressure.</b> The request body is handed to the agent as the server's stream, so it
/// flows upstream as it arrives and a slow upstream holds the client back (the server's
/// <see cref="HttpServerOptions.MaxRequestBodySize"/> still applies). The upstream body is written to the client as
/// it arrives, through a push producer: while the client does not read, the upstream body is paused (when the
/// agent's body can pause, as <c>HttpAgent</c>'s can), so nothing piles up in between.</para>
/// <para><b>Failures.</b> When the upstream cannot be reached or fails before its response head, the client gets
/// <c>502 Bad Gateway</c> (Twisted answers 501 "Gateway error"); when it fails mid-body, the client's connection is
/// aborted, since a status can no longer be sent. A client that goes away drops the upstream exchange.</para>
/// </remarks>
public sealed class ReverseProxyResource : Resource
{
    private readonly IHttpAgent _agent;

    /// <summary>Creates a proxy resource.</summary>
    /// <param name="host">The upstream server's host name or address.</param>
    /// <param name="port">Its port.</param>
    /// <param name="path">The path requests are forwarded under, such as <c>/</c> or <c>/app</c>; <c>""</c> forwards
    /// to the root.</param>
    /// <param name="agent">The agent that sends the forwarded requests (an <c>HttpAgent</c> with its pool, or any
    /// agent with policies).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="host"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1 to 65535.</exception>
    public ReverseProxyResource(string host, int port, string path, IHttpAgent agent)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        (Host, Port, Path, _agent) = (host, port, path, agent);
    }

    /// <summary>The upstream server's host.</summary>
    public string Host { get; }

    /// <summary>The upstream server's port.</summary>
    public int Port { get; }

    /// <summary>The path requests to this resource are forwarded to.</summary>
    public string Path { get; }

    /// <summary>A proxy resource for the path below (Twisted's <c>getChild</c>): this path plus <c>/</c> and the
    /// segment, percent-encoded.</summary>
    /// <param name="path">The decoded segment.</param>
    /// <param name="request">The request being traversed.</param>
    /// <returns>The child proxy resource.</returns>
    public override Resource GetChild(string path, Request request)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new ReverseProxyResource(Host, Port, $"{Path}/{Uri.EscapeDataString(path)}", _agent);
    }

    /// <summary>Forwards the request, whatever its method, and answers it later with the upstream's response.</summary>
    /// <param name="request">The request.</param>
    /// <returns><see cref="Resource.NotDoneYet"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public override byte[]? Render(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = request.Message;
        var origin = new HttpOrigin("http", Host.ToLowerInvariant(), Port);
        var headers = HopByHop.Without(message.Headers, "Host", "Content-Length", "Expect");
        headers.Set("Host", origin.Authority);
        string target = $"{origin}{(Path.Length == 0 ? "/" : Path)}{(message.Query.Length == 0 ? "" : "?" + message.Query)}";
        var upstream = new HttpRequest(message.Method, target, headers, message.Body) { ContentLength = message.ContentLength };
        new ProxyExchange(request).Start(_agent, upstream);
        return NotDoneYet;
    }
}
