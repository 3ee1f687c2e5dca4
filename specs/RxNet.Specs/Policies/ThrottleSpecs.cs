using System.Reactive.Concurrency;
using System.Reactive;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Policies;

/// <summary>
/// <c>Throttle</c> on a simulated network (default link: 1 ms latency, no bandwidth limit; connect at 1 ms).
/// A throttled direction passes slices of at most rate/10 bytes, the one ending with the n-th byte of a busy
/// period at exactly <c>start + ceil(n × 10 000 000 / rate)</c> ticks.
/// </summary>
public sealed class ThrottleSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long Second = TimeSpan.TicksPerSecond;

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public ThrottleSpecs() => _network = new SimulatedNetwork(_scheduler);

    [Fact]
    public void Throttle_ReadAt100BytesPerSecond_ThousandBytesArriveOverTenSecondsInTenthSecondSlices()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.Throttle(100, 0, _scheduler));
        var received = server!.Input.Select(chunk => chunk.Length).Record(_scheduler);

        client.Output.OnNext(new byte[1000]);                  // arrives whole at 2 ms
        client.Output.OnCompleted();
        _scheduler.Start();

        Assert.Equal([
            .. Enumerable.Range(1, 100).Select(k => OnNext(2 * Ms + k * 100 * Ms, 10)),
            OnCompleted<int>(2 * Ms + 10 * Second)], received.Messages);
    }

    [Fact]
    public void Throttle_ReadOnALinkThatCutsEveryWriteUp_NthByteArrivesAtExactlyNOverTheRate()
    {
        _network.Link("client", "server", new LinkOptions { MaxSegmentSize = 7 });
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.Throttle(250, 0, _scheduler));
        var received = server!.Input.Select(chunk => chunk.Length).Record(_scheduler);

        client.Output.OnNext(new byte[1000]);                  // 1000 bytes in pieces of 1 to 7, all at 2 ms
        _scheduler.Start();

        long total = 0;
        foreach (var message in received.Messages)
        {
            total += message.Value.Value;
            Assert.InRange(message.Value.Value, 1, 25);
            Assert.Equal(2 * Ms + (long)Math.Ceiling(total * Second / 250.0), message.Time);
        }
        Assert.Equal(1000, total);
        Assert.Equal(2 * Ms + 4 * Second, received.Messages[^1].Time);
    }

    [Fact]
    public void Throttle_WriteAt1000BytesPerSecond_PeerReceivesATenthOfASecondsWorthEveryTenthOfASecond()
    {
        var (client, server) = _network.ConnectPair();
        var throttled = client.Throttle(0, 1000, _scheduler);
        var received = server.Input.Select(chunk => chunk.Length).Record(_scheduler);

        throttled.Output.OnNext(new byte[500]);                // written at 1 ms
        throttled.Output.OnCompleted();
        Assert.Equal(500, throttled.Output.PendingBytes);
        _scheduler.Start();

        Assert.Equal([
            .. Enumerable.Range(1, 5).Select(k => OnNext(1 * Ms + k * 100 * Ms + 1 * Ms, 100)),
            OnCompleted<int>(502 * Ms)], received.Messages);
        Assert.Equal(0, throttled.Output.PendingBytes);
    }

    [Fact]
    public void Throttle_WritesAfterAnIdleSpell_StartANewBusyPeriodWithoutABurst()
    {
        var (client, server) = _network.ConnectPair();
        var throttled = client.Throttle(0, 1000, _scheduler);
        var received = server.Input.Select(chunk => chunk.Length).Record(_scheduler);

        throttled.Output.OnNext(new byte[100]);                // at 1 ms: passes at 101 ms
        _scheduler.ScheduleAbsolute(5 * Second, () => throttled.Output.OnNext(new byte[150]));
        _scheduler.Start();

        Assert.Equal([
            OnNext(102 * Ms, 100),
            OnNext(5 * Second + 100 * Ms + 1 * Ms, 100),
            OnNext(5 * Second + 150 * Ms + 1 * Ms, 50)], received.Messages);
    }

    [Fact]
    public void Throttle_QueueAboveTheHighWaterMark_WritableFalseUntilItDrainsBelowTheLowMark()
    {
        var (client, server) = _network.ConnectPair();
        var throttled = client.Throttle(0, 10_000, _scheduler);
        _ = server.Input.Record(_scheduler);
        var writable = throttled.Output.Writable.Record(_scheduler);

        throttled.Output.OnNext(new byte[100 * 1024]);         // 102 400 bytes at 1 ms, slices of 1000 bytes every 100 ms
        _scheduler.AdvanceTo(1 * Ms + 7_000 * Ms);
        Assert.Equal(32_400, throttled.Output.PendingBytes);   // what the throttle holds, not what it passed on
        _scheduler.Start();

        // The marks apply to the throttle's own queue (the connection's output bounds what it is handed itself):
        // 102 400 - 70 × 1000 = 32 400, below the 32 768 low-water mark, once the 70th slice has been passed on.
        Assert.Equal([OnNext(1 * Ms, true), OnNext(1 * Ms, false), OnNext(1 * Ms + 7_000 * Ms, true)], writable.Messages);
    }

    [Fact]
    public void Throttle_EchoWithAThrottledOutput_ReadingPausesAndTheQueueStaysBounded()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted =>
        {
            server = accepted.Throttle(0, 10_000, _scheduler);
            server.Input.Subscribe(server.Output);            // echo, paced at 10 kB/s
        });
        long echoed = 0;
        client.Input.Subscribe(chunk => echoed += chunk.Length);
        long peak = 0;
        for (int i = 0; i < 40; i++)
            client.Output.OnNext(new byte[8 * 1024]);          // 320 KiB at once
        client.Output.OnCompleted();
        using var sampling = Observable.Interval(TimeSpan.FromMilliseconds(50), _scheduler)
            .Subscribe(_ => peak = Math.Max(peak, server!.Output.PendingBytes));

        _scheduler.AdvanceTo(2 * Ms + 2 * Second + 1 * Ms);

        Assert.Equal(20_000, echoed);                          // 1000 bytes every 100 ms, one latency later
        Assert.InRange(peak, 64 * 1024, 64 * 1024 + 64 * 1024);
    }

    [Fact]
    public void Throttle_ThrottledInputSubscriberLeavesAndComesBack_NothingIsLost()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.Throttle(100, 0, _scheduler));
        var first = new List<long>();
        var subscription = server!.Input.Subscribe(chunk => first.Add(chunk.Length));

        client.Output.OnNext(new byte[100]);
        client.Output.OnCompleted();
        _scheduler.AdvanceTo(2 * Ms + 300 * Ms);
        subscription.Dispose();
        _scheduler.AdvanceTo(5 * Second);
        var second = server.Input.Select(chunk => chunk.Length).Record(_scheduler);
        _scheduler.Start();

        Assert.Equal([10, 10, 10], first);
        Assert.Equal(70, second.Messages.Where(m => m.Value.HasValue).Sum(m => m.Value.Value));
        Assert.Equal(5 * Second + 1, second.Messages[0].Time);   // the slice already due goes at once
        Assert.Equal(NotificationKind.OnCompleted, second.Messages[^1].Value.Kind);
    }

    [Fact]
    public void Throttle_SecondSubscriber_FailsAtOnce()
    {
        var (client, _) = _network.ConnectPair();
        var throttled = client.Throttle(100, 100, _scheduler);
        _ = throttled.Input.Record(_scheduler);

        var second = throttled.Input.Record(_scheduler);

        Assert.IsType<InvalidOperationException>(Assert.Single(second.Messages).Value.Exception);
    }

    [Fact]
    public void Throttle_ClosedWaitsForTheInputToDeliverItsEnd()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted =>
        {
            server = accepted.Throttle(100, 0, _scheduler);
            server.Input.Subscribe(_ => { }, server.Output.OnCompleted);
        });
        var closed = server!.Closed.Select(c => c.Reason).Record(_scheduler);
        _ = client.Input.Record(_scheduler);

        client.Output.OnNext(new byte[50]);
        client.Output.OnCompleted();                           // FIN at 2 ms, read ahead; delivered after the data, at 502 ms
        _scheduler.Start();

        Assert.Equal([OnNext(502 * Ms + 1, ConnectionCloseReason.PeerClose), OnCompleted<ConnectionCloseReason>(502 * Ms + 1)], closed.Messages);
    }

    [Fact]
    public void Throttle_DisposedWhileItHoldsThePeersEnd_ClosesAtOnce()
    {
        var (client, server) = _network.ConnectPair();
        var throttled = server.Throttle(100, 0, _scheduler);
        var closed = throttled.Closed.Select(c => c.Reason).Record(_scheduler);
        using (throttled.Input.Subscribe(_ => { }))
        {
            client.Output.OnNext(new byte[20]);
            client.Output.OnCompleted();                       // data and FIN at 2 ms, read ahead
            throttled.Output.OnCompleted();
            _ = client.Input.Record(_scheduler);
            _scheduler.AdvanceTo(50 * Ms);                     // the wrapped connection has closed; 20 bytes still paced
        }
        Assert.Empty(closed.Messages);

        throttled.Dispose();

        // The first event decides the reason (ADR 0004): this side finished sending first.
        Assert.Equal([OnNext(50 * Ms, ConnectionCloseReason.LocalClose), OnCompleted<ConnectionCloseReason>(50 * Ms)], closed.Messages);
    }

    [Fact]
    public void Throttle_SubscriberThrows_ConnectionClosesWithError()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.Throttle(100, 0, _scheduler));
        var closed = server!.Closed.Record(_scheduler);
        var clientInput = client.Input.Record(_scheduler);
        server.Input.Subscribe(_ => throw new InvalidDataException("bad"), _ => { });

        client.Output.OnNext(new byte[50]);
        _scheduler.Start();

        var reason = Assert.Single(closed.Messages.Where(m => m.Value.HasValue)).Value.Value;
        Assert.Equal(ConnectionCloseReason.Error, reason.Reason);
        Assert.IsType<InvalidDataException>(reason.Error);
        Assert.IsType<ConnectionResetException>(Assert.Single(clientInput.Messages).Value.Exception);
    }

    [Fact]
    public void Throttle_BothRatesZero_ReturnsTheConnectionItself()
    {
        var (client, _) = _network.ConnectPair();

        Assert.Same(client, client.Throttle(0, 0, _scheduler));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.Throttle(-1, 0, _scheduler));
    }

    [Fact]
    public void WithThrottle_Listener_PacesEveryAcceptedConnection()
    {
        var arrivals = new List<(long Ticks, int Bytes)>();
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .WithThrottle(1000, 0, _scheduler)
            .Subscribe(connection => connection.Input.Subscribe(chunk => arrivals.Add((_scheduler.Clock, chunk.Length))));
        foreach (var host in new[] { "alice", "bob" })
            _network.Host(host).Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect().Subscribe(c => c.Output.OnNext(new byte[200]));

        _scheduler.Start();

        Assert.Equal([(102 * Ms, 100), (102 * Ms, 100), (202 * Ms, 100), (202 * Ms, 100)], arrivals);
    }
}
