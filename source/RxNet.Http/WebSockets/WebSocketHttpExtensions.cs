using System.Reactive.Concurrency;
using RxNet.Http.WebSockets.Internal;

namespace RxNet.Http;

/// <summary>The server's side of the WebSocket opening handshake (RFC 6455 §4.2): from an HTTP request to a
/// <see cref="WebSocket"/>, through the server's upgrade hand-over.</summary>
public static class WebSocketHttpExtensions
{
    /// <summary>Whether <paramref name="request"/> asks for a WebSocket: <c>Upgrade: websocket</c> among its fields.</summary>
    /// <param name="request">The request.</param>
    /// <returns>Whether to answer it with <see cref="AcceptWebSocket"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public static bool IsWebSocketRequest(this HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Handshake.HasToken(request.Headers, "Upgrade", "websocket");
    }

    /// <summary>
    /// Answers a WebSocket opening handshake: <c>101 Switching Protocols</c> with <c>Sec-WebSocket-Accept</c> (and the
    /// selected subprotocol) when the request is one, then calls <paramref name="onOpen"/> with the socket once the
    /// server has handed the connection over; otherwise the error the RFC asks for, and <paramref name="onOpen"/> is
    /// never called.
    /// </summary>
    /// <param name="request">The request, as the server's handler receives it.</param>
    /// <param name="onOpen">Called with the open socket, on the connection's thread; subscribe its
    /// <see cref="WebSocket.Messages"/> there or later (nothing is read until then). If it throws, the server aborts
    /// the connection and logs why.</param>
    /// <param name="scheduler">The scheduler of the socket's timers (keep-alive, close handshake): the reactor's, or a
    /// <c>TestScheduler</c>.</param>
    /// <param name="options">Limits, timings, subprotocols and the origin check; <see cref="WebSocketOptions.Default"/> when null.</param>
    /// <returns>The response to return from the handler: <c>101</c>; <c>400 Bad Request</c> for a request that is not a
    /// valid handshake (not <c>GET</c>, not HTTP/1.1, no <c>Connection: upgrade</c> or <c>Upgrade: websocket</c>, a
    /// <c>Sec-WebSocket-Key</c> that is not 16 bytes in base64, no <c>Sec-WebSocket-Version</c>); <c>426 Upgrade
    /// Required</c> with <c>Sec-WebSocket-Version: 13</c> for another version; <c>403 Forbidden</c> when
    /// <see cref="WebSocketOptions.CheckOrigin"/> refuses the origin.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <remarks>The server's timeouts and data rates stop at the upgrade (the socket's own timings apply), and bytes
    /// the client sent right after the handshake are the socket's first. With <see cref="WebSocketOptions.Compression"/>
    /// set, the first <c>permessage-deflate</c> offer it can accept (RFC 7692 §7.1) is answered in
    /// <c>Sec-WebSocket-Extensions</c>; every other extension, and every offer without it, is declined by not answering it.
    /// When the server drains (<see cref="HttpServer.Drain"/>, or already draining at the upgrade), the socket is closed
    /// with <see cref="WebSocketCloseCode.GoingAway"/>; the close handshake then runs as <see cref="WebSocket.Close"/>
    /// says, and a <see cref="ServerService"/>'s stop deadline aborts the connection if it is still open.</remarks>
    public static HttpResponse AcceptWebSocket(this HttpRequest request, Action<WebSocket> onOpen, IScheduler scheduler, WebSocketOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onOpen);
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= WebSocketOptions.Default;
        options.Validate();
        var headers = request.Headers;
        if (request.Method != "GET" || request.Version < System.Net.HttpVersion.Version11
            || !Handshake.HasToken(headers, "Connection", "upgrade") || !request.IsWebSocketRequest())
            return Refuse(400, "A WebSocket handshake is a GET over HTTP/1.1 with Connection: upgrade and Upgrade: websocket.");
        if (headers.GetValues("Sec-WebSocket-Version") is not [var version])
            return Refuse(400, "A WebSocket handshake has one Sec-WebSocket-Version field.");
        if (version.Trim() != "13")
        {
            var upgrade = Refuse(426, "This server speaks WebSocket version 13.");
            upgrade.Headers.Set("Sec-WebSocket-Version", "13");
            return upgrade;
        }
        if (headers.GetValues("Sec-WebSocket-Key") is not [var key] || !Handshake.IsValidKey(key.Trim()))
            return Refuse(400, "A WebSocket handshake has one Sec-WebSocket-Key: 16 bytes in base64.");
        if (options.CheckOrigin is { } check && !check(headers["Origin"]))
            return Refuse(403, "This origin may not open a WebSocket here.");
        var offered = Handshake.Elements(headers, "Sec-WebSocket-Protocol").ToHashSet(StringComparer.Ordinal);
        string? subprotocol = options.Subprotocols.FirstOrDefault(offered.Contains);
        var deflate = options.Compression is { } compression
            ? DeflateNegotiation.Accept(Handshake.Elements(headers, "Sec-WebSocket-Extensions"), compression)
            : null;
        var response = HttpResponse.SwitchingProtocols("websocket", connection =>
        {
            var socket = new WebSocket(connection, scheduler, options, WebSocketRole.Server, subprotocol, deflate);
            onOpen(socket);
            socket.GoAwayOn(request.Draining);
        });
        response.Headers.Set("Sec-WebSocket-Accept", Handshake.Accept(key.Trim()));
        if (subprotocol is not null)
            response.Headers.Set("Sec-WebSocket-Protocol", subprotocol);
        if (deflate is not null)
            response.Headers.Set("Sec-WebSocket-Extensions", deflate.Header);
        return response;
    }

    private static HttpResponse Refuse(int status, string why) => HttpResponse.Text(why, statusCode: status);
}
