using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
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
    public SocketReactor(TcpOptions? options = null) => Options = options ?? TcpOptions.Default;

    /// <summary>The socket options of the endpoints this reactor makes.</summary>
    public TcpOptions Options { get; }

    /// <inheritdoc/>
    public IScheduler Scheduler => _loop;

    /// <inheritdoc/>
    /// <remarks>Understands <c>tcp:</c> and <c>tcp6:</c>; see <see cref="TcpServerEndpoint.Parse"/>.</remarks>
    public IServerEndpoint ServerEndpoint(string description) => TcpServerEndpoint.Parse(description, Options);

    /// <inheritdoc/>
    /// <remarks>Understands <c>tcp:</c> and <c>tcp6:</c>; see <see cref="TcpClientEndpoint.Parse"/>.</remarks>
    public IClientEndpoint ClientEndpoint(string description) => TcpClientEndpoint.Parse(description, Options);

    /// <inheritdoc/>
    /// <remarks>Understands <c>udp:</c>; see <see cref="UdpEndpoint.Parse"/>.</remarks>
    public IDatagramEndpoint DatagramEndpoint(string description) => UdpEndpoint.Parse(description, Options.LoggerFactory);

    /// <inheritdoc/>
    /// <remarks>Fires the startup triggers (see <see cref="ReactorLifecycleExtensions"/>), then blocks the calling
    /// thread until <see cref="Stop"/>; the reactor's work runs meanwhile on its own threads.</remarks>
    public void Run()
    {
        SystemEvents.Find(this)?.Fire(SystemEventType.Startup, TriggerLogger).Subscribe();
        _stopped.Wait();
    }

    /// <inheritdoc/>
    /// <remarks>Fires the shutdown triggers; <see cref="Run"/> returns once the "before" ones have finished and
    /// the others have run.</remarks>
    public void Stop()
    {
        if (SystemEvents.Find(this) is { } events)
            events.Fire(SystemEventType.Shutdown, TriggerLogger).Subscribe(_ => { }, Release);
        else
            Release();
    }

    /// <summary>Stops the reactor and its event-loop thread, without firing the shutdown triggers.</summary>
    public void Dispose()
    {
        Release();
        _disposed = true;
        _loop.Dispose();
        _stopped.Dispose();
    }

    private ILogger TriggerLogger => Options.LoggerFactory.CreateLogger("RxNet.Twisted.SystemEvents");

    // A shutdown trigger may finish after Dispose.
    private void Release()
    {
        if (!_disposed)
            _stopped.Set();
    }
}
