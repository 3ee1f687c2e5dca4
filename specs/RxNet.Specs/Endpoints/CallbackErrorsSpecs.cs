using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RxNet.Specs.Fakes;
using RxNet.Twisted;
using Xunit;

namespace RxNet.Specs.Endpoints;

/// <summary>A reactor survives a callback that throws: the failure is logged with its source and the reactor
/// keeps running, as Twisted's does. Specified on the simulated reactor, in virtual time.</summary>
public sealed class CallbackErrorsSpecs : IDisposable
{
    private readonly LoggedReactor _logged = new();

    public void Dispose() => _logged.Dispose();

    [Fact]
    public void CallLater_CallbackThrows_IsLoggedWithItsSourceAndALaterCallStillRuns()
    {
        var boom = new InvalidOperationException("boom");
        long ranAt = -1;
        _logged.Reactor.CallLater(TimeSpan.FromSeconds(1), () => throw boom);
        _logged.Reactor.CallLater(TimeSpan.FromSeconds(2), () => ranAt = _logged.Scheduler.Clock);

        _logged.Scheduler.Start();

        Assert.Equal(TimeSpan.FromSeconds(2).Ticks, ranAt);
        var entry = Assert.Single(_logged.Logs.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("RxNet.Reactor", entry.Category);
        Assert.Same(boom, entry.Exception);
        Assert.StartsWith("A reactor callback failed (CallLater(00:00:01) ", entry.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(CallLater_CallbackThrows_IsLoggedWithItsSourceAndALaterCallStillRuns), entry.Message, StringComparison.Ordinal);
        Assert.Same(boom, Assert.Single(_logged.Network.CallbackErrors));
    }

    [Fact]
    public void Scheduler_WorkScheduledDirectlyThrows_IsLoggedAsScheduledWorkAndTheNextWorkRuns()
    {
        bool ran = false;
        _logged.Reactor.Scheduler.Schedule(TimeSpan.FromTicks(10), () => throw new InvalidOperationException("boom"));
        _logged.Reactor.Scheduler.Schedule(TimeSpan.FromTicks(10), () => ran = true);

        _logged.Scheduler.Start();

        Assert.True(ran);
        var entry = Assert.Single(_logged.Logs.Collector.GetSnapshot());
        Assert.Contains("(scheduled work)", entry.Message, StringComparison.Ordinal);
        Assert.Equal("boom", entry.Exception?.Message);
    }

    [Fact]
    public void ObserveOn_ObserverThrows_IsLoggedAndOtherWorkRuns()
    {
        bool ran = false;
        using var subscription = Observable.Return(1).ObserveOn(_logged.Reactor.Scheduler)
            .Subscribe(_ => throw new InvalidOperationException("observer"));
        _logged.Reactor.CallLater(TimeSpan.FromSeconds(1), () => ran = true);

        _logged.Scheduler.Start();

        Assert.True(ran);
        Assert.Equal("observer", Assert.Single(_logged.Network.CallbackErrors).Message);
    }

    [Fact]
    public void CatchAndLog_WrappedTwice_LogsOnce()
    {
        var logger = new FakeLogger();
        var scheduler = _logged.Scheduler.CatchAndLog(logger).CatchAndLog(logger);
        scheduler.Schedule(() => throw new InvalidOperationException("once"));

        _logged.Scheduler.Start();

        Assert.Equal(1, logger.Collector.Count);
    }

    [Fact]
    public void CatchAndLog_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => CallbackErrors.CatchAndLog(null!, new FakeLogger()));
        Assert.Throws<ArgumentNullException>(() => _logged.Scheduler.CatchAndLog(null!));
    }
}
