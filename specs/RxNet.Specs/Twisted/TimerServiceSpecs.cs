using System.Reactive;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>Twisted's <c>TimerService</c> in virtual time, and an application run by a reactor as <c>twistd</c> runs
/// it: started when the reactor runs, stopped before it shuts down, the shutdown waiting for the stop.</summary>
public sealed class TimerServiceSpecs : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly LoggedReactor _logged = new();
    private readonly List<double> _calls = [];

    public void Dispose() => _logged.Dispose();


    [Fact]
    public void StartService_CallsAtOnceThenEveryStepUntilStopped()
    {
        var timer = new TimerService(_logged.Reactor.Scheduler, Second, () => _calls.Add(_logged.Seconds));

        timer.StartService();
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(2.5).Ticks);
        bool stopped = false;
        timer.StopService().Subscribe(_ => { }, () => stopped = true);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(10).Ticks);

        Assert.Equal([0.0, 1, 2], _calls);
        Assert.True(stopped);
        Assert.False(timer.Running);
    }

    [Fact]
    public void StopService_DuringACallsTask_CompletesWhenTheCallHasFinished()
    {
        var timer = new TimerService(_logged.Reactor.Scheduler, Second, () =>
        {
            _calls.Add(_logged.Seconds);
            return Observable.Timer(TimeSpan.FromSeconds(0.5), _logged.Reactor.Scheduler).Select(_ => Unit.Default);
        });
        timer.StartService();
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(1.2).Ticks); // the call of 1 s runs until 1.5 s
        double stoppedAt = -1;

        timer.StopService().Subscribe(_ => { }, () => stoppedAt = _logged.Seconds);
        Assert.True(timer.Running); // as Twisted's: running until the loop has finished
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);

        Assert.Equal(1.5, stoppedAt);
        Assert.False(timer.Running);
        Assert.Equal([0.0, 1], _calls);
    }

    [Fact]
    public void StartService_CallableThrows_TheLoopStopsTheReactorLogsItAndTheStopStillSucceeds()
    {
        var timer = new TimerService(_logged.Reactor.Scheduler, Second, () =>
        {
            _calls.Add(_logged.Seconds);
            if (_calls.Count == 2)
                throw new InvalidOperationException("tick failed");
        });
        timer.StartService();
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);

        Assert.Equal([0.0, 1], _calls);
        var entry = Assert.Single(_logged.Logs.Collector.GetSnapshot());
        Assert.Equal("tick failed", entry.Exception?.Message);
        Assert.Contains("LoopingCall(00:00:01)", entry.Message, StringComparison.Ordinal);
        Assert.Equal(Unit.Default, timer.StopService().Wait());
    }

    [Fact]
    public void StartApplication_ReactorRuns_StartsItAndTheShutdownWaitsForItsStop()
    {
        var application = new Application("app");
        var events = new List<string>();
        new TimerService(_logged.Reactor.Scheduler, TimeSpan.FromSeconds(4), () => events.Add($"tick {_logged.Seconds}")) { Name = "timer" }
            .SetServiceParent(application);
        new SlowToStop(_logged.Reactor, events).SetServiceParent(application);
        using var hosted = _logged.Reactor.StartApplication(application);
        _logged.Reactor.AddSystemEventTrigger(SystemEventPhase.During, SystemEventType.Shutdown, () => events.Add($"shutdown {_logged.Seconds}"));
        _logged.Reactor.CallLater(TimeSpan.FromSeconds(10), _logged.Reactor.Stop);

        Assert.False(application.Running);
        _logged.Reactor.Run(); // returns once the shutdown is over

        Assert.Equal(["tick 0", "tick 4", "tick 8", "stopping 10", "stopped 13", "shutdown 13"], events);
        Assert.False(application.Running);
        Assert.Equal(TimeSpan.FromSeconds(13).Ticks, _logged.Scheduler.Clock);
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
