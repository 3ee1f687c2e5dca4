using System.Reactive.Concurrency;

namespace RxNet.Time.Internal;

/// <summary>
/// An <see cref="ITimer"/> whose firings are actions on an <see cref="IScheduler"/>. Each <see cref="Change"/> starts
/// a new generation; a firing of an older generation (already queued, or running on another thread while the timer
/// was changed) does nothing, so a change or a dispose is never followed by a stale callback it could not cancel.
/// </summary>
internal sealed class SchedulerTimer : ITimer
{
    private readonly IScheduler _scheduler;
    private readonly TimerCallback _callback;
    private readonly object? _state;
    private readonly ExecutionContext? _context;
    private readonly Lock _gate = new();
    private IDisposable? _scheduled;
    private TimeSpan _period;
    private long _generation;
    private bool _disposed;

    public SchedulerTimer(IScheduler scheduler, TimerCallback callback, object? state)
    {
        _scheduler = scheduler;
        _callback = callback;
        _state = state;
        // As System.Threading.Timer does: the callback runs in the context of whoever made the timer.
        _context = ExecutionContext.Capture();
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        CheckTime(dueTime, nameof(dueTime));
        CheckTime(period, nameof(period));
        lock (_gate)
        {
            if (_disposed)
                return false;
            _scheduled?.Dispose();
            _period = period;
            long generation = ++_generation;
            _scheduled = dueTime == Timeout.InfiniteTimeSpan ? null : _scheduler.Schedule(generation, dueTime, Fire);
        }
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _generation++;
            _scheduled?.Dispose();
            _scheduled = null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private IDisposable Fire(IScheduler scheduler, long generation)
    {
        lock (_gate)
        {
            if (_disposed || generation != _generation)
                return System.Reactive.Disposables.Disposable.Empty;
            // The next firing is armed before the callback runs, as a periodic Timer's is: a period counts from this
            // firing, not from the callback's end, and a Change made by the callback replaces it.
            bool periodic = _period != Timeout.InfiniteTimeSpan && _period != TimeSpan.Zero;
            _scheduled = periodic ? scheduler.Schedule(generation, _period, Fire) : null;
        }
        if (_context is null)
            _callback(_state);
        else
            ExecutionContext.Run(_context, static s => { var t = (SchedulerTimer)s!; t._callback(t._state); }, this);
        return System.Reactive.Disposables.Disposable.Empty;
    }

    private static void CheckTime(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(name, value, "A timer's due time and period are zero or more, or Timeout.InfiniteTimeSpan.");
    }
}
