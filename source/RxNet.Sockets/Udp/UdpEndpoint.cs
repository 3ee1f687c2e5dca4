using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Sockets.Internal;

namespace RxNet.Sockets;

/// <summary>A UDP endpoint (IPv4 or IPv6) to bind a datagram socket to: Twisted's <c>listenUDP</c>, and, given
/// a remote address, a socket connected to that one peer (Twisted's <c>transport.connect(host, port)</c>).</summary>
/// <remarks>The sockets it binds implement <see cref="IMulticastSocket"/>.</remarks>
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

    /// <summary>Creates an endpoint that binds <paramref name="endPoint"/> and connects the socket to
    /// <paramref name="remote"/>: it receives only that peer's datagrams and sends only to it (see
    /// <see cref="IDatagramSocket.RemoteEndPoint"/>).</summary>
    /// <param name="endPoint">The address and port to bind; port 0 picks a free port.</param>
    /// <param name="remote">The one peer, of the same address family.</param>
    /// <param name="loggerFactory">Where the socket logs, or <see langword="null"/> for nowhere.</param>
    /// <exception cref="ArgumentException"><paramref name="remote"/> is of another address family, or has port 0.</exception>
    public UdpEndpoint(IPEndPoint endPoint, IPEndPoint remote, ILoggerFactory? loggerFactory = null)
        : this(endPoint, loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (remote.AddressFamily != endPoint.AddressFamily)
            throw new ArgumentException($"The remote {remote} is not of the family of the local {endPoint} ({endPoint.AddressFamily}).", nameof(remote));
        if (remote.Port == 0)
            throw new ArgumentException($"The remote {remote} has no port.", nameof(remote));
        Remote = remote;
    }

    /// <summary>The address and port this endpoint binds.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The one peer its sockets are connected to, or <see langword="null"/> for unconnected sockets.</summary>
    public IPEndPoint? Remote { get; }

    /// <summary>Parses <c>udp:PORT</c> or <c>udp:port=PORT:interface=ADDR</c> (an IPv6 interface, escaped
    /// as <c>interface=\:\:1</c>, binds IPv6), connected to one peer with <c>remoteHost=ADDR:remotePort=PORT</c>
    /// (an IP address, of the interface's family; without an interface, an IPv6 remote binds IPv6).</summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="loggerFactory">Where the socket logs, or <see langword="null"/> for nowhere.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static UdpEndpoint Parse(string description, ILoggerFactory? loggerFactory = null) =>
        Parse(EndpointDescription.Parse(description), loggerFactory);

    /// <summary>Makes the endpoint a parsed <c>udp:</c> description names; see <see cref="Parse(string, ILoggerFactory?)"/>.</summary>
    /// <param name="d">The parsed description.</param>
    /// <param name="loggerFactory">Where the socket logs, or <see langword="null"/> for nowhere.</param>
    /// <inheritdoc cref="Parse(string, ILoggerFactory?)" path="/returns|/exception"/>
    public static UdpEndpoint Parse(EndpointDescription d, ILoggerFactory? loggerFactory = null)
    {
        var (port, address, peer) = UdpParameters.Read(d);
        if (peer is null)
            return new UdpEndpoint(new IPEndPoint(address ?? IPAddress.Any, port), loggerFactory);
        if (!IPAddress.TryParse(peer.Host, out var remoteAddress))
            throw d.Invalid("remoteHost", "remoteHost must be an IP address (resolve host names first, as Twisted's connect asks)");
        address ??= remoteAddress.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        if (address.AddressFamily != remoteAddress.AddressFamily)
            throw d.Invalid("remoteHost", $"remoteHost must be of the interface's family ({address.AddressFamily})");
        return new UdpEndpoint(new IPEndPoint(address, port), new IPEndPoint(remoteAddress, peer.Port), loggerFactory);
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
            if (Remote is not null)
            {
                try
                {
                    socket.Connect(Remote);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    observer.OnError(new IOException($"Cannot connect {this} to its remote: {e.Message} ({e.SocketErrorCode}).", e));
                    return Disposable.Empty;
                }
            }
            var bound = new UdpSocket(socket, Remote, _logger);
            Log.Bound(_logger, bound.LocalEndPoint);
            observer.OnNext(bound); // no OnCompleted: that would dispose the subscription, and unbind
            return bound;
        });

    /// <summary>The endpoint string of this endpoint, which parses back to the same endpoint:
    /// <c>udp:9999:interface=0.0.0.0</c>, or <c>udp:0:interface=127.0.0.1:remoteHost=127.0.0.1:remotePort=9999</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EndpointDescription.Format("udp",
        [EndPoint.Port.ToString(CultureInfo.InvariantCulture)], ("interface", EndPoint.Address.ToString()),
        ("remoteHost", Remote?.Address.ToString()), ("remotePort", Remote?.Port.ToString(CultureInfo.InvariantCulture)));
}
