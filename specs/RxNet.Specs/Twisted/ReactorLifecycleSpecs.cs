using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// <c>CallWhenRunning</c> and <c>AddSystemEventTrigger</c> on a simulated host's reactor, whose <c>Run()</c>
/// fires startup and <c>Stop()</c> fires shutdown, in virtual time.
/// </summary>
public sealed class ReactorLifecycleSpecs
{
    private const long Second = TimeSpan.TicksPerSecond;

    private readonly TestScheduler _scheduler = new();
    private readonly IReactor _reactor;
    private readonly List<string> _log = [];

    public ReactorLifecycleSpecs() => _reactor = new SimulatedNetwork(_scheduler).Host("server").Reactor;

    [Fact]
    public void Startup_Run_FiresBeforeDuringAfterInThatOrderAndCallWhenRunningAfterStartup()
    {
        _reactor.CallWhenRunning(() => _log.Add("running"));
        _reactor.AddSystemEventTrigger(SystemEventPhase.After, SystemEventType.Startup, () => _log.Add("after"));
        _reactor.AddSystemEventTrigger(SystemEventPhase.During, SystemEventType.Startup, () => _log.Add("during"));
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Startup, () => _log.Add("before"));
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, () => _log.Add("shutdown"));

        _reactor.Run();

        Assert.Equal(["before", "during", "running", "after"], _log);
    }

    [Fact]
    public void CallWhenRunning_AlreadyRunning_RunsAtOnce()
    {
        _reactor.CallWhenRunning(() => _log.Add("first"));
        _reactor.Run();

        _reactor.CallWhenRunning(() => _log.Add("second"));

        Assert.Equal(["first", "second"], _log);
    }

    [Fact]
    public void CallWhenRunning_DisposedBeforeStartup_NeverRuns()
    {
        var call = _reactor.CallWhenRunning(() => _log.Add("cancelled"));
        _reactor.CallWhenRunning(() => _log.Add("kept"));

        call.Dispose();
        _reactor.Run();

        Assert.Equal(["kept"], _log);
    }

    [Fact]
    public void Shutdown_BeforeTriggerReturnsAnObservable_StopWaitsUntilItCompletesThenRunsDuringAndAfter()
    {
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown,
            () => Observable.Timer(TimeSpan.FromSeconds(5), _reactor.Scheduler).Do(_ => _log.Add($"flushed at {_scheduler.Clock / Second} s")));
        _reactor.AddSystemEventTrigger(SystemEventPhase.During, SystemEventType.Shutdown, () => _log.Add($"during at {_scheduler.Clock / Second} s"));
        _reactor.AddSystemEventTrigger(SystemEventPhase.After, SystemEventType.Shutdown, () => _log.Add($"after at {_scheduler.Clock / Second} s"));
        bool later = false;
        _reactor.CallLater(60, () => later = true);

        _reactor.CallLater(10, _reactor.Stop);
        _reactor.Run();

        Assert.Equal(["flushed at 15 s", "during at 15 s", "after at 15 s"], _log);
        Assert.Equal(15 * Second, _scheduler.Clock);  // Run returned when shutdown was over, not at the Stop
        Assert.False(later);
    }

    [Fact]
    public void Shutdown_TwoBeforeTriggers_WaitsForTheSlowerOne()
    {
        foreach (int seconds in new[] { 3, 7 })
        {
            _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown,
                () => Observable.Timer(TimeSpan.FromSeconds(seconds), _reactor.Scheduler));
        }
        _reactor.AddSystemEventTrigger(SystemEventPhase.After, SystemEventType.Shutdown, () => _log.Add($"after at {_scheduler.Clock / Second} s"));

        _reactor.CallLater(1, _reactor.Stop);
        _reactor.Run();

        Assert.Equal(["after at 8 s"], _log);
    }

    [Fact]
    public void Shutdown_ATriggerThrowsOrFails_TheOthersStillRunAndShutdownEnds()
    {
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, () => throw new InvalidOperationException("thrown"));
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown,
            () => Observable.Throw<int>(new InvalidOperationException("failed"), _reactor.Scheduler));
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, () => _log.Add("before"));
        _reactor.AddSystemEventTrigger(SystemEventPhase.After, SystemEventType.Shutdown, () => _log.Add("after"));

        _reactor.CallLater(1, _reactor.Stop);
        _reactor.Run();

        Assert.Equal(["before", "after"], _log);
    }

    [Fact]
    public void Shutdown_StopCalledTwice_FiresTheTriggersOnce()
    {
        _reactor.AddSystemEventTrigger(SystemEventPhase.During, SystemEventType.Shutdown, () => _log.Add("during"));
        _reactor.Run();

        _reactor.Stop();
        _reactor.Stop();

        Assert.Equal(["during"], _log);
    }

    [Fact]
    public async Task Shutdown_BeforeTriggerReturnsATask_WaitsForTheTask()
    {
        var release = new TaskCompletionSource();
        var during = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _reactor.AddSystemEventTrigger(SystemEventPhase.Before, SystemEventType.Shutdown, () => release.Task);
        _reactor.AddSystemEventTrigger(SystemEventPhase.During, SystemEventType.Shutdown, during.SetResult);
        _reactor.Run();

        _reactor.Stop();
        Assert.False(during.Task.IsCompleted);
        release.SetResult();                     // a task may finish on any thread: the shutdown goes on there

        await during.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }
}
