using System.Net;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Policies;

/// <summary>
/// <c>LimitConnections</c> on a simulated server: hosts connect over the default link (1 ms latency), so each
/// connection is accepted (or refused) 1 ms after its attempt, and a refused client sees the reset 1 ms later.
/// </summary>
public sealed class ConnectionLimitSpecs : IDisposable
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly List<IConnection> _accepted = [];
    private IDisposable? _listening;

    public ConnectionLimitSpecs() => _network = new SimulatedNetwork(_scheduler);

    public void Dispose() => _listening?.Dispose();

    [Fact]
    public void LimitConnections_SixthFromOnePeer_IsRefusedWhileAnotherPeerIsAdmitted()
    {
        var limiter = new ConnectionLimiter(maxConnections: 100);
        var events = limiter.Events.Record(_scheduler);
        Listen(limiter);

        var alice = Enumerable.Range(0, 6).Select(_ => Connect("alice")).ToList();
        var bob = Connect("bob");
        _scheduler.Start();

        Assert.Equal(6, _accepted.Count);
        Assert.Equal(["alice", "alice", "alice", "alice", "alice", "bob"], _accepted.Select(c => ((DnsEndPoint)c.RemoteEndPoint!).Host));
        Assert.All(alice.Take(5), client => Assert.Empty(client.Messages));
        var refused = Assert.Single(alice[5].Messages);
        Assert.Equal(2 * Ms, refused.Time);                 // aborted at the accept (1 ms), the reset crosses the link
        Assert.IsType<ConnectionResetException>(refused.Value.Exception);
        Assert.Empty(bob.Messages);
        Assert.Equal((6, 1L, 6L), (limiter.OpenConnections, limiter.Refused, limiter.Admitted));
        Assert.Equal(5, limiter.OpenConnectionsFrom(new DnsEndPoint("alice", 1234)));
        Assert.Equal(1, limiter.OpenConnectionsFrom(new DnsEndPoint("bob", 1)));
        Assert.Equal(
            [.. Enumerable.Range(1, 5).Select(n => (ConnectionLimitEventKind.Admitted, "alice", n, n)),
             (ConnectionLimitEventKind.RefusedPerPeer, "alice", 5, 5),
             (ConnectionLimitEventKind.Admitted, "bob", 6, 1)],
            events.Messages.Select(m => m.Value.Value).Select(e => (e.Kind, e.PeerKey, e.OpenConnections, e.OpenConnectionsFromPeer)));
        Assert.All(events.Messages, m => Assert.Equal(1 * Ms, m.Time));
    }

    [Fact]
    public void LimitConnections_FloodFromOnePeerAndFromMany_RefusalsAreCountedInTheMetrics()
    {
        using var meters = new IsolatedMeterFactory();
        using var refused = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(meters, RxNetMetrics.MeterName, RxNetMetrics.ConnectionsRefused);
        var limiter = new ConnectionLimiter(maxConnections: 10, meterFactory: meters);
        Listen(limiter);

        var flood = Enumerable.Range(0, 8).Select(_ => Connect("mallory")).ToList();        // 5 admitted, 3 refused per peer
        var many = Enumerable.Range(0, 8).Select(i => Connect($"host{i}")).ToList();       // 5 more admitted, 3 refused in total
        _scheduler.Start();

        Assert.Equal(10, _accepted.Count);
        Assert.Equal(
            ["peer_limit", "peer_limit", "peer_limit", "total_limit", "total_limit", "total_limit"],
            refused.GetMeasurementSnapshot().Select(m => (string)m.Tags[RxNetMetrics.ReasonTag]!));
        Assert.All(flood.Take(5).Concat(many.Take(5)), client => Assert.Empty(client.Messages)); // the admitted are served on
    }

    [Fact]
    public void LimitConnections_FreedSlot_AdmitsThatPeerAgain()
    {
        var limiter = new ConnectionLimiter(maxConnectionsPerPeer: 2);
        var events = limiter.Events.Record(_scheduler);
        Listen(limiter, echoAndCloseWithThePeer: true);
        var clients = new List<IConnection>();
        for (int i = 0; i < 2; i++)
            _network.Host("alice").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe(c =>
            {
                clients.Add(c);
                c.Input.Subscribe(_ => { }, _ => { });
            });
        _scheduler.AdvanceTo(10 * Ms);
        var refusedBefore = Connect("alice");
        _scheduler.AdvanceTo(20 * Ms);

        clients[0].Output.OnCompleted();                     // FIN at 20 ms; the server answers, releasing at 21 ms
        _scheduler.AdvanceTo(30 * Ms);
        var admittedAfter = Connect("alice");
        _scheduler.Start();

        Assert.IsType<ConnectionResetException>(Assert.Single(refusedBefore.Messages).Value.Exception);
        Assert.Empty(admittedAfter.Messages);
        Assert.Equal(
            [(10 * Ms + 1 * Ms, ConnectionLimitEventKind.RefusedPerPeer, 2),
             (21 * Ms + 1, ConnectionLimitEventKind.Released, 1),
             (31 * Ms, ConnectionLimitEventKind.Admitted, 2)],
            events.Messages.Skip(2).Select(m => (m.Time, m.Value.Value.Kind, m.Value.Value.OpenConnectionsFromPeer)));
        Assert.Equal((2, 1L, 3L), (limiter.OpenConnections, limiter.Refused, limiter.Admitted));
    }

    [Fact]
    public void LimitConnections_TotalReached_RefusesAnyPeerUntilOneCloses()
    {
        var limiter = new ConnectionLimiter(maxConnections: 2);
        var events = limiter.Events.Select(e => (e.Kind, e.PeerKey)).Record(_scheduler);
        Listen(limiter);

        Connect("alice");
        Connect("bob");
        var carol = Connect("carol");
        _scheduler.AdvanceTo(5 * Ms);
        _accepted[0].Dispose();                              // alice's slot is freed at 5 ms
        var carolAgain = Connect("carol");
        _scheduler.Start();

        Assert.IsType<ConnectionResetException>(Assert.Single(carol.Messages).Value.Exception);
        Assert.Empty(carolAgain.Messages);
        Assert.Equal([
            OnNext(1 * Ms, (ConnectionLimitEventKind.Admitted, "alice")),
            OnNext(1 * Ms, (ConnectionLimitEventKind.Admitted, "bob")),
            OnNext(1 * Ms, (ConnectionLimitEventKind.RefusedTotal, "carol")),
            OnNext(5 * Ms, (ConnectionLimitEventKind.Released, "alice")),
            OnNext(6 * Ms, (ConnectionLimitEventKind.Admitted, "carol"))], events.Messages);
    }

    [Fact]
    public void LimitConnections_PoliteRefusal_PeerReadsTheMessageThenTheClose()
    {
        var limiter = new ConnectionLimiter(maxConnectionsPerPeer: 1);
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .LimitConnections(limiter, refused =>
            {
                refused.Output.OnNext("busy, try later\r\n"u8.ToArray());
                refused.Output.OnCompleted();
                refused.Input.Subscribe(_ => { }, _ => { });
            })
            .Subscribe(c => c.Input.Subscribe(_ => { }, _ => { }));

        var first = Connect("alice");
        var second = _network.Host("alice").Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect()
            .SelectMany(c => c.Input.Finally(c.Output.OnCompleted)).Select(chunk => System.Text.Encoding.ASCII.GetString(chunk.Span))
            .Record(_scheduler);
        _scheduler.Start();

        Assert.Empty(first.Messages);
        Assert.Equal([OnNext(2 * Ms, "busy, try later\r\n"), OnCompleted<string>(2 * Ms)], second.Messages);
        Assert.Equal((1, 1L), (limiter.OpenConnections, limiter.Refused));
    }

    [Fact]
    public void LimitConnections_WithCounts_UsesTwistedsPerPeerDefaultOfFive()
    {
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .LimitConnections(maxConnections: int.MaxValue)
            .Subscribe(_accepted.Add);

        var clients = Enumerable.Range(0, 7).Select(_ => Connect("alice")).ToList();
        _scheduler.Start();

        Assert.Equal(ConnectionLimiter.DefaultMaxConnectionsPerPeer, _accepted.Count);
        Assert.Equal(2, clients.Count(c => c.Messages.Count == 1));
    }

    [Fact]
    public void ConnectionLimiter_DefaultPeerKey_IsTheAddressWithoutThePort()
    {
        Assert.Equal("10.0.0.1", ConnectionLimiter.DefaultPeerKey(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1000)));
        Assert.Equal("10.0.0.1", ConnectionLimiter.DefaultPeerKey(new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.1"), 2000)));
        Assert.Equal("::1", ConnectionLimiter.DefaultPeerKey(new IPEndPoint(IPAddress.IPv6Loopback, 3000)));
        Assert.Equal("alice", ConnectionLimiter.DefaultPeerKey(new DnsEndPoint("Alice", 4000)));
        Assert.Equal("", ConnectionLimiter.DefaultPeerKey(null));
    }

    [Fact]
    public void ConnectionLimiter_CustomPeerKey_CountsPeersTogether()
    {
        var limiter = new ConnectionLimiter(maxConnectionsPerPeer: 2, peerKey: _ => "everyone");
        Listen(limiter);

        Connect("alice");
        Connect("bob");
        var carol = Connect("carol");
        _scheduler.Start();

        Assert.Equal(2, _accepted.Count);
        Assert.Single(carol.Messages);
    }

    [Fact]
    public void ConnectionLimiter_InvalidLimits_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimiter(maxConnections: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConnectionLimiter(maxConnectionsPerPeer: 0));
    }

    private void Listen(ConnectionLimiter limiter, bool echoAndCloseWithThePeer = false) =>
        _listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .LimitConnections(limiter)
            .Subscribe(connection =>
            {
                _accepted.Add(connection);
                if (echoAndCloseWithThePeer)
                    connection.Input.Subscribe(connection.Output);
                else
                    connection.Input.Subscribe(_ => { }, _ => { });
            });

    /// <summary>Connects from <paramref name="host"/> and records the client's input (a refused one fails with a reset).</summary>
    private ITestableObserver<ReadOnlyMemory<byte>> Connect(string host)
    {
        var observer = _scheduler.CreateObserver<ReadOnlyMemory<byte>>();
        _network.Host(host).Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe(c => c.Input.Subscribe(observer));
        return observer;
    }
}
