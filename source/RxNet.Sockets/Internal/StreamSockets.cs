using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Transport;

namespace RxNet.Sockets.Internal;

/// <summary>Turns a connected stream socket (TCP or Unix) into an <see cref="IConnection"/>.</summary>
internal static class StreamSockets
{
    public static SocketConnection Wrap(Socket socket, TcpOptions options, ILogger logger, ConnectionMetrics metrics, bool accepted)
    {
        if (socket.ProtocolType == ProtocolType.Tcp)
        {
            // Nagle and keep-alive are TCP's: a Unix socket has neither.
            if (options.NoDelay)
                socket.NoDelay = true;
            if (options.KeepAlive)
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        }
        SetBufferSizes(socket, options);
        return new SocketConnection(socket, options.Connection, logger, metrics, accepted, options.WaitForDataBeforeReading);
    }

    /// <summary>Sets the kernel buffer sizes the options ask for (TCP or Unix stream sockets alike). Also called on a
    /// listening socket and before a connect, since the TCP window scale is agreed in the handshake.</summary>
    public static void SetBufferSizes(Socket socket, TcpOptions options)
    {
        if (options.SendBufferSize is { } send)
            socket.SendBufferSize = send;
        if (options.ReceiveBufferSize is { } receive)
            socket.ReceiveBufferSize = receive;
    }
}
