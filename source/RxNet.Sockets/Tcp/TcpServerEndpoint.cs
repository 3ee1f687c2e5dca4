using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Internal;
using RxNet.Transport;

namespace RxNet.Sockets;

/// <summary>A TCP server endpoint (IPv4 or IPv6): Twisted's <c>TCP4ServerEndpoint</c>/<c>TCP6ServerEndpoint</c>.</summary>
public sealed class TcpServerEndpoint : IServerEndpoint
{
    private readonly StreamListener _listener;

    /// <summary>Creates an endpoint that listens on <paramref name="endPoint"/>.</summary>
    /// <param name="endPoint">The address and port to bind; port 0 picks a free port.</param>
    /// <param name="options">Socket options, or <see langword="null"/> for <see cref="TcpOptions.Default"/>.</param>
    public TcpServerEndpoint(IPEndPoint endPoint, TcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        EndPoint = endPoint;
        Options = options ?? TcpOptions.Default;
        Options.Connection.Validate();
        _listener = new StreamListener(endPoint.ToString(), Options, Options.LoggerFactory.CreateLogger<TcpServerEndpoint>(),
            ConnectionMetrics.For(Options.MeterFactory));
    }

    /// <summary>The address and port this endpoint binds.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The socket options.</summary>
    public TcpOptions Options { get; }

    /// <summary>
    /// Parses <c>tcp:PORT</c>, <c>tcp:port=PORT:interface=ADDR:backlog=N:sndbuf=BYTES:rcvbuf=BYTES</c> or the same with
    /// <c>tcp6:</c> (which binds <c>::</c> unless an interface is given). <c>sndbuf</c> and <c>rcvbuf</c> set
    /// <see cref="TcpOptions.SendBufferSize"/> and <see cref="TcpOptions.ReceiveBufferSize"/>.
    /// </summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">Options the string's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static TcpServerEndpoint Parse(string description, TcpOptions? options = null) =>
        Parse(EndpointDescription.Parse(description), options);

    /// <summary>Makes the endpoint a parsed <c>tcp:</c> or <c>tcp6:</c> description names; see <see cref="Parse(string, TcpOptions?)"/>.</summary>
    /// <param name="d">The parsed description.</param>
    /// <param name="options">Options the description's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The description is malformed; the message points at the bad part.</exception>
    public static TcpServerEndpoint Parse(EndpointDescription d, TcpOptions? options = null) =>
        From(TcpServerParameters.Read(d), options ?? TcpOptions.Default);

    /// <summary>The endpoint a server string's TCP parameters describe, with <paramref name="options"/> for what they leave out.</summary>
    internal static TcpServerEndpoint From(TcpServerParameters parameters, TcpOptions options) =>
        new(parameters.EndPoint, options with
        {
            Backlog = parameters.Backlog ?? options.Backlog,
            SendBufferSize = parameters.SendBufferSize ?? options.SendBufferSize,
            ReceiveBufferSize = parameters.ReceiveBufferSize ?? options.ReceiveBufferSize,
        });

    /// <inheritdoc/>
    public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) => Listeners.Exclusive(_listener.Listen(Bind, onListening), ToString());

    /// <summary>The endpoint string of this endpoint, which parses back to the same endpoint:
    /// <c>tcp:8000:interface=0.0.0.0:backlog=512</c> (with <c>sndbuf</c> and <c>rcvbuf</c> when the options set them).</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EndpointDescription.Format(
        EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? "tcp6" : "tcp",
        [EndPoint.Port.ToString(CultureInfo.InvariantCulture)],
        ("interface", EndPoint.Address.ToString()),
        ("backlog", Options.Backlog.ToString(CultureInfo.InvariantCulture)),
        ("sndbuf", Options.SendBufferSize?.ToString(CultureInfo.InvariantCulture)),
        ("rcvbuf", Options.ReceiveBufferSize?.ToString(CultureInfo.InvariantCulture)));

    private Socket Bind()
    {
        var listener = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, Options.ReuseAddress);
            StreamSockets.SetBufferSizes(listener, Options);
            listener.Bind(EndPoint);
            listener.Listen(Options.Backlog);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }
}
