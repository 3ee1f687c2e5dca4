namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>twisted.web.websocket.WebSocketProtocol</c>: a WebSocket's events as callbacks, for code ported from
/// Twisted. Override the ones you need; the others do nothing. A <see cref="WebSocketResource"/> builds one per
/// socket and calls it.
/// </summary>
/// <remarks>
/// <para><b>Order.</b> <see cref="NegotiationStarted"/> with the transport, then <see cref="NegotiationFinished"/>,
/// both once the <c>101</c> is sent (RxNet hands the socket over only then, so both come together; send from
/// either); then <see cref="TextMessageReceived"/>, <see cref="BytesMessageReceived"/> and
/// <see cref="PongReceived"/> in the order the frames were read; then <see cref="ConnectionLost"/> once, with the
/// code, the reason and who closed.</para>
/// <para><b>Threading.</b> Every callback runs on the connection's I/O thread, one at a time (Twisted's reactor
/// thread: the same guarantee for one socket). The transport may be used from any thread.</para>
/// <para><b>Errors.</b> A callback that throws aborts its socket (no close frame), as an exception in Twisted's
/// <c>dataReceived</c> drops the connection; it is logged on <see cref="WebSocketResource.Logger"/>. An exception
/// from <see cref="ConnectionLost"/> is only logged.</para>
/// <para><b>Back-pressure.</b> The messages are read as fast as the callbacks return, and a callback that sends while
/// the peer does not read pauses reading (the socket's rule). For a producer paced by the peer, step down to the Rx
/// form: <see cref="WebSocketTransport.Socket"/>'s <c>Send</c> has <c>Writable</c>, and <c>WriteTo</c> honours it.</para>
/// </remarks>
public abstract class WebSocketProtocol
{
    private WebSocketTransport? _transport;

    /// <summary>Where to send; set just before <see cref="NegotiationStarted"/>.</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="NegotiationStarted"/>.</exception>
    public WebSocketTransport Transport
    {
        get => _transport ?? throw new InvalidOperationException($"{GetType().Name} has no transport before NegotiationStarted.");
        internal set => _transport = value;
    }

    /// <summary>The socket is there: <paramref name="transport"/> sends on it (also at <see cref="Transport"/>).</summary>
    /// <param name="transport">The transport.</param>
    public virtual void NegotiationStarted(WebSocketTransport transport)
    {
    }

    /// <summary>The handshake is over: messages flow both ways from now on.</summary>
    public virtual void NegotiationFinished()
    {
    }

    /// <summary>A whole text message was received (valid UTF-8, checked as it was read).</summary>
    /// <param name="message">The text.</param>
    public virtual void TextMessageReceived(string message)
    {
    }

    /// <summary>A whole binary message was received.</summary>
    /// <param name="data">The bytes: yours to keep.</param>
    public virtual void BytesMessageReceived(ReadOnlyMemory<byte> data)
    {
    }

    /// <summary>A pong was received: an answer to <see cref="WebSocketTransport.Ping"/>, to the socket's keep-alive
    /// ping, or unsolicited. A peer may answer only the latest of several pings, so match on the payload.</summary>
    /// <param name="payload">Its payload (at most 125 bytes): yours to keep.</param>
    public virtual void PongReceived(ReadOnlyMemory<byte> payload)
    {
    }

    /// <summary>The socket ended, cleanly or not.</summary>
    /// <param name="reason">The close code and reason, who closed, and whether the close handshake completed
    /// (Twisted passes a <c>Failure</c>).</param>
    public virtual void ConnectionLost(WebSocketClosed reason)
    {
    }
}
