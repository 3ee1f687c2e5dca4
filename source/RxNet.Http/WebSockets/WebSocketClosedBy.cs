namespace RxNet.Http;

/// <summary>Which side began the end of a WebSocket: the first to send a close frame, or to give up on the other.</summary>
public enum WebSocketClosedBy
{
    /// <summary>This side: <see cref="WebSocket.Close"/>, a violation by the peer that this side failed the connection for,
    /// a keep-alive or close-handshake timeout.</summary>
    Local,

    /// <summary>The peer: it sent the first close frame, or the connection ended under this side without one.</summary>
    Peer,
}
