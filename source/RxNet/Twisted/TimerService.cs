using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace RxNet.Twisted;

/// <summary>
/// A service that calls a function every step while it runs: Twisted's <c>internet.TimerService</c>, on a
/// <see cref="LoopingCall"/>. The first call is made as the service starts.
/// </summary>
/// <remarks>
/// <para>If the function throws (or its task or observable fails), the loop stops, as in Twisted; the failure is
/// thrown on the clock, so a reactor's scheduler logs it with its source (<see cref="CallbackErrors.CatchAndLog"/>),
/// and the service's stop still succeeds.</para>
/// <para><see cref="StopService"/> stops the loop and completes once a call in progress has finished;
/// <see cref="Service.Running"/> turns false then, as Twisted's does.</para>
/// </remarks>
public sealed class TimerService : Service
{
    private readonly LoopingCall _loop;
    private readonly TimeSpan _step;
    private IObservable<Unit>? _finished;

    /// <summary>A service that calls <paramref name="callable"/> every <paramref name="step"/> on <paramref name="clock"/>.</summary>
    /// <param name="clock">The scheduler of the loop: <c>reactor.Scheduler</c>.</param>
    /// <param name="step">The time between calls.</param>
    /// <param name="callable">What to call.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public TimerService(IScheduler clock, TimeSpan step, Action callable)
        : this(new LoopingCall(clock, callable), step)
    {
    }

    /// <summary>A service that calls <paramref name="callable"/> every <paramref name="step"/>, each time waiting for its
    /// task before scheduling the next call.</summary>
    /// <param name="clock">The scheduler of the loop: <c>reactor.Scheduler</c>.</param>
    /// <param name="step">The time between calls.</param>
    /// <param name="callable">What to call.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public TimerService(IScheduler clock, TimeSpan step, Func<Task> callable)
        : this(new LoopingCall(clock, callable), step)
    {
    }

    /// <summary>A service that calls <paramref name="callable"/> every <paramref name="step"/>, each time waiting until
    /// its observable completes before scheduling the next call.</summary>
    /// <param name="clock">The scheduler of the loop: <c>reactor.Scheduler</c>.</param>
    /// <param name="step">The time between calls.</param>
    /// <param name="callable">What to call.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public TimerService(IScheduler clock, TimeSpan step, Func<IObservable<Unit>> callable)
        : this(new LoopingCall(clock, callable), step)
    {
    }

    private TimerService(LoopingCall loop, TimeSpan step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, TimeSpan.Zero);
        _loop = loop;
        _step = step;
    }

    /// <summary>Starts, and makes the first call at once.</summary>
    public override void StartService()
    {
        base.StartService();
        _finished = _loop.Start(_step, now: true);
    }

    /// <summary>Stops the loop.</summary>
    /// <returns>Emits once and completes when the loop has stopped (after a call in progress), even if it had failed.</returns>
    public override IObservable<Unit> StopService()
    {
        if (_finished is not { } finished)
            return base.StopService();
        _finished = null;
        if (_loop.Running)
            _loop.Stop();
        return Eager(finished
            .Catch(Observable.Return(Unit.Default)) // reported when it failed; a failed loop has stopped all the same
            .LastAsync()
            .SelectMany(_ => base.StopService()));
    }
}
