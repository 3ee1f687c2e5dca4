using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Internal;
using RxNet.Sockets.Internal;

namespace RxNet.Sockets;

/// <summary>A TCP client endpoint: Twisted's <c>HostnameEndpoint</c>/<c>TCP4ClientEndpoint</c>.</summary>
public sealed class TcpClientEndpoint : IClientEndpoint
{
    private readonly ILogger _logger;
    private readonly ConnectionMetrics _metrics;

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
        _logger = Options.LoggerFactory.CreateLogger<TcpClientEndpoint>();
        _metrics = ConnectionMetrics.For(Options.MeterFactory);
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
    /// Parses <c>tcp:host=HOST:port=PORT[:timeout=SECONDS]</c> or <c>tcp:HOST:PORT</c> (also <c>tcp6:</c>).
    /// </summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">Options the string's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static TcpClientEndpoint Parse(string description, TcpOptions? options = null)
    {
        var d = EndpointDescription.Parse(description);
        if (d.Scheme is not ("tcp" or "tcp6"))
            throw d.Invalid(d.Scheme, "a TCP client endpoint starts with 'tcp:' or 'tcp6:'");
        options ??= TcpOptions.Default;
        string? host = d.Parameters.GetValueOrDefault("host");
        string? portText = d.Parameters.GetValueOrDefault("port");
        var positional = new Queue<string>(d.Arguments);
        host ??= positional.Count > 0 ? positional.Dequeue() : throw d.Invalid(d.Scheme, "a host is required, as in 'tcp:host=localhost:port=8000'");
        portText ??= positional.Count > 0 ? positional.Dequeue() : throw d.Invalid(host, "a port is required, as in 'tcp:host=localhost:port=8000'");
        if (positional.Count > 0)
            throw d.Invalid(positional.Peek(), "unexpected extra argument");
        if (host.Length == 0)
            throw d.Invalid("host", "the host is empty");
        int port = d.ReadInt32("port", portText, 1, 65535);
        foreach (var (key, value) in d.Parameters)
        {
            switch (key)
            {
                case "host" or "port":
                    break;
                case "timeout":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0 || seconds > 86400)
                        throw d.Invalid(key, "timeout must be a number of seconds above 0");
                    options = options with { ConnectTimeout = TimeSpan.FromSeconds(seconds) };
                    break;
                default:
                    throw d.UnknownParameter(key, "unknown parameter; a TCP client takes host, port and timeout");
            }
        }
        return new TcpClientEndpoint(host, port, options);
    }

    /// <inheritdoc/>
    public IObservable<IConnection> Connect() => new ConnectObservable(this);

    /// <inheritdoc/>
    public override string ToString() => $"tcp:host={EndpointDescription.Escape(Host)}:port={Port}";

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

    /// <summary>One connect attempt per subscription; a connection made after the subscriber left is closed.</summary>
    private sealed class ConnectObservable(TcpClientEndpoint endpoint) : IObservable<IConnection>
    {
        public IDisposable Subscribe(IObserver<IConnection> observer)
        {
            ArgumentNullException.ThrowIfNull(observer);
            var attempt = new Attempt(endpoint, observer);
            attempt.Start();
            return attempt;
        }
    }

    private sealed class Attempt(TcpClientEndpoint endpoint, IObserver<IConnection> observer) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new(); // no timer, so it needs no Dispose
        private int _state; // 0 running, 1 done, 2 disposed

        public void Start() => _ = RunAsync();

        public void Dispose()
        {
            if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
                _cancel.Cancel();
        }

        private async Task RunAsync()
        {
            Socket socket;
            try
            {
                socket = await endpoint.ConnectSocketAsync(_cancel.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
                    observer.OnError(e);
                return;
            }
            var connection = TcpSockets.Wrap(socket, endpoint.Options, endpoint._logger, endpoint._metrics, accepted: false);
            if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            {
                connection.Dispose();
                return;
            }
            try
            {
                observer.OnNext(connection);
                observer.OnCompleted();
            }
            catch (Exception e)
            {
                // The subscriber threw while taking the connection: it owns nothing, so close it.
                Log.SubscriberThrewOnConnect(endpoint._logger, e, endpoint, connection);
                connection.Fail(e);
            }
        }
    }
}
