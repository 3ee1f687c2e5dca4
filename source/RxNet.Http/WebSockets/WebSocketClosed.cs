namespace RxNet.Http;

/// <summary>How a WebSocket ended: what <see cref="WebSocket.Closed"/> reports, once.</summary>
/// <param name="Code">The code of the first close frame (this side's or the peer's);
/// <see cref="WebSocketCloseCode.NoStatusReceived"/> for a close frame without one;
/// <see cref="WebSocketCloseCode.AbnormalClosure"/> when no close frame was sent or received (reset, end of stream,
/// keep-alive timeout).</param>
/// <param name="Reason">The reason that came with <paramref name="Code"/> (empty when none).</param>
/// <param name="ClosedBy">Which side began the end.</param>
/// <param name="WasClean">Whether the close handshake completed: a close frame went each way (the browser's
/// <c>CloseEvent.wasClean</c>).</param>
public sealed record WebSocketClosed(WebSocketCloseCode Code, string Reason, WebSocketClosedBy ClosedBy, bool WasClean);
