using Microsoft.Extensions.Logging;
using RxNet.Http.Web;

namespace RxNet.Http.WebSockets.Twisted.Internal;

/// <summary>Calls a <see cref="WebSocketProtocol"/>'s callbacks from a socket's observables: the whole Twisted layer.</summary>
internal static partial class ProtocolBinding
{
    public static void Run(WebSocketProtocol protocol, WebSocket socket, ILogger? logger)
    {
        var transport = new WebSocketTransport(socket);
        protocol.Transport = transport;
        if (!Call(protocol, socket, logger, nameof(WebSocketProtocol.NegotiationStarted), () => protocol.NegotiationStarted(transport))
            || !Call(protocol, socket, logger, nameof(WebSocketProtocol.NegotiationFinished), protocol.NegotiationFinished))
            return;
        socket.Closed.Subscribe(closed => Call(protocol, null, logger, nameof(WebSocketProtocol.ConnectionLost), () => protocol.ConnectionLost(closed)));
        // Pongs first: reading starts with Messages, and a pong read at once must find its subscriber.
        socket.Pongs.Subscribe(payload => Call(protocol, socket, logger, nameof(WebSocketProtocol.PongReceived), () => protocol.PongReceived(payload)));
        socket.Messages.Subscribe(
            message => _ = message.IsText
                ? Call(protocol, socket, logger, nameof(WebSocketProtocol.TextMessageReceived), () => protocol.TextMessageReceived(message.GetText()))
                : Call(protocol, socket, logger, nameof(WebSocketProtocol.BytesMessageReceived), () => protocol.BytesMessageReceived(message.Data)),
            _ => { }); // how it ended goes to ConnectionLost, through Closed
    }

    /// <summary>Runs one callback; if it throws, logs and aborts the socket (none for ConnectionLost: it has ended).</summary>
    private static bool Call(WebSocketProtocol protocol, WebSocket? socket, ILogger? logger, string callback, Action call)
    {
        try
        {
            call();
            return true;
        }
#pragma warning disable CA1031 // a protocol's exception ends its own socket, never the server's read loop
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (logger is not null)
                CallbackFailed(logger, protocol.GetType().Name, callback, e);
            socket?.Dispose();
            return false;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Protocol}.{Callback} failed; the WebSocket was aborted")]
    private static partial void CallbackFailed(ILogger logger, string protocol, string callback, Exception error);
}
