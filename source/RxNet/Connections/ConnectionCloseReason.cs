namespace RxNet;

/// <summary>What ended a connection.</summary>
public enum ConnectionCloseReason
{
    /// <summary>This side finished sending first, then the peer closed too.</summary>
    LocalClose,

    /// <summary>The peer finished sending first (FIN), then this side finished too.</summary>
    PeerClose,

    /// <summary>The peer reset the connection.</summary>
    Reset,

    /// <summary>This side aborted: <see cref="IDisposable.Dispose"/> or <c>Output.OnError</c>.</summary>
    Aborted,

    /// <summary>A timeout policy ended the connection.</summary>
    Timeout,

    /// <summary>An I/O fault or a protocol violation ended the connection.</summary>
    Error,
}
