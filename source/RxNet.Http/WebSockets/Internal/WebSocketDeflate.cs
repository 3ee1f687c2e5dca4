namespace RxNet.Http.WebSockets.Internal;

/// <summary>permessage-deflate as negotiated for one socket: the parameters in force and the header that says so.</summary>
/// <param name="ServerNoContextTakeover">The server compresses each message with a fresh context.</param>
/// <param name="ClientNoContextTakeover">The client compresses each message with a fresh context.</param>
/// <param name="ServerMaxWindowBits">The server's compression window, in bits.</param>
/// <param name="ClientMaxWindowBits">The client's compression window, in bits.</param>
/// <param name="CompressionLevel">This side's zlib level.</param>
internal sealed record WebSocketDeflate(
    bool ServerNoContextTakeover, bool ClientNoContextTakeover, int ServerMaxWindowBits, int ClientMaxWindowBits, int CompressionLevel)
{
    /// <summary>The <c>Sec-WebSocket-Extensions</c> value the server answered with.</summary>
    public string Header { get; init; } = DeflateNegotiation.Name;

    /// <summary>The compressor of what <paramref name="role"/> sends.</summary>
    public MessageDeflater CreateDeflater(WebSocketRole role) => role == WebSocketRole.Server
        ? new MessageDeflater(CompressionLevel, ServerNoContextTakeover, ServerMaxWindowBits)
        : new MessageDeflater(CompressionLevel, ClientNoContextTakeover, ClientMaxWindowBits);

    /// <summary>The decompressor of what <paramref name="role"/> receives.</summary>
    public MessageInflater CreateInflater(WebSocketRole role) =>
        new(role == WebSocketRole.Server ? ClientNoContextTakeover : ServerNoContextTakeover);
}
