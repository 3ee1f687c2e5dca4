using System.Reactive.Concurrency;
using System.Reactive.Linq;
using RxNet.Http.WebSockets.Client.Internal;

namespace RxNet.Http;

/// <summary>The client's side of the WebSocket opening handshake (RFC 6455 §4.1): from a <c>ws:</c> or <c>wss:</c> URL
/// to a <see cref="WebSocket"/>, over the HTTP client's upgrade hand-over.</summary>
public static class WebSocketClientExtensions
{
    /// <summary>
    /// Opens a WebSocket to <paramref name="url"/> through <paramref name="agent"/>: sends the opening handshake on a
    /// connection of the agent's (an idle one of its pool, or a new one), checks the <c>101</c> answer, and emits the
    /// open socket, whose connection has left the pool (role
    /// <see cref="WebSocketRole.Client"/>: its frames are masked), then completes.
    /// </summary>
    /// <param name="agent">The agent: its resolver makes the connection (<c>ws:</c> goes where <c>http:</c> would,
    /// <c>wss:</c> where <c>https:</c> would, so a <c>unix:</c> socket or a simulated host serves ws URLs too), its
    /// scheduler runs the handshake timeout and the socket's timers.</param>
    /// <param name="url">A <c>ws:</c> or <c>wss:</c> URL (<c>http:</c> and <c>https:</c> are taken too), without a
    /// fragment.</param>
    /// <param name="options">The socket's limits and timings, and the subprotocols offered
    /// (<see cref="WebSocketOptions.Subprotocols"/>, most preferred first); <see cref="WebSocketOptions.Default"/> when null.</param>
    /// <param name="client">The handshake's own settings (<c>Origin</c>, more fields, the handshake timeout);
    /// <see cref="WebSocketClientOptions.Default"/> when null.</param>
    /// <returns>A cold observable: each subscription opens one socket, which is then the subscriber's to read, write
    /// and close. Disposing the subscription before the socket is emitted abandons the handshake and aborts its
    /// connection. It fails with <see cref="WebSocketUpgradeRejectedException"/> when the server answers anything but
    /// <c>101</c> (the response and up to <see cref="WebSocketClientOptions.MaxRejectionBodySize"/> of its body);
    /// <see cref="HttpProtocolException"/> when the <c>101</c> breaks the handshake
    /// (<see cref="HttpProtocolError.WebSocketHandshakeInvalid"/>: a wrong <c>Sec-WebSocket-Accept</c>, no
    /// <c>Upgrade: websocket</c> or <c>Connection: upgrade</c>; <see cref="HttpProtocolError.WebSocketNegotiationInvalid"/>:
    /// a subprotocol or extension that was not offered), or with the agent's own errors;
    /// <see cref="TimeoutException"/> when the handshake takes longer than
    /// <see cref="WebSocketClientOptions.HandshakeTimeout"/>; the transport's errors as they are.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> or <paramref name="url"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not a ws, wss, http or https URL, or has a fragment;
    /// <see cref="WebSocketClientOptions.Headers"/> names a handshake field.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <remarks>
    /// <para>No extension is offered (permessage-deflate is not negotiated), and an answer naming one fails the
    /// connection, as RFC 6455 §4.1 requires. Redirects are not followed: a <c>3xx</c> is a refusal.</para>
    /// <para>After a close handshake the client waits for the server to close TCP (RFC 6455 §7.1.1), up to
    /// <see cref="WebSocketOptions.CloseTimeout"/>, then closes the connection itself.</para>
    /// </remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads extend different types (an agent, an endpoint) and differ in their required parameters, so no call is ambiguous.")]
    public static IObservable<WebSocket> ConnectWebSocket(this IHttpAgent agent, Uri url, WebSocketOptions? options = null, WebSocketClientOptions? client = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(url);
        options ??= WebSocketOptions.Default;
        options.Validate();
        client ??= WebSocketClientOptions.Default;
        client.Validate();
        var target = ClientHandshake.HttpTarget(url);
        return Observable.Create<WebSocket>(observer =>
        {
            var connect = new WebSocketConnect(agent, new ClientHandshake(target, options, client), options, client, observer);
            connect.Start();
            return connect;
        });
    }

    /// <summary>
    /// Opens a WebSocket over a connection made with <paramref name="endpoint"/>, for a caller without an agent: the
    /// same handshake as <see cref="ConnectWebSocket(IHttpAgent, Uri, WebSocketOptions?, WebSocketClientOptions?)"/>,
    /// with <paramref name="url"/> naming the resource (the <c>Host</c> field and the path) and the endpoint saying
    /// where to connect (<c>reactor.ClientEndpoint("unix:/run/app.sock")</c>, a simulated host).
    /// </summary>
    /// <param name="endpoint">Makes the connection, one per subscription.</param>
    /// <param name="url">The <c>ws:</c> or <c>wss:</c> URL of the resource (its scheme only decides the request's
    /// form: TLS, if any, is the endpoint's).</param>
    /// <param name="scheduler">Runs the handshake timeout and the socket's timers (the reactor's, or a <c>TestScheduler</c>).</param>
    /// <param name="options">The socket's limits, timings and subprotocols; <see cref="WebSocketOptions.Default"/> when null.</param>
    /// <param name="client">The handshake's own settings; <see cref="WebSocketClientOptions.Default"/> when null.</param>
    /// <returns>A cold observable of one open socket per subscription, failing as the agent form does.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/>, <paramref name="url"/> or <paramref name="scheduler"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="url"/> is not a ws, wss, http or https URL, or has a fragment.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <remarks>Each subscription uses an agent of its own with the default <see cref="HttpAgentOptions"/>, disposed once
    /// the socket is open (the socket's connection has left it by then) or the handshake has failed.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("ApiDesign", "RS0026", Justification = "The overloads extend different types (an agent, an endpoint) and differ in their required parameters, so no call is ambiguous.")]
    public static IObservable<WebSocket> ConnectWebSocket(this IClientEndpoint endpoint, Uri url, IScheduler scheduler, WebSocketOptions? options = null, WebSocketClientOptions? client = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(scheduler);
        ClientHandshake.HttpTarget(url); // fails at the call, not at the subscription
        (options ?? WebSocketOptions.Default).Validate();
        (client ?? WebSocketClientOptions.Default).Validate();
        return Observable.Using(() => new HttpAgent(endpoint, scheduler), agent => agent.ConnectWebSocket(url, options, client));
    }
}
