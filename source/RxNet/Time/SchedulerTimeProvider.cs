using System.Reactive.Concurrency;
using RxNet.Time.Internal;

namespace RxNet;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock and timers are those of an <see cref="IScheduler"/>, so the .NET APIs that
/// take a time provider (<c>new CancellationTokenSource(delay, timeProvider)</c>, <c>Task.Delay(delay, timeProvider)</c>,
/// <c>timeProvider.CreateTimer</c>, <c>GetTimestamp</c>/<c>GetElapsedTime</c>) run in the scheduler's time: on a
/// <c>TestScheduler</c>, at exact virtual ticks.
/// </summary>
/// <remarks>
/// <para><b>Clock.</b> <see cref="GetUtcNow"/> is the scheduler's <see cref="IScheduler.Now"/> in UTC.
/// <see cref="GetTimestamp"/> counts ticks of 100 ns (<see cref="TimestampFrequency"/> is
/// <see cref="TimeSpan.TicksPerSecond"/>) from a stopwatch the scheduler starts when the provider is made
/// (<see cref="Scheduler.StartStopwatch(IScheduler)"/>), offset by the scheduler's clock at that instant: on a virtual-time
/// scheduler the timestamp is therefore its clock (a <c>TestScheduler</c>'s <c>Clock</c>, exactly), and on a real
/// one it is monotonic even when the wall clock is adjusted. Only differences of timestamps mean anything, as with
/// <c>TimeProvider.System</c>. <see cref="LocalTimeZone"/> is UTC: a virtual clock has no location, and a
/// spec must not depend on the machine's zone.</para>
/// <para><b>Timers.</b> <see cref="CreateTimer"/> schedules the callback on the scheduler: it runs on the scheduler's
/// thread (inside <c>AdvanceBy</c>/<c>Start</c> on a <c>TestScheduler</c>), at <c>dueTime</c> and then every
/// <c>period</c> after each firing, with the <see cref="ExecutionContext"/> captured when the timer was made.
/// <see cref="ITimer.Change"/> re-arms it, and disposing it cancels what is scheduled. An exception thrown by the
/// callback propagates out of the scheduler, as one thrown by any scheduled action does. The scheduler should queue
/// delayed work (an event loop, the reactor's scheduler, a <c>TestScheduler</c>); <c>Scheduler.Immediate</c> would
/// block the caller for the delay.</para>
/// <para>Thread-safe: timers may be changed and disposed from any thread.</para>
/// </remarks>
public sealed class SchedulerTimeProvider : TimeProvider
{
    private readonly IStopwatch _stopwatch;
    private readonly long _origin;

    /// <summary>Creates a time provider over <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The scheduler whose clock and timers to use, such as <c>reactor.Scheduler</c> or a
    /// <c>TestScheduler</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    public SchedulerTimeProvider(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Scheduler = scheduler;
        _origin = scheduler.Now.UtcTicks;
        _stopwatch = scheduler.StartStopwatch();
    }

    /// <summary>The scheduler whose clock and timers this provider uses.</summary>
    public IScheduler Scheduler { get; }

    /// <summary>Ticks of 100 ns per second: <see cref="TimeSpan.TicksPerSecond"/>.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>UTC, whatever the machine's zone.</summary>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>The scheduler's clock, in UTC.</summary>
    /// <returns><see cref="IScheduler.Now"/> with a zero offset.</returns>
    public override DateTimeOffset GetUtcNow() => Scheduler.Now.ToUniversalTime();

    /// <summary>The scheduler's clock as a monotonic count of 100 ns ticks (see the remarks of
    /// <see cref="SchedulerTimeProvider"/>).</summary>
    /// <returns>The timestamp; on a <c>TestScheduler</c>, its <c>Clock</c>.</returns>
    public override long GetTimestamp() => _origin + _stopwatch.Elapsed.Ticks;

    /// <summary>Creates a timer that calls <paramref name="callback"/> on the scheduler.</summary>
    /// <param name="callback">Called at each firing, with <paramref name="state"/>.</param>
    /// <param name="state">Passed to <paramref name="callback"/>.</param>
    /// <param name="dueTime">When it first fires, from now; <see cref="Timeout.InfiniteTimeSpan"/> for not yet.</param>
    /// <param name="period">How long after each firing it fires again; <see cref="Timeout.InfiniteTimeSpan"/> or
    /// zero for once.</param>
    /// <returns>The timer: <see cref="ITimer.Change"/> re-arms it, disposing it cancels it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dueTime"/> or <paramref name="period"/> is
    /// negative and not <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SchedulerTimer(Scheduler, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <inheritdoc />
    public override string ToString() => $"SchedulerTimeProvider({Scheduler})";
}
