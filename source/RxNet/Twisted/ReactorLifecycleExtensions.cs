using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace RxNet.Twisted;

/// <summary>
/// Twisted's reactor lifecycle hooks on any <see cref="IReactor"/>: <c>callWhenRunning</c> and
/// <c>addSystemEventTrigger</c>. Startup fires when the reactor runs (<c>reactor.Run()</c>, or the Generic
/// Host's start with RxNet.Hosting); shutdown when it stops (<c>reactor.Stop()</c>, or the host's stop).
/// </summary>
/// <remarks>
/// Each event has three phases, run in order: <see cref="SystemEventPhase.Before"/> (waits for the observables
/// or tasks its triggers return), <see cref="SystemEventPhase.During"/>, <see cref="SystemEventPhase.After"/>.
/// Triggers of one phase run in the order they were added, on the thread that fires the event. A trigger that
/// throws or fails is logged and the event goes on, as in Twisted. Each event fires once per reactor; a trigger
/// added after its phase has fired never runs.
/// </remarks>
public static class ReactorLifecycleExtensions
{
    /// <summary>Runs <paramref name="action"/> once the reactor is running: at once if it already is, else right
    /// after startup (Twisted's <c>reactor.callWhenRunning</c>, an "after startup" trigger).</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="action">What to run.</param>
    /// <returns>Dispose it to cancel the call if it has not run yet.</returns>
    public static IDisposable CallWhenRunning(this IReactor reactor, Action action)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(action);
        return SystemEvents.Of(reactor).CallWhenRunning(action);
    }

    /// <summary>Runs <paramref name="trigger"/> in a phase of a system event (Twisted's
    /// <c>reactor.addSystemEventTrigger(phase, eventType, f)</c>).</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="phase">Before, during or after the event.</param>
    /// <param name="eventType">Startup or shutdown.</param>
    /// <param name="trigger">What to run.</param>
    /// <returns>Dispose it to remove the trigger (Twisted's <c>removeSystemEventTrigger</c>).</returns>
    public static IDisposable AddSystemEventTrigger(this IReactor reactor, SystemEventPhase phase, SystemEventType eventType, Action trigger)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(trigger);
        return SystemEvents.Of(reactor).Add(phase, eventType, SystemEvents.Wrap(trigger));
    }

    /// <summary>Runs <paramref name="trigger"/> in a phase of a system event and, in the
    /// <see cref="SystemEventPhase.Before"/> phase, makes the event wait until the observable it returns has
    /// terminated (a "before shutdown" trigger returning a Deferred, in Twisted).</summary>
    /// <typeparam name="T">The observable's element type; its values are ignored.</typeparam>
    /// <param name="reactor">The reactor.</param>
    /// <param name="phase">Before, during or after the event.</param>
    /// <param name="eventType">Startup or shutdown.</param>
    /// <param name="trigger">Called when the phase fires; the observable it returns is subscribed then.</param>
    /// <returns>Dispose it to remove the trigger.</returns>
    public static IDisposable AddSystemEventTrigger<T>(this IReactor reactor, SystemEventPhase phase, SystemEventType eventType, Func<IObservable<T>> trigger)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(trigger);
        return SystemEvents.Of(reactor).Add(phase, eventType, () => trigger().IgnoreElements().Select(_ => Unit.Default));
    }

    /// <summary>Runs <paramref name="trigger"/> in a phase of a system event and, in the
    /// <see cref="SystemEventPhase.Before"/> phase, makes the event wait until its task has finished.</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="phase">Before, during or after the event.</param>
    /// <param name="eventType">Startup or shutdown.</param>
    /// <param name="trigger">Called when the phase fires.</param>
    /// <returns>Dispose it to remove the trigger.</returns>
    public static IDisposable AddSystemEventTrigger(this IReactor reactor, SystemEventPhase phase, SystemEventType eventType, Func<Task> trigger)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(trigger);
        return SystemEvents.Of(reactor).Add(phase, eventType, () => trigger().ToObservable());
    }
}
