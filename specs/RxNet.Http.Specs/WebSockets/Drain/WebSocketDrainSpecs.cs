namespace RxNet.Http.Specs.WebSockets.Drain;

/// <summary>
/// <see cref="HttpServer.Drain"/> reaches the WebSockets it upgraded: each is sent close 1001 (going away), a peer that
/// answers closes cleanly, and the service's stop deadline aborts the rest at its exact tick. In virtual time: the
/// link's latency is 1 ms each way.
/// </summary>
public sealed class WebSocketDrainSpecs
{
    private const long Ms = DrainedWebSocketServer.Ms;

    [Fact]
    public void Drain_OpenSockets_EachIsSent1001AndThoseThatAnswerCloseCleanly()
    {
        var server = new DrainedWebSocketServer();
        var service = server.StartService();
        var answering = server.Open();
        var silent = server.Open();
        Assert.Equal(2, server.Sockets.Count);

        DrainReport? report = null;
        server.Server.Drain();
        service.Stop(TimeSpan.FromSeconds(5)).Subscribe(r => report = r);
        server.Run(10 * Ms);

        Assert.Equal(["Close:1001 server draining"], answering.Frames());
        Assert.Equal(["Close:1001 server draining"], silent.Frames());
        answering.Send(WireFrames.Close(1001));
        server.Run(10 * Ms);

        var (closed, _) = Assert.Single(server.Closed);
        Assert.Equal(new WebSocketClosed(WebSocketCloseCode.GoingAway, "server draining", WebSocketClosedBy.Local, true), closed);
        Assert.True(answering.InputEnded); // the server closed the TCP connection after the handshake
        Assert.False(silent.InputEnded);
        Assert.Null(report);
    }

    [Fact]
    public void Drain_PeerNeverAnswers_TheServiceDeadlineAbortsItAtItsExactTick()
    {
        var server = new DrainedWebSocketServer();
        var service = server.StartService();
        var silent = server.Open();
        long drainedAt = server.Scheduler.Clock;

        DrainReport? report = null;
        server.Server.Drain();
        service.Stop(TimeSpan.FromSeconds(2)).Subscribe(r => report = r); // shorter than the socket's close timeout (10 s)
        server.Run(2000 * Ms - 1);
        Assert.Null(report);
        Assert.Empty(server.Closed);
        server.Run(1);

        Assert.NotNull(report);
        Assert.Equal(DrainOutcome.DeadlineHit, report.Outcome);
        Assert.Single(report.Aborted);
        var (closed, at) = Assert.Single(server.Closed);
        Assert.Equal((WebSocketCloseCode.AbnormalClosure, false), (closed.Code, closed.WasClean));
        Assert.Equal(drainedAt + 2000 * Ms, at);
        server.Run(2 * Ms);
        Assert.IsType<ConnectionResetException>(silent.Error);
    }

    [Fact]
    public void Drain_EveryPeerAnswers_TheServiceStopsBeforeItsDeadlineWithNoneAborted()
    {
        var server = new DrainedWebSocketServer();
        var service = server.StartService();
        var clients = Enumerable.Range(0, 3).Select(_ => server.Open()).ToList();

        DrainReport? report = null;
        server.Server.Drain();
        service.Stop(TimeSpan.FromSeconds(5)).Subscribe(r => report = r);
        server.Run(10 * Ms);
        foreach (var client in clients)
            client.Send(WireFrames.Close(1001));
        server.Run(10 * Ms);

        Assert.NotNull(report);
        Assert.Equal(DrainOutcome.Drained, report.Outcome);
        Assert.Empty(report.Aborted);
        Assert.Equal(3, report.Finished);
        Assert.All(server.Closed, c => Assert.True(c.Closed.WasClean));
    }

    [Fact]
    public void Upgrade_WhileTheServerDrains_TheNewSocketIsSent1001AtOnce()
    {
        var server = new DrainedWebSocketServer();
        server.StartService();
        server.Server.Drain();

        var late = server.Open();

        Assert.StartsWith("HTTP/1.1 101", late.Head, StringComparison.Ordinal);
        Assert.Equal(["Close:1001 server draining"], late.Frames());
    }

    [Fact]
    public void Drain_SocketClosedBefore_IsNotTouchedAndHoldsNoSubscription()
    {
        var server = new DrainedWebSocketServer();
        server.StartService();
        var client = server.Open();
        client.Send(WireFrames.Close(1000));
        server.Run(10 * Ms);
        Assert.Equal(["Close:1000"], client.Frames());

        server.Server.Drain();
        server.Run(10 * Ms);

        Assert.Equal(["Close:1000"], client.Frames());
        Assert.Equal(WebSocketCloseCode.NormalClosure, Assert.Single(server.Closed).Closed.Code);
    }
}
