using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Internal;
using RxNet.Transport;

namespace RxNet.Sockets;

/// <summary>A Unix domain (stream) socket client endpoint: Twisted's <c>UNIXClientEndpoint</c>.</summary>
public sealed class UnixClientEndpoint : IClientEndpoint
{
    private readonly StreamConnector _connector;

    /// <summary>Creates an endpoint that connects to the socket file <paramref name="path"/>.</summary>
    /// <param name="path">The socket file's path.</param>
    /// <param name="options">Connect timeout, flow control, logging and metrics (TCP-only options are ignored).</param>
    public UnixClientEndpoint(string path, TcpOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Options = options ?? TcpOptions.Default;
        Options.Connection.Validate();
        _connector = new StreamConnector(this, Options, Options.LoggerFactory.CreateLogger<UnixClientEndpoint>(),
            ConnectionMetrics.For(Options.MeterFactory), ConnectSocketAsync);
    }

    /// <summary>The socket file's path.</summary>
    public string Path { get; }

    /// <summary>Connect timeout, flow control, logging and metrics.</summary>
    public TcpOptions Options { get; }

    /// <summary>Parses <c>unix:PATH</c> or <c>unix:path=PATH:timeout=SECONDS</c> (Twisted's keys), with <c>sndbuf=BYTES</c>
    /// and <c>rcvbuf=BYTES</c> for the socket's kernel buffers.</summary>
    /// <param name="description">The endpoint string.</param>
    /// <param name="options">Options the string's parameters override.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">The string is malformed; the message points at the bad part.</exception>
    public static UnixClientEndpoint Parse(string description, TcpOptions? options = null) =>
        Parse(EndpointDescription.Parse(description), options);

    /// <summary>Makes the endpoint a parsed <c>unix:</c> description names; see <see cref="Parse(string, TcpOptions?)"/>.</summary>
    /// <param name="d">The parsed description.</param>
    /// <param name="options">Options the description's parameters override.</param>
    /// <inheritdoc cref="Parse(string, TcpOptions?)" path="/returns|/exception"/>
    public static UnixClientEndpoint Parse(EndpointDescription d, TcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d.Scheme != "unix")
            throw d.Invalid(d.Scheme, "a Unix socket endpoint starts with 'unix:'");
        options ??= TcpOptions.Default;
        string path = UnixSockets.ReadPath(d, "path", "unix:path=/run/app.sock");
        d.CheckKeys("a Unix socket client", ["path", "timeout", .. BufferSizeParameters.Keys]);
        if (d.ReadSeconds("timeout") is { } timeout)
            options = options with { ConnectTimeout = timeout };
        return new UnixClientEndpoint(path, BufferSizeParameters.Read(d, options));
    }

    /// <inheritdoc/>
    public IObservable<IConnection> Connect() => _connector;

    /// <summary>The endpoint string of this endpoint, which parses back to the same endpoint:
    /// <c>unix:path=/run/app.sock:timeout=30</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => EndpointDescription.Format("unix", [],
        [("path", Path), ("timeout", Options.ConnectTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)), .. BufferSizeParameters.Print(Options)]);

    private async Task<Socket> ConnectSocketAsync(CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(Options.ConnectTimeout);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path), timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            socket.Dispose();
            throw new ConnectionRefusedException(UnixSockets.Existing(Path) == FileKind.None
                ? $"Connection to {Path} was refused: there is no socket file at that path."
                : $"Connection to {Path} was refused: nothing accepts on that socket file.", e);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Connecting to {Path} took longer than {Options.ConnectTimeout.TotalSeconds:0.###} s.");
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new IOException($"Cannot connect to {Path}: {e.Message} ({e.SocketErrorCode}).", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
