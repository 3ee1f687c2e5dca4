using System.Net;
using System.Net.Sockets;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Sockets.Internal;

namespace RxNet.Sockets;

/// <summary>A UDP endpoint (IPv4 or IPv6) to bind a datagram socket to: Twisted's <c>listenUDP</c>.</summary>
public sealed class UdpEndpoint : IDatagramEndpoint
{
    private readonly ILogger _logger;

    /// <summary>Creates an endpoint that binds <paramref name="endPoint"/>.</summary>
    /// <param name="endPoint">The address and port to bind; port 0 picks a free port.</param>
    /// <param name="loggerFactory">Where the socket logs, or <see langword="null"/> for nowhere.</param>
    public UdpEndpoint(IPEndPoint endPoint, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        EndPoint = endPoint;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<UdpEndpoint>();
    }

    /// <summary>The address and port this endpoint binds.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Parses <c>udp:PORT</c> or <c>udp:port=PORT:interface=ADDR</c> (an IPv6 interface, escaped
    /// as <c>interface=\:\:1</c>, binds IPv6).</summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="loggerFactory">Where the socket logs, or <see langword="null"/> for nowhere.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static UdpEndpoint Parse(string description, ILoggerFactory? loggerFactory = null) =>
        Parse(EndpointDescription.Parse(description), loggerFactory);

    /// <summary>Makes the endpoint a parsed <c>udp:</c> description names; see <see cref="Parse(string, ILoggerFactory?)"/>.</summary>
    /// <param name="d">The parsed description.</param>
    /// <param name="loggerFactory">Where the socket logs, or <see langword="null"/> for nowhere.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The description is malformed; the message points at the bad part.</exception>
    public static UdpEndpoint Parse(EndpointDescription d, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Scheme != "udp")
            throw d.Invalid(d.Scheme, "a UDP endpoint starts with 'udp:'");
        int port = d.ReadListeningPort("udp:9999");
        IPAddress address = IPAddress.Any;
        foreach (var (key, value) in d.Parameters)
        {
            switch (key)
            {
                case "port":
                    break;
                case "interface":
                    if (!IPAddress.TryParse(value, out address!))
                        throw d.Invalid(key, "interface must be an IP address");
                    break;
                default:
                    throw d.UnknownParameter(key, "unknown parameter; a UDP endpoint takes port and interface");
            }
        }
        return new UdpEndpoint(new IPEndPoint(address, port), loggerFactory);
    }

    /// <inheritdoc/>
    public IObservable<IDatagramSocket> Bind() =>
        Observable.Create<IDatagramSocket>(observer =>
        {
            var socket = new Socket(EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(EndPoint);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                observer.OnError(new IOException($"Cannot bind {this}: {e.Message} ({e.SocketErrorCode}).", e));
                return Disposable.Empty;
            }
            var bound = new UdpSocket(socket, _logger);
            Log.Bound(_logger, bound.LocalEndPoint);
            observer.OnNext(bound); // no OnCompleted: that would dispose the subscription, and unbind
            return bound;
        });

    /// <summary>The endpoint string of this endpoint, which parses back to the same endpoint:
    /// <c>udp:9999:interface=0.0.0.0</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EndpointDescription.Format("udp",
        [EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], ("interface", EndPoint.Address.ToString()));
}
