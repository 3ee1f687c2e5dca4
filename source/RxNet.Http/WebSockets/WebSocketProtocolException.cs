namespace RxNet.Http;

/// <summary>
/// A WebSocket peer broke RFC 6455 or a limit, or the connection ended without a close handshake: says which
/// status code the connection is closed with (<see cref="CloseCode"/>).
/// </summary>
/// <remarks>
/// <para>The frame decoder throws it for every violation, at the first byte that proves it: a reserved bit or opcode,
/// a masking rule, a fragmented or oversized control frame, a continuation with no message to continue
/// (<see cref="WebSocketCloseCode.ProtocolError"/>), text that is not UTF-8 (<see cref="WebSocketCloseCode.InvalidPayloadData"/>),
/// a message whose announced length passes the limit (<see cref="WebSocketCloseCode.MessageTooBig"/>, before any of
/// its payload is buffered). A WebSocket sends a close frame with that code, then closes the
/// connection, and fails its messages with this exception.</para>
/// <para>It is not <see cref="System.Net.WebSockets.WebSocketException"/>, which reports errors of
/// <see cref="System.Net.WebSockets.WebSocket"/>; it derives from <see cref="FramingException"/>, as every RxNet
/// decoder's error does.</para>
/// </remarks>
public sealed class WebSocketProtocolException : FramingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="closeCode">The status code the connection is closed with.</param>
    /// <param name="message">What was wrong: the rule, the limit, what was seen.</param>
    public WebSocketProtocolException(WebSocketCloseCode closeCode, string message)
        : base(message) => CloseCode = closeCode;

    /// <summary>The status code the connection is closed with: <see cref="WebSocketCloseCode.ProtocolError"/>,
    /// <see cref="WebSocketCloseCode.InvalidPayloadData"/>, <see cref="WebSocketCloseCode.MessageTooBig"/>, or
    /// <see cref="WebSocketCloseCode.AbnormalClosure"/> when the connection ended without a close frame.</summary>
    public WebSocketCloseCode CloseCode { get; }
}
