using System.Reactive.Concurrency;

namespace RxNet;

/// <summary>Adapters from an <see cref="IScheduler"/> to the clock abstractions of .NET.</summary>
public static class SchedulerExtensions
{
    /// <summary>A <see cref="TimeProvider"/> over <paramref name="scheduler"/>: its clock, timestamps and timers are the
    /// scheduler's, so <c>new CancellationTokenSource(delay, provider)</c> and <c>Task.Delay(delay, provider)</c> run in
    /// its time (virtual time on a <c>TestScheduler</c>).</summary>
    /// <param name="scheduler">The scheduler, such as <c>reactor.Scheduler</c> or a <c>TestScheduler</c>.</param>
    /// <returns>A new <see cref="SchedulerTimeProvider"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scheduler"/> is null.</exception>
    /// <remarks>The semantics of its clock and timers are in the remarks of <see cref="SchedulerTimeProvider"/>.</remarks>
    public static SchedulerTimeProvider ToTimeProvider(this IScheduler scheduler) => new(scheduler);
}
