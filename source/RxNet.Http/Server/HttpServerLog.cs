using System.Net;
using Microsoft.Extensions.Logging;

namespace RxNet.Http;

/// <summary>The log messages of <see cref="HttpServer"/>.</summary>
internal static partial class HttpServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Refused a request from {Peer} with {Status} ({Error}): {Reason}")]
    public static partial void ProtocolError(ILogger logger, EndPoint? peer, int status, HttpProtocolError error, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The handler of {Request} from {Peer} failed before its response; answered 500")]
    public static partial void HandlerFailed(ILogger logger, HttpRequest request, EndPoint? peer, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Aborted the connection from {Peer} during the response to {Request}: {Reason}")]
    public static partial void ResponseAborted(ILogger logger, EndPoint? peer, HttpRequest request, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Closed the connection from {Peer}: the unread body of {Request} is longer than the drain limit of {Limit} bytes")]
    public static partial void DrainLimit(ILogger logger, EndPoint? peer, HttpRequest request, long limit);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "The upgrade callback for {Request} from {Peer} failed; the connection was aborted")]
    public static partial void UpgradeFailed(ILogger logger, HttpRequest request, EndPoint? peer, Exception error);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Serving {Peer} failed; the connection was aborted")]
    public static partial void Failed(ILogger logger, EndPoint? peer, Exception error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Aborted the connection from {Peer}: it read the response slower than {Rate}")]
    public static partial void ResponseTooSlow(ILogger logger, EndPoint? peer, HttpDataRate? rate);
}
