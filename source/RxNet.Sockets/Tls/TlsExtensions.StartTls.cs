using RxNet.Sockets.Tls.Internal;

namespace RxNet.Sockets.Tls;

/// <summary>TLS over any connection or endpoint: <c>StartTls</c> on a connection, <c>Tls</c> on an endpoint.</summary>
public static partial class TlsExtensions
{
    /// <summary>
    /// Runs the server side of a TLS handshake over <paramref name="connection"/> and emits the protected
    /// connection once it is done.
    /// </summary>
    /// <param name="connection">A connection of any transport (TCP, Unix socket, simulated); nobody may read its input meanwhile.</param>
    /// <param name="options">The certificate(s), client certificate policy and ALPN protocols.</param>
    /// <returns>A cold observable: subscribing starts the handshake; it emits one <see cref="ITlsConnection"/> and
    /// completes, or fails with a <see cref="TlsAuthenticationException"/> after resetting <paramref name="connection"/>.
    /// Unsubscribing before it emits abandons the handshake and resets the connection.</returns>
    /// <remarks>The TLS connection owns <paramref name="connection"/>: completing its output sends <c>close_notify</c>
    /// and half-closes the connection underneath; disposing it resets that connection.</remarks>
    /// <exception cref="ArgumentException">The options cannot serve (no certificate, a TLS version below 1.2).</exception>
    public static IObservable<ITlsConnection> StartTls(this IConnection connection, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        return TlsHandshake.Server(connection, connection.Input, options);
    }

    /// <summary>
    /// Runs the client side of a TLS handshake over <paramref name="connection"/> and emits the protected
    /// connection once it is done and the server's certificate was accepted.
    /// </summary>
    /// <param name="connection">A connection of any transport; nobody may read its input meanwhile.</param>
    /// <param name="options">How to check the server, the client's certificate and ALPN protocols. Without
    /// <see cref="TlsClientOptions.ServerName"/>, the name checked is the connection's remote address.</param>
    /// <returns>A cold observable of one <see cref="ITlsConnection"/>, or a <see cref="TlsAuthenticationException"/>
    /// naming what failed (<see cref="TlsAuthenticationException.Failure"/>).</returns>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    public static IObservable<ITlsConnection> StartTls(this IConnection connection, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        return TlsHandshake.Client(connection, connection.Input, options, host: null);
    }

    /// <summary>
    /// STARTTLS, server side: upgrades <paramref name="connection"/> in the middle of a protocol read through
    /// <paramref name="reader"/>, starting from the first byte the reader has not used, so bytes that arrived
    /// with the last plain-text frame (the start of the client's hello) are not lost.
    /// </summary>
    /// <param name="connection">The plain connection.</param>
    /// <param name="reader">The reader that read the plain-text part (its last read ended, say by <c>Take(1)</c>).
    /// TLS now reads through it (<see cref="FrameReader.ReadRaw"/>): do not read it again, and dispose it only once the
    /// TLS connection is done, since disposing it unsubscribes the plain input.</param>
    /// <param name="options">The server's options.</param>
    /// <returns>As <see cref="StartTls(IConnection, TlsServerOptions)"/>.</returns>
    public static IObservable<ITlsConnection> StartTls(this IConnection connection, FrameReader reader, TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        return TlsHandshake.Server(connection, reader.ReadRaw(), options);
    }

    /// <summary>
    /// STARTTLS, client side: as <see cref="StartTls(IConnection, FrameReader, TlsServerOptions)"/>, for the
    /// client, which usually reads the server's "go ahead" through <paramref name="reader"/> first.
    /// </summary>
    /// <param name="connection">The plain connection.</param>
    /// <param name="reader">The reader that read the plain-text part; as for the server, TLS now reads through it.</param>
    /// <param name="options">The client's options.</param>
    /// <returns>As <see cref="StartTls(IConnection, TlsClientOptions)"/>.</returns>
    public static IObservable<ITlsConnection> StartTls(this IConnection connection, FrameReader reader, TlsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        return TlsHandshake.Client(connection, reader.ReadRaw(), options, host: null);
    }
}
