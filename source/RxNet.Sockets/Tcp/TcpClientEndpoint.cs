using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Internal;
using RxNet.Transport;

namespace RxNet.Sockets;

/// <summary>A TCP client endpoint: Twisted's <c>HostnameEndpoint</c>/<c>TCP4ClientEndpoint</c>.</summary>
public sealed class TcpClientEndpoint : IClientEndpoint
{
    private readonly StreamConnector _connector;

    /// <summary>Creates an endpoint that connects to <paramref name="host"/>:<paramref name="port"/>.</summary>
    /// <param name="host">An IP address or a host name; a name is resolved on each connect and its addresses tried in order.</param>
    /// <param name="port">The port.</param>
    /// <param name="options">Socket options, or <see langword="null"/> for <see cref="TcpOptions.Default"/>.</param>
    public TcpClientEndpoint(string host, int port, TcpOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host;
        Port = port;
        Options = options ?? TcpOptions.Default;
        Options.Connection.Validate();
        _connector = new StreamConnector(this, Options, Options.LoggerFactory.CreateLogger<TcpClientEndpoint>(),
            ConnectionMetrics.For(Options.MeterFactory), ConnectSocketAsync);
    }

    /// <summary>Creates an endpoint that connects to an address.</summary>
    /// <param name="endPoint">The address and port.</param>
    /// <param name="options">Socket options, or <see langword="null"/> for <see cref="TcpOptions.Default"/>.</param>
    public TcpClientEndpoint(IPEndPoint endPoint, TcpOptions? options = null)
        : this((endPoint ?? throw new ArgumentNullException(nameof(endPoint))).Address.ToString(), endPoint.Port, options)
    {
    }

    /// <summary>The host name or address.</summary>
    public string Host { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The socket options.</summary>
    public TcpOptions Options { get; }

    /// <summary>
    /// Parses <c>tcp:host=HOST:port=PORT[:timeout=SECONDS][:sndbuf=BYTES][:rcvbuf=BYTES]</c> or <c>tcp:HOST:PORT</c>
    /// (also <c>tcp6:</c>). <c>sndbuf</c> and <c>rcvbuf</c> set <see cref="TcpOptions.SendBufferSize"/> and
    /// <see cref="TcpOptions.ReceiveBufferSize"/>.
    /// </summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">Options the string's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static TcpClientEndpoint Parse(string description, TcpOptions? options = null) =>
        Parse(EndpointDescription.Parse(description), options);

    /// <summary>Makes the endpoint a parsed <c>tcp:</c> or <c>tcp6:</c> description names; see <see cref="Parse(string, TcpOptions?)"/>.</summary>
    /// <param name="d">The parsed description.</param>
    /// <param name="options">Options the description's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The description is malformed; the message points at the bad part.</exception>
    public static TcpClientEndpoint Parse(EndpointDescription d, TcpOptions? options = null)
    {
        var parameters = TcpClientParameters.Read(d);
        options ??= TcpOptions.Default;
        if (parameters.Timeout is { } timeout)
            options = options with { ConnectTimeout = timeout };
        options = options with
        {
            SendBufferSize = parameters.SendBufferSize ?? options.SendBufferSize,
            ReceiveBufferSize = parameters.ReceiveBufferSize ?? options.ReceiveBufferSize,
        };
        return new TcpClientEndpoint(parameters.Host, parameters.Port, options);
    }

    /// <inheritdoc/>
    public IObservable<IConnection> Connect() => _connector;

    /// <summary>The endpoint string of this endpoint, which parses back to the same endpoint:
    /// <c>tcp:host=example.com:port=80:timeout=30</c> (with <c>sndbuf</c> and <c>rcvbuf</c> when the options set them).</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EndpointDescription.Format("tcp", [],
        ("host", Host), ("port", Port.ToString(CultureInfo.InvariantCulture)),
        ("timeout", Options.ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)),
        ("sndbuf", Options.SendBufferSize?.ToString(CultureInfo.InvariantCulture)),
        ("rcvbuf", Options.ReceiveBufferSize?.ToString(CultureInfo.InvariantCulture)));

    private async Task<Socket> ConnectSocketAsync(CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Options.ConnectTimeout);
        try
        {
            IPAddress[] addresses = IPAddress.TryParse(Host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(Host, timeout.Token).ConfigureAwait(false);
            if (addresses.Length == 0)
                throw new IOException($"Cannot connect to {this}: the host name has no addresses.");
            Exception? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    StreamSockets.SetBufferSizes(socket, Options);
                    await socket.ConnectAsync(new IPEndPoint(address, Port), timeout.Token).ConfigureAwait(false);
                    return socket;
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            throw last is SocketException { SocketErrorCode: SocketError.ConnectionRefused } refused
                ? new ConnectionRefusedException($"Connection to {this} was refused.", refused)
                : new IOException($"Cannot connect to {this}: {last!.Message}", last);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"Connecting to {this} took longer than {Options.ConnectTimeout.TotalSeconds:0.###} s.");
        }
        catch (SocketException e)
        {
            throw new IOException($"Cannot connect to {this}: {e.Message}", e);
        }
    }
}
