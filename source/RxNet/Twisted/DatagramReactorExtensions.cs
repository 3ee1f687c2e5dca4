using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>reactor.listenUDP</c> on any <see cref="IReactor"/>: runs a <see cref="DatagramProtocol"/> on a bound
/// datagram socket, the same on the socket reactor and on a simulated host.
/// </summary>
public static class DatagramReactorExtensions
{
    /// <summary>Twisted's default <c>maxPacketSize</c>: the largest datagram a port hands to its protocol.</summary>
    public const int DefaultMaxPacketSize = 8192;

    /// <summary>Binds a UDP port and runs <paramref name="protocol"/> on it (Twisted's <c>reactor.listenUDP</c>).</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="port">The port; 0 picks a free one (see <see cref="IListeningPort.Host"/>).</param>
    /// <param name="protocol">The protocol: <see cref="DatagramProtocol.StartProtocol"/> runs before this returns.</param>
    /// <param name="interface">The address to bind; empty for all IPv4 interfaces.</param>
    /// <param name="maxPacketSize">The largest datagram handed to the protocol, 8192 bytes as in Twisted; a larger one is
    /// dropped whole and logged (Twisted would hand over its first <paramref name="maxPacketSize"/> bytes).</param>
    /// <param name="logger">Where exceptions thrown by the protocol's callbacks and dropped datagrams are logged; none when omitted.</param>
    /// <returns>The port: <see cref="IListeningPort.StopListening"/> or <c>Dispose</c> unbinds, and
    /// <see cref="DatagramProtocol.StopProtocol"/> follows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/>, <paramref name="protocol"/> or <paramref name="interface"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPacketSize"/> is not positive.</exception>
    /// <exception cref="IOException">The port cannot be bound (Twisted's <c>CannotListenError</c>).</exception>
    /// <exception cref="InvalidOperationException"><paramref name="protocol"/> already serves a port.</exception>
    public static IListeningPort ListenUdp(this IReactor reactor, int port, DatagramProtocol protocol, string @interface = "", int maxPacketSize = DefaultMaxPacketSize, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(@interface);
        string description = string.Create(CultureInfo.InvariantCulture, $"udp:{port}")
            + (@interface.Length > 0 ? ":interface=" + EndpointDescription.Escape(@interface) : "");
        return reactor.ListenDatagram(description, protocol, maxPacketSize, logger);
    }

    /// <summary>Binds any datagram endpoint string and runs <paramref name="protocol"/> on it: with
    /// <c>remoteHost=</c> and <c>remotePort=</c>, a connected port (Twisted's <c>transport.connect(host, port)</c>, chosen here at bind time).</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="description">A datagram endpoint string the reactor understands (<c>udp:9999</c>,
    /// <c>udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort=9999</c>).</param>
    /// <param name="protocol">The protocol: <see cref="DatagramProtocol.StartProtocol"/> runs before this returns.</param>
    /// <param name="maxPacketSize">The largest datagram handed to the protocol; a larger one is dropped whole and logged.</param>
    /// <param name="logger">Where exceptions thrown by the protocol's callbacks and dropped datagrams are logged; none when omitted.</param>
    /// <returns>The port.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> or <paramref name="protocol"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPacketSize"/> is not positive.</exception>
    /// <exception cref="FormatException">The description is malformed.</exception>
    /// <exception cref="IOException">The endpoint cannot be bound.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="protocol"/> already serves a port.</exception>
    public static IListeningPort ListenDatagram(this IReactor reactor, string description, DatagramProtocol protocol, int maxPacketSize = DefaultMaxPacketSize, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPacketSize);
        return DatagramPort.Start(reactor.DatagramEndpoint(description), protocol, maxPacketSize, logger ?? NullLogger.Instance);
    }
}
