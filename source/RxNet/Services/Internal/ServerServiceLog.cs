using System.Net;
using Microsoft.Extensions.Logging;

namespace RxNet.Services.Internal;

/// <summary>The log messages of <see cref="ServerService"/>.</summary>
internal static partial class ServerServiceLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening on {EndPoint}")]
    public static partial void Listening(ILogger logger, EndPoint endPoint);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Could not listen")]
    public static partial void ListenFailed(ILogger logger, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopped accepting on {EndPoint}; draining {Open} open connections within {Deadline}")]
    public static partial void Draining(ILogger logger, EndPoint? endPoint, int open, TimeSpan deadline);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Stopped on {EndPoint}: {Report}")]
    public static partial void Drained(ILogger logger, EndPoint? endPoint, DrainReport report);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Stopped on {EndPoint} ({Outcome} after {Elapsed}): aborted {Count} connections still open: {Peers}")]
    public static partial void AbortedOpen(ILogger logger, EndPoint? endPoint, DrainOutcome outcome, TimeSpan elapsed, int count, string peers);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "The connection handler failed for {Peer}; the connection was aborted")]
    public static partial void HandlerFailed(ILogger logger, EndPoint? peer, Exception error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Aborted a connection from {Peer} accepted after the stop")]
    public static partial void AcceptedAfterStop(ILogger logger, EndPoint? peer);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Listening on {EndPoint} ended with an error; open connections live on until stopped")]
    public static partial void ListenerFailed(ILogger logger, EndPoint? endPoint, Exception error);
}
