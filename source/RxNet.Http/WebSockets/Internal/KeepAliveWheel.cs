using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;

namespace RxNet.Http.WebSockets.Internal;

/// <summary>
/// The keep-alive timers of every socket on one scheduler, as one scheduler item: each socket's next tick is an
/// entry in a queue per interval (appended in due order, since "now + interval" only grows), and the wheel keeps one
/// timer armed for the earliest entry. An idle socket then costs an entry in an array instead of a scheduler item
/// and the delegates around it, and ticks stay at their exact times (a <c>TestScheduler</c> sees them as before).
/// </summary>
/// <remarks>An entry is never removed early: a socket that stops reading or ends moves its link's arm counter on, and
/// the stale entry is dropped when it falls due. It holds only the link, which the socket empties when it ends.</remarks>
internal sealed class KeepAliveWheel
{
    private static readonly ConditionalWeakTable<IScheduler, KeepAliveWheel> Wheels = [];

    private readonly IScheduler _scheduler;
    private readonly Lock _gate = new();
    private readonly Dictionary<TimeSpan, Queue<Entry>> _queues = [];
    private IDisposable? _timer;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;

    private KeepAliveWheel(IScheduler scheduler) => _scheduler = scheduler;

    /// <summary>The wheel of <paramref name="scheduler"/>, made on first use and collected with it.</summary>
    public static KeepAliveWheel Of(IScheduler scheduler) => Wheels.GetValue(scheduler, static s => new KeepAliveWheel(s));

    /// <summary>Calls <see cref="SocketLink.KeepAliveDue"/> with <paramref name="arm"/> once <paramref name="interval"/>
    /// has passed.</summary>
    public void Add(SocketLink link, int arm, TimeSpan interval)
    {
        lock (_gate)
        {
            var due = _scheduler.Now + interval;
            if (!_queues.TryGetValue(interval, out var queue))
                _queues[interval] = queue = new Queue<Entry>();
            queue.Enqueue(new Entry(link, arm, due));
            if (due < _armedFor)
                Arm(due);
        }
    }

    /// <summary>Under the gate.</summary>
    private void Arm(DateTimeOffset due)
    {
        _armedFor = due;
        var previous = _timer;
        var delay = due - _scheduler.Now;
        _timer = _scheduler.Schedule(this, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, static (_, wheel) =>
        {
            wheel.Fire();
            return Disposable.Empty;
        });
        previous?.Dispose();
    }

    private void Fire()
    {
        List<Entry>? due = null;
        lock (_gate)
        {
            var now = _scheduler.Now;
            _timer = null;
            _armedFor = DateTimeOffset.MaxValue;
            foreach (var queue in _queues.Values)
            {
                while (queue.Count > 0 && queue.Peek().Due <= now)
                    (due ??= []).Add(queue.Dequeue());
            }
        }
        // Outside the gate: a tick writes a ping under its socket's lock and adds the socket's next entry.
        if (due is not null)
        {
            foreach (var entry in due)
                entry.Link.KeepAliveDue(entry.Arm);
        }
        lock (_gate)
        {
            var earliest = DateTimeOffset.MaxValue;
            TimeSpan? empty = null;
            foreach (var (interval, queue) in _queues)
            {
                if (queue.Count == 0)
                    empty = interval;
                else if (queue.Peek().Due < earliest)
                    earliest = queue.Peek().Due;
            }
            if (empty is { } gone)
                _queues.Remove(gone); // an interval no socket uses any more (its queue's array goes with it)
            if (earliest < _armedFor)
                Arm(earliest);
        }
    }

    private readonly record struct Entry(SocketLink Link, int Arm, DateTimeOffset Due);
}
