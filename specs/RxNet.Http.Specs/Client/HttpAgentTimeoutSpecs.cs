using System.Reactive.Linq;

namespace RxNet.Http.Specs.Client;

public sealed class HttpAgentTimeoutSpecs
{
    private const long Ms = AgentHarness.Ms;
    private const long Latency = 1 * Ms;

    private static void AssertFiresAt(AgentHarness h, long at, Func<bool> fired)
    {
        h.Scheduler.AdvanceTo(at - 1);
        Assert.False(fired(), $"fired before tick {at}");
        h.Scheduler.AdvanceTo(at);
        Assert.True(fired(), $"did not fire at tick {at}");
    }

    [Fact]
    public void ResponseHeadersTimeout_FiresAtItsTick_WithA504AndClosesTheConnection()
    {
        using var h = new AgentHarness((_, _) => { }, new HttpAgentOptions { ResponseHeadersTimeout = TimeSpan.FromSeconds(5) });
        var x = h.Get("/");
        h.Run(10 * Ms);
        long sent = h.HeadTimes[0] - Latency;
        AssertFiresAt(h, sent + (5000 * Ms), () => x.Error is not null);
        var error = Assert.IsType<HttpProtocolException>(x.Error);
        Assert.Equal((HttpProtocolError.ResponseHeadersTimeout, 504), (error.Error, error.StatusCode));
        h.Run(10 * Ms);
        Assert.Equal(0, h.Agent.Counters.Open);
        Assert.Equal(1, h.ServerConnectionsClosed);
    }

    [Fact]
    public void ResponseTimeout_FiresAtItsTick_EvenWhileTheBodyTrickles()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"),
            new HttpAgentOptions { ResponseTimeout = TimeSpan.FromSeconds(3) });
        var x = h.Get("/");
        h.Run(10 * Ms);
        long sent = h.HeadTimes[0] - Latency;
        AssertFiresAt(h, sent + (3000 * Ms), () => x.BodyError is not null);
        Assert.Equal(HttpProtocolError.ResponseTimeout, Assert.IsType<HttpProtocolException>(x.BodyError).Error);
        Assert.Equal(0, h.Agent.Counters.Open);
    }

    [Fact]
    public void BodyIdleTimeout_FiresAtItsTickAfterTheLastByte()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"),
            new HttpAgentOptions { BodyIdleTimeout = TimeSpan.FromSeconds(2) });
        var x = h.Get("/");
        h.Run(10 * Ms);
        long lastByte = h.HeadTimes[0] + Latency; // the response left at once and took one latency back
        AssertFiresAt(h, lastByte + (2000 * Ms), () => x.BodyError is not null);
        Assert.Equal(HttpProtocolError.BodyIdleTimeout, Assert.IsType<HttpProtocolException>(x.BodyError).Error);
    }

    [Fact]
    public void BodyIdleTimeout_DoesNotCountTimeTheCallerSpendsNotReading()
    {
        using var h = new AgentHarness((c, _) => AgentHarness.Write(c, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"),
            new HttpAgentOptions { BodyIdleTimeout = TimeSpan.FromSeconds(2) });
        var x = h.Get("/", readBody: false);
        h.Run(60_000 * Ms);
        x.ReadBody();
        h.Run(10 * Ms);
        Assert.Equal("abc", x.Body);
        Assert.Null(x.BodyError);
    }

    [Fact]
    public void ExpectContinueTimeout_SendsTheBodyAtItsTickWhenNo100Comes()
    {
        using var h = new AgentHarness((_, _) => { }, new HttpAgentOptions { ExpectContinueTimeout = TimeSpan.FromSeconds(1) });
        var request = new HttpRequest("PUT", "http://server/", body: Observable.Return((ReadOnlyMemory<byte>)"the-body"u8.ToArray())) { ContentLength = 8 };
        request.Headers.Set("Expect", "100-continue");
        h.Send(request);
        h.Run(10 * Ms);
        long sent = h.HeadTimes[0] - Latency;
        AssertFiresAt(h, sent + (1000 * Ms) + Latency, () => h.RawReceived.ToString().EndsWith("the-body", StringComparison.Ordinal));
    }

    [Fact]
    public void ConnectTimeout_AcrossAPartition_FailsWithTimeoutExceptionAtItsTick()
    {
        using var h = new AgentHarness(_ => Observable.Return(HttpResponse.Text("x")), new HttpAgentOptions { ConnectTimeout = TimeSpan.FromSeconds(4) });
        h.Network.ConnectTimeout = TimeSpan.FromSeconds(30);
        h.Network.Partition("client", "server");
        var x = h.Get("/");
        AssertFiresAt(h, 4000 * Ms, () => x.Error is not null);
        Assert.IsType<TimeoutException>(x.Error);
        Assert.Equal(0, h.Agent.Counters.Connecting);
    }

    [Fact]
    public void ConnectionRefused_PassesThroughUnchanged()
    {
        var scheduler = new Microsoft.Reactive.Testing.TestScheduler();
        var network = new SimulatedNetwork(scheduler);
        network.Host("server");
        using var agent = new HttpAgent(network.Host("client").Reactor);
        Exception? error = null;
        agent.Get("http://server:81/").Subscribe(_ => { }, e => error = e);
        scheduler.AdvanceBy(10 * Ms);
        Assert.IsType<ConnectionRefusedException>(error);
    }
}
