using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Testing.Specs.Helpers;

/// <summary>
/// One-call connections: both ends at once, with the scheduler stopped at the exact tick of the connect,
/// nothing later run, and the one-connection listener gone afterwards.
/// </summary>
public sealed class ConnectPairSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    private readonly TestScheduler _scheduler = new();

    [Fact]
    public void ConnectPair_FiveMillisecondLink_ReturnsBothEndsWithTheSchedulerStoppedAtFiveMilliseconds()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(5) });
        bool laterWorkRan = false;
        _scheduler.ScheduleAbsolute(6 * Ms, () => laterWorkRan = true);

        using var pair = network.ConnectPair();

        Assert.Equal(5 * Ms, _scheduler.Clock);
        Assert.False(laterWorkRan, "work due after the connect must not have run");
        Assert.Equal(pair.Server.LocalEndPoint, pair.Client.RemoteEndPoint);
        Assert.Equal(pair.Client.LocalEndPoint, pair.Server.RemoteEndPoint);
        Assert.Equal("server", Assert.IsType<DnsEndPoint>(pair.Client.RemoteEndPoint).Host);
    }

    [Fact]
    public void ConnectPair_ClientWritesAtTheConnectTick_ServerReceivesItOneLatencyLater()
    {
        var network = new SimulatedNetwork(_scheduler);
        network.Link("client", "server", new LinkOptions { Latency = TimeSpan.FromMilliseconds(5) });
        var (client, server) = network.ConnectPair();
        var received = server.Input.RecordText(_scheduler);

        client.Output.OnNext("hi"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal([OnNext(10 * Ms, "hi"), OnCompleted<string>(10 * Ms)], received.Messages);
    }

    [Fact]
    public void ConnectPair_TwiceOnTheSamePort_SucceedsBecauseTheFirstListenerIsGone()
    {
        var network = new SimulatedNetwork(_scheduler);

        using var first = network.ConnectPair(port: 8000);
        long firstAt = _scheduler.Clock;
        using var second = network.ConnectPair(port: 8000);

        Assert.Equal(1 * Ms, firstAt);
        Assert.Equal(2 * Ms, _scheduler.Clock);
        Assert.Equal(new DnsEndPoint("server", 8000), second.Server.LocalEndPoint);
        Assert.NotEqual(first.Client.LocalEndPoint, second.Client.LocalEndPoint);
    }

    [Fact]
    public void ConnectPair_PortAlreadyListenedOn_ThrowsIOException()
    {
        var network = new SimulatedNetwork(_scheduler);
        using var listening = network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen().Subscribe(_ => { });

        Assert.Throws<IOException>(() => network.ConnectPair(port: 8000));
    }

    [Fact]
    public void ConnectPair_AcrossAPartition_ThrowsTimeoutAtTheConnectTimeout()
    {
        var network = new SimulatedNetwork(_scheduler) { ConnectTimeout = TimeSpan.FromSeconds(3) };
        network.Partition("client", "server");

        Assert.Throws<TimeoutException>(() => network.ConnectPair());
        Assert.Equal(TimeSpan.FromSeconds(3).Ticks, _scheduler.Clock);
    }

    [Fact]
    public void ConnectPair_InsideAScheduledAction_ThrowsInvalidOperation()
    {
        var network = new SimulatedNetwork(_scheduler);
        Exception? error = null;
        _scheduler.Schedule(() => error = Record.Exception(() => network.ConnectPair()));

        _scheduler.Start();

        Assert.IsType<InvalidOperationException>(error);
    }

    [Fact]
    public void ConnectTo_EchoServer_ClientGetsTheEchoAndTheCloseTwoLatenciesAfterItsWrite()
    {
        var network = new SimulatedNetwork(_scheduler);

        var client = network.ConnectTo(server => server.Input.Subscribe(server.Output));
        var echoed = client.Input.RecordText(_scheduler);
        client.Output.OnNext("hello"u8.ToArray());
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal(1 * Ms, Assert.Single(network.Trace, e => e.Kind == NetworkEventKind.Connect).Ticks);
        Assert.Equal([OnNext(3 * Ms, "hello"), OnCompleted<string>(3 * Ms)], echoed.Messages);
    }

    [Fact]
    public void ConnectTo_HandlerThrows_ThrowsItFromTheCallAndResetsTheClient()
    {
        var network = new SimulatedNetwork(_scheduler);
        var boom = new InvalidOperationException("boom");

        var thrown = Assert.Throws<InvalidOperationException>(() => network.ConnectTo(_ => throw boom));

        _scheduler.Start();

        Assert.Same(boom, thrown);
        Assert.Contains(network.Trace, e => e.Kind == NetworkEventKind.Reset && e.To.StartsWith("client:", StringComparison.Ordinal));
    }

    [Fact]
    public void ConnectPair_Dispose_AbortsBothEnds()
    {
        var network = new SimulatedNetwork(_scheduler);
        var pair = network.ConnectPair();
        var clientClosed = pair.Client.Closed.Select(c => c.Reason).Record(_scheduler);
        var serverClosed = pair.Server.Closed.Select(c => c.Reason).Record(_scheduler);

        pair.Dispose();
        _scheduler.Start();

        Assert.Equal([OnNext(1 * Ms, ConnectionCloseReason.Aborted), OnCompleted<ConnectionCloseReason>(1 * Ms)], clientClosed.Messages);
        Assert.Equal([OnNext(1 * Ms, ConnectionCloseReason.Aborted), OnCompleted<ConnectionCloseReason>(1 * Ms)], serverClosed.Messages);
    }
}
