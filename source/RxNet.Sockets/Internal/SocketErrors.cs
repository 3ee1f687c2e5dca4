using System.Net.Sockets;

namespace RxNet.Sockets.Internal;

/// <summary>Maps the operating system's socket errors onto RxNet's typed connection errors.</summary>
internal static class SocketErrors
{
    public static Exception ToConnectionError(Exception error, object connection) => error switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionReset } e =>
            new ConnectionResetException($"{connection} was reset by the peer.", e),
        SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Shutdown } e =>
            new ConnectionAbortedException($"{connection} was aborted by this side.", e),
        ObjectDisposedException e => new ConnectionAbortedException($"{connection} was aborted by this side.", e),
        SocketException e => new IOException($"{connection} failed: {e.Message} ({e.SocketErrorCode}).", e),
        _ => error,
    };
}
