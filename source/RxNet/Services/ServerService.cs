using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RxNet.Internal;
using RxNet.Services.Internal;

namespace RxNet;

/// <summary>
/// A listening endpoint and what serves its connections, started and stopped as one service, with a graceful
/// stop: Twisted's <c>StreamServerEndpointService</c> plus a drain. It needs no host; the Generic Host
/// integration (RxNet.Hosting) is a thin layer over it.
/// </summary>
/// <remarks>
/// <para><b>Start.</b> <see cref="Start"/> subscribes the endpoint's <c>Listen</c>; its observable emits the
/// bound address and completes once bound, or fails if binding fails. Each accepted connection is handed to
/// the handler and tracked until its <see cref="IConnection.Closed"/> emits.</para>
/// <para><b>Stop.</b> <see cref="Stop(TimeSpan)"/> unbinds at once (new connections are refused), lets the open
/// connections finish, and when the deadline passes (a timer on the scheduler) aborts the rest with a reset.
/// Its observable then emits one <see cref="DrainReport"/>, which is logged too (a warning naming the aborted
/// peers). A second stop, <see cref="Abort"/> or <see cref="Dispose"/> aborts the open connections at once.</para>
/// <para><b>Time and threads.</b> The only timer is the deadline, on the given scheduler, so a
/// <c>TestScheduler</c> pins the drain to exact ticks. The report is emitted on the thread that ended the drain
/// (the last connection's close, the deadline timer, or the caller of the abort); nothing hops to the thread
/// pool. Thread-safe.</para>
/// </remarks>
public sealed class ServerService : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IServerEndpoint _endpoint;
    private readonly Action<IConnection> _serve;
    private readonly IScheduler _scheduler;
    private readonly ILogger _logger;
    private readonly Action? _onStart;
    private readonly Action? _onStop;
    private readonly AsyncSubject<EndPoint> _started = new();
    private readonly AsyncSubject<DrainReport> _stopped = new();
    private readonly HashSet<IConnection> _open = new(ReferenceEqualityComparer.Instance);
    private State _state;
    private IDisposable? _listening;
    private IDisposable? _deadline;
    private DateTimeOffset _stopBegan;
    private int _finished;

    /// <summary>A service that hands every accepted connection to <paramref name="serve"/> (the Rx style).</summary>
    /// <param name="endpoint">Where to listen, for example <c>reactor.ServerEndpoint("tcp:8000")</c>.</param>
    /// <param name="serve">Called once per accepted connection, on the transport's thread; it owns the connection
    /// (for an echo server: <c>c =&gt; c.Input.Subscribe(c.Output)</c>). If it throws, that connection is aborted
    /// and the error logged; the service goes on.</param>
    /// <param name="scheduler">The scheduler of the drain deadline: the reactor's (<c>reactor.Scheduler</c>).</param>
    /// <param name="logger">Where the service logs listening, failures and the drain; none if <see langword="null"/>.</param>
#pragma warning disable RS0027 // the short form keeps its optional logger; the hooks' form spells every argument out
    public ServerService(IServerEndpoint endpoint, Action<IConnection> serve, IScheduler scheduler, ILogger? logger = null)
        : this(endpoint, serve, scheduler, logger, onStart: null, onStop: null)
    {
    }
#pragma warning restore RS0027

    /// <summary>A service that also runs <paramref name="onStart"/> as it starts listening and <paramref name="onStop"/>
    /// once it has stopped listening: what a protocol needs to start and to end gracefully (the Twisted layer starts
    /// and stops its factory so; an HTTP server starts its drain so, closing idle keep-alive connections).</summary>
    /// <param name="endpoint">Where to listen.</param>
    /// <param name="serve">Called once per accepted connection, as in the other constructor.</param>
    /// <param name="scheduler">The scheduler of the drain deadline.</param>
    /// <param name="logger">Where the service logs; none if <see langword="null"/>.</param>
    /// <param name="onStart">Run once by <see cref="Start"/>, before it listens; <see langword="null"/> for nothing.</param>
    /// <param name="onStop">Run once when a stop (<see cref="Stop(TimeSpan)"/>, <see cref="Abort"/>) has stopped
    /// accepting, or when listening failed: before the drain waits for the open connections, on the caller's thread.
    /// <see langword="null"/> for nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/>, <paramref name="serve"/> or
    /// <paramref name="scheduler"/> is null.</exception>
    public ServerService(IServerEndpoint endpoint, Action<IConnection> serve, IScheduler scheduler, ILogger? logger, Action? onStart, Action? onStop)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(serve);
        ArgumentNullException.ThrowIfNull(scheduler);
        _endpoint = endpoint;
        _serve = serve;
        _scheduler = scheduler;
        _logger = logger ?? NullLogger.Instance;
        _onStart = onStart;
        _onStop = onStop;
    }

    private enum State
    {
        Created,
        Listening,
        Draining,
        Stopped,
    }

    /// <summary>The bound address once listening (the real port when port 0 was asked for), else <see langword="null"/>.</summary>
    public EndPoint? BoundEndPoint { get; private set; }

    /// <summary>Connections accepted and not closed yet.</summary>
    public int OpenConnections
    {
        get
        {
            lock (_gate)
                return _open.Count;
        }
    }

    /// <summary>Starts listening (Twisted's <c>startService</c>).</summary>
    /// <returns>An observable that emits the bound address and completes once bound, or fails with the
    /// endpoint's error if it cannot bind. It replays its outcome to every subscriber; listening does not wait
    /// for a subscriber.</returns>
    /// <exception cref="InvalidOperationException">The service was started before.</exception>
    public IObservable<EndPoint> Start()
    {
        lock (_gate)
        {
            if (_state != State.Created)
                throw new InvalidOperationException("A ServerService starts once; make a new one to listen again.");
            _state = State.Listening;
        }
        _onStart?.Invoke();
        var subscription = _endpoint.Listen(OnListening).Subscribe(Accept, OnListenFailed, () => { });
        bool keep;
        lock (_gate)
        {
            keep = _state == State.Listening;
            if (keep)
                _listening = subscription;
        }
        if (!keep)
            subscription.Dispose(); // it failed, or was stopped while binding
        return _started.AsObservable();
    }

    /// <summary>Stops gracefully (Twisted's <c>stopService</c>, plus a drain): stops accepting at once, lets the
    /// open connections finish, and aborts those still open when <paramref name="deadline"/> has passed.</summary>
    /// <param name="deadline">How long open connections may take to finish; <see cref="TimeSpan.Zero"/> aborts them
    /// at once, <see cref="Timeout.InfiniteTimeSpan"/> waits for ever (until <see cref="Abort"/>).</param>
    /// <returns>An observable that emits one <see cref="DrainReport"/> when the drain ends, then completes; it
    /// replays to every subscriber. The stop does not wait for a subscriber.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="deadline"/> is negative and not infinite.</exception>
    /// <remarks>A second call, while draining, aborts the open connections at once and returns the same report.
    /// Stopping a service that never started reports nothing finished and nothing aborted.</remarks>
    public IObservable<DrainReport> Stop(TimeSpan deadline)
    {
        if (deadline != Timeout.InfiniteTimeSpan)
            ArgumentOutOfRangeException.ThrowIfLessThan(deadline, TimeSpan.Zero);
        StopCore(deadline, abort: false);
        return _stopped.AsObservable();
    }

    /// <summary>This server as a Twisted-style <see cref="Twisted.Service"/>, to join an <see cref="Twisted.Application"/>
    /// (<c>server.AsService(drain).SetServiceParent(application)</c>): its <c>StartService</c> is <see cref="Start"/>
    /// (a bind error is logged, as the service logs it), its <c>StopService</c> is <see cref="Stop(TimeSpan)"/> with
    /// <paramref name="drainTimeout"/>, done when the drain is.</summary>
    /// <param name="drainTimeout">How long open connections may take to finish when the service stops.</param>
    /// <returns>A new service over this server; it starts once, as the server does.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="drainTimeout"/> is negative and not infinite.</exception>
    public Twisted.Service AsService(TimeSpan drainTimeout)
    {
        if (drainTimeout != Timeout.InfiniteTimeSpan)
            ArgumentOutOfRangeException.ThrowIfLessThan(drainTimeout, TimeSpan.Zero);
        return new ServerServiceAsService(this, drainTimeout);
    }

    /// <summary>Aborts now: stops accepting if still listening and resets every open connection. The report of
    /// <see cref="Stop(TimeSpan)"/> then says <see cref="DrainOutcome.AbortRequested"/>.</summary>
    public void Abort() => StopCore(TimeSpan.Zero, abort: true);

    /// <summary>Aborts now, as <see cref="Abort"/>.</summary>
    public void Dispose() => Abort();

    private void StopCore(TimeSpan deadline, bool abort)
    {
        IDisposable? listening = null;
        DrainReport? report = null;
        bool stopListening = false, abortNow = false, arm = false;
        int open = 0;
        lock (_gate)
        {
            switch (_state)
            {
                case State.Created:
                    _state = State.Stopped;
                    _stopBegan = _scheduler.Now;
                    report = new DrainReport(0, [], abort ? DrainOutcome.AbortRequested : DrainOutcome.Drained, TimeSpan.Zero);
                    break;
                case State.Listening:
                    _state = State.Draining;
                    _stopBegan = _scheduler.Now;
                    listening = _listening;
                    _listening = null;
                    stopListening = true;
                    open = _open.Count;
                    if (open == 0)
                        report = Finish(DrainOutcome.Drained);
                    else if (abort || deadline == TimeSpan.Zero)
                        abortNow = true;
                    else
                        arm = deadline != Timeout.InfiniteTimeSpan;
                    break;
                case State.Draining:
                    abortNow = true; // a second stop, or a cancellation
                    abort = true;
                    break;
                case State.Stopped:
                    return;
            }
        }
        listening?.Dispose();
        if (stopListening)
        {
            // Stopped before the endpoint reported its address: Start's observable must still end (a no-op once bound).
            _started.OnError(new OperationCanceledException("The service was stopped before it was listening."));
            ServerServiceLog.Draining(_logger, BoundEndPoint, open, deadline);
            _onStop?.Invoke();
        }
        if (abortNow)
        {
            AbortOpen(abort ? DrainOutcome.AbortRequested : DrainOutcome.DeadlineHit);
        }
        else if (arm)
        {
            var timer = _scheduler.Schedule(deadline, () => AbortOpen(DrainOutcome.DeadlineHit));
            lock (_gate)
            {
                if (_state == State.Draining)
                {
                    _deadline = timer;
                    timer = null;
                }
            }
            timer?.Dispose(); // the drain ended while the timer was being armed
        }
        if (report is not null)
            Publish(report);
    }

    private void OnListening(EndPoint endPoint)
    {
        BoundEndPoint = endPoint;
        ServerServiceLog.Listening(_logger, endPoint);
        _started.OnNext(endPoint);
        _started.OnCompleted();
    }

    private void OnListenFailed(Exception error)
    {
        bool bound = BoundEndPoint is not null;
        if (!bound)
        {
            ServerServiceLog.ListenFailed(_logger, error);
            bool stopped;
            lock (_gate)
            {
                stopped = _state == State.Listening;
                if (stopped)
                    _state = State.Stopped;
            }
            if (stopped)
            {
                _onStop?.Invoke();
                _stopped.OnNext(new DrainReport(0, [], DrainOutcome.Drained, TimeSpan.Zero));
                _stopped.OnCompleted();
            }
            _started.OnError(error);
            return;
        }
        // The accept loop died after binding: connections already open live on until stopped.
        ServerServiceLog.ListenerFailed(_logger, BoundEndPoint, error);
    }

    private void Accept(IConnection connection)
    {
        bool admitted;
        lock (_gate)
        {
            admitted = _state == State.Listening;
            if (admitted)
                _open.Add(connection);
        }
        if (!admitted)
        {
            // Accepted by the transport while the stop was unbinding: not ours to serve.
            ServerServiceLog.AcceptedAfterStop(_logger, connection.RemoteEndPoint);
            connection.Dispose();
            return;
        }
        connection.Closed.Subscribe(new CloseWatch(this, connection)); // one small object per connection, no delegates
        try
        {
            _serve(connection);
        }
#pragma warning disable CA1031 // a handler's fault ends its connection, never the service
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerServiceLog.HandlerFailed(_logger, connection.RemoteEndPoint, e);
            connection.Dispose();
        }
    }

    private void OnClosed(IConnection connection)
    {
        DrainReport? report = null;
        lock (_gate)
        {
            if (!_open.Remove(connection))
                return;
            if (_state == State.Draining)
            {
                _finished++;
                if (_open.Count == 0)
                    report = Finish(DrainOutcome.Drained);
            }
        }
        if (report is not null)
            Publish(report);
    }

    private void AbortOpen(DrainOutcome outcome)
    {
        IConnection[] victims;
        DrainReport report;
        lock (_gate)
        {
            if (_state != State.Draining)
                return;
            victims = [.. _open];
            _open.Clear();
            report = Finish(outcome, [.. victims.Select(v => v.RemoteEndPoint)]);
        }
        foreach (var victim in victims)
            victim.Dispose(); // a reset: the peer sees the connection reset
        ServerServiceLog.AbortedOpen(_logger, BoundEndPoint, outcome, report.Elapsed, victims.Length, string.Join(", ", report.Aborted));
        Publish(report);
    }

    // Under the gate; Publish disarms the deadline outside it.
    private DrainReport Finish(DrainOutcome outcome, IReadOnlyList<EndPoint?>? aborted = null)
    {
        _state = State.Stopped;
        return new DrainReport(_finished, aborted ?? [], outcome, _scheduler.Now - _stopBegan);
    }

    private void Publish(DrainReport report)
    {
        IDisposable? deadline;
        lock (_gate)
        {
            deadline = _deadline;
            _deadline = null;
        }
        deadline?.Dispose();
        ServerServiceLog.Drained(_logger, BoundEndPoint, report);
        _stopped.OnNext(report);
        _stopped.OnCompleted();
    }

    /// <summary>Tells the service when one connection has closed (on its value or an error, whichever comes first).</summary>
    private sealed class CloseWatch(ServerService service, IConnection connection) : IObserver<ConnectionClosed>
    {
        public void OnNext(ConnectionClosed value) => service.OnClosed(connection);

        public void OnError(Exception error) => service.OnClosed(connection);

        public void OnCompleted()
        {
        }
    }
}
