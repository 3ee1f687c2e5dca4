using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Text;

namespace RxNet.Http.Specs.Server;

/// <summary>Graceful drain, and handing the raw connection over after 101 or a 2xx to CONNECT.</summary>
public sealed class DrainAndUpgradeSpecs
{
    private const long Ms = SimulatedHttp.Ms;

    [Fact]
    public void Drain_IdleKeepAliveConnection_ClosesIt()
    {
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.Text("ok")));
        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();
        Assert.False(http.InputEnded);

        http.Server.Drain();
        http.Run();

        Assert.True(http.InputEnded);
        Assert.DoesNotContain("Connection: close", http.Received, StringComparison.Ordinal);
    }

    [Fact]
    public void Drain_ExchangeInFlight_FinishesItWithConnectionCloseThenCloses()
    {
        var response = new Subject<HttpResponse>();
        var http = new SimulatedHttp(_ => response.Take(1));
        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();

        http.Server.Drain();
        http.Run();
        Assert.False(http.InputEnded);
        response.OnNext(HttpResponse.Text("last"));
        http.Run();

        Assert.Contains("Connection: close", http.Received, StringComparison.Ordinal);
        Assert.EndsWith("last", http.Received, StringComparison.Ordinal);
        Assert.True(http.InputEnded);
    }

    [Fact]
    public void Drain_ThroughServerService_EndsWithEveryConnectionFinishedAndNoneAborted()
    {
        var scheduler = new Microsoft.Reactive.Testing.TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var server = new HttpServer(_ => Observable.Return(HttpResponse.Text("ok")), scheduler);
        var host = network.Host("server");
        var service = new ServerService(host.Reactor.ServerEndpoint("tcp:80"), server.Serve, scheduler);
        service.Start();
        scheduler.AdvanceBy(Ms);
        network.Host("client").Reactor.ClientEndpoint("tcp:server:80").Connect()
            .Subscribe(c => c.Output.OnNext(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n")));
        scheduler.AdvanceBy(10 * Ms);
        Assert.Equal(1, service.OpenConnections);

        DrainReport? report = null;
        server.Drain();
        service.Stop(TimeSpan.FromSeconds(5)).Subscribe(r => report = r);
        scheduler.AdvanceBy(10 * Ms);

        Assert.NotNull(report);
        Assert.Equal(DrainOutcome.Drained, report.Outcome);
        Assert.Empty(report.Aborted);
    }

    [Theory]
    [InlineData(true, DrainOutcome.Drained)]
    [InlineData(false, DrainOutcome.DeadlineHit)] // the control: a plain service leaves the keep-alive connection open
    public void Service_StopWithAnIdleKeepAliveConnection_DrainsItInTheSameCall(bool httpService, DrainOutcome outcome)
    {
        var (scheduler, server, service, received) = Listening(_ => Observable.Return(HttpResponse.Text("ok")), httpService);
        Assert.Equal(1, service.OpenConnections);

        DrainReport? report = null;
        service.Stop(TimeSpan.FromSeconds(5)).Subscribe(r => report = r);
        scheduler.AdvanceBy(6000 * Ms);

        Assert.NotNull(report);
        Assert.Equal(outcome, report.Outcome);
        Assert.Equal(httpService, server.IsDraining);
        Assert.Equal(httpService ? 0 : 1, report.Aborted.Count);
        Assert.DoesNotContain("Connection: close", received.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Service_StopWithAnExchangeInFlight_FinishesItWithConnectionCloseBeforeTheDeadline()
    {
        var response = new Subject<HttpResponse>();
        var (scheduler, _, service, received) = Listening(_ => response.Take(1), httpService: true);

        DrainReport? report = null;
        service.Stop(TimeSpan.FromSeconds(5)).Subscribe(r => report = r);
        scheduler.AdvanceBy(1000 * Ms);
        Assert.Null(report);
        response.OnNext(HttpResponse.Text("last"));
        scheduler.AdvanceBy(10 * Ms);

        Assert.NotNull(report);
        Assert.Equal(DrainOutcome.Drained, report.Outcome);
        Assert.Empty(report.Aborted);
        Assert.Contains("Connection: close", received.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("last", received.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A server's service on the simulated network with one client that has sent one request.</summary>
    private static (Microsoft.Reactive.Testing.TestScheduler Scheduler, HttpServer Server, ServerService Service, StringBuilder Received) Listening(
        Func<HttpRequest, IObservable<HttpResponse>> handler, bool httpService)
    {
        var scheduler = new Microsoft.Reactive.Testing.TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        var server = new HttpServer(handler, scheduler);
        var endpoint = network.Host("server").Reactor.ServerEndpoint("tcp:80");
        var service = httpService ? server.Service(endpoint) : new ServerService(endpoint, server.Serve, scheduler);
        service.Start();
        scheduler.AdvanceBy(Ms);
        var received = new StringBuilder();
        network.Host("client").Reactor.ClientEndpoint("tcp:server:80").Connect().Subscribe(c =>
        {
            c.Input.Subscribe(chunk => received.Append(Encoding.ASCII.GetString(chunk.Span)));
            c.Output.OnNext(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        });
        scheduler.AdvanceBy(10 * Ms);
        return (scheduler, server, service, received);
    }

    [Fact]
    public void Upgrade_101WithBytesBufferedAfterTheRequest_HandsThemOverFirst()
    {
        var upgraded = new StringBuilder();
        var http = new SimulatedHttp(_ => Observable.Return(HttpResponse.SwitchingProtocols("echo", c =>
            c.Input.Subscribe(chunk => upgraded.Append(Encoding.ASCII.GetString(chunk.Span))))));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nearly bytes;");
        http.Run();
        http.Send("later bytes");
        http.Run();

        Assert.StartsWith("HTTP/1.1 101", http.Received, StringComparison.Ordinal);
        Assert.Contains("Upgrade: echo", http.Received, StringComparison.Ordinal);
        Assert.DoesNotContain("Content-Length", http.Received, StringComparison.Ordinal);
        Assert.Equal("early bytes;later bytes", upgraded.ToString());
        Assert.False(http.InputEnded);
    }

    [Fact]
    public void Upgrade_Connect2xx_HandsTheConnectionOverAsATunnel()
    {
        var http = new SimulatedHttp(r => Observable.Return(new HttpResponse(200) { Upgraded = c => c.Input.Subscribe(c.Output) }));

        http.Send("CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n");
        http.Run();
        http.Send("ping");
        http.Run();

        Assert.StartsWith("HTTP/1.1 200", http.Received, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nping", http.Received, StringComparison.Ordinal);
    }

    [Fact]
    public void Upgraded_OnAnOrdinaryStatus_IsIgnored()
    {
        bool called = false;
        var http = new SimulatedHttp(_ => Observable.Return(new HttpResponse(200) { ContentLength = 0, Upgraded = _ => called = true }));

        http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        http.Run();

        Assert.False(called);
        Assert.Equal(2, http.StatusLines().Count);
    }
}
