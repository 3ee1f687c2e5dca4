using System.Reactive;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>Twisted's <c>TimerService</c> in virtual time, and an application run by a reactor as <c>twistd</c> runs
/// it: started when the reactor runs, stopped before it shuts down, the shutdown waiting for the stop.</summary>
public sealed class TimerServiceSpecs : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly TestScheduler _scheduler = new();
    private readonly FakeLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly IReactor _reactor;
    private readonly List<double> _calls = [];

    public TimerServiceSpecs()
    {
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        _reactor = new SimulatedNetwork(_scheduler) { LoggerFactory = _loggerFactory }.Host("server").Reactor;
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _logs.Dispose();
    }

    private double Seconds => TimeSpan.FromTicks(_scheduler.Clock).TotalSeconds;

    [Fact]
    public void StartService_CallsAtOnceThenEveryStepUntilStopped()
    {
        var timer = new TimerService(_reactor.Scheduler, Second, () => _calls.Add(Seconds));

        timer.StartService();
        _scheduler.AdvanceTo(TimeSpan.FromSeconds(2.5).Ticks);
        bool stopped = false;
        timer.StopService().Subscribe(_ => { }, () => stopped = true);
        _scheduler.AdvanceTo(TimeSpan.FromSeconds(10).Ticks);

        Assert.Equal([0.0, 1, 2], _calls);
        Assert.True(stopped);
        Assert.False(timer.Running);
    }

    [Fact]
    public void StopService_DuringACallsTask_CompletesWhenTheCallHasFinished()
    {
        var timer = new TimerService(_reactor.Scheduler, Second, () =>
        {
            _calls.Add(Seconds);
            return Observable.Timer(TimeSpan.FromSeconds(0.5), _reactor.Scheduler).Select(_ => Unit.Default);
        });
        timer.StartService();
        _scheduler.AdvanceTo(TimeSpan.FromSeconds(1.2).Ticks); // the call of 1 s runs until 1.5 s
        double stoppedAt = -1;

        timer.StopService().Subscribe(_ => { }, () => stoppedAt = Seconds);
        Assert.True(timer.Running); // as Twisted's: running until the loop has finished
        _scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);

        Assert.Equal(1.5, stoppedAt);
        Assert.False(timer.Running);
        Assert.Equal([0.0, 1], _calls);
    }

    [Fact]
    public void StartService_CallableThrows_TheLoopStopsTheReactorLogsItAndTheStopStillSucceeds()
    {
        var timer = new TimerService(_reactor.Scheduler, Second, () =>
        {
            _calls.Add(Seconds);
            if (_calls.Count == 2)
                throw new InvalidOperationException("tick failed");
        });
        timer.StartService();
        _scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);

        Assert.Equal([0.0, 1], _calls);
        var entry = Assert.Single(_logs.Collector.GetSnapshot());
        Assert.Equal("tick failed", entry.Exception?.Message);
        Assert.Contains("LoopingCall(00:00:01)", entry.Message, StringComparison.Ordinal);
        Assert.Equal(Unit.Default, timer.StopService().Wait());
    }

    [Fact]
    public void StartApplication_ReactorRuns_StartsItAndTheShutdownWaitsForItsStop()
    {
        var application = new Application("app");
        var events = new List<string>();
        new TimerService(_reactor.Scheduler, TimeSpan.FromSeconds(4), () => events.Add($"tick {Seconds}")) { Name = "timer" }
            .SetServiceParent(application);
        new SlowToStop(_reactor, events).SetServiceParent(application);
        using var hosted = _reactor.StartApplication(application);
        _reactor.AddSystemEventTrigger(SystemEventPhase.During, SystemEventType.Shutdown, () => events.Add($"shutdown {Seconds}"));
        _reactor.CallLater(TimeSpan.FromSeconds(10), _reactor.Stop);

        Assert.False(application.Running);
        _reactor.Run(); // returns once the shutdown is over

        Assert.Equal(["tick 0", "tick 4", "tick 8", "stopping 10", "stopped 13", "shutdown 13"], events);
        Assert.False(application.Running);
        Assert.Equal(TimeSpan.FromSeconds(13).Ticks, _scheduler.Clock);
    }

    /// <summary>A service whose stop takes 3 s (a drain, say).</summary>
    private sealed class SlowToStop(IReactor reactor, List<string> events) : Service
    {
        public override IObservable<Unit> StopService()
        {
            base.StopService();
            events.Add($"stopping {TimeSpan.FromTicks(reactor.Scheduler.Now.Ticks).TotalSeconds}");
            return Observable.Timer(TimeSpan.FromSeconds(3), reactor.Scheduler)
                .Do(_ => events.Add($"stopped {TimeSpan.FromTicks(reactor.Scheduler.Now.Ticks).TotalSeconds}"))
                .Select(_ => Unit.Default);
        }
    }
}
