namespace RxNet.Sockets.Tls;

/// <summary>A connection protected by TLS: the plain-text side of it, with what the handshake agreed.</summary>
/// <remarks>It keeps the whole <see cref="IConnection"/> contract: completing the output sends TLS's
/// <c>close_notify</c>, then half-closes the connection underneath; disposing it resets the connection
/// underneath. Its end points are those of the connection underneath.</remarks>
public interface ITlsConnection : IConnection
{
    /// <summary>What the handshake agreed: protocol, cipher, ALPN protocol, host name, the peer's certificate.</summary>
    TlsSession Session { get; }
}
