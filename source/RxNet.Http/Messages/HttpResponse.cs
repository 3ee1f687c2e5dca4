using System.Net;
using System.Text;
using System.Text.Json;

namespace RxNet.Http;

/// <summary>
/// An HTTP response as a handler builds it: a status, header fields and a body stream.
/// </summary>
/// <remarks>
/// <para>The <see cref="Body"/> is any observable of chunks. The server writes it the way <c>WriteTo</c> writes:
/// a source that can pause is paused while the client does not read. When <see cref="ContentLength"/> is set,
/// the body must have exactly that many bytes (a body that is shorter or longer aborts the connection, since
/// the client can no longer tell where the next response starts); when it is not, the server sends the body
/// chunked to an HTTP/1.1 client and closes the connection after it for an HTTP/1.0 one.</para>
/// <para>Header values are checked when they are set (see <see cref="HttpHeaders"/>). The server sets
/// <c>Date</c>, <c>Content-Length</c> or <c>Transfer-Encoding</c>, and <c>Connection</c> itself.</para>
/// </remarks>
public sealed class HttpResponse
{
    private int _statusCode;
    // The body, or the byte array of an in-memory body (HttpResponse.Bytes), which is wrapped only if someone asks for
    // Body: the server writes it without the wrapper, one object less per response.
    private object? _body;
    // The members few responses use, in one object made on first use: the rest of the responses are smaller.
    private Rare? _rare;

    /// <summary>Creates a response with a status and no body.</summary>
    /// <param name="statusCode">The status code, 100 to 999.</param>
    /// <exception cref="ArgumentOutOfRangeException">The status code is not three digits.</exception>
    public HttpResponse(int statusCode = 200)
    {
        StatusCode = statusCode;
        Headers = new HttpHeaders();
    }

    /// <summary>A response a client received, with the header fields it parsed (taken, not copied).</summary>
    internal HttpResponse(int statusCode, HttpHeaders headers)
    {
        StatusCode = statusCode;
        Headers = headers;
    }

    /// <summary>The status code, such as 200 or 404.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to something that is not three digits.</exception>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            if (value is < 100 or > 999)
                throw new ArgumentOutOfRangeException(nameof(value), value, "A status code has three digits (100-999).");
            _statusCode = value;
        }
    }

    /// <summary>The reason phrase; when <see langword="null"/>, the standard one for the status (or none).</summary>
    public string? ReasonPhrase { get; set; }

    /// <summary>The header fields.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The body, or <see langword="null"/> for none.</summary>
    public IObservable<ReadOnlyMemory<byte>>? Body
    {
        get
        {
            if (_body is byte[] bytes)
                _body = new MemoryBody(bytes); // once: the same object on every later read
            return (IObservable<ReadOnlyMemory<byte>>?)_body;
        }
        set => _body = value;
    }

    /// <summary>The exact length of <see cref="Body"/> in bytes, when known; <see langword="null"/> sends the body chunked.</summary>
    public long? ContentLength { get; set; }

    /// <summary>Whether the server may compress the body (gzip or br) when the client accepts it. Off by default:
    /// compressing secrets next to attacker-controlled text leaks them (BREACH), so a handler opts in.</summary>
    public bool AllowCompression { get; set; }

    /// <summary>What takes over the connection once this response's head is sent: set it on a <c>101 Switching
    /// Protocols</c> response to an upgrade request, or on a 2xx response to <c>CONNECT</c>; <see langword="null"/>
    /// (the default) for an ordinary response.</summary>
    /// <remarks>The server writes the head, stops reading, gives back every byte it had read past the request
    /// (<see cref="IConnectionInput.Unread(ReadOnlyMemory{byte})"/>, so the first subscriber of the connection's input
    /// gets them first), stops its timers and calls this with the raw connection, which is then the callee's: the
    /// server never writes to it again, and it closes it only if the callee throws. On any other status, or a 2xx to
    /// another method, it is ignored. A response with it has no body.</remarks>
    public Action<IConnection>? Upgraded
    {
        get => _rare?.Upgraded;
        set
        {
            if (value is not null || _rare is not null)
                RareMembers.Upgraded = value;
        }
    }

    /// <summary>The protocol version of a response a client received (<see cref="HttpVersion.Version11"/> or
    /// <see cref="HttpVersion.Version10"/>); a server always answers as HTTP/1.1 and ignores it.</summary>
    public Version Version { get; init; } = HttpVersion.Version11;

    /// <summary>For a response a client received: the request it answers (after redirects, the last one sent);
    /// <see langword="null"/> for a response a handler built.</summary>
    public HttpRequest? Request { get; init; }

    /// <summary>For a response a client received to an upgrade (<c>101 Switching Protocols</c>) or to
    /// <c>CONNECT</c> (2xx): the raw connection, detached from the client's pool and now the caller's to use and
    /// close. Bytes the server sent after the head are given back to it first
    /// (<see cref="IConnectionInput.Unread(ReadOnlyMemory{byte})"/>). <see langword="null"/> otherwise.</summary>
    public IConnection? UpgradedConnection
    {
        get => _rare?.UpgradedConnection;
        init
        {
            if (value is not null)
                RareMembers.UpgradedConnection = value;
        }
    }

    /// <summary>The fields of a chunked body's trailer section, for a response a client received; empty until
    /// the body has completed, and for other bodies.</summary>
    /// <remarks>Made on first use: most responses have no trailer section, and it costs them nothing.</remarks>
    public HttpHeaders Trailers => RareMembers.Trailers ??= new HttpHeaders(0);

    /// <summary>A <c>101 Switching Protocols</c> response that hands the connection to <paramref name="onUpgraded"/>
    /// (see <see cref="Upgraded"/>).</summary>
    /// <param name="protocol">The protocol switched to, sent as the <c>Upgrade</c> field (such as <c>websocket</c>).</param>
    /// <param name="onUpgraded">Called with the raw connection once the head is sent.</param>
    /// <returns>The response, with <c>Connection: upgrade</c> and <c>Upgrade</c> set.</returns>
    /// <exception cref="ArgumentException"><paramref name="protocol"/> is empty or has a forbidden character.</exception>
    public static HttpResponse SwitchingProtocols(string protocol, Action<IConnection> onUpgraded)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ArgumentNullException.ThrowIfNull(onUpgraded);
        var response = new HttpResponse(101) { Upgraded = onUpgraded };
        response.Headers.Set("Connection", "upgrade").Set("Upgrade", protocol);
        return response;
    }

    /// <summary>A response whose body is <paramref name="text"/> in UTF-8.</summary>
    /// <param name="text">The body.</param>
    /// <param name="contentType">The media type; <c>text/plain; charset=utf-8</c> when omitted.</param>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response, with its <see cref="ContentLength"/> set.</returns>
    public static HttpResponse Text(string text, string contentType = "text/plain; charset=utf-8", int statusCode = 200)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Bytes(Encoding.UTF8.GetBytes(text), contentType, statusCode);
    }

    /// <summary>A response whose body is <paramref name="body"/>.</summary>
    /// <param name="body">The body. It is not copied: do not change it until the response has been sent.</param>
    /// <param name="contentType">The media type; <c>application/octet-stream</c> when omitted.</param>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response, with its <see cref="ContentLength"/> set.</returns>
    public static HttpResponse Bytes(ReadOnlyMemory<byte> body, string contentType = "application/octet-stream", int statusCode = 200)
    {
        var response = new HttpResponse(statusCode, new HttpHeaders(1)) // one field: an array of one
        {
            ContentLength = body.Length,
        };
        if (!body.IsEmpty)
        {
            // A whole array is kept as it is (wrapped only if Body is read); a slice gets its wrapper now.
            response._body = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : new MemoryBody(body);
        }
        response.Headers.Set("Content-Type", contentType);
        return response;
    }

    /// <summary>The body when it is in memory (made by <see cref="Bytes"/>), without making its observable: for the
    /// server, which writes it with the head.</summary>
    internal bool TryGetMemoryBody(out ReadOnlyMemory<byte> memory)
    {
        switch (_body)
        {
            case byte[] bytes:
                memory = bytes;
                return true;
            case MemoryBody body:
                memory = body.Memory;
                return true;
            default:
                memory = default;
                return false;
        }
    }

    /// <summary>Whether there is a body, without making an in-memory body's observable.</summary>
    internal bool HasBody => _body is not null;

    private Rare RareMembers => _rare ??= new Rare();

    /// <summary>A response whose body is <paramref name="value"/> serialized with System.Text.Json.</summary>
    /// <typeparam name="T">The type to serialize.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="options">Serializer options; the defaults when omitted.</param>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response, <c>application/json</c>, with its <see cref="ContentLength"/> set.</returns>
    [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("JSON serialization of an arbitrary type may need types that trimming removes; pass a JsonTypeInfo through options for trimmed apps.")]
    [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("JSON serialization of an arbitrary type may need runtime code generation.")]
    public static HttpResponse Json<T>(T value, JsonSerializerOptions? options = null, int statusCode = 200) =>
        Bytes(JsonSerializer.SerializeToUtf8Bytes(value, options), "application/json", statusCode);

    /// <summary>A response with only a status (and no body).</summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The response.</returns>
    public static HttpResponse Status(int statusCode) => new(statusCode) { ContentLength = 0 };

    /// <inheritdoc />
    public override string ToString() => $"{StatusCode} {ReasonPhrase}".TrimEnd();

    /// <summary>The members of upgrades and trailers.</summary>
    private sealed class Rare
    {
        public Action<IConnection>? Upgraded;
        public IConnection? UpgradedConnection;
        public HttpHeaders? Trailers;
    }
}
