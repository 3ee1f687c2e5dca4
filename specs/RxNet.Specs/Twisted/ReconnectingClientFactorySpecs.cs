using System.Net;
using Microsoft.Reactive.Testing;
using RxNet.Twisted;
using RxNet.Specs.Policies;
using Xunit;

namespace RxNet.Specs.Twisted;

/// <summary>
/// Twisted's <see cref="ReconnectingClientFactory"/> on a simulated host: it retries refused and lost
/// connections at the ticks of Twisted's schedule, abandons after <c>MaxRetries</c>, stops on
/// <c>StopTrying</c>, and starts over on <c>ResetDelay</c> (and only then, as in Twisted).
/// </summary>
public sealed class ReconnectingClientFactorySpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long S = TimeSpan.TicksPerSecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public ReconnectingClientFactorySpecs() => _network = new SimulatedNetwork(_scheduler);

    private IReactor Client => _network.Host("client").Reactor;

    [Fact]
    public void ReconnectingClientFactory_New_HasTwistedsDefaults()
    {
        var factory = new ReconnectingClientFactory(Client);

        Assert.Equal(TimeSpan.FromSeconds(1), factory.InitialDelay);
        Assert.Equal(2.7182818284590451, factory.Factor);
        Assert.Equal(TimeSpan.FromSeconds(3600), factory.MaxDelay);
        Assert.Equal(0.11962656472, factory.Jitter);
        Assert.Null(factory.MaxRetries);
        Assert.Equal(Backoff.Twisted, factory.Backoff);
        Assert.Equal(TimeSpan.FromSeconds(1), factory.Delay);
        Assert.Equal(0, factory.Retries);
        Assert.True(factory.ContinueTrying);
        Assert.Null(factory.Connector);
    }

    [Fact]
    public void ReconnectingClientFactory_ConnectRefused_RetriesAtTheTicksOfTwistedsSeededSchedule()
    {
        var factory = new RecordingFactory(_scheduler, new Random(7)) { MaxRetries = 8 };

        Client.ConnectTcp("server", 8000, factory);
        _scheduler.Start();

        long[] expected = TwistedSchedules.AttemptTicks(TwistedSchedules.FactoryDelays(new Random(7)), 8, 1 * Ms);
        Assert.Equal(expected, factory.Attempts);
        Assert.Equal(expected.Select(t => t + (1 * Ms)), factory.Failures);
        Assert.Equal(9, factory.Retries); // the ninth retry was the one abandoned
    }

    [Fact]
    public void ReconnectingClientFactory_NoJitter_RetriesAfterEThenESquaredThenECubedSeconds()
    {
        var factory = new RecordingFactory(_scheduler) { Jitter = 0, MaxRetries = 3 };

        Client.ConnectTcp("server", 8000, factory);
        _scheduler.Start();

        // e = 2.7182818 s, e² = 7.3890561 s, e³ = 20.0855369 s, each after a 1 ms refusal.
        Assert.Equal([0, 27_192_818, 101_093_379, 301_958_748], factory.Attempts);
        Assert.Equal(TimeSpan.FromTicks(200_855_369), factory.Delay);
    }

    [Fact]
    public void ReconnectingClientFactory_StopTryingDuringTheWait_NeverConnectsAgain()
    {
        var factory = new RecordingFactory(_scheduler) { Jitter = 0 };
        Client.ConnectTcp("server", 8000, factory, timeout: 5);
        _scheduler.AdvanceTo(1 * S);

        factory.StopTrying();
        _scheduler.Start();

        Assert.Equal([0], factory.Attempts);
        Assert.Equal(1 * S, _scheduler.Clock); // the retry due at 2.719 s was cancelled
        Assert.False(factory.ContinueTrying);
    }

    [Fact]
    public void ReconnectingClientFactory_StopTryingDuringARetry_CancelsThatAttempt()
    {
        _network.Partition("client", "server");
        var factory = new RecordingFactory(_scheduler) { Jitter = 0 };
        Client.ConnectTcp("server", 8000, factory, timeout: 5);
        _scheduler.AdvanceTo(8 * S); // timed out at 5 s; retrying since 5 s + e s = 7.718 s

        factory.StopTrying();
        _scheduler.Start();

        Assert.Equal([0, (5 * S) + 27_182_818], factory.Attempts);
        Assert.Equal([5 * S], factory.Failures);
        Assert.Equal(8 * S, _scheduler.Clock); // the retry's timeout, due at 12.718 s, is gone
    }

    [Fact]
    public void ReconnectingClientFactory_StopTryingDuringTheFirstAttempt_DoesNotRetryItsFailure()
    {
        // As in Twisted, the factory learns its connector from the first failure, so StopTrying cannot
        // cancel the first attempt; it only keeps it from being retried.
        _network.Partition("client", "server");
        var factory = new RecordingFactory(_scheduler);
        Client.ConnectTcp("server", 8000, factory, timeout: 5);
        _scheduler.AdvanceTo(1 * S);

        factory.StopTrying();
        _scheduler.Start();

        Assert.Equal([0], factory.Attempts);
        Assert.Equal([5 * S], factory.Failures);
        Assert.Null(factory.Connector);
    }

    [Fact]
    public void ReconnectingClientFactory_ResetDelayWhenConnected_WaitsTheFirstDelayAfterEachLoss()
    {
        var server = KillEveryConnection();
        var factory = new RecordingFactory(_scheduler, resetOnConnect: true) { Factor = 2, Jitter = 0 };

        Client.ConnectTcp("server", 8000, factory);
        _scheduler.AdvanceTo(10 * S);
        server.Dispose();

        // Each connection is made after 1 ms and reset 1 ms later; then 2 s, every time.
        Assert.Equal([1 * Ms, (2 * S) + (3 * Ms), (4 * S) + (5 * Ms), (6 * S) + (7 * Ms), (8 * S) + (9 * Ms)], factory.Connections);
        Assert.Equal(factory.Connections.Select(t => t + (1 * Ms)), factory.Losses);
    }

    [Fact]
    public void ReconnectingClientFactory_WithoutResetDelay_KeepsGrowingTheDelayAcrossConnections()
    {
        using var server = KillEveryConnection();
        var factory = new RecordingFactory(_scheduler) { Factor = 2, Jitter = 0, MaxRetries = 3 };

        Client.ConnectTcp("server", 8000, factory);
        _scheduler.Start();

        // Lost at 2 ms, then 2 s, 4 s and 8 s later, as in Twisted; the fourth loss abandons.
        Assert.Equal([1 * Ms, (2 * S) + (3 * Ms), (6 * S) + (5 * Ms), (14 * S) + (7 * Ms)], factory.Connections);
        Assert.Equal(4, factory.Retries);
    }

    [Fact]
    public void ReconnectingClientFactory_RetryWithoutAConnector_Throws()
    {
        var factory = new ReconnectingClientFactory(_scheduler);

        Assert.Throws<InvalidOperationException>(() => factory.Retry());
    }

    private IDisposable KillEveryConnection() =>
        _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(c => c.Dispose());

    /// <summary>Records the tick of every attempt, failure, connection and loss; optionally calls
    /// <c>ResetDelay()</c> when connected, as Twisted's documentation asks.</summary>
    private sealed class RecordingFactory(TestScheduler scheduler, Random? random = null, bool resetOnConnect = false)
        : ReconnectingClientFactory(scheduler, random)
    {
        public List<long> Attempts { get; } = [];

        public List<long> Failures { get; } = [];

        public List<long> Connections { get; } = [];

        public List<long> Losses { get; } = [];

        public override void StartedConnecting(IConnector connector) => Attempts.Add(scheduler.Clock);

        public override Protocol BuildProtocol(EndPoint? address)
        {
            Connections.Add(scheduler.Clock);
            if (resetOnConnect)
                ResetDelay();
            return new Quiet();
        }

        public override void ClientConnectionFailed(IConnector connector, Exception reason)
        {
            Failures.Add(scheduler.Clock);
            base.ClientConnectionFailed(connector, reason);
        }

        public override void ClientConnectionLost(IConnector connector, ConnectionClosed reason)
        {
            Losses.Add(scheduler.Clock);
            base.ClientConnectionLost(connector, reason);
        }
    }

    private sealed class Quiet : Protocol;
}
