using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using RxNet.Policies.Internal;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's <c>ReconnectingClientFactory</c>: a <see cref="ClientFactory"/> that connects again, after an
/// exponential back-off with jitter, whenever connecting fails or the connection is lost.
/// </summary>
/// <remarks>
/// <para>Twisted's defaults (<see cref="Backoff.Twisted"/>): initial delay 1 s, factor e, at most 3600 s,
/// jitter 0.11962656472, no retry limit. As in Twisted the delay is multiplied before the first retry, so
/// the first wait is about 2.7 s, and each jittered wait is the base of the next one. The schedule is
/// <see cref="Backoff"/>'s: <see cref="ReconnectExtensions.Reconnecting"/> steps the same one.</para>
/// <para>As in Twisted, a successful connection does not reset the delay by itself: call
/// <see cref="ResetDelay"/> once connected, typically from <see cref="Factory.BuildProtocol"/> or the
/// protocol's <see cref="Protocol.ConnectionMade"/>; otherwise the delays go on growing across connections,
/// and <see cref="MaxRetries"/> counts every retry since the start.</para>
/// <para>Retries are timed on the scheduler given to the constructor, so they run in virtual time on a
/// simulated reactor. A subclass that overrides <see cref="ClientConnectionFailed"/> or
/// <see cref="ClientConnectionLost"/> calls the base method to keep reconnecting, as in Twisted.
/// Members are thread-safe.</para>
/// <para>Two deliberate differences: <see cref="ResetDelay"/> leaves a retry already scheduled in place
/// (Twisted forgets its handle), so <see cref="StopTrying"/> can still cancel it; and a <see cref="Retry"/>
/// replaces a retry still pending instead of adding a second one. Changed settings apply from the next
/// retry (Twisted's <c>delay</c> starts from the class's <c>initialDelay</c> until <c>resetDelay()</c>).</para>
/// </remarks>
public class ReconnectingClientFactory : ClientFactory
{
    private readonly Lock _lock = new();
    private readonly IScheduler _scheduler;
    private readonly BackoffSchedule _schedule;
    private SingleAssignmentDisposable? _call;
    private IConnector? _connector;
    private double _jitter = 0.11962656472;
    private bool _continueTrying = true;

    /// <summary>Creates a factory that times its retries on the reactor's scheduler.</summary>
    /// <param name="reactor">The reactor; its <see cref="IReactor.Scheduler"/> times the retries (Twisted's <c>clock</c>).</param>
    /// <param name="random">The jitter's source; a seeded one replays the same delays. <see cref="Random.Shared"/> when omitted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> is null.</exception>
    public ReconnectingClientFactory(IReactor reactor, Random? random = null)
        : this((reactor ?? throw new ArgumentNullException(nameof(reactor))).Scheduler, random)
    {
    }

    /// <summary>Creates a factory that times its retries on <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">Where retries are timed (Twisted's <c>clock</c>): the reactor's scheduler, a <c>TestScheduler</c> in specs.</param>
    /// <param name="random">The jitter's source; <see cref="Random.Shared"/> when omitted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    public ReconnectingClientFactory(IScheduler scheduler, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        _scheduler = scheduler;
        _schedule = new BackoffSchedule(Backoff.Twisted, random ?? Random.Shared);
    }

    /// <summary>The delay the schedule starts from (Twisted's <c>initialDelay</c>); 1 s. The first wait is this times <see cref="Factor"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan InitialDelay
    {
        get => Backoff.InitialDelay;
        set => Update(b => b with { InitialDelay = value });
    }

    /// <summary>How much each wait grows (Twisted's <c>factor</c>); e.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or not finite.</exception>
    public double Factor
    {
        get => Backoff.Factor;
        set => Update(b => b with { Factor = value });
    }

    /// <summary>The longest wait before jitter (Twisted's <c>maxDelay</c>); 3600 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxDelay
    {
        get => Backoff.MaxDelay;
        set => Update(b => b with { MaxDelay = value });
    }

    /// <summary>The standard deviation of each wait, as a fraction of it (Twisted's <c>jitter</c>); 0.11962656472.
    /// 0 turns the jitter off. See <see cref="BackoffJitter.Normal"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double Jitter
    {
        get
        {
            lock (_lock)
                return _jitter;
        }
        set
        {
            var jitter = BackoffJitter.Normal(value);
            lock (_lock)
            {
                _jitter = value;
                _schedule.Backoff = _schedule.Backoff with { Jitter = jitter };
            }
        }
    }

    /// <summary>How many retries in a row are made before abandoning (Twisted's <c>maxRetries</c>);
    /// <see langword="null"/>, the default, for no limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? MaxRetries
    {
        get => Backoff.MaxRetries;
        set => Update(b => b with { MaxRetries = value });
    }

    /// <summary>The settings above as one <see cref="RxNet.Backoff"/>; <see cref="Backoff.Twisted"/> until they change.</summary>
    public Backoff Backoff
    {
        get
        {
            lock (_lock)
                return _schedule.Backoff;
        }
    }

    /// <summary>The delay the next one grows from (Twisted's <c>delay</c>): <see cref="InitialDelay"/> at first
    /// and after <see cref="ResetDelay"/>, otherwise the last wait.</summary>
    public TimeSpan Delay
    {
        get
        {
            lock (_lock)
                return Backoff.ToTimeSpan(_schedule.Delay);
        }
    }

    /// <summary>Retries made since the start or the last <see cref="ResetDelay"/> (Twisted's <c>retries</c>).</summary>
    public int Retries
    {
        get
        {
            lock (_lock)
                return _schedule.Retries;
        }
    }

    /// <summary>Whether failures and losses are retried (Twisted's <c>continueTrying</c>): true until
    /// <see cref="StopTrying"/>, and again after <see cref="ResetDelay"/>.</summary>
    public bool ContinueTrying
    {
        get
        {
            lock (_lock)
                return _continueTrying;
        }
    }

    /// <summary>The connector last seen failing or losing its connection (Twisted's <c>connector</c>), which
    /// <see cref="Retry"/> reconnects when given none.</summary>
    public IConnector? Connector
    {
        get
        {
            lock (_lock)
                return _connector;
        }
    }

    /// <summary>Retries after the next delay, unless <see cref="StopTrying"/> was called.</summary>
    /// <param name="connector">The failed attempt.</param>
    /// <param name="reason">Why it failed.</param>
    public override void ClientConnectionFailed(IConnector connector, Exception reason) => RetryWith(connector);

    /// <summary>Reconnects after the next delay, unless <see cref="StopTrying"/> was called.</summary>
    /// <param name="connector">The connector whose connection ended.</param>
    /// <param name="reason">How it ended.</param>
    public override void ClientConnectionLost(IConnector connector, ConnectionClosed reason) => RetryWith(connector);

    /// <summary>Has the connector connect again after the next delay (Twisted's <c>retry()</c>). Does nothing
    /// after <see cref="StopTrying"/>, or once <see cref="MaxRetries"/> retries are used up (the factory then
    /// abandons the connector).</summary>
    /// <param name="connector">The connector to reconnect; <see cref="Connector"/> when omitted.</param>
    /// <exception cref="InvalidOperationException">No connector was given and none has failed yet.</exception>
    public void Retry(IConnector? connector = null)
    {
        var call = new SingleAssignmentDisposable();
        IConnector target;
        TimeSpan delay;
        lock (_lock)
        {
            if (!_continueTrying)
                return;
            target = connector ?? _connector ?? throw new InvalidOperationException("There is no connector to retry: pass one, or wait for a connection to fail.");
            if (!_schedule.TryNext(out delay))
                return;
            _call?.Dispose();
            _call = call;
        }
        call.Disposable = _scheduler.Schedule(delay, () =>
        {
            lock (_lock)
            {
                if (ReferenceEquals(_call, call))
                    _call = null;
            }
            target.Connect();
        });
    }

    /// <summary>Stops reconnecting (Twisted's <c>stopTrying()</c>): cancels the pending retry and the attempt
    /// under way. The current connection, if any, stays up.</summary>
    public void StopTrying()
    {
        SingleAssignmentDisposable? call;
        IConnector? connector;
        lock (_lock)
        {
            call = _call;
            _call = null;
            _continueTrying = false;
            connector = _connector;
        }
        call?.Dispose();
        connector?.StopConnecting();
    }

    /// <summary>Starts the schedule over (Twisted's <c>resetDelay()</c>): the next wait is the first one again,
    /// the retry count is 0, and reconnecting is on. Call it once connected.</summary>
    public void ResetDelay()
    {
        lock (_lock)
        {
            _schedule.Reset();
            _continueTrying = true;
        }
    }

    private void RetryWith(IConnector connector)
    {
        lock (_lock)
        {
            if (!_continueTrying)
                return;
            _connector = connector;
        }
        Retry();
    }

    private void Update(Func<Backoff, Backoff> change)
    {
        lock (_lock)
            _schedule.Backoff = change(_schedule.Backoff);
    }
}
