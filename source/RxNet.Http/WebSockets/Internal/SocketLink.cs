using System.Reactive;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// What a <see cref="WebSocket"/>'s read, its connection's end, the server's drain and its timers hold instead of
/// the socket: one object per socket rather than a delegate and an observer per subscription, emptied when the
/// socket ends, so a scheduler that keeps a cancelled timer until it falls due keeps nothing else alive.
/// </summary>
internal sealed class SocketLink(WebSocket socket) : IObserver<WebSocketFrame>, IObserver<ConnectionClosed>, IObserver<Unit>
{
    /// <summary>The socket, or null once it ended.</summary>
    public WebSocket? Socket = socket;

    /// <summary>Moved on each time the keep-alive is armed or stopped: an entry of the <see cref="KeepAliveWheel"/>
    /// with an older value is stale.</summary>
    public int KeepAliveArm;

    /// <summary>A keep-alive tick armed as <paramref name="arm"/> fell due.</summary>
    public void KeepAliveDue(int arm)
    {
        if (Socket is { } socket && arm == Volatile.Read(ref KeepAliveArm))
            socket.OnKeepAliveDue();
    }

    // The read of frames.
    public void OnNext(WebSocketFrame value) => Socket?.OnFrame(value);

    void IObserver<WebSocketFrame>.OnError(Exception error) => Socket?.OnReadError(error);

    void IObserver<WebSocketFrame>.OnCompleted() => Socket?.OnReadEnd();

    // The connection's end, which ends the socket even while nobody reads.
    public void OnNext(ConnectionClosed value) => Socket?.OnConnectionClosed(value.Error);

    void IObserver<ConnectionClosed>.OnError(Exception error) => Socket?.OnConnectionClosed(error);

    void IObserver<ConnectionClosed>.OnCompleted()
    {
    }

    // The server's drain (ADR 0051): going away.
    public void OnNext(Unit value) => Socket?.Close(WebSocketCloseCode.GoingAway, "server draining");

    void IObserver<Unit>.OnError(Exception error)
    {
    }

    void IObserver<Unit>.OnCompleted()
    {
    }
}
