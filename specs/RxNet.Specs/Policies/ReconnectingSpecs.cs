using System.Reactive;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Policies;

/// <summary>
/// <see cref="ReconnectExtensions.Reconnecting"/> and <see cref="ReconnectExtensions.ReconnectStates"/> on a
/// simulated network: every attempt, wait and connection at the tick the back-off and the timing model say
/// (connecting takes one latency, 1 ms here; a refusal comes back after one latency too).
/// </summary>
public sealed class ReconnectingSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long S = TimeSpan.TicksPerSecond;

    /// <summary>Waits 2 s, 4 s, 8 s, 16 s, ... up to a minute, with no jitter: easy to add up by hand.</summary>
    private static readonly Backoff Doubling = new(TimeSpan.FromSeconds(1), 2, TimeSpan.FromSeconds(60));

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public ReconnectingSpecs() => _network = new SimulatedNetwork(_scheduler);

    private IClientEndpoint Endpoint => _network.Host("client").Reactor.ClientEndpoint("tcp:host=server:port=8000");

    [Fact]
    public void ReconnectStates_NobodyListens_ConnectsAndWaitsAtEachTickThenGivesUp()
    {
        var log = new StateLog(_scheduler);

        Endpoint.ReconnectStates(Doubling with { MaxRetries = 3 }, _scheduler).Subscribe(log);
        _scheduler.Start();

        Assert.Equal([
            (0, ReconnectStatus.Connecting, 0, 0),
            (1 * Ms, ReconnectStatus.WaitingToRetry, 1, 2 * S),
            ((2 * S) + (1 * Ms), ReconnectStatus.Connecting, 1, 0),
            ((2 * S) + (2 * Ms), ReconnectStatus.WaitingToRetry, 2, 4 * S),
            ((6 * S) + (2 * Ms), ReconnectStatus.Connecting, 2, 0),
            ((6 * S) + (3 * Ms), ReconnectStatus.WaitingToRetry, 3, 8 * S),
            ((14 * S) + (3 * Ms), ReconnectStatus.Connecting, 3, 0),
            ((14 * S) + (4 * Ms), ReconnectStatus.GaveUp, 4, 0)], log.States);
        Assert.IsType<ConnectionRefusedException>(log.Error);
        Assert.Equal((14 * S) + (4 * Ms), log.EndedAt);
    }

    [Fact]
    public void Reconnecting_RetriesUsedUp_FailsWithTheLastRefusalAtItsTick()
    {
        var connections = Endpoint.Reconnecting(Doubling with { MaxRetries = 3 }, _scheduler).Record(_scheduler);

        _scheduler.Start();

        var failure = Assert.Single(connections.Messages);
        Assert.Equal((14 * S) + (4 * Ms), failure.Time);
        Assert.IsType<ConnectionRefusedException>(failure.Value.Exception);
        Assert.Equal([1 * Ms, (2 * S) + (2 * Ms), (6 * S) + (3 * Ms), (14 * S) + (4 * Ms)], Ticks(NetworkEventKind.Refused));
    }

    [Fact]
    public void Reconnecting_TwistedPresetSeeded_RetriesWhenTwistedsFactoryWould()
    {
        var log = new StateLog(_scheduler);

        Endpoint.ReconnectStates(Backoff.Twisted with { MaxRetries = 12 }, _scheduler, new Random(2024)).Subscribe(log);
        _scheduler.Start();

        long[] expected = TwistedSchedules.AttemptTicks(TwistedSchedules.FactoryDelays(new Random(2024)), 12, 1 * Ms);
        Assert.Equal(expected, log.Ticks(ReconnectStatus.Connecting));
        Assert.Equal(expected[12] + (1 * Ms), log.EndedAt);
        Assert.IsType<ConnectionRefusedException>(log.Error);
    }

    [Fact]
    public void Reconnecting_ClientServicePresetSeeded_RetriesWhenClientServiceWould()
    {
        var log = new StateLog(_scheduler);

        Endpoint.ReconnectStates(Backoff.ClientService with { MaxRetries = 14 }, _scheduler, new Random(2024)).Subscribe(log);
        _scheduler.Start();

        long[] expected = TwistedSchedules.AttemptTicks(TwistedSchedules.ClientServiceDelays(new Random(2024)), 14, 1 * Ms);
        Assert.Equal(expected, log.Ticks(ReconnectStatus.Connecting));
        Assert.All(log.Delays.Skip(10), delay => Assert.InRange(delay, 60 * S, 61 * S)); // capped before the jitter
    }

    [Fact]
    public void Reconnecting_DelaysReachTheCap_NeverWaitLongerThanMaxDelay()
    {
        var log = new StateLog(_scheduler);

        Endpoint.ReconnectStates(new Backoff(TimeSpan.FromSeconds(1), 10, TimeSpan.FromSeconds(30)) { MaxRetries = 5 }, _scheduler).Subscribe(log);
        _scheduler.Start();

        Assert.Equal([10 * S, 30 * S, 30 * S, 30 * S, 30 * S], log.Delays);
        Assert.Equal([0, (10 * S) + (1 * Ms), (40 * S) + (2 * Ms), (70 * S) + (3 * Ms), (100 * S) + (4 * Ms), (130 * S) + (5 * Ms)],
            log.Ticks(ReconnectStatus.Connecting));
    }

    [Fact]
    public void Reconnecting_ServerRestarts_ReconnectsAndStartsTheScheduleOver()
    {
        var server = new RestartableServer(_network);
        server.Start();
        var connections = Endpoint.Reconnecting(Doubling, _scheduler).Do(ReadToTheEnd).Record(_scheduler);

        _scheduler.AdvanceTo(10 * S);
        server.Stop();              // the client sees the reset at 10.001 s, waits 2 s, is refused at 12.002 s,
        _scheduler.AdvanceTo(20 * S); // waits 4 s, is refused at 16.003 s, waits 8 s
        server.Start();
        _scheduler.AdvanceTo(30 * S);
        server.Abort();             // connected since 24.004 s: the schedule was reset, so 2 s again
        _scheduler.AdvanceTo(40 * S);

        Assert.Equal([1 * Ms, (24 * S) + (4 * Ms), (32 * S) + (2 * Ms)], connections.Messages.Select(m => m.Time));
        Assert.Equal([(12 * S) + (2 * Ms), (16 * S) + (3 * Ms)], Ticks(NetworkEventKind.Refused));
    }

    [Fact]
    public void Reconnecting_PartitionHeals_ConnectsAtTheFirstAttemptAfterwards()
    {
        _network.ConnectTimeout = TimeSpan.FromSeconds(5);
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(ReadToTheEnd);
        var log = new StateLog(_scheduler);
        using var loop = Endpoint.ReconnectStates(Doubling, _scheduler).Subscribe(log);
        _scheduler.AdvanceTo(10 * S);

        _network.Partition("client", "server");
        _network.Reset(log.Connections.Single());   // waits 2 s; the attempt at 12 s times out at 17 s; waits 4 s
        _scheduler.AdvanceTo(19 * S);
        _network.Heal("client", "server");
        _scheduler.AdvanceTo(30 * S);

        Assert.Equal([
            (0, ReconnectStatus.Connecting, 0, 0),
            (1 * Ms, ReconnectStatus.Connected, 0, 0),
            (10 * S, ReconnectStatus.WaitingToRetry, 1, 2 * S),
            (12 * S, ReconnectStatus.Connecting, 1, 0),
            (17 * S, ReconnectStatus.WaitingToRetry, 2, 4 * S),
            (21 * S, ReconnectStatus.Connecting, 2, 0),
            ((21 * S) + (1 * Ms), ReconnectStatus.Connected, 2, 0)], log.States);
        Assert.Equal(ConnectionCloseReason.Reset, log.Raw[2].Closed?.Reason);
        Assert.IsType<TimeoutException>(log.Raw[4].Error);
    }

    [Fact]
    public void Reconnecting_PeerClosesCleanly_ReconnectsAfterTheFirstDelay()
    {
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .Subscribe(c => c.Output.OnCompleted()); // hangs up at once
        var log = new StateLog(_scheduler) { OnConnected = ReadToTheEnd };
        using var loop = Endpoint.ReconnectStates(Doubling, _scheduler).Subscribe(log);

        _scheduler.AdvanceTo(5 * S);

        // Connected at 1 ms; the server's FIN arrives at 2 ms; the client's own FIN leaves in the next turn,
        // one tick later (ADR 0007), and the connection is closed then: wait 2 s, connect in 1 ms, again.
        Assert.Equal([(2 * Ms) + 1, (2 * S) + (4 * Ms) + 2, (4 * S) + (6 * Ms) + 3], log.Ticks(ReconnectStatus.WaitingToRetry));
        Assert.Equal([0, (2 * S) + (2 * Ms) + 1, (4 * S) + (4 * Ms) + 2], log.Ticks(ReconnectStatus.Connecting));
        Assert.Equal([2 * S, 2 * S, 2 * S], log.Delays);
        Assert.All(log.Raw.Where(s => s.Status == ReconnectStatus.WaitingToRetry), s => Assert.Equal(ConnectionCloseReason.PeerClose, s.Closed?.Reason));
    }

    [Fact]
    public void Reconnecting_NoRetriesAllowed_CompletesWhenTheConnectionIsLost()
    {
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(c => c.Dispose());
        var connections = Endpoint.Reconnecting(Doubling with { MaxRetries = 0 }, _scheduler).Do(ReadToTheEnd).Record(_scheduler);

        _scheduler.Start();

        Assert.Equal(2, connections.Messages.Count);
        Assert.Equal(1 * Ms, connections.Messages[0].Time);
        Assert.Equal(OnCompleted<IConnection>(2 * Ms), connections.Messages[1]);
    }

    [Fact]
    public void Reconnecting_DisposedWhileConnected_AbortsTheConnectionAndNeverReconnects()
    {
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(ReadToTheEnd);
        IConnection? connection = null;
        var loop = Endpoint.Reconnecting(Doubling, _scheduler).Subscribe(c => connection = c);
        _scheduler.AdvanceTo(5 * S);
        var closed = connection!.Closed.Select(c => c.Reason).Record(_scheduler);

        loop.Dispose();
        _scheduler.Start();

        Assert.Equal([OnNext(5 * S, ConnectionCloseReason.Aborted), OnCompleted<ConnectionCloseReason>(5 * S)], closed.Messages);
        Assert.Equal([1 * Ms], Ticks(NetworkEventKind.Connect));
        Assert.Equal([(5 * S) + (1 * Ms)], Ticks(NetworkEventKind.Reset)); // the server hears of it one latency later
    }

    [Fact]
    public void Reconnecting_DisposedWhileWaiting_LeavesNothingScheduled()
    {
        var loop = Endpoint.Reconnecting(Doubling, _scheduler).Subscribe(_ => { }, _ => { });
        _scheduler.AdvanceTo(1 * S);

        loop.Dispose();
        _scheduler.Start();

        Assert.Equal(1 * S, _scheduler.Clock);  // the retry due at 2.001 s is gone
        Assert.Equal([1 * Ms], Ticks(NetworkEventKind.Refused));
    }

    [Fact]
    public void Reconnecting_DisposedWhileConnecting_CancelsTheAttempt()
    {
        _network.Partition("client", "server");
        var loop = Endpoint.Reconnecting(Doubling, _scheduler).Subscribe(_ => { }, _ => { });
        _scheduler.AdvanceTo(10 * S);

        loop.Dispose();
        _scheduler.Start();

        Assert.Equal(10 * S, _scheduler.Clock); // the 30 s connect timeout never fired
        Assert.Equal([NetworkEventKind.Partitioned], _network.Trace.Select(e => e.Kind)); // no connect, no timeout
    }

    [Fact]
    public void Reconnecting_SubscriberThrowsOnAConnection_TheErrorReachesTheDelivererAndTheLoopEnds()
    {
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(ReadToTheEnd);
        var thrown = new InvalidOperationException("not today");
        using var loop = Endpoint.Reconnecting(Doubling, _scheduler).Subscribe(_ => throw thrown);

        // As with any Rx operator: the exception goes back up to the deliverer (here the simulated network's
        // connect, run by the scheduler) and the throwing subscriber is unsubscribed.
        Assert.Same(thrown, Assert.Throws<InvalidOperationException>(() => _scheduler.AdvanceTo(1 * S)));
        _scheduler.Stop();
        _scheduler.Start();

        Assert.Equal([1 * Ms], Ticks(NetworkEventKind.Connect));  // never reconnected
        Assert.Equal([2 * Ms], Ticks(NetworkEventKind.Reset));    // the connection was aborted: the server hears it
    }

    [Fact]
    public void ReconnectStates_ReplayedForWhenConnected_GiveTheNextConnectionOrTheCurrentOne()
    {
        var server = new RestartableServer(_network);
        var states = Endpoint.ReconnectStates(Doubling, _scheduler).Replay(1);
        using var running = states.Connect();
        IObservable<IConnection> WhenConnected() =>
            states.FirstAsync(s => s.Status == ReconnectStatus.Connected).Select(s => s.Connection!);

        var early = WhenConnected().Record(_scheduler); // refused at 1 ms and 2.002 s; listening from 3 s
        _scheduler.AdvanceTo(3 * S);
        server.Start();
        _scheduler.AdvanceTo(10 * S);
        var late = WhenConnected().Record(_scheduler);

        Assert.Equal((6 * S) + (3 * Ms), early.Messages[0].Time);
        Assert.Equal(10 * S, late.Messages[0].Time);
        Assert.Same(early.Messages[0].Value.Value, late.Messages[0].Value.Value);
        Assert.Equal(NotificationKind.OnCompleted, late.Messages[1].Value.Kind);
    }

    [Fact]
    public void ReconnectStates_ReplayedLoopGivesUp_WhenConnectedFailsWithTheLastError()
    {
        var states = Endpoint.ReconnectStates(Doubling with { MaxRetries = 1 }, _scheduler).Replay(1);
        using var running = states.Connect();

        var whenConnected = states.FirstAsync(s => s.Status == ReconnectStatus.Connected).Record(_scheduler);
        _scheduler.Start();

        var failure = Assert.Single(whenConnected.Messages);
        Assert.Equal((2 * S) + (2 * Ms), failure.Time);
        Assert.IsType<ConnectionRefusedException>(failure.Value.Exception);
    }

    private static void ReadToTheEnd(IConnection connection) =>
        connection.Input.Subscribe(_ => { }, _ => { }, connection.Output.OnCompleted);

    private long[] Ticks(NetworkEventKind kind) => [.. _network.Trace.Where(e => e.Kind == kind).Select(e => e.Ticks)];

    /// <summary>A server on port 8000 that can go down (unbind and abort its connections) and come back.</summary>
    private sealed class RestartableServer(SimulatedNetwork network)
    {
        private readonly List<IConnection> _accepted = [];
        private IDisposable? _listening;

        public void Start() => _listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(c =>
        {
            _accepted.Add(c);
            ReadToTheEnd(c);
        });

        public void Stop()
        {
            _listening?.Dispose();
            Abort();
        }

        public void Abort()
        {
            foreach (var connection in _accepted)
                connection.Dispose();
            _accepted.Clear();
        }
    }

    /// <summary>Records each state with its tick, and how the loop ended.</summary>
    private sealed class StateLog(TestScheduler scheduler) : IObserver<ReconnectState>
    {
        private readonly List<(long Ticks, ReconnectState State)> _states = [];

        public IReadOnlyList<ReconnectState> Raw => [.. _states.Select(s => s.State)];

        /// <summary>Tick, status, attempt and delay (in ticks) of each state.</summary>
        public IReadOnlyList<(long, ReconnectStatus, int, long)> States =>
            [.. _states.Select(s => (s.Ticks, s.State.Status, s.State.Attempt, s.State.Delay.Ticks))];

        public IEnumerable<IConnection> Connections => _states.Where(s => s.State.Connection is not null).Select(s => s.State.Connection!);

        /// <summary>Called with each connection as it is made.</summary>
        public Action<IConnection>? OnConnected { get; set; }

        public long[] Delays => [.. _states.Where(s => s.State.Status == ReconnectStatus.WaitingToRetry).Select(s => s.State.Delay.Ticks)];

        public Exception? Error { get; private set; }

        public long? EndedAt { get; private set; }

        public long[] Ticks(ReconnectStatus status) => [.. _states.Where(s => s.State.Status == status).Select(s => s.Ticks)];

        public void OnNext(ReconnectState value)
        {
            _states.Add((scheduler.Clock, value));
            if (value.Connection is { } connection)
                OnConnected?.Invoke(connection);
        }

        public void OnError(Exception error)
        {
            Error = error;
            EndedAt = scheduler.Clock;
        }

        public void OnCompleted() => EndedAt = scheduler.Clock;
    }
}
