namespace RxNet.Http;

/// <summary>
/// permessage-deflate (RFC 7692): what a socket offers (a client) or accepts (a server) when
/// <see cref="WebSocketOptions.Compression"/> is set. The parameters keep the RFC's names, from the wire's point of
/// view: <c>Server…</c> is about what the server compresses, <c>Client…</c> about what the client compresses.
/// </summary>
/// <remarks>
/// <para><b>Negotiation.</b> A server takes the first <c>permessage-deflate</c> offer it can accept (an offer with an
/// unknown parameter, a repeated one or a bad value is declined, as §7.1 requires) and answers with the parameters in
/// force: a no-context-takeover or a window limit is in the answer when the client asked for it or these options do.
/// A client offers these options and fails the handshake when the server's answer breaks §7.1 (an unknown parameter,
/// a window larger than offered, a refused <c>server_no_context_takeover</c>).</para>
/// <para><b>Memory</b> (measured on Linux x64, .NET 10's zlib-ng, resident): a compressing side holds zlib's deflate
/// state, 240 KB after a short message and 390 KB once a 64 KiB message went through (15-bit window, default memory
/// level); a receiving side its inflate state, about 70 KB (60 KB native with its window, an 8 KiB buffer). With
/// context takeover they live as long as the socket; with no context takeover
/// (<see cref="ServerNoContextTakeover"/> for what a server sends, <see cref="ClientNoContextTakeover"/> for what a
/// client sends) each message gets a fresh one, released when it is done, so an idle socket holds none.</para>
/// <para><b>Window bits.</b> .NET's deflate always compresses with the 15-bit window. When the peer limits this side's
/// window below 15 bits, this side compresses every message with a fresh context (back-references then never reach
/// further than the message's own length) and sends messages longer than the window uncompressed, which RFC 7692
/// allows for any message. Receiving, any window up to 15 bits is inflated.</para>
/// </remarks>
public sealed record WebSocketDeflateOptions
{
    /// <summary>The defaults: context takeover both ways, 15-bit windows, compression level 6 (zlib's default).</summary>
    public static WebSocketDeflateOptions Default { get; } = new();

    /// <summary>Whether the server compresses each message on its own (<c>server_no_context_takeover</c>): worse ratios for
    /// similar messages, no deflate state kept between messages. A server with it answers it; a client with it asks for
    /// it. A server also applies it when the client asks. Default false.</summary>
    public bool ServerNoContextTakeover { get; init; }

    /// <summary>Whether the client compresses each message on its own (<c>client_no_context_takeover</c>), so the server
    /// keeps no inflate state between messages. A server with it asks the client for it; a client with it declares it.
    /// Default false.</summary>
    public bool ClientNoContextTakeover { get; init; }

    /// <summary>The largest LZ77 window, in bits (8 to 15), the server may compress with (<c>server_max_window_bits</c>).
    /// Default 15 (32 KiB, no limit).</summary>
    public int ServerMaxWindowBits { get; init; } = 15;

    /// <summary>The largest LZ77 window, in bits (8 to 15), the client may compress with (<c>client_max_window_bits</c>);
    /// a server asks for a smaller one only from a client that says it supports the parameter. Default 15.</summary>
    public int ClientMaxWindowBits { get; init; } = 15;

    /// <summary>The zlib compression level this side uses, 1 (fastest) to 9 (smallest). Default 6.</summary>
    public int CompressionLevel { get; init; } = 6;

    /// <summary>Checks the values.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ServerMaxWindowBits, 8, nameof(ServerMaxWindowBits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ServerMaxWindowBits, 15, nameof(ServerMaxWindowBits));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClientMaxWindowBits, 8, nameof(ClientMaxWindowBits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ClientMaxWindowBits, 15, nameof(ClientMaxWindowBits));
        ArgumentOutOfRangeException.ThrowIfLessThan(CompressionLevel, 1, nameof(CompressionLevel));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CompressionLevel, 9, nameof(CompressionLevel));
    }
}
