using System.Net;
using System.Reactive;
using System.Reactive.Linq;

namespace RxNet.Http;

/// <summary>
/// An HTTP request as a handler sees it: the request line, the header fields, and the body as a byte stream.
/// </summary>
/// <remarks>
/// <para>The <see cref="Body"/> of a request a server received is cold and unicast, with the connection's
/// contract: subscribing reads it, chunks arrive in order and are the subscriber's to keep, and while nobody
/// reads it the client is held back by TCP's window, so an upload is never buffered whole. It can be
/// subscribed once. A request without a body has an empty one.</para>
/// <para>A request is owned by the exchange it belongs to; reading its properties from any thread is safe once
/// the handler has it.</para>
/// </remarks>
public sealed class HttpRequest
{
    private long? _maxBodySize;
    private HttpHeaders? _trailers;

    /// <summary>Creates a request, for a handler called directly (in a spec, or by another layer).</summary>
    /// <param name="method">The method, such as <c>GET</c>: a token, case-sensitive.</param>
    /// <param name="target">The request target as it appears on the request line: <c>/path?query</c>, an absolute
    /// URI, <c>host:port</c> for CONNECT, or <c>*</c>.</param>
    /// <param name="headers">The header fields; none when <see langword="null"/>.</param>
    /// <param name="body">The body; empty when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The method is not a token or the target is empty.</exception>
    public HttpRequest(string method, string target, HttpHeaders? headers = null, IObservable<ReadOnlyMemory<byte>>? body = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (!HttpSyntax.IsToken(method))
            throw new ArgumentException($"'{method}' is not a valid method: a method is a token.", nameof(method));
        Method = method;
        Target = target;
        Headers = headers ?? new HttpHeaders();
        Body = body ?? Observable.Empty<ReadOnlyMemory<byte>>();
        HasBody = body is not null;
        (Path, Query) = SplitTarget(target);
    }

    /// <summary>The method, such as <c>GET</c> or <c>POST</c> (case-sensitive, as RFC 9110 says).</summary>
    public string Method { get; }

    /// <summary>The request target exactly as it was on the request line.</summary>
    public string Target { get; }

    /// <summary>The path of the target, still percent-encoded (<c>/a%20b</c>); for an absolute-form target, its
    /// path; for CONNECT, the authority; for OPTIONS <c>*</c>, <c>*</c>.</summary>
    public string Path { get; private init; }

    /// <summary>The query of the target without its <c>?</c>, still percent-encoded; empty when there is none.</summary>
    public string Query { get; private init; }

    /// <summary>The protocol version: <see cref="HttpVersion.Version11"/> or <see cref="HttpVersion.Version10"/>.</summary>
    public Version Version { get; init; } = HttpVersion.Version11;

    /// <summary>The header fields, in the order received.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The body: a cold, unicast stream of chunks (see the remarks of <see cref="HttpRequest"/>).</summary>
    public IObservable<ReadOnlyMemory<byte>> Body { get; internal set; }

    /// <summary>Whether the request was made with a body (a client sends none, and no framing field, when it was not).</summary>
    internal bool HasBody { get; }

    /// <summary>The body's length when the request declared one with <c>Content-Length</c> (0 for a request
    /// without a body); <see langword="null"/> for a chunked body, whose length is known only at its end.</summary>
    public long? ContentLength { get; init; }

    /// <summary>The fields of a chunked body's trailer section; empty until the body has completed, and for other bodies.</summary>
    /// <remarks>Made on first use: most requests have no trailer section, and it costs them nothing.</remarks>
    public HttpHeaders Trailers => _trailers ??= new HttpHeaders(0);

    /// <summary>The largest body this request may have, in bytes, or <see langword="null"/> for no limit. Starts
    /// at the server's <see cref="HttpServerOptions.MaxRequestBodySize"/>; a handler may raise, lower or lift it
    /// before it first subscribes to <see cref="Body"/> (a route that streams the body through holds nothing, so
    /// it can lift it). Past the limit the body fails with an <see cref="HttpProtocolException"/> and the client
    /// gets 413 if no response has started.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public long? MaxBodySize
    {
        get => _maxBodySize;
        set
        {
            if (value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "A body size limit cannot be negative.");
            _maxBodySize = value;
        }
    }

    /// <summary>Signals when the server that read this request starts draining (<see cref="HttpServer.Drain"/>): one
    /// value then completion, at once for a subscriber that comes after the drain began. It never signals for a
    /// request built by hand or sent by a client.</summary>
    /// <remarks>For work that outlives the exchange and that the server no longer tracks: a connection handed over by
    /// an upgrade (a WebSocket accepted with <see cref="WebSocketHttpExtensions.AcceptWebSocket"/> subscribes it and
    /// closes with <c>1001</c>, going away), or a long stream of events that should end cleanly before the service's
    /// stop deadline aborts what is still open. The signal runs on the thread that called <c>Drain</c>; dispose the
    /// subscription when the work ends, so the server does not hold it.</remarks>
    public IObservable<Unit> Draining { get; internal init; } = Observable.Never<Unit>();

    /// <summary>The client's address, when the request came over a connection.</summary>
    public EndPoint? RemoteEndPoint { get; init; }

    /// <summary>The server's address the request came to, when it came over a connection.</summary>
    public EndPoint? LocalEndPoint { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {Target} HTTP/{Version.Major}.{Version.Minor}";

    private static (string Path, string Query) SplitTarget(string target)
    {
        if (target[0] != '/')
        {
            // absolute-form: the path starts after scheme://authority; authority-form and asterisk-form have none.
            int scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0)
                return (target, "");
            int slash = target.IndexOf('/', scheme + 3);
            int question = target.IndexOf('?', scheme + 3);
            if (slash < 0 || (question >= 0 && question < slash))
                return ("/", question < 0 ? "" : target[(question + 1)..]);
            target = target[slash..];
        }
        int q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? (target, "") : (target[..q], target[(q + 1)..]);
    }
}
