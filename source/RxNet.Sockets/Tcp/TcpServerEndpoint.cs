using System.Net;
using System.Net.Sockets;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Internal;
using RxNet.Sockets.Internal;

namespace RxNet.Sockets;

/// <summary>A TCP server endpoint (IPv4 or IPv6): Twisted's <c>TCP4ServerEndpoint</c>/<c>TCP6ServerEndpoint</c>.</summary>
public sealed class TcpServerEndpoint : IServerEndpoint
{
    private readonly ILogger _logger;
    private readonly ConnectionMetrics _metrics;

    /// <summary>Creates an endpoint that listens on <paramref name="endPoint"/>.</summary>
    /// <param name="endPoint">The address and port to bind; port 0 picks a free port.</param>
    /// <param name="options">Socket options, or <see langword="null"/> for <see cref="TcpOptions.Default"/>.</param>
    public TcpServerEndpoint(IPEndPoint endPoint, TcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        EndPoint = endPoint;
        Options = options ?? TcpOptions.Default;
        Options.Connection.Validate();
        _logger = Options.LoggerFactory.CreateLogger<TcpServerEndpoint>();
        _metrics = ConnectionMetrics.For(Options.MeterFactory);
    }

    /// <summary>The address and port this endpoint binds.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The socket options.</summary>
    public TcpOptions Options { get; }

    /// <summary>
    /// Parses <c>tcp:PORT</c>, <c>tcp:port=PORT:interface=ADDR:backlog=N</c> or the same with
    /// <c>tcp6:</c> (which binds <c>::</c> unless an interface is given).
    /// </summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">Options the string's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static TcpServerEndpoint Parse(string description, TcpOptions? options = null)
    {
        var d = EndpointDescription.Parse(description);
        if (d.Scheme is not ("tcp" or "tcp6"))
            throw d.Invalid(d.Scheme, "a TCP server endpoint starts with 'tcp:' or 'tcp6:'");
        options ??= TcpOptions.Default;
        int port = d.ReadListeningPort("tcp:8000");

        IPAddress address = d.Scheme == "tcp6" ? IPAddress.IPv6Any : IPAddress.Any;
        foreach (var (key, value) in d.Parameters)
        {
            switch (key)
            {
                case "port":
                    break;
                case "interface":
                    if (!IPAddress.TryParse(value, out address!))
                        throw d.Invalid(key, "interface must be an IP address");
                    if (d.Scheme == "tcp" && address.AddressFamily != AddressFamily.InterNetwork)
                        throw d.Invalid(key, "'tcp:' takes an IPv4 interface; use 'tcp6:' for IPv6");
                    break;
                case "backlog":
                    options = options with { Backlog = d.ReadInt32("backlog", value, 1, 65535) };
                    break;
                default:
                    throw d.UnknownParameter(key, "unknown parameter; a TCP server takes port, interface and backlog");
            }
        }
        return new TcpServerEndpoint(new IPEndPoint(address, port), options);
    }

    /// <inheritdoc/>
    public IObservable<IConnection> Listen(Action<EndPoint>? onListening = null) =>
        Observable.Create<IConnection>(observer =>
        {
            var listener = new Socket(EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, Options.ReuseAddress);
                listener.Bind(EndPoint);
                listener.Listen(Options.Backlog);
                onListening?.Invoke(listener.LocalEndPoint!);
            }
            catch (Exception e)
            {
                listener.Dispose();
                observer.OnError(e is SocketException s
                    ? new IOException($"Cannot listen on {EndPoint}: {s.Message} ({s.SocketErrorCode}).", s)
                    : e);
                return Disposable.Empty;
            }
            Log.Listening(_logger, listener.LocalEndPoint);
            var stop = new CancellationTokenSource();
            var gate = new Lock();
            _ = AcceptLoopAsync(listener, observer, gate, stop.Token);
            return Disposable.Create(() =>
            {
                lock (gate) // no connection is handed over once this returns
                    stop.Cancel();
                listener.Dispose();
            });
        });

    /// <inheritdoc/>
    public override string ToString() => EndPoint.AddressFamily == AddressFamily.InterNetworkV6
        ? $"tcp6:{EndPoint.Port}:interface={EndpointDescription.Escape(EndPoint.Address.ToString())}"
        : $"tcp:{EndPoint.Port}:interface={EndPoint.Address}";

    private async Task AcceptLoopAsync(Socket listener, IObserver<IConnection> observer, Lock gate, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable
                                             or SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // Out of descriptors or a peer gone before accept: keep serving everyone else,
                // and give the system a moment instead of spinning on the same error.
                Log.AcceptFailed(_logger, EndPoint, e.SocketErrorCode);
                _metrics.Error(e.SocketErrorCode.ToString());
                if (e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable)
                    await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            catch (Exception e)
            {
                Log.AcceptStopped(_logger, e, EndPoint);
                observer.OnError(e);
                return;
            }
            var connection = TcpSockets.Wrap(socket, Options, _logger, _metrics, accepted: true);
            lock (gate)
            {
                if (stop.IsCancellationRequested)
                {
                    connection.Dispose(); // accepted as the listener was disposed: nobody would own it
                    return;
                }
                try
                {
                    observer.OnNext(connection);
                }
                catch (Exception e)
                {
                    Log.SubscriberThrewOnAccept(_logger, e, EndPoint, connection);
                    connection.Fail(e);
                }
            }
        }
    }
}
