using System.Reactive.Concurrency;
using Microsoft.Reactive.Testing;
using Xunit;

namespace RxNet.Specs.Time;

/// <summary>
/// <see cref="SchedulerTimeProvider"/> on a <see cref="TestScheduler"/>: the .NET APIs that take a
/// <see cref="TimeProvider"/> fire at exact virtual ticks and never on the wall clock.
/// </summary>
public sealed class SchedulerTimeProviderSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();
    private readonly TimeProvider _time;

    public SchedulerTimeProviderSpecs() => _time = _scheduler.ToTimeProvider();

    [Fact]
    public void GetUtcNow_SchedulerAdvances_IsTheSchedulersClockInUtc()
    {
        _scheduler.AdvanceTo(1234 * Ms);

        var now = _time.GetUtcNow();

        Assert.Equal(new DateTimeOffset(1234 * Ms, TimeSpan.Zero), now);
        Assert.Equal(TimeSpan.Zero, now.Offset);
        Assert.Same(TimeZoneInfo.Utc, _time.LocalTimeZone);
    }

    [Fact]
    public void GetTimestamp_OnATestScheduler_IsItsClockInTicks()
    {
        _scheduler.AdvanceTo(5 * Ms);
        var late = new TestScheduler();
        late.AdvanceTo(42 * Ms);
        var lateTime = late.ToTimeProvider();      // made when the clock was already at 42 ms
        late.AdvanceBy(8 * Ms);

        Assert.Equal(TimeSpan.TicksPerSecond, _time.TimestampFrequency);
        Assert.Equal(5 * Ms, _time.GetTimestamp());
        Assert.Equal(50 * Ms, lateTime.GetTimestamp());
    }

    [Fact]
    public void GetElapsedTime_BetweenTwoTimestamps_IsTheVirtualTimeThatPassed()
    {
        long start = _time.GetTimestamp();
        _scheduler.AdvanceBy(1500 * Ms);

        Assert.Equal(TimeSpan.FromMilliseconds(1500), _time.GetElapsedTime(start));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), _time.GetElapsedTime(start, _time.GetTimestamp()));
    }

    [Fact]
    public void CreateTimer_OneShot_FiresOnceAtItsDueTickWithItsState()
    {
        var fired = new List<(long At, object? State)>();
        using var timer = _time.CreateTimer(s => fired.Add((_scheduler.Clock, s)), "state", TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);

        _scheduler.AdvanceTo(30 * Ms - 1);
        Assert.Empty(fired);
        _scheduler.AdvanceTo(10_000 * Ms);

        Assert.Equal([(30 * Ms, (object?)"state")], fired);
    }

    [Fact]
    public void CreateTimer_Periodic_FiresAtDueThenEveryPeriod()
    {
        var fired = new List<long>();
        using var timer = _time.CreateTimer(_ => fired.Add(_scheduler.Clock), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(25));

        _scheduler.AdvanceTo(100 * Ms);

        Assert.Equal([10 * Ms, 35 * Ms, 60 * Ms, 85 * Ms], fired);
    }

    [Fact]
    public void CreateTimer_ZeroPeriod_FiresOnlyOnce()
    {
        var fired = new List<long>();
        using var timer = _time.CreateTimer(_ => fired.Add(_scheduler.Clock), null, TimeSpan.Zero, TimeSpan.Zero);

        _scheduler.AdvanceTo(100 * Ms);

        Assert.Equal([1L], fired);   // a TestScheduler runs what is due now one tick later, as it does for every action
    }

    [Fact]
    public void Change_WhileArmed_ReplacesTheFiringFromTheTimeOfTheChange()
    {
        var fired = new List<long>();
        var timer = _time.CreateTimer(_ => fired.Add(_scheduler.Clock), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));
        _scheduler.AdvanceTo(15 * Ms);

        Assert.True(timer.Change(TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan));
        _scheduler.AdvanceTo(1000 * Ms);

        Assert.Equal([10 * Ms, 115 * Ms], fired);
    }

    [Fact]
    public void Change_ToInfinite_StopsTheTimerUntilChangedAgain()
    {
        var fired = new List<long>();
        var timer = _time.CreateTimer(_ => fired.Add(_scheduler.Clock), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));
        _scheduler.AdvanceTo(25 * Ms);

        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _scheduler.AdvanceTo(500 * Ms);
        timer.Change(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        _scheduler.AdvanceTo(1000 * Ms);

        Assert.Equal([10 * Ms, 20 * Ms, 501 * Ms], fired);
    }

    [Fact]
    public void Change_FromItsOwnCallback_ReplacesThePeriodicFiring()
    {
        var fired = new List<long>();
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            fired.Add(_scheduler.Clock);
            timer!.Change(TimeSpan.FromMilliseconds(fired.Count * 100), Timeout.InfiniteTimeSpan);   // a back-off
        }, null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));

        _scheduler.AdvanceTo(700 * Ms);

        Assert.Equal([10 * Ms, 110 * Ms, 310 * Ms, 610 * Ms], fired);
    }

    [Fact]
    public void Dispose_BeforeTheDueTime_CancelsTheFiringAndLaterChangesReturnFalse()
    {
        var fired = new List<long>();
        var timer = _time.CreateTimer(_ => fired.Add(_scheduler.Clock), null, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));
        _scheduler.AdvanceTo(15 * Ms);

        timer.Dispose();
        timer.Dispose();
        _scheduler.AdvanceTo(1000 * Ms);

        Assert.Equal([10 * Ms], fired);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        _scheduler.Start();
        Assert.Equal(1000 * Ms, _scheduler.Clock);   // nothing left queued that would fire
    }

    [Fact]
    public async Task DisposeAsync_BeforeTheDueTime_CancelsTheFiring()
    {
        bool fired = false;
        var timer = _time.CreateTimer(_ => fired = true, null, TimeSpan.FromMilliseconds(10), Timeout.InfiniteTimeSpan);

        await timer.DisposeAsync();
        _scheduler.AdvanceTo(1000 * Ms);

        Assert.False(fired);
    }

    [Fact]
    public void CreateTimer_NegativeDueTime_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _time.CreateTimer(_ => { }, null, TimeSpan.FromMilliseconds(-2), Timeout.InfiniteTimeSpan));
        Assert.Throws<ArgumentOutOfRangeException>(() => _time.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromTicks(-1)));
        Assert.Throws<ArgumentNullException>(() => _time.CreateTimer(null!, null, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void CreateTimer_AsyncLocalSetByTheCreator_IsSeenByTheCallback()
    {
        var local = new AsyncLocal<string>();
        string? seen = null;
        local.Value = "creator";
        using var timer = _time.CreateTimer(_ => seen = local.Value, null, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        local.Value = "changed later";

        _scheduler.AdvanceTo(1 * Ms);

        Assert.Equal("creator", seen);
    }

    [Fact]
    public void CancellationTokenSource_WithADelay_CancelsAtThatVirtualTick()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        long? canceledAt = null;
        cts.Token.Register(() => canceledAt = _scheduler.Clock);

        _scheduler.AdvanceTo(30_000 * Ms - 1);
        Assert.False(cts.IsCancellationRequested);
        _scheduler.AdvanceTo(30_000 * Ms);

        Assert.True(cts.IsCancellationRequested);
        Assert.Equal(30_000 * Ms, canceledAt);
    }

    [Fact]
    public void CancellationTokenSource_CancelAfterAgain_MovesTheCancellation()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), _time);
        _scheduler.AdvanceTo(10_000 * Ms);

        cts.CancelAfter(TimeSpan.FromSeconds(5));
        _scheduler.AdvanceTo(14_999 * Ms);
        Assert.False(cts.IsCancellationRequested);
        _scheduler.AdvanceTo(15_000 * Ms);

        Assert.True(cts.IsCancellationRequested);
    }

    [Fact]
    public void TaskDelay_OnTheProvider_CompletesAtItsVirtualTickAndNotBefore()
    {
        var delay = Task.Delay(TimeSpan.FromMilliseconds(250), _time, TestContext.Current.CancellationToken);

        _scheduler.AdvanceTo(250 * Ms - 1);
        Assert.False(delay.IsCompleted);
        _scheduler.AdvanceTo(250 * Ms);

        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void TaskDelay_CanceledBeforeItsTick_IsCanceledAndLeavesNothingQueued()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var delay = Task.Delay(TimeSpan.FromMilliseconds(250), _time, cts.Token);
        _scheduler.AdvanceTo(100 * Ms);

        cts.Cancel();

        Assert.True(delay.IsCanceled);
        _scheduler.Start();
        Assert.Equal(100 * Ms, _scheduler.Clock);
    }

    [Fact]
    public void WaitAsync_OnTheProvider_TimesOutAtItsVirtualTick()
    {
        var never = new TaskCompletionSource();
        var bounded = never.Task.WaitAsync(TimeSpan.FromSeconds(2), _time, TestContext.Current.CancellationToken);

        _scheduler.AdvanceTo(2000 * Ms - 1);
        Assert.False(bounded.IsCompleted);
        _scheduler.AdvanceTo(2000 * Ms);

        Assert.IsType<TimeoutException>(bounded.Exception?.InnerException);
    }

    [Fact]
    public void ToTimeProvider_NullScheduler_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ((IScheduler)null!).ToTimeProvider());
        Assert.Same(_scheduler, new SchedulerTimeProvider(_scheduler).Scheduler);
    }
}
