using Microsoft.Extensions.Logging;

namespace RxNet.Sockets.Tls.Internal;

/// <summary>The TLS layer's log messages (source-generated).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(20, LogLevel.Information, "TLS handshake with {RemoteEndPoint} refused ({Failure}): {Reason}")]
    public static partial void HandshakeRefused(ILogger logger, System.Net.EndPoint? remoteEndPoint, TlsFailure failure, string reason);

    [LoggerMessage(21, LogLevel.Debug, "{Connection}: close_notify could not be sent ({Reason}); half-closing without it, all data already sent")]
    public static partial void CloseNotifyFailed(ILogger logger, object connection, string reason);
}
