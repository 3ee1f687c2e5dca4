
namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>WebSocketTransport</c>: what a <see cref="WebSocketProtocol"/> sends with. A thin face over the
/// <see cref="WebSocket"/> it wraps (<see cref="Socket"/>), which has the Rx form of all of it.
/// </summary>
/// <remarks>Every member may be called from any thread. Messages sent after a close frame went out are dropped, as the
/// RFC requires (Twisted's wsproto raises instead).</remarks>
public sealed class WebSocketTransport
{
    internal WebSocketTransport(WebSocket socket) => Socket = socket;

    /// <summary>The socket, for the Rx form: <c>Send</c> with its <c>Writable</c>, <c>Messages</c>, <c>Closed</c>.</summary>
    public WebSocket Socket { get; }

    /// <summary>Sends a text message (Twisted's <c>sendTextMessage</c>).</summary>
    /// <param name="text">The text, sent as UTF-8.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public void SendTextMessage(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Socket.Send.OnNext(WebSocketMessage.Text(text));
    }

    /// <summary>Sends a binary message (Twisted's <c>sendBytesMessage</c>).</summary>
    /// <param name="data">The bytes, copied before this returns.</param>
    public void SendBytesMessage(ReadOnlyMemory<byte> data) => Socket.Send.OnNext(WebSocketMessage.Binary(data));

    /// <summary>Sends a ping (Twisted's <c>ping</c>); its pong comes to <see cref="WebSocketProtocol.PongReceived"/>.</summary>
    /// <param name="payload">At most 125 bytes; empty by default.</param>
    /// <exception cref="ArgumentException"><paramref name="payload"/> is longer than 125 bytes.</exception>
    public void Ping(ReadOnlyMemory<byte> payload = default) => Socket.Ping(payload);

    /// <summary>Closes the socket (Twisted's <c>loseConnection(code)</c>): sends a close frame with
    /// <paramref name="code"/> and waits for the peer's, up to <see cref="WebSocketOptions.CloseTimeout"/>.</summary>
    /// <param name="code">The close code; <see cref="WebSocketCloseCode.NormalClosure"/> (1000) by default.</param>
    /// <param name="reason">A short reason, at most 123 bytes of UTF-8.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> may not be sent.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is too long.</exception>
    /// <remarks>Twisted drops the TCP connection right after its close frame; RxNet completes the close handshake, so
    /// the peer's close code is read and <see cref="WebSocketClosed.WasClean"/> is true.</remarks>
    public void LoseConnection(WebSocketCloseCode code = WebSocketCloseCode.NormalClosure, string reason = "") => Socket.Close(code, reason);
}
