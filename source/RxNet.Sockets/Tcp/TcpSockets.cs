using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Internal;
using RxNet.Sockets.Internal;

namespace RxNet.Sockets;

/// <summary>Turns a connected stream socket into an <see cref="IConnection"/>.</summary>
internal static class TcpSockets
{
    public static SocketConnection Wrap(Socket socket, TcpOptions options, ILogger logger, ConnectionMetrics metrics, bool accepted)
    {
        if (options.NoDelay)
            socket.NoDelay = true;
        if (options.KeepAlive)
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        return new SocketConnection(socket, options.Connection, logger, metrics, accepted, options.WaitForDataBeforeReading);
    }
}
