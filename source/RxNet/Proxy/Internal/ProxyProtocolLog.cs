using Microsoft.Extensions.Logging;

namespace RxNet.Proxy.Internal;

/// <summary>What the PROXY protocol listener logs about connections it drops.</summary>
internal static partial class ProxyProtocolLog
{
    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Aborted {Connection} from {Peer}: {Reason}")]
    public static partial void BadHeader(ILogger logger, string connection, string? peer, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Debug, Message = "Lost {Connection} from {Peer} before its PROXY header: {Reason}")]
    public static partial void LostBeforeHeader(ILogger logger, string connection, string? peer, string reason);
}
