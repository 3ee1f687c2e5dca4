using Microsoft.Extensions.Logging;

namespace RxNet.Transport.Internal;

/// <summary>The log messages of the transport building blocks (source-generated: disabled levels cost nothing).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "The input subscriber of {Connection} threw; the connection is aborted")]
    public static partial void SubscriberThrew(ILogger logger, Exception error, object connection);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Write of {Bytes} bytes after the output of {Connection} finished; ignored")]
    public static partial void WriteAfterClose(ILogger logger, int bytes, object connection);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "A Writable subscriber of {Connection} threw; ignored")]
    public static partial void WritableSubscriberThrew(ILogger logger, Exception error, object connection);
}
