using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using RxNet.Http.WebSockets.Twisted.Internal;

namespace RxNet.Http.Web;

/// <summary>
/// Twisted's <c>twisted.web.websocket.WebSocketResource</c>: a resource that answers a WebSocket handshake, to put
/// anywhere in a resource tree (<c>root.PutChild("ws", new WebSocketResource(...))</c>). Each socket goes to a
/// callback (the Rx form) or to a <see cref="WebSocketProtocol"/> built for its request (Twisted's form,
/// <see cref="ForProtocol"/>).
/// </summary>
/// <remarks>
/// <para><b>Answers.</b> <c>GET</c> is answered as <see cref="WebSocketHttpExtensions.AcceptWebSocket"/> answers: <c>101</c>
/// for a valid handshake, else <c>400</c>, <c>426</c> or <c>403</c> (Twisted answers <c>400</c> to every bad
/// handshake). Other methods get <c>405</c> with <c>Allow: GET, HEAD</c>, as any resource that renders only GET. Paths
/// below it are not found (<c>404</c>), as with Twisted's.</para>
/// <para><b>Time.</b> The socket's keep-alive and close handshake run on the scheduler given here.</para>
/// </remarks>
public sealed class WebSocketResource : Resource
{
    private readonly Action<WebSocket>? _onOpen;
    private readonly Func<Request, WebSocketProtocol>? _buildProtocol;
    private readonly IScheduler _scheduler;
    private readonly WebSocketOptions? _options;

    /// <summary>A resource whose sockets each go to <paramref name="onOpen"/> (the Rx form).</summary>
    /// <param name="onOpen">Called with each open socket, on its connection's thread.</param>
    /// <param name="scheduler">The scheduler of the sockets' timers: the reactor's, or a <c>TestScheduler</c>.</param>
    /// <param name="options">Limits, timings, subprotocols and the origin check; <see cref="WebSocketOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="onOpen"/> or <paramref name="scheduler"/> is null.</exception>
    public WebSocketResource(Action<WebSocket> onOpen, IScheduler scheduler, WebSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(onOpen);
        ArgumentNullException.ThrowIfNull(scheduler);
        (_onOpen, _scheduler, _options) = (onOpen, scheduler, options);
    }

    private WebSocketResource(Func<Request, WebSocketProtocol> buildProtocol, IScheduler scheduler, WebSocketOptions? options) =>
        (_buildProtocol, _scheduler, _options) = (buildProtocol, scheduler, options);

    /// <summary>Where a <see cref="WebSocketProtocol"/>'s failing callbacks are logged (at Error); none when <see langword="null"/>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>A resource that builds a <see cref="WebSocketProtocol"/> for each handshake and feeds it its socket's
    /// events (Twisted's <c>WebSocketResource(factory)</c>, the factory's <c>buildProtocol(request)</c> as a function).</summary>
    /// <param name="buildProtocol">Builds the protocol of one socket from its request, when a valid handshake is
    /// rendered (before the <c>101</c> is sent). If it throws, the site answers <c>500</c>.</param>
    /// <param name="scheduler">The scheduler of the sockets' timers: the reactor's, or a <c>TestScheduler</c>.</param>
    /// <param name="options">Limits, timings, subprotocols and the origin check; <see cref="WebSocketOptions.Default"/> when null.</param>
    /// <returns>The resource.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="buildProtocol"/> or <paramref name="scheduler"/> is null.</exception>
    public static WebSocketResource ForProtocol(Func<Request, WebSocketProtocol> buildProtocol, IScheduler scheduler, WebSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(buildProtocol);
        ArgumentNullException.ThrowIfNull(scheduler);
        return new WebSocketResource(buildProtocol, scheduler, options);
    }

    /// <summary>Answers the handshake; the socket opens once the server has sent the <c>101</c>.</summary>
    /// <param name="request">The request.</param>
    /// <returns><see cref="Resource.NotDoneYet"/>: the response is the handshake's answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    protected override byte[]? RenderGet(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var onOpen = _onOpen;
        var response = request.Message.AcceptWebSocket(socket => onOpen!(socket), _scheduler, _options);
        if (response.StatusCode == 101 && _buildProtocol is { } build)
        {
            // Built only for a handshake that is accepted, as Twisted builds it after checking the request.
            var protocol = build(request) ?? throw new InvalidOperationException("buildProtocol returned null.");
            onOpen = socket => ProtocolBinding.Run(protocol, socket, Logger);
        }
        request.Respond(response);
        return NotDoneYet;
    }
}
