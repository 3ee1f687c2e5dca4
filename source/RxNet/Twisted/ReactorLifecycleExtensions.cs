using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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

    /// <summary>Runs <paramref name="application"/> with the reactor, as <c>twistd</c> does (Twisted's
    /// <c>app.startApplication</c>): its <see cref="Service.PrivilegedStartService"/> now, its
    /// <see cref="Service.StartService"/> once the reactor runs (<see cref="CallWhenRunning"/>), and its
    /// <see cref="Service.StopService"/> as a "before shutdown" trigger, so <c>reactor.Stop()</c> (or the host's stop)
    /// waits until the whole tree has stopped, drains included, before the reactor shuts down.</summary>
    /// <param name="reactor">The reactor.</param>
    /// <param name="application">The root service, usually an <see cref="Application"/>.</param>
    /// <returns>Dispose it to take the application off the reactor's startup and shutdown (it is not stopped then).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IDisposable StartApplication(this IReactor reactor, Service application)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(application);
        application.PrivilegedStartService();
        var stop = reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, application.StopService);
        var start = reactor.CallWhenRunning(application.StartService);
        return new System.Reactive.Disposables.CompositeDisposable(start, stop);
    }

    /// <summary>Fires a system event: its before, during and after phases in order (Twisted's
    /// <c>reactor.fireSystemEvent</c>). A reactor's <c>Run</c> fires startup and its <c>Stop</c> shutdown; a reactor or
    /// host of your own fires them the same way.</summary>
    /// <param name="reactor">The reactor whose triggers run.</param>
    /// <param name="eventType">Startup or shutdown.</param>
    /// <param name="logger">Where a trigger that throws or fails is logged (it counts as finished); none if <see langword="null"/>.</param>
    /// <returns>Emits once and completes when the "after" triggers have run; at once when the reactor has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> is null.</exception>
    public static IObservable<Unit> FireSystemEvent(this IReactor reactor, SystemEventType eventType, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        return SystemEvents.Find(reactor)?.Fire(eventType, logger ?? NullLogger.Instance) ?? Observable.Return(Unit.Default);
    }

    /// <summary>Fires one phase of a system event now: runs its triggers in the order they were added and, for
    /// <see cref="SystemEventPhase.Before"/>, waits for the observables they returned. A host that stops in steps
    /// (the Generic Host's stopping, stop and stopped) fires each phase at its step.</summary>
    /// <param name="reactor">The reactor whose triggers run.</param>
    /// <param name="eventType">Startup or shutdown.</param>
    /// <param name="phase">Before, during or after.</param>
    /// <param name="logger">Where a trigger that throws or fails is logged (it counts as finished); none if <see langword="null"/>.</param>
    /// <returns>Emits once and completes when the phase is over; at once when the reactor has no triggers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reactor"/> is null.</exception>
    public static IObservable<Unit> FireSystemEvent(this IReactor reactor, SystemEventType eventType, SystemEventPhase phase, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        return SystemEvents.Find(reactor)?.Fire(eventType, phase, logger ?? NullLogger.Instance) ?? Observable.Return(Unit.Default);
    }
}
