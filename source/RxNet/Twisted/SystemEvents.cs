using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace RxNet.Twisted;

/// <summary>
/// The system event triggers of one reactor (Twisted's <c>_ThreePhaseEvent</c>s), kept beside the reactor
/// rather than on <see cref="IReactor"/>. Whoever runs the reactor fires them: <c>Run()</c>/<c>Stop()</c> of
/// the socket and simulated reactors, or the Generic Host (RxNet.Hosting), phase by phase.
/// </summary>
/// <remarks>Each phase of each event fires at most once; firing it again replays how it ended. A trigger added
/// after its phase fired never runs (except through <see cref="CallWhenRunning"/>, which then runs at once).</remarks>
internal sealed partial class SystemEvents
{
    private static readonly ConditionalWeakTable<IReactor, SystemEvents> s_byReactor = new();

    private readonly Lock _gate = new();
    private readonly List<Func<IObservable<Unit>>>[] _triggers = [[], [], [], [], [], []];
    private readonly AsyncSubject<Unit>?[] _fired = new AsyncSubject<Unit>?[6];
    private bool _running;

    /// <summary>The triggers of <paramref name="reactor"/>, made on first use.</summary>
    public static SystemEvents Of(IReactor reactor) => s_byReactor.GetValue(reactor, _ => new SystemEvents());

    /// <summary>The triggers of <paramref name="reactor"/> if any were ever asked for, so that a reactor nobody
    /// registered a trigger on pays nothing.</summary>
    public static SystemEvents? Find(IReactor reactor) => s_byReactor.TryGetValue(reactor, out var events) ? events : null;

    /// <summary>Whether startup's "during" phase has run and shutdown's has not (Twisted's <c>reactor.running</c>).</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
                return _running;
        }
    }

    public IDisposable Add(SystemEventPhase phase, SystemEventType eventType, Func<IObservable<Unit>> trigger)
    {
        var list = _triggers[Index(eventType, phase)];
        lock (_gate)
            list.Add(trigger);
        return Disposable.Create(() =>
        {
            lock (_gate)
                list.Remove(trigger);
        });
    }

    public IDisposable CallWhenRunning(Action action)
    {
        lock (_gate)
        {
            if (!_running)
                return Add(SystemEventPhase.After, SystemEventType.Startup, Wrap(action));
        }
        action();
        return Disposable.Empty;
    }

    /// <summary>Fires every phase of <paramref name="eventType"/> in order.</summary>
    /// <returns>Emits once and completes when the "after" triggers have run.</returns>
    public IObservable<Unit> Fire(SystemEventType eventType, ILogger logger) =>
        Fire(eventType, SystemEventPhase.Before, logger)
            .SelectMany(_ => Fire(eventType, SystemEventPhase.During, logger))
            .SelectMany(_ => Fire(eventType, SystemEventPhase.After, logger));

    /// <summary>Fires one phase now: runs its triggers in the order they were added and, for "before", waits for
    /// the observables they returned. A trigger that throws or fails is logged and counts as finished.</summary>
    /// <returns>Emits once and completes when the phase is over; replays that to later callers.</returns>
    public IObservable<Unit> Fire(SystemEventType eventType, SystemEventPhase phase, ILogger logger)
    {
        AsyncSubject<Unit> done;
        Func<IObservable<Unit>>[] triggers;
        int index = Index(eventType, phase);
        lock (_gate)
        {
            if (_fired[index] is { } fired)
                return fired;
            done = _fired[index] = new AsyncSubject<Unit>();
            triggers = [.. _triggers[index]];
            if (phase == SystemEventPhase.During)
                _running = eventType == SystemEventType.Startup; // as Twisted's own first "during startup" trigger
        }
        var results = new List<IObservable<Unit>>(triggers.Length);
        foreach (var trigger in triggers)
        {
            IObservable<Unit> result;
            try
            {
                result = trigger();
            }
#pragma warning disable CA1031 // one failing trigger must not stop the others, as in Twisted
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTriggerFailed(logger, eventType, phase, e);
                continue;
            }
            results.Add(result.Catch((Exception e) =>
            {
                LogTriggerFailed(logger, eventType, phase, e);
                return Observable.Empty<Unit>();
            }));
        }
        if (phase == SystemEventPhase.Before)
        {
            results.Merge().IgnoreElements().Subscribe(_ => { }, () =>
            {
                done.OnNext(Unit.Default);
                done.OnCompleted();
            });
        }
        else
        {
            foreach (var result in results)
                result.Subscribe(_ => { }, () => { }); // started, not waited for
            done.OnNext(Unit.Default);
            done.OnCompleted();
        }
        return done;
    }

    /// <summary>A trigger that runs <paramref name="action"/> and is finished when it returns.</summary>
    public static Func<IObservable<Unit>> Wrap(Action action) => () =>
    {
        action();
        return Observable.Return(Unit.Default);
    };

    private static int Index(SystemEventType eventType, SystemEventPhase phase) => ((int)eventType * 3) + (int)phase;

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "A {Phase} {Event} trigger failed")]
    private static partial void LogTriggerFailed(ILogger logger, SystemEventType @event, SystemEventPhase phase, Exception error);
}
