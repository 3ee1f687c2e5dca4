using System.Security.Cryptography;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http.WebSockets.Client.Internal;

/// <summary>
/// The client's side of the opening handshake (RFC 6455 §4.1): the request it sends, with a fresh key, and the check of
/// the server's <c>101</c> answer. One per connection attempt.
/// </summary>
/// <remarks>Extensions plug in through <see cref="AddExtensionOffer"/>: each offer is sent in
/// <c>Sec-WebSocket-Extensions</c>, and an answer naming an extension not offered fails the connection.</remarks>
internal sealed class ClientHandshake
{
    private readonly Uri _target;
    private readonly WebSocketOptions _options;
    private readonly WebSocketClientOptions _client;
    private readonly List<string> _extensionOffers = [];

    /// <summary>Prepares a handshake for <paramref name="target"/> (an <c>http</c> or <c>https</c> URL, from
    /// <see cref="HttpTarget"/>) with a new random key.</summary>
    public ClientHandshake(Uri target, WebSocketOptions options, WebSocketClientOptions client)
    {
        _target = target;
        _options = options;
        _client = client;
        // RFC 6455 §4.1: a nonce of 16 random bytes, new for every handshake; the system's CSPRNG, so no two
        // clients (or two runs of a spec) send the same one.
        Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        if (options.Compression is { } compression)
            AddExtensionOffer(DeflateNegotiation.Offer(compression));
    }

    /// <summary>The <c>Sec-WebSocket-Key</c> sent.</summary>
    public string Key { get; }

    /// <summary>Offers an extension: <paramref name="offer"/> is one element of <c>Sec-WebSocket-Extensions</c>, its name
    /// then its parameters (<c>permessage-deflate; client_max_window_bits</c>). Offers are sent in the order added
    /// (the server takes the first it accepts).</summary>
    public void AddExtensionOffer(string offer) => _extensionOffers.Add(offer);

    /// <summary>The request of the handshake: <c>GET</c> with <c>Upgrade: websocket</c>, <c>Connection: Upgrade</c>,
    /// the key, version 13, the subprotocols and extensions offered, the <c>Origin</c> and the caller's fields.</summary>
    public HttpRequest CreateRequest()
    {
        var request = new HttpRequest("GET", _target.AbsoluteUri);
        var headers = request.Headers;
        headers.Set("Upgrade", "websocket").Set("Connection", "Upgrade").Set("Sec-WebSocket-Key", Key).Set("Sec-WebSocket-Version", "13");
        if (_options.Subprotocols.Count > 0)
            headers.Set("Sec-WebSocket-Protocol", string.Join(", ", _options.Subprotocols));
        if (_extensionOffers.Count > 0)
            headers.Set("Sec-WebSocket-Extensions", string.Join(", ", _extensionOffers));
        if (_client.Origin is { } origin)
            headers.Set("Origin", origin);
        foreach (var (name, value) in _client.Headers)
            headers.Add(name, value);
        return request;
    }

    /// <summary>Checks a <c>101</c> answer as §4.1 requires and gives what was negotiated: the subprotocol (null for
    /// none), the <c>Sec-WebSocket-Extensions</c> answer (empty for none) and permessage-deflate's parameters (null
    /// when not in force), checked as RFC 7692 §7.1 requires of a client.</summary>
    /// <exception cref="HttpProtocolException">The answer fails the connection: <see cref="HttpProtocolError.WebSocketHandshakeInvalid"/>
    /// or <see cref="HttpProtocolError.WebSocketNegotiationInvalid"/>, status 502.</exception>
    public (string? Subprotocol, string Extensions, WebSocketDeflate? Deflate) Check(HttpResponse response)
    {
        var headers = response.Headers;
        if (!Handshake.HasToken(headers, "Upgrade", "websocket"))
            throw Invalid(HttpProtocolError.WebSocketHandshakeInvalid, "The 101 answer has no Upgrade: websocket field.");
        if (!Handshake.HasToken(headers, "Connection", "upgrade"))
            throw Invalid(HttpProtocolError.WebSocketHandshakeInvalid, "The 101 answer has no Connection: upgrade field.");
        if (headers.GetValues("Sec-WebSocket-Accept") is not [var accept] || accept.Trim() != Handshake.Accept(Key))
            throw Invalid(HttpProtocolError.WebSocketHandshakeInvalid, "The 101 answer's Sec-WebSocket-Accept does not match the key sent.");

        string? subprotocol = null;
        var selected = Handshake.Elements(headers, "Sec-WebSocket-Protocol").ToList();
        if (selected.Count > 1)
            throw Invalid(HttpProtocolError.WebSocketNegotiationInvalid, "The server selected more than one subprotocol.");
        if (selected.Count == 1)
        {
            subprotocol = selected[0];
            if (!_options.Subprotocols.Contains(subprotocol, StringComparer.Ordinal))
                throw Invalid(HttpProtocolError.WebSocketNegotiationInvalid, $"The server selected the subprotocol '{subprotocol}', which was not offered.");
        }

        var offered = _extensionOffers.Select(ExtensionName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (string answered in Handshake.Elements(headers, "Sec-WebSocket-Extensions"))
        {
            if (!offered.Contains(ExtensionName(answered)))
                throw Invalid(HttpProtocolError.WebSocketNegotiationInvalid, $"The server answered the extension '{ExtensionName(answered)}', which was not offered.");
        }
        WebSocketDeflate? deflate = null;
        if (_options.Compression is { } compression)
        {
            try
            {
                deflate = DeflateNegotiation.ReadAnswer(Handshake.Elements(headers, "Sec-WebSocket-Extensions").ToList(), compression);
            }
            catch (WebSocketProtocolException e)
            {
                throw Invalid(HttpProtocolError.WebSocketNegotiationInvalid, e.Message);
            }
        }
        return (subprotocol, string.Join(", ", headers.GetValues("Sec-WebSocket-Extensions")), deflate);
    }

    /// <summary>The <c>http</c>/<c>https</c> URL an agent sends the handshake to: <c>ws:</c> becomes <c>http:</c>,
    /// <c>wss:</c> <c>https:</c> (same host, port, path and query); <c>http</c> and <c>https</c> URLs are taken as
    /// they are.</summary>
    /// <exception cref="ArgumentException">Not an absolute <c>ws</c>, <c>wss</c>, <c>http</c> or <c>https</c> URL,
    /// or one with a fragment (RFC 6455 §3 forbids it).</exception>
    public static Uri HttpTarget(Uri url)
    {
        if (!url.IsAbsoluteUri)
            throw new ArgumentException($"'{url}' is not an absolute ws: or wss: URL.", nameof(url));
        string scheme = url.Scheme switch
        {
            "ws" or "http" => "http",
            "wss" or "https" => "https",
            _ => throw new ArgumentException($"'{url}' is not a ws:, wss:, http: or https: URL.", nameof(url)),
        };
        if (url.Fragment.Length > 0)
            throw new ArgumentException($"'{url}' has a fragment, which a WebSocket URL may not have.", nameof(url));
        var builder = new UriBuilder(url) { Scheme = scheme, Port = url.IsDefaultPort ? -1 : url.Port };
        return builder.Uri;
    }

    private static string ExtensionName(string element)
    {
        int semicolon = element.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? element : element[..semicolon]).Trim();
    }

    private static HttpProtocolException Invalid(HttpProtocolError error, string message) => new(error, 502, message);
}
