using System.Net;
using Microsoft.Extensions.Logging;

namespace RxNet.Sockets.Internal;

/// <summary>The socket transport's log messages (source-generated, so disabled levels cost nothing).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint? endPoint);

    [LoggerMessage(2, LogLevel.Warning, "Accept on {EndPoint} failed ({Error}); still listening")]
    public static partial void AcceptFailed(ILogger logger, EndPoint endPoint, System.Net.Sockets.SocketError error);

    [LoggerMessage(3, LogLevel.Error, "Accept on {EndPoint} failed; listening stops")]
    public static partial void AcceptStopped(ILogger logger, Exception error, EndPoint endPoint);

    [LoggerMessage(4, LogLevel.Error, "The subscriber of {EndPoint} threw while taking {Connection}; the connection is aborted")]
    public static partial void SubscriberThrewOnAccept(ILogger logger, Exception error, EndPoint endPoint, object connection);

    [LoggerMessage(9, LogLevel.Error, "The subscriber of {EndPoint} threw while taking {Connection}; the connection is aborted")]
    public static partial void SubscriberThrewOnConnect(ILogger logger, Exception error, object endPoint, object connection);

    [LoggerMessage(5, LogLevel.Error, "The input subscriber of {Connection} threw; the connection is aborted")]
    public static partial void SubscriberThrew(ILogger logger, Exception error, object connection);

    [LoggerMessage(6, LogLevel.Debug, "Write of {Bytes} bytes after the output of {Connection} finished; ignored")]
    public static partial void WriteAfterClose(ILogger logger, int bytes, object connection);

    [LoggerMessage(7, LogLevel.Debug, "Sending on {Connection} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, object connection, string error);

    [LoggerMessage(8, LogLevel.Debug, "{Connection} closed: {Reason}")]
    public static partial void Closed(ILogger logger, object connection, ConnectionClosed reason);

    [LoggerMessage(10, LogLevel.Information, "Datagram socket bound to {EndPoint}")]
    public static partial void Bound(ILogger logger, EndPoint endPoint);

    [LoggerMessage(11, LogLevel.Error, "The input subscriber of {Socket} threw; the socket is closed")]
    public static partial void DatagramSubscriberThrew(ILogger logger, Exception error, object socket);

    [LoggerMessage(12, LogLevel.Warning, "Receiving on {Socket} failed ({Error}); the socket is closed")]
    public static partial void DatagramReceiveFailed(ILogger logger, object socket, System.Net.Sockets.SocketError error);

    [LoggerMessage(13, LogLevel.Debug, "Sending a datagram from {Socket} to {Remote} failed: {Error}")]
    public static partial void DatagramSendFailed(ILogger logger, object socket, EndPoint remote, string error);

    [LoggerMessage(15, LogLevel.Debug, "{Socket} could not leave the multicast group {Group}: {Error}")]
    public static partial void LeaveGroupFailed(ILogger logger, object socket, IPAddress group, string error);

    [LoggerMessage(14, LogLevel.Warning, "Removed the stale Unix socket file {Path}: no process accepted on it")]
    public static partial void RemovedStaleSocket(ILogger logger, string path);
}
