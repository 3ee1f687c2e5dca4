using System.Reactive.Disposables;

namespace RxNet.Sockets.Internal;

/// <summary>
/// Periodic work on a <see cref="ReactorLoop"/> (<c>ISchedulerPeriodic</c>): each run is due one period after the
/// previous one was due, not after it ran, so runs do not drift; the next run is queued before the action runs.
/// Disposing it takes the queued run out and lets go of the action and state.
/// </summary>
internal sealed class PeriodicWork<TState> : IDisposable
{
    private readonly ReactorLoop _loop;
    private readonly long _period;
    private readonly Lock _gate = new();
    private Func<TState, TState>? _action;
    private TState _state;
    private long _next;
    private IDisposable? _pending;

    public PeriodicWork(ReactorLoop loop, TState state, long period, Func<TState, TState> action)
    {
        _loop = loop;
        _period = period;
        _state = state;
        _action = action;
        lock (_gate)
        {
            _next = loop.ElapsedTicks;
            QueueNext();
        }
    }

    public void Dispose()
    {
        IDisposable? pending;
        lock (_gate)
        {
            _action = null;
            _state = default!;
            pending = _pending;
            _pending = null;
        }
        pending?.Dispose();
    }

    private void Tick()
    {
        Func<TState, TState> action;
        TState state;
        lock (_gate)
        {
            if (_action is null)
                return;
            action = _action;
            state = _state;
            QueueNext();
        }
        state = action(state);
        lock (_gate)
        {
            if (_action is not null) // not disposed while it ran
                _state = state;
        }
    }

    // Under the lock. On a disposed loop the work just ends: the loop's thread is on its way out.
    private void QueueNext()
    {
        _next = ReactorLoop.Later(_next, _period);
        var work = new ScheduledWork<PeriodicWork<TState>>(_loop, this, static (_, self) =>
        {
            self.Tick();
            return Disposable.Empty;
        });
        _pending = _loop.Enqueue(work, _next, throwIfDisposed: false) ? work : null;
    }
}
