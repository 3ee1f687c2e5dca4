using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Proxy.Internal;

namespace RxNet;

/// <summary>
/// The HAProxy PROXY protocol (versions 1 and 2): a server behind a load balancer learns each client's real address
/// from the header the balancer sends first (HAProxy's <c>accept-proxy</c>, Twisted's <c>haproxy:</c> endpoints and
/// <c>HAProxyWrappingFactory</c>), and a client or relay sends such a header in front of its bytes (HAProxy's
/// <c>send-proxy</c>, curl's <c>--haproxy-protocol</c>).
/// </summary>
/// <remarks>
/// <para><b>Server.</b> <see cref="ReadProxyHeader"/> reads one connection's header; <see cref="AcceptProxyProtocol"/>
/// does it for every connection of a listener and <see cref="WithProxyProtocol"/> for an endpoint. The connection
/// handed on is an <see cref="IProxiedConnection"/>: its <see cref="IConnection.RemoteEndPoint"/> and
/// <see cref="IConnection.LocalEndPoint"/> are the header's source and destination (the real ones for LOCAL and
/// <c>UNKNOWN</c>), its input starts at the first byte after the header, and <see cref="IProxiedConnection.ProxyHeader"/>
/// holds the rest (version, command, family, TLVs).</para>
/// <para><b>Trust.</b> Anyone who can reach the port can claim any address in a header: listen where only the proxies
/// can connect, or check <see cref="IProxiedConnection.ProxyEndPoint"/> against them.</para>
/// <para><b>Client.</b> <see cref="SendProxyHeader"/> writes a header first on a connection; <see cref="WithProxyHeader(IClientEndpoint, Func{IConnection, ProxyHeader})"/>
/// does it for every connection of a client endpoint.</para>
/// </remarks>
public static class ProxyProtocolExtensions
{
    /// <summary>
    /// Reads the PROXY header at the start of <paramref name="connection"/>, then emits the connection as the header
    /// describes it and completes; fails with a <see cref="ProxyProtocolException"/> (the connection aborted) if the
    /// header is bad or does not arrive within <see cref="ProxyProtocolOptions.HeaderTimeout"/>.
    /// </summary>
    /// <param name="connection">A connection nobody has read from yet; the observable owns it until it emits.</param>
    /// <param name="scheduler">Where the header timeout runs: the reactor's scheduler, a <c>TestScheduler</c> in specs.
    /// The bytes that came with the header are delivered on it too.</param>
    /// <param name="options">Versions accepted and the header timeout; <see cref="ProxyProtocolOptions.Default"/> when omitted.</param>
    /// <returns>A cold observable: each subscription reads the header once (subscribe once). Disposing it before the
    /// header came aborts the connection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> or <paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <remarks>
    /// <para><b>No byte lost or repeated.</b> The header may arrive in any number of chunks, down to one byte each, and
    /// the client's first bytes may share its last chunk: the header reader takes exactly the header's bytes, stops
    /// reading, and the emitted connection's input delivers the rest of that chunk first (in a turn of
    /// <paramref name="scheduler"/> of its own, while the subscriber's demand is on), then the connection's own input
    /// from where it stopped. The input keeps the whole contract: cold, unicast, pausable, its bytes kept between
    /// subscribers.</para>
    /// <para><b>Errors.</b> A bad header (wrong signature, a version 1 line without CRLF in 107 bytes, a bad address or
    /// port, a version 2 length too short for its addresses, a TLV running past the header, a wrong CRC32C), the end of
    /// the input before the header, or the timeout: the connection is aborted (the proxy sees a reset, as the spec
    /// asks) and the observable fails with a <see cref="ProxyProtocolException"/> whose message says what was seen (the
    /// timeout's has a <see cref="TimeoutException"/> inside). A reset before the header fails it with the transport's
    /// own error.</para>
    /// </remarks>
    public static IObservable<IProxiedConnection> ReadProxyHeader(this IConnection connection, IScheduler scheduler, ProxyProtocolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= ProxyProtocolOptions.Default;
        options.Validate();
        return Observable.Create<IProxiedConnection>(observer => new ProxyHeaderRead(connection, options, scheduler, observer).Start());
    }

    /// <summary>
    /// Every connection the listener accepts, once its PROXY header is read (see <see cref="ReadProxyHeader"/>);
    /// connections with a bad or missing header are aborted and logged, and the others served.
    /// </summary>
    /// <param name="listener">Accepted connections, typically <c>endpoint.Listen()</c>.</param>
    /// <param name="scheduler">Where the header timeouts run: the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <param name="options">Versions accepted and the header timeout; <see cref="ProxyProtocolOptions.Default"/> when omitted.</param>
    /// <param name="logger">Where dropped connections are reported: a bad header at <see cref="LogLevel.Warning"/>
    /// (event 20, with the exception's message), a connection lost before its header at <see cref="LogLevel.Debug"/>
    /// (event 21). None when omitted.</param>
    /// <returns>The proxied connections, in the order their headers complete (not the order of accepts); the
    /// listener's end or error passes through once every header in progress is read.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> or <paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <remarks>Disposing the subscription stops listening and aborts the connections whose header is still awaited;
    /// those already emitted are the subscriber's.</remarks>
    public static IObservable<IProxiedConnection> AcceptProxyProtocol(this IObservable<IConnection> listener, IScheduler scheduler,
        ProxyProtocolOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= ProxyProtocolOptions.Default;
        options.Validate();
        return listener.SelectMany(connection => connection.ReadProxyHeader(scheduler, options).Catch((Exception error) =>
        {
            if (logger is not null)
                Report(logger, connection, error);
            return Observable.Empty<IProxiedConnection>();
        }));
    }

    /// <summary>
    /// The endpoint, with every connection it accepts read through <see cref="AcceptProxyProtocol"/>: what Twisted's
    /// <c>haproxy:tcp:8000</c> endpoint string makes (<c>twisted.protocols.haproxy.proxyEndpoint</c>).
    /// </summary>
    /// <param name="endpoint">The endpoint the proxy connects to.</param>
    /// <param name="scheduler">Where the header timeouts run: the reactor's scheduler.</param>
    /// <param name="options">Versions accepted and the header timeout; <see cref="ProxyProtocolOptions.Default"/> when omitted.</param>
    /// <param name="logger">Where dropped connections are reported; none when omitted.</param>
    /// <returns>An endpoint whose <c>Listen()</c> emits <see cref="IProxiedConnection"/>s; it binds, reports the bound
    /// address and unbinds as <paramref name="endpoint"/> does.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> or <paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IServerEndpoint WithProxyProtocol(this IServerEndpoint endpoint, IScheduler scheduler, ProxyProtocolOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= ProxyProtocolOptions.Default;
        options.Validate();
        return new ProxyProtocolServerEndpoint(endpoint, scheduler, options, logger);
    }

    /// <summary>Writes <paramref name="header"/> to the connection's output, before anything written after this call.</summary>
    /// <param name="connection">A connection nothing has been written to yet.</param>
    /// <param name="header">The header, in its version (see <see cref="ProxyHeaderEncoder"/>).</param>
    /// <returns>The same connection, for chaining.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>The header is written as one chunk, so it leaves in the first segment, as the spec asks of senders.</remarks>
    public static IConnection SendProxyHeader(this IConnection connection, ProxyHeader header)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(header);
        connection.Output.OnNext(ProxyHeaderEncoder.ToArray(header));
        return connection;
    }

    /// <summary>The endpoint, with <paramref name="header"/> sent first on every connection it makes.</summary>
    /// <param name="endpoint">The endpoint to connect to (a server that reads PROXY headers).</param>
    /// <param name="header">The header to send.</param>
    /// <returns>An endpoint whose connections have sent the header before they are emitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IClientEndpoint WithProxyHeader(this IClientEndpoint endpoint, ProxyHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return endpoint.WithProxyHeader(_ => header);
    }

    /// <summary>The endpoint, with a header made for each connection sent first on it (a relay passing on the
    /// addresses of the connection it relays, or a header built from the new connection's own endpoints).</summary>
    /// <param name="endpoint">The endpoint to connect to (a server that reads PROXY headers).</param>
    /// <param name="header">Makes the header for a new connection; if it throws, that connection is aborted and the
    /// error is the <c>Connect()</c> observable's.</param>
    /// <returns>An endpoint whose connections have sent their header before they are emitted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IClientEndpoint WithProxyHeader(this IClientEndpoint endpoint, Func<IConnection, ProxyHeader> header)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(header);
        return new ProxyHeaderClientEndpoint(endpoint, header);
    }

    private static void Report(ILogger logger, IConnection connection, Exception error)
    {
        string name = connection.ToString() ?? "a connection";
        string? peer = connection.RemoteEndPoint?.ToString();
        if (error is ProxyProtocolException)
            ProxyProtocolLog.BadHeader(logger, name, peer, error.Message);
        else
            ProxyProtocolLog.LostBeforeHeader(logger, name, peer, error.Message);
    }
}
