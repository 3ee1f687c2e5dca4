using System.Globalization;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.ExceptionServices;

namespace RxNet.Twisted;

/// <summary>
/// Calls a function every interval on a scheduler: Twisted's <c>task.LoopingCall</c>, with its semantics. The
/// calls stay on a grid that starts at <see cref="Start(TimeSpan, bool)"/>: a call that overruns skips the ticks it
/// missed (it never bursts to catch up), and <see cref="WithCount"/> tells the callable how many intervals went
/// by. A callable that returns a <see cref="Task"/> or an observable is waited for before the next call is scheduled.
/// </summary>
/// <remarks>
/// <para><b>Time.</b> Every timer is on <see cref="Clock"/>: pass <c>reactor.Scheduler</c>, and a simulated
/// reactor or a <c>TestScheduler</c> drives it in virtual time.</para>
/// <para><b>Ending.</b> <see cref="Start(TimeSpan, bool)"/> returns an observable that emits once and completes when
/// <see cref="Stop"/> has stopped the loop (after a call in progress has finished), or fails with the callable's
/// exception, which also stops the loop (Twisted's Deferred errbacks). Such a failure that nobody observes is
/// thrown on <see cref="Clock"/>, tagged with its source, so a reactor's scheduler logs it
/// (<see cref="CallbackErrors.CatchAndLog"/>) and keeps running.</para>
/// <para><b>Threads.</b> With <c>now</c> (the default) the first call runs at once, on the thread that calls
/// <see cref="Start(TimeSpan, bool)"/>, as in Twisted; the others run on <see cref="Clock"/> (or where the task of
/// the previous call completed, if it completed late). Calls never overlap. <see cref="Start(TimeSpan, bool)"/>,
/// <see cref="Stop"/> and <see cref="Reset"/> may be called from any thread.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The subject of each run is handed to its subscribers, who keep replaying it; there is nothing to dispose.")]
public sealed class LoopingCall
{
    private static readonly IObservable<Unit> s_done = Observable.Return(Unit.Default);

    private readonly Lock _gate = new();
    private readonly Delegate _function;
    private Func<IObservable<Unit>> _call;
    private AsyncSubject<Unit>? _done;
    private IDisposable? _timer;
    private DateTimeOffset _startTime;
    private long? _lastCounted; // ticks since _startTime
    private bool _runAtStart;
    private bool _running;

    /// <summary>A loop that calls <paramref name="function"/> (Twisted's <c>LoopingCall(f)</c>).</summary>
    /// <param name="clock">The scheduler of its timers: <c>reactor.Scheduler</c>.</param>
    /// <param name="function">What to call; an exception it throws stops the loop.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LoopingCall(IScheduler clock, Action function)
        : this(clock, function, () =>
        {
            function();
            return s_done;
        })
    {
    }

    /// <summary>A loop that calls <paramref name="function"/> and waits for its task before scheduling the next call
    /// (Twisted's <c>LoopingCall</c> of a function that returns a Deferred).</summary>
    /// <param name="clock">The scheduler of its timers: <c>reactor.Scheduler</c>.</param>
    /// <param name="function">What to call; a task that fails (or an exception it throws) stops the loop.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LoopingCall(IScheduler clock, Func<Task> function)
        : this(clock, function, () => Completion(function() ?? throw new InvalidOperationException("The LoopingCall's function returned a null task.")))
    {
    }

    /// <summary>A loop that calls <paramref name="function"/> and waits until the observable it returns has
    /// completed before scheduling the next call; its values are ignored.</summary>
    /// <param name="clock">The scheduler of its timers: <c>reactor.Scheduler</c>.</param>
    /// <param name="function">What to call; an observable that fails (or an exception it throws) stops the loop.
    /// One that never terminates stalls it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LoopingCall(IScheduler clock, Func<IObservable<Unit>> function)
        : this(clock, function, function)
    {
    }

    private LoopingCall(IScheduler clock, Delegate function, Func<IObservable<Unit>> call)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(function);
        Clock = clock;
        _function = function;
        _call = call;
    }

    /// <summary>The scheduler of the loop's timers (Twisted's <c>clock</c>).</summary>
    public IScheduler Clock { get; }

    /// <summary>Whether the loop is started and not stopped or failed (Twisted's <c>running</c>); already
    /// <see langword="false"/> when the observable of <see cref="Start(TimeSpan, bool)"/> ends.</summary>
    public bool Running
    {
        get
        {
            lock (_gate)
                return _running;
        }
    }

    /// <summary>The interval of the last <see cref="Start(TimeSpan, bool)"/>, or <see langword="null"/> before the first.</summary>
    public TimeSpan? Interval { get; private set; }

    /// <summary>A loop that calls <paramref name="countCallable"/> with the number of intervals that went by since its
    /// last call (Twisted's <c>LoopingCall.withCount</c>): normally 1, more when ticks were skipped because a call
    /// overran or the scheduler was late; always 1 with a zero interval.</summary>
    /// <param name="clock">The scheduler of its timers: <c>reactor.Scheduler</c>.</param>
    /// <param name="countCallable">What to call, with the count; an exception it throws stops the loop.</param>
    /// <returns>The loop, not started yet.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>Started with <c>now</c>, the first call counts 1; started without, the first call (one interval
    /// later) counts 1 too.</remarks>
    public static LoopingCall WithCount(IScheduler clock, Action<int> countCallable)
    {
        ArgumentNullException.ThrowIfNull(countCallable);
        var loop = new LoopingCall(clock, countCallable, () => s_done);
        loop._call = () =>
        {
            if (loop.Count() is int count)
                countCallable(count);
            return s_done;
        };
        return loop;
    }

    /// <summary>Starts calling every <paramref name="interval"/> (Twisted's <c>start(interval, now)</c>).</summary>
    /// <param name="interval">The time between calls; <see cref="TimeSpan.Zero"/> calls again as soon as possible (each
    /// call a separate item on the scheduler).</param>
    /// <param name="now">Whether the first call runs at once (the default) or one interval from now.</param>
    /// <returns>Emits once and completes when <see cref="Stop"/> has stopped the loop, or fails with the exception
    /// of the call that failed. It replays to late subscribers; the loop runs whether or not anyone subscribes.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The loop is running already.</exception>
    public IObservable<Unit> Start(TimeSpan interval, bool now = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        AsyncSubject<Unit> done;
        lock (_gate)
        {
            if (_running)
                throw new InvalidOperationException("Tried to start an already running LoopingCall.");
            _running = true;
            done = _done = new AsyncSubject<Unit>();
            _startTime = Clock.Now;
            _lastCounted = null;
            _runAtStart = now;
            Interval = interval;
            if (!now)
                ScheduleFrom(_startTime);
        }
        if (now)
            Call();
        return done.AsObservable();
    }

    /// <summary>Stops the loop (Twisted's <c>stop()</c>): no further call is made. The observable of
    /// <see cref="Start(TimeSpan, bool)"/> completes at once, or when a call in progress (a task or observable not
    /// finished yet) finishes.</summary>
    /// <exception cref="InvalidOperationException">The loop is not running (never started, stopped, or failed).</exception>
    public void Stop()
    {
        AsyncSubject<Unit>? done = null;
        lock (_gate)
        {
            if (!_running)
                throw new InvalidOperationException("Tried to stop a LoopingCall that was not running.");
            _running = false;
            if (_timer is not null)
            {
                _timer.Dispose();
                _timer = null;
                done = _done;
                _done = null;
            }
        }
        Complete(done);
    }

    /// <summary>Skips the next call and starts the interval again from now (Twisted's <c>reset()</c>); does nothing
    /// while a call is in progress.</summary>
    /// <exception cref="InvalidOperationException">The loop is not running.</exception>
    public void Reset()
    {
        lock (_gate)
        {
            if (!_running)
                throw new InvalidOperationException("Tried to reset a LoopingCall that was not running.");
            if (_timer is null)
                return;
            _timer.Dispose();
            _startTime = Clock.Now;
            ScheduleFrom(_startTime);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"LoopingCall({Interval}) {CallbackErrors.Describe(_function)}");

    private void Call()
    {
        lock (_gate)
        {
            _timer = null;
            if (!_running)
                return; // stopped while this timer was firing
        }
        IObservable<Unit> result;
        try
        {
            result = _call() ?? throw new InvalidOperationException($"{this} returned null instead of a task or an observable.");
        }
#pragma warning disable CA1031 // the callable's failure is the loop's result (Twisted's errback), not the scheduler's
        catch (Exception e)
#pragma warning restore CA1031
        {
            Fail(e);
            return;
        }
        result.Subscribe(_ => { }, Fail, Called);
    }

    private void Called()
    {
        AsyncSubject<Unit>? done = null;
        lock (_gate)
        {
            if (_running)
            {
                ScheduleFrom(Clock.Now);
            }
            else
            {
                done = _done;
                _done = null;
            }
        }
        Complete(done);
    }

    private void Fail(Exception error)
    {
        AsyncSubject<Unit>? done;
        lock (_gate)
        {
            _running = false;
            done = _done;
            _done = null;
        }
        if (done is null)
            return;
        CallbackErrors.Tag(error, ToString());
        if (!done.HasObservers)
            Clock.Schedule(() => ExceptionDispatchInfo.Throw(error)); // nobody listens: the reactor's scheduler logs it
        done.OnError(error);
    }

    private static void Complete(IObserver<Unit>? done)
    {
        if (done is null)
            return;
        done.OnNext(Unit.Default);
        done.OnCompleted();
    }

    // Under the gate. The next call is on the grid that began at _startTime, strictly after `when`: ticks a slow
    // call overran are skipped, not made up.
    private void ScheduleFrom(DateTimeOffset when)
    {
        long interval = Interval!.Value.Ticks;
        long delay = interval == 0 ? 0 : interval - ((when - _startTime).Ticks % interval);
        _timer = Clock.Schedule(TimeSpan.FromTicks(delay), Call);
    }

    // On the loop's call, never concurrent with itself. Null when no whole interval went by (Twisted then skips the call).
    private int? Count()
    {
        long now = (Clock.Now - _startTime).Ticks;
        long interval = Interval!.Value.Ticks;
        if (interval == 0)
        {
            _lastCounted = now;
            return 1;
        }
        long last = _lastCounted ?? (_runAtStart ? -interval : 0);
        long count = (now / interval) - (last / interval);
        if (count <= 0)
            return null;
        _lastCounted = now;
        return (int)Math.Min(count, int.MaxValue);
    }

    // The task's end as an observable, told on the thread that completes the task (Rx's ToObservable hops to the
    // thread pool, which would let a call escape virtual time).
    private static IObservable<Unit> Completion(Task task) => Observable.Create<Unit>(observer =>
    {
        task.ContinueWith(done =>
        {
            if (done.IsFaulted)
                observer.OnError(done.Exception.InnerExceptions.Count == 1 ? done.Exception.InnerException! : done.Exception);
            else if (done.IsCanceled)
                observer.OnError(new TaskCanceledException(done));
            else
                Complete(observer);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return System.Reactive.Disposables.Disposable.Empty;
    });
}
