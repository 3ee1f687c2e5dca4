namespace RxNet.Sockets.Tls;

public static partial class TlsExtensions
{
    /// <summary>A server endpoint whose connections are TLS: each accepted connection is handed out once its handshake is done.</summary>
    /// <param name="endpoint">The endpoint underneath (TCP, Unix socket, simulated).</param>
    /// <param name="options">The server's TLS options.</param>
    /// <returns>The TLS endpoint. A client whose handshake fails is dropped and logged through
    /// <see cref="TlsServerOptions.LoggerFactory"/>; listening goes on.</returns>
    /// <exception cref="ArgumentException">The options cannot serve.</exception>
    public static IServerEndpoint Tls(this IServerEndpoint endpoint, TlsServerOptions options) => new TlsServerEndpoint(endpoint, options);

    /// <summary>A client endpoint whose connections are TLS: each connection is handed out once its handshake is done.</summary>
    /// <param name="endpoint">The endpoint underneath.</param>
    /// <param name="options">The client's TLS options; without <see cref="TlsClientOptions.ServerName"/>, a
    /// <see cref="TcpClientEndpoint"/>'s host is the name asked for and checked.</param>
    /// <returns>The TLS endpoint; a connect fails with <see cref="TlsAuthenticationException"/> when the handshake does.</returns>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public static IClientEndpoint Tls(this IClientEndpoint endpoint, TlsClientOptions options) => new TlsClientEndpoint(endpoint, options);
}
