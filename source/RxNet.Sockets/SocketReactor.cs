using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Tls;
using RxNet.Twisted;

namespace RxNet.Sockets;

/// <summary>
/// The reactor of the real world: operating-system sockets for listening, connecting and datagrams, and one
/// event-loop thread as its <see cref="Scheduler"/>. Twisted's global <c>reactor</c>.
/// </summary>
/// <remarks>
/// Connection callbacks run on I/O threads, serialized per connection; timers and anything
/// observed on <see cref="Scheduler"/> run on the reactor's own thread.
/// </remarks>
public sealed class SocketReactor : IReactor, IDisposable
{
    private readonly EventLoopScheduler _loop = new(start => new Thread(start) { Name = "RxNet reactor", IsBackground = true });
    private readonly ManualResetEventSlim _stopped = new();
    private volatile bool _disposed;

    /// <summary>Creates a reactor whose endpoints use <paramref name="options"/>.</summary>
    /// <param name="options">Socket options for the endpoints it makes, or <see langword="null"/> for the defaults.</param>
    public SocketReactor(TcpOptions? options = null)
    {
        Options = options ?? TcpOptions.Default;
        Schemes = new EndpointSchemes()
            .AddServer("tcp", (d, _) => TcpServerEndpoint.Parse(d, Options))
            .AddServer("tcp6", (d, _) => TcpServerEndpoint.Parse(d, Options))
            .AddServer("unix", (d, _) => UnixServerEndpoint.Parse(d, Options))
            .AddServer("tls", (d, _) => TlsServerEndpoint.Parse(d, Options))
            .AddServer("haproxy", (d, reactor) => reactor.ServerEndpoint(d.Inner)
                .WithProxyProtocol(reactor.Scheduler, logger: Options.LoggerFactory.CreateLogger("RxNet.ProxyProtocol")))
            .AddClient("tcp", (d, _) => TcpClientEndpoint.Parse(d, Options))
            .AddClient("tcp6", (d, _) => TcpClientEndpoint.Parse(d, Options))
            .AddClient("unix", (d, _) => UnixClientEndpoint.Parse(d, Options))
            .AddClient("tls", (d, _) => TlsClientEndpoint.Parse(d, Options))
            .AddDatagram("udp", (d, _) => UdpEndpoint.Parse(d, Options.LoggerFactory));
    }

    /// <summary>The socket options of the endpoints this reactor makes.</summary>
    public TcpOptions Options { get; }

    /// <inheritdoc/>
    public IScheduler Scheduler => _loop;

    /// <inheritdoc/>
    /// <remarks>Built in: <c>tcp:</c>/<c>tcp6:</c> (<see cref="TcpServerEndpoint.Parse(string, TcpOptions?)"/>,
    /// <see cref="TcpClientEndpoint.Parse(string, TcpOptions?)"/>), <c>unix:</c> (<see cref="UnixServerEndpoint"/>,
    /// <see cref="UnixClientEndpoint"/>), <c>tls:</c> (<see cref="TlsServerEndpoint"/>, <see cref="TlsClientEndpoint"/>), <c>udp:</c> (<see cref="UdpEndpoint"/>) and Twisted's <c>haproxy:</c> prefix
    /// over any server endpoint (<c>haproxy:tcp:8000</c>: <see cref="ProxyProtocolExtensions.WithProxyProtocol"/>).</remarks>
    public EndpointSchemes Schemes { get; }

    /// <inheritdoc/>
    public IServerEndpoint ServerEndpoint(string description) => Schemes.ServerEndpoint(this, description);

    /// <inheritdoc/>
    public IClientEndpoint ClientEndpoint(string description) => Schemes.ClientEndpoint(this, description);

    /// <inheritdoc/>
    public IDatagramEndpoint DatagramEndpoint(string description) => Schemes.DatagramEndpoint(this, description);

    /// <inheritdoc/>
    /// <remarks>Fires the startup triggers (see <see cref="ReactorLifecycleExtensions"/>), then blocks the calling
    /// thread until <see cref="Stop"/>; the reactor's work runs meanwhile on its own threads.</remarks>
    public void Run()
    {
        this.FireSystemEvent(SystemEventType.Startup, TriggerLogger).Subscribe();
        _stopped.Wait();
    }

    /// <inheritdoc/>
    /// <remarks>Fires the shutdown triggers; <see cref="Run"/> returns once the "before" ones have finished and
    /// the others have run.</remarks>
    public void Stop() => this.FireSystemEvent(SystemEventType.Shutdown, TriggerLogger).Subscribe(_ => { }, Release);

    /// <summary>Stops the reactor and its event-loop thread, without firing the shutdown triggers.</summary>
    public void Dispose()
    {
        Release();
        _disposed = true;
        _loop.Dispose();
        _stopped.Dispose();
    }

    private ILogger TriggerLogger => Options.LoggerFactory.CreateLogger("RxNet.Twisted.SystemEvents");

    // A shutdown trigger may finish after Dispose, even as Dispose runs.
    private void Release()
    {
        try
        {
            if (!_disposed)
                _stopped.Set();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
