using System.Reactive.Concurrency;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Sockets.Specs;

/// <summary>The socket reactor survives a callback that throws on its event-loop thread: the failure is logged with
/// its source through <see cref="TcpOptions.LoggerFactory"/> and later callbacks still run. A timer cancelled long
/// before it is due leaves the reactor's queue at once, and so does everything its callback holds.</summary>
public sealed class SocketReactorSpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CallLater_CallbackThrows_IsLoggedWithItsSourceAndALaterCallStillRuns()
    {
        using var logs = new FakeLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        using var reactor = new SocketReactor(TcpOptions.Default with { LoggerFactory = loggerFactory });
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        reactor.CallLater(TimeSpan.Zero, () => throw new InvalidOperationException("boom"));
        reactor.CallLater(TimeSpan.Zero, later.SetResult); // queued behind the failing one on the same thread

        await later.Task.WaitAsync(Timeout, TestContext.Current.CancellationToken);
        var entry = Assert.Single(logs.Collector.GetSnapshot(), r => r.Category == "RxNet.Reactor");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("boom", entry.Exception?.Message);
        Assert.Contains("(CallLater(00:00:00) ", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallLater_CancelledLongBeforeItIsDue_LeavesTheQueueAndLetsItsOwnerBeCollected()
    {
        using var reactor = new SocketReactor();
        var (call, owner) = CallLaterOwnedBy(reactor, TimeSpan.FromSeconds(20)); // a WebSocket's keep-alive
        Assert.Equal(1, reactor.QueuedWork);

        call.Dispose();

        Assert.Equal(0, reactor.QueuedWork);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(owner.TryGetTarget(out _));
    }

    [Fact]
    public void Schedule_AbsoluteTimeOnADisposedReactor_ThrowsAtTheCallerAndQueuesNothing()
    {
        var reactor = new SocketReactor();
        reactor.Scheduler.Schedule(TimeSpan.FromMinutes(5), () => { });
        reactor.Dispose();

        // Rx's EventLoopScheduler parked a far absolute time on a process-wide queue that later called the disposed
        // scheduler from a pool thread, where the exception ended the process.
        Assert.Throws<ObjectDisposedException>(() => reactor.Scheduler.Schedule(reactor.Scheduler.Now.AddMinutes(5), () => { }));
        Assert.Equal(0, reactor.QueuedWork);
    }

    // Not inlined, so no local of the caller keeps the owner alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (IDisposable Call, WeakReference<object> Owner) CallLaterOwnedBy(SocketReactor reactor, TimeSpan delay)
    {
        var owner = new object();
        IDisposable call = reactor.CallLater(delay, () => GC.KeepAlive(owner));
        return (call, new WeakReference<object>(owner));
    }
}
