namespace RxNet.Http;

/// <summary>Which end of a WebSocket connection a codec or socket is: it decides the masking rules (RFC 6455 §5.1).</summary>
public enum WebSocketRole
{
    /// <summary>The server: sends unmasked frames and requires every received frame to be masked.</summary>
    Server,

    /// <summary>The client: masks every frame it sends with a fresh random key and requires received frames to be unmasked.</summary>
    Client,
}
