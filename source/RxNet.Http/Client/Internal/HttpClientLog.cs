using System.Net;
using Microsoft.Extensions.Logging;

namespace RxNet.Http.Client.Internal;

/// <summary>The log messages of <see cref="HttpAgent"/>: why it closed a connection.</summary>
internal static partial class HttpClientLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Closed the connection to {Peer}: {Error}: {Reason}")]
    public static partial void ProtocolError(ILogger logger, EndPoint? peer, HttpProtocolError error, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Closed the connection to {Peer}: the unread body of the response to {Request} is longer than MaxResponseDrainSize ({Limit} bytes)")]
    public static partial void NotDrained(ILogger logger, EndPoint? peer, HttpRequest request, long limit);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Closed the connection to {Peer}: draining the unread body of the response to {Request} took longer than ResponseDrainTimeout ({Timeout})")]
    public static partial void DrainTimedOut(ILogger logger, EndPoint? peer, HttpRequest request, TimeSpan timeout);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Aborted the connection to {Peer}: the body of {Request} failed: {Reason}")]
    public static partial void RequestBodyFailed(ILogger logger, EndPoint? peer, HttpRequest request, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Closed the connection to {Peer}: it sent {Count} bytes while no request was outstanding")]
    public static partial void UnexpectedBytes(ILogger logger, EndPoint? peer, int count);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "The connection to {Peer} failed; it was aborted")]
    public static partial void Failed(ILogger logger, EndPoint? peer, Exception error);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Retrying {Request} on a new connection: the pooled one it was sent on had been closed by the server ({Reason})")]
    public static partial void Retrying(ILogger logger, HttpRequest request, string reason);
}
