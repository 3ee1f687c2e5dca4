using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Runtime.CompilerServices;
using RxNet.Sockets.Internal;
using Xunit;

namespace RxNet.Sockets.Specs.Internal;

/// <summary>
/// The socket reactor's event loop keeps <c>EventLoopScheduler</c>'s contract (one thread, immediate work in order,
/// timers by due time, periodic work, dispose) and drops a disposed timer at once. Its monotonic clock is frozen
/// and moved by hand here, so no spec depends on how fast the machine runs; waits are bounded by a safety timeout
/// only.
/// </summary>
public sealed class ReactorLoopSpecs : IDisposable
{
    private static readonly TimeSpan SafetyBound = TimeSpan.FromSeconds(30);
    private readonly ReactorLoop _loop;
    private long _now;

    public ReactorLoopSpecs() => _loop = new ReactorLoop("spec loop", () => Volatile.Read(ref _now));

    public void Dispose() => _loop.Dispose();

    [Fact]
    public async Task Schedule_ImmediateWork_RunsInOrderOnTheLoopsOwnThread()
    {
        var runs = new ConcurrentQueue<(int Index, Thread Thread)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        for (int i = 0; i < 200; i++)
            _loop.Schedule(i, (_, index) => Record(runs, index));
        _loop.Schedule(() => done.SetResult());
        await Wait(done.Task);

        Assert.Equal(Enumerable.Range(0, 200), runs.Select(r => r.Index));
        Thread loopThread = runs.First().Thread;
        Assert.All(runs, r => Assert.Same(loopThread, r.Thread));
        Assert.Equal("spec loop", loopThread.Name);
        Assert.NotSame(Thread.CurrentThread, loopThread);
    }

    [Fact]
    public async Task Schedule_TimersQueuedInAnyOrder_RunByDueTimeTiesInTheOrderQueued()
    {
        var order = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _loop.Schedule(TimeSpan.FromTicks(30), () => order.Enqueue("30"));
        _loop.Schedule(TimeSpan.FromTicks(10), () => order.Enqueue("10a"));
        _loop.Schedule(TimeSpan.FromTicks(20), () => order.Enqueue("20"));
        _loop.Schedule(TimeSpan.FromTicks(10), () => order.Enqueue("10b"));
        _loop.Schedule(TimeSpan.FromTicks(40), () => done.SetResult());
        Assert.Equal(5, _loop.Count); // the clock stands still: nothing is due yet
        Volatile.Write(ref _now, 100);
        await Wait(done.Task);

        Assert.Equal(new[] { "10a", "10b", "20", "30" }, order);
        Assert.Equal(0, _loop.Count);
    }

    [Fact]
    public async Task Schedule_AbsoluteDueTime_RunsOnceTheLoopsClockReachesIt()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        _loop.Schedule(_loop.Now.AddHours(1), () => done.SetResult());
        Assert.Equal(1, _loop.Count);
        // Moved by hand, the clock does not wake a loop that waits for its next due time (an hour ahead here); a real
        // clock would reach it. Immediate work wakes the loop, and one more turn lets that work finish before counting.
        Volatile.Write(ref _now, TimeSpan.FromHours(2).Ticks);
        _loop.Schedule(() => { });
        await Wait(done.Task);
        await Wait(NextTurn());

        Assert.Equal(0, _loop.Count);
    }

    [Fact]
    public void Dispose_TimerFarInTheFuture_LetsItsCapturedOwnerBeCollectedAtOnce()
    {
        var (timer, owner) = ScheduleOwnedTimer(_loop, TimeSpan.FromDays(1));
        Assert.Equal(1, _loop.Count);

        timer.Dispose();

        Assert.Equal(0, _loop.Count);
        Collect();
        Assert.False(owner.TryGetTarget(out _));
    }

    [Fact]
    public async Task Dispose_ImmediateWorkNotYetRun_NeverRunsAndLetsItsOwnerGo()
    {
        using var holding = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Schedule(() =>
        {
            entered.SetResult();
            holding.Wait(); // the loop is busy: the next item stays queued behind this one
        });
        await Wait(entered.Task);
        var (queued, owner) = ScheduleOwnedTimer(_loop, TimeSpan.Zero);

        queued.Dispose();
        Collect();
        holding.Set();
        _loop.Schedule(() => done.SetResult());
        await Wait(done.Task);

        Assert.False(owner.TryGetTarget(out _)); // collected, so its action never ran (it would have kept it)
    }

    [Fact]
    public async Task Dispose_ItemThatAlreadyRan_DisposesWhatItsActionReturned()
    {
        var returned = new BooleanDisposable();
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable item = _loop.Schedule(0, (_, _) =>
        {
            ran.SetResult();
            return returned;
        });
        await Wait(ran.Task);
        Assert.False(returned.IsDisposed);

        item.Dispose();

        Assert.True(returned.IsDisposed);
    }

    [Fact]
    public void SchedulePeriodic_ClockMovesPeriodByPeriod_RunsOncePerPeriodThreadingItsStateUntilDisposed()
    {
        var states = new BlockingCollection<int>();
        IDisposable periodic = _loop.SchedulePeriodic(0, TimeSpan.FromTicks(10), state =>
        {
            states.Add(state);
            return state + 1;
        });

        for (int period = 1; period <= 3; period++)
        {
            Volatile.Write(ref _now, period * 10);
            Assert.True(states.TryTake(out int state, (int)SafetyBound.TotalMilliseconds, TestContext.Current.CancellationToken));
            Assert.Equal(period - 1, state);
        }
        Assert.Equal(1, _loop.Count); // the fourth run, queued before the third ran
        periodic.Dispose();

        Assert.Equal(0, _loop.Count);
        Assert.Empty(states);
    }

    [Fact]
    public void Schedule_AfterDispose_ThrowsAtTheCallerForRelativeAndAbsoluteDueTimes()
    {
        _loop.Schedule(TimeSpan.FromDays(1), () => { });
        _loop.Dispose();

        Assert.Equal(0, _loop.Count); // queued work is dropped
        Assert.Throws<ObjectDisposedException>(() => _loop.Schedule(TimeSpan.FromSeconds(1), () => { }));
        Assert.Throws<ObjectDisposedException>(() => _loop.Schedule(_loop.Now.AddMinutes(1), () => { }));
        Assert.Throws<ObjectDisposedException>(() => _loop.SchedulePeriodic(0, TimeSpan.FromSeconds(1), state => state));
    }

    [Fact]
    public void GetService_PeriodicAndStopwatch_AreTheLoopItself()
    {
        Assert.Same(_loop, _loop.AsPeriodic());
        Assert.Same(_loop, _loop.AsStopwatchProvider());
        Assert.Null(_loop.AsLongRunning());

        IStopwatch stopwatch = _loop.StartStopwatch();
        Volatile.Write(ref _now, 25);

        Assert.Equal(TimeSpan.FromTicks(25), stopwatch.Elapsed);
    }

    private static IDisposable Record(ConcurrentQueue<(int, Thread)> runs, int index)
    {
        runs.Enqueue((index, Thread.CurrentThread));
        return Disposable.Empty;
    }

    // Not inlined, so no local of the caller keeps the owner alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (IDisposable Timer, WeakReference<object> Owner) ScheduleOwnedTimer(ReactorLoop loop, TimeSpan due)
    {
        var owner = new object();
        IDisposable timer = loop.Schedule(owner, due, static (_, captured) =>
        {
            GC.KeepAlive(captured);
            return Disposable.Empty;
        });
        return (timer, new WeakReference<object>(owner));
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private Task NextTurn()
    {
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Schedule(() => turn.SetResult());
        return turn.Task;
    }

    private static Task Wait(Task task) => task.WaitAsync(SafetyBound, TestContext.Current.CancellationToken);
}
