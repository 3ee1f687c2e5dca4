using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Reactive.Testing;
using Xunit;
using static Microsoft.Reactive.Testing.ReactiveTest;

namespace RxNet.Specs.Policies;

/// <summary>
/// <c>IdleTimeout</c> on a simulated network with the default link (1 ms latency): the connect happens at
/// 1 ms, so a server connection wrapped at its accept starts its clock at 1 ms.
/// </summary>
public sealed class IdleTimeoutSpecs
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long Second = TimeSpan.TicksPerSecond;
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(30);

    private readonly TestScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;

    public IdleTimeoutSpecs() => _network = new SimulatedNetwork(_scheduler);

    [Fact]
    public void IdleTimeout_NoTraffic_SendsFinExactlyOnePeriodAfterTheAcceptAndNotBefore()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(Period, _scheduler));
        var serverInput = server!.Input.RecordText(_scheduler);
        var clientInput = client.Input.RecordText(_scheduler);
        var sent = _network.Trace.Count;

        _scheduler.AdvanceTo(1 * Ms + 30 * Second - 1);
        Assert.Equal(sent, _network.Trace.Count);
        Assert.Empty(clientInput.Messages);

        _scheduler.AdvanceTo(1 * Ms + 30 * Second + 1 * Ms);
        var fin = Assert.Single(_network.Trace.Skip(sent));
        Assert.Equal(NetworkEventKind.Fin, fin.Kind);
        Assert.Equal(30_002 * Ms, fin.Ticks); // sent at 30.001 s, one latency on the link
        Assert.Equal([OnCompleted<string>(30_002 * Ms)], clientInput.Messages);
        Assert.Empty(serverInput.Messages);
    }

    [Fact]
    public void IdleTimeout_PeerClosesInAnswer_ServerClosedReportsTimeoutOneRoundTripLater()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(Period, _scheduler));
        var serverInput = server!.Input.RecordText(_scheduler);
        var closed = server.Closed.Record(_scheduler);
        var clientInput = client.Input.Do(_ => { }, client.Output.OnCompleted).RecordText(_scheduler); // closes when the server does
        var clientClosed = client.Closed.Select(c => c.Reason).Record(_scheduler);

        _scheduler.Start();

        Assert.Equal([OnCompleted<string>(30_002 * Ms)], clientInput.Messages);
        Assert.Equal([OnCompleted<string>(30_003 * Ms)], serverInput.Messages);
        var (at, reason) = Assert.Single(closed.Messages.Where(m => m.Value.HasValue).Select(m => (m.Time, m.Value.Value)));
        Assert.Equal(30_003 * Ms, at);
        Assert.Equal(ConnectionCloseReason.Timeout, reason.Reason);
        Assert.IsType<TimeoutException>(reason.Error);
        // The client's FIN leaves in the flush one tick after its write (ADR 0007), and it closes then.
        Assert.Equal([OnNext(30_002 * Ms + 1, ConnectionCloseReason.PeerClose), OnCompleted<ConnectionCloseReason>(30_002 * Ms + 1)], clientClosed.Messages);
    }

    [Fact]
    public void IdleTimeout_TrafficInEitherDirection_RestartsTheClockFromTheLastChunk()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(Period, _scheduler));
        var serverInput = server!.Input.RecordText(_scheduler);
        var clientInput = client.Input.RecordText(_scheduler);
        _scheduler.ScheduleAbsolute(10 * Second, () => client.Output.OnNext("ping"u8.ToArray()));     // the server reads it at 10.001 s
        _scheduler.ScheduleAbsolute(25 * Second, () => server.Output.OnNext("pong"u8.ToArray()));     // the server writes at 25 s

        _scheduler.AdvanceTo(25 * Second + 30 * Second - 1);
        Assert.Equal([OnNext(10 * Second + 1 * Ms, "ping")], serverInput.Messages);
        Assert.Equal([OnNext(25 * Second + 1 * Ms, "pong")], clientInput.Messages);

        _scheduler.AdvanceTo(60 * Second);
        Assert.Equal([
            OnNext(25 * Second + 1 * Ms, "pong"),
            OnCompleted<string>(55 * Second + 1 * Ms)], clientInput.Messages);
    }

    [Fact]
    public void IdleTimeout_ReadingOnlyKeepsItAlive_ClosesOnePeriodAfterTheLastChunkReceived()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(Period, _scheduler));
        var serverInput = server!.Input.RecordText(_scheduler);
        var clientInput = client.Input.RecordText(_scheduler);
        for (int i = 1; i <= 3; i++)
            _scheduler.ScheduleAbsolute(i * 20 * Second, () => client.Output.OnNext("."u8.ToArray()));

        _scheduler.AdvanceTo(120 * Second);

        Assert.Equal([20_001 * Ms, 40_001 * Ms, 60_001 * Ms], serverInput.Messages.Where(m => m.Value.HasValue).Select(m => m.Time));
        Assert.Equal([OnCompleted<string>(60 * Second + 1 * Ms + 30 * Second + 1 * Ms)], clientInput.Messages);
    }

    [Fact]
    public void IdleTimeout_PeerNeverCloses_AbortedAfterTheGraceAndReportsTimeout()
    {
        IConnection? server = null;
        var options = new IdleTimeoutOptions { Period = Period, AbortAfter = TimeSpan.FromSeconds(15) };
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(options, _scheduler));
        var serverInput = server!.Input.Record(_scheduler);
        var closed = server.Closed.Select(c => c.Reason).Record(_scheduler);
        var clientInput = client.Input.RecordText(_scheduler); // reads, but never closes its side
        var clientClosed = client.Closed.Select(c => c.Reason).Record(_scheduler);

        _scheduler.Start();

        Assert.Equal([OnCompleted<string>(30_002 * Ms)], clientInput.Messages);
        Assert.Equal([OnNext(45_001 * Ms, ConnectionCloseReason.Timeout), OnCompleted<ConnectionCloseReason>(45_001 * Ms)], closed.Messages);
        var failed = Assert.Single(serverInput.Messages);
        Assert.Equal(45_001 * Ms, failed.Time);
        var error = Assert.IsType<ConnectionAbortedException>(failed.Value.Exception);
        Assert.IsType<TimeoutException>(error.InnerException);
        // The client's input had ended with the FIN, so its reason was settled then; the reset releases it.
        Assert.Equal([OnNext(45_002 * Ms, ConnectionCloseReason.PeerClose), OnCompleted<ConnectionCloseReason>(45_002 * Ms)], clientClosed.Messages);
    }

    [Fact]
    public void IdleTimeout_AbortAfterZero_PeerSeesAResetOneLatencyAfterThePeriod()
    {
        IConnection? server = null;
        var options = new IdleTimeoutOptions { Period = Period, AbortAfter = TimeSpan.Zero };
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(options, _scheduler));
        var closed = server!.Closed.Select(c => c.Reason).Record(_scheduler);
        var clientInput = client.Input.Record(_scheduler);

        _scheduler.Start();

        Assert.Equal([OnNext(30_001 * Ms, ConnectionCloseReason.Timeout), OnCompleted<ConnectionCloseReason>(30_001 * Ms)], closed.Messages);
        var reset = Assert.Single(clientInput.Messages);
        Assert.Equal(30_002 * Ms, reset.Time);
        Assert.IsType<ConnectionResetException>(reset.Value.Exception);
    }

    [Fact]
    public void IdleTimeout_OutputAlreadyCompleted_AbortsAtOnceAtThePeriod()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(Period, _scheduler));
        server!.Output.OnCompleted(); // half-closed at 1 ms; the client never answers with its FIN
        var closed = server.Closed.Select(c => c.Reason).Record(_scheduler);
        _ = server.Input.Record(_scheduler);
        var clientInput = client.Input.RecordText(_scheduler);

        _scheduler.Start();

        Assert.Equal([OnCompleted<string>(2 * Ms)], clientInput.Messages);
        Assert.Equal([OnNext(30_001 * Ms, ConnectionCloseReason.Timeout), OnCompleted<ConnectionCloseReason>(30_001 * Ms)], closed.Messages);
    }

    [Fact]
    public void IdleTimeout_ConnectionClosesFirst_ReportsItsOwnReasonAndLeavesNoTimer()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(Period, _scheduler));
        var closed = server!.Closed.Select(c => c.Reason).Record(_scheduler);
        server.Input.Subscribe(_ => { }, server.Output.OnCompleted);
        _ = client.Input.Record(_scheduler);
        client.Output.OnCompleted();

        _scheduler.Start();

        // The client's FIN arrives at 2 ms; the server's answering FIN leaves, and it closes, one tick later.
        Assert.Equal([OnNext(2 * Ms + 1, ConnectionCloseReason.PeerClose), OnCompleted<ConnectionCloseReason>(2 * Ms + 1)], closed.Messages);
        Assert.True(_scheduler.Clock < Second, $"the timer should be gone with the connection, but the clock ran to {new TimeSpan(_scheduler.Clock)}");
    }

    [Fact]
    public void IdleTimeout_Dispose_AbortsAndReportsAborted()
    {
        IConnection? server = null;
        var client = _network.ConnectTo(accepted => server = accepted.IdleTimeout(Period, _scheduler));
        var closed = server!.Closed.Select(c => c.Reason).Record(_scheduler);
        var clientInput = client.Input.Record(_scheduler);
        _scheduler.AdvanceTo(5 * Second);

        server.Dispose();
        _scheduler.Start();

        Assert.Equal([OnNext(5 * Second, ConnectionCloseReason.Aborted), OnCompleted<ConnectionCloseReason>(5 * Second)], closed.Messages);
        Assert.IsType<ConnectionResetException>(Assert.Single(clientInput.Messages).Value.Exception);
        Assert.True(_scheduler.Clock < 6 * Second);
    }

    [Fact]
    public void WithIdleTimeout_Listener_TimesEachConnectionFromItsOwnAccept()
    {
        var closedAt = new List<(string Peer, long Ticks, ConnectionCloseReason Reason)>();
        using var listening = _network.Host("server").Reactor.ServerEndpoint("tcp:8000").Listen()
            .WithIdleTimeout(new IdleTimeoutOptions { Period = Period, AbortAfter = TimeSpan.Zero }, _scheduler)
            .Subscribe(connection =>
            {
                connection.Input.Subscribe(_ => { }, _ => { });
                connection.Closed.Subscribe(c => closedAt.Add((connection.RemoteEndPoint!.ToString()!, _scheduler.Clock, c.Reason)));
            });
        void Connect(string host) => _network.Host(host).Reactor.ClientEndpoint("tcp:host=server:port=8000").Connect()
            .Subscribe(c => c.Input.Subscribe(_ => { }, _ => { }));
        Connect("alice");                                          // accepted at 1 ms
        _scheduler.ScheduleAbsolute(10 * Second, () => Connect("bob")); // accepted at 10.001 s

        _scheduler.Start();

        Assert.Equal([
            ("Unspecified/alice:49152", 30_001 * Ms, ConnectionCloseReason.Timeout),
            ("Unspecified/bob:49152", 40_001 * Ms, ConnectionCloseReason.Timeout)], closedAt);
    }

    [Fact]
    public void IdleTimeout_InvalidPeriod_Throws()
    {
        var (client, _) = _network.ConnectPair();

        Assert.Throws<ArgumentOutOfRangeException>(() => client.IdleTimeout(TimeSpan.Zero, _scheduler));
        Assert.Throws<ArgumentOutOfRangeException>(() => client.IdleTimeout(new IdleTimeoutOptions { AbortAfter = TimeSpan.FromSeconds(-1) }, _scheduler));
        Assert.Throws<ArgumentNullException>(() => client.IdleTimeout(Period, null!));
    }
}
