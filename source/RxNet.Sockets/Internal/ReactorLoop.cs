using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace RxNet.Sockets.Internal;

/// <summary>
/// The socket reactor's event loop: one thread that runs the work scheduled on it, immediate work in the order it was
/// scheduled, timers by due time (ties in the order they were scheduled), as Rx's <c>EventLoopScheduler</c> does. Unlike
/// it, a timer disposed before it runs leaves the queue at once, with its action and state, rather than staying
/// (with everything its action captured) until its due time.
/// </summary>
/// <remarks>
/// Due times are measured on the monotonic clock (<see cref="ReactorClock.ElapsedTicks"/>); an absolute due time is
/// turned into a relative one when it is scheduled. <see cref="Now"/> is the wall clock. Work scheduled after
/// <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/> at the caller, absolute or relative; the work
/// still queued then is dropped, never run.
/// </remarks>
internal sealed class ReactorLoop : IScheduler, ISchedulerPeriodic, IStopwatchProvider, IServiceProvider, IDisposable
{
    private readonly object _gate = new(); // a monitor, for Monitor.Wait
    private readonly TimerHeap _timers = new();
    private readonly string _threadName;
    private readonly Func<long> _elapsedTicks;
    private List<ReactorWork> _ready = [];
    private List<ReactorWork> _running = [];
    private Thread? _thread;
    private long _sequence;
    private bool _disposed;

    /// <summary>Creates a loop whose thread, started by the first work scheduled, is named
    /// <paramref name="threadName"/>.</summary>
    /// <param name="threadName">The name of the loop's thread.</param>
    /// <param name="elapsedTicks">The monotonic clock due times are measured on: <see cref="ReactorClock.ElapsedTicks"/>
    /// unless a spec freezes and moves it by hand.</param>
    public ReactorLoop(string threadName, Func<long>? elapsedTicks = null)
    {
        _threadName = threadName;
        _elapsedTicks = elapsedTicks ?? ReactorClock.ElapsedTicks;
    }

    /// <summary>The loop's monotonic clock, in ticks.</summary>
    public long ElapsedTicks => _elapsedTicks();

    public DateTimeOffset Now => ReactorClock.UtcNow();

    /// <summary>Whether the caller runs on the loop's thread.</summary>
    public bool IsCurrentThread => _thread is { } thread && Thread.CurrentThread == thread;

    /// <summary>How many items are queued, timers and immediate work: a disposed timer no longer counts.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _timers.Count + _ready.Count;
        }
    }

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action) =>
        Schedule(state, TimeSpan.Zero, action);

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action) =>
        Schedule(state, dueTime - Now, action);

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var work = new ScheduledWork<TState>(this, state, action);
        Enqueue(work, dueTime <= TimeSpan.Zero ? null : Later(ElapsedTicks, dueTime.Ticks), throwIfDisposed: true);
        return work;
    }

    public IDisposable SchedulePeriodic<TState>(TState state, TimeSpan period, Func<TState, TState> action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(action);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        return new PeriodicWork<TState>(this, state, period.Ticks, action);
    }

    public IStopwatch StartStopwatch() => new ReactorStopwatch(_elapsedTicks);

    public object? GetService(Type serviceType) =>
        serviceType == typeof(ISchedulerPeriodic) || serviceType == typeof(IStopwatchProvider) ? this : null;

    /// <summary>Ends the loop's thread once the work it is running returns; queued work is dropped.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            Volatile.Write(ref _disposed, true);
            _timers.Clear();
            _ready.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Queues <paramref name="work"/> at <paramref name="due"/> (monotonic ticks), or as immediate work when
    /// null. On a disposed loop it throws when <paramref name="throwIfDisposed"/>, else drops the work and says
    /// so.</summary>
    internal bool Enqueue(ReactorWork work, long? due, bool throwIfDisposed)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                ObjectDisposedException.ThrowIf(throwIfDisposed, this);
                return false;
            }
            bool wake;
            if (due is { } ticks)
            {
                work.Due = ticks;
                work.Sequence = _sequence++;
                _timers.Add(work);
                wake = _timers.Peek() == work; // sooner than what the loop waits for
            }
            else
            {
                _ready.Add(work);
                wake = true;
            }
            if (_thread is null)
                Start();
            else if (wake)
                Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>Takes a disposed item out of the queue (a no-op for one the loop has already taken).</summary>
    internal void Remove(ReactorWork work)
    {
        lock (_gate)
            _timers.Remove(work);
        // Immediate work stays in the ready list until the loop passes it, holding nothing (it was forgotten).
    }

    /// <summary><paramref name="start"/> plus <paramref name="delay"/> ticks, held at the far future instead of
    /// overflowing.</summary>
    internal static long Later(long start, long delay) => delay >= long.MaxValue - start ? long.MaxValue : start + delay;

    private void Start()
    {
        _thread = new Thread(Loop) { Name = _threadName, IsBackground = true };
        _thread.Start();
    }

    private void Loop()
    {
        while (true)
        {
            lock (_gate)
            {
                while (true)
                {
                    if (_disposed)
                        return;
                    long now = ElapsedTicks;
                    while (_timers.Count > 0 && _timers.Peek().Due <= now)
                        _ready.Add(_timers.Take());
                    if (_ready.Count > 0)
                        break;
                    Monitor.Wait(_gate, WaitMilliseconds(now));
                }
                (_ready, _running) = (_running, _ready);
            }
            // Outside the lock: work schedules more work, and other threads schedule and dispose meanwhile.
            foreach (ReactorWork work in _running)
                work.Run();
            _running.Clear();
        }
    }

    // Until the first timer is due, rounded up so the loop does not wake just before it; a wait longer than a
    // monitor takes wakes early and waits again.
    private int WaitMilliseconds(long now)
    {
        if (_timers.Count == 0)
            return Timeout.Infinite;
        long ticks = _timers.Peek().Due - now;
        long milliseconds = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return (int)Math.Min(milliseconds, int.MaxValue - 1);
    }
}
