using System.Net;
using Microsoft.Extensions.Logging;

namespace RxNet.Twisted;

/// <summary>The log messages of <see cref="DatagramPort"/>.</summary>
internal static partial class DatagramPortLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Protocol}.{Callback} threw on the datagram port {Host}; the port keeps serving")]
    public static partial void CallbackFailed(ILogger logger, Exception error, string protocol, string callback, EndPoint host);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Dropped a datagram of {Size} bytes from {Sender} on {Host}: larger than the port's maxPacketSize of {MaxPacketSize} bytes")]
    public static partial void TooLarge(ILogger logger, int size, int maxPacketSize, EndPoint sender, EndPoint host);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "The datagram port {Host} stopped: its socket failed")]
    public static partial void InputFailed(ILogger logger, Exception error, EndPoint host);
}
