using System.Reactive.Concurrency;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using RxNet.Sockets.Internal;
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
    private readonly ReactorLoop _loop = new("RxNet reactor");
    private readonly IScheduler _scheduler;
    private readonly ManualResetEventSlim _stopped = new();
    private volatile bool _disposed;

    /// <summary>Creates a reactor whose endpoints use <paramref name="options"/>.</summary>
    /// <param name="options">Socket options for the endpoints it makes, or <see langword="null"/> for the defaults.</param>
    public SocketReactor(TcpOptions? options = null)
    {
        Options = options ?? TcpOptions.Default;
        _scheduler = _loop.CatchAndLog(Options.LoggerFactory.CreateLogger("RxNet.Reactor"));
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
    /// <remarks>An exception that escapes work run here (a <c>CallLater</c> callback, a timer, an observer under
    /// <c>ObserveOn</c>) is logged with its source on the <c>RxNet.Reactor</c> category of
    /// <see cref="TcpOptions.LoggerFactory"/>, and the reactor keeps running, as Twisted's does
    /// (<see cref="CallbackErrors.CatchAndLog"/>).</remarks>
    public IScheduler Scheduler => _scheduler;

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
    /// <remarks>The same as <see cref="Run(bool)"/> with signal handlers installed, as Twisted's <c>reactor.run()</c>.</remarks>
    public void Run() => Run(installSignalHandlers: true);

    /// <summary>Runs the reactor until <see cref="Stop"/> (Twisted's <c>reactor.run(installSignalHandlers)</c>): fires the
    /// startup triggers (see <see cref="ReactorLifecycleExtensions"/>), then blocks the calling thread; the reactor's
    /// work runs meanwhile on its own threads.</summary>
    /// <param name="installSignalHandlers">Whether SIGINT (Ctrl+C) and SIGTERM stop the reactor gracefully while it
    /// runs: <see cref="Stop"/>, whose shutdown triggers drain what was registered (a <c>ServerService</c> of an
    /// application started with <see cref="ReactorLifecycleExtensions.StartApplication"/>), after which
    /// <see cref="Run(bool)"/> returns and the program exits as it chooses. Pass <see langword="false"/> when the
    /// program handles signals itself (Twisted's own name for it).</param>
    /// <remarks>Either way, if the process exits while the reactor runs (<c>Environment.Exit</c>, or SIGTERM without
    /// handlers), its <see cref="AppDomain.ProcessExit"/> stops the reactor and waits for the shutdown triggers, so a
    /// drain is not cut short; a stop begun from a <c>ProcessExit</c> handler of your own is waited for the same way.
    /// Signal handling uses <see cref="PosixSignalRegistration"/> (on Windows, Ctrl+C and the console's close).</remarks>
    public void Run(bool installSignalHandlers)
    {
        using var signals = installSignalHandlers ? new StopOnSignals(this) : null;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            this.FireSystemEvent(SystemEventType.Startup, TriggerLogger).Subscribe();
            _stopped.Wait();
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Fires the shutdown triggers; <see cref="Run(bool)"/> returns once the "before" ones have finished and
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

    // The process is exiting while Run() blocks: it would end the reactor's threads mid-drain. Stop (a stop already
    // under way is the same stop) and hold the exit until the shutdown triggers are done; not from the reactor's own
    // thread, which the drain needs.
    private void OnProcessExit(object? sender, EventArgs e)
    {
        Stop();
        if (!_loop.IsCurrentThread)
            Wait();
    }

    private void Wait()
    {
        try
        {
            _stopped.Wait();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>How many items wait on the event loop, timers and immediate work; a disposed timer no longer counts
    /// (for specs).</summary>
    internal int QueuedWork => _loop.Count;

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
