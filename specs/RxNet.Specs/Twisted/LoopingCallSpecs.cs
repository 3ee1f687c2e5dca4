using System.Reactive;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>Twisted's <c>task.LoopingCall</c>, in virtual time: calls on the grid that began at the start, the
/// end of the loop as an observable, skipped ticks (counted by <c>withCount</c>), and a failing call that stops its
/// loop while the reactor keeps running.</summary>
public sealed class LoopingCallSpecs : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private readonly LoggedReactor _logged = new();
    private readonly List<double> _calls = [];

    public void Dispose() => _logged.Dispose();


    private void Record() => _calls.Add(_logged.Seconds);

    [Fact]
    public void Start_Now_CallsAtOnceThenEveryInterval()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, Record);

        loop.Start(Second);
        Assert.Equal([0.0], _calls); // during Start, as Twisted's start(interval, now=True)
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(3).Ticks);

        Assert.Equal([0.0, 1, 2, 3], _calls);
        Assert.True(loop.Running);
        Assert.Equal(Second, loop.Interval);
    }

    [Fact]
    public void Start_NotNow_MakesTheFirstCallOneIntervalLater()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, Record);

        loop.Start(Second, now: false);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(2.5).Ticks);

        Assert.Equal([1.0, 2], _calls);
    }

    [Fact]
    public void Stop_WhileWaiting_CompletesTheStartObservableAtOnceAndNoCallFollows()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, Record);
        var ended = new List<Notification<Unit>>();
        loop.Start(Second).Materialize().Subscribe(ended.Add);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(1.5).Ticks);

        loop.Stop();
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);

        Assert.Equal([0.0, 1], _calls);
        Assert.False(loop.Running);
        Assert.Equal([NotificationKind.OnNext, NotificationKind.OnCompleted], ended.Select(n => n.Kind));
    }

    [Fact]
    public void Stop_FromInsideTheCallable_EndsTheLoopAfterThatCall()
    {
        LoopingCall? loop = null;
        bool completed = false;
        loop = new LoopingCall(_logged.Reactor.Scheduler, () =>
        {
            Record();
            if (_calls.Count == 3)
                loop!.Stop();
        });

        loop.Start(Second).Subscribe(_ => { }, () => completed = true);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(10).Ticks);

        Assert.Equal([0.0, 1, 2], _calls);
        Assert.True(completed);
    }

    [Fact]
    public void Start_CallableThrows_FailsTheObservableStopsTheLoopAndTheReactorKeepsRunning()
    {
        var boom = new InvalidOperationException("boom");
        var loop = new LoopingCall(_logged.Reactor.Scheduler, () =>
        {
            Record();
            if (_calls.Count == 2)
                throw boom;
        });
        Exception? failure = null;
        bool later = false;

        loop.Start(Second).Subscribe(_ => { }, e => failure = e);
        _logged.Reactor.CallLater(TimeSpan.FromSeconds(5), () => later = true);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);

        Assert.Same(boom, failure);
        Assert.False(loop.Running);
        Assert.Equal([0.0, 1], _calls);
        Assert.True(later);
        Assert.Empty(_logged.Logs.Collector.GetSnapshot()); // observed: the loop's observer has it, as a Deferred's errback
    }

    [Fact]
    public void Start_CallableThrowsAndNobodyObservesTheLoop_TheReactorLogsItWithItsSourceAndRunsOn()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, void () => throw new InvalidOperationException("unobserved"));
        bool later = false;

        loop.Start(Second);
        _logged.Reactor.CallLater(TimeSpan.FromSeconds(2), () => later = true);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(2).Ticks);

        Assert.True(later);
        Assert.False(loop.Running);
        var entry = Assert.Single(_logged.Logs.Collector.GetSnapshot());
        Assert.Equal("unobserved", entry.Exception?.Message);
        Assert.Contains("(LoopingCall(00:00:01) ", entry.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(Start_CallableThrowsAndNobodyObservesTheLoop_TheReactorLogsItWithItsSourceAndRunsOn), entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_CallableReturnsATask_TheNextCallWaitsForItAndStaysOnTheGrid()
    {
        var pending = new List<TaskCompletionSource>();
        var loop = new LoopingCall(_logged.Reactor.Scheduler, () =>
        {
            Record();
            var task = new TaskCompletionSource();
            pending.Add(task);
            _logged.Reactor.CallLater(TimeSpan.FromSeconds(0.5), task.SetResult);
            return task.Task;
        });

        loop.Start(Second);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(3).Ticks);

        Assert.Equal([0.0, 1, 2, 3], _calls);
        Assert.Equal(4, pending.Count);
    }

    [Fact]
    public void Start_CallOverrunsTheInterval_SkipsTheMissedTicksInsteadOfBursting()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, () =>
        {
            Record();
            // The second call takes 2.5 intervals: the ticks at 2 and 3 s pass while it runs.
            return Observable.Timer(_calls.Count == 2 ? TimeSpan.FromSeconds(2.5) : TimeSpan.Zero, _logged.Reactor.Scheduler).Select(_ => Unit.Default);
        });

        loop.Start(Second);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(6).Ticks);

        Assert.Equal([0.0, 1, 4, 5, 6], _calls);
    }

    [Fact]
    public void Stop_WhileACallsTaskIsPending_CompletesWhenTheTaskFinishes()
    {
        var task = new TaskCompletionSource();
        var loop = new LoopingCall(_logged.Reactor.Scheduler, () => task.Task);
        bool completed = false;
        loop.Start(Second).Subscribe(_ => { }, () => completed = true);

        loop.Stop();
        Assert.False(completed);
        Assert.False(loop.Running);
        task.SetResult();

        Assert.True(completed);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);
        Assert.Equal(0, _logged.Scheduler.Clock - TimeSpan.FromSeconds(5).Ticks); // nothing was scheduled after the stop
    }

    [Fact]
    public void Start_TaskFails_FailsTheLoopWithItsException()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, () => Task.FromException(new TimeoutException("late")));
        Exception? failure = null;

        loop.Start(Second).Subscribe(_ => { }, e => failure = e);

        Assert.IsType<TimeoutException>(failure);
        Assert.False(loop.Running);
    }

    [Fact]
    public void WithCount_CallOverruns_CountsTheIntervalsThatWentBy()
    {
        var counts = new List<(double At, int Count)>();
        var loop = LoopingCall.WithCount(_logged.Reactor.Scheduler, count =>
        {
            counts.Add((_logged.Seconds, count));
            if (counts.Count == 2)
                _logged.Scheduler.Sleep(TimeSpan.FromSeconds(2.5).Ticks); // a call that blocks its thread for 2.5 s
        });

        loop.Start(Second);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(5).Ticks);

        Assert.Equal([(0.0, 1), (1.0, 1), (4.0, 3), (5.0, 1)], counts);
    }

    [Fact]
    public void WithCount_NotNow_FirstCallCountsOne()
    {
        var counts = new List<int>();
        var loop = LoopingCall.WithCount(_logged.Reactor.Scheduler, counts.Add);

        loop.Start(Second, now: false);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(3).Ticks);

        Assert.Equal([1, 1, 1], counts);
    }

    [Fact]
    public void WithCount_ZeroInterval_AlwaysCountsOne()
    {
        var counts = new List<int>();
        LoopingCall? loop = null;
        loop = LoopingCall.WithCount(_logged.Reactor.Scheduler, count =>
        {
            counts.Add(count);
            if (counts.Count == 3)
                loop!.Stop();
        });

        loop.Start(TimeSpan.Zero);
        _logged.Scheduler.Start();

        Assert.Equal([1, 1, 1], counts);
    }

    [Fact]
    public void Reset_SkipsTheNextCallAndRestartsTheIntervalFromNow()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, Record);
        loop.Start(Second);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(1.5).Ticks);

        loop.Reset();
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(4).Ticks);

        Assert.Equal([0.0, 1, 2.5, 3.5], _calls);
    }

    [Fact]
    public void Start_MisusedAsInTwistedsAssertions_Throws()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, Record);

        Assert.Throws<InvalidOperationException>(loop.Stop);
        Assert.Throws<InvalidOperationException>(loop.Reset);
        Assert.Throws<ArgumentOutOfRangeException>(() => loop.Start(TimeSpan.FromSeconds(-1)));
        loop.Start(Second);
        Assert.Throws<InvalidOperationException>(() => loop.Start(Second));
        Assert.Throws<ArgumentNullException>(() => new LoopingCall(null!, Record));
    }

    [Fact]
    public void Start_AfterAStop_RunsAgainOnANewGrid()
    {
        var loop = new LoopingCall(_logged.Reactor.Scheduler, Record);
        loop.Start(Second);
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(1.5).Ticks);
        loop.Stop();

        loop.Start(TimeSpan.FromSeconds(2));
        _logged.Scheduler.AdvanceTo(TimeSpan.FromSeconds(4).Ticks);

        Assert.Equal([0.0, 1, 1.5, 3.5], _calls);
    }
}
