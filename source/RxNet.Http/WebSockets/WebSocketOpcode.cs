namespace RxNet.Http;

/// <summary>What a WebSocket frame carries (RFC 6455 §5.2): a piece of a data message, or a control frame.</summary>
/// <remarks>The other opcodes (3-7, 11-15) are reserved: a frame that uses one fails the connection with
/// <see cref="WebSocketCloseCode.ProtocolError"/>.</remarks>
public enum WebSocketOpcode
{
    /// <summary>The next fragment of the message in progress.</summary>
    Continuation = 0x0,

    /// <summary>The first frame of a text message (UTF-8).</summary>
    Text = 0x1,

    /// <summary>The first frame of a binary message.</summary>
    Binary = 0x2,

    /// <summary>A close frame: an optional status code and reason (RFC 6455 §5.5.1).</summary>
    Close = 0x8,

    /// <summary>A ping, which the peer answers with a pong carrying the same payload.</summary>
    Ping = 0x9,

    /// <summary>A pong: the answer to a ping, or an unsolicited heartbeat.</summary>
    Pong = 0xA,
}
