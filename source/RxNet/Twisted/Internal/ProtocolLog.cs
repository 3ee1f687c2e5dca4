using System.Net;
using Microsoft.Extensions.Logging;

namespace RxNet.Twisted.Internal;

/// <summary>What the Twisted layer logs about protocols (Twisted's "Unhandled Error" for a protocol callback).</summary>
internal static partial class ProtocolLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "{Protocol}: {Callback} threw on the connection to {Peer}; only that connection is affected")]
    private static partial void CallbackFailed(ILogger logger, string protocol, string callback, EndPoint? peer, Exception error);

    /// <summary>Logs <paramref name="error"/> from <paramref name="protocol"/>'s <paramref name="callback"/> on its
    /// factory's <see cref="Factory.Logger"/> (nowhere for a protocol without a factory).</summary>
    public static void Failed(Protocol protocol, string callback, EndPoint? peer, Exception error)
    {
        if (protocol.Factory is { } factory)
            CallbackFailed(factory.Logger, protocol.GetType().Name, callback, peer, error);
    }
}
